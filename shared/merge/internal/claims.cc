#include "shared/merge/internal/claims.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "shared/merge/internal/text_keys.h"
#include "shared/schema/names.h"

namespace communique::merge::internal {

std::string DeterministicBytes(const google::protobuf::MessageLite &message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

// Key under which two spellings of a name compare equal: the slug
// ("Nur-Sultan" == "Nur Sultan" == "nur-sultan"); for text without any
// ASCII letters (e.g. Cyrillic) the lowercased text itself.
std::string TextKey(absl::string_view value) {
  std::string slug = schema::Slugify(value, value.size() + 1);
  if (!slug.empty())
    return slug;
  return internal::LowerText(absl::StripAsciiWhitespace(value));
}

// A date with consistent parts and precision: parts after an unknown part
// are dropped, out-of-range months/days count as unknown.
v1::PartialDate NormalizedDate(const v1::PartialDate &date) {
  v1::PartialDate out;
  if (date.year() == 0)
    return out;
  out.set_year(date.year());
  out.set_precision(v1::DATE_PRECISION_YEAR);
  if (date.month() < 1 || date.month() > 12)
    return out;
  out.set_month(date.month());
  out.set_precision(v1::DATE_PRECISION_MONTH);
  if (date.day() < 1 || date.day() > 31)
    return out;
  out.set_day(date.day());
  out.set_precision(v1::DATE_PRECISION_DAY);
  return out;
}

int Precision(const v1::PartialDate &date) {
  return date.year() == 0 ? 0 : date.month() == 0 ? 1 : date.day() == 0 ? 2 : 3;
}

// Two (normalised) dates can describe the same day: equal wherever both are
// known. An unknown date is compatible with every date.
bool DatesCompatible(const v1::PartialDate &a, const v1::PartialDate &b) {
  if (a.year() == 0 || b.year() == 0)
    return true;
  if (a.year() != b.year())
    return false;
  if (a.month() != 0 && b.month() != 0 && a.month() != b.month())
    return false;
  if (a.day() != 0 && b.day() != 0 && a.day() != b.day())
    return false;
  return true;
}

// Inverse of schema::FormatPartialDate for the values this file produces.
v1::PartialDate ParseDateKey(absl::string_view key) {
  v1::PartialDate date;
  std::vector<absl::string_view> parts = absl::StrSplit(key, '-');
  int value = 0;
  if (parts.size() >= 1 && absl::SimpleAtoi(parts[0], &value)) {
    date.set_year(value);
  }
  if (parts.size() >= 2 && absl::SimpleAtoi(parts[1], &value)) {
    date.set_month(value);
  }
  if (parts.size() >= 3 && absl::SimpleAtoi(parts[2], &value)) {
    date.set_day(value);
  }
  return NormalizedDate(date);
}

namespace {

auto EvidenceKey(const v1::Evidence &e) {
  return std::make_tuple(absl::string_view(e.article()), e.begin(), e.end(),
                         absl::string_view(e.quote()));
}

bool EvidenceLess(const v1::Evidence &a, const v1::Evidence &b) {
  return EvidenceKey(a) < EvidenceKey(b);
}

bool EvidenceEqual(const v1::Evidence &a, const v1::Evidence &b) {
  return EvidenceKey(a) == EvidenceKey(b);
}

} // namespace

// Sorts by (article, begin, end, quote) and drops repeats.
void SortEvidence(std::vector<v1::Evidence> &evidence) {
  std::sort(evidence.begin(), evidence.end(), EvidenceLess);
  evidence.erase(std::unique(evidence.begin(), evidence.end(), EvidenceEqual),
                 evidence.end());
}

// Confidence from integer tenths, so that no floating-point summation order
// can change the bytes.
double Tenths(int tenths) {
  return static_cast<double>(std::clamp(tenths, 0, 10)) / 10.0;
}

// A value stated by several articles: the value with the most distinct
// supporting articles wins, then the smallest value. Empty values are not
// statements and are skipped. Returns "" when nothing is stated.
std::string PickBySupport(
    const std::vector<std::pair<std::string, std::string>> &article_values) {
  std::map<std::string, std::set<std::string>> support;
  for (const auto &[article, value] : article_values) {
    if (!value.empty())
      support[value].insert(article);
  }
  std::string best;
  size_t best_support = 0;
  for (const auto &[value, articles] : support) { // ascending by value
    if (articles.size() > best_support) {
      best = value;
      best_support = articles.size();
    }
  }
  return best;
}

// Gives each record an id unique among `bases`: records are taken in order
// of (base, order_key); the first with a base keeps it, later ones get
// "{base}-2", "{base}-3", ... skipping ids that are taken.
std::vector<std::string> AssignIds(
    const std::vector<std::pair<std::string, std::string>> &base_and_order) {
  std::vector<size_t> order(base_and_order.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return base_and_order[a] < base_and_order[b];
  });
  std::vector<std::string> ids(base_and_order.size());
  std::set<std::string> used;
  std::vector<size_t> collided;
  for (size_t i : order) {
    if (used.insert(base_and_order[i].first).second) {
      ids[i] = base_and_order[i].first;
    } else {
      collided.push_back(i);
    }
  }
  for (size_t i : collided) {
    for (int n = 2;; ++n) {
      std::string candidate = absl::StrCat(base_and_order[i].first, "-", n);
      if (used.insert(candidate).second) {
        ids[i] = std::move(candidate);
        break;
      }
    }
  }
  return ids;
}

namespace {

struct ClaimGroup {
  std::string value; // display value: the most supported spelling
  std::map<std::string, std::set<std::string>> spellings;
  std::set<std::string> articles;
  std::vector<v1::Evidence> evidence;
  int precision = 0;
  int64_t number = 0;
};

bool ValueLess(ValueKind kind, const ClaimGroup &a, const ClaimGroup &b) {
  if (kind == ValueKind::kCount && a.number != b.number) {
    return a.number < b.number;
  }
  return a.value < b.value;
}

bool DateKeysCompatible(absl::string_view a, absl::string_view b) {
  return absl::StartsWith(a, b) || absl::StartsWith(b, a);
}

} // namespace

// Merges every article's claim on `field`: the chosen value is the most
// precise (dates only), then the one with most distinct articles, then the
// smallest. Claims are listed chosen first, then by support (descending) and
// value. The field is disputed when two claims are incompatible (different
// names or counts; dates that differ where both are known) and `disputable`.
FieldMerge MergeField(absl::string_view field, ValueKind kind,
                      const std::vector<Claim> &claims, bool disputable) {
  std::map<std::string, ClaimGroup> groups;
  for (const Claim &claim : claims) {
    if (claim.value.empty())
      continue;
    std::string key =
        kind == ValueKind::kText ? TextKey(claim.value) : claim.value;
    ClaimGroup &group = groups[key];
    group.spellings[claim.value].insert(claim.article);
    group.articles.insert(claim.article);
    group.evidence.insert(group.evidence.end(), claim.evidence.begin(),
                          claim.evidence.end());
  }
  FieldMerge result;
  if (groups.empty())
    return result;
  std::vector<ClaimGroup *> order;
  for (auto &[key, group] : groups) {
    size_t best_support = 0;
    for (const auto &[spelling, articles] : group.spellings) {
      if (articles.size() > best_support) {
        group.value = spelling;
        best_support = articles.size();
      }
    }
    if (kind == ValueKind::kDate) {
      group.precision = Precision(ParseDateKey(group.value));
    }
    if (kind == ValueKind::kCount) {
      absl::SimpleAtoi(group.value, &group.number);
    }
    order.push_back(&group);
  }
  auto by_support = [&](const ClaimGroup *a, const ClaimGroup *b) {
    if (a->articles.size() != b->articles.size()) {
      return a->articles.size() > b->articles.size();
    }
    return ValueLess(kind, *a, *b);
  };
  std::sort(order.begin(), order.end(),
            [&](const ClaimGroup *a, const ClaimGroup *b) {
              if (a->precision != b->precision) {
                return a->precision > b->precision;
              }
              return by_support(a, b);
            });
  std::sort(order.begin() + 1, order.end(), by_support);

  bool disputed = false;
  for (size_t i = 0; i < order.size() && !disputed; ++i) {
    for (size_t j = i + 1; j < order.size(); ++j) {
      if (kind != ValueKind::kDate ||
          !DateKeysCompatible(order[i]->value, order[j]->value)) {
        disputed = true;
        break;
      }
    }
  }
  result.value = order.front()->value;
  result.sources.set_field(std::string(field));
  result.sources.set_disputed(disputed && disputable);
  for (ClaimGroup *group : order) {
    v1::FieldClaim *out = result.sources.add_claims();
    out->set_value(group->value);
    for (const std::string &article : group->articles) {
      out->add_articles(article);
    }
    SetEvidence(std::move(group->evidence), out->mutable_evidence());
  }
  return result;
}

// Adds a merged field's provenance to `sources` (and its path to

} // namespace communique::merge::internal
