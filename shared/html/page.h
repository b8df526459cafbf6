// A fetched web page -> article text and metadata: the bytes as served (any
// charset, with the HTTP Content-Type when known) become the headline and
// body text the extractor reads, plus the title, publication date,
// canonical URL, outlet name and language from the page's markup (JSON-LD,
// OpenGraph, Dublin Core, <time>, <link rel=canonical>, <html lang>).
// Parsing is libxml2's HTML parser; charsets are converted with ICU.
// Pure: no I/O, no clock, no globals of ours. Used by the ingest pipeline
// and the CLI (see ArticleFromPage in article_page.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "communique/v1/article.pb.h"

namespace communique::html {

// Bump when the text or metadata produced for some page changes. Stored
// articles that came as pages carry it beside the extractor version, so
// Reprocess converts them again when it changes.
inline constexpr char kConverterVersion[] = "html-1";

// Largest page accepted, in bytes as served.
inline constexpr size_t kMaxPageBytes = 8 << 20;

// Bounds on the work one page may cause.
struct PageLimits {
  // Pages over this size are rejected. Default: kMaxPageBytes.
  size_t max_page_bytes = kMaxPageBytes;
  // Elements and text nodes visited; the rest of a larger document is
  // ignored with a warning. Default: 1,000,000.
  size_t max_nodes = 1000000;
  // Longest text returned, in bytes; longer text is cut at a line end with
  // a warning. Default: 1 MiB (the API's limit on article text).
  size_t max_text_bytes = 1 << 20;
  // JSON-LD read per page, in bytes; larger blocks are skipped with a
  // warning. Default: 256 KiB.
  size_t max_json_ld_bytes = 256 << 10;
};

// What a page says.
struct Page {
  // The headline, a blank line, then the body: paragraphs separated by
  // blank lines, list items and <br> as lines. UTF-8, not yet normalised
  // (text::NormalizeArticleText comes next, as for plain text).
  std::string text;
  // Headline: og:title, JSON-LD headline, the first <h1>, or <title>
  // without its " | Site" suffix. Empty when the page gives none.
  std::string title;
  // Publication instant, when the markup gives a date (a date without a
  // time is midnight UTC of that day).
  std::optional<absl::Time> published_time;
  // Publication day as the page states it (in the page's own UTC offset);
  // what the extractor takes as the article's date, like a " date
  // YYYY-MM-DD" line.
  std::optional<absl::CivilDay> published_day;
  // Canonical URL: <link rel=canonical>, og:url or JSON-LD url (absolute
  // http(s) URLs only). Empty when none.
  std::string canonical_url;
  // Outlet: og:site_name, JSON-LD publisher.name, application-name or
  // DC.publisher. Empty when none.
  std::string site_name;
  // Language tag: <html lang>, Content-Language, og:locale or JSON-LD
  // inLanguage ("en", "ru-RU"). Empty when none.
  std::string language;
  // The charset the bytes were decoded with (ICU's name).
  std::string charset;
  // What was noticed and worked around: kinds "html_charset",
  // "html_undecodable", "html_nul", "html_depth", "html_nodes",
  // "html_truncated", "html_json_ld", "html_date"; span unset.
  std::vector<v1::Warning> warnings;
};

// Converts a page. `content_type` is the HTTP Content-Type it was served
// with, or empty. INVALID_ARGUMENT (message without a field name; callers
// prefix theirs) when the page is empty, over limits.max_page_bytes, not
// parseable, or has no detectable article body. Undecodable bytes, NUL
// bytes, excessive nesting and the like are warnings, never failures.
// Thread-safe.
absl::StatusOr<Page> ConvertPage(absl::string_view bytes,
                                 absl::string_view content_type,
                                 const PageLimits& limits = PageLimits());

// True when `bytes` start like an HTML document (after an optional
// byte-order mark and whitespace: a doctype, <html>, <head>, <body>,
// <meta>, <title> or a comment), in UTF-8 or UTF-16.
bool LooksLikeHtml(absl::string_view bytes);

// Parses an ISO 8601 date as pages write it ("2019-11-28",
// "2019-11-28T10:15:00+03:00", "2019-11-28 10:15:00Z") into the day as
// written and the instant (midnight UTC for a date alone; UTC when no
// offset is given). nullopt when it is not one.
struct PageDate {
  absl::CivilDay day;
  absl::Time time;
};
std::optional<PageDate> ParsePageDate(absl::string_view value);

}  // namespace communique::html
