// Run helpers shared by every step, and the assembly of the ArticleExtraction.
#include "shared/extract/internal/run.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/types/span.h"
#include "shared/extract/internal/dates.h"
#include "shared/extract/internal/lists.h"
#include "shared/schema/names.h"
#include "shared/text/boilerplate.h"
#include "shared/text/garbled.h"
#include "shared/text/sentences.h"
#include "shared/text/utf8.h"

namespace communique::extract::internal {

// ---------------------------------------------------------------------------

v1::Evidence Run::MakeEvidence(Span span) const {
  v1::Evidence e;
  e.set_article(ctx_.article_name);
  e.set_begin(static_cast<uint32_t>(span.begin));
  e.set_end(static_cast<uint32_t>(span.end));
  absl::string_view quote = span.Of(text_);
  if (quote.size() > kMaxQuote) {
    size_t cut = kMaxQuote - 3;
    while (cut > 0 && (static_cast<unsigned char>(quote[cut]) & 0xC0) == 0x80)
      --cut;
    e.set_quote(absl::StrCat(quote.substr(0, cut), "\xE2\x80\xA6"));
  } else {
    e.set_quote(std::string(quote));
  }
  return e;
}

void Run::AddWarning(absl::string_view kind, std::string message, Span span) {
  v1::Warning* w = out_.add_warnings();
  w->set_kind(std::string(kind));
  w->set_message(std::move(message));
  if (!span.empty()) *w->mutable_span() = MakeEvidence(span);
}

bool Run::Excluded(Span span) const {
  if (span.begin >= body_end_) return true;
  for (const Span& e : excluded_)
    if (e.Overlaps(span)) return true;
  for (const Span& e : garbled_)
    if (e.Overlaps(span)) return true;
  return false;
}

const EntityRef* Run::RefOfKind(const Mention& m, EntityKind kind) const {
  for (const EntityRef& r : m.refs)
    if (r.kind == kind) return &r;
  return nullptr;
}

int Run::SentenceOf(size_t pos) const {
  // Sentences are in text order and do not overlap.
  auto it = std::upper_bound(
      sentences_.begin(), sentences_.end(), pos,
      [](size_t p, const Sentence& s) { return p < s.span.begin; });
  if (it == sentences_.begin()) return -1;
  --it;
  if (pos < it->span.end) return static_cast<int>(it - sentences_.begin());
  return -1;
}

DayRange Run::SummitRange() const {
  if (date_.year() == 0) {
    return {absl::CivilDay(1900, 1, 1), absl::CivilDay(2100, 12, 31)};
  }
  if (date_.day() != 0) {
    return gazetteer::DayRangeOf(
        absl::CivilDay(date_.year(), date_.month(), date_.day()));
  }
  if (date_.month() != 0) {
    absl::CivilMonth m(date_.year(), date_.month());
    return {absl::CivilDay(m), absl::CivilDay(m + 1) - 1};
  }
  return gazetteer::YearRange(date_.year());
}

const std::vector<TextDate>& Run::DatesIn(const Sentence& s,
                                          bool bare_years) const {
  size_t si = static_cast<size_t>(&s - sentences_.data());
  auto& memo = sentence_dates_[bare_years ? 1 : 0];
  auto& have = have_sentence_dates_[bare_years ? 1 : 0];
  if (memo.size() != sentences_.size()) {
    memo.assign(sentences_.size(), {});
    have.assign(sentences_.size(), false);
  }
  if (!have[si]) {
    memo[si] = internal::FindDates(text_, s.span, bare_years);
    have[si] = true;
  }
  return memo[si];
}

std::optional<TextDate> Run::FirstDateWithYear(Span range) const {
  for (const TextDate& d : internal::FindDates(text_, range, true)) {
    if (d.year != 0) return d;
  }
  return std::nullopt;
}

v1::ArticleExtraction Run::Extract() {
  out_.set_article(ctx_.article_name);
  out_.set_extractor_version(kExtractorVersion);
  FindBodyAndWarnings();
  SplitBody();
  if (!ChooseSummit()) {
    AddWarning("no_summit",
               "no session of a known organisation's body is described", {});
    return std::move(out_);
  }
  topic_mentions_ = g_.FindTopics(absl::string_view(text_).substr(0, body_end_));
  InferDate();
  FindLocation();
  FindFormats();
  // A session held wholly by video link has no place, whatever the
  // outlet's dateline says (CONVENTIONS.md).
  if (std::find(formats_.begin(), formats_.end(),
                v1::SUMMIT_FORMAT_VIDEOCONFERENCE) != formats_.end()) {
    city_.clear();
    country_.clear();
    location_evidence_ = {};
  }
  FindParticipants();
  FindPresiding();
  FindChairs();
  FindDocumentsCount();
  FindTopics();

  const auto& org = g_.data().organizations(org_);
  summit_name_ =
      schema::SummitName(schema::SummitId(org.acronym(), date_, city_));
  v1::Summit* summit = out_.add_summits();
  summit->set_name(summit_name_);
  summit->set_organization(org.acronym());
  summit->set_body(org.bodies(body_).name());
  if (date_.year() != 0) *summit->mutable_date() = date_;
  if (!city_.empty() || !country_.empty()) {
    summit->mutable_location()->set_city(city_);
    summit->mutable_location()->set_country(country_);
  }
  for (v1::SummitFormat f : formats_) summit->add_formats(f);
  summit->set_chair_country(chair_country_);
  if (presiding_person_ >= 0)
    summit->set_presiding(g_.data().people(presiding_person_).name());
  bool named = false;
  for (const ParticipantDraft& d : participants_) {
    v1::Participant* p = summit->add_participants();
    if (d.who.person >= 0) {
      p->set_name(g_.data().people(d.who.person).name());
      p->set_person_id(g_.data().people(d.who.person).id());
      named = true;
    }
    p->set_role(d.who.role);
    p->set_country(d.who.country);
    if (d.who.country.empty()) p->set_organization(d.who.organization);
    p->set_remote(d.remote);
    for (const Span& s : d.evidence) *p->add_evidence() = MakeEvidence(s);
  }
  if (!next_chair_country_.empty()) {
    v1::NextChair* nc = summit->mutable_next_chair();
    nc->set_country(next_chair_country_);
    if (next_chair_from_.year() != 0) *nc->mutable_from_date() = next_chair_from_;
    *nc->add_evidence() = MakeEvidence(next_chair_evidence_);
  }
  summit->set_documents_adopted_count(documents_count_);
  for (const std::string& t : topics_) summit->add_topics(t);
  if (!summit_evidence_.empty())
    *summit->add_evidence() = MakeEvidence(summit_evidence_);
  if (!date_evidence_.empty())
    *summit->add_evidence() = MakeEvidence(date_evidence_);
  if (!location_evidence_.empty())
    *summit->add_evidence() = MakeEvidence(location_evidence_);
  summit->add_source_articles(ctx_.article_name);
  summit->set_extractor_version(kExtractorVersion);
  double confidence = 0.5;
  if (date_.year() != 0) confidence += 0.1;
  if (!city_.empty() || !country_.empty()) confidence += 0.1;
  if (named) confidence += 0.1;
  // Tenths exactly (0.8, not 0.7999999999999999), as summit.proto documents.
  summit->set_confidence(std::round(confidence * 10) / 10);

  FindDeclarations();
  FindInitiatives();
  for (const auto& d : out_.declarations()) summit->add_declarations(d.name());
  for (const auto& i : out_.initiatives()) summit->add_initiatives(i.name());
  return std::move(out_);
}


}  // namespace communique::extract::internal
