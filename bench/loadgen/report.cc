#include "bench/loadgen/loadgen.h"

namespace communique::bench::loadgen {

Spread SpreadOf(std::vector<double> values) {
  Spread spread;
  if (values.empty()) return spread;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  spread.median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  spread.min = values.front();
  spread.max = values.back();
  return spread;
}

double MedianOf(std::vector<double> values) { return SpreadOf(values).median; }

// key=value lines for --summary_file.
std::vector<std::string>& SummaryLines() {
  static auto* lines = new std::vector<std::string>;
  return *lines;
}
void Summary(const std::string& key, double value) {
  SummaryLines().push_back(absl::StrFormat("%s=%.6g", key, value));
}
std::string Slug(absl::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// Ratio row: prints it and returns 1 on a miss.
int RatioRow(const std::string& path, const std::vector<double>& ratios,
             bool at_most, double bound) {
  const Spread s = SpreadOf(ratios);
  Summary(absl::StrCat("ratio.", Slug(path)), s.median);
  std::string target = "-", verdict = "info";
  bool pass = true;
  if (bound > 0) {
    target = absl::StrFormat("%s%.2f", at_most ? "<=" : ">=", bound);
    pass = at_most ? s.median <= bound : s.median >= bound;
    verdict = pass ? "PASS" : "MISS";
  }
  std::printf("%-44s %7.2f %17s %8s %s\n", path.c_str(), s.median,
              absl::StrFormat("[%.2f..%.2f]", s.min, s.max).c_str(),
              target.c_str(), verdict.c_str());
  return pass ? 0 : 1;
}

}  // namespace communique::bench::loadgen
