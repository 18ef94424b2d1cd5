#include "folio/date.hpp"

#include "folio/error.hpp"

#include <catch2/catch.hpp>

using folio::Date;
using folio::DatePrecision;

namespace {

Date day(int y, int m, int d) { return {y, m, d, DatePrecision::day}; }
Date month(int y, int m) { return {y, m, 0, DatePrecision::month}; }
Date year(int y) { return {y, 0, 0, DatePrecision::year}; }

}  // namespace

TEST_CASE("parse_date accepts the usual forms and keeps their precision", "[date]") {
  struct Case {
    const char* text;
    Date expected;
  };
  const Case cases[] = {
      {"June 18, 2023", day(2023, 6, 18)},
      {"Jun. 18, 2023", day(2023, 6, 18)},
      {"Jun 18 2023", day(2023, 6, 18)},
      {"June 18th, 2023", day(2023, 6, 18)},
      {"Sept. 5, 2023", day(2023, 9, 5)},
      {"18 June 2023", day(2023, 6, 18)},
      {"1st March 2020", day(2020, 3, 1)},
      {"2023-06-18", day(2023, 6, 18)},
      {"2023/06/18", day(2023, 6, 18)},
      {"2023-06-18T10:30:00Z", day(2023, 6, 18)},
      {"Sunday, June 25, 2023", day(2023, 6, 25)},
      {"Sun, 25 Jun 2023", day(2023, 6, 25)},
      {"June 18, 2023 10:30 AM EDT", day(2023, 6, 18)},
      {"June 18, 2023 at 10am", day(2023, 6, 18)},
      {"February 29, 2024", day(2024, 2, 29)},
      {"  june 18, 2023  ", day(2023, 6, 18)},
      {"June 2023", month(2023, 6)},
      {"Jun 2023", month(2023, 6)},
      {"2023-06", month(2023, 6)},
      {"2023", year(2023)},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const auto parsed = folio::parse_date(c.text);
    REQUIRE(parsed.has_value());
    CHECK(*parsed == c.expected);
  }
}

TEST_CASE("parse_date rejects what is not a date", "[date]") {
  const char* cases[] = {
      "",
      "June",
      "18 June",
      "February 30, 2023",  // no such day
      "February 29, 2023",  // not a leap year
      "2023-13-01",
      "2023-06-31",
      "Junebug 18, 2023",
      "June 18, 2023 and more words",
      "The summit opened on June 18, 2023.",
      "12345",
      "2023 was a good year",
      "Mayday 2023",
  };
  for (const char* text : cases) {
    INFO(text);
    CHECK_FALSE(folio::parse_date(text).has_value());
  }
}

TEST_CASE("Date prints ISO forms and sort keys by precision", "[date]") {
  CHECK(day(2023, 6, 8).iso() == "2023-06-08");
  CHECK(month(2023, 6).iso() == "2023-06");
  CHECK(year(2021).iso() == "2021");
  CHECK(Date{}.iso().empty());
  CHECK(day(2023, 6, 8).sort_key() == "20230608");
  CHECK(month(2023, 6).sort_key() == "20230601");
  CHECK(year(2021).sort_key() == "20210101");
  CHECK(Date{}.sort_key().empty());
}

TEST_CASE("parse_byline splits authors and date", "[date][byline]") {
  struct Case {
    const char* line;
    std::vector<std::string> authors;
    Date date;
    bool is_update;
  };
  const Case cases[] = {
      {"By | June 18, 2023", {}, day(2023, 6, 18), false},
      {"By Jane Doe | June 18, 2023", {"Jane Doe"}, day(2023, 6, 18), false},
      {"By Jane Doe, June 18, 2023", {"Jane Doe"}, day(2023, 6, 18), false},
      {"By Jane Doe — 18 June 2023", {"Jane Doe"}, day(2023, 6, 18), false},
      {"by JANE DOE | Jun 18, 2023", {"JANE DOE"}, day(2023, 6, 18), false},
      {"By A. Smith, B. Jones and C. Brown | Jun 20, 2023",
       {"A. Smith", "B. Jones", "C. Brown"}, day(2023, 6, 20), false},
      {"By Maria Fernández and Jürgen Müller | 2023-06-18",
       {"Maria Fernández", "Jürgen Müller"}, day(2023, 6, 18), false},
      {"By Priya Raman | June 2023", {"Priya Raman"}, month(2023, 6), false},
      {"By Chen Wei", {"Chen Wei"}, Date{}, false},
      {"By Jane Doe & John Roe", {"Jane Doe", "John Roe"}, Date{}, false},
      {"Published: Jun. 5, 2023", {}, day(2023, 6, 5), false},
      {"Published on 5 June 2023", {}, day(2023, 6, 5), false},
      {"Published: 2021", {}, year(2021), false},
      {"Updated June 6, 2023", {}, day(2023, 6, 6), true},
      {"Last updated: 2023-06-06", {}, day(2023, 6, 6), true},
      {"18 June 2023", {}, day(2023, 6, 18), false},
      {"Sunday, June 25, 2023", {}, day(2023, 6, 25), false},
  };
  for (const Case& c : cases) {
    INFO(c.line);
    const auto b = folio::parse_byline(c.line);
    REQUIRE(b.has_value());
    CHECK(b->authors == c.authors);
    CHECK(b->date == c.date);
    CHECK(b->is_update == c.is_update);
  }
}

TEST_CASE("parse_byline leaves sentences alone", "[date][byline]") {
  const char* cases[] = {
      "By the end of the year, prices had doubled across the region and beyond.",
      "By 2030, the plan says.",
      "Bystanders gathered near the square",
      "Published reports say the talks failed",
      "The summit was held on June 18, 2023.",
  };
  for (const char* line : cases) {
    INFO(line);
    CHECK_FALSE(folio::parse_byline(line).has_value());
  }
}

TEST_CASE("filter dates: relative forms count whole days back from today", "[date][filter]") {
  const Date today = day(2023, 3, 31);
  struct Case {
    const char* text;
    Date expected;
  };
  const Case cases[] = {
      {"today", day(2023, 3, 31)},
      {"yesterday", day(2023, 3, 30)},
      {"last week", day(2023, 3, 24)},
      {"last month", day(2023, 2, 28)},  // no February 31
      {"last year", day(2022, 3, 31)},
      {"3 days ago", day(2023, 3, 28)},
      {"1 day ago", day(2023, 3, 30)},
      {"2 weeks ago", day(2023, 3, 17)},
      {"3 months ago", day(2022, 12, 31)},
      {"10 years ago", day(2013, 3, 31)},
      {"June 2023", month(2023, 6)},
      {"2023", year(2023)},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const auto parsed = folio::parse_filter_date(c.text, today);
    REQUIRE(parsed.has_value());
    CHECK(*parsed == c.expected);
  }
  CHECK_FALSE(folio::parse_filter_date("next week", today).has_value());
  CHECK_FALSE(folio::parse_filter_date("3 fortnights ago", today).has_value());
}

TEST_CASE("date ranges cover whole periods", "[date][filter]") {
  const Date today = day(2023, 7, 4);
  struct Case {
    const char* text;
    const char* from;
    const char* to;
  };
  const Case cases[] = {
      {"2023", "20230101", "20231231"},
      {"2023-06", "20230601", "20230630"},
      {"2024-02", "20240201", "20240229"},
      {"2023-06-18", "20230618", "20230618"},
      {"2023-06..2023-07", "20230601", "20230731"},
      {"..2023-06-18", "", "20230618"},
      {"2023-06-01..", "20230601", ""},
      {"June 2023..yesterday", "20230601", "20230703"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const folio::DateRange r = folio::parse_date_range(c.text, today);
    CHECK(r.from == c.from);
    CHECK(r.to == c.to);
  }
  CHECK_THROWS_WITH(folio::parse_date_range("2023-13", today), Catch::Contains("bad date"));
  CHECK_THROWS_AS(folio::parse_date_range("..", today), folio::Error);
}
