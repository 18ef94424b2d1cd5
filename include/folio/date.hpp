// Calendar dates as articles and users write them, shared by the indexer
// (article metadata: byline_date.hpp) and the query side (filters:
// filter_date.hpp). The Date type itself is in model.hpp.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "folio/model.hpp"

namespace folio {

// Month names, January first, and weekday names, Monday first: lower-case
// English, as parse_date reads them (and their three-letter abbreviations).
inline constexpr std::array<std::string_view, 12> kMonthNames = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
inline constexpr std::array<std::string_view, 7> kWeekdayNames = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

// Parses a whole string as a date, keeping its precision. Accepts
// "2023-06-18", "2023/06/18", "2023-06", "2023", "June 18, 2023",
// "Jun. 18, 2023", "June 18th 2023", "18 June 2023", "June 2023", an optional
// leading weekday ("Sunday, June 18, 2023") and an optional trailing time
// ("June 18, 2023 10:30 AM EDT", "2023-06-18T10:30:00Z"). Returns nullopt
// for anything else, including impossible dates such as "February 30, 2023".
std::optional<Date> parse_date(std::string_view text);

// "20230618" -> "2023-06-18" (a kDateSlot key as a date: the inverse of
// Date::sort_key); other strings are returned as they are.
std::string iso_of_day_key(std::string_view key);

// Days in `month` (1-12) of `year` in the Gregorian calendar.
int days_in_month(int year, int month);

// The words of a date or a byline, as parse_date reads them: split on
// spaces, tabs and commas; trailing full stops removed ("Jun." -> "Jun",
// "a.m." -> "a.m").
std::vector<std::string_view> date_words(std::string_view s);

}  // namespace folio
