// Detection of text that is not part of an article's body: publisher
// boilerplate lines (subscribe/share/comment prompts), appended interview
// transcripts and template placeholders ("[Guest Name]"). Used by extract to
// skip such text and to report it as warnings. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "shared/text/span.h"

namespace communique::text {

struct BoilerplateLine {
  Span span;           // the whole line, without its "\n"
  std::string reason;  // short lowercase explanation ("subscribe prompt")
};

// Returns the lines of `text` that are publisher boilerplate, in order.
std::vector<BoilerplateLine> FindBoilerplateLines(absl::string_view text);

// Returns the offset where an appended interview / Q&A transcript starts
// (a line opening with "Interviewer:", "**Q:**", "Host:"..., plus the
// headline or lead-in question just before it), or text.size() when there
// is none. Text from there on does not describe the reported event.
size_t FindAppendedTranscript(absl::string_view text);

// Returns the spans of template placeholders such as "[Guest Name]",
// "[Insert Date]", "{{name}}", in order.
std::vector<Span> FindPlaceholders(absl::string_view text);

// Splits `text` into lines (without "\n"), in order.
std::vector<Span> SplitLines(absl::string_view text);

}  // namespace communique::text
