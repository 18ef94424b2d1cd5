#include "folio/plain_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>

#include "folio/date.hpp"
#include "folio/error.hpp"
#include "folio/text.hpp"

namespace folio {
namespace {

struct Line {
  std::string_view text;  // trimmed
  int number;             // 1-based
};

using Block = std::vector<Line>;  // consecutive non-empty lines

constexpr std::size_t kMaxTitleLength = 200;
constexpr std::size_t kMaxHeadingLength = 100;
constexpr std::size_t kMaxHeadingWords = 15;
constexpr int kMaxMetadataLines = 4;

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
      "\xE2\x80\x9C" /* “ */, "\xC2\xBB" /* » */, "\xE3\x80\x82" /* 。 */};
  if (s.empty()) return false;
  if (std::string_view(".,;:!?\"'").find(s.back()) != std::string_view::npos) {
    return true;
  }
  return std::any_of(kMultibyte.begin(), kMultibyte.end(),
                     [&](std::string_view p) { return s.ends_with(p); });
}

// A first line that reads as body text rather than a title.
bool looks_like_paragraph(std::string_view s) {
  return utf8_length(s) > kMaxTitleLength ||
         (s.ends_with('.') && word_count(s) > 12);
}

bool is_heading_line(std::string_view s) {
  const std::size_t n = utf8_length(s);
  if (n < 2 || n > kMaxHeadingLength || word_count(s) > kMaxHeadingWords) {
    return false;
  }
  if (ends_with_punctuation(s)) return false;
  const char first = s.front();
  if ((first >= 'a' && first <= 'z') ||
      std::string_view("-*([>|#").find(first) != std::string_view::npos ||
      s.starts_with("\xE2\x80\xA2" /* • */)) {
    return false;
  }
  if (s.find("://") != std::string_view::npos || starts_with_icase(s, "www.")) {
    return false;
  }
  return !parse_byline(s).has_value();
}

std::string join_block(const Block& block) {
  std::string out;
  for (const Line& line : block) {
    if (!out.empty()) out += ' ';
    out += line.text;
  }
  return out;
}

// Splits body lines into paragraphs. Normally blank lines separate them;
// a body with no blank line at all is one paragraph per line.
std::vector<Block> make_blocks(const std::vector<Line>& body) {
  std::vector<Block> blocks;
  const bool has_blank = std::any_of(body.begin(), body.end(),
                                     [](const Line& l) { return l.text.empty(); });
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
  auto candidate = [&](std::size_t k) {
    return blocks[k].size() == 1 && is_heading_line(blocks[k][0].text);
  };
  // "Between paragraphs": a heading must be followed by body text.
  return candidate(i) && i + 1 < blocks.size() && !candidate(i + 1);
}

}  // namespace

SiteBoilerplate SiteBoilerplate::load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    throw Error(fmt::format("cannot read {}: folio's data files are missing",
                            file.string()));
  }
  SiteBoilerplate b;
  std::string raw;
  int number = 0;
  while (std::getline(in, raw)) {
    ++number;
    const std::string_view line = trim(raw);
    if (line.empty() || line.starts_with('#')) continue;
    if (line.starts_with("end:")) {
      b.end_markers.emplace_back(trim(line.substr(4)));
    } else if (line.starts_with("drop:")) {
      b.dropped_prefixes.emplace_back(trim(line.substr(5)));
    } else {
      throw Error(fmt::format("{}:{}: expected 'end:' or 'drop:'",
                              file.string(), number));
    }
  }
  return b;
}

bool SiteBoilerplate::ends_article(std::string_view line) const {
  return std::any_of(end_markers.begin(), end_markers.end(),
                     [&](const std::string& m) { return equals_icase(line, m); });
}

bool SiteBoilerplate::is_dropped(std::string_view line) const {
  return std::any_of(dropped_prefixes.begin(), dropped_prefixes.end(),
                     [&](const std::string& p) { return starts_with_icase(line, p); });
}

Article parse_plain_text_article(std::string_view text, const std::string& path,
                                 const SiteBoilerplate& boilerplate) {
  std::vector<Line> lines;
  {
    int number = 0;
    for (std::string_view raw : split_lines(text)) {
      lines.push_back({trim(raw), ++number});
    }
  }
  Article article;
  article.path = path;

  std::size_t cursor = 0;
  auto next_non_empty = [&](std::size_t from) {
    while (from < lines.size() && lines[from].text.empty()) ++from;
    return from;
  };

  // Title.
  const std::size_t first = next_non_empty(0);
  if (first < lines.size() && !parse_byline(lines[first].text) &&
      !looks_like_paragraph(lines[first].text)) {
    article.title = std::string(lines[first].text);
    cursor = first + 1;
  } else {
    article.title = std::filesystem::path(path).stem().string();
    cursor = first;
  }

  // Byline and date lines.
  Date updated;
  for (int n = 0; n < kMaxMetadataLines; ++n) {
    const std::size_t i = next_non_empty(cursor);
    if (i >= lines.size()) break;
    const std::optional<Byline> byline = parse_byline(lines[i].text);
    if (!byline) break;
    if (article.authors.empty()) article.authors = byline->authors;
    if (byline->is_update) {
      if (!updated.known()) updated = byline->date;
    } else if (!article.date.known()) {
      article.date = byline->date;
    }
    cursor = i + 1;
  }
  if (!article.date.known()) article.date = updated;

  // Body, without the site's trailing boilerplate.
  std::vector<Line> body;
  for (std::size_t i = cursor; i < lines.size(); ++i) {
    if (boilerplate.ends_article(lines[i].text)) break;
    Line line = lines[i];
    if (!line.text.empty() && boilerplate.is_dropped(line.text)) line.text = {};
    body.push_back(line);
  }

  const std::vector<Block> blocks = make_blocks(body);
  Section current;  // the lead
  current.index = 0;
  current.line = blocks.empty() ? (first < lines.size() ? lines[first].number : 1)
                                : blocks.front().front().number;
  int next_index = 1;
  auto flush = [&] {
    if (!current.text.empty() || !current.heading.empty()) {
      article.sections.push_back(std::move(current));
    }
  };
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    if (is_heading_block(blocks, b)) {
      flush();
      current = Section{};
      current.index = next_index++;
      current.heading = std::string(blocks[b][0].text);
      current.line = blocks[b][0].number;
      continue;
    }
    if (!current.text.empty()) current.text += '\n';
    current.text += join_block(blocks[b]);
  }
  flush();
  if (article.sections.empty()) {
    // A title and nothing else: still one (empty) section, so the article
    // can be found by its title.
    Section only;
    only.line = current.line;
    article.sections.push_back(std::move(only));
  }
  return article;
}

}  // namespace folio
