#include "cli/article_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "shared/html/article_page.h"
#include "shared/html/page.h"
#include "shared/schema/validation.h"
#include "shared/status/status_macros.h"
#include "shared/text/normalize.h"

namespace communique::cli {

bool IsArticleFileName(const std::filesystem::path& path) {
  const std::string ext = absl::AsciiStrToLower(path.extension().string());
  return ext == ".txt" || ext == ".html" || ext == ".htm";
}

absl::StatusOr<v1::ArticleInput> LoadArticleFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string bytes = buffer.str();
  const std::filesystem::path p(path);
  const std::string ext = absl::AsciiStrToLower(p.extension().string());
  v1::ArticleInput input;
  if (ext == ".html" || ext == ".htm" || html::LooksLikeHtml(bytes)) {
    input.set_html(std::move(bytes));
  } else {
    input.set_text(std::move(bytes));
  }
  input.set_external_id(p.stem().string());
  return input;
}

absl::StatusOr<OfflineArticle> PrepareOffline(const v1::ArticleInput& input) {
  RETURN_IF_ERROR(schema::ValidateArticleInput(input, "article"));
  OfflineArticle out;
  if (input.html().empty()) {
    ASSIGN_OR_RETURN(out.text, text::NormalizeArticleText(input.text()));
    if (input.has_published()) {
      out.published = absl::ToCivilDay(
          absl::FromUnixSeconds(input.published().seconds()),
          absl::UTCTimeZone());
    }
    return out;
  }
  ASSIGN_OR_RETURN(html::PageArticle page, html::ArticleFromPage(input));
  absl::Status valid = schema::ValidateArticleInput(page.input, "article");
  if (!valid.ok()) {
    return absl::Status(valid.code(), absl::StrCat("article.html: converted ",
                                                   valid.message()));
  }
  absl::StatusOr<std::string> text = text::NormalizeArticleText(page.input.text());
  if (!text.ok()) {
    return absl::Status(text.status().code(),
                        absl::StrCat("article.html: ", text.status().message()));
  }
  out.text = *std::move(text);
  out.published = page.published_day;
  return out;
}

}  // namespace communique::cli
