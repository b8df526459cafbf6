#include "shared/store/store_checker.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "communique/storage/v1/records.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "shared/store/keys.h"

namespace communique::store {
namespace {

namespace sv1 = ::communique::storage::v1;

// Ingest-store index family of alias pointers (see ingest_store.cc).
constexpr char kAliasTargets[] = "t";

struct OpenDb {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  std::vector<std::string> names;
  ~OpenDb() {
    for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
    if (db != nullptr) db->Close().PermitUncheckedError();
  }
  // All key/value pairs of `family` in key order.
  std::vector<std::pair<std::string, std::string>> Scan(
      const std::string& family, std::string* error) const {
    std::vector<std::pair<std::string, std::string>> out;
    auto at = std::find(names.begin(), names.end(), family);
    if (at == names.end()) return out;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(
        rocksdb::ReadOptions(), handles[at - names.begin()]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      out.emplace_back(it->key().ToString(), it->value().ToString());
    }
    if (!it->status().ok()) *error = it->status().ToString();
    return out;
  }
};

absl::StatusOr<std::unique_ptr<OpenDb>> OpenReadOnly(const std::string& dir) {
  auto out = std::make_unique<OpenDb>();
  rocksdb::Options options;
  rocksdb::Status s =
      rocksdb::DB::ListColumnFamilies(options, dir, &out->names);
  if (!s.ok()) {
    return absl::UnavailableError(
        absl::StrCat("cannot list column families of ", dir, ": ",
                     s.ToString()));
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& name : out->names) {
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::OpenForReadOnly(options, dir, families, &out->handles,
                                   &raw);
  if (!s.ok()) {
    return absl::UnavailableError(
        absl::StrCat("cannot open store ", dir, ": ", s.ToString()));
  }
  out->db.reset(raw);
  return out;
}

std::string Printable(absl::string_view key) {
  std::string out(key);
  std::replace(out.begin(), out.end(), '\0', '|');
  return out;
}

}  // namespace

absl::StatusOr<StoreCheckReport> CheckIngestStore(const std::string& dir) {
  auto db_or = OpenReadOnly(dir);
  if (!db_or.ok()) return db_or.status();
  const OpenDb& db = **db_or;
  StoreCheckReport report;
  auto problem = [&](std::string line) {
    if (report.problems.size() < 200) report.problems.push_back(std::move(line));
  };
  std::string error;
  auto scan = [&](const std::string& family) {
    auto rows = db.Scan(family, &error);
    if (!error.empty()) {
      problem(absl::StrCat("scan of ", family, " failed: ", error));
      error.clear();
    }
    return rows;
  };

  std::set<std::string> articles;
  for (const auto& [key, value] : scan("articles")) {
    sv1::ArticleRecord record;
    if (!record.ParseFromString(value)) {
      problem(absl::StrCat("article ", key, " does not parse"));
    } else if (record.article().name() != key) {
      problem(absl::StrCat("article ", key, " holds name ",
                           record.article().name()));
    }
    articles.insert(key);
  }
  report.article_count = articles.size();
  std::set<std::string> extractions;
  for (const auto& [key, value] : scan("extractions")) {
    sv1::ExtractionRecord record;
    if (!record.ParseFromString(value)) {
      problem(absl::StrCat("extraction ", key, " does not parse"));
    }
    extractions.insert(key);
    if (articles.count(key) == 0) {
      problem(absl::StrCat("extraction ", key, " has no article"));
    }
  }
  for (const std::string& article : articles) {
    if (extractions.count(article) == 0) {
      problem(absl::StrCat("article ", article, " has no extraction"));
    }
  }

  std::set<std::string> summits;                // current names
  std::map<std::string, std::string> aliases;   // alias -> target
  for (const auto& [key, value] : scan("summits")) {
    sv1::SummitRecord record;
    if (!record.ParseFromString(value)) {
      problem(absl::StrCat("summit ", key, " does not parse"));
      continue;
    }
    if (!record.alias_of().empty()) {
      aliases[key] = record.alias_of();
    } else {
      if (record.summit().name() != key) {
        problem(absl::StrCat("summit ", key, " holds name ",
                             record.summit().name()));
      }
      summits.insert(key);
    }
  }
  report.summit_count = summits.size();
  report.alias_count = aliases.size();
  std::set<std::string> children;
  for (const auto& [key, value] : scan("declarations")) {
    sv1::DeclarationRecord record;
    if (!record.ParseFromString(value)) {
      problem(absl::StrCat("declaration ", key, " does not parse"));
    }
    children.insert(key);
    ++report.declaration_count;
  }
  for (const auto& [key, value] : scan("initiatives")) {
    sv1::InitiativeRecord record;
    if (!record.ParseFromString(value)) {
      problem(absl::StrCat("initiative ", key, " does not parse"));
    }
    children.insert(key);
    ++report.initiative_count;
  }
  for (const auto& [alias, target] : aliases) {
    if (summits.count(target) == 0) {
      problem(absl::StrCat("alias ", alias, " points at ", target,
                           ", which is not a current summit"));
    }
  }

  std::set<std::pair<std::string, std::string>> article_clusters;
  std::set<std::pair<std::string, std::string>> memberships;
  std::set<std::string> owned;
  std::set<std::pair<std::string, std::string>> alias_targets;
  for (const auto& [key, value] : scan("index")) {
    std::vector<std::string> parts = SplitKey(key);
    if (parts.size() != 3) {
      problem(absl::StrCat("index key ", Printable(key), " has ",
                           parts.size(), " parts"));
      continue;
    }
    if (parts[0] == kArticleClusters) {
      article_clusters.emplace(parts[1], parts[2]);
      if (articles.count(parts[1]) == 0) {
        problem(absl::StrCat("membership of missing article ", parts[1]));
      }
    } else if (parts[0] == kMembershipIndex) {
      memberships.emplace(parts[2], parts[1]);
    } else if (parts[0] == kClusterRecords) {
      const std::string& name = parts[2];
      owned.insert(name);
      if (summits.count(name) == 0 && children.count(name) == 0) {
        problem(absl::StrCat("cluster ", parts[1], " lists missing record ",
                             name));
      }
    } else if (parts[0] == kAliasTargets) {
      alias_targets.emplace(parts[2], parts[1]);
      auto alias = aliases.find(parts[2]);
      if (alias == aliases.end() || alias->second != parts[1]) {
        problem(absl::StrCat("alias pointer ", parts[2], " -> ", parts[1],
                             " does not match the stored summit"));
      }
    } else {
      problem(absl::StrCat("index key ", Printable(key),
                           " has an unknown family"));
    }
  }
  if (article_clusters != memberships) {
    problem(absl::StrCat("memberships are not symmetric: ",
                         article_clusters.size(), " article->cluster vs ",
                         memberships.size(), " cluster->article"));
  }
  for (const std::string& name : summits) {
    if (owned.count(name) == 0) {
      problem(absl::StrCat("summit ", name, " is owned by no cluster"));
    }
  }
  for (const std::string& name : children) {
    if (owned.count(name) == 0) {
      problem(absl::StrCat("record ", name, " is owned by no cluster"));
    }
  }
  for (const auto& [alias, target] : aliases) {
    if (alias_targets.count({alias, target}) == 0) {
      problem(absl::StrCat("alias ", alias, " is missing its pointer entry"));
    }
  }

  uint64_t expected = 1;
  for (const auto& [key, value] : scan("changelog")) {
    std::optional<uint64_t> sequence = DecodeSequence(key);
    if (!sequence.has_value()) {
      problem("change log holds a malformed key");
      continue;
    }
    if (*sequence != expected) {
      problem(absl::StrCat("change log jumps from ", expected - 1, " to ",
                           *sequence));
    }
    expected = *sequence + 1;
    report.change_log_head = *sequence;
    sv1::ChangeRecord record;
    if (!record.ParseFromString(value)) {
      problem(absl::StrCat("change ", *sequence, " does not parse"));
    } else if (record.event().sequence() != *sequence) {
      problem(absl::StrCat("change ", *sequence, " carries sequence ",
                           record.event().sequence()));
    }
  }
  return report;
}

absl::StatusOr<std::vector<std::string>> DumpStore(
    const std::string& dir, const std::vector<std::string>& skip_families) {
  auto db_or = OpenReadOnly(dir);
  if (!db_or.ok()) return db_or.status();
  const OpenDb& db = **db_or;
  std::vector<std::string> names = db.names;
  std::sort(names.begin(), names.end());
  std::vector<std::string> lines;
  for (const std::string& family : names) {
    if (std::find(skip_families.begin(), skip_families.end(), family) !=
        skip_families.end()) {
      continue;
    }
    std::string error;
    for (const auto& [key, value] : db.Scan(family, &error)) {
      lines.push_back(absl::StrCat(family, "\t", absl::BytesToHexString(key),
                                   "\t", absl::BytesToHexString(value)));
    }
    if (!error.empty()) {
      return absl::UnavailableError(
          absl::StrCat("scan of ", family, " failed: ", error));
    }
  }
  return lines;
}

}  // namespace communique::store
