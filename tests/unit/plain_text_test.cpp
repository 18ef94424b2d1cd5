#include "folio/plain_text.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "folio/ingest.hpp"
#include "folio/text.hpp"
#include "test_support.hpp"

namespace {

using folio::test::boilerplate;

folio::Article parse(const std::string& text, const std::string& path = "/a/b/article.txt") {
  return folio::parse_plain_text_article(text, path, boilerplate());
}

folio::Article corpus_article(const std::string& name) {
  return folio::test::plain_reader().read(folio::test::kSourceDir / "corpus" / name);
}

struct ExpectedSection {
  int index;
  int line;
  std::string heading;
};

struct ExpectedArticle {
  std::string file;
  std::string title;
  std::vector<std::string> authors;
  std::string date;  // ISO, "" when undated
  folio::DatePrecision precision;
  std::vector<ExpectedSection> sections;
};

using P = folio::DatePrecision;

// What folio must extract from every article in corpus/ (see corpus/README.md).
const std::vector<ExpectedArticle> kCorpus = {
    {"000_01b42376bab70225.txt",
     "Antony Blinken’s Visit to Beijing Signals Hope for Improved Communication",
     {},
     "2023-06-18",
     P::day,
     {{0, 5, ""},
      {1, 7, "Frosty Bilateral Ties and Balloon Episode Delay"},
      {2, 11, "Balloon Episode Downplayed by President Biden"},
      {3, 15, "Hope for Future Meetings"},
      {4, 19, "Future Summits and Diplomatic Engagements"},
      {5, 23, "Blinken’s Agenda in Beijing"},
      {6, 27, "Deteriorating Relations and Concerns"},
      {7, 31, "Blinken’s Objectives and Regional Allies"},
      {8, 37, "Nurturing Mutual Respect and Strategic Trust"},
      {9, 41, "Blinken’s Historic Visit"}}},
    {"001_markets_rally.txt",
     "Global Stocks Rally as the Fed Pauses and Chipmakers Surge",
     {"Maria Fernández", "Jürgen Müller"},
     "2023-06-18",
     P::day,
     {{0, 5, ""},
      {1, 9, "Chipmakers Lead Wall Street Higher"},
      {2, 15, "Europe Looks to Lagarde"},
      {3, 21, "Tokyo’s Winning Streak"}}},
    {"002_summit_communique.txt",
     "One Month After Hiroshima, G7 Partners Test Their Summit Promises",
     {},
     "2023-06-18",
     P::day,
     {{0, 5, ""},
      {1, 7, "Ukraine at the Centre"},
      {2, 13, "Kishida’s Message on Nuclear Weapons"},
      {3, 19, "Economic Security and China"},
      {4, 25, "WHAT COMES NEXT"}}},
    {"003_climate_talks.txt",
     "Bonn Climate Talks Open With a Row Over the Agenda and Fossil Fuels",
     {"Chen Wei"},
     "2023-06-05",  // "Published" wins over the later "Updated" line
     P::day,
     {{0, 9, ""},
      {1, 13, "A Fight Over the Agenda"},
      {2, 19, "Al Jaber’s Balancing Act"},
      {3, 25, "Money Remains the Sticking Point"}}},
    {"004_long_read.txt",
     "Inside the Chip War: The Frontline States of the Semiconductor Age",
     {"Priya Raman"},
     "2023-06",
     P::month,
     {{0, 5, ""},
      {1, 7, "The Foundry on the Island"},
      {2, 13, "Arizona’s Expensive Bet"},
      {3, 19, "Veldhoven and the Machines"},
      {4, 25, "Tokyo Joins the Controls"},
      {5, 31, "A U.S.-Japanese Partnership in Silicon"},
      {6, 37, "Seoul’s Dilemma"},
      {7, 43, "Beijing Responds"},
      {8, 47, "Water, Power and People"},
      {9, 53, "What Comes After"}}},
    {"005_undated_brief.txt",
     "Thompson Fights Back to Reach Quarter-Finals on the Riviera",
     {},
     "",
     P::none,
     {{0, 3, ""}}},
    {"006_no_title.txt", "006_no_title", {}, "", P::none, {{0, 1, ""}}},
    {"007_multi_author.txt",
     "Cocoa’s Price Shock Travels From Abidjan to Łódź",
     {"Aiko Tanaka", "Olusegun Adeyemi", "Zoë Kowalczyk"},
     "2023-06-20",
     P::day,
     {{0, 5, ""}, {1, 9, "From Abidjan to Łódź"}, {2, 17, "Brazil’s Second Chance"}}},
    {"008_year_only.txt",
     "Bath Collection Agrees to Return Benin Bronzes to Nigeria",
     {},
     "2021",
     P::year,
     {{0, 5, ""}, {1, 9, "A Wave of Returns"}, {2, 15, "Nigeria’s Plans for a New Museum"}}},
    {"009_site_boilerplate.txt",
     "Georgia’s EU Hopes Hang on Reforms as Brussels Weighs Candidate Status",
     {},
     "2023-07-03",
     P::day,
     {{0, 5, ""},
      {1, 7, "Twelve Priorities and a Deadline"},
      {2, 13, "The Ruling Party and the Street"},
      {3, 19, "Watching From Abroad"}}},
    {"010_crlf_dateline.txt",
     "Refugees From Darfur Stream Into Eastern Chad as Rains Approach",
     {},
     "2023-06-25",
     P::day,
     {{0, 4, ""}, {1, 8, "A Race Against the Rains"}, {2, 14, "Sudan’s War Shows No Sign of Ending"}}},
};

}  // namespace

TEST_CASE("every corpus article parses into its title, byline, date and sections", "[plain_text][corpus]") {
  for (const ExpectedArticle& e : kCorpus) {
    SECTION(e.file) {
      const folio::Article a = corpus_article(e.file);
      CHECK(a.title == e.title);
      CHECK(a.authors == e.authors);
      CHECK(a.date.iso() == e.date);
      CHECK(a.date.precision == e.precision);
      REQUIRE(a.sections.size() == e.sections.size());
      for (std::size_t i = 0; i < e.sections.size(); ++i) {
        INFO("section " << i);
        CHECK(a.sections[i].index == e.sections[i].index);
        CHECK(a.sections[i].heading == e.sections[i].heading);
        CHECK(a.sections[i].line == e.sections[i].line);
        CHECK_FALSE(a.sections[i].text.empty());
      }
    }
  }
}

TEST_CASE("the sample article's sections hold exactly their paragraphs", "[plain_text][seed]") {
  const folio::Article a = corpus_article("000_01b42376bab70225.txt");
  REQUIRE(a.sections.size() == 10);
  CHECK(a.sections[0].text.starts_with("Antony Blinken, the Secretary of State"));
  CHECK(a.sections[0].text.ends_with("in nearly five years."));
  // Section 7 has two paragraphs, kept apart by a newline.
  CHECK(std::count(a.sections[7].text.begin(), a.sections[7].text.end(), '\n') == 1);
  CHECK(a.sections[5].text.find("“core concerns,”") != std::string::npos);
  const std::string& last = a.sections[9].text;
  CHECK(last.ends_with("between the two nations."));
  for (const folio::Section& s : a.sections) {
    CHECK(s.text.find("Leave a Reply") == std::string::npos);
    CHECK(s.text.find("email address") == std::string::npos);
  }
}

TEST_CASE("site boilerplate after the article is dropped", "[plain_text]") {
  const folio::Article a = corpus_article("009_site_boilerplate.txt");
  for (const folio::Section& s : a.sections) {
    CHECK(s.text.find("Share this") == std::string::npos);
    CHECK(s.text.find("Related Posts") == std::string::npos);
    CHECK(s.text.find("Comment *") == std::string::npos);
  }
}

TEST_CASE("headings: short, unpunctuated, alone, followed by a paragraph", "[plain_text]") {
  const std::string text =
      "Title Line\n\n"
      "Lead paragraph that ends with a full stop.\n\n"
      "A Real Heading\n\n"
      "Body under the heading.\n\n"
      "Not a heading because it ends with a colon:\n\n"
      "More body text.\n\n"
      "lower-case start is not a heading\n\n"
      "Text again.\n\n"
      "- a bullet item\n\n"
      "Text again.\n\n"
      "Heading One\n\n"
      "Heading Two Directly After\n\n"
      "Its paragraph.\n\n"
      "Trailing Short Line\n";
  const folio::Article a = parse(text);
  std::vector<std::string> headings;
  for (const auto& s : a.sections) headings.push_back(s.heading);
  // "Heading One" is followed by another heading-like line, so it is text;
  // "Trailing Short Line" has no paragraph after it, so it is text too.
  CHECK(headings == std::vector<std::string>{"", "A Real Heading", "Heading Two Directly After"});
  CHECK(a.sections[2].line == 23);
  CHECK(a.sections[2].text == "Its paragraph.\nTrailing Short Line");
  CHECK(a.sections[1].text.find("Heading One") != std::string::npos);
}

TEST_CASE("hard-wrapped paragraphs are joined, wrapped lines are not headings", "[plain_text]") {
  const folio::Article a = parse(
      "Title\n\nFirst line of a wrapped paragraph that goes on\nand on until "
      "it ends here.\n\nHeading\n\nBody.\n");
  REQUIRE(a.sections.size() == 2);
  CHECK(a.sections[0].text == "First line of a wrapped paragraph that goes on and on until it ends here.");
  CHECK(a.sections[1].heading == "Heading");
}

TEST_CASE("a body without blank lines is one paragraph per line", "[plain_text]") {
  const folio::Article a = parse("Title\nBy Jane Doe | 2023-01-02\nLead text.\nHeading\nBody text.\n");
  CHECK(a.authors == std::vector<std::string>{"Jane Doe"});
  CHECK(a.date.iso() == "2023-01-02");
  REQUIRE(a.sections.size() == 2);
  CHECK(a.sections[1].heading == "Heading");
  CHECK(a.sections[1].line == 4);
}

TEST_CASE("files without headings, title or lead", "[plain_text]") {
  SECTION("no headings: one section") {
    const folio::Article a = parse("Title\n\nOne.\n\nTwo.\n");
    REQUIRE(a.sections.size() == 1);
    CHECK(a.sections[0].text == "One.\nTwo.");
    CHECK(a.sections[0].line == 3);
  }
  SECTION("no title line: the file name") {
    const folio::Article a = parse(
        "This article starts with a paragraph, which is long and ends with a "
        "full stop, so it cannot be a title line at all.\n\nMore.\n",
        "/x/my-notes.txt");
    CHECK(a.title == "my-notes");
    CHECK(a.sections.at(0).line == 1);
  }
  SECTION("a byline first: the file name, and the byline is metadata") {
    const folio::Article a = parse("By Jane Doe | June 1, 2023\n\nText.\n", "/x/y.txt");
    CHECK(a.title == "y");
    CHECK(a.date.iso() == "2023-06-01");
  }
  SECTION("no lead: headed sections keep their positions from 1") {
    const folio::Article a = parse("Title\n\nHeading\n\nBody.\n");
    REQUIRE(a.sections.size() == 1);
    CHECK(a.sections[0].index == 1);
    CHECK(a.sections[0].heading == "Heading");
  }
  SECTION("a title and nothing else: one empty section") {
    const folio::Article a = parse("Only a Title\n");
    REQUIRE(a.sections.size() == 1);
    CHECK(a.sections[0].text.empty());
  }
  SECTION("undated: never today's date") {
    const folio::Article a = parse("Title\n\nText.\n");
    CHECK_FALSE(a.date.known());
  }
}

TEST_CASE("SiteBoilerplate matches whole lines and prefixes, ignoring case", "[plain_text]") {
  CHECK(boilerplate().ends_article("LEAVE A REPLY"));
  CHECK_FALSE(boilerplate().ends_article("Leave a Reply to this"));
  CHECK(boilerplate().is_dropped("Your email address will not be published. Required"));
  CHECK_FALSE(boilerplate().is_dropped("The email address was published."));
}
