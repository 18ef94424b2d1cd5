// Byline and date lines: "By Jane Doe | June 18, 2023", "Updated: ...".
#include "folio/byline_date.hpp"

#include <array>

#include "folio/text.hpp"

namespace folio {
namespace {

// Strips a case-insensitive label such as "Published:" or "Updated on".
bool strip_label(std::string_view& s, std::string_view label) {
  if (!starts_with_icase(s, label)) return false;
  std::string_view rest = s.substr(label.size());
  if (!rest.empty() && rest[0] != ' ' && rest[0] != ':') return false;
  rest = trim(rest);
  if (rest.starts_with(':')) rest = trim(rest.substr(1));
  s = rest;
  return true;
}

// "Published: <date>", "Updated <date>", or a bare date.
std::optional<Byline> parse_date_line(std::string_view s) {
  static constexpr std::array<std::string_view, 6> kPublished = {
      "Published on", "Published", "Posted on", "Posted", "First published", "Date"};
  static constexpr std::array<std::string_view, 4> kUpdated = {"Last updated", "Updated on", "Updated",
                                                               "Modified"};
  Byline byline;
  bool labelled = false;
  for (auto label : kUpdated) {
    if (strip_label(s, label)) {
      byline.is_update = true;
      labelled = true;
      break;
    }
  }
  for (auto label : kPublished) {
    if (labelled) break;
    labelled = strip_label(s, label);
  }
  const std::optional<Date> date = parse_date(s);
  if (!date) return std::nullopt;
  byline.date = *date;
  return byline;
}

std::vector<std::string> split_authors(std::string_view s) {
  std::vector<std::string> authors;
  std::string current;
  auto flush = [&] {
    std::string_view name = trim(current);
    if (!name.empty()) authors.emplace_back(name);
    current.clear();
  };
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ',' || s[i] == ';' || s[i] == '&' || s[i] == '|') {
      flush();
      ++i;
    } else if ((i == 0 || s[i - 1] == ' ') && starts_with_icase(s.substr(i), "and ")) {
      flush();
      i += 4;
    } else {
      current += s[i++];
    }
  }
  flush();
  return authors;
}

std::size_t count_words(std::string_view s) { return date_words(s).size(); }

}  // namespace

std::optional<Byline> parse_byline(std::string_view line) {
  std::string_view s = trim(line);
  if (s.empty()) return std::nullopt;
  const bool by = starts_with_icase(s, "by") && (s.size() == 2 || s[2] == ' ' || s[2] == '|' || s[2] == ':');
  if (!by) return parse_date_line(s);

  std::string_view rest = trim(s.substr(2));
  if (rest.starts_with(':')) rest = trim(rest.substr(1));
  // Find the first separator whose right-hand side is a date.
  static constexpr std::array<std::string_view, 6> kSeparators = {
      "|", ",", "\xE2\x80\x94", "\xE2\x80\x93", "\xC2\xB7", " - "};
  std::size_t best = std::string_view::npos;
  std::optional<Byline> dated;
  for (std::size_t pos = 0; pos < rest.size() && !dated; ++pos) {
    for (auto sep : kSeparators) {
      if (rest.compare(pos, sep.size(), sep) != 0) continue;
      if (auto d = parse_date_line(rest.substr(pos + sep.size()))) {
        dated = d;
        best = pos;
      }
      break;
    }
  }
  Byline byline;
  if (dated) {
    byline = *dated;
    byline.authors = split_authors(rest.substr(0, best));
    return byline;
  }
  // No date: only a short name list is a byline ("By the end of the year,
  // prices rose." is a sentence).
  if (rest.empty()) return byline;
  if (count_words(rest) > 12 || rest.ends_with('.')) return std::nullopt;
  byline.authors = split_authors(rest);
  return byline;
}

}  // namespace folio
