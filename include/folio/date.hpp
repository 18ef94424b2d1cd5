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

// An inclusive range of days, as "yyyymmdd" keys (schema::kDateSlot);
// an empty bound is open.
struct DateRange {
  std::string from;
  std::string to;
};

// "20230618" -> "2023-06-18" (a kDateSlot key as a date); other strings
// are returned as they are.
std::string iso_of_day_key(std::string_view key);

// The days a date covers: "2023-06" is 20230601..20230630.
DateRange period_of(const Date& date);

// Today's date with day precision.
Date local_today();

// Parses a date as a user types it in a filter: the forms parse_date takes
// ("2023", "2023-06", "June 2023", "18 June 2023", "June 18, 2023") and
// relative ones: "today", "yesterday", "last week" (7 days ago), "last
// month", "last year", "N days|weeks|months|years ago". Relative dates are
// whole days counted back from `today`. Returns nullopt when it is none of
// these.
std::optional<Date> parse_filter_date(std::string_view text, const Date& today);

// Parses "A..B", "A..", "..B" or "A" (meaning all of A's period) with
// parse_filter_date bounds: A counts from its first day, B to its last.
// Throws folio::Error naming the accepted forms when a bound is not a date.
DateRange parse_date_range(std::string_view text, const Date& today);

// The accepted forms, for error messages.
extern const char* const kDateFormsHelp;

}  // namespace folio
