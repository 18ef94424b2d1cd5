#include "folio/plain_text.hpp"

#include <algorithm>
#include <array>

#include "folio/byline_date.hpp"
#include "folio/text.hpp"

namespace folio {
namespace {

using Line = SourceLine;  // text trimmed

using Block = std::vector<Line>;  // consecutive non-empty lines

constexpr std::size_t kMaxTitleLength = 200;
constexpr std::size_t kMaxHeadingLength = 100;
constexpr std::size_t kMaxHeadingWords = 15;

std::size_t word_count(std::string_view s) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\t';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

bool ends_with_punctuation(std::string_view s) {
  static constexpr std::array<std::string_view, 6> kMultibyte = {
      "\xE2\x80\xA6" /* … */, "\xE2\x80\x9D" /* ” */, "\xE2\x80\x99" /* ’ */,
      "\xE2\x80\x9C" /* “ */, "\xC2\xBB" /* » */,     "\xE3\x80\x82" /* 。 */};
  if (s.empty()) return false;
  if (std::string_view(".,;:!?\"'").find(s.back()) != std::string_view::npos) {
    return true;
  }
  return std::any_of(kMultibyte.begin(), kMultibyte.end(),
                     [&](std::string_view p) { return s.ends_with(p); });
}

// A first line that reads as body text rather than a title.
bool looks_like_paragraph(std::string_view s) {
  return utf8_length(s) > kMaxTitleLength || (s.ends_with('.') && word_count(s) > 12);
}

bool is_heading_line(std::string_view s) {
  const std::size_t n = utf8_length(s);
  if (n < 2 || n > kMaxHeadingLength || word_count(s) > kMaxHeadingWords) {
    return false;
  }
  if (ends_with_punctuation(s)) return false;
  const char first = s.front();
  if ((first >= 'a' && first <= 'z') || std::string_view("-*([>|#").find(first) != std::string_view::npos ||
      s.starts_with("\xE2\x80\xA2" /* • */)) {
    return false;
  }
  if (s.find("://") != std::string_view::npos || starts_with_icase(s, "www.")) {
    return false;
  }
  return !parse_byline(s).has_value();
}

// Splits body lines into paragraphs. Normally blank lines separate them;
// a body with no blank line at all is one paragraph per line.
std::vector<Block> make_blocks(const std::vector<Line>& body) {
  std::vector<Block> blocks;
  const bool has_blank = std::any_of(body.begin(), body.end(), [](const Line& l) { return l.text.empty(); });
  Block current;
  for (const Line& line : body) {
    if (line.text.empty()) {
      if (!current.empty()) blocks.push_back(std::move(current));
      current.clear();
      continue;
    }
    current.push_back(line);
    if (!has_blank) {
      blocks.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) blocks.push_back(std::move(current));
  return blocks;
}

bool is_heading_block(const std::vector<Block>& blocks, std::size_t i) {
  auto candidate = [&](std::size_t k) { return blocks[k].size() == 1 && is_heading_line(blocks[k][0].text); };
  // "Between paragraphs": a heading must be followed by body text.
  return candidate(i) && i + 1 < blocks.size() && !candidate(i + 1);
}

}  // namespace

Article parse_plain_text_article(std::string_view text, const std::string& path,
                                 const SiteBoilerplate& boilerplate) {
  std::vector<Line> lines;
  {
    int number = 0;
    for (std::string_view raw : split_lines(text)) {
      lines.push_back({trim(raw), ++number});
    }
  }
  SectionBuilder builder(path, boilerplate);

  std::size_t cursor = 0;
  auto next_non_empty = [&](std::size_t from) {
    while (from < lines.size() && lines[from].text.empty()) ++from;
    return from;
  };

  // Title; without one, the builder falls back to the file name.
  const std::size_t first = next_non_empty(0);
  if (first < lines.size()) builder.set_start_line(lines[first].number);
  if (first < lines.size() && !parse_byline(lines[first].text) && !looks_like_paragraph(lines[first].text)) {
    builder.set_title(std::string(lines[first].text));
    cursor = first + 1;
  } else {
    cursor = first;
  }

  // Byline and date lines, read before the body is split into paragraphs:
  // what is left decides where paragraphs and headings are.
  for (;;) {
    const std::size_t i = next_non_empty(cursor);
    if (i >= lines.size() || !builder.offer_byline(lines[i].text)) break;
    cursor = i + 1;
  }

  // Body, without the site's trailing boilerplate. A dropped line counts as
  // a blank one: it separates paragraphs.
  std::vector<Line> body;
  for (std::size_t i = cursor; i < lines.size(); ++i) {
    Line line = lines[i];
    const SectionBuilder::LineKind kind = builder.classify(line.text);
    if (kind == SectionBuilder::LineKind::end_of_article) break;
    if (kind == SectionBuilder::LineKind::dropped) line.text = {};
    body.push_back(line);
  }

  const std::vector<Block> blocks = make_blocks(body);
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    if (is_heading_block(blocks, b)) {
      builder.add_heading(blocks[b][0].text, blocks[b][0].number);
    } else {
      builder.add_paragraph(blocks[b]);
    }
  }
  return builder.finish();
}

}  // namespace folio
