// The per-article working state of the extractor: one annotated view of
// the article (body, lines, sentences, gazetteer mentions, dates, keyword
// indexes) and the summit being built. Each analysis step is a member
// defined in the file of its concern (summit_choice.cc, session_date.cc,
// place.cc, formats.cc, participants.cc, chairmanship.cc, documents.cc,
// initiatives.cc, topics.cc); run.cc assembles the output. One Run per
// Extract call; not shared between threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "communique/v1/article.pb.h"
#include "shared/extract/extractor.h"
#include "shared/extract/internal/dates.h"
#include "shared/extract/internal/vocabulary.h"
#include "shared/extract/internal/word_index.h"
#include "shared/gazetteer/gazetteer.h"
#include "shared/text/span.h"

namespace communique::extract::internal {

using gazetteer::DayRange;
using gazetteer::EntityKind;
using gazetteer::EntityRef;
using gazetteer::Gazetteer;
using gazetteer::Mention;
using text::Span;

inline constexpr size_t kMaxQuote = 300;

// ---------------------------------------------------------------------------
// The per-article working state.

struct Sentence {
  Span span;
  size_t line;         // index of the paragraph (line) it is in
  int first_mention;   // mentions [first_mention, end_mention)
  int end_mention;
};

// A person, state or organisation official that a phrase refers to.
struct Referent {
  int person = -1;         // gazetteer person index
  std::string country;     // state name
  std::string organization;
  std::string role;        // canonical role
  bool valid() const {
    return person >= 0 || !country.empty() || !organization.empty();
  }
};

struct ParticipantDraft {
  Referent who;
  bool remote = false;
  std::vector<Span> evidence;
  bool named_in_text = false;
  // A state named bare in a sentence about who took part ("leaders of
  // Russia, Belarus and Armenia"): its role is assumed.
  bool bare_state = false;
};

// A list item: its byte span in the text.
struct Item {
  size_t begin;
  size_t end;
};
// Splits [begin, end) of the lowercased text into the items of a
// coordinated list ("A, the B and the C"); see document_lists.cc.
std::vector<Item> SplitList(absl::string_view lower, size_t begin, size_t end);

// A document adopted at the session, before it becomes a Declaration.
struct DeclarationDraft {
  std::string title;
  std::string subject;
  v1::DeclarationKind kind;
  v1::DeclarationStatus status;
  Span evidence;
  bool has_verb;
};

class Run {
 public:
  Run(const Gazetteer& g, absl::string_view text, const ArticleContext& ctx)
      : g_(g),
        text_(text),
        ctx_(ctx),
        lower_(LowerAscii(text)),
        words_(lower_),
        lists_(words_) {}

  v1::ArticleExtraction Extract();

 private:
  // Analysis steps.
  void FindBodyAndWarnings();
  void SplitBody();
  bool ChooseSummit();
  void InferDate();
  bool AboutSession(const Sentence& s) const;
  bool NamesOtherBody(const Sentence& s) const;
  bool RelativeToPublication(absl::CivilDay published);
  int YearFromWeekdayAndRoster(const TextDate& date) const;
  void FindLocation();
  void FindFormats();
  void FindParticipants();
  void FindChairs();
  void FindPresiding();
  void ApplyDatedChairmanship(std::string* text_chair);
  bool SentenceNamesCountry(const Sentence& s, const std::string& country) const;
  void FindDocumentsCount();
  void FindDeclarations();
  // Documents named in lists and list-like frames ("decisions on A, B and
  // C", "the key documents include X, Y and Z", "Four of them deal with
  // ..."); skips spans already in `consumed`. Defined in document_lists.cc.
  void FindDocumentLists(std::vector<DeclarationDraft>* drafts,
                         std::vector<Span>* consumed);
  void FindInitiatives();
  bool DocumentIsSubject(Span sentence, size_t cue) const;
  void FindTopics();
  void FindOutsideCooperation(std::vector<bool>* seen);
  bool DescribesAPerson(Span span) const;
  void AddWarning(absl::string_view kind, std::string message, Span span);

  // Helpers.
  v1::Evidence MakeEvidence(Span span) const;
  bool Excluded(Span span) const;
  const EntityRef* RefOfKind(const Mention& m, EntityKind kind) const;
  DayRange SummitRange() const;
  std::string CountryOfPerson(int person) const;
  std::string RoleOfPerson(int person) const;
  Referent ResolveRole(const std::string& role, const std::string& country,
                       const std::string& organization) const;
  // The referent of mention `i` (person, state, demonym+role...), or an
  // invalid one. Sets *consumed to the last mention index it used.
  Referent ReferentAt(int i, int* consumed) const;
  int SentenceOf(size_t pos) const;
  Referent FocusBefore(size_t pos) const;
  std::string CountryOfReferent(const Referent& r) const {
    if (!r.country.empty()) return r.country;
    if (r.person >= 0) return CountryOfPerson(r.person);
    return "";
  }
  void AddParticipant(ParticipantDraft draft);
  std::optional<TextDate> FirstDateWithYear(Span range) const;
  // internal::FindDates over sentence `s` (one of sentences_), memoised:
  // several rules ask for the dates of the same sentences.
  const std::vector<TextDate>& DatesIn(const Sentence& s,
                                       bool bare_years) const;

  const Gazetteer& g_;
  absl::string_view text_;
  const ArticleContext& ctx_;
  std::string lower_;
  WordIndex words_;
  WordListIndex lists_;
  // Topic phrase occurrences in the body, found once.
  std::vector<gazetteer::TopicMention> topic_mentions_;

  v1::ArticleExtraction out_;
  size_t body_end_ = 0;
  std::vector<Span> excluded_;
  std::vector<Span> garbled_;
  std::vector<Span> lines_;
  std::vector<Sentence> sentences_;
  std::vector<Mention> mentions_;
  // DatesIn's memo, per sentence: [bare_years].
  mutable std::vector<std::vector<TextDate>> sentence_dates_[2];
  mutable std::vector<bool> have_sentence_dates_[2];

  // The summit being built.
  int org_ = -1;
  int body_ = -1;
  Span summit_evidence_;
  v1::PartialDate date_;
  Span date_evidence_;
  std::optional<TextDate> header_date_;
  std::string city_;
  std::string country_;
  Span location_evidence_;
  std::vector<ParticipantDraft> participants_;
  int presiding_person_ = -1;
  std::string chair_country_;
  // The chair in office on the session's date, from the gazetteer.
  std::string dated_chair_;
  std::string next_chair_country_;
  v1::PartialDate next_chair_from_;
  Span next_chair_evidence_;
  std::vector<v1::SummitFormat> formats_;
  int documents_count_ = 0;
  std::vector<std::string> topics_;
  std::string summit_name_;
};

}  // namespace communique::extract::internal
