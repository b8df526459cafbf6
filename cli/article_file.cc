#include "cli/article_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "shared/html/page.h"

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

}  // namespace communique::cli
