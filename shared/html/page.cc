#include "shared/html/page.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "shared/html/internal/charset.h"

namespace communique::html {
namespace {

using ::google::protobuf::Struct;
using ::google::protobuf::Value;

// Fewer non-space bytes than this in the chosen block: no article body.
constexpr size_t kMinBodyBytes = 16;

// The document as a compact tree built from libxml2's SAX events: libxml2
// builds no DOM of its own (its node and property allocations were most of
// the conversion time), and only the attributes the converter reads are
// kept. Nodes live in fixed chunks, so pointers to them stay valid.
struct Node {
  Node* parent = nullptr;
  Node* children = nullptr;  // first child
  Node* last = nullptr;      // last child
  Node* next = nullptr;      // next sibling
  bool element = false;      // else a text node
  // Element: the lowercase tag name (libxml2's dictionary or a literal;
  // valid while the parser context lives).
  absl::string_view name;
  // Text node: its bytes in Tree::arena.
  uint32_t text_begin = 0;
  uint32_t text_len = 0;
  // Element: its kept attributes in Tree::attributes.
  uint32_t attr_begin = 0;
  uint32_t attr_count = 0;
  // Analysis (elements).
  bool clutter = false;
  bool sidebar = false;  // in aside/nav/footer or related/comment blocks
  uint32_t text = 0;     // non-space bytes of text outside clutter
  uint32_t link_text = 0;
  double score = 0;
};

// Deepest element nesting kept.
constexpr int kMaxDepth = 256;

struct Attribute {
  absl::string_view name;  // one of kKeptAttributes
  uint32_t begin = 0;      // value in Tree::arena
  uint32_t len = 0;
};

constexpr absl::string_view kKeptAttributes[] = {
    "class", "id", "style", "role", "itemprop", "hidden", "aria-hidden",
    "datetime", "pubdate", "property", "name", "content", "http-equiv",
    "rel", "href", "type", "lang", "xml:lang"};

struct Tree {
  // Nodes in chunks: pointers stay valid, one allocation per 512 nodes.
  static constexpr size_t kChunk = 512;
  std::vector<std::unique_ptr<Node[]>> chunks;
  size_t node_count = 0;
  Node* NewNode() {
    if (node_count % kChunk == 0) chunks.emplace_back(new Node[kChunk]);
    return &chunks.back()[node_count++ % kChunk];
  }
  std::vector<Attribute> attributes;
  std::string arena;
  Node* root = nullptr;
  Node* current = nullptr;
  size_t max_nodes = 0;
  bool node_limit_hit = false;
  // Open elements, and whether some were deeper than kMaxDepth.
  int depth = 0;
  bool too_deep = false;
  htmlParserCtxtPtr context = nullptr;

  // Appends a child to `current`; null (and the parser stopped) once the
  // node limit is reached.
  Node* Add(bool element) {
    if (node_count >= max_nodes) {
      node_limit_hit = true;
      xmlStopParser(context);
      return nullptr;
    }
    Node& n = *NewNode();
    n.element = element;
    n.parent = current;
    if (current->last != nullptr) {
      current->last->next = &n;
    } else {
      current->children = &n;
    }
    current->last = &n;
    return &n;
  }
};

void OnStartElement(void* user, const xmlChar* name, const xmlChar** atts) {
  Tree* tree = static_cast<Tree*>(user);
  if (tree->node_limit_hit) return;
  // libxml2's HTML parser builds no DOM here, so its own depth cap does not
  // apply: deeper elements are flattened into the node at kMaxDepth, which
  // bounds every recursion over the tree.
  if (++tree->depth > kMaxDepth) {
    tree->too_deep = true;
    return;
  }
  Node* n = tree->Add(true);
  if (n == nullptr) return;
  n->name = reinterpret_cast<const char*>(name);
  n->attr_begin = static_cast<uint32_t>(tree->attributes.size());
  for (int i = 0; atts != nullptr && atts[i] != nullptr; i += 2) {
    const absl::string_view attribute = reinterpret_cast<const char*>(atts[i]);
    for (absl::string_view kept : kKeptAttributes) {
      if (attribute != kept) continue;
      const char* value = atts[i + 1] != nullptr
                              ? reinterpret_cast<const char*>(atts[i + 1])
                              : "";
      const size_t len = strlen(value);
      tree->attributes.push_back({kept,
                                  static_cast<uint32_t>(tree->arena.size()),
                                  static_cast<uint32_t>(len)});
      tree->arena.append(value, len);
      break;
    }
  }
  n->attr_count =
      static_cast<uint32_t>(tree->attributes.size()) - n->attr_begin;
  tree->current = n;
}

void OnEndElement(void* user, const xmlChar*) {
  Tree* tree = static_cast<Tree*>(user);
  if (tree->node_limit_hit) return;
  if (tree->depth-- > kMaxDepth) return;
  if (tree->current != tree->root) tree->current = tree->current->parent;
}

void OnCharacters(void* user, const xmlChar* chars, int len) {
  Tree* tree = static_cast<Tree*>(user);
  if (tree->node_limit_hit || len <= 0) return;
  Node* last = tree->current->last;
  // The parser hands long text over in chunks: one node for all of them.
  if (last != nullptr && !last->element &&
      last->text_begin + last->text_len == tree->arena.size()) {
    tree->arena.append(reinterpret_cast<const char*>(chars), len);
    last->text_len += static_cast<uint32_t>(len);
    return;
  }
  Node* n = tree->Add(false);
  if (n == nullptr) return;
  n->text_begin = static_cast<uint32_t>(tree->arena.size());
  n->text_len = static_cast<uint32_t>(len);
  tree->arena.append(reinterpret_cast<const char*>(chars), len);
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// Bytes above ' ': whitespace and control characters do not count (a
// branch-free loop the compiler vectorises; it runs over every text node).
size_t NonSpaceBytes(absl::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += c > ' ';
  return n;
}

// Whitespace runs collapsed to one space, trimmed.
std::string Collapse(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (IsSpace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// Elements whose content is never article text.
bool IsClutterTag(absl::string_view tag) {
  static const auto* kTags = new absl::flat_hash_set<absl::string_view>{
      "script", "style", "noscript", "template", "nav", "header", "footer",
      "aside", "form", "iframe", "svg", "button", "select", "textarea",
      "input", "object", "embed", "canvas", "menu", "dialog", "figure",
      "head", "amp-sidebar", "amp-ad", "amp-analytics", "amp-social-share",
      "amp-consent", "amp-user-notification", "amp-iframe", "amp-embed",
      "amp-sticky-ad", "amp-lightbox", "amp-geo"};
  return kTags->contains(tag);
}

// class/id words that mark page furniture.
bool IsClutterWord(absl::string_view word) {
  static const auto* kWords = new absl::flat_hash_set<absl::string_view>{
      "share", "sharing", "sharebar", "sharethis", "addthis", "social",
      "socials", "related", "recommended", "readmore", "cookie", "cookies",
      "consent", "gdpr", "comment", "comments", "subscribe", "subscription",
      "newsletter", "advert", "advertisement", "ad", "ads", "adv", "banner",
      "promo", "breadcrumb", "breadcrumbs", "sidebar", "menu", "navbar",
      "nav", "navigation", "footer", "header", "masthead", "popup", "modal",
      "widget", "tags", "tag", "byline", "author", "meta", "pagination",
      "pager", "login", "search", "toolbar", "rating", "poll", "outbrain",
      "taboola", "sponsored", "popular", "trending", "teaser", "teasers",
      "print", "disclaimer", "copyright", "caption"};
  if (kWords->contains(word)) return true;
  static constexpr absl::string_view kPrefixes[] = {
      "share", "social", "related", "cookie", "breadcrumb", "newsletter",
      "advert", "sidebar", "outbrain", "taboola"};
  for (absl::string_view p : kPrefixes) {
    if (absl::StartsWith(word, p)) return true;
  }
  return false;
}

bool HasClutterWord(absl::string_view value) {
  if (value.empty()) return false;
  thread_local std::string lower;
  lower.assign(value.data(), value.size());
  absl::AsciiStrToLower(&lower);
  // Whole class names that hide an element ("field--label-hidden" hides
  // only a label, so "hidden" is not a clutter word by itself).
  for (absl::string_view name :
       absl::StrSplit(lower, absl::ByAnyChar(" \t\n"), absl::SkipEmpty())) {
    if (name == "hidden" || name == "d-none" || name == "is-hidden" ||
        name == "visually-hidden" || name == "sr-only" || name == "hide" ||
        name == "screen-reader-text" || name == "element-invisible") {
      return true;
    }
  }
  if (lower.find_first_of("-_") != std::string::npos &&
      (absl::StrContains(lower, "read-more") ||
      absl::StrContains(lower, "read_more") ||
      absl::StrContains(lower, "more-news") ||
      absl::StrContains(lower, "see-also") ||
      absl::StrContains(lower, "read-also") ||
      absl::StrContains(lower, "most-read"))) {
    return true;
  }
  for (absl::string_view word : absl::StrSplit(
           lower, absl::ByAnyChar(" \t\n-_:."), absl::SkipEmpty())) {
    if (IsClutterWord(word)) return true;
  }
  return false;
}

bool IsHiddenStyle(absl::string_view style) {
  std::string s;
  s.reserve(style.size());
  for (char c : style) {
    if (!IsSpace(c)) s.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return absl::StrContains(s, "display:none") ||
         absl::StrContains(s, "visibility:hidden");
}

bool IsBlockTag(absl::string_view tag) {
  static const auto* kTags = new absl::flat_hash_set<absl::string_view>{
      "p", "div", "section", "article", "main", "blockquote", "pre", "ul",
      "ol", "dl", "table", "h1", "h2", "h3", "h4", "h5", "h6", "address",
      "center", "details", "summary", "hr", "body", "figcaption", "caption"};
  return kTags->contains(tag);
}

bool IsLineTag(absl::string_view tag) {
  return tag == "li" || tag == "br" || tag == "tr" || tag == "dt" ||
         tag == "dd" || tag == "option";
}

bool IsHeading(absl::string_view tag) {
  return tag.size() == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6';
}

// Metadata candidates, each with a rank (lower wins).
struct Candidate {
  int rank = 1000;
  std::string value;
  void Offer(int r, absl::string_view v) {
    std::string c = Collapse(v);
    if (c.empty() || r >= rank) return;
    rank = r;
    value = std::move(c);
  }
};

// Date candidates keep their raw value; parsed at the end.
struct DateCandidate {
  int rank;
  std::string value;
  std::string where;
};

class Converter {
 public:
  Converter(const PageLimits& limits, const Tree& tree, Page* page)
      : limits_(limits), tree_(tree), page_(page) {}

  absl::Status Run();

 private:
  // Pass 1: clutter flags, text sizes, metadata. Returns the subtree's
  // (text, link text) outside clutter.
  std::pair<uint32_t, uint32_t> Analyze(Node* node, int depth,
                                        bool clutter, bool sidebar,
                                        bool in_link, bool in_head);
  void ReadMeta(const Node* node);
  void ReadJsonLd(absl::string_view json);
  void ReadJsonLdObject(const Struct& object,
                        const std::map<std::string, const Struct*>& ids);
  // Analysis results live in the nodes themselves.
  static Node& Info(const Node* node) { return const_cast<Node&>(*node); }
  static bool HasInfo(const Node* node) { return node->element; }
  // The value of attribute `name`; empty when absent.
  absl::string_view Attr(const Node* node, absl::string_view name) const {
    for (uint32_t i = 0; i < node->attr_count; ++i) {
      const Attribute& a = tree_.attributes[node->attr_begin + i];
      if (a.name == name) {
        return absl::string_view(tree_.arena.data() + a.begin, a.len);
      }
    }
    return absl::string_view();
  }
  bool HasAttr(const Node* node, absl::string_view name) const {
    for (uint32_t i = 0; i < node->attr_count; ++i) {
      if (tree_.attributes[node->attr_begin + i].name == name) return true;
    }
    return false;
  }
  // HasClutterWord of a class value, remembered per distinct value (pages
  // repeat the same few class lists on most elements).
  bool ClutterClass(absl::string_view value) {
    if (value.empty()) return false;
    auto [it, inserted] = class_cache_.try_emplace(value, false);
    if (inserted) it->second = HasClutterWord(value);
    return it->second;
  }
  absl::string_view Text(const Node* node) const {
    return absl::string_view(tree_.arena.data() + node->text_begin,
                             node->text_len);
  }
  Node* ChooseBody();
  void Render(const Node* node, int depth);
  void AppendText(absl::string_view s);
  void Break(int level) { pending_ = std::max(pending_, level); }
  std::string TextOf(const Node* node);
  void Warn(absl::string_view kind, std::string message) {
    v1::Warning& w = page_->warnings.emplace_back();
    w.set_kind(std::string(kind));
    w.set_message(std::move(message));
  }

  const PageLimits& limits_;
  const Tree& tree_;
  Page* page_;
  // Keys view Tree::arena, which outlives the converter.
  absl::flat_hash_map<absl::string_view, bool> class_cache_;

  std::vector<Node*> article_bodies_;  // [itemprop=articleBody]
  std::vector<Node*> articles_;        // <article>
  std::vector<Node*> paragraphs_;      // p, pre, blockquote
  Node* body_ = nullptr;
  std::string h1_;
  std::string title_element_;
  std::string html_lang_;
  size_t json_ld_bytes_ = 0;

  Candidate title_, site_, canonical_, language_;
  std::vector<DateCandidate> dates_;

  // Render state.
  std::string out_;
  int pending_ = 0;  // 0 none, 1 space, 2 line break, 3 blank line
  bool truncated_ = false;
  std::string skip_heading_;  // headings equal to the title are not repeated
};

std::pair<uint32_t, uint32_t> Converter::Analyze(Node* node, int depth,
                                                 bool clutter, bool sidebar,
                                                 bool in_link, bool in_head) {
  uint32_t text = 0, link_text = 0;
  for (Node* child = node->children; child != nullptr;
       child = child->next) {
    if (!child->element) {
      if (!clutter) {
        uint32_t n = static_cast<uint32_t>(NonSpaceBytes(Text(child)));
        text += n;
        if (in_link) link_text += n;
      }
      continue;
    }
    const absl::string_view tag = child->name;
    const bool head = in_head || tag == "head";
    bool child_clutter = clutter;
    bool child_sidebar = sidebar;
    const bool protected_tag = tag == "body" || tag == "main" ||
                               tag == "article" || tag == "html" ||
                               Attr(child, "itemprop") == "articleBody" ||
                               Attr(child, "role") == "main";
    if (!child_clutter) {
      if (IsClutterTag(tag) || HasAttr(child, "hidden") ||
          Attr(child, "aria-hidden") == "true" ||
          IsHiddenStyle(Attr(child, "style"))) {
        child_clutter = true;
      } else {
        absl::string_view role = Attr(child, "role");
        if (role == "navigation" || role == "banner" ||
            role == "contentinfo" || role == "complementary" ||
            role == "search" || role == "dialog" || role == "alertdialog") {
          child_clutter = true;
        } else if (!protected_tag && (ClutterClass(Attr(child, "class")) ||
                                      HasClutterWord(Attr(child, "id")))) {
          child_clutter = true;
        }
      }
    }
    if (tag == "aside" || tag == "nav" || tag == "footer" ||
        (!protected_tag && child_clutter && !clutter && !IsClutterTag(tag) &&
         (absl::StrContains(absl::AsciiStrToLower(Attr(child, "class")),
                            "related") ||
          absl::StrContains(absl::AsciiStrToLower(Attr(child, "class")),
                            "comment") ||
          absl::StrContains(absl::AsciiStrToLower(Attr(child, "class")),
                            "sidebar")))) {
      child_sidebar = true;
    }
    // Metadata, wherever it is.
    if (tag == "meta") {
      ReadMeta(child);
    } else if (tag == "link") {
      std::string rel = absl::AsciiStrToLower(Attr(child, "rel"));
      for (absl::string_view r :
           absl::StrSplit(rel, absl::ByAnyChar(" \t\n"), absl::SkipEmpty())) {
        if (r == "canonical") canonical_.Offer(1, Attr(child, "href"));
      }
    } else if (tag == "title" && title_element_.empty() && head) {
      title_element_ = Collapse(TextOf(child));
    } else if (tag == "script" &&
               absl::EqualsIgnoreCase(
                   absl::StripAsciiWhitespace(Attr(child, "type")),
                   "application/ld+json")) {
      ReadJsonLd(TextOf(child));
    } else if (tag == "html" && html_lang_.empty()) {
      html_lang_ = std::string(Attr(child, "lang"));
      if (html_lang_.empty()) html_lang_ = std::string(Attr(child, "xml:lang"));
    } else if (tag == "time" && !child_sidebar) {
      absl::string_view datetime = Attr(child, "datetime");
      if (!datetime.empty()) {
        std::string cls = absl::AsciiStrToLower(Attr(child, "class"));
        int rank = Attr(child, "itemprop") == "datePublished" ? 3
                   : HasAttr(child, "pubdate") ||
                           absl::StrContains(cls, "publish")
                       ? 5
                       : 7;
        dates_.push_back({rank, std::string(datetime), "<time datetime>"});
      }
    } else if (tag == "body" && body_ == nullptr) {
      body_ = child;
    } else if (tag == "h1" && h1_.empty() && !child_sidebar) {
      h1_ = Collapse(TextOf(child));
    }
    if (!child_clutter) {
      if (Attr(child, "itemprop") == "articleBody") {
        article_bodies_.push_back(child);
      }
      if (tag == "article") articles_.push_back(child);
      if (tag == "p" || tag == "pre" || tag == "blockquote") {
        paragraphs_.push_back(child);
      }
    }
    child->clutter = child_clutter;
    child->sidebar = child_sidebar;
    std::pair<uint32_t, uint32_t> sub{0, 0};
    // libxml2 stops nesting at 256 levels; the guard keeps this recursion
    // bounded whatever the parser does.
    if (depth < 512) {
      sub = Analyze(child, depth + 1, child_clutter, child_sidebar,
                    in_link || tag == "a", head);
    }
    child->text = sub.first;
    child->link_text = sub.second;
    text += sub.first;
    link_text += sub.second;
  }
  return {text, link_text};
}

std::string Converter::TextOf(const Node* node) {
  std::string s;
  for (const Node* c = node->children; c != nullptr; c = c->next) {
    if (!c->element) {
      s.append(Text(c).data(), Text(c).size());
    } else if (s.size() < 4096) {
      // Headings and titles may hold inline markup; one level is plenty.
      for (const Node* g = c->children; g != nullptr; g = g->next) {
        if (!g->element) s.append(Text(g).data(), Text(g).size());
      }
    }
  }
  return s;
}

void Converter::ReadMeta(const Node* node) {
  absl::string_view content = Attr(node, "content");
  std::string key = absl::AsciiStrToLower(Attr(node, "property"));
  if (key.empty()) key = absl::AsciiStrToLower(Attr(node, "name"));
  const std::string itemprop = absl::AsciiStrToLower(Attr(node, "itemprop"));
  const std::string http_equiv =
      absl::AsciiStrToLower(Attr(node, "http-equiv"));
  if (content.empty()) return;
  if (http_equiv == "content-language") language_.Offer(2, content);
  if (itemprop == "datepublished") {
    dates_.push_back({3, std::string(content), "itemprop=datePublished"});
  }
  if (key.empty()) return;
  if (key == "og:title") {
    title_.Offer(1, content);
  } else if (key == "twitter:title") {
    title_.Offer(3, content);
  } else if (key == "dc.title" || key == "dcterms.title") {
    title_.Offer(6, content);
  } else if (key == "og:site_name") {
    site_.Offer(1, content);
  } else if (key == "application-name") {
    site_.Offer(3, content);
  } else if (key == "dc.publisher" || key == "dcterms.publisher") {
    site_.Offer(4, content);
  } else if (key == "og:url") {
    canonical_.Offer(2, content);
  } else if (key == "og:locale") {
    language_.Offer(3, content);
  } else if (key == "dc.language" || key == "dcterms.language") {
    language_.Offer(4, content);
  } else if (key == "article:published_time" ||
             key == "og:article:published_time" ||
             key == "og:published_time") {
    dates_.push_back({2, std::string(content), key});
  } else if (key == "dc.date.issued" || key == "dcterms.issued" ||
             key == "dc.date" || key == "dcterms.date" ||
             key == "dc.date.created" || key == "dcterms.created" ||
             key == "pubdate" || key == "publishdate" ||
             key == "publish-date" || key == "publish_date" ||
             key == "article.published" || key == "sailthru.date" ||
             key == "parsely-pub-date" || key == "date" ||
             key == "datepublished") {
    dates_.push_back({4, std::string(content), key});
  }
}

std::string JsonString(const Struct& object, const std::string& field) {
  auto it = object.fields().find(field);
  if (it == object.fields().end()) return "";
  if (it->second.kind_case() == Value::kStringValue) {
    return it->second.string_value();
  }
  if (it->second.kind_case() == Value::kListValue &&
      it->second.list_value().values_size() > 0 &&
      it->second.list_value().values(0).kind_case() == Value::kStringValue) {
    return it->second.list_value().values(0).string_value();
  }
  return "";
}

bool JsonTypeIs(const Struct& object,
                const std::vector<absl::string_view>& types) {
  auto it = object.fields().find("@type");
  if (it == object.fields().end()) return false;
  auto matches = [&](const std::string& t) {
    absl::string_view v = t;
    absl::ConsumePrefix(&v, "http://schema.org/");
    absl::ConsumePrefix(&v, "https://schema.org/");
    for (absl::string_view type : types) {
      if (v == type) return true;
    }
    return false;
  };
  if (it->second.kind_case() == Value::kStringValue) {
    return matches(it->second.string_value());
  }
  if (it->second.kind_case() == Value::kListValue) {
    for (const Value& v : it->second.list_value().values()) {
      if (v.kind_case() == Value::kStringValue && matches(v.string_value())) {
        return true;
      }
    }
  }
  return false;
}

void Converter::ReadJsonLd(absl::string_view json) {
  json = absl::StripAsciiWhitespace(json);
  if (json.empty()) return;
  // Only blocks that can say something read here are parsed (a
  // BreadcrumbList or SiteNavigationElement cannot).
  if (!absl::StrContains(json, "datePublished") &&
      !absl::StrContains(json, "headline") &&
      !absl::StrContains(json, "publisher") &&
      !absl::StrContains(json, "WebSite") &&
      !absl::StrContains(json, "@graph")) {
    return;
  }
  json_ld_bytes_ += json.size();
  if (json_ld_bytes_ > limits_.max_json_ld_bytes) {
    Warn("html_json_ld",
         absl::StrFormat("JSON-LD over %d bytes in the page; the rest is "
                         "ignored",
                         limits_.max_json_ld_bytes));
    return;
  }
  Value root;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &root);
  if (!status.ok()) {
    Warn("html_json_ld",
         absl::StrCat("a JSON-LD block does not parse: ",
                      std::string(status.message()).substr(0, 200)));
    return;
  }
  // Every object in the block, breadth first, with the @id index that
  // publisher references resolve through.
  std::vector<const Struct*> objects;
  std::vector<const Value*> queue{&root};
  std::map<std::string, const Struct*> ids;
  for (size_t i = 0; i < queue.size() && queue.size() < 100000; ++i) {
    const Value* v = queue[i];
    if (v->kind_case() == Value::kListValue) {
      for (const Value& item : v->list_value().values()) queue.push_back(&item);
    } else if (v->kind_case() == Value::kStructValue) {
      const Struct& s = v->struct_value();
      objects.push_back(&s);
      std::string id = JsonString(s, "@id");
      if (!id.empty()) ids.emplace(id, &s);
      auto graph = s.fields().find("@graph");
      if (graph != s.fields().end()) queue.push_back(&graph->second);
    }
  }
  for (const Struct* object : objects) ReadJsonLdObject(*object, ids);
}

void Converter::ReadJsonLdObject(
    const Struct& object, const std::map<std::string, const Struct*>& ids) {
  static const std::vector<absl::string_view> kArticleTypes = {
      "NewsArticle", "Article", "ReportageNews", "AnalysisNewsArticle",
      "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle",
      "BlogPosting", "LiveBlogPosting", "Report", "TechArticle",
      "ScholarlyArticle", "SocialMediaPosting"};
  static const std::vector<absl::string_view> kPageTypes = {"WebPage",
                                                            "ItemPage"};
  const bool article = JsonTypeIs(object, kArticleTypes);
  if (!article && !JsonTypeIs(object, kPageTypes)) {
    if (JsonTypeIs(object, {"WebSite"})) {
      site_.Offer(5, JsonString(object, "name"));
    }
    return;
  }
  const int bonus = article ? 0 : 1;
  std::string headline = JsonString(object, "headline");
  if (headline.empty() && article) headline = JsonString(object, "name");
  title_.Offer(2 + bonus * 4, headline);
  std::string published = JsonString(object, "datePublished");
  if (published.empty()) published = JsonString(object, "dateCreated");
  if (!published.empty()) {
    dates_.push_back({1 + bonus * 3, published, "JSON-LD datePublished"});
  }
  auto publisher = object.fields().find("publisher");
  if (publisher != object.fields().end()) {
    const Value* p = &publisher->second;
    if (p->kind_case() == Value::kListValue &&
        p->list_value().values_size() > 0) {
      p = &p->list_value().values(0);
    }
    if (p->kind_case() == Value::kStringValue) {
      site_.Offer(2 + bonus, p->string_value());
    } else if (p->kind_case() == Value::kStructValue) {
      std::string name = JsonString(p->struct_value(), "name");
      if (name.empty()) {
        auto ref = ids.find(JsonString(p->struct_value(), "@id"));
        if (ref != ids.end()) name = JsonString(*ref->second, "name");
      }
      site_.Offer(2 + bonus, name);
    }
  }
  std::string url = JsonString(object, "url");
  if (url.empty()) {
    auto main = object.fields().find("mainEntityOfPage");
    if (main != object.fields().end()) {
      if (main->second.kind_case() == Value::kStringValue) {
        url = main->second.string_value();
      } else if (main->second.kind_case() == Value::kStructValue) {
        url = JsonString(main->second.struct_value(), "@id");
      }
    }
  }
  canonical_.Offer(3 + bonus, url);
  language_.Offer(5 + bonus, JsonString(object, "inLanguage"));
}

void Converter::AppendText(absl::string_view s) {
  if (truncated_) return;
  size_t i = 0;
  while (i < s.size()) {
    if (IsSpace(s[i])) {
      pending_ = std::max(pending_, 1);
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && !IsSpace(s[j])) ++j;
    if (!out_.empty()) {
      if (pending_ == 1) out_.push_back(' ');
      if (pending_ == 2) out_.push_back('\n');
      if (pending_ == 3) out_.append("\n\n");
    }
    pending_ = 0;
    out_.append(s.data() + i, j - i);
    i = j;
  }
  if (out_.size() > limits_.max_text_bytes) {
    truncated_ = true;
    size_t cut = out_.rfind('\n', limits_.max_text_bytes);
    if (cut == std::string::npos || cut == 0) cut = limits_.max_text_bytes;
    // Never cut inside a UTF-8 sequence.
    while (cut > 0 && (static_cast<unsigned char>(out_[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    out_.resize(cut);
  }
}

void Converter::Render(const Node* node, int depth) {
  for (const Node* child = node->children; child != nullptr && !truncated_;
       child = child->next) {
    if (!child->element) {
      AppendText(Text(child));
      continue;
    }
    const Node& info = *child;
    if (info.clutter) continue;
    const absl::string_view tag = child->name;
    // Link lists inside the body ("Read also: ...", tag clouds).
    if ((tag == "p" || tag == "div" || tag == "ul" || tag == "ol" ||
         tag == "li") &&
        info.text > 0 && info.link_text * 10 >= info.text * 8) {
      continue;
    }
    if (tag == "br") {
      Break(2);
      continue;
    }
    const bool block = IsBlockTag(tag);
    const bool line = IsLineTag(tag);
    if (block) Break(3);
    if (line) Break(2);
    if (tag == "td" || tag == "th") Break(1);
    const size_t mark = out_.size();
    const int pending_before = pending_;
    if (depth < 512) Render(child, depth + 1);
    if (IsHeading(tag) && !skip_heading_.empty() && !truncated_) {
      // The headline opens the text already.
      absl::string_view rendered = absl::string_view(out_).substr(mark);
      rendered = absl::StripAsciiWhitespace(rendered);
      if (rendered == skip_heading_) {
        out_.resize(mark);
        pending_ = pending_before;
        continue;
      }
    }
    if (block) Break(3);
    if (line) Break(2);
  }
}

// The densest text block when the markup names no article body: each
// paragraph's text counts fully for its parent and half for its
// grandparent, so the container of most paragraphs wins.
Node* Converter::ChooseBody() {
  auto best_of = [&](const std::vector<Node*>& nodes) -> Node* {
    Node* best = nullptr;
    for (Node* n : nodes) {
      if (best == nullptr || Info(n).text > Info(best).text) best = n;
    }
    return best;
  };
  Node* densest = nullptr;
  for (Node* p : paragraphs_) {
    const Node& info = *p;
    if (info.text < 20 || info.link_text * 2 > info.text) continue;
    Node* parent = p->parent;
    if (parent == nullptr || !HasInfo(parent)) continue;
    Info(parent).score += info.text;
    if (densest == nullptr || Info(parent).score > Info(densest).score) {
      densest = parent;
    }
    Node* grand = parent->parent;
    if (grand != nullptr && HasInfo(grand)) {
      Info(grand).score += info.text / 2.0;
      if (Info(grand).score > Info(densest).score) densest = grand;
    }
  }
  // itemprop=articleBody is the publisher's own statement: taken as is.
  if (Node* best = best_of(article_bodies_); best != nullptr) return best;
  if (Node* best = best_of(articles_); best != nullptr) {
    // An <article> that holds far less than the densest block is a teaser
    // card of a listing, not the story.
    if (densest == nullptr || Info(best).text * 10 >= Info(densest).text * 3) {
      return best;
    }
  }
  if (densest != nullptr) return densest;
  return body_;
}

std::string StripSiteSuffix(const std::string& title, const std::string& site) {
  static constexpr absl::string_view kSeparators[] = {
      " | ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " - ", " :: ", " \xC2\xB7 ",
      " \xC2\xBB ", " / "};
  if (!site.empty()) {
    for (absl::string_view sep : kSeparators) {
      std::string suffix = absl::StrCat(sep, site);
      if (title.size() > suffix.size() && absl::EndsWith(title, suffix)) {
        return title.substr(0, title.size() - suffix.size());
      }
      std::string prefix = absl::StrCat(site, sep);
      if (title.size() > prefix.size() && absl::StartsWith(title, prefix)) {
        return title.substr(prefix.size());
      }
    }
    return title;
  }
  // No known outlet name: a short tail after the last separator is one.
  size_t best = std::string::npos;
  size_t sep_size = 0;
  for (absl::string_view sep : {" | ", " :: ", " \xE2\x80\x94 ", " \xE2\x80\x93 "}) {
    size_t at = title.rfind(sep.data(), std::string::npos, sep.size());
    if (at != std::string::npos && (best == std::string::npos || at > best)) {
      best = at;
      sep_size = sep.size();
    }
  }
  if (best == std::string::npos || best == 0) return title;
  absl::string_view tail = absl::string_view(title).substr(best + sep_size);
  const size_t words =
      std::vector<absl::string_view>(absl::StrSplit(tail, ' ', absl::SkipEmpty()))
          .size();
  if (words == 0 || words > 4) return title;
  return title.substr(0, best);
}

// An absolute http(s) URL, or `url` resolved against `base` when it is
// scheme- or host-relative; empty otherwise.
std::string AbsoluteUrl(absl::string_view url, absl::string_view base) {
  url = absl::StripAsciiWhitespace(url);
  if (url.empty()) return "";
  if (absl::StartsWithIgnoreCase(url, "http://") ||
      absl::StartsWithIgnoreCase(url, "https://")) {
    return std::string(url);
  }
  size_t scheme_end = base.find("://");
  if (scheme_end == absl::string_view::npos) return "";
  if (absl::StartsWith(url, "//")) {
    return absl::StrCat(base.substr(0, scheme_end + 1), url);
  }
  if (absl::StartsWith(url, "/")) {
    size_t host_end = base.find('/', scheme_end + 3);
    return absl::StrCat(base.substr(0, host_end), url);
  }
  return "";
}

absl::Status Converter::Run() {
  Analyze(tree_.root, 0, false, false, false, false);
  if (tree_.node_limit_hit) {
    Warn("html_nodes",
         absl::StrFormat("the page has over %d nodes; the rest is ignored",
                         limits_.max_nodes));
  }
  // Metadata.
  page_->site_name = site_.value;
  std::string og_url = canonical_.rank == 2 ? canonical_.value : "";
  page_->canonical_url = AbsoluteUrl(canonical_.value, og_url);
  if (!title_.value.empty()) {
    page_->title = StripSiteSuffix(title_.value, page_->site_name);
  } else if (!h1_.empty()) {
    page_->title = h1_;
  } else if (!title_element_.empty()) {
    page_->title = StripSiteSuffix(title_element_, page_->site_name);
  }
  page_->language = !html_lang_.empty() ? Collapse(html_lang_) : language_.value;
  std::stable_sort(dates_.begin(), dates_.end(),
                   [](const DateCandidate& a, const DateCandidate& b) {
                     return a.rank < b.rank;
                   });
  for (const DateCandidate& d : dates_) {
    std::optional<PageDate> date = ParsePageDate(d.value);
    if (!date.has_value()) {
      Warn("html_date", absl::StrCat("the ", d.where, " value \"",
                                     d.value.substr(0, 64),
                                     "\" is not an ISO 8601 date; ignored"));
      continue;
    }
    page_->published_day = date->day;
    page_->published_time = date->time;
    break;
  }

  // Body.
  Node* body = ChooseBody();
  skip_heading_ = page_->title;
  if (body != nullptr && HasInfo(body) && !Info(body).clutter) Render(body, 0);
  if (truncated_) {
    Warn("html_truncated",
         absl::StrFormat("the page text is over %d bytes; cut at a line end",
                         limits_.max_text_bytes));
  }
  if (NonSpaceBytes(out_) < kMinBodyBytes) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "no article body found: %d characters of text outside menus, "
        "headers, footers, sidebars and hidden or boilerplate blocks",
        NonSpaceBytes(out_)));
  }
  if (page_->title.empty()) {
    page_->text = std::move(out_);
  } else {
    absl::string_view first_line = out_;
    first_line = first_line.substr(0, first_line.find('\n'));
    if (first_line == page_->title) {
      page_->text = std::move(out_);
    } else {
      page_->text = absl::StrCat(page_->title, "\n\n", out_);
    }
  }
  page_->text.push_back('\n');
  return absl::OkStatus();
}

void IgnoreStructuredError(void*, xmlErrorPtr) {}
void IgnoreGenericError(void*, const char*, ...) {}

struct ContextFree {
  void operator()(htmlParserCtxt* c) const { htmlFreeParserCtxt(c); }
};

int ParseDigits(absl::string_view s, size_t pos, size_t n, bool* ok) {
  int v = 0;
  if (pos + n > s.size()) {
    *ok = false;
    return 0;
  }
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      *ok = false;
      return 0;
    }
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::optional<PageDate> ParsePageDate(absl::string_view value) {
  absl::string_view s = absl::StripAsciiWhitespace(value);
  bool ok = true;
  const int year = ParseDigits(s, 0, 4, &ok);
  if (!ok || s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const int month = ParseDigits(s, 5, 2, &ok);
  const int day = ParseDigits(s, 8, 2, &ok);
  if (!ok || year < 1900 || year > 2200 || month < 1 || month > 12 ||
      day < 1 || day > 31) {
    return std::nullopt;
  }
  const absl::CivilDay civil(year, month, day);
  if (civil.day() != day) return std::nullopt;  // 2019-02-30
  PageDate date{civil, absl::FromCivil(civil, absl::UTCTimeZone())};
  s.remove_prefix(10);
  if (s.empty()) return date;
  if (s[0] != 'T' && s[0] != 't' && s[0] != ' ') return std::nullopt;
  s.remove_prefix(1);
  const int hour = ParseDigits(s, 0, 2, &ok);
  if (!ok || s.size() < 5 || s[2] != ':') return std::nullopt;
  const int minute = ParseDigits(s, 3, 2, &ok);
  s.remove_prefix(5);
  int second = 0;
  if (!s.empty() && s[0] == ':') {
    second = ParseDigits(s, 1, 2, &ok);
    if (!ok) return std::nullopt;  // ":" or ":5" at the end
    s.remove_prefix(3);
  }
  if (!ok || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  if (!s.empty() && (s[0] == '.' || s[0] == ',')) {
    s.remove_prefix(1);
    while (!s.empty() && s[0] >= '0' && s[0] <= '9') s.remove_prefix(1);
  }
  int offset_seconds = 0;
  s = absl::StripAsciiWhitespace(s);
  if (s == "Z" || s == "z" || s.empty()) {
    // UTC, or no offset given: read as UTC.
  } else if (s[0] == '+' || s[0] == '-') {
    const int sign = s[0] == '-' ? -1 : 1;
    const int oh = ParseDigits(s, 1, 2, &ok);
    int om = 0;
    if (s.size() == 6 && s[3] == ':') {
      om = ParseDigits(s, 4, 2, &ok);
    } else if (s.size() == 5) {
      om = ParseDigits(s, 3, 2, &ok);
    } else if (s.size() != 3) {
      return std::nullopt;
    }
    if (!ok || oh > 14 || om > 59) return std::nullopt;
    offset_seconds = sign * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  date.time = absl::FromCivil(absl::CivilSecond(year, month, day, hour,
                                                minute, second),
                              absl::UTCTimeZone()) -
              absl::Seconds(offset_seconds);
  return date;
}

bool LooksLikeHtml(absl::string_view bytes) {
  std::string head;
  if (absl::StartsWith(bytes, "\xFF\xFE") || absl::StartsWith(bytes, "\xFE\xFF")) {
    // UTF-16: keep the low (LE) or high (BE) bytes of the first units.
    const bool le = bytes[0] == '\xFF';
    for (size_t i = 2; i + 1 < bytes.size() && head.size() < 64; i += 2) {
      char lo = le ? bytes[i] : bytes[i + 1];
      char hi = le ? bytes[i + 1] : bytes[i];
      if (hi != 0) return false;
      head.push_back(lo);
    }
  } else {
    absl::string_view rest = bytes;
    absl::ConsumePrefix(&rest, "\xEF\xBB\xBF");
    head = std::string(rest.substr(0, 1024));
  }
  absl::string_view s = absl::StripLeadingAsciiWhitespace(head);
  if (s.empty() || s[0] != '<') return false;
  for (absl::string_view start :
       {"<!doctype html", "<html", "<head", "<body", "<meta", "<title",
        "<!--", "<?xml"}) {
    if (absl::StartsWithIgnoreCase(s, start)) {
      if (start == "<!--" || start == "<?xml") {
        // A comment or XML declaration is HTML when a tag of it follows.
        std::string lower = absl::AsciiStrToLower(s);
        return absl::StrContains(lower, "<html") ||
               absl::StrContains(lower, "<!doctype html") ||
               absl::StrContains(lower, "<head");
      }
      return true;
    }
  }
  return false;
}

absl::StatusOr<Page> ConvertPage(absl::string_view bytes,
                                 absl::string_view content_type,
                                 const PageLimits& limits) {
  if (bytes.empty()) {
    return absl::InvalidArgumentError("required, got an empty page");
  }
  if (bytes.size() > limits.max_page_bytes) {
    return absl::InvalidArgumentError(
        absl::StrFormat("page is %d bytes, over the %d-byte limit",
                        bytes.size(), limits.max_page_bytes));
  }
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });

  Page page;
  absl::StatusOr<internal::DecodedPage> decoded =
      internal::DecodePage(bytes, content_type);
  if (!decoded.ok()) return decoded.status();
  page.charset = decoded->charset;
  for (auto& [kind, message] : decoded->notes) {
    v1::Warning& w = page.warnings.emplace_back();
    w.set_kind(absl::StrCat("html_", kind));
    w.set_message(std::move(message));
  }
  if (decoded->utf8().size() > static_cast<size_t>(INT32_MAX / 2)) {
    return absl::InvalidArgumentError("page too large once decoded");
  }

  // libxml2's error handlers are per thread; silence them for this parse
  // (bad markup is expected, and is recovered from).
  xmlSetStructuredErrorFunc(nullptr, IgnoreStructuredError);
  xmlSetGenericErrorFunc(nullptr, IgnoreGenericError);
  if (decoded->utf8().empty()) {
    // A byte-order mark alone, say: libxml2 takes no empty input.
    return absl::InvalidArgumentError(
        "no article body found: the page holds no characters");
  }
  std::unique_ptr<htmlParserCtxt, ContextFree> context(
      htmlCreateMemoryParserCtxt(decoded->utf8().data(),
                                 static_cast<int>(decoded->utf8().size())));
  if (context == nullptr) return absl::ResourceExhaustedError("out of memory");
  Tree tree;
  tree.max_nodes = limits.max_nodes;
  tree.context = context.get();
  tree.root = tree.NewNode();
  tree.root->element = true;
  tree.current = tree.root;
  tree.arena.reserve(decoded->utf8().size() / 2);
  htmlSAXHandler* sax = context->sax;
  memset(sax, 0, sizeof(*sax));
  sax->startElement = OnStartElement;
  sax->endElement = OnEndElement;
  sax->characters = OnCharacters;
  sax->ignorableWhitespace = OnCharacters;
  sax->cdataBlock = OnCharacters;  // script and style content
  sax->initialized = 1;
  context->userData = &tree;
  // The bytes are UTF-8 already (decoded above): the page's own <meta
  // charset> must not switch the parser to another encoding (libxml2 keeps
  // a declared input encoding, as htmlCtxtReadMemory sets it).
  if (xmlCharEncodingHandlerPtr utf8 = xmlFindCharEncodingHandler("UTF-8")) {
    xmlSwitchToEncoding(context.get(), utf8);
    if (context->input->encoding != nullptr) {
      xmlFree(const_cast<xmlChar*>(context->input->encoding));
    }
    context->input->encoding = xmlStrdup(BAD_CAST "UTF-8");
  }
  htmlCtxtUseOptions(context.get(), HTML_PARSE_RECOVER | HTML_PARSE_NONET |
                                        HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING |
                                        HTML_PARSE_IGNORE_ENC);
  htmlParseDocument(context.get());
  if (tree.too_deep) {
    page.warnings.emplace_back();
    page.warnings.back().set_kind("html_depth");
    page.warnings.back().set_message(absl::StrFormat(
        "elements nested over %d deep; deeper elements are flattened into "
        "their ancestor at that depth (their text is kept)",
        kMaxDepth));
  }
  Converter converter(limits, tree, &page);
  absl::Status status = converter.Run();
  if (!status.ok()) return status;
  return page;
}

}  // namespace communique::html
