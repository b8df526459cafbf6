// Sentence splitting and word tokens for English news text. Used by
// extract to scope its rules. Pure functions; thread-safe.
#pragma once

#include <vector>

#include "absl/strings/string_view.h"
#include "shared/text/span.h"

namespace communique::text {

// Splits `text` (or its part `range`) into sentences, in order. A line
// break always ends a sentence (paragraphs and headlines are separate); so
// does '.', '!' or '?' (with closing quotes/brackets) followed by a space
// and something that can start a sentence, unless the period ends an
// abbreviation ("Nov.", "Mr.", "U.S.") or an initial. Spans exclude the
// surrounding whitespace; empty sentences are skipped.
std::vector<Span> SplitSentences(absl::string_view text);
std::vector<Span> SplitSentences(absl::string_view text, Span range);

enum class TokenKind { kWord, kNumber, kPunctuation };

struct Token {
  Span span;
  TokenKind kind;
};

// Splits `text` into tokens: words (letters, marks, digits, with inner
// apostrophes, hyphens and periods of abbreviations such as "U.S."),
// numbers (digits with inner ',' '.'), and single punctuation characters.
// Whitespace is dropped.
std::vector<Token> Tokenize(absl::string_view text);

}  // namespace communique::text
