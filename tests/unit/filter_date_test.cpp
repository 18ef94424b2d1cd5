#include "folio/filter_date.hpp"

#include <catch2/catch.hpp>

#include "date_support.hpp"
#include "folio/error.hpp"

using folio::Date;
using folio::test::day;
using folio::test::month;
using folio::test::year;

TEST_CASE("filter dates: relative forms count whole days back from today", "[date][filter]") {
  const Date today = day(2023, 3, 31);
  struct Case {
    const char* text;
    Date expected;
  };
  const Case cases[] = {
      {"today", day(2023, 3, 31)},
      {"yesterday", day(2023, 3, 30)},
      // The previous calendar period (2023-03-31 is a Friday): the Monday
      // of last week (parse_date_range covers its seven days), the month, the year.
      {"last week", day(2023, 3, 20)},
      {"last month", month(2023, 2)},
      {"last year", year(2022)},
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

TEST_CASE("last week is Monday to Sunday of the week before", "[date][filter]") {
  const folio::DateRange r = folio::parse_date_range("last week", day(2023, 3, 31));
  CHECK(r.from == "20230320");
  CHECK(r.to == "20230326");
  const folio::DateRange sunday = folio::parse_date_range("last week", day(2023, 4, 2));
  CHECK(sunday.from == "20230320");
  const folio::DateRange month_end = folio::parse_date_range("last month..today", day(2023, 1, 10));
  CHECK(month_end.from == "20221201");
  CHECK(month_end.to == "20230110");
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
