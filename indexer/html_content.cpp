// Choosing the article of a web page by its content, after Mozilla
// Readability's algorithm: paragraphs score their ancestors, the best
// candidate and the siblings that score well are kept, and the result is
// cleaned of what is not article text.
#include "html_content.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <unordered_map>

#include "folio/text.hpp"

namespace folio::html {

const char* attribute(const GumboNode* node, const char* name) {
  if (node->type != GUMBO_NODE_ELEMENT) return nullptr;
  const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
  return a == nullptr ? nullptr : a->value;
}

const GumboVector& children_of(const GumboNode* node) {
  static const GumboVector kEmpty = {nullptr, 0, 0};
  if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE) {
    return node->v.element.children;
  }
  if (node->type == GUMBO_NODE_DOCUMENT) return node->v.document.children;
  return kEmpty;
}

std::vector<std::string> hint_tokens(std::string_view value) {
  std::vector<std::string> tokens;
  std::string current;
  auto end_token = [&] {
    if (!current.empty()) tokens.push_back(std::move(current));
    current.clear();
  };
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const bool lower = c >= 'a' && c <= 'z';
    const bool upper = c >= 'A' && c <= 'Z';
    const bool digit = c >= '0' && c <= '9';
    if (!lower && !upper && !digit) {
      end_token();
      continue;
    }
    if (upper && !current.empty()) {
      // "shareBtns" splits before B; "URLBox" before B of "Box".
      const char prev = value[i - 1];
      const bool prev_lower = prev >= 'a' && prev <= 'z';
      const bool next_lower = i + 1 < value.size() && value[i + 1] >= 'a' && value[i + 1] <= 'z';
      const bool prev_upper = prev >= 'A' && prev <= 'Z';
      if (prev_lower || (prev_upper && next_lower)) end_token();
    }
    current += upper ? static_cast<char>(c - 'A' + 'a') : c;
  }
  end_token();
  return tokens;
}

bool is_never_text(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_TITLE:
      return true;
    default:
      return false;
  }
}

bool is_inline_tag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_B:
    case GUMBO_TAG_BDI:
    case GUMBO_TAG_BDO:
    case GUMBO_TAG_BIG:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_DATA:
    case GUMBO_TAG_DEL:
    case GUMBO_TAG_DFN:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_FONT:
    case GUMBO_TAG_I:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_INS:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_LABEL:
    case GUMBO_TAG_MARK:
    case GUMBO_TAG_NOBR:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_RUBY:
    case GUMBO_TAG_RT:
    case GUMBO_TAG_RP:
    case GUMBO_TAG_S:
    case GUMBO_TAG_SAMP:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_STRIKE:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_TIME:
    case GUMBO_TAG_TT:
    case GUMBO_TAG_U:
    case GUMBO_TAG_VAR:
    case GUMBO_TAG_WBR:
      return true;
    default:
      // Controls and media are inline too: they never split a paragraph.
      return is_never_text(tag) && tag != GUMBO_TAG_HEAD && tag != GUMBO_TAG_TEMPLATE;
  }
}

namespace {

void collect_text(const GumboNode* node, const std::unordered_set<const GumboNode*>* dropped,
                  std::string& out, int depth = 0) {
  if (depth > kMaxDepth) return;
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
      node->type == GUMBO_NODE_CDATA) {
    out += node->v.text.text;
    return;
  }
  if (node->type != GUMBO_NODE_ELEMENT) return;
  const GumboElement& e = node->v.element;
  if (is_never_text(e.tag) || (dropped != nullptr && dropped->count(node) != 0)) return;
  const bool block = !is_inline_tag(e.tag);
  if (e.tag == GUMBO_TAG_BR || block) out += ' ';
  for (unsigned i = 0; i < e.children.length; ++i) {
    collect_text(static_cast<const GumboNode*>(e.children.data[i]), dropped, out, depth + 1);
  }
  if (block) out += ' ';
}

}  // namespace

void append_raw_text(const GumboNode* node, const std::unordered_set<const GumboNode*>* dropped,
                     std::string& out) {
  collect_text(node, dropped, out);
}

namespace {

bool has_block_child_at(const GumboNode* node, int depth) {
  if (depth > kMaxDepth) return false;
  const GumboVector& kids = children_of(node);
  for (unsigned i = 0; i < kids.length; ++i) {
    const auto* k = static_cast<const GumboNode*>(kids.data[i]);
    if (k->type == GUMBO_NODE_ELEMENT &&
        (!is_inline_tag(k->v.element.tag) || has_block_child_at(k, depth + 1))) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool has_block_child(const GumboNode* node) { return has_block_child_at(node, 0); }

std::string text_of(const GumboNode* node, const std::unordered_set<const GumboNode*>* dropped) {
  std::string raw;
  collect_text(node, dropped, raw);
  return text_of_run(raw);
}

std::string text_of_run(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  bool space = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    // U+00A0 no-break space counts as white space.
    const bool nbsp = c == '\xC2' && i + 1 < raw.size() && raw[i + 1] == '\xA0';
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || nbsp) {
      if (nbsp) ++i;
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string decode_entities(std::string_view text) {
  struct Named {
    std::string_view name;
    std::uint32_t cp;
  };
  static constexpr std::array<Named, 22> kNamed = {{
      {"amp", '&'},      {"lt", '<'},       {"gt", '>'},        {"quot", '"'},     {"apos", '\''},
      {"nbsp", 0xA0},    {"ndash", 0x2013}, {"mdash", 0x2014},  {"lsquo", 0x2018}, {"rsquo", 0x2019},
      {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"hellip", 0x2026}, {"laquo", 0xAB},   {"raquo", 0xBB},
      {"copy", 0xA9},    {"reg", 0xAE},     {"trade", 0x2122},  {"eacute", 0xE9},  {"egrave", 0xE8},
      {"middot", 0xB7},  {"bull", 0x2022},
  }};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const std::size_t semi = text.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 12) {
      out += '&';
      continue;
    }
    const std::string_view ref = text.substr(i + 1, semi - i - 1);
    bool done = false;
    if (ref.size() >= 2 && ref[0] == '#') {
      const bool hex = ref[1] == 'x' || ref[1] == 'X';
      std::uint32_t cp = 0;
      bool ok = ref.size() > (hex ? 2u : 1u);
      for (std::size_t k = hex ? 2 : 1; ok && k < ref.size(); ++k) {
        const char c = ref[k];
        std::uint32_t d;
        if (c >= '0' && c <= '9') {
          d = static_cast<std::uint32_t>(c - '0');
        } else if (hex && c >= 'a' && c <= 'f') {
          d = static_cast<std::uint32_t>(c - 'a' + 10);
        } else if (hex && c >= 'A' && c <= 'F') {
          d = static_cast<std::uint32_t>(c - 'A' + 10);
        } else {
          ok = false;
          break;
        }
        cp = cp * (hex ? 16u : 10u) + d;
        if (cp > 0x10FFFF) ok = false;
      }
      if (ok) {
        append_utf8(out, cp);
        done = true;
      }
    } else {
      for (const Named& n : kNamed) {
        if (ref == n.name) {
          append_utf8(out, n.cp);
          done = true;
          break;
        }
      }
    }
    if (done) {
      i = semi;
    } else {
      out += '&';
    }
  }
  return out;
}

namespace {

// Hints, as whole tokens of class and id values (after Readability's lists).
template <typename Words>
bool in_words(const std::vector<std::string>& tokens, const Words& words) {
  for (const std::string& t : tokens) {
    for (std::string_view w : words) {
      if (t == w) return true;
    }
  }
  return false;
}
bool in(const std::vector<std::string>& tokens, const std::vector<std::string_view>& words) {
  return in_words(tokens, words);
}
bool in(const std::vector<std::string>& tokens, std::initializer_list<std::string_view> words) {
  return in_words(tokens, words);
}

// Page chrome: removed before scoring unless a "maybe" token rescues it.
const std::vector<std::string_view> kUnlikely = {
    "ad",           "ads",         "advert",     "advertisement", "adverts",  "ai2html",     "banner",
    "breadcrumb",   "breadcrumbs", "combx",      "comment",       "comments", "community",   "disqus",
    "footer",       "gdpr",        "legends",    "menu",          "related",  "remark",      "replies",
    "rss",          "shoutbox",    "sidebar",    "skyscraper",    "social",   "sponsor",     "sponsored",
    "supplemental", "agegate",     "pagination", "pager",         "popup",    "cookie",      "cookies",
    "consent",      "newsletter",  "subscribe",  "share",         "sharing",  "modal",       "outbrain",
    "taboola",      "navbar",      "navigation", "masthead",      "toolbar",  "recommended", "trending",
    "promo"};
const std::vector<std::string_view> kMaybe = {"and",  "article", "body",  "column", "content",
                                              "main", "shadow",  "story", "entry"};
const std::vector<std::string_view> kPositive = {"article", "body",      "content", "entry", "hentry",
                                                 "main",    "page",      "post",    "text",  "blog",
                                                 "story",   "paragraph", "prose"};
const std::vector<std::string_view> kNegative = {
    "hidden",     "hid",     "banner",    "combx",      "comment",   "comments", "com",
    "contact",    "footer",  "gdpr",      "masthead",   "media",     "meta",     "outbrain",
    "promo",      "related", "scroll",    "share",      "sharing",   "shoutbox", "sidebar",
    "skyscraper", "sponsor", "sponsored", "shopping",   "tags",      "widget",   "ad",
    "ads",        "advert",  "social",    "newsletter", "subscribe", "popular",  "recommended",
    "trending",   "taboola", "caption",   "captions",   "player",    "modal",    "popup"};
// Widgets dropped from inside the chosen article.
const std::vector<std::string_view> kWidget = {
    "share",        "sharing",    "social",      "comment",    "comments", "newsletter",    "subscribe",
    "subscription", "related",    "promo",       "cookie",     "cookies",  "consent",       "popup",
    "modal",        "breadcrumb", "breadcrumbs", "sidebar",    "advert",   "advertisement", "ad",
    "ads",          "sponsor",    "sponsored",   "outbrain",   "taboola",  "recommended",   "popular",
    "trending",     "follow",     "toolbar",     "navigation", "navbar",   "menu",          "pagination",
    "pager",        "disqus",     "replies",     "gdpr",       "signup",   "paywall",       "print",
    "tags",         "rating",     "player",      "controls"};
const std::vector<std::string_view> kBylineTokens = {"byline", "byl", "author", "authors", "dateline"};

std::vector<std::string> tokens_of(const GumboNode* node) {
  std::vector<std::string> tokens;
  for (const char* name : {"class", "id"}) {
    if (const char* v = attribute(node, name)) {
      for (std::string& t : hint_tokens(v)) tokens.push_back(std::move(t));
    }
  }
  return tokens;
}

int class_weight(const GumboNode* node) {
  int weight = 0;
  for (const char* name : {"class", "id"}) {
    const char* v = attribute(node, name);
    if (v == nullptr) continue;
    const std::vector<std::string> tokens = hint_tokens(v);
    if (in(tokens, kNegative)) weight -= 25;
    if (in(tokens, kPositive)) weight += 25;
  }
  return weight;
}

bool has_role(const GumboNode* node, std::initializer_list<std::string_view> roles) {
  const char* role = attribute(node, "role");
  if (role == nullptr) return false;
  const std::string r = to_lower_ascii(role);
  for (std::string_view x : roles) {
    if (r == x) return true;
  }
  return false;
}

bool is_hidden(const GumboNode* node) {
  if (attribute(node, "hidden") != nullptr) return true;
  if (const char* aria = attribute(node, "aria-hidden")) {
    if (std::string_view(aria) == "true") return true;
  }
  if (const char* style = attribute(node, "style")) {
    std::string s = to_lower_ascii(style);
    s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
    if (s.find("display:none") != std::string::npos || s.find("visibility:hidden") != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool is_heading(GumboTag tag) {
  return tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 || tag == GUMBO_TAG_H4 ||
         tag == GUMBO_TAG_H5 || tag == GUMBO_TAG_H6;
}

// What an element holds, counted over its kept descendants.
struct Stats {
  std::size_t text = 0;   // characters, white space runs counted once
  std::size_t links = 0;  // characters inside <a>
  std::size_t commas = 0;
  std::size_t paras = 0;  // <p> elements
  std::size_t lis = 0;
  std::size_t imgs = 0;
  std::size_t inputs = 0;  // visible form controls
  std::size_t embeds = 0;  // iframe, video, object, embed
  std::size_t heading_text = 0;
  std::size_t list_text = 0;  // characters inside <li>
  std::size_t para_text = 0;  // characters of paragraphs of 25+ characters, not in links
  std::size_t blocks = 0;     // block boundaries counted in text
  bool has_block = false;     // has a descendant that is not inline
  bool nested_table = false;

  void add(const Stats& o) {
    text += o.text;
    links += o.links;
    commas += o.commas;
    paras += o.paras;
    lis += o.lis;
    imgs += o.imgs;
    inputs += o.inputs;
    embeds += o.embeds;
    heading_text += o.heading_text;
    list_text += o.list_text;
    para_text += o.para_text;
    blocks += o.blocks;
  }
  double link_density() const {
    return text == 0 ? 0.0 : static_cast<double>(links) / static_cast<double>(text);
  }
};

void count_text(std::string_view s, Stats& st) {
  bool space = true;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\f') {
      if (!space) ++st.text;
      space = true;
      continue;
    }
    space = false;
    if ((b & 0xC0) != 0x80) ++st.text;
    if (b == ',') ++st.commas;
    // U+FF0C fullwidth comma, U+3001 ideographic comma, U+060C Arabic comma.
    if (b == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC &&
        static_cast<unsigned char>(s[i + 2]) == 0x8C) {
      ++st.commas;
    }
    if (b == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        static_cast<unsigned char>(s[i + 2]) == 0x81) {
      ++st.commas;
    }
    if (b == 0xD8 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x8C) ++st.commas;
  }
}

// A block of text: <p>, <pre>, or a block element holding only inline
// content (a "div paragraph").
bool is_paragraph(const GumboNode* node, const Stats& st) {
  const GumboTag tag = node->v.element.tag;
  if (tag == GUMBO_TAG_P || tag == GUMBO_TAG_PRE) return true;
  if (st.has_block || st.text == 0) return false;
  switch (tag) {
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_UNKNOWN:
      return true;
    default:
      return false;
  }
}

class Analysis {
 public:
  explicit Analysis(const GumboNode* document) : document_(document) {}

  ArticleContent::Result run() {
    body_ = find_body(document_);
    ArticleContent::Result best;
    if (body_ == nullptr) return best;
    // Pass 1: what each element holds, to know which one holds most of the
    // page's text before removing anything.
    measure(body_, false, nullptr);
    full_ = stats_;
    // Readability's retries: strict first, then without removing unlikely
    // candidates and without conditional cleaning, keeping the longest.
    std::size_t best_len = 0;
    for (int attempt = 0; attempt < 3; ++attempt) {
      strip_unlikely_ = attempt == 0;
      clean_conditionally_ = attempt < 2;
      ArticleContent::Result r = attempt_once();
      std::size_t len = 0;
      for (const GumboNode* root : r.roots) len += kept_text_[root];
      // A looser attempt must find clearly more text: a little more is
      // usually the widgets the strict one left out.
      if (attempt == 0 || len * 2 > best_len * 3 + 100) {
        best_len = len;
        best = std::move(r);
      }
      if (best_len >= 500) break;
    }
    // Only links and headings left: the page has no article text.
    if (best_len == 0) best.roots.clear();
    return best;
  }

 private:
  static const GumboNode* find_body(const GumboNode* node) {
    if (node->type == GUMBO_NODE_ELEMENT && node->v.element.tag == GUMBO_TAG_BODY) return node;
    const GumboVector& kids = children_of(node);
    for (unsigned i = 0; i < kids.length; ++i) {
      if (const GumboNode* b = find_body(static_cast<const GumboNode*>(kids.data[i]))) return b;
    }
    return nullptr;
  }

  // Counts what `node` holds, leaving out elements in `removed`; records
  // each element's stats in stats_.
  Stats measure(const GumboNode* node, bool in_link, const std::unordered_set<const GumboNode*>* removed,
                int depth = 0) {
    Stats st;
    if (depth > kMaxDepth) return st;
    const GumboVector& kids = children_of(node);
    const GumboTag tag = node->v.element.tag;
    const bool link = in_link || tag == GUMBO_TAG_A;
    for (unsigned i = 0; i < kids.length; ++i) {
      const auto* kid = static_cast<const GumboNode*>(kids.data[i]);
      if (kid->type == GUMBO_NODE_TEXT || kid->type == GUMBO_NODE_CDATA ||
          kid->type == GUMBO_NODE_WHITESPACE) {
        Stats t;
        count_text(kid->v.text.text, t);
        if (link) t.links = t.text;
        st.add(t);
        continue;
      }
      if (kid->type != GUMBO_NODE_ELEMENT) continue;
      const GumboTag kt = kid->v.element.tag;
      if (kt == GUMBO_TAG_IMG) ++st.imgs;
      if (kt == GUMBO_TAG_IFRAME || kt == GUMBO_TAG_VIDEO || kt == GUMBO_TAG_OBJECT ||
          kt == GUMBO_TAG_EMBED) {
        ++st.embeds;
      }
      if (kt == GUMBO_TAG_SELECT || kt == GUMBO_TAG_TEXTAREA ||
          (kt == GUMBO_TAG_INPUT &&
           !equals_icase(attribute(kid, "type") ? attribute(kid, "type") : "", "hidden"))) {
        ++st.inputs;
      }
      if (is_never_text(kt)) continue;
      if (removed != nullptr && removed->count(kid) != 0) continue;
      if (!is_inline_tag(kt)) st.has_block = true;
      if (kt == GUMBO_TAG_TABLE || kt == GUMBO_TAG_TBODY) {
        if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) st.nested_table = true;
      }
      Stats k = measure(kid, link, removed, depth + 1);
      if (kt == GUMBO_TAG_P) ++k.paras;
      if (kt == GUMBO_TAG_LI) {
        ++k.lis;
        k.list_text = k.text;
      }
      if (is_heading(kt)) k.heading_text = k.text;
      if (!is_inline_tag(kt)) {
        // A block boundary separates words.
        ++k.text;
      }
      if (k.has_block) st.has_block = true;
      if (k.nested_table) st.nested_table = true;
      st.add(k);
    }
    if (tag != GUMBO_TAG_BODY && is_paragraph(node, st) && st.text >= 25 && st.para_text == 0) {
      st.para_text = st.text - std::min(st.text, st.links);
    }
    stats_[node] = st;
    return st;
  }

  // The element holds most of the page's paragraph text: never removed.
  bool holds_most_text(const GumboNode* node) const {
    const auto it = full_.find(node);
    const auto body = full_.find(body_);
    if (it == full_.end() || body == full_.end() || body->second.para_text == 0) return false;
    return it->second.para_text * 2 >= body->second.para_text;
  }

  // Pass 2: page chrome removed before scoring.
  void mark_removed(const GumboNode* node, bool in_article, int depth = 0) {
    if (depth > kMaxDepth) return;
    const GumboVector& kids = children_of(node);
    for (unsigned i = 0; i < kids.length; ++i) {
      const auto* kid = static_cast<const GumboNode*>(kids.data[i]);
      if (kid->type != GUMBO_NODE_ELEMENT || is_never_text(kid->v.element.tag)) continue;
      const GumboTag tag = kid->v.element.tag;
      const bool article = in_article || tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN;
      if (is_chrome(kid, in_article) && !holds_most_text(kid)) {
        removed_.insert(kid);
        continue;
      }
      mark_removed(kid, article, depth + 1);
    }
  }

  bool is_chrome(const GumboNode* node, bool in_article) const {
    const GumboTag tag = node->v.element.tag;
    if (is_hidden(node)) return true;
    if (tag == GUMBO_TAG_NAV || tag == GUMBO_TAG_ASIDE || tag == GUMBO_TAG_FOOTER) return true;
    if (tag == GUMBO_TAG_HEADER && !in_article) return true;
    if (has_role(node, {"navigation", "complementary", "contentinfo", "menu", "menubar", "alert",
                        "alertdialog", "dialog", "banner", "search"})) {
      return true;
    }
    if (!strip_unlikely_) return false;
    if (tag == GUMBO_TAG_A || tag == GUMBO_TAG_ARTICLE || tag == GUMBO_TAG_MAIN || tag == GUMBO_TAG_TABLE ||
        tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TR || tag == GUMBO_TAG_CODE || tag == GUMBO_TAG_PRE) {
      return false;
    }
    const std::vector<std::string> tokens = tokens_of(node);
    return in(tokens, kUnlikely) && !in(tokens, kMaybe);
  }

  double initial_score(const GumboNode* node) const {
    double score = 0;
    switch (node->v.element.tag) {
      case GUMBO_TAG_DIV:
        score = 5;
        break;
      case GUMBO_TAG_PRE:
      case GUMBO_TAG_TD:
      case GUMBO_TAG_BLOCKQUOTE:
        score = 3;
        break;
      case GUMBO_TAG_ADDRESS:
      case GUMBO_TAG_OL:
      case GUMBO_TAG_UL:
      case GUMBO_TAG_DL:
      case GUMBO_TAG_DD:
      case GUMBO_TAG_DT:
      case GUMBO_TAG_LI:
      case GUMBO_TAG_FORM:
        score = -3;
        break;
      case GUMBO_TAG_H1:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
      case GUMBO_TAG_H4:
      case GUMBO_TAG_H5:
      case GUMBO_TAG_H6:
      case GUMBO_TAG_TH:
        score = -5;
        break;
      case GUMBO_TAG_ARTICLE:
      case GUMBO_TAG_MAIN:
        // A strong hint, not a choice: a promo card is an <article> too.
        score = 10;
        break;
      default:
        break;
    }
    if (has_role(node, {"main", "article"})) score += 10;
    if (const char* prop = attribute(node, "itemprop")) {
      if (in(hint_tokens(prop), {"articlebody"}) || std::string_view(prop) == "articleBody") {
        score += 25;
      }
    }
    return score + class_weight(node);
  }

  // Pass 3: paragraphs score their ancestors.
  void score_paragraphs(const GumboNode* node, int depth = 0) {
    if (depth > kMaxDepth) return;
    const GumboVector& kids = children_of(node);
    for (unsigned i = 0; i < kids.length; ++i) {
      const auto* kid = static_cast<const GumboNode*>(kids.data[i]);
      if (kid->type != GUMBO_NODE_ELEMENT) continue;
      const auto it = stats_.find(kid);
      if (it == stats_.end()) continue;  // never text, or removed
      const Stats& st = it->second;
      if (is_paragraph(kid, st) || kid->v.element.tag == GUMBO_TAG_TD) {
        if (is_paragraph(kid, st) && st.text >= 25) add_paragraph_score(kid, st);
        if (kid->v.element.tag != GUMBO_TAG_TD || !st.has_block) continue;
      }
      score_paragraphs(kid, depth + 1);
    }
  }

  void add_paragraph_score(const GumboNode* para, const Stats& st) {
    const double score =
        1.0 + static_cast<double>(st.commas) + static_cast<double>(std::min<std::size_t>(st.text / 100, 3));
    const GumboNode* ancestor = para->parent;
    for (int level = 0; level < 5 && ancestor != nullptr && ancestor->type == GUMBO_NODE_ELEMENT;
         ++level, ancestor = ancestor->parent) {
      auto [it, fresh] = scores_.try_emplace(ancestor, 0.0);
      if (fresh) {
        it->second = initial_score(ancestor);
        candidates_.push_back(ancestor);
      }
      const double divider = level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0;
      it->second += score / divider;
      if (ancestor == body_) break;
    }
  }

  double final_score(const GumboNode* node) const {
    const auto s = scores_.find(node);
    if (s == scores_.end()) return 0;
    const auto st = stats_.find(node);
    const double ld = st == stats_.end() ? 0.0 : st->second.link_density();
    return s->second * (1.0 - ld);
  }

  static bool contains(const GumboNode* ancestor, const GumboNode* node) {
    for (; node != nullptr; node = node->parent) {
      if (node == ancestor) return true;
    }
    return false;
  }

  ArticleContent::Result attempt_once() {
    removed_.clear();
    scores_.clear();
    candidates_.clear();
    stats_.clear();
    mark_removed(body_, false);
    measure(body_, false, &removed_);
    score_paragraphs(body_);

    const GumboNode* top = nullptr;
    double top_score = 0;
    for (const GumboNode* c : candidates_) {
      const double s = final_score(c);
      if (top == nullptr || s > top_score) {
        top = c;
        top_score = s;
      }
    }
    ArticleContent::Result result;
    if (top == nullptr || top == body_) {
      top = body_;
    } else {
      // Several good candidates inside one ancestor: the ancestor is the
      // article (its paragraphs are split between several containers).
      std::vector<const GumboNode*> alternatives;
      for (const GumboNode* c : candidates_) {
        if (c != top && final_score(c) >= 0.75 * top_score) alternatives.push_back(c);
      }
      if (alternatives.size() >= 3) {
        for (const GumboNode* p = top->parent; p != nullptr && p != body_ && p->type == GUMBO_NODE_ELEMENT;
             p = p->parent) {
          std::size_t inside = 0;
          for (const GumboNode* a : alternatives)
            if (contains(p, a)) ++inside;
          if (inside >= 3) {
            top = p;
            break;
          }
        }
      }
      // Climb while the parent scores better.
      double last = final_score(top);
      const double threshold = last / 3;
      for (const GumboNode* p = top->parent; p != nullptr && p != body_ && p->type == GUMBO_NODE_ELEMENT;
           p = p->parent) {
        if (scores_.count(p) == 0) continue;
        const double ps = final_score(p);
        if (ps < threshold) break;
        if (ps > last) {
          top = p;
          break;
        }
        last = ps;
      }
      // An only child stands for its parent.
      while (top->parent != nullptr && top->parent != body_ && top->parent->type == GUMBO_NODE_ELEMENT) {
        const GumboVector& kids = children_of(top->parent);
        std::size_t elements = 0;
        for (unsigned i = 0; i < kids.length; ++i) {
          const auto* k = static_cast<const GumboNode*>(kids.data[i]);
          if (k->type == GUMBO_NODE_ELEMENT) ++elements;
        }
        if (elements != 1) break;
        top = top->parent;
      }
    }

    // The top candidate and the siblings that score well.
    const double score = final_score(top);
    if (top == body_ || top->parent == nullptr || top->parent->type != GUMBO_NODE_ELEMENT) {
      result.roots.push_back(top);
    } else {
      const double threshold = std::max(10.0, score * 0.2);
      const char* top_class = attribute(top, "class");
      const GumboVector& kids = children_of(top->parent);
      for (unsigned i = 0; i < kids.length; ++i) {
        const auto* sib = static_cast<const GumboNode*>(kids.data[i]);
        if (sib->type != GUMBO_NODE_ELEMENT) continue;
        if (sib == top) {
          result.roots.push_back(sib);
          continue;
        }
        if (stats_.count(sib) == 0) continue;  // removed or never text
        double bonus = 0;
        const char* c = attribute(sib, "class");
        if (top_class != nullptr && c != nullptr && *top_class != '\0' && std::string_view(c) == top_class) {
          bonus = score * 0.2;
        }
        bool keep = scores_.count(sib) != 0 && final_score(sib) + bonus >= threshold;
        if (!keep && is_paragraph(sib, stats_[sib])) {
          const Stats& st = stats_[sib];
          const double ld = st.link_density();
          const std::string text = st.text < 80 ? text_of(sib) : std::string();
          keep = (st.text > 80 && ld < 0.25) ||
                 (st.text > 0 && st.text <= 80 && ld == 0 &&
                  (text.find(". ") != std::string::npos || (!text.empty() && text.back() == '.')));
        }
        if (keep) result.roots.push_back(sib);
      }
    }

    // Pass 4: clean the chosen elements.
    for (const GumboNode* root : result.roots) {
      root_para_ = stats_[root].para_text;
      const Stats kept = clean(root, root, result);
      const std::size_t plain = kept.text - std::min(kept.text, kept.links + kept.heading_text);
      // Block boundaries count one character each: only words count here.
      kept_text_[root] = plain > kept.blocks ? plain - kept.blocks : 0;
    }
    return result;
  }

  bool is_data_table(const GumboNode* table) const {
    if (has_role(table, {"presentation", "none"})) return false;
    if (attribute(table, "summary") != nullptr) return true;
    bool header = false;
    find_in(table, [&](const GumboNode* n) {
      const GumboTag t = n->v.element.tag;
      if (t == GUMBO_TAG_CAPTION || t == GUMBO_TAG_TH || t == GUMBO_TAG_THEAD || t == GUMBO_TAG_TFOOT) {
        header = true;
      }
      return !header && t != GUMBO_TAG_TABLE;
    });
    const auto it = stats_.find(table);
    return header && (it == stats_.end() || !it->second.nested_table);
  }

  template <typename Fn>
  static void find_in(const GumboNode* node, Fn&& fn, int depth = 0) {
    if (depth > kMaxDepth) return;
    const GumboVector& kids = children_of(node);
    for (unsigned i = 0; i < kids.length; ++i) {
      const auto* k = static_cast<const GumboNode*>(kids.data[i]);
      if (k->type == GUMBO_NODE_ELEMENT && fn(k)) find_in(k, fn, depth + 1);
    }
  }

  // Post-order: children first, so a parent is judged on what is kept of it.
  // Returns the stats of what is kept.
  Stats clean(const GumboNode* node, const GumboNode* root, ArticleContent::Result& result,
              bool in_data_table = false, bool in_figure = false, int depth = 0) {
    Stats st;
    if (depth > kMaxDepth) {
      result.dropped.insert(node);
      return st;
    }
    const GumboVector& kids = children_of(node);
    const GumboTag tag = node->v.element.tag;
    const bool data_table = in_data_table || (tag == GUMBO_TAG_TABLE && is_data_table(node));
    const bool figure = in_figure || tag == GUMBO_TAG_FIGURE;
    for (unsigned i = 0; i < kids.length; ++i) {
      const auto* kid = static_cast<const GumboNode*>(kids.data[i]);
      if (kid->type != GUMBO_NODE_ELEMENT) {
        if (kid->type == GUMBO_NODE_TEXT || kid->type == GUMBO_NODE_CDATA) {
          Stats t;
          count_text(kid->v.text.text, t);
          if (tag == GUMBO_TAG_A) t.links = t.text;
          st.add(t);
        }
        continue;
      }
      const GumboTag kt = kid->v.element.tag;
      if (kt == GUMBO_TAG_IMG) ++st.imgs;
      if (kt == GUMBO_TAG_IFRAME || kt == GUMBO_TAG_VIDEO || kt == GUMBO_TAG_OBJECT ||
          kt == GUMBO_TAG_EMBED) {
        ++st.embeds;
      }
      if (kt == GUMBO_TAG_SELECT || kt == GUMBO_TAG_TEXTAREA || kt == GUMBO_TAG_BUTTON ||
          (kt == GUMBO_TAG_INPUT &&
           !equals_icase(attribute(kid, "type") ? attribute(kid, "type") : "", "hidden"))) {
        ++st.inputs;
      }
      if (is_never_text(kt)) {
        result.dropped.insert(kid);
        continue;
      }
      if (removed_.count(kid) != 0) {
        result.dropped.insert(kid);
        continue;
      }
      Stats k = clean(kid, root, result, data_table, figure, depth + 1);
      if (result.dropped.count(kid) != 0) continue;
      if (kt == GUMBO_TAG_A) k.links = k.text;
      if (kt == GUMBO_TAG_P) ++k.paras;
      if (kt == GUMBO_TAG_LI) {
        ++k.lis;
        k.list_text = k.text;
      }
      if (is_heading(kt)) k.heading_text = k.text;
      if (!is_inline_tag(kt)) {
        st.has_block = true;
        ++k.text;
        ++k.blocks;
      }
      if (k.has_block) st.has_block = true;
      st.add(k);
    }
    if (is_paragraph(node, st) && st.text >= 25 && st.para_text == 0) {
      st.para_text = st.text - std::min(st.text, st.links);
    }
    if (node == root) return st;
    if (should_drop(node, st, data_table, figure)) {
      result.dropped.insert(node);
      return Stats{};
    }
    if (result.byline_element == nullptr && st.text > 0 && st.text < 100 && st.paras == 0 &&
        (in(tokens_of(node), kBylineTokens) || [&] {
          const char* rel = attribute(node, "rel");
          const char* prop = attribute(node, "itemprop");
          return (rel != nullptr && std::string_view(rel) == "author") ||
                 (prop != nullptr && std::string_view(prop).find("author") != std::string_view::npos);
        }())) {
      result.byline_element = node;
      result.byline_text = text_of(node, &result.dropped);
      result.dropped.insert(node);
      return Stats{};
    }
    return st;
  }

  bool should_drop(const GumboNode* node, const Stats& st, bool in_data_table, bool in_figure) {
    const GumboTag tag = node->v.element.tag;
    const bool guarded = root_para_ > 0 && st.para_text * 2 >= root_para_;
    if (guarded) return false;
    if (is_hidden(node)) return true;
    if (tag == GUMBO_TAG_NAV || tag == GUMBO_TAG_ASIDE || tag == GUMBO_TAG_FOOTER) return true;
    if (has_role(node, {"navigation", "complementary", "contentinfo", "menu", "menubar", "alert",
                        "alertdialog", "dialog", "search", "toolbar"})) {
      return true;
    }
    const std::vector<std::string> tokens = tokens_of(node);
    if (tag != GUMBO_TAG_A && in(tokens, kWidget) && !in(tokens, {"article", "body", "content", "story"})) {
      return true;
    }
    if (is_heading(tag)) return class_weight(node) < 0;
    if (in_data_table) return false;
    // A block of only ad or loading words.
    if (is_paragraph(node, st) && st.text < 30) {
      const std::string t = to_lower_ascii(text_of(node));
      if (t == "advertisement" || t == "advertising" || t == "ad" || t == "loading" || t == "loading..." ||
          t == "loading…" || t == "werbung" || t == "publicité") {
        return true;
      }
    }
    const bool list_tag = tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL;
    const bool link_list = (list_tag || (st.text > 0 && static_cast<double>(st.list_text) >
                                                            0.9 * static_cast<double>(st.text))) &&
                           st.link_density() > 0.5;
    if (link_list) return true;  // a menu, "most popular", "read next"
    if (!clean_conditionally_) return false;
    const bool conditional =
        tag == GUMBO_TAG_FORM || tag == GUMBO_TAG_FIELDSET || tag == GUMBO_TAG_TABLE || list_tag ||
        ((tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_SECTION || tag == GUMBO_TAG_UNKNOWN) && st.has_block);
    if (!conditional) return false;
    const int weight = class_weight(node);
    if (weight < 0) return true;
    const bool is_list =
        list_tag || (st.text > 0 && static_cast<double>(st.list_text) > 0.9 * static_cast<double>(st.text));
    const double ld = st.link_density();
    if (is_list && ld > 0.5) return true;  // a list of links: a menu, "most popular"
    if (st.commas >= 10) return false;
    const double p = static_cast<double>(st.paras);
    const double img = static_cast<double>(st.imgs);
    const double li = static_cast<double>(st.lis) - 100;
    const double heading_density =
        st.text == 0 ? 0 : static_cast<double>(st.heading_text) / static_cast<double>(st.text);
    if (!in_figure && img > 1 && p / img < 0.5) return !is_list || st.lis != st.imgs;
    if (!is_list && li > p) return true;
    if (st.inputs > st.paras / 3) return true;  // Readability: input > floor(p / 3)
    if (!is_list && !in_figure && heading_density < 0.9 && st.text < 25 && (st.imgs == 0 || st.imgs > 2)) {
      return true;
    }
    if (!is_list && weight < 25 && ld > 0.2) return true;
    if (weight >= 25 && ld > 0.5) return true;
    if ((st.embeds == 1 && st.text < 75) || st.embeds > 1) return true;
    return false;
  }

  const GumboNode* document_;
  const GumboNode* body_ = nullptr;
  bool strip_unlikely_ = true;
  bool clean_conditionally_ = true;
  std::size_t root_para_ = 0;
  std::unordered_map<const GumboNode*, Stats> stats_;
  std::unordered_map<const GumboNode*, Stats> full_;
  std::unordered_set<const GumboNode*> removed_;
  std::unordered_map<const GumboNode*, double> scores_;
  std::vector<const GumboNode*> candidates_;
  std::unordered_map<const GumboNode*, std::size_t> kept_text_;
};

}  // namespace

ArticleContent::ArticleContent(const GumboNode* document) {
  Result r = Analysis(document).run();
  roots_ = std::move(r.roots);
  dropped_ = std::move(r.dropped);
  byline_text_ = std::move(r.byline_text);
  byline_element_ = r.byline_element;
}

}  // namespace folio::html
