#include "ingest_service/ingest_pipeline.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/time_util.h"
#include "shared/merge/merge.h"
#include "shared/schema/names.h"
#include "shared/schema/validation.h"
#include "shared/status/status_macros.h"
#include "shared/text/normalize.h"

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

}  // namespace

absl::StatusOr<v1::ParseArticleResponse> IngestPipeline::Prepare(
    const v1::ArticleInput& input) const {
  RETURN_IF_ERROR(schema::ValidateArticleInput(input, "article"));
  absl::StatusOr<std::string> normalized =
      text::NormalizeArticleText(input.text());
  if (!normalized.ok()) {
    return absl::Status(normalized.status().code(),
                        absl::StrCat("article.text: ",
                                     normalized.status().message()));
  }
  v1::ParseArticleResponse out;
  v1::Article& article = *out.mutable_article();
  article.set_content_sha256(schema::Sha256Hex(*normalized));
  article.set_name(schema::ArticleName(
      schema::ArticleId(input.external_id(), article.content_sha256())));
  article.set_external_id(input.external_id());
  article.set_source_url(input.source_url());
  article.set_publisher(input.publisher());
  article.set_title(input.title());
  if (input.has_published()) *article.mutable_published() = input.published();
  article.set_extractor_version(extract::kExtractorVersion);

  extract::ArticleContext context;
  context.article_name = article.name();
  if (input.has_published()) {
    context.published = absl::ToCivilDay(
        absl::FromUnixSeconds(input.published().seconds()),
        absl::UTCTimeZone());
  }
  *out.mutable_extraction() = extractor_->Extract(*normalized, context);
  *article.mutable_warnings() = out.extraction().warnings();
  article.set_text(*std::move(normalized));
  return out;
}

absl::StatusOr<v1::ParseArticleResponse> IngestPipeline::Parse(
    const v1::ArticleInput& input) const {
  return Prepare(input);
}

absl::StatusOr<v1::IngestArticleResponse> IngestPipeline::Ingest(
    const v1::ArticleInput& input) {
  ASSIGN_OR_RETURN(v1::ParseArticleResponse prepared, Prepare(input));
  v1::Article& article = *prepared.mutable_article();
  v1::ArticleExtraction& extraction = *prepared.mutable_extraction();

  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(std::optional<v1::Article> stored,
                   store_->GetArticle(article.name()));
  v1::IngestArticleResponse response;
  response.set_article(article.name());
  *response.mutable_warnings() = article.warnings();
  if (stored.has_value() && SameArticle(*stored, article)) {
    response.set_outcome(v1::INGEST_OUTCOME_UNCHANGED);
    response.set_consistency_token(
        absl::StrCat(store_->notifier().head()));
    return response;
  }

  const absl::Time now = clock_();
  *article.mutable_ingest_time() =
      TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(now));

  store::ArticleCommit commit;
  commit.now = now;
  std::set<std::string> new_clusters;
  for (const v1::Summit& summit : extraction.summits()) {
    new_clusters.insert(merge::ClusterKey(summit));
  }
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
    if (new_clusters.count(cluster) > 0) inputs.push_back(extraction);
    merge::MergedCluster merged = merge::MergeCluster(inputs, cluster);
    store::ClusterRecords& records = commit.cluster_records[cluster];
    records.summits = std::move(merged.summits);
    records.declarations = std::move(merged.declarations);
    records.initiatives = std::move(merged.initiatives);
  }
  commit.clusters.assign(new_clusters.begin(), new_clusters.end());
  commit.article = article;
  commit.extraction = std::move(extraction);
  ASSIGN_OR_RETURN(store::CommitResult result, store_->CommitArticle(commit));

  response.set_outcome(stored.has_value() ? v1::INGEST_OUTCOME_UPDATED
                                          : v1::INGEST_OUTCOME_CREATED);
  for (std::string& name : result.changed_summits) {
    response.add_affected_summits(std::move(name));
  }
  response.set_consistency_token(absl::StrCat(result.sequence));
  return response;
}

}  // namespace communique::ingest
