#include "folio/filter_date.hpp"

#include <catch2/catch.hpp>

#include "date_support.hpp"
#include "folio/error.hpp"

using folio::Date;
using folio::DatePrecision;
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
