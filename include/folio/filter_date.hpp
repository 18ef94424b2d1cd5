// Dates as users type them in search filters (`--since`, `date:`), relative
// ones included: the query side's dates. parse_date itself is in date.hpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "folio/date.hpp"

namespace folio {

// An inclusive range of days, as "yyyymmdd" keys (schema::kDateSlot);
// an empty bound is open.
struct DateRange {
  std::string from;
  std::string to;
};

// The days a date covers: "2023-06" is 20230601..20230630.
DateRange period_of(const Date& date);

// Today's date with day precision.
Date local_today();

// Parses a date as a user types it in a filter: the forms parse_date takes
// ("2023", "2023-06", "June 2023", "18 June 2023", "June 18, 2023") and
// relative ones: "today", "yesterday", "N days|weeks|months|years ago"
// (whole days counted back from `today`), and "last week", "last month",
// "last year": the whole previous calendar period (a week from Monday to
// Sunday: its Monday here, which parse_date_range() extends to the
// week). Returns nullopt when it is none of these.
std::optional<Date> parse_filter_date(std::string_view text, const Date& today);

// Parses "A..B", "A..", "..B" or "A" (meaning all of A's period) with
// parse_filter_date bounds: A counts from its first day, B to its last.
// Throws folio::Error naming the accepted forms when a bound is not a date.
DateRange parse_date_range(std::string_view text, const Date& today);

// The accepted forms, for error messages.
extern const char* const kDateFormsHelp;

}  // namespace folio
