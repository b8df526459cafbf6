// merge_replay: the merge alone, offline. Reads ArticleExtraction messages
// as JSON, one per line on stdin (the shape `communique parse --jsonl`
// prints; unknown fields such as "file" are ignored), merges every cluster
// they mention with merge::MergeCluster and prints the canonical summits as
// JSON lines (original field names), cluster by cluster. Used by
// merge_policy_test.sh to score the merge policy on gold facts, apart from
// the extractor. Exits 1 on a line that does not parse.
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "google/protobuf/util/json_util.h"
#include "shared/merge/merge.h"

int main() {
  namespace v1 = communique::v1;
  namespace merge = communique::merge;
  std::vector<v1::ArticleExtraction> extractions;
  std::string line;
  int line_number = 0;
  google::protobuf::util::JsonParseOptions parse_options;
  parse_options.ignore_unknown_fields = true;
  while (std::getline(std::cin, line)) {
    ++line_number;
    if (line.empty()) continue;
    v1::ArticleExtraction extraction;
    auto status = google::protobuf::util::JsonStringToMessage(
        line, &extraction, parse_options);
    if (!status.ok()) {
      std::cerr << "merge_replay: line " << line_number << ": "
                << status.message() << "\n";
      return 1;
    }
    extractions.push_back(std::move(extraction));
  }
  std::set<std::string> clusters;
  for (const v1::ArticleExtraction& extraction : extractions) {
    for (const v1::Summit& summit : extraction.summits()) {
      clusters.insert(merge::ClusterKey(summit));
    }
  }
  google::protobuf::util::JsonPrintOptions print_options;
  print_options.preserve_proto_field_names = true;
  std::vector<std::string> lines;
  for (const std::string& cluster : clusters) {
    for (const v1::Summit& summit :
         merge::MergeCluster(extractions, cluster).summits) {
      std::string json;
      if (!google::protobuf::util::MessageToJsonString(summit, &json,
                                                       print_options)
               .ok()) {
        std::cerr << "merge_replay: cannot print " << summit.name() << "\n";
        return 1;
      }
      lines.push_back(std::move(json));
    }
  }
  for (const std::string& json : lines) std::cout << json << "\n";
  return 0;
}
