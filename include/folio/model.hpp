// The document model: an Article split into Sections, as the indexer sees it.
#pragma once

#include <string>
#include <vector>

namespace folio {

// How much of a publication date is known.
enum class DatePrecision { none, year, month, day };

// A calendar date with its precision. Fields beyond the precision are 0
// (a month-precision date has day == 0; an unknown date is all 0).
struct Date {
  int year = 0;
  int month = 0;  // 1-12, or 0 when the precision is year or none
  int day = 0;    // 1-31, or 0 when the precision is not day
  DatePrecision precision = DatePrecision::none;

  bool known() const { return precision != DatePrecision::none; }
  // "2023-06-18", "2023-06", "2023", or "" for an unknown date.
  std::string iso() const;
  // "20230618"; a month or year is keyed by its first day ("20230601"),
  // "" for an unknown date. Sorts in date order as a string.
  std::string sort_key() const;

  friend bool operator==(const Date&, const Date&) = default;
};

// "day", "month", "year" or "none".
const char* to_string(DatePrecision precision);

// A person mentioned in a section, as a canonical entity.
struct Person {
  std::string id;                    // slug of the full name: "antony-blinken"
  std::string name;                  // display name: "Antony Blinken"
  std::vector<std::string> aliases;  // forms seen in the section: "Blinken"

  friend bool operator==(const Person& a, const Person& b) { return a.id == b.id; }
};

enum class PlaceKind { country, subdivision, city, region };

// "country", "subdivision", "city" or "region".
const char* to_string(PlaceKind kind);

// A place mentioned in a section, as a canonical entity.
struct Place {
  std::string id;    // "united-states", "beijing", "georgia-us"
  std::string name;  // "United States", "Beijing", "Georgia"
  PlaceKind kind = PlaceKind::country;
  std::string country;               // id of its country ("china" for Beijing; a country's
                                     // own id); empty for a region spanning countries
  std::string country_name;          // display name of `country`
  std::vector<std::string> aliases;  // forms seen in the section: "U.S."

  friend bool operator==(const Place& a, const Place& b) { return a.id == b.id; }
};

// An organisation mentioned in a section (company, team, agency, party,
// newspaper), as a canonical entity.
struct Org {
  std::string id;                    // slug of the name: "united-nations"
  std::string name;                  // display name: "United Nations"
  std::vector<std::string> aliases;  // forms seen in the section

  friend bool operator==(const Org& a, const Org& b) { return a.id == b.id; }
};

// One section of an article: the lead (index 0, no heading) or the text
// under one heading.
struct Section {
  int index = 0;               // position in the article; 0 is the lead
  std::string heading;         // empty for the lead
  std::string text;            // paragraphs separated by "\n"
  int line = 0;                // 1-based line where the section starts in the file
  std::vector<Person> people;  // in order of first mention; filled by
  std::vector<Place> places;   // EntityExtractor, empty until then
  std::vector<Org> orgs;       // likewise
};

struct Article {
  std::string path;  // absolute path of the file
  std::string title;
  std::vector<std::string> authors;
  Date date;
  std::vector<Section> sections;  // in file order; never empty after parsing
  // Set when the file was parsed but something a reader expects is missing
  // ("no article text found"); empty otherwise.
  std::string warning;
};

}  // namespace folio
