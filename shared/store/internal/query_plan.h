// Internal to shared/store: how the query store answers a List. A filter
// becomes a Plan (posting lists to intersect, a {date, name} suffix range);
// a PostingCursor walks one posting list of the `index` family; and
// LeapfrogJoin intersects the cursors in suffix order, so a page costs
// seeks proportional to what it returns. PlanMatchesKeys is the in-memory
// twin of the join (WatchSummits' filter), so watches and lists agree.
// Plans are pure; a cursor belongs to one thread. Only query_store.cc
// includes this.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "communique/v1/query_service.pb.h"
#include "rocksdb/db.h"
#include "shared/store/internal/db.h"
#include "shared/store/query_store.h"

namespace communique::store::internal {

// A query as posting lists to intersect and a (date) suffix range.
struct Plan {
  std::vector<std::string> prefixes;
  // Inclusive bounds on the {date, name} suffix.
  std::string lo;
  std::string hi = "\xff";
  bool ranged = false;
};

// The plans of the three List methods.
Plan SummitPlan(const v1::SummitFilter& f);
Plan DeclarationPlan(const DeclarationQuery& q);
Plan InitiativePlan(const InitiativeQuery& q);

// One posting list, positioned by suffix ({date, name}).
class PostingCursor {
 public:
  PostingCursor(std::unique_ptr<rocksdb::Iterator> it, std::string prefix,
                ReadStats* stats)
      : it_(std::move(it)), prefix_(std::move(prefix)), stats_(stats) {}

  // Moves to the first entry whose suffix is >= target (> if `exclusive`)
  // when `forward`, else to the last one <= target (< if `exclusive`).
  // Does not move when already there. False at the end of the list.
  bool Seek(absl::string_view target, bool exclusive, bool forward) {
    if (positioned_ && Valid()) {
      const absl::string_view now = suffix();
      const bool there = forward ? (exclusive ? now > target : now >= target)
                                 : (exclusive ? now < target : now <= target);
      if (there) return true;
      // Just past the entry we are on (the join's step after a match):
      // one step, not a fresh seek. A seek from the top costs a search of
      // every memtable and level; a descending one (SeekForPrev + Prev)
      // costs two.
      if (exclusive && now == target) {
        if (forward) {
          it_->Next();
        } else {
          it_->Prev();
        }
        Count();
        return Valid();
      }
    }
    positioned_ = true;
    const std::string key = prefix_ + std::string(target);
    if (forward) {
      it_->Seek(ToSlice(key));
      Count();
      if (exclusive && it_->Valid() && ToView(it_->key()) == key) {
        it_->Next();
        Count();
      }
    } else {
      it_->SeekForPrev(ToSlice(key));
      Count();
      if (exclusive && it_->Valid() && ToView(it_->key()) == key) {
        it_->Prev();
        Count();
      }
    }
    return Valid();
  }

  bool Valid() const {
    return it_->Valid() && absl::StartsWith(ToView(it_->key()), prefix_);
  }
  absl::string_view suffix() const {
    return ToView(it_->key()).substr(prefix_.size());
  }
  absl::Status status() const { return FromRocks(it_->status(), "index"); }

 private:
  void Count() {
    if (stats_ != nullptr && Valid()) ++stats_->index_entries_read;
  }

  std::unique_ptr<rocksdb::Iterator> it_;
  std::string prefix_;
  ReadStats* stats_;
  bool positioned_ = false;
};

// The name at the end of a {date, name} suffix.
absl::string_view NameOfSuffix(absl::string_view suffix);

// Whether a record with these index keys (as posting prefixes) and this
// {date, name} suffix matches the plan: the in-memory twin of the join, so
// WatchSummits and ListSummits always agree.
bool PlanMatchesKeys(const Plan& plan, const std::string& date_name_suffix,
                     const std::set<std::string>& prefixes);

// The leapfrog join: walks the suffixes present in every one of `cursors`
// (one per plan prefix, in plan order) inside [plan.lo, plan.hi], ascending
// or descending, starting at `resume_after` (exclusive) or at the range's
// end when it is empty, and calls `visit` with each. `visit` returns true
// to go on, false to stop because the page is full; its errors end the
// join. Returns true when it stopped for `visit` (there may be more), false
// when the lists ran out; an iterator's error as its status.
absl::StatusOr<bool> LeapfrogJoin(
    const Plan& plan, std::vector<PostingCursor>& cursors,
    const std::string& resume_after, bool ascending,
    const std::function<absl::StatusOr<bool>(const std::string& suffix)>&
        visit);

}  // namespace communique::store::internal
