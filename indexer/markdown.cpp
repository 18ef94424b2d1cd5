// Markdown articles, parsed with cmark (CommonMark), after folio's own
// reading of a simple YAML front matter block.
#include <cmark.h>

#include <memory>

#include "folio/date.hpp"
#include "folio/formats.hpp"
#include "folio/section_builder.hpp"
#include "folio/text.hpp"

namespace folio {
namespace {

struct FrontMatter {
  std::string title;
  std::vector<std::string> authors;
  Date date;
  int lines = 0;  // lines the block takes, fences included
};

std::string unquote(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    v = v.substr(1, v.size() - 2);
  }
  return std::string(v);
}

// "[a, b]" or "a" -> items.
std::vector<std::string> list_value(std::string_view v) {
  v = trim(v);
  std::vector<std::string> items;
  if (v.starts_with('[') && v.ends_with(']')) {
    v = v.substr(1, v.size() - 2);
    while (!v.empty()) {
      const std::size_t comma = v.find(',');
      if (std::string item = unquote(v.substr(0, comma)); !item.empty()) items.push_back(item);
      if (comma == std::string_view::npos) break;
      v.remove_prefix(comma + 1);
    }
  } else if (std::string item = unquote(v); !item.empty()) {
    items.push_back(item);
  }
  return items;
}

// The leading "---" block: key: value lines and "- item" lists. Only the
// keys folio uses are read; anything else is skipped, never an error.
FrontMatter read_front_matter(const std::vector<std::string_view>& lines) {
  FrontMatter fm;
  if (lines.empty() || trim(lines[0]) != "---") return fm;
  std::string key;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (trim(line) == "---" || trim(line) == "...") {
      fm.lines = static_cast<int>(i) + 1;
      return fm;
    }
    const std::string_view t = trim(line);
    if (t.starts_with("- ") && (key == "author" || key == "authors")) {
      fm.authors.push_back(unquote(t.substr(2)));
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || line.starts_with(' ')) continue;
    key = to_lower_ascii(trim(line.substr(0, colon)));
    const std::string_view value = line.substr(colon + 1);
    if (key == "title") {
      fm.title = unquote(value);
    } else if (key == "author" || key == "authors") {
      for (std::string& a : list_value(value)) fm.authors.push_back(std::move(a));
    } else if (key == "date" || key == "published" || key == "pubdate") {
      if (auto d = parse_date(unquote(value))) fm.date = *d;
    }
  }
  return {};  // no closing fence: not front matter
}

// The text of a node's inline content, markup removed; a line break (soft
// or hard) becomes `line_break`.
void inline_text(cmark_node* node, std::string& out, char line_break = ' ') {
  for (cmark_node* child = cmark_node_first_child(node); child != nullptr; child = cmark_node_next(child)) {
    switch (cmark_node_get_type(child)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        out += cmark_node_get_literal(child);
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        out += line_break;
        break;
      case CMARK_NODE_HTML_INLINE:
        break;
      default:  // emphasis, strong, link, image (its alt text)
        inline_text(child, out, line_break);
    }
  }
}

// Feeds the paragraph-like text of a block to the builder: paragraphs (line
// by line, so that a byline ending in a hard break is read as the plain-text
// lines it stands for), list items, quotes, code blocks. `line_offset`: lines
// of front matter before the body.
void add_block_text(cmark_node* node, int line_offset, SectionBuilder& builder) {
  const int line = cmark_node_get_start_line(node) + line_offset;
  switch (cmark_node_get_type(node)) {
    case CMARK_NODE_PARAGRAPH:
    case CMARK_NODE_HEADING: {  // a heading inside a list or quote is text
      std::string text;
      inline_text(node, text, '\n');
      const std::vector<std::string_view> parts = split_lines(text);
      std::vector<SourceLine> lines;
      for (std::size_t i = 0; i < parts.size(); ++i) {
        lines.push_back({parts[i], line + static_cast<int>(i)});
      }
      builder.add_paragraph(lines);
      return;
    }
    case CMARK_NODE_CODE_BLOCK:
      builder.add_paragraph(cmark_node_get_literal(node), line);
      return;
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_THEMATIC_BREAK:
      return;
    default:
      for (cmark_node* c = cmark_node_first_child(node); c != nullptr; c = cmark_node_next(c)) {
        add_block_text(c, line_offset, builder);
      }
  }
}

}  // namespace

Article parse_markdown_article(std::string_view text, const std::string& path,
                               const SiteBoilerplate& boilerplate) {
  const std::vector<std::string_view> lines = split_lines(text);
  const FrontMatter fm = read_front_matter(lines);
  // The body starts where split_lines found the line after the front
  // matter (any line ending: "\n", "\r\n" or "\r").
  const auto front_lines = static_cast<std::size_t>(fm.lines);
  const std::string_view body =
      front_lines == 0 ? text
      : front_lines < lines.size()
          ? text.substr(static_cast<std::size_t>(lines[front_lines].data() - text.data()))
          : std::string_view();

  SectionBuilder builder(path, boilerplate);
  builder.set_title(fm.title);
  builder.set_markup_metadata(fm.authors, fm.date);
  builder.set_start_line(fm.lines + 1);
  bool has_title = !fm.title.empty();

  std::unique_ptr<cmark_node, void (*)(cmark_node*)> doc(
      cmark_parse_document(body.data(), body.size(), CMARK_OPT_DEFAULT), cmark_node_free);
  for (cmark_node* node = cmark_node_first_child(doc.get()); node != nullptr && !builder.ended();
       node = cmark_node_next(node)) {
    if (cmark_node_get_type(node) != CMARK_NODE_HEADING) {
      add_block_text(node, fm.lines, builder);
      continue;
    }
    std::string heading;
    inline_text(node, heading);
    // The first level-1 heading before any text is the title.
    if (cmark_node_get_heading_level(node) == 1 && !has_title && !builder.has_body()) {
      builder.set_title(std::string(trim(heading)));
      has_title = !trim(heading).empty();
      continue;
    }
    builder.add_heading(heading, cmark_node_get_start_line(node) + fm.lines);
  }
  return builder.finish();
}

}  // namespace folio
