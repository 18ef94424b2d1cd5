#include "folio/date.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "folio/error.hpp"

#include "folio/text.hpp"

namespace folio {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

constexpr std::array<std::string_view, 7> kWeekdays = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

int to_int(std::string_view digits) {
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

// 1-12 for a month name or its abbreviation ("Jun", "Sept"), else 0.
int month_number(std::string_view token) {
  const std::string t = to_lower_ascii(token);
  if (t.size() < 3) return 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == t || kMonths[i].substr(0, 3) == t) {
      return static_cast<int>(i) + 1;
    }
  }
  return t == "sept" ? 9 : 0;
}

bool is_weekday(std::string_view token) {
  const std::string t = to_lower_ascii(token);
  if (t.size() < 3) return false;
  for (auto day : kWeekdays) {
    if (day == t || day.substr(0, 3) == t || (t == "tues" || t == "thurs")) {
      return true;
    }
  }
  return false;
}

// "18", "18th", "1st": the day number, else 0.
int day_number(std::string_view token) {
  std::size_t digits = 0;
  while (digits < token.size() && is_digit(token[digits])) ++digits;
  if (digits == 0 || digits > 2) return 0;
  const std::string suffix = to_lower_ascii(token.substr(digits));
  if (!suffix.empty() && suffix != "st" && suffix != "nd" && suffix != "rd" &&
      suffix != "th") {
    return 0;
  }
  return to_int(token.substr(0, digits));
}

int year_number(std::string_view token) {
  return token.size() == 4 && all_digits(token) ? to_int(token) : 0;
}

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

std::optional<Date> make_date(int year, int month, int day) {
  if (year < 1000 || year > 2999) return std::nullopt;
  Date d;
  d.year = year;
  d.precision = DatePrecision::year;
  if (month == 0) return d;
  if (month < 1 || month > 12) return std::nullopt;
  d.month = month;
  d.precision = DatePrecision::month;
  if (day == 0) return d;
  if (day < 1 || day > days_in_month(year, month)) return std::nullopt;
  d.day = day;
  d.precision = DatePrecision::day;
  return d;
}

// A time of day after a date: "10:30", "10:30:00", "10am", "10.30pm".
bool looks_like_time(std::string_view token) {
  if (token.empty() || !is_digit(token[0])) return false;
  const std::string t = to_lower_ascii(token);
  return t.find(':') != std::string::npos || t.ends_with("am") ||
         t.ends_with("pm") || t.ends_with("a.m") || t.ends_with("p.m");
}

// What may follow a date: nothing, or a time with its decorations.
bool is_time_tail(const std::vector<std::string_view>& tokens,
                  std::size_t from) {
  while (from < tokens.size() &&
         (tokens[from] == "at" || tokens[from] == "-" || tokens[from] == "|" ||
          tokens[from] == "\xE2\x80\x94" || tokens[from] == "\xE2\x80\x93")) {
    ++from;
  }
  if (from == tokens.size()) return tokens.size() == from && from > 0;
  return looks_like_time(tokens[from]);
}

// ISO 8601 forms: 2023, 2023-06, 2023-06-18, 2023/06/18, with an optional
// "T10:30:00Z" or " 10:30" after a full date.
std::optional<Date> parse_iso(std::string_view s) {
  if (s.size() < 4 || !all_digits(s.substr(0, 4))) return std::nullopt;
  const int year = to_int(s.substr(0, 4));
  std::size_t pos = 4;
  int parts[2] = {0, 0};
  for (int& part : parts) {
    if (pos >= s.size() || (s[pos] != '-' && s[pos] != '/')) break;
    std::size_t end = pos + 1;
    while (end < s.size() && is_digit(s[end]) && end - pos <= 2) ++end;
    const std::size_t len = end - pos - 1;
    if (len == 0 || len > 2) return std::nullopt;
    part = to_int(s.substr(pos + 1, len));
    if (part == 0) return std::nullopt;
    pos = end;
  }
  if (pos < s.size()) {
    // Only a full date may carry a time.
    if (parts[1] == 0) return std::nullopt;
    const char c = s[pos];
    if (!(c == 'T' || c == ' ') || pos + 1 >= s.size() || !is_digit(s[pos + 1])) {
      return std::nullopt;
    }
  }
  return make_date(year, parts[0], parts[1]);
}

std::vector<std::string_view> tokenize(std::string_view s) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '\t')) ++i;
    std::size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != ',' && s[i] != '\t') ++i;
    std::string_view token = s.substr(start, i - start);
    // "Jun." and "18." lose their dot; "a.m." keeps its inner dots.
    while (token.size() > 1 && token.back() == '.') token.remove_suffix(1);
    if (!token.empty()) tokens.push_back(token);
  }
  return tokens;
}

std::optional<Date> parse_words(std::string_view s) {
  std::vector<std::string_view> t = tokenize(s);
  std::size_t i = 0;
  if (i < t.size() && is_weekday(t[i])) ++i;
  if (t.size() - i < 2) return std::nullopt;
  std::optional<Date> date;
  std::size_t used = 0;
  if (const int m = month_number(t[i]); m != 0) {
    // June 18, 2023 | June 18th 2023 | June 2023
    if (t.size() - i >= 3 && day_number(t[i + 1]) && year_number(t[i + 2])) {
      date = make_date(year_number(t[i + 2]), m, day_number(t[i + 1]));
      used = 3;
    } else if (year_number(t[i + 1])) {
      date = make_date(year_number(t[i + 1]), m, 0);
      used = 2;
    }
  } else if (t.size() - i >= 3 && day_number(t[i]) && month_number(t[i + 1]) &&
             year_number(t[i + 2])) {
    // 18 June 2023
    date = make_date(year_number(t[i + 2]), month_number(t[i + 1]),
                     day_number(t[i]));
    used = 3;
  }
  if (!date) return std::nullopt;
  if (i + used < t.size() && !is_time_tail(t, i + used)) return std::nullopt;
  return date;
}

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
      "Published on", "Published", "Posted on", "Posted", "First published",
      "Date"};
  static constexpr std::array<std::string_view, 4> kUpdated = {
      "Last updated", "Updated on", "Updated", "Modified"};
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

std::size_t count_words(std::string_view s) { return tokenize(s).size(); }

}  // namespace

std::optional<Date> parse_date(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.empty()) return std::nullopt;
  if (is_digit(s[0])) {
    if (auto iso = parse_iso(s)) return iso;
  }
  return parse_words(s);
}

std::optional<Byline> parse_byline(std::string_view line) {
  std::string_view s = trim(line);
  if (s.empty()) return std::nullopt;
  const bool by = starts_with_icase(s, "by") &&
                  (s.size() == 2 || s[2] == ' ' || s[2] == '|' || s[2] == ':');
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

const char* const kDateFormsHelp =
    "use 2023, 2023-06, 2023-06-18, June 2023, 18 June 2023, June 18, 2023, today, "
    "yesterday, last week, last month, last year or N days|weeks|months|years ago";

std::string iso_of_day_key(std::string_view key) {
  if (key.size() != 8) return std::string(key);
  return fmt::format("{}-{}-{}", key.substr(0, 4), key.substr(4, 2), key.substr(6, 2));
}

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

}  // namespace

std::optional<Date> parse_filter_date(std::string_view text, const Date& today) {
  const std::string t = to_lower_ascii(trim(text));
  if (t == "today") return today;
  if (t == "yesterday") return days_back(today, 1);
  if (t == "last week") return days_back(today, 7);
  if (t == "last month") return months_back(today, 1);
  if (t == "last year") return months_back(today, 12);
  // "3 months ago", "1 day ago"
  const std::vector<std::string_view> words = tokenize(t);
  if (words.size() == 3 && all_digits(words[0]) && words[2] == "ago" && words[0].size() <= 5) {
    const int n = to_int(words[0]);
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
