// HTML articles saved from news sites, parsed with gumbo (an HTML5 parser).
// Which part of the page is the article: html_content.cpp; its title,
// authors and date: html_meta.cpp.
#include <gumbo.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "folio/date.hpp"
#include "folio/formats.hpp"
#include "folio/section_builder.hpp"
#include "folio/text.hpp"
#include "html_content.hpp"
#include "html_meta.hpp"

namespace folio {
namespace {

struct Block {
  bool heading;
  std::string text;
  int line;
};

bool is_heading_tag(GumboTag tag) {
  return tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 || tag == GUMBO_TAG_H4;
}

// Elements whose whole text is one block.
bool is_text_block(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_FIGCAPTION:
      return true;
    default:
      return false;
  }
}

int line_of(const GumboNode* node) {
  if (node->type == GUMBO_NODE_ELEMENT) return static_cast<int>(node->v.element.start_pos.line);
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
      node->type == GUMBO_NODE_CDATA) {
    return static_cast<int>(node->v.text.start_pos.line);
  }
  return 0;
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string w;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      w += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else if (!w.empty()) {
      words.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) words.push_back(std::move(w));
  return words;
}

// A heading whose words are (nearly) all the title's: the headline again.
bool repeats_title(std::string_view heading, std::string_view title) {
  const std::vector<std::string> h = words_of(heading);
  const std::vector<std::string> t = words_of(title);
  if (h.empty() || t.empty()) return false;
  std::size_t shared = 0;
  for (const std::string& w : h) {
    if (std::find(t.begin(), t.end(), w) != t.end()) ++shared;
  }
  return shared * 4 >= h.size() * 3 && h.size() * 2 >= t.size();
}

// The page's first <h1> element, or nullptr.
const GumboNode* first_h1(const GumboNode* node, int depth = 0) {
  if (depth > html::kMaxDepth) return nullptr;
  if (node->type == GUMBO_NODE_ELEMENT && node->v.element.tag == GUMBO_TAG_H1) return node;
  const GumboVector& kids = html::children_of(node);
  for (unsigned i = 0; i < kids.length; ++i) {
    if (const GumboNode* h = first_h1(static_cast<const GumboNode*>(kids.data[i]), depth + 1)) return h;
  }
  return nullptr;
}

// Headings and paragraph-like blocks of the article, in document order.
// Between block elements, each run of text and inline elements is one
// paragraph: a <div> holding only text is a paragraph.
void collect_blocks(const GumboNode* node, const html::ArticleContent& content, const std::string& title,
                    const GumboNode* headline_node, std::vector<Block>& blocks, int depth = 0) {
  if (node->type != GUMBO_NODE_ELEMENT || depth > html::kMaxDepth) return;
  const GumboElement& e = node->v.element;
  if (html::is_never_text(e.tag) || content.is_dropped(node)) return;
  const int line = static_cast<int>(e.start_pos.line);
  if (e.tag == GUMBO_TAG_H1 || is_heading_tag(e.tag)) {
    // The headline (the page's first <h1>, or a heading repeating the
    // title) is not a section; other <h1>s are section headings (some
    // sites use only <h1>s).
    const bool headline = node == headline_node;
    std::string t = html::text_of(node, &content.dropped());
    if (!t.empty() && !headline && !repeats_title(t, title)) blocks.push_back({true, std::move(t), line});
    return;
  }
  if (is_text_block(e.tag)) {
    if (std::string t = html::text_of(node, &content.dropped()); !t.empty()) {
      blocks.push_back({false, std::move(t), line});
    }
    return;
  }
  // A container: runs of inline content are paragraphs, blocks recurse.
  std::string run;
  int run_line = 0;
  auto flush = [&] {
    std::string t = html::text_of_run(run);
    if (!t.empty()) blocks.push_back({false, std::move(t), run_line});
    run.clear();
    run_line = 0;
  };
  for (unsigned i = 0; i < e.children.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(e.children.data[i]);
    const bool inline_child = child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_WHITESPACE ||
                              child->type == GUMBO_NODE_CDATA ||
                              (child->type == GUMBO_NODE_ELEMENT &&
                               html::is_inline_tag(child->v.element.tag) && !html::has_block_child(child));
    if (inline_child) {
      if (child->type == GUMBO_NODE_ELEMENT && content.is_dropped(child)) continue;
      if (run_line == 0 && child->type != GUMBO_NODE_WHITESPACE) run_line = line_of(child);
      html::append_raw_text(child, &content.dropped(), run);
      continue;
    }
    flush();
    collect_blocks(child, content, title, headline_node, blocks, depth + 1);
  }
  flush();
}

}  // namespace

Article parse_html_article(std::string_view text, const std::string& path,
                           const SiteBoilerplate& boilerplate) {
  std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> output(
      gumbo_parse_with_options(&kGumboDefaultOptions, text.data(), text.size()),
      [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
  const html::ArticleContent content(output->document);
  const html::PageMetadata meta = html::read_page_metadata(output->document, content);

  SectionBuilder builder(path, boilerplate);
  builder.set_title(meta.title);
  builder.set_markup_metadata(meta.authors, meta.date);

  std::vector<Block> blocks;
  const GumboNode* headline = first_h1(output->document);
  for (const GumboNode* root : content.roots()) {
    collect_blocks(root, content, meta.title, headline, blocks);
  }

  for (const Block& b : blocks) {
    if (b.heading) {
      builder.add_heading(b.text, b.line);
    } else {
      builder.add_paragraph(b.text, b.line);
    }
  }
  Article article = builder.finish();
  const bool no_text = std::none_of(article.sections.begin(), article.sections.end(),
                                    [](const Section& s) { return !s.text.empty(); });
  if (no_text && !meta.article_body.empty()) {
    // The page's text is only in its JSON-LD (rendered by a script).
    article.sections.clear();
    Section lead;
    lead.line = 1;
    lead.text = meta.article_body;
    article.sections.push_back(std::move(lead));
  } else if (no_text) {
    article.warning = "no article text found";
  }
  return article;
}

}  // namespace folio
