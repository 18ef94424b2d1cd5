#include "folio/date.hpp"

#include <catch2/catch.hpp>

#include "date_support.hpp"

using folio::Date;
using folio::test::day;
using folio::test::month;
using folio::test::year;

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

TEST_CASE("calendar helpers: month lengths and date words", "[date]") {
  CHECK(folio::days_in_month(2023, 2) == 28);
  CHECK(folio::days_in_month(2024, 2) == 29);
  CHECK(folio::days_in_month(1900, 2) == 28);
  CHECK(folio::days_in_month(2000, 2) == 29);
  CHECK(folio::days_in_month(2023, 4) == 30);
  CHECK(folio::days_in_month(2023, 12) == 31);
  CHECK(folio::date_words("Sun., Jun. 18, 2023 10:30 a.m.") ==
        std::vector<std::string_view>{"Sun", "Jun", "18", "2023", "10:30", "a.m"});
  CHECK(folio::date_words(" ,\t").empty());
}
