#include "shared/html/article_page.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "shared/html/page.h"

namespace communique::html {
namespace {

// `s` cut to at most `max` bytes at a UTF-8 character boundary, so that
// page metadata always fits the API's field limits.
std::string Clamp(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  return s;
}

}  // namespace

absl::StatusOr<PageArticle> ArticleFromPage(const v1::ArticleInput& input,
                                            absl::string_view prefix) {
  absl::StatusOr<Page> page = ConvertPage(input.html(), input.content_type());
  if (!page.ok()) {
    return absl::Status(page.status().code(),
                        absl::StrCat(prefix, ".html: ", page.status().message()));
  }
  PageArticle out;
  out.input.set_text(std::move(page->text));
  out.input.set_external_id(input.external_id());
  // A canonical URL too long to store is dropped rather than cut.
  out.input.set_source_url(
      !input.source_url().empty()       ? input.source_url()
      : page->canonical_url.size() <= 2048 ? page->canonical_url
                                           : "");
  out.input.set_publisher(input.publisher().empty()
                              ? Clamp(page->site_name, 256)
                              : input.publisher());
  out.input.set_title(input.title().empty() ? Clamp(page->title, 1024)
                                            : input.title());
  if (input.has_published()) {
    *out.input.mutable_published() = input.published();
    out.published_day = absl::ToCivilDay(
        absl::FromUnixSeconds(input.published().seconds()),
        absl::UTCTimeZone());
  } else if (page->published_time.has_value()) {
    *out.input.mutable_published() =
        google::protobuf::util::TimeUtil::SecondsToTimestamp(
            absl::ToUnixSeconds(*page->published_time));
    out.published_day = page->published_day;
  }
  out.warnings = std::move(page->warnings);
  out.language = std::move(page->language);
  out.charset = std::move(page->charset);
  return out;
}

std::string ArticleVersion(absl::string_view extractor_version, bool page) {
  if (!page) return std::string(extractor_version);
  return absl::StrCat(extractor_version, "+", kConverterVersion);
}

}  // namespace communique::html
