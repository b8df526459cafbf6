// The ingest pipeline: validate -> normalise -> extract -> merge the
// affected clusters -> one atomic store commit. Also deletion and
// re-processing of stored articles, which re-derive every record they touch
// the same way. Policy for the write side, independent of gRPC so it is
// tested directly. Thread-safe: commits are serialised (the ingest service
// is the single writer); extraction runs outside the writer lock, and
// concurrent commits share one write-ahead-log fsync (group commit: see
// IngestStore::AwaitDurable).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "communique/v1/ingest_service.pb.h"
#include "shared/extract/extractor.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/merge/merge.h"
#include "shared/store/ingest_store.h"

namespace communique::ingest {

// Naming rules from the gazetteer: sessions of bodies without
// heads_of_state carry the body in their id, so two bodies of one
// organisation meeting the same day in the same city get distinct names.
merge::NamingRules NamingRulesFrom(const gazetteer::Gazetteer& gazetteer);

// Which stored articles a Reprocess call looks at.
struct ReprocessRequest {
  // At most this many articles are examined. Must be > 0.
  int page_size = 100;
  // Resume after this article name (exclusive); empty = from the start.
  std::string resume_after;
  // Only articles whose stored extractor_version differs from the current
  // extractor's. Default: false (all).
  bool only_outdated = false;
};

// What a Reprocess call did.
struct ReprocessResult {
  v1::ReprocessResponse response;  // counts, affected summits, token
  std::string resume_after;        // where the next page starts; "" = done
};

class IngestPipeline {
 public:
  using Clock = std::function<absl::Time()>;

  struct Options {
    // How summits are named. Default: no body in any id (see NamingRules);
    // the service passes NamingRulesFrom(gazetteer).
    merge::NamingRules naming;
    // Time source for ingest_time and the store's timestamps.
    // Default: absl::Now.
    Clock clock = absl::Now;
    // Called after every Ingest with its result (a response, or the error
    // that rejected the article), for metrics. Must be cheap and
    // thread-safe. Default: none.
    std::function<void(const absl::StatusOr<v1::IngestArticleResponse>&)>
        on_ingest;
  };

  // `store` and `extractor` are not owned and must outlive the pipeline.
  IngestPipeline(store::IngestStore* store, const extract::Extractor* extractor,
                 Options options)
      : store_(store), extractor_(extractor), options_(std::move(options)) {}
  IngestPipeline(store::IngestStore* store, const extract::Extractor* extractor)
      : IngestPipeline(store, extractor, Options()) {}

  // Stores the article and the records derived from it, atomically and
  // durably: Prepare, Commit and Acknowledge in one call.
  // INVALID_ARGUMENT naming the field for bad input (nothing stored);
  // UNAVAILABLE / RESOURCE_EXHAUSTED for storage trouble (when the write
  // failed nothing is stored; when the fsync after it failed the outcome
  // is unknown: retrying is safe, as ingest is idempotent). Re-ingesting
  // identical content is UNCHANGED and writes nothing.
  absl::StatusOr<v1::IngestArticleResponse> Ingest(
      const v1::ArticleInput& input) ABSL_LOCKS_EXCLUDED(mu_);

  // The three stages of Ingest, for callers that overlap articles (the
  // bulk stream): Prepare any number in parallel, Commit them one at a
  // time in the order they should apply, Acknowledge in parallel. Commits
  // acknowledged at about the same time share one write-ahead-log fsync.
  //
  // An article validated, converted (when it came as a page) and
  // extracted, ready to commit.
  struct Prepared {
    // The article as it will be stored, and its extraction.
    v1::ParseArticleResponse parsed;
    // The caller's input when the article came as a page (`html` set),
    // stored beside it for Reprocess; empty `html` otherwise.
    v1::ArticleInput page;
  };
  // A commit written but not yet acknowledged.
  struct Pending {
    v1::IngestArticleResponse response;
    uint64_t write = 0;  // store ticket for IngestStore::AwaitDurable
  };
  // Stage 1: validates, converts a page to text (filling empty metadata
  // from it), normalises and extracts (Parse). Thread-safe, no lock, no
  // store access. INVALID_ARGUMENT naming the field (`article.html` for a
  // page without a detectable body).
  absl::StatusOr<Prepared> Prepare(const v1::ArticleInput& input) const;
  // Stage 2: merges the affected clusters and writes one atomic batch
  // under the writer lock. The write is visible to later commits at once
  // but not yet durable, and must not be acknowledged before stage 3.
  absl::StatusOr<Pending> Commit(Prepared prepared) ABSL_LOCKS_EXCLUDED(mu_);
  // Stage 3: waits until the commit is durable (sharing the fsync with
  // concurrent commits) and returns the response to acknowledge; errors
  // from stages 1-2 pass through. Reports the result to Options::on_ingest.
  absl::StatusOr<v1::IngestArticleResponse> Acknowledge(
      absl::StatusOr<Pending> pending);

  // Converts (a page), normalises and extracts without storing anything.
  absl::StatusOr<v1::ParseArticleResponse> Parse(
      const v1::ArticleInput& input) const;

  // Removes article `name` ("articles/{article}") and its extraction and
  // re-derives every cluster it was in, atomically: a summit only it
  // supported is deleted, a shared one loses its claims (and may be renamed,
  // leaving an alias). INVALID_ARGUMENT for a malformed name; NOT_FOUND if
  // no such article is stored; UNAVAILABLE for storage trouble (nothing
  // changed).
  absl::StatusOr<v1::DeleteArticleResponse> Delete(absl::string_view name)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Re-runs the current extractor over one page of stored articles (in name
  // order) and re-derives what changed. Each article is one atomic commit,
  // and the writer lock is released between articles, so ingests interleave
  // with a long re-processing. Articles whose new extraction equals the
  // stored one (same extractor version) write nothing. INVALID_ARGUMENT if
  // page_size <= 0; UNAVAILABLE / DATA_LOSS for storage trouble (articles
  // before the failing one stay re-processed).
  absl::StatusOr<ReprocessResult> Reprocess(const ReprocessRequest& request)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // Stage 3 without the on_ingest report.
  absl::StatusOr<v1::IngestArticleResponse> AwaitDurable(
      absl::StatusOr<Pending> pending);

  // Prepare, naming the article `name` when it is not empty (Reprocess
  // keeps a stored article's name whatever its new text hashes to).
  absl::StatusOr<Prepared> PrepareNamed(const v1::ArticleInput& input,
                                        absl::string_view name) const;

  // Re-merges every cluster the article was or will be in and commits.
  // `extraction` null = delete the article. `page`: the page input stored
  // beside the article, or null for plain text.
  absl::StatusOr<store::CommitResult> CommitLocked(
      const v1::Article& article, const v1::ArticleExtraction* extraction,
      const v1::ArticleInput* page) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Re-processes one stored article. Sets *changed when it wrote.
  absl::Status ReprocessOne(const std::string& name, bool* changed,
                            v1::ReprocessResponse* response)
      ABSL_LOCKS_EXCLUDED(mu_);

  store::IngestStore* store_;
  const extract::Extractor* extractor_;
  const Options options_;
  absl::Mutex mu_;
};

}  // namespace communique::ingest
