#include "cli/options.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace communique::cli {
namespace {

using Type = FlagSpec::Type;

FlagSpec Global(std::string name, Type type, std::string value_name,
                std::string default_value, std::string help,
                bool path = false) {
  FlagSpec f{std::move(name), type, std::move(value_name),
             std::move(default_value), std::move(help)};
  f.global = true;
  f.path = path;
  return f;
}

FlagSpec Flag(std::string name, Type type, std::string value_name,
              std::string help, std::string default_value = "") {
  if (default_value.empty()) {
    default_value = type == Type::kInt    ? "0"
                    : type == Type::kBool ? "false"
                                          : "";
  }
  return FlagSpec{std::move(name), type, std::move(value_name),
                  std::move(default_value), std::move(help)};
}

std::vector<FlagSpec> BuildFlags() {
  return {
      // Connection and output: every command; environment and config file.
      Global("ingest", Type::kString, "HOST:PORT", "127.0.0.1:50051",
             "address of the ingest service"),
      Global("query", Type::kString, "HOST:PORT", "127.0.0.1:50052",
             "address of the query service"),
      Global("tls_ca", Type::kString, "FILE", "",
             "PEM CA that signs the services' certificates (empty: system "
             "roots)",
             /*path=*/true),
      Global("token_file", Type::kString, "FILE", "",
             "file whose first token is sent as \"authorization: Bearer\" "
             "(a writer token for ingest, delete, reprocess)",
             /*path=*/true),
      Global("tls_cert", Type::kString, "FILE", "",
             "PEM client certificate (mTLS)", /*path=*/true),
      Global("tls_key", Type::kString, "FILE", "", "PEM client key (mTLS)",
             /*path=*/true),
      Global("authority", Type::kString, "NAME", "",
             "TLS server name to verify instead of the host"),
      Global("insecure", Type::kBool, "", "false",
             "connect in plaintext (development only)"),
      Global("timeout_seconds", Type::kInt, "N", "30",
             "deadline of each call (not of watch)"),
      Global("format", Type::kString, "FORMAT", "table",
             "output: table, json (one array), jsonl (one object per line) "
             "or csv"),
      Global("config", Type::kString, "FILE", "",
             "config file (default $XDG_CONFIG_HOME/communique/config, "
             "else ~/.config/communique/config)"),
      Global("json", Type::kBool, "", "false",
             "same as --format=jsonl (kept for old scripts)"),
      // Reads.
      Flag("consistency_token", Type::kString, "TOKEN",
           "wait until the replica has applied this ingest's change "
           "(read your own write)"),
      // Summit filter (SummitFilter).
      Flag("organization", Type::kString, "ACRONYM", "organisation, e.g. CSTO"),
      Flag("year", Type::kInt, "YYYY", "only this year"),
      Flag("min_year", Type::kInt, "YYYY", "first year"),
      Flag("max_year", Type::kInt, "YYYY", "last year"),
      Flag("city", Type::kString, "CITY", "city, e.g. Astana"),
      Flag("country", Type::kString, "COUNTRY",
           "summits: host country; chairmanships: chairing country"),
      Flag("participant_country", Type::kString, "COUNTRY",
           "a country that took part"),
      Flag("person", Type::kString, "PERSON",
           "a participant: gazetteer id (vladimir-putin) or full name"),
      Flag("summit_format", Type::kString, "FORMAT",
           "SummitFilter.format: narrow, expanded, videoconference or "
           "in_person (named so as not to clash with --format)"),
      Flag("topic", Type::kString, "TOPIC",
           "a topic of the gazetteer vocabulary, e.g. terrorism"),
      Flag("presiding", Type::kString, "PERSON",
           "the person presiding (full name or gazetteer id)"),
      Flag("text", Type::kString, "WORDS", "free text: every word must occur"),
      Flag("start_date", Type::kString, "DATE",
           "on or after YYYY, YYYY-MM or YYYY-MM-DD"),
      Flag("end_date", Type::kString, "DATE",
           "on or before YYYY, YYYY-MM or YYYY-MM-DD"),
      Flag("order", Type::kString, "ORDER",
           "date_descending (newest first, default) or date_ascending"),
      Flag("oldest_first", Type::kBool, "", "same as --order=date_ascending"),
      // Declarations and initiatives.
      Flag("parent", Type::kString, "SUMMIT",
           "parent summit name (default summits/-: all summits)"),
      Flag("summit", Type::kString, "SUMMIT", "same as --parent"),
      Flag("kind", Type::kString, "KIND",
           "declaration, statement, protocol, agreement, treaty, program, "
           "strategy, concept, plan, decision, resolution, memorandum or "
           "other"),
      Flag("status", Type::kString, "STATUS",
           "declarations: adopted, signed, approved, supported, proposed; "
           "initiatives: proposed, supported, adopted, implemented"),
      Flag("proposer_country", Type::kString, "COUNTRY",
           "initiatives proposed by this country"),
      Flag("proposer_person", Type::kString, "PERSON",
           "initiatives proposed by this person (gazetteer id or name)"),
      // Paging.
      Flag("page_size", Type::kInt, "N", "items per call (0: server default)"),
      Flag("page_token", Type::kString, "TOKEN",
           "start at this page (a next_page_token printed earlier)"),
      Flag("all_pages", Type::kBool, "",
           "follow next_page_token to the end (--noall_pages: one page, "
           "then the next token on stderr)",
           "true"),
      // Watch.
      Flag("start_sequence", Type::kInt, "N",
           "replay changes after this change-feed sequence, then follow "
           "(0: from now)"),
      Flag("max_changes", Type::kInt, "N",
           "stop after this many changes (0: run until interrupted)"),
      // Offline parse.
      Flag("jsonl", Type::kBool, "",
           "print one JSON line per file (the evaluation contract)"),
      Flag("gazetteer", Type::kString, "FILE",
           "gazetteer textproto instead of the built-in one"),
      // Reprocess.
      Flag("only_outdated", Type::kBool, "",
           "only articles extracted by another extractor version"),
  };
}

const std::vector<std::string> kSummitFilter = {"organization",
                                                "year",
                                                "min_year",
                                                "max_year",
                                                "city",
                                                "country",
                                                "participant_country",
                                                "person",
                                                "summit_format",
                                                "topic",
                                                "presiding",
                                                "text",
                                                "start_date",
                                                "end_date"};
const std::vector<std::string> kPaging = {"page_size", "page_token",
                                          "all_pages"};

std::vector<std::string> Concat(std::vector<std::vector<std::string>> parts) {
  std::vector<std::string> out;
  for (auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

std::vector<CommandSpec> BuildCommands() {
  const std::vector<std::string> declaration_filter = {
      "parent",   "summit",   "kind", "status", "organization", "year",
      "min_year", "max_year", "text", "order",  "oldest_first"};
  const std::vector<std::string> initiative_filter = {
      "parent",          "summit", "proposer_country",
      "proposer_person", "status", "topic",
      "organization",    "year",   "min_year",
      "max_year",        "text",   "order",
      "oldest_first"};
  const std::string kListFormats =
      "--format: table (default), json, jsonl (whole records, proto3 JSON "
      "with the proto's field names) or csv (the columns of `communique "
      "export`, one row per record).";
  const std::string kExportFormats =
      "--format: csv (default) or jsonl; both carry the same columns (see "
      "`communique export --help`), lists in CSV joined with \";\".";
  return {
      {"parse",
       "FILE|DIR...",
       "extract article files (.txt, or pages: .html) offline, no server",
       {"jsonl", "gazetteer"},
       "Prints each file's summits, documents and initiatives; --jsonl (or "
       "--format=jsonl) prints one JSON line per file: the "
       "ArticleExtraction plus \"file\". A page (.html / .htm, or a file "
       "whose bytes start like HTML) is converted as the ingest service "
       "converts it; its publication date dates the summit."},
      {"ingest",
       "FILE|DIR...",
       "ingest article files (.txt, or pages: .html) through the ingest service",
       {},
       "Prints each article's outcome and the consistency token of the "
       "last write; pass it as --consistency_token to read your writes."},
      {"summits list", "", "list summits matching a filter",
       Concat({kSummitFilter,
               {"order", "oldest_first", "consistency_token"},
               kPaging}),
       kListFormats},
      {"summits get",
       "NAME",
       "show one summit (summits/ID)",
       {"consistency_token"},
       "--format=json or jsonl prints the record as JSON."},
      {"summits watch", "", "stream changes to matching summits",
       Concat({kSummitFilter,
               {"start_sequence", "max_changes", "consistency_token"}}),
       "One line per change (table) or one SummitChange per line (jsonl, "
       "json). Ends on Ctrl-C, after --max_changes, or when the server "
       "goes away (then resume with the printed --start_sequence)."},
      {"declarations list", "", "list declarations (documents adopted)",
       Concat({declaration_filter, {"consistency_token"}, kPaging}),
       kListFormats},
      {"declarations get",
       "NAME",
       "show one declaration",
       {"consistency_token"},
       ""},
      {"initiatives list", "", "list initiatives (proposals)",
       Concat({initiative_filter, {"consistency_token"}, kPaging}),
       kListFormats},
      {"initiatives get",
       "NAME",
       "show one initiative",
       {"consistency_token"},
       ""},
      {"chairmanships list", "",
       "who chaired which organisation from when to when",
       Concat({{"organization", "country", "consistency_token"}, kPaging}),
       kListFormats},
      {"stats",
       "",
       "counts per organisation and year, replica lag",
       {"consistency_token"},
       ""},
      {"export summits", "", "every matching summit, one row each",
       Concat({kSummitFilter, {"order", "page_size", "consistency_token"}}),
       kExportFormats},
      {"export declarations", "", "every matching declaration, one row each",
       Concat({declaration_filter, {"page_size", "consistency_token"}}),
       kExportFormats},
      {"export initiatives", "", "every matching initiative, one row each",
       Concat({initiative_filter, {"page_size", "consistency_token"}}),
       kExportFormats},
      {"export participants", "", "one row per person per matching summit",
       Concat({kSummitFilter, {"order", "page_size", "consistency_token"}}),
       kExportFormats},
      {"articles list", "", "list stored articles", kPaging, ""},
      {"articles get", "NAME", "show one stored article (JSON)", {}, ""},
      {"articles delete",
       "NAME",
       "retract an article (its records are re-derived)",
       {},
       ""},
      {"reprocess",
       "",
       "re-run the extractor over stored articles",
       {"only_outdated", "page_size"},
       ""},
  };
}

// "COMMUNIQUE_" + upper-case name.
std::string VariableFor(absl::string_view name) {
  return absl::StrCat("COMMUNIQUE_", absl::AsciiStrToUpper(name));
}

// The config file to read: --config, else COMMUNIQUE_CONFIG, else the XDG
// default. `explicit_file` is set when the user named it (then it must
// exist).
std::string ConfigPath(const std::string& from_flag,
                       const Environment& environment, bool* explicit_file) {
  *explicit_file = true;
  if (!from_flag.empty()) return from_flag;
  if (auto v = environment.get_variable("COMMUNIQUE_CONFIG");
      v.has_value() && !v->empty()) {
    return *v;
  }
  *explicit_file = false;
  if (auto xdg = environment.get_variable("XDG_CONFIG_HOME");
      xdg.has_value() && !xdg->empty()) {
    return absl::StrCat(*xdg, "/communique/config");
  }
  if (auto home = environment.get_variable("HOME");
      home.has_value() && !home->empty()) {
    return absl::StrCat(*home, "/.config/communique/config");
  }
  return "";
}

// `text` cut into lines of at most 80 columns after a 30-column start;
// continuation lines begin with `indent`. Ends with a newline.
std::string Wrap(const std::string& text, const std::string& indent) {
  std::string out;
  size_t column = indent.size();
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (column > indent.size() && column + 1 + word.size() > 80) {
      absl::StrAppend(&out, "\n", indent);
      column = indent.size();
    } else if (column > indent.size()) {
      out.push_back(' ');
      ++column;
    }
    absl::StrAppend(&out, word);
    column += word.size();
  }
  return out + "\n";
}

std::string FlagUsage(const FlagSpec& f) {
  if (f.type == Type::kBool) return absl::StrCat("--", f.name);
  return absl::StrCat("--", f.name, "=", f.value_name);
}

std::string FlagLines(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    const FlagSpec* f = FindFlag(name);
    if (f == nullptr) continue;
    std::string usage = FlagUsage(*f);
    std::string help = f->help;
    if (f->type != Type::kBool && !f->default_value.empty() &&
        f->default_value != "0") {
      absl::StrAppend(&help, " (default ", f->default_value, ")");
    }
    const std::string indent(30, ' ');
    if (usage.size() < 28) {
      absl::StrAppend(&out, "  ", usage, std::string(28 - usage.size(), ' '),
                      Wrap(help, indent));
    } else {
      absl::StrAppend(&out, "  ", usage, "\n", indent, Wrap(help, indent));
    }
  }
  return out;
}

std::vector<std::string> GlobalNames() {
  std::vector<std::string> names;
  for (const FlagSpec& f : AllFlags()) {
    if (f.global) names.push_back(f.name);
  }
  return names;
}

bool Takes(const CommandSpec* spec, const FlagSpec& flag) {
  if (flag.global) return true;
  if (spec == nullptr) return false;
  for (const std::string& name : spec->flags) {
    if (name == flag.name) return true;
  }
  return false;
}

}  // namespace

const std::vector<FlagSpec>& AllFlags() {
  static const auto* flags = new std::vector<FlagSpec>(BuildFlags());
  return *flags;
}

const std::vector<CommandSpec>& AllCommands() {
  static const auto* commands = new std::vector<CommandSpec>(BuildCommands());
  return *commands;
}

const FlagSpec* FindFlag(absl::string_view name) {
  for (const FlagSpec& f : AllFlags()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Environment Environment::Process() {
  Environment e;
  e.get_variable = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  e.read_file = [](const std::string& path) -> absl::StatusOr<std::string> {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return absl::NotFoundError(absl::StrCat(path, ": no such file"));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
      return absl::PermissionDeniedError(absl::StrCat("cannot read ", path));
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  };
  return e;
}

absl::StatusOr<std::string> CheckValue(const FlagSpec& flag,
                                       absl::string_view text,
                                       absl::string_view where) {
  switch (flag.type) {
    case Type::kString:
      return std::string(text);
    case Type::kInt: {
      int64_t value;
      if (!absl::SimpleAtoi(text, &value)) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": not a number: ", text));
      }
      if (value < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": must not be negative: ", text));
      }
      if (value > 2147483647) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": too large: ", text));
      }
      return absl::StrCat(value);
    }
    case Type::kBool: {
      bool value;
      if (!absl::SimpleAtob(text, &value)) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": not true or false: ", text));
      }
      return std::string(value ? "true" : "false");
    }
  }
  return std::string(text);
}

absl::StatusOr<Invocation> Invocation::Parse(
    const std::vector<std::string>& args, const Environment& environment) {
  Invocation inv;
  struct Given {
    const FlagSpec* flag;
    std::string value;
    std::string where;
  };
  std::vector<Given> given;
  std::vector<std::string> words;
  bool only_words = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_words || arg.size() < 2 || arg[0] != '-') {
      words.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_words = true;
      continue;
    }
    if (arg == "-h" || arg == "--help" || arg == "--helpfull") {
      inv.help_ = true;
      continue;
    }
    absl::string_view body =
        absl::StripPrefix(absl::StripPrefix(arg, "-"), "-");
    std::string name(body.substr(0, body.find('=')));
    const bool has_value = body.find('=') != absl::string_view::npos;
    std::string value =
        has_value ? std::string(body.substr(body.find('=') + 1)) : "";
    const FlagSpec* flag = FindFlag(name);
    if (flag == nullptr && !has_value && absl::StartsWith(name, "no")) {
      const FlagSpec* negated = FindFlag(name.substr(2));
      if (negated != nullptr && negated->type == Type::kBool) {
        given.push_back({negated, "false", absl::StrCat("--", name)});
        continue;
      }
    }
    if (flag == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, ": unknown flag (see communique --help)"));
    }
    if (!has_value) {
      if (flag->type == Type::kBool) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("--", name, ": needs a value"));
      }
    }
    given.push_back({flag, value, absl::StrCat("--", name)});
  }
  // The command: the longest run of leading words that names one.
  if (!words.empty() && words[0] == "help") {
    inv.help_ = true;
    words.erase(words.begin());
  }
  size_t used = 0;
  for (const CommandSpec& c : AllCommands()) {
    std::vector<std::string> path = absl::StrSplit(c.path, ' ');
    if (path.size() > words.size() || path.size() <= used) continue;
    if (std::equal(path.begin(), path.end(), words.begin())) {
      inv.spec_ = &c;
      inv.command_ = c.path;
      used = path.size();
    }
  }
  if (inv.spec_ == nullptr && !words.empty()) {
    // A group ("summits") without its verb, or nothing known.
    for (const CommandSpec& c : AllCommands()) {
      if (absl::StartsWith(c.path, absl::StrCat(words[0], " "))) {
        inv.command_ = words[0];
        used = 1;
        break;
      }
    }
  }
  inv.arguments_.assign(words.begin() + used, words.end());
  if (inv.spec_ == nullptr) inv.unknown_words_ = inv.arguments_;

  // Flags the command does not take (checked only for a known command, so
  // that `communique --kind=x` asks for a command first).
  for (const Given& g : given) {
    if (inv.spec_ != nullptr && !Takes(inv.spec_, *g.flag)) {
      return absl::InvalidArgumentError(
          absl::StrCat(g.where, ": not a flag of `", inv.command_,
                       "` (see communique ", inv.command_, " --help)"));
    }
  }

  // Defaults, then the config file, then the environment, then flags.
  for (const FlagSpec& f : AllFlags()) {
    inv.values_[f.name] = {f.default_value, "default"};
  }
  std::string config_flag;
  for (const Given& g : given) {
    if (g.flag->name == "config") config_flag = g.value;
  }
  bool explicit_file = false;
  const std::string config =
      ConfigPath(config_flag, environment, &explicit_file);
  if (!config.empty()) {
    absl::StatusOr<std::string> contents = environment.read_file(config);
    if (contents.ok()) {
      inv.config_file_ = config;
      int line_number = 0;
      for (absl::string_view line : absl::StrSplit(*contents, '\n')) {
        ++line_number;
        line = absl::StripAsciiWhitespace(line);
        if (line.empty() || line[0] == '#') continue;
        const std::string where = absl::StrCat(config, ":", line_number);
        const size_t eq = line.find('=');
        if (eq == absl::string_view::npos) {
          return absl::InvalidArgumentError(
              absl::StrCat(where, ": expected NAME = VALUE"));
        }
        std::string name(absl::StripAsciiWhitespace(line.substr(0, eq)));
        name = std::string(absl::StripPrefix(name, "--"));
        std::string value(absl::StripAsciiWhitespace(line.substr(eq + 1)));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
          value = value.substr(1, value.size() - 2);
        }
        const FlagSpec* f = FindFlag(name);
        if (f == nullptr || !f->global || f->name == "config") {
          return absl::InvalidArgumentError(absl::StrCat(
              where, ": unknown setting ", name,
              " (settings: ", absl::StrJoin(GlobalNames(), ", "), ")"));
        }
        absl::StatusOr<std::string> checked = CheckValue(*f, value, where);
        if (!checked.ok()) return checked.status();
        if (f->path && !checked->empty() &&
            std::filesystem::path(*checked).is_relative()) {
          *checked = (std::filesystem::path(config).parent_path() / *checked)
                         .lexically_normal()
                         .string();
        }
        inv.values_[f->name] = {*checked, where};
      }
    } else if (explicit_file || !absl::IsNotFound(contents.status())) {
      return absl::InvalidArgumentError(
          absl::StrCat("config file: ", contents.status().message()));
    }
  }
  for (const FlagSpec& f : AllFlags()) {
    if (!f.global || f.name == "config") continue;
    const std::string variable = VariableFor(f.name);
    std::optional<std::string> value = environment.get_variable(variable);
    if (!value.has_value()) continue;
    absl::StatusOr<std::string> checked = CheckValue(f, *value, variable);
    if (!checked.ok()) return checked.status();
    inv.values_[f.name] = {*checked, variable};
  }
  for (const Given& g : given) {
    absl::StatusOr<std::string> checked = CheckValue(*g.flag, g.value, g.where);
    if (!checked.ok()) return checked.status();
    inv.values_[g.flag->name] = {*checked, g.where};
  }
  // Aliases.
  if (inv.Bool("json") && !inv.IsSetOnCommandLine("format")) {
    inv.values_["format"] = {"jsonl", inv.SourceOf("json")};
  }
  if (inv.IsSet("summit") && !inv.IsSet("parent")) {
    inv.values_["parent"] = inv.values_["summit"];
  }
  return inv;
}

bool Invocation::IsSetOnCommandLine(absl::string_view name) const {
  return absl::StartsWith(SourceOf(name), "--");
}

std::string Invocation::String(absl::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? "" : it->second.text;
}

int64_t Invocation::Int(absl::string_view name) const {
  int64_t value = 0;
  (void)absl::SimpleAtoi(String(name), &value);
  return value;
}

bool Invocation::Bool(absl::string_view name) const {
  return String(name) == "true";
}

bool Invocation::IsSet(absl::string_view name) const {
  return SourceOf(name) != "default";
}

std::string Invocation::SourceOf(absl::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? "default" : it->second.source;
}

std::string TopLevelHelp() {
  std::string out =
      "communique: turn summit news into typed records.\n\n"
      "Usage: communique COMMAND [ARGS] [FLAGS]\n\nCommands:\n";
  for (const CommandSpec& c : AllCommands()) {
    std::string usage = c.path;
    if (!c.arguments.empty()) absl::StrAppend(&usage, " ", c.arguments);
    absl::StrAppend(&out, "  ", usage,
                    std::string(usage.size() < 28 ? 28 - usage.size() : 1, ' '),
                    c.summary, "\n");
  }
  absl::StrAppend(
      &out,
      "\nConnection and output (every command; also COMMUNIQUE_<FLAG> "
      "variables\nand the config file, flags winning):\n",
      FlagLines(GlobalNames()),
      "\nConfig file: NAME = VALUE lines of the settings above (# comments);"
      "\nrelative paths are relative to the file.\n"
      "\nRun `communique COMMAND --help` for a command's flags.\n");
  return out;
}

std::string GroupHelp(absl::string_view group) {
  std::string out = absl::StrCat("communique ", group, ": commands\n\n");
  for (const CommandSpec& c : AllCommands()) {
    if (!absl::StartsWith(c.path, absl::StrCat(group, " "))) continue;
    std::string usage = c.path;
    if (!c.arguments.empty()) absl::StrAppend(&usage, " ", c.arguments);
    absl::StrAppend(&out, "  communique ", usage,
                    std::string(usage.size() < 28 ? 28 - usage.size() : 1, ' '),
                    c.summary, "\n");
  }
  absl::StrAppend(&out, "\nRun `communique ", group,
                  " VERB --help` for its flags.\n");
  return out;
}

std::string CommandHelp(const CommandSpec& command) {
  std::string out = absl::StrCat("Usage: communique ", command.path);
  if (!command.arguments.empty()) absl::StrAppend(&out, " ", command.arguments);
  if (!command.flags.empty()) absl::StrAppend(&out, " [FLAGS]");
  absl::StrAppend(&out, "\n\n", command.summary, ".\n");
  if (!command.flags.empty()) {
    absl::StrAppend(&out, "\nFlags:\n", FlagLines(command.flags));
  }
  if (!command.details.empty()) {
    absl::StrAppend(&out, "\n", command.details, "\n");
  }
  absl::StrAppend(&out,
                  "\nConnection and output flags (--query, --ingest, "
                  "--tls_ca, --token_file,\n--format, ...): communique "
                  "--help.\n");
  return out;
}

}  // namespace communique::cli
