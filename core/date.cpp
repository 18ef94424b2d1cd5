#include "folio/date.hpp"

#include <array>
#include <charconv>

#include <fmt/format.h>

#include "folio/text.hpp"

namespace folio {
namespace {

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
  for (std::size_t i = 0; i < kMonthNames.size(); ++i) {
    if (kMonthNames[i] == t || kMonthNames[i].substr(0, 3) == t) {
      return static_cast<int>(i) + 1;
    }
  }
  return t == "sept" ? 9 : 0;
}

bool is_weekday(std::string_view token) {
  const std::string t = to_lower_ascii(token);
  if (t.size() < 3) return false;
  for (auto day : kWeekdayNames) {
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
  if (!suffix.empty() && suffix != "st" && suffix != "nd" && suffix != "rd" && suffix != "th") {
    return 0;
  }
  return to_int(token.substr(0, digits));
}

int year_number(std::string_view token) { return token.size() == 4 && all_digits(token) ? to_int(token) : 0; }

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
  return t.find(':') != std::string::npos || t.ends_with("am") || t.ends_with("pm") || t.ends_with("a.m") ||
         t.ends_with("p.m");
}

// What may follow a date: nothing, or a time with its decorations.
bool is_time_tail(const std::vector<std::string_view>& tokens, std::size_t from) {
  while (from < tokens.size() && (tokens[from] == "at" || tokens[from] == "-" || tokens[from] == "|" ||
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

std::optional<Date> parse_words(std::string_view s) {
  std::vector<std::string_view> t = date_words(s);
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
  } else if (t.size() - i >= 3 && day_number(t[i]) && month_number(t[i + 1]) && year_number(t[i + 2])) {
    // 18 June 2023
    date = make_date(year_number(t[i + 2]), month_number(t[i + 1]), day_number(t[i]));
    used = 3;
  }
  if (!date) return std::nullopt;
  if (i + used < t.size() && !is_time_tail(t, i + used)) return std::nullopt;
  return date;
}

}  // namespace

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

std::vector<std::string_view> date_words(std::string_view s) {
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

std::optional<Date> parse_date(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.empty()) return std::nullopt;
  if (is_digit(s[0])) {
    if (auto iso = parse_iso(s)) return iso;
  }
  return parse_words(s);
}

std::string iso_of_day_key(std::string_view key) {
  if (key.size() != 8) return std::string(key);
  return fmt::format("{}-{}-{}", key.substr(0, 4), key.substr(4, 2), key.substr(6, 2));
}

}  // namespace folio
