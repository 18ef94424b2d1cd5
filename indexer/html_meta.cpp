// A web page's title, authors and date, from every place pages put them.
#include "html_meta.hpp"

#include <algorithm>
#include <array>
#include <ctime>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>

#include "folio/byline_date.hpp"
#include "folio/date.hpp"
#include "folio/text.hpp"
#include "html_content.hpp"

namespace folio::html {
namespace {

using nlohmann::json;

// White space (U+00A0 included) collapsed to single spaces and trimmed.
std::string collapse(std::string_view s) { return text_of_run(s); }

// Meta and JSON-LD values: entities decoded (some sites encode twice),
// white space collapsed.
std::string clean_value(std::string_view s) { return collapse(decode_entities(decode_entities(s))); }

std::size_t word_count(std::string_view s) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = c == ' ';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

// A date as metadata gives it: placeholders (before 1900, or later than
// tomorrow) are no date.
std::optional<Date> metadata_date(std::string_view value) {
  const std::string v = clean_value(value);
  std::optional<Date> d = parse_date(v);
  if (!d) {
    // "20230618" and "2023-06-18 10:30:00 +0200" variants parse_date may miss.
    if (v.size() >= 10 && v[4] == '-' && v[7] == '-') d = parse_date(v.substr(0, 10));
  }
  if (!d || d->precision != DatePrecision::day) return std::nullopt;
  if (d->year < 1900) return std::nullopt;
  // Later than tomorrow (a page's time zone may be a day ahead of ours).
  const std::time_t now = std::time(nullptr);
  std::tm tomorrow{};
  localtime_r(&now, &tomorrow);
  tomorrow.tm_mday += 1;
  std::mktime(&tomorrow);
  const int limit = (tomorrow.tm_year + 1900) * 10000 + (tomorrow.tm_mon + 1) * 100 + tomorrow.tm_mday;
  if (d->year * 10000 + d->month * 100 + d->day > limit) return std::nullopt;
  return d;
}

// Priorities of the date sources, best first.
enum DateRank {
  kJsonLdArticle,
  kMetaPublished,
  kItempropPublished,
  kTimePubdate,
  kJsonLdPage,
  kTimeInArticle,
  kTime,
  kCreated,
  kUrl,
  kBylineText,
  kModified,
  kDateRanks
};

struct Collected {
  std::string jsonld_name, parsely_title, jsonld_title, og_title, twitter_title, dc_title, title_tag,
      site_name;
  std::vector<std::string> h1s, h2s;
  std::vector<std::string> jsonld_people, jsonld_orgs, meta_authors, dom_authors;
  // Short elements with a "byline"/"author" class or id token: in the
  // article, or after the page's first <h1>.
  std::string byline_in_article, byline_after_h1;
  std::size_t meta_author_rank = 0;
  bool dom_authors_in_article = false;
  std::array<std::optional<Date>, kDateRanks> dates;
  std::string canonical, og_url;
  std::string article_body;
};

void set_date(Collected& c, DateRank rank, std::string_view value) {
  if (c.dates[rank]) return;
  if (auto d = metadata_date(value)) c.dates[rank] = d;
}

bool type_is(const json& type, std::initializer_list<std::string_view> names, bool any_article) {
  auto one = [&](const json& t) {
    if (!t.is_string()) return false;
    const std::string s = t.get<std::string>();
    if (any_article && (s.find("Article") != std::string::npos || s.find("Posting") != std::string::npos)) {
      return true;
    }
    return std::find(names.begin(), names.end(), s) != names.end();
  };
  if (type.is_array()) return std::any_of(type.begin(), type.end(), one);
  return one(type);
}

std::string string_of(const json& j) {
  if (j.is_string()) return clean_value(j.get<std::string>());
  if (j.is_array() && !j.empty() && j[0].is_string()) return clean_value(j[0].get<std::string>());
  return {};
}

void read_author(const json& a, Collected& c) {
  if (a.is_array()) {
    for (const json& x : a) read_author(x, c);
    return;
  }
  if (a.is_string()) {
    const std::string s = clean_value(a.get<std::string>());
    if (!s.empty() && s.find("://") == std::string::npos) c.jsonld_people.push_back(s);
    return;
  }
  if (!a.is_object()) return;
  const std::string name = a.contains("name") ? string_of(a["name"]) : std::string();
  if (name.empty() || name.find("://") != std::string::npos) return;
  if (a.contains("@type") &&
      type_is(a["@type"], {"Organization", "NewsMediaOrganization", "Corporation"}, false)) {
    c.jsonld_orgs.push_back(name);
  } else {
    c.jsonld_people.push_back(name);
  }
}

void read_json_ld(const json& j, Collected& c, int depth = 0) {
  if (depth > 8) return;
  if (j.is_array()) {
    for (const json& item : j) read_json_ld(item, c, depth + 1);
    return;
  }
  if (!j.is_object()) return;
  if (j.contains("@graph")) read_json_ld(j["@graph"], c, depth + 1);
  if (!j.contains("@type")) return;
  const json& type = j["@type"];
  const bool article = type_is(type, {"Report", "Blog", "ReportageNewsArticle"}, true);
  const bool page = type_is(type, {"WebPage", "ItemPage", "AboutPage", "CollectionPage"}, false);
  if (!article && !page) return;
  if (article) {
    if (c.jsonld_title.empty() && j.contains("headline")) c.jsonld_title = string_of(j["headline"]);
    if (c.jsonld_name.empty() && j.contains("name")) c.jsonld_name = string_of(j["name"]);
    if (j.contains("author") && c.jsonld_people.empty() && c.jsonld_orgs.empty()) read_author(j["author"], c);
    if (j.contains("creator") && c.jsonld_people.empty() && c.jsonld_orgs.empty())
      read_author(j["creator"], c);
    if (c.article_body.empty() && j.contains("articleBody")) c.article_body = string_of(j["articleBody"]);
  }
  if (j.contains("datePublished"))
    set_date(c, article ? kJsonLdArticle : kJsonLdPage, string_of(j["datePublished"]));
  if (j.contains("dateCreated")) set_date(c, kCreated, string_of(j["dateCreated"]));
  if (j.contains("dateModified")) set_date(c, kModified, string_of(j["dateModified"]));
  if (page && j.contains("author") && c.jsonld_people.empty() && c.jsonld_orgs.empty())
    read_author(j["author"], c);
}

// The JSON of a <script type="application/ld+json">, without the CDATA or
// comment wrappers some sites put around it.
std::string unwrap_script(std::string s) {
  for (std::string_view w : {"<![CDATA[", "]]>", "<!--", "-->"}) {
    for (std::size_t pos; (pos = s.find(w)) != std::string::npos;) s.replace(pos, w.size(), " ");
  }
  // "//" comment markers left at line starts by the CDATA trick.
  std::string out;
  for (std::string_view line : split_lines(s)) {
    std::string_view t = trim(line);
    if (t == "//" || t.empty()) continue;
    out += line;
    out += '\n';
  }
  return out;
}

void read_meta(const GumboNode* node, Collected& c) {
  const char* key = attribute(node, "property");
  if (key == nullptr) key = attribute(node, "name");
  if (key == nullptr) key = attribute(node, "itemprop");
  const char* content = attribute(node, "content");
  if (key == nullptr || content == nullptr) return;
  const std::string value = clean_value(content);
  if (value.empty()) return;
  // "property" may hold several space-separated names.
  std::string keys = to_lower_ascii(key);
  std::size_t start = 0;
  bool title_set = false;
  while (start < keys.size()) {
    std::size_t end = keys.find(' ', start);
    if (end == std::string::npos) end = keys.size();
    const std::string k = keys.substr(start, end - start);
    start = end + 1;
    if (k.empty()) continue;
    // One element is one source, whatever number of names it carries.
    if (!title_set) {
      std::string* field = k == "og:title"                                             ? &c.og_title
                           : k == "twitter:title"                                      ? &c.twitter_title
                           : k == "parsely-title" || k == "sailthru.title"             ? &c.parsely_title
                           : k == "dc.title" || k == "dcterm:title" || k == "dc:title" ? &c.dc_title
                                                                                       : nullptr;
      if (field != nullptr && field->empty()) {
        *field = value;
        title_set = true;
      }
    }
    if ((k == "og:site_name" || k == "application-name") && c.site_name.empty()) c.site_name = value;
    if (k == "og:url" && c.og_url.empty()) c.og_url = value;
    if (k == "article:published_time" || k == "article:published" || k == "og:published_time" ||
        k == "published_time" || k == "datepublished" || k == "date" || k == "dc.date" ||
        k == "dc.date.issued" || k == "dcterms.date" || k == "dcterms.issued" || k == "dc:date" ||
        k == "dcterms.created" || k == "parsely-pub-date" || k == "sailthru.date" || k == "pubdate" ||
        k == "publish-date" || k == "publishdate" || k == "publication_date" || k == "article.published" ||
        k == "og:article:published_time" || k == "article_date_original" ||
        k == "cxenseparse:recs:publishtime" || k == "date.release" || k == "citation_publication_date") {
      set_date(c, kMetaPublished, value);
    }
    if (k == "article:modified_time" || k == "og:updated_time" || k == "datemodified" ||
        k == "last-modified" || k == "dc.date.modified" || k == "article:modified") {
      set_date(c, kModified, value);
    }
    // Author meta tags, most specific first.
    static constexpr std::array<std::string_view, 12> kAuthorKeys = {"byl",
                                                                     "parsely-author",
                                                                     "sailthru.author",
                                                                     "dc.creator",
                                                                     "dc:creator",
                                                                     "dcterm:creator",
                                                                     "author",
                                                                     "article:author",
                                                                     "og:article:author",
                                                                     "citation_author",
                                                                     "twitter:creator",
                                                                     "dcterms.creator"};
    for (std::size_t rank = 0; rank < kAuthorKeys.size(); ++rank) {
      if (k != kAuthorKeys[rank]) continue;
      if (!starts_with_icase(value, "http") && !value.starts_with("@") &&
          (c.meta_authors.empty() || rank < c.meta_author_rank)) {
        c.meta_authors = {value};
        c.meta_author_rank = rank;
      } else if (rank == c.meta_author_rank && !starts_with_icase(value, "http")) {
        c.meta_authors.push_back(value);  // one tag per author
      }
    }
  }
}

bool has_byline_token(const GumboNode* node) {
  for (const char* name : {"class", "id"}) {
    const char* v = attribute(node, name);
    if (v == nullptr) continue;
    for (const std::string& t : hint_tokens(v)) {
      if (t == "byline" || t == "byl" || t == "author" || t == "authors" || t == "writer") return true;
    }
  }
  return false;
}

// rel=author and itemprop=author: all those inside the article, else only
// the first of the page (the others name the authors of other stories).
void add_dom_author(Collected& c, const std::string& author, bool in_article) {
  if (in_article) {
    if (!c.dom_authors_in_article) c.dom_authors.clear();
    c.dom_authors_in_article = true;
    c.dom_authors.push_back(author);
  } else if (c.dom_authors.empty()) {
    c.dom_authors.push_back(author);
  }
}

// Text of an itemprop=author element: its nested itemprop=name, its
// content attribute, or its text.
std::string author_of_microdata(const GumboNode* node) {
  if (const char* content = attribute(node, "content")) return clean_value(content);
  std::string name;
  std::function<void(const GumboNode*, int)> find = [&](const GumboNode* n, int depth) {
    if (depth > kMaxDepth) return;
    const GumboVector& kids = children_of(n);
    for (unsigned i = 0; i < kids.length && name.empty(); ++i) {
      const auto* k = static_cast<const GumboNode*>(kids.data[i]);
      if (k->type != GUMBO_NODE_ELEMENT) continue;
      if (const char* p = attribute(k, "itemprop"); p != nullptr && std::string_view(p) == "name") {
        const char* content = attribute(k, "content");
        name = content != nullptr ? clean_value(content) : text_of(k);
        return;
      }
      find(k, depth + 1);
    }
  };
  find(node, 0);
  return name.empty() ? text_of(node) : name;
}

void walk(const GumboNode* node, Collected& c, const ArticleContent& content, bool in_article,
          int depth = 0) {
  if (depth > kMaxDepth) return;
  if (node->type != GUMBO_NODE_ELEMENT) {
    const GumboVector& kids = children_of(node);
    for (unsigned i = 0; i < kids.length; ++i) {
      walk(static_cast<const GumboNode*>(kids.data[i]), c, content, in_article, depth + 1);
    }
    return;
  }
  const GumboElement& e = node->v.element;
  const bool article =
      in_article || std::find(content.roots().begin(), content.roots().end(), node) != content.roots().end();
  switch (e.tag) {
    case GUMBO_TAG_META:
      read_meta(node, c);
      return;
    case GUMBO_TAG_TITLE:
      if (c.title_tag.empty()) {
        std::string raw;
        for (unsigned i = 0; i < e.children.length; ++i) {
          const auto* child = static_cast<const GumboNode*>(e.children.data[i]);
          if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_WHITESPACE)
            raw += child->v.text.text;
        }
        c.title_tag = clean_value(raw);
      }
      return;
    case GUMBO_TAG_LINK:
      if (const char* rel = attribute(node, "rel"); rel != nullptr && std::string_view(rel) == "canonical") {
        if (const char* href = attribute(node, "href")) c.canonical = href;
      }
      return;
    case GUMBO_TAG_SCRIPT: {
      const char* type = attribute(node, "type");
      if (type != nullptr && equals_icase(trim(type), "application/ld+json")) {
        std::string raw;
        for (unsigned i = 0; i < e.children.length; ++i) {
          const auto* child = static_cast<const GumboNode*>(e.children.data[i]);
          if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA ||
              child->type == GUMBO_NODE_WHITESPACE || child->type == GUMBO_NODE_COMMENT) {
            raw += child->v.text.text;
          }
        }
        const json j = json::parse(unwrap_script(raw), nullptr, false);
        if (!j.is_discarded()) read_json_ld(j, c);
      }
      return;
    }
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
      return;
    case GUMBO_TAG_H1:
      if (c.h1s.size() < 8) c.h1s.push_back(text_of(node));
      break;
    case GUMBO_TAG_H2:
      if (c.h2s.size() < 16) c.h2s.push_back(text_of(node));
      break;
    case GUMBO_TAG_TIME: {
      const char* dt = attribute(node, "datetime");
      const std::string value = dt != nullptr ? std::string(dt) : text_of(node);
      if (attribute(node, "pubdate") != nullptr) set_date(c, kTimePubdate, value);
      if (dt != nullptr) set_date(c, article ? kTimeInArticle : kTime, value);
      break;
    }
    default:
      break;
  }
  if (const char* prop = attribute(node, "itemprop")) {
    const std::string p = prop;
    if (p.find("datePublished") != std::string::npos) {
      const char* v = attribute(node, "content");
      if (v == nullptr) v = attribute(node, "datetime");
      set_date(c, kItempropPublished, v != nullptr ? std::string(v) : text_of(node));
    }
    if (p.find("dateModified") != std::string::npos) {
      const char* v = attribute(node, "content");
      if (v == nullptr) v = attribute(node, "datetime");
      if (v != nullptr) set_date(c, kModified, v);
    }
    if (p == "author" || p == "creator") {
      const std::string a = author_of_microdata(node);
      if (!a.empty() && a.size() < 120) add_dom_author(c, a, article);
    }
  }
  if ((c.byline_in_article.empty() || c.byline_after_h1.empty()) && e.tag != GUMBO_TAG_BODY &&
      e.tag != GUMBO_TAG_HTML && has_byline_token(node)) {
    const std::string t = text_of(node);
    if (t.size() >= 3 && t.size() < 100) {
      if (article && c.byline_in_article.empty()) c.byline_in_article = t;
      if (!c.h1s.empty() && c.byline_after_h1.empty()) c.byline_after_h1 = t;
    }
  }
  if (e.tag == GUMBO_TAG_A) {
    if (const char* rel = attribute(node, "rel"); rel != nullptr && std::string_view(rel) == "author") {
      const std::string a = text_of(node);
      if (!a.empty() && a.size() < 80) add_dom_author(c, a, article);
    }
  }
  for (unsigned i = 0; i < e.children.length; ++i) {
    walk(static_cast<const GumboNode*>(e.children.data[i]), c, content, article, depth + 1);
  }
}

// Readability's reading of a <title>: the site name cut off at a
// separator, unless that leaves too little.
std::string title_from_tag(const std::string& orig, const std::vector<std::string>& h1s,
                           const std::vector<std::string>& h2s) {
  static constexpr std::array<std::string_view, 8> kSeparators = {
      " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " \\ ", " / ", " > ", " \xC2\xBB "};
  std::string cur = orig;
  bool hierarchical = false;
  std::size_t first = std::string::npos, last = std::string::npos, first_len = 0, last_len = 0;
  for (std::string_view sep : kSeparators) {
    for (std::size_t pos = orig.find(sep); pos != std::string::npos; pos = orig.find(sep, pos + 1)) {
      if (first == std::string::npos || pos < first) {
        first = pos;
        first_len = sep.size();
      }
      if (last == std::string::npos || pos > last) {
        last = pos;
        last_len = sep.size();
      }
      if (sep == " \\ " || sep == " / " || sep == " > " || sep == " \xC2\xBB ") hierarchical = true;
    }
  }
  if (first != std::string::npos) {
    cur = orig.substr(0, last);
    if (word_count(cur) < 3) cur = orig.substr(first + first_len);
    (void)last_len;
  } else if (orig.find(": ") != std::string::npos) {
    const bool heading_match = std::find(h1s.begin(), h1s.end(), orig) != h1s.end() ||
                               std::find(h2s.begin(), h2s.end(), orig) != h2s.end();
    if (!heading_match) {
      cur = orig.substr(orig.rfind(':') + 1);
      if (word_count(collapse(cur)) < 3) {
        cur = orig.substr(orig.find(':') + 1);
      } else if (word_count(orig.substr(0, orig.find(':'))) > 5) {
        cur = orig;
      }
    }
  } else if ((orig.size() > 150 || orig.size() < 15) && h1s.size() == 1) {
    cur = h1s[0];
  }
  cur = collapse(cur);
  std::string no_seps;
  for (char ch : orig) {
    if (ch != '|' && ch != '-' && ch != '\\' && ch != '/' && ch != '>') no_seps += ch;
  }
  const std::size_t words = word_count(cur);
  if (words <= 4 && (!hierarchical || words != word_count(collapse(no_seps)) - 1)) cur = orig;
  return cur;
}

// Strips the site's name from a title: "Story – Site", "Site | Story",
// "Site: Story".
std::string strip_site_name(const std::string& title, const std::string& site) {
  if (site.empty() || title.size() <= site.size() + 3) return title;
  static constexpr std::array<std::string_view, 7> kSeparators = {
      " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " \xC2\xB7 ", " :: ", " \xC2\xBB "};
  for (std::string_view sep : kSeparators) {
    const std::string suffix = std::string(sep) + site;
    if (title.size() > suffix.size() && equals_icase(title.substr(title.size() - suffix.size()), suffix)) {
      return std::string(trim(title.substr(0, title.size() - suffix.size())));
    }
    const std::string prefix = site + std::string(sep);
    if (starts_with_icase(title, prefix)) return std::string(trim(title.substr(prefix.size())));
  }
  if (starts_with_icase(title, site + ": ")) return std::string(trim(title.substr(site.size() + 2)));
  return title;
}

std::string title_key(std::string_view t) { return to_lower_ascii(collapse(t)); }

// The title most sources agree on: JSON-LD headline and name, Dublin Core,
// og:title, twitter:title, parsely-title, the <title> (its site name cut)
// and the <h1>s, each with the site name stripped; ties go to the first in
// that order. An <h1> that agrees with nothing (a site or section name)
// loses to any metadata title.
std::string choose_title(const Collected& c) {
  std::vector<std::string> candidates;
  for (const std::string* t :
       {&c.jsonld_title, &c.jsonld_name, &c.dc_title, &c.og_title, &c.twitter_title, &c.parsely_title}) {
    if (!t->empty()) candidates.push_back(strip_site_name(*t, c.site_name));
  }
  if (!c.title_tag.empty()) {
    std::string t = title_from_tag(c.title_tag, c.h1s, c.h2s);
    const std::string stripped = strip_site_name(c.title_tag, c.site_name);
    candidates.push_back(stripped != c.title_tag ? stripped : t);
  }
  const std::size_t metadata = candidates.size();
  std::vector<std::string> h1s;
  for (const std::string& h : c.h1s) {
    if (!h.empty() && std::none_of(h1s.begin(), h1s.end(), [&](const std::string& x) { return x == h; })) {
      h1s.push_back(h);
    }
  }
  for (const std::string& h : h1s) candidates.push_back(h);
  if (candidates.empty()) return {};
  if (metadata == 0) {
    // An <h1> alone is the title only when it is the page's one <h1>.
    return h1s.size() == 1 ? h1s[0] : std::string();
  }
  // The parts of the <title> around each separator: a source equal to one
  // of them agrees with the <title> ("Story | Site" and an <h1> "Story").
  std::vector<std::string> title_parts;
  for (std::string_view sep :
       {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " \xC2\xBB ", ": ", " :: ", " / "}) {
    for (std::size_t pos = c.title_tag.find(sep); pos != std::string::npos;
         pos = c.title_tag.find(sep, pos + 1)) {
      title_parts.push_back(title_key(c.title_tag.substr(0, pos)));
      title_parts.push_back(title_key(c.title_tag.substr(pos + sep.size())));
    }
  }
  std::size_t best = 0, best_votes = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::string key = title_key(candidates[i]);
    if (key.empty()) continue;
    std::size_t votes = 0;
    for (const std::string& other : candidates) {
      if (title_key(other) == key) ++votes;
    }
    if (std::find(title_parts.begin(), title_parts.end(), key) != title_parts.end()) ++votes;
    if (votes > best_votes) {
      best = i;
      best_votes = votes;
    }
  }
  return candidates[best];
}

std::optional<Date> date_in_url(std::string_view url) {
  // ".../2023/06/18/..." or ".../2023-06-18/...".
  for (std::size_t i = 0; i + 10 <= url.size(); ++i) {
    if (url[i] != '/') continue;
    auto digits = [&](std::size_t at, std::size_t n) {
      if (at + n > url.size()) return false;
      for (std::size_t k = at; k < at + n; ++k) {
        if (url[k] < '0' || url[k] > '9') return false;
      }
      return true;
    };
    if (digits(i + 1, 4) && i + 11 <= url.size() && (url[i + 5] == '/' || url[i + 5] == '-') &&
        digits(i + 6, 2) && url[i + 8] == url[i + 5] && digits(i + 9, 2) &&
        (i + 11 == url.size() || url[i + 11] == '/' || url[i + 11] == '-' || url[i + 11] == '.')) {
      const std::string iso = std::string(url.substr(i + 1, 4)) + "-" + std::string(url.substr(i + 6, 2)) +
                              "-" + std::string(url.substr(i + 9, 2));
      if (auto d = metadata_date(iso)) return d;
    }
  }
  return std::nullopt;
}

bool is_role_word(std::string_view w) {
  static constexpr std::array<std::string_view, 26> kRoles = {
      "writer",   "reporter",   "correspondent", "editor",   "staff",        "contributor", "columnist",
      "producer", "journalist", "photographer",  "analyst",  "contributing", "senior",      "chief",
      "special",  "freelance",  "bureau",        "intern",   "author",       "critic",      "host",
      "anchor",   "reporting",  "editorial",     "director", "manager"};
  const std::string l = to_lower_ascii(w);
  return std::find(kRoles.begin(), kRoles.end(), l) != kRoles.end();
}

// Words that qualify a role: "AP Auto Writer", "White House Correspondent".
bool is_role_qualifier(std::string_view w) {
  if (w.size() >= 2 && w.size() <= 4 &&
      std::all_of(w.begin(), w.end(), [](char ch) { return (ch >= 'A' && ch <= 'Z') || ch == '.'; })) {
    return true;  // an agency's initials: AP, AFP, UPI
  }
  static constexpr std::array<std::string_view, 20> kWords = {
      "auto", "business", "political", "sports",   "science", "health", "technology",
      "tech", "white",    "house",     "national", "foreign", "the",    "a",
      "an",   "our",      "legal",     "music",    "film",    "food"};
  const std::string l = to_lower_ascii(w);
  return std::find(kWords.begin(), kWords.end(), l) != kWords.end() || is_role_word(w);
}

bool is_weekday(std::string_view w) {
  static constexpr std::array<std::string_view, 7> kDays = {"monday", "tuesday",  "wednesday", "thursday",
                                                            "friday", "saturday", "sunday"};
  const std::string l = to_lower_ascii(w);
  return std::find(kDays.begin(), kDays.end(), l) != kDays.end();
}

bool is_degree(std::string_view w) {
  static constexpr std::array<std::string_view, 10> kDegrees = {"ma", "md",  "phd", "rn", "mph",
                                                                "ms", "bsc", "msc", "jr", "sr"};
  std::string l = to_lower_ascii(w);
  l.erase(std::remove(l.begin(), l.end(), '.'), l.end());
  return std::find(kDegrees.begin(), kDegrees.end(), l) != kDegrees.end() && l != "jr" && l != "sr";
}

std::string normal_case(const std::string& name) {
  bool has_lower = false, has_upper = false;
  for (char ch : name) {
    if (ch >= 'a' && ch <= 'z') has_lower = true;
    if (ch >= 'A' && ch <= 'Z') has_upper = true;
  }
  if (has_lower || !has_upper) return name;
  std::string out = name;
  bool start = true;
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z' && !start) ch = static_cast<char>(ch - 'A' + 'a');
    start = ch == ' ' || ch == '-' || ch == '\'';
  }
  return out;
}

}  // namespace

std::vector<std::string> clean_byline(std::string_view text) {
  std::string s = clean_value(text);
  // Parenthesised asides ("(http://...)", "(with ...)") and e-mail addresses go.
  for (std::size_t open; (open = s.find('(')) != std::string::npos;) {
    const std::size_t close = s.find(')', open);
    s.erase(open, close == std::string::npos ? std::string::npos : close - open + 1);
  }
  std::vector<std::string> pieces;
  std::string current;
  auto flush = [&] {
    std::string p = collapse(current);
    current.clear();
    if (!p.empty()) pieces.push_back(std::move(p));
  };
  for (std::size_t i = 0; i < s.size();) {
    const char ch = s[i];
    if (ch == ',' || ch == ';' || ch == '&' || ch == '|' || ch == '/' || ch == '\n') {
      flush();
      ++i;
      continue;
    }
    if ((i == 0 || s[i - 1] == ' ') && (starts_with_icase(s.substr(i), "and "))) {
      flush();
      i += 4;
      continue;
    }
    // "•", "·", "—", "–" separate a name from a date or a role.
    if (s.compare(i, 3, "\xE2\x80\xA2") == 0 || s.compare(i, 3, "\xE2\x80\x94") == 0 ||
        s.compare(i, 3, "\xE2\x80\x93") == 0) {
      flush();
      i += 3;
      continue;
    }
    if (s.compare(i, 2, "\xC2\xB7") == 0) {
      flush();
      i += 2;
      continue;
    }
    current += ch;
    ++i;
  }
  flush();
  std::vector<std::string> names;
  for (std::string p : pieces) {
    for (std::string_view by :
         {"written by ", "posted by ", "words by ", "story by ", "by ", "by: ", "von ", "par ", "por "}) {
      if (starts_with_icase(p, by)) {
        p = std::string(trim(std::string_view(p).substr(by.size())));
        break;
      }
    }
    if (equals_icase(p, "by")) continue;
    if (p.find('@') != std::string::npos || p.find("://") != std::string::npos ||
        starts_with_icase(p, "www.")) {
      continue;
    }
    if (parse_date(p) || parse_byline(p).has_value()) {
      // A date, or "Updated June 18, 2023".
      if (auto b = parse_byline(p); !b || b->authors.empty()) continue;
    }
    std::vector<std::string> words;
    bool digits = false;
    for (std::size_t i = 0; i < p.size();) {
      const std::size_t sp = p.find(' ', i);
      const std::string w = p.substr(i, sp == std::string::npos ? std::string::npos : sp - i);
      i = sp == std::string::npos ? p.size() : sp + 1;
      if (w.empty() || is_weekday(w)) continue;
      if (std::any_of(w.begin(), w.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) digits = true;
      words.push_back(w);
    }
    if (digits || words.empty()) continue;
    p.clear();
    for (const std::string& w : words) p += (p.empty() ? "" : " ") + w;
    // A role after the name ("Tom Krisher AP Auto Writer"), or a role alone
    // ("Staff Writer"); "A. Writer" is a name.
    std::size_t role_at = words.size();
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (is_role_word(words[i])) {
        role_at = i;
        break;
      }
    }
    if (role_at < words.size()) {
      const bool initial_before = role_at == 1 && words[0].size() <= 2 && words[0].back() == '.';
      if (!initial_before) {
        // Qualifiers just before the role belong to it ("AP Auto Writer").
        std::size_t cut = role_at;
        while (cut > 0 && cut + 3 > role_at && is_role_qualifier(words[cut - 1])) --cut;
        if (cut == 0) continue;
        words.resize(cut);
        p.clear();
        for (const std::string& w : words) p += (p.empty() ? "" : " ") + w;
      }
    }
    if (words.size() > 5) continue;
    if (words.size() == 1 && is_degree(words[0])) continue;
    std::string name = normal_case(p);
    const bool dup =
        std::any_of(names.begin(), names.end(), [&](const std::string& n) { return equals_icase(n, name); });
    if (!dup) names.push_back(std::move(name));
  }
  return names;
}

PageMetadata read_page_metadata(const GumboNode* document, const ArticleContent& content) {
  Collected c;
  walk(document, c, content, false);

  PageMetadata meta;
  meta.title = choose_title(c);
  meta.article_body = c.article_body;

  // Authors: JSON-LD people, then meta tags, then microdata and rel=author,
  // then the byline element; an organisation only when no person is named.
  auto take = [&](const std::vector<std::string>& raw) {
    for (const std::string& r : raw) {
      for (std::string& n : clean_byline(r)) {
        const bool dup = std::any_of(meta.authors.begin(), meta.authors.end(),
                                     [&](const std::string& x) { return equals_icase(x, n); });
        if (!dup) meta.authors.push_back(std::move(n));
      }
    }
  };
  take(c.jsonld_people);
  if (meta.authors.empty()) take(c.meta_authors);
  if (meta.authors.empty() && !content.byline_text().empty()) take({content.byline_text()});
  if (meta.authors.empty() && !c.byline_in_article.empty()) take({c.byline_in_article});
  if (meta.authors.empty()) take(c.dom_authors);
  if (meta.authors.empty() && !c.byline_after_h1.empty()) take({c.byline_after_h1});
  if (meta.authors.empty() && !c.jsonld_orgs.empty()) meta.authors.push_back(c.jsonld_orgs.front());

  if (!c.dates[kUrl]) {
    if (auto d = date_in_url(c.canonical))
      c.dates[kUrl] = d;
    else if (auto d2 = date_in_url(c.og_url))
      c.dates[kUrl] = d2;
  }
  if (!content.byline_text().empty()) {
    if (auto b = parse_byline(content.byline_text()); b && b->date.known() && !b->is_update) {
      c.dates[kBylineText] = b->date;
    } else if (auto d = parse_date(content.byline_text())) {
      c.dates[kBylineText] = d;
    }
  }
  for (const auto& d : c.dates) {
    if (d) {
      meta.date = *d;
      break;
    }
  }
  return meta;
}

}  // namespace folio::html
