// html_tool: prints, for each page file named on the command line, one JSON
// line with what ConvertPage found: file, title, published (the page's
// day, YYYY-MM-DD, or ""), published_time (UTC, RFC 3339, or ""),
// canonical_url, site_name, language, charset, text_bytes, warnings (kinds),
// and the text itself with --text. The page-fixture test reads it to score
// metadata; handy for looking at a page by hand too.
//   html_tool [--text] [--content_type=CT] FILE...
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "shared/html/page.h"

namespace {

std::string Json(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  bool with_text = false;
  std::string content_type;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--text") {
      with_text = true;
    } else if (absl::StartsWith(arg, "--content_type=")) {
      content_type = arg.substr(15);
    } else {
      files.push_back(arg);
    }
  }
  int failures = 0;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string base = file.substr(file.find_last_of('/') + 1);
    auto page = communique::html::ConvertPage(buffer.str(), content_type);
    if (!page.ok()) {
      std::cout << "{\"file\":" << Json(base)
                << ",\"error\":" << Json(std::string(page.status().message()))
                << "}\n";
      ++failures;
      continue;
    }
    std::string day, time;
    if (page->published_day) day = absl::FormatCivilTime(*page->published_day);
    if (page->published_time) {
      time = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", *page->published_time,
                              absl::UTCTimeZone());
    }
    std::string warnings;
    for (const auto& w : page->warnings) {
      warnings += (warnings.empty() ? "" : ",") + Json(w.kind());
    }
    std::cout << "{\"file\":" << Json(base) << ",\"title\":" << Json(page->title)
              << ",\"published\":" << Json(day)
              << ",\"published_time\":" << Json(time)
              << ",\"canonical_url\":" << Json(page->canonical_url)
              << ",\"site_name\":" << Json(page->site_name)
              << ",\"language\":" << Json(page->language)
              << ",\"charset\":" << Json(page->charset)
              << ",\"text_bytes\":" << page->text.size()
              << ",\"warnings\":[" << warnings << "]";
    if (with_text) std::cout << ",\"text\":" << Json(page->text);
    std::cout << "}\n";
  }
  return failures == 0 ? 0 : 1;
}
