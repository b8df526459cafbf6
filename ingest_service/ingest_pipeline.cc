#include "ingest_service/ingest_pipeline.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "shared/article/prepare.h"
#include "shared/html/article_page.h"
#include "shared/merge/merge.h"
#include "shared/schema/names.h"
#include "shared/status/status_macros.h"

namespace communique::ingest {
namespace {

using ::google::protobuf::util::TimeUtil;

// True when a stored article already says everything `next` says.
bool SameArticle(const v1::Article& stored, const v1::Article& next) {
  return stored.content_sha256() == next.content_sha256() &&
         stored.extractor_version() == next.extractor_version() &&
         stored.external_id() == next.external_id() &&
         stored.source_url() == next.source_url() &&
         stored.publisher() == next.publisher() &&
         stored.title() == next.title() &&
         stored.published().SerializeAsString() ==
             next.published().SerializeAsString();
}

// The version an article processed today would carry: pages carry the
// converter's version too (html::ArticleVersion).
std::string CurrentVersion(const v1::Article& article) {
  const bool page = absl::StrContains(article.extractor_version(), "+html");
  return html::ArticleVersion(extract::kExtractorVersion, page);
}

}  // namespace

absl::StatusOr<IngestPipeline::Prepared> IngestPipeline::Prepare(
    const v1::ArticleInput& input) const {
  return PrepareNamed(input, "");
}

absl::StatusOr<IngestPipeline::Prepared> IngestPipeline::PrepareNamed(
    const v1::ArticleInput& input, absl::string_view name) const {
  Prepared out;
  ASSIGN_OR_RETURN(out.parsed,
                   article::PrepareArticle(input, *extractor_, name));
  // A page is stored beside its text, as the caller sent it.
  if (!input.html().empty()) out.page = input;
  return out;
}

absl::StatusOr<v1::ParseArticleResponse> IngestPipeline::Parse(
    const v1::ArticleInput& input) const {
  ASSIGN_OR_RETURN(Prepared prepared, Prepare(input));
  return std::move(prepared.parsed);
}

absl::StatusOr<v1::IngestArticleResponse> IngestPipeline::Ingest(
    const v1::ArticleInput& input) {
  absl::StatusOr<Prepared> prepared = Prepare(input);
  if (!prepared.ok()) return Acknowledge(prepared.status());
  return Acknowledge(Commit(*std::move(prepared)));
}

absl::StatusOr<v1::IngestArticleResponse> IngestPipeline::Acknowledge(
    absl::StatusOr<Pending> pending) {
  absl::StatusOr<v1::IngestArticleResponse> result =
      AwaitDurable(std::move(pending));
  if (options_.on_ingest) options_.on_ingest(result);
  return result;
}

absl::StatusOr<v1::IngestArticleResponse> IngestPipeline::AwaitDurable(
    absl::StatusOr<Pending> pending) {
  if (!pending.ok()) return pending.status();
  RETURN_IF_ERROR(store_->AwaitDurable(pending->write));
  v1::IngestArticleResponse& response = pending->response;
  if (response.outcome() == v1::INGEST_OUTCOME_UNCHANGED) {
    // Durable now, and so is whatever stored the identical article.
    response.set_consistency_token(absl::StrCat(store_->notifier().head()));
  }
  return std::move(response);
}

absl::StatusOr<IngestPipeline::Pending> IngestPipeline::Commit(
    Prepared prepared) {
  v1::Article& article = *prepared.parsed.mutable_article();

  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(std::optional<v1::Article> stored,
                   store_->GetArticle(article.name()));
  Pending pending;
  v1::IngestArticleResponse& response = pending.response;
  response.set_article(article.name());
  *response.mutable_warnings() = article.warnings();
  if (stored.has_value() && SameArticle(*stored, article)) {
    // What stored it may be a commit still waiting for its fsync.
    response.set_outcome(v1::INGEST_OUTCOME_UNCHANGED);
    pending.write = store_->LastWrite();
    return pending;
  }

  *article.mutable_ingest_time() =
      TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(options_.clock()));
  ASSIGN_OR_RETURN(store::CommitResult result,
                   CommitLocked(article, &prepared.parsed.extraction(),
                                &prepared.page));
  response.set_outcome(stored.has_value() ? v1::INGEST_OUTCOME_UPDATED
                                          : v1::INGEST_OUTCOME_CREATED);
  for (std::string& name : result.changed_summits) {
    response.add_affected_summits(std::move(name));
  }
  response.set_consistency_token(absl::StrCat(result.sequence));
  pending.write = result.write;
  return pending;
}

absl::StatusOr<store::CommitResult> IngestPipeline::CommitLocked(
    const v1::Article& article, const v1::ArticleExtraction* extraction,
    const v1::ArticleInput* page) {
  store::ArticleCommit commit;
  commit.now = options_.clock();
  commit.action = extraction != nullptr ? store::ArticleAction::kPut
                                        : store::ArticleAction::kDelete;
  std::set<std::string> new_clusters;
  if (extraction != nullptr) {
    for (const v1::Summit& summit : extraction->summits()) {
      new_clusters.insert(merge::ClusterKey(summit));
    }
  }
  // Incremental: only the clusters the article was or will be in change.
  ASSIGN_OR_RETURN(std::vector<std::string> old_clusters,
                   store_->ArticleClusters(article.name()));
  std::set<std::string> affected(old_clusters.begin(), old_clusters.end());
  affected.insert(new_clusters.begin(), new_clusters.end());
  for (const std::string& cluster : affected) {
    ASSIGN_OR_RETURN(std::vector<v1::ArticleExtraction> members,
                     store_->ClusterExtractions(cluster));
    std::vector<v1::ArticleExtraction> inputs;
    inputs.reserve(members.size() + 1);
    for (v1::ArticleExtraction& member : members) {
      if (member.article() != article.name()) {
        inputs.push_back(std::move(member));
      }
    }
    if (new_clusters.count(cluster) > 0) inputs.push_back(*extraction);
    merge::MergedCluster merged =
        merge::MergeCluster(inputs, cluster, options_.naming);
    store::ClusterRecords& records = commit.cluster_records[cluster];
    records.summits = std::move(merged.summits);
    records.declarations = std::move(merged.declarations);
    records.initiatives = std::move(merged.initiatives);
  }
  commit.clusters.assign(new_clusters.begin(), new_clusters.end());
  // Callers await durability after releasing the writer lock.
  commit.await_durable = false;
  commit.article = article;
  if (extraction != nullptr) commit.extraction = *extraction;
  if (extraction != nullptr && page != nullptr) commit.page = *page;
  return store_->CommitArticle(commit);
}

absl::StatusOr<v1::DeleteArticleResponse> IngestPipeline::Delete(
    absl::string_view name) {
  RETURN_IF_ERROR(schema::ParseArticleName(name, "name").status());
  store::CommitResult result;
  {
    absl::MutexLock lock(&mu_);
    ASSIGN_OR_RETURN(std::optional<v1::Article> stored,
                     store_->GetArticle(name));
    if (!stored.has_value()) {
      return absl::NotFoundError(absl::StrCat("article ", name, " not found"));
    }
    ASSIGN_OR_RETURN(result, CommitLocked(*stored, /*extraction=*/nullptr,
                                          /*page=*/nullptr));
  }
  RETURN_IF_ERROR(store_->AwaitDurable(result.write));
  v1::DeleteArticleResponse response;
  response.set_article(std::string(name));
  for (std::string& summit : result.changed_summits) {
    response.add_affected_summits(std::move(summit));
  }
  response.set_consistency_token(absl::StrCat(result.sequence));
  return response;
}

absl::Status IngestPipeline::ReprocessOne(const std::string& name,
                                          bool* changed,
                                          v1::ReprocessResponse* response) {
  absl::MutexLock lock(&mu_);
  *changed = false;
  ASSIGN_OR_RETURN(std::optional<v1::Article> article,
                   store_->GetArticle(name));
  if (!article.has_value()) return absl::OkStatus();  // deleted meanwhile
  ASSIGN_OR_RETURN(std::optional<v1::ArticleExtraction> stored,
                   store_->GetExtraction(name));

  ASSIGN_OR_RETURN(std::optional<v1::ArticleInput> page,
                   store_->GetArticlePage(name));
  v1::ArticleExtraction extraction;
  if (page.has_value()) {
    // A page is converted again: the converter may have improved. The
    // article keeps its name (and so its evidence) whatever the new text
    // hashes to.
    absl::StatusOr<Prepared> prepared = PrepareNamed(*page, article->name());
    if (!prepared.ok()) {
      // The page was accepted once; a converter that now finds no body
      // leaves the stored article as it is rather than losing it.
      return absl::OkStatus();
    }
    v1::Article& next = *prepared->parsed.mutable_article();
    extraction = std::move(*prepared->parsed.mutable_extraction());
    if (stored.has_value() &&
        article->extractor_version() == next.extractor_version() &&
        article->content_sha256() == next.content_sha256() &&
        stored->SerializeAsString() == extraction.SerializeAsString()) {
      return absl::OkStatus();
    }
    *next.mutable_ingest_time() = article->ingest_time();
    *article = std::move(next);
  } else {
    // The stored text is already normalised; extract it as ingest did.
    extract::ArticleContext context;
    context.article_name = article->name();
    if (article->has_published()) {
      context.published = absl::ToCivilDay(
          absl::FromUnixSeconds(article->published().seconds()),
          absl::UTCTimeZone());
    }
    extraction = extractor_->Extract(article->text(), context);
    if (stored.has_value() &&
        article->extractor_version() == extract::kExtractorVersion &&
        stored->SerializeAsString() == extraction.SerializeAsString()) {
      return absl::OkStatus();
    }
    article->set_extractor_version(extract::kExtractorVersion);
    *article->mutable_warnings() = extraction.warnings();
  }
  ASSIGN_OR_RETURN(store::CommitResult result,
                   CommitLocked(*article, &extraction,
                                page.has_value() ? &*page : nullptr));
  *changed = true;
  for (std::string& summit : result.changed_summits) {
    response->add_affected_summits(std::move(summit));
  }
  return absl::OkStatus();
}

absl::StatusOr<ReprocessResult> IngestPipeline::Reprocess(
    const ReprocessRequest& request) {
  if (request.page_size <= 0) {
    return absl::InvalidArgumentError("page_size: must be positive");
  }
  // The listing is taken without the writer lock; each article is then
  // re-read under it, so concurrent ingests and deletions are respected.
  ASSIGN_OR_RETURN(store::Page<v1::Article> page,
                   store_->ListArticles(request.page_size,
                                        request.resume_after));
  ReprocessResult result;
  v1::ReprocessResponse& response = result.response;
  response.set_extractor_version(extract::kExtractorVersion);
  for (const v1::Article& article : page.items) {
    response.set_articles_examined(response.articles_examined() + 1);
    if (request.only_outdated &&
        article.extractor_version() == CurrentVersion(article)) {
      response.set_articles_skipped(response.articles_skipped() + 1);
      continue;
    }
    bool changed = false;
    absl::Status status = ReprocessOne(article.name(), &changed, &response);
    if (!status.ok()) {
      // The page's earlier commits still become durable and published.
      store_->AwaitDurable(store_->LastWrite()).IgnoreError();
      return status;
    }
    if (changed) {
      response.set_articles_changed(response.articles_changed() + 1);
    } else {
      response.set_articles_unchanged(response.articles_unchanged() + 1);
    }
  }
  std::set<std::string> affected(response.affected_summits().begin(),
                                 response.affected_summits().end());
  response.clear_affected_summits();
  for (const std::string& summit : affected) {
    response.add_affected_summits(summit);
  }
  // One fsync for the page's commits.
  RETURN_IF_ERROR(store_->AwaitDurable(store_->LastWrite()));
  response.set_consistency_token(absl::StrCat(store_->notifier().head()));
  result.resume_after = page.resume_after;
  return result;
}

merge::NamingRules NamingRulesFrom(const gazetteer::Gazetteer& gazetteer) {
  merge::NamingRules rules;
  rules.qualify_bodies = true;
  for (const auto& organization : gazetteer.data().organizations()) {
    for (const auto& body : organization.bodies()) {
      if (!body.heads_of_state()) continue;
      // The extractor records organisations by acronym and bodies by name.
      rules.principal_bodies.insert(
          absl::StrCat(schema::Slugify(organization.acronym()), "|",
                       schema::Slugify(body.name())));
    }
  }
  return rules;
}

}  // namespace communique::ingest
