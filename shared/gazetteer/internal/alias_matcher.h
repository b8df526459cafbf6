// Aho-Corasick automaton over gazetteer aliases, compiled to a dense DFA on
// a reduced byte alphabet. ASCII letters match case-insensitively unless a
// pattern asks for exact case; '-' and ' ' are interchangeable; matches
// must start and end on word boundaries (a trailing plural "s" is allowed
// for case-insensitive patterns). Immutable after Build; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "shared/text/span.h"

namespace communique::gazetteer::internal {

struct AliasMatch {
  text::Span span;
  int32_t pattern;  // index of the pattern passed to Add
};

class AliasMatcher {
 public:
  // Adds a pattern; returns its index. `exact_case` makes ASCII letters
  // match only in the case given. Must be called before Build.
  int32_t Add(absl::string_view pattern, bool exact_case);
  // Compiles the automaton. Call once, after all Adds.
  void Build();

  // All word-bounded matches in `text`, including overlapping ones, ordered
  // by start then by decreasing length.
  std::vector<AliasMatch> FindAll(absl::string_view text) const;
  // Leftmost-longest, non-overlapping subset of FindAll (matches of
  // different patterns on the very same span are all kept).
  std::vector<AliasMatch> FindLongest(absl::string_view text) const;

  size_t pattern_count() const { return patterns_.size(); }
  size_t state_count() const { return output_.size(); }

 private:
  struct Pattern {
    std::string text;  // as given
    bool exact_case;
  };
  bool Accept(absl::string_view text, size_t begin, size_t end,
              const Pattern& pattern) const;

  std::vector<Pattern> patterns_;
  uint8_t byte_class_[256] = {};
  int num_classes_ = 1;
  // Dense transitions, premultiplied and tagged so that the scan loop does
  // one add and one load per byte: dfa_[row + class] = (target row << 1) |
  // 1 if some pattern ends at the target or on its suffix chain, where a
  // state's row is state * num_classes_. Most bytes end no pattern, so the
  // output tables below are only read behind that bit.
  std::vector<uint32_t> dfa_;
  // First state on a state's own dictionary-suffix chain (itself included)
  // at which a pattern ends (-1 if none).
  std::vector<int32_t> emit_;
  // First pattern ending at a state (-1 if none), and the next state on the
  // dictionary-suffix chain that has an output (-1 if none).
  std::vector<int32_t> output_;
  std::vector<int32_t> output_link_;
  // Patterns sharing one trie node (duplicates after folding).
  std::vector<int32_t> same_node_next_;
};

}  // namespace communique::gazetteer::internal
