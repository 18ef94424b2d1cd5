// Reading the byline and date lines that articles carry in their first
// lines (the indexer's side of dates; parse_date itself is in date.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "folio/date.hpp"

namespace folio {

// A line near the top of an article that says who wrote it and/or when.
struct Byline {
  std::vector<std::string> authors;  // may be empty ("By | June 18, 2023")
  Date date;                         // unknown when the line has no date
  bool is_update = false;            // "Updated ...": a later revision date
};

// Recognises one metadata line: "By <authors> | <date>" (also with "—", "–",
// "·" or "," before the date), "By <authors>", "Published: <date>",
// "Updated <date>", "Posted on <date>", or a line that is only a date.
// Authors are split on ",", ";", "&" and "and". Returns nullopt when the
// line is not such a line.
std::optional<Byline> parse_byline(std::string_view line);

}  // namespace folio
