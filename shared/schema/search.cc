#include "shared/schema/search.h"

#include <algorithm>

namespace communique::schema {
namespace {

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c >= 0x80;
}

bool IsStopWord(absl::string_view word) {
  static constexpr absl::string_view kStopWords[] = {
      "a", "an", "and", "at", "by", "for", "from", "in",
      "of", "on", "or", "the", "to", "with"};
  return std::find(std::begin(kStopWords), std::end(kStopWords), word) !=
         std::end(kStopWords);
}

}  // namespace

void AppendSearchWords(absl::string_view text,
                       std::vector<std::string>* words) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsWordByte(text[i])) ++i;
    size_t begin = i;
    while (i < text.size() && IsWordByte(text[i])) ++i;
    if (i - begin < 2) continue;
    const bool cut = i - begin > kMaxSearchWordBytes;
    std::string word(text.substr(begin, std::min(i - begin,
                                                 kMaxSearchWordBytes)));
    if (cut) {
      // Do not keep a UTF-8 sequence cut in half at the end.
      size_t lead = word.size();
      while (lead > 0 &&
             (static_cast<unsigned char>(word[lead - 1]) & 0xC0) == 0x80) {
        --lead;
      }
      if (lead > 0 && static_cast<unsigned char>(word[lead - 1]) >= 0xC0) {
        const unsigned char c = word[lead - 1];
        const size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (lead - 1 + length > word.size()) word.resize(lead - 1);
      }
    }
    for (char& c : word) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (word.size() < 2 || IsStopWord(word)) continue;
    words->push_back(std::move(word));
  }
}

std::vector<std::string> SearchWords(absl::string_view text) {
  std::vector<std::string> words;
  AppendSearchWords(text, &words);
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

}  // namespace communique::schema
