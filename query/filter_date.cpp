// Dates as users type them in filters: "2023-06", "last month",
// "3 weeks ago", "2023..2024".
#include "folio/filter_date.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "folio/error.hpp"
#include "folio/text.hpp"

namespace folio {

const char* const kDateFormsHelp =
    "use 2023, 2023-06, 2023-06-18, June 2023, 18 June 2023, June 18, 2023, today, "
    "yesterday, last week, last month, last year or N days|weeks|months|years ago";

DateRange period_of(const Date& date) {
  switch (date.precision) {
    case DatePrecision::day:
      return {date.sort_key(), date.sort_key()};
    case DatePrecision::month:
      return {date.sort_key(),
              fmt::format("{:04}{:02}{:02}", date.year, date.month, days_in_month(date.year, date.month))};
    case DatePrecision::year:
      return {date.sort_key(), fmt::format("{:04}1231", date.year)};
    case DatePrecision::none:
      break;
  }
  return {};
}

Date local_today() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, DatePrecision::day};
}

namespace {

// `date` moved back by whole days, months or years (a month back from March
// 31 is the last day of February).
Date days_back(const Date& date, int days) {
  using namespace std::chrono;
  const sys_days d = year_month_day{year{date.year}, month{static_cast<unsigned>(date.month)},
                                    day{static_cast<unsigned>(date.day)}};
  const year_month_day r{d - std::chrono::days{days}};
  return {static_cast<int>(r.year()), static_cast<int>(static_cast<unsigned>(r.month())),
          static_cast<int>(static_cast<unsigned>(r.day())), DatePrecision::day};
}

Date months_back(const Date& date, int months) {
  int total = date.year * 12 + (date.month - 1) - months;
  Date r{total / 12, total % 12 + 1, 0, DatePrecision::day};
  r.day = std::min(date.day, days_in_month(r.year, r.month));
  return r;
}

// 0 for a Monday ... 6 for a Sunday.
int weekday_from_monday(const Date& date) {
  using namespace std::chrono;
  const sys_days d = year_month_day{year{date.year}, month{static_cast<unsigned>(date.month)},
                                    day{static_cast<unsigned>(date.day)}};
  return static_cast<int>(weekday{d}.iso_encoding()) - 1;
}

// A count of units: digits only ("3"; not "-3" or "+3").
bool parse_count(std::string_view s, int& n) {
  if (s.empty() || s.front() < '0' || s.front() > '9') return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::optional<Date> parse_filter_date(std::string_view text, const Date& today) {
  const std::string t = to_lower_ascii(trim(text));
  if (t == "today") return today;
  if (t == "yesterday") return days_back(today, 1);
  // The previous calendar period, whole: the week from Monday, the month,
  // the year. A Date has no week precision: "last week" is its Monday
  // here, and parse_date_range() covers its seven days.
  if (t == "last week") return days_back(today, 7 + weekday_from_monday(today));
  if (t == "last month") {
    const Date m = months_back(today, 1);
    return Date{m.year, m.month, 0, DatePrecision::month};
  }
  if (t == "last year") return Date{today.year - 1, 0, 0, DatePrecision::year};
  // "3 months ago", "1 day ago"
  const std::vector<std::string_view> words = date_words(t);
  int n = 0;
  if (words.size() == 3 && words[2] == "ago" && words[0].size() <= 5 && parse_count(words[0], n)) {
    std::string unit(words[1]);
    if (unit.ends_with('s')) unit.pop_back();
    if (unit == "day") return days_back(today, n);
    if (unit == "week") return days_back(today, 7 * n);
    if (unit == "month") return months_back(today, n);
    if (unit == "year") return months_back(today, 12 * n);
    return std::nullopt;
  }
  return parse_date(text);
}

DateRange parse_date_range(std::string_view text, const Date& today) {
  auto bound = [&](std::string_view s) {
    const std::optional<Date> d = parse_filter_date(s, today);
    if (!d) throw Error(fmt::format("bad date '{}': {}", trim(s), kDateFormsHelp));
    if (to_lower_ascii(trim(s)) == "last week") return DateRange{d->sort_key(), days_back(*d, -6).sort_key()};
    return period_of(*d);
  };
  const std::size_t dots = text.find("..");
  if (dots == std::string_view::npos) return bound(text);
  const std::string_view a = trim(text.substr(0, dots));
  const std::string_view b = trim(text.substr(dots + 2));
  if (a.empty() && b.empty()) throw Error(fmt::format("bad date range '..': {}", kDateFormsHelp));
  return {a.empty() ? std::string() : bound(a).from, b.empty() ? std::string() : bound(b).to};
}

}  // namespace folio
