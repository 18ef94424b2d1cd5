// HTML articles saved from news sites, parsed with gumbo (an HTML5 parser).
#include <gumbo.h>

#include <algorithm>
#include <array>
#include <memory>
#include <nlohmann/json.hpp>

#include "folio/date.hpp"
#include "folio/formats.hpp"
#include "folio/section_builder.hpp"
#include "folio/text.hpp"

namespace folio {
namespace {

using nlohmann::json;

// Elements whose content is never article text.
bool is_skipped_tag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_SELECT:
      return true;
    default:
      return false;
  }
}

const char* attribute(const GumboElement& e, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&e.attributes, name);
  return a == nullptr ? nullptr : a->value;
}

// Widgets by their class or id: cookie banners, share buttons, comments...
bool is_widget(const GumboElement& e) {
  static constexpr std::array<std::string_view, 16> kWords = {
      "cookie", "consent", "banner", "share", "social", "comment", "newsletter", "subscribe",
      "related", "promo", "advert", "sidebar", "popup", "modal", "breadcrumb", "paywall"};
  for (const char* name : {"class", "id"}) {
    const char* value = attribute(e, name);
    if (value == nullptr) continue;
    const std::string v = to_lower_ascii(value);
    for (std::string_view w : kWords) {
      if (v.find(w) != std::string::npos) return true;
    }
  }
  const char* role = attribute(e, "role");
  return role != nullptr && (std::string_view(role) == "navigation" ||
                             std::string_view(role) == "complementary" ||
                             std::string_view(role) == "contentinfo");
}

void collect_text(const GumboNode* node, std::string& out) {
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
      node->type == GUMBO_NODE_CDATA) {
    out += node->v.text.text;
    return;
  }
  if (node->type != GUMBO_NODE_ELEMENT) return;
  const GumboElement& e = node->v.element;
  if (is_skipped_tag(e.tag) || is_widget(e)) return;
  if (e.tag == GUMBO_TAG_BR) out += ' ';
  for (unsigned i = 0; i < e.children.length; ++i) {
    collect_text(static_cast<const GumboNode*>(e.children.data[i]), out);
  }
}

// White space collapsed to single spaces, trimmed.
std::string text_of(const GumboNode* node) {
  std::string raw;
  collect_text(node, raw);
  std::string out;
  bool space = false;
  for (char c : raw) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return std::string(trim(out));
}

template <typename Fn>
void for_each_element(const GumboNode* node, Fn&& fn) {
  if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT) return;
  if (node->type == GUMBO_NODE_ELEMENT && !fn(node)) return;  // fn: descend?
  const GumboVector& children =
      node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    for_each_element(static_cast<const GumboNode*>(children.data[i]), fn);
  }
}

struct Metadata {
  std::string og_title, title_tag, h1;
  std::vector<std::string> authors;
  Date date;
};

void read_json_ld(const json& j, Metadata& meta) {
  if (j.is_array()) {
    for (const json& item : j) read_json_ld(item, meta);
    return;
  }
  if (!j.is_object()) return;
  if (j.contains("@graph")) read_json_ld(j["@graph"], meta);
  const json type = j.value("@type", json());
  const std::string t = type.is_string() ? type.get<std::string>()
                        : type.is_array() && !type.empty() && type[0].is_string() ? type[0].get<std::string>()
                                                                                 : "";
  if (t.find("Article") == std::string::npos && t != "BlogPosting") return;
  if (j.contains("headline") && j["headline"].is_string() && meta.og_title.empty()) {
    meta.og_title = j["headline"].get<std::string>();
  }
  if (j.contains("datePublished") && j["datePublished"].is_string() && !meta.date.known()) {
    if (auto d = parse_date(j["datePublished"].get<std::string>())) meta.date = *d;
  }
  if (j.contains("author") && meta.authors.empty()) {
    const json& a = j["author"];
    auto add = [&](const json& x) {
      if (x.is_string()) meta.authors.push_back(x.get<std::string>());
      if (x.is_object() && x.contains("name") && x["name"].is_string()) {
        meta.authors.push_back(x["name"].get<std::string>());
      }
    };
    if (a.is_array()) {
      for (const json& x : a) add(x);
    } else {
      add(a);
    }
  }
}

Metadata read_metadata(const GumboNode* root) {
  Metadata meta;
  Date time_date;
  for_each_element(root, [&](const GumboNode* node) {
    const GumboElement& e = node->v.element;
    if (e.tag == GUMBO_TAG_META) {
      const char* key = attribute(e, "property");
      if (key == nullptr) key = attribute(e, "name");
      if (key == nullptr) key = attribute(e, "itemprop");
      const char* content = attribute(e, "content");
      if (key == nullptr || content == nullptr) return false;
      const std::string k = to_lower_ascii(key);
      if (k == "og:title") meta.og_title = content;
      if ((k == "article:published_time" || k == "datepublished" || k == "date" ||
           k == "pubdate" || k == "publish-date" || k == "dc.date") &&
          !meta.date.known()) {
        if (auto d = parse_date(content)) meta.date = *d;
      }
      if ((k == "author" || k == "article:author") && std::string_view(content).find("://") == std::string_view::npos) {
        meta.authors.emplace_back(trim(content));
      }
      return false;
    }
    if (e.tag == GUMBO_TAG_TITLE && meta.title_tag.empty()) meta.title_tag = text_of(node);
    if (e.tag == GUMBO_TAG_SCRIPT) {
      const char* type = attribute(e, "type");
      if (type != nullptr && std::string_view(type) == "application/ld+json" && e.children.length > 0) {
        const auto* child = static_cast<const GumboNode*>(e.children.data[0]);
        if (child->type == GUMBO_NODE_TEXT) {
          const json j = json::parse(child->v.text.text, nullptr, false);
          if (!j.is_discarded()) read_json_ld(j, meta);
        }
      }
      return false;
    }
    if (e.tag == GUMBO_TAG_TIME && !time_date.known()) {
      if (const char* dt = attribute(e, "datetime")) {
        if (auto d = parse_date(dt)) time_date = *d;
      }
    }
    if (e.tag == GUMBO_TAG_H1 && meta.h1.empty()) meta.h1 = text_of(node);
    return true;
  });
  if (!meta.date.known()) meta.date = time_date;
  return meta;
}

// The element holding the article: <article>, else <main> or role=main,
// else <body>.
const GumboNode* article_root(const GumboNode* root) {
  const GumboNode* article = nullptr;
  const GumboNode* main = nullptr;
  const GumboNode* body = nullptr;
  for_each_element(root, [&](const GumboNode* node) {
    const GumboElement& e = node->v.element;
    const char* role = attribute(e, "role");
    if (e.tag == GUMBO_TAG_ARTICLE && article == nullptr) article = node;
    if ((e.tag == GUMBO_TAG_MAIN || (role != nullptr && std::string_view(role) == "main")) &&
        main == nullptr) {
      main = node;
    }
    if (e.tag == GUMBO_TAG_BODY) body = node;
    return !is_skipped_tag(e.tag);
  });
  return article != nullptr ? article : main != nullptr ? main : body;
}

struct Block {
  bool heading;
  std::string text;
  int line;
};

// Headings and paragraph-like blocks of the article, in document order.
void collect_blocks(const GumboNode* node, std::vector<Block>& blocks) {
  if (node->type != GUMBO_NODE_ELEMENT) return;
  const GumboElement& e = node->v.element;
  if (is_skipped_tag(e.tag) || is_widget(e)) return;
  const int line = static_cast<int>(e.start_pos.line);
  switch (e.tag) {
    case GUMBO_TAG_H1:
      return;  // the title
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
      if (std::string t = text_of(node); !t.empty()) blocks.push_back({true, std::move(t), line});
      return;
    case GUMBO_TAG_P:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
      if (std::string t = text_of(node); !t.empty()) blocks.push_back({false, std::move(t), line});
      return;
    default:
      break;
  }
  for (unsigned i = 0; i < e.children.length; ++i) {
    collect_blocks(static_cast<const GumboNode*>(e.children.data[i]), blocks);
  }
}

}  // namespace

Article parse_html_article(std::string_view text, const std::string& path,
                           const SiteBoilerplate& boilerplate) {
  std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> output(
      gumbo_parse_with_options(&kGumboDefaultOptions, text.data(), text.size()),
      [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
  const Metadata meta = read_metadata(output->document);

  SectionBuilder builder(path, boilerplate);
  builder.set_title(!meta.og_title.empty() ? meta.og_title
                    : !meta.h1.empty()     ? meta.h1
                                           : meta.title_tag);
  builder.set_markup_metadata(meta.authors, meta.date);

  std::vector<Block> blocks;
  if (const GumboNode* root = article_root(output->document)) collect_blocks(root, blocks);

  for (const Block& b : blocks) {
    if (b.heading) {
      builder.add_heading(b.text, b.line);
    } else {
      builder.add_paragraph(b.text, b.line);
    }
  }
  return builder.finish();
}

}  // namespace folio
