#include "folio/byline_date.hpp"

#include <catch2/catch.hpp>

#include "date_support.hpp"

using folio::Date;
using folio::test::day;
using folio::test::month;
using folio::test::year;

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
       {"A. Smith", "B. Jones", "C. Brown"},
       day(2023, 6, 20),
       false},
      {"By Maria Fernández and Jürgen Müller | 2023-06-18",
       {"Maria Fernández", "Jürgen Müller"},
       day(2023, 6, 18),
       false},
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
