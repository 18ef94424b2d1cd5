// Parsing the dates and bylines that articles carry in their first lines.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "folio/model.hpp"

namespace folio {

// Parses a whole string as a date, keeping its precision. Accepts
// "2023-06-18", "2023/06/18", "2023-06", "2023", "June 18, 2023",
// "Jun. 18, 2023", "June 18th 2023", "18 June 2023", "June 2023", an optional
// leading weekday ("Sunday, June 18, 2023") and an optional trailing time
// ("June 18, 2023 10:30 AM EDT", "2023-06-18T10:30:00Z"). Returns nullopt
// for anything else, including impossible dates such as "February 30, 2023".
std::optional<Date> parse_date(std::string_view text);

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
