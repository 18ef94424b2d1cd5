#include "folio/section_builder.hpp"

#include <catch2/catch.hpp>

#include "folio/formats.hpp"
#include "folio/plain_text.hpp"
#include "test_support.hpp"

namespace {

using folio::SectionBuilder;
using folio::SourceLine;
using folio::test::boilerplate;

TEST_CASE("SectionBuilder: the lead, one section per heading, paragraphs and lines", "[section_builder]") {
  SectionBuilder b("/x/a.txt", boilerplate());
  b.add_paragraph(std::vector<SourceLine>{{"First line", 3}, {"  second line. ", 4}});
  b.add_paragraph("Another paragraph.", 6);
  b.add_heading("A Heading", 8);
  b.add_paragraph("Under it.", 10);
  const folio::Article a = b.finish();
  CHECK(a.path == "/x/a.txt");
  CHECK(a.title == "a");  // no title given: the file name
  REQUIRE(a.sections.size() == 2);
  CHECK(a.sections[0].index == 0);
  CHECK(a.sections[0].line == 3);
  CHECK(a.sections[0].text == "First line second line.\nAnother paragraph.");
  CHECK(a.sections[1].index == 1);
  CHECK(a.sections[1].heading == "A Heading");
  CHECK(a.sections[1].line == 8);
  CHECK(a.sections[1].text == "Under it.");
}

TEST_CASE("SectionBuilder: the byline window and date precedence", "[section_builder]") {
  SECTION("Published wins over an earlier Updated; the first authors count") {
    SectionBuilder b("/x/a.txt", boilerplate());
    b.add_paragraph(std::vector<SourceLine>{
        {"By Test Desk", 1}, {"Updated: June 20, 2023", 2}, {"Published: June 18, 2023", 3}});
    b.add_paragraph("By Someone Else", 5);  // a fourth byline line: its authors come too late
    b.add_paragraph("Body.", 7);
    const folio::Article a = b.finish();
    CHECK(a.date.iso() == "2023-06-18");
    CHECK(a.authors == std::vector<std::string>{"Test Desk"});
    REQUIRE(a.sections.size() == 1);
    CHECK(a.sections[0].text == "Body.");
    CHECK(a.sections[0].line == 7);
  }
  SECTION("only an Updated date: it is the date") {
    SectionBuilder b("/x/a.txt", boilerplate());
    b.add_paragraph("Updated June 6, 2023", 1);
    CHECK(b.finish().date.iso() == "2023-06-06");
  }
  SECTION("at most kMaxBylineLines lines; the next one is text") {
    SectionBuilder b("/x/a.txt", boilerplate());
    for (int i = 0; i < SectionBuilder::kMaxBylineLines; ++i) CHECK(b.offer_byline("June 18, 2023"));
    CHECK_FALSE(b.offer_byline("June 19, 2023"));
    b.add_paragraph("June 20, 2023", 9);
    const folio::Article a = b.finish();
    CHECK(a.date.iso() == "2023-06-18");
    CHECK(a.sections.at(0).text == "June 20, 2023");
  }
  SECTION("body text or a heading closes the window") {
    SectionBuilder text_first("/x/a.txt", boilerplate());
    text_first.add_paragraph("Body.", 1);
    text_first.add_paragraph("By Jane Doe | June 1, 2023", 3);
    const folio::Article a = text_first.finish();
    CHECK_FALSE(a.date.known());
    CHECK(a.authors.empty());
    CHECK(a.sections.at(0).text == "Body.\nBy Jane Doe | June 1, 2023");

    SectionBuilder heading_first("/x/a.txt", boilerplate());
    heading_first.add_heading("Heading", 1);
    CHECK_FALSE(heading_first.offer_byline("June 1, 2023"));
  }
  SECTION("markup metadata wins over the byline") {
    SectionBuilder b("/x/a.txt", boilerplate());
    b.set_markup_metadata({"Markup Author"}, {2022, 1, 2, folio::DatePrecision::day});
    b.add_paragraph("By Jane Doe | June 1, 2023", 1);
    const folio::Article a = b.finish();
    CHECK(a.authors == std::vector<std::string>{"Markup Author"});
    CHECK(a.date.iso() == "2022-01-02");
    // Markup without authors or date leaves the byline's.
    SectionBuilder c("/x/a.txt", boilerplate());
    c.set_markup_metadata({}, {});
    c.add_paragraph("By Jane Doe | June 1, 2023", 1);
    const folio::Article ca = c.finish();
    CHECK(ca.authors == std::vector<std::string>{"Jane Doe"});
    CHECK(ca.date.iso() == "2023-06-01");
  }
}

TEST_CASE("SectionBuilder: site boilerplate and the empty article", "[section_builder]") {
  SECTION("a dropped line leaves its paragraph in two; an end marker ends the article") {
    SectionBuilder b("/x/a.txt", boilerplate());
    b.add_paragraph(std::vector<SourceLine>{
        {"Before.", 1}, {"Your email address will not be published.", 2}, {"After.", 3}});
    b.add_heading("Subscribe to our newsletter", 5);  // dropped: no section
    b.add_paragraph(std::vector<SourceLine>{{"Last words.", 7}, {"Leave a Reply", 8}, {"Junk.", 9}});
    CHECK(b.ended());
    b.add_heading("Later", 11);
    b.add_paragraph("More junk.", 12);
    const folio::Article a = b.finish();
    REQUIRE(a.sections.size() == 1);
    CHECK(a.sections[0].text == "Before.\nAfter.\nLast words.");
  }
  SECTION("a heading equal to an end marker ends the article") {
    SectionBuilder b("/x/a.txt", boilerplate());
    b.add_paragraph("Text.", 1);
    b.add_heading("Related Posts", 3);
    b.add_paragraph("Junk.", 5);
    const folio::Article a = b.finish();
    REQUIRE(a.sections.size() == 1);
    CHECK(a.sections[0].text == "Text.");
  }
  SECTION("no text: one empty section at the start line") {
    SectionBuilder b("/x/a.txt", boilerplate());
    b.set_title("Only a Title");
    b.set_start_line(3);
    b.add_paragraph("By Jane Doe", 5);
    const folio::Article a = b.finish();
    CHECK(a.title == "Only a Title");
    CHECK(a.authors == std::vector<std::string>{"Jane Doe"});
    REQUIRE(a.sections.size() == 1);
    CHECK(a.sections[0].index == 0);
    CHECK(a.sections[0].text.empty());
    CHECK(a.sections[0].line == 3);
  }
  SECTION("no lead: the headed sections keep their positions from 1") {
    SectionBuilder b("/x/a.txt", boilerplate());
    b.add_heading("Heading", 1);
    b.add_paragraph("Body.", 3);
    const folio::Article a = b.finish();
    REQUIRE(a.sections.size() == 1);
    CHECK(a.sections[0].index == 1);
  }
}

// The same article written as plain text, Markdown and HTML must read the
// same: title, date, authors, and every section's heading and text.
struct Paragraph {
  std::vector<std::string> lines;  // hard-wrapped lines of one paragraph
};
struct HeadedSection {
  std::string heading;  // "" for the lead
  std::vector<Paragraph> paragraphs;
};
struct SampleArticle {
  std::string name;
  std::string title;
  std::vector<std::string> byline;  // one line each
  std::vector<HeadedSection> sections;
  std::vector<std::string> trailer;  // site boilerplate after the article
  // What must come out of every format.
  std::string date;
  std::vector<std::string> authors;
  std::vector<std::pair<std::string, std::string>> expected;  // heading, text
};

std::string join(const std::vector<std::string>& lines, const std::string& separator) {
  std::string out;
  for (const std::string& line : lines) {
    if (!out.empty()) out += separator;
    out += line;
  }
  return out;
}

std::string as_plain_text(const SampleArticle& s) {
  std::string out = s.title + "\n\n";
  if (!s.byline.empty()) out += join(s.byline, "\n") + "\n\n";
  for (const HeadedSection& section : s.sections) {
    if (!section.heading.empty()) out += section.heading + "\n\n";
    for (const Paragraph& p : section.paragraphs) out += join(p.lines, "\n") + "\n\n";
  }
  for (const std::string& line : s.trailer) out += line + "\n\n";
  return out;
}

std::string as_markdown(const SampleArticle& s) {
  // Byline lines end in two spaces: Markdown's hard line break.
  std::string out = "# " + s.title + "\n\n";
  if (!s.byline.empty()) out += join(s.byline, "  \n") + "\n\n";
  for (const HeadedSection& section : s.sections) {
    if (!section.heading.empty()) out += "## " + section.heading + "\n\n";
    for (const Paragraph& p : section.paragraphs) out += join(p.lines, "\n") + "\n\n";
  }
  for (const std::string& line : s.trailer) out += line + "\n\n";
  return out;
}

std::string as_html(const SampleArticle& s) {
  // One element per line, as sites save them; the byline one <p> per line.
  std::string out = "<!DOCTYPE html>\n<html><head><title>" + s.title + " | Site</title></head>\n<body>\n" +
                    "<nav>Home World</nav>\n<article>\n<h1>" + s.title + "</h1>\n";
  for (const std::string& line : s.byline) out += "<p>" + line + "</p>\n";
  for (const HeadedSection& section : s.sections) {
    if (!section.heading.empty()) out += "<h2>" + section.heading + "</h2>\n";
    for (const Paragraph& p : section.paragraphs) out += "<p>" + join(p.lines, "\n") + "</p>\n";
  }
  for (const std::string& line : s.trailer) out += "<p>" + line + "</p>\n";
  return out + "</article>\n<footer>Copyright</footer>\n</body></html>\n";
}

const folio::Article& check_same(const std::vector<folio::Article>& parsed) {
  const folio::Article& first = parsed.front();
  for (const folio::Article& a : parsed) {
    INFO(a.path);
    CHECK(a.title == first.title);
    CHECK(a.date == first.date);
    CHECK(a.authors == first.authors);
    REQUIRE(a.sections.size() == first.sections.size());
    for (std::size_t i = 0; i < a.sections.size(); ++i) {
      INFO("section " << i);
      CHECK(a.sections[i].index == first.sections[i].index);
      CHECK(a.sections[i].heading == first.sections[i].heading);
      CHECK(a.sections[i].text == first.sections[i].text);
    }
  }
  return first;
}

const std::vector<SampleArticle> kSamples = {
    {"byline lines: Published wins over Updated",
     "Talks Resume in Beijing",
     {"By Test Desk", "Updated: June 20, 2023", "Published: June 18, 2023"},
     {{"", {{{"The two sides met on Sunday."}}}},
      {"Core Concerns",
       {{{"Officials spoke for hours", "about trade and Taiwan."}}, {{"Both sides called it candid."}}}}},
     {},
     "2023-06-18",
     {"Test Desk"},
     {{"", "The two sides met on Sunday."},
      {"Core Concerns", "Officials spoke for hours about trade and Taiwan.\nBoth sides called it candid."}}},
    {"one byline line with authors and a date",
     "Markets Rally Worldwide",
     {"By Jane Doe and John Roe | June 1, 2023"},
     {{"", {{{"Stocks rose in New York.", "Bonds were calm."}}}},
      {"Tokyo Gains", {{{"The Nikkei closed higher."}}}}},
     {},
     "2023-06-01",
     {"Jane Doe", "John Roe"},
     {{"", "Stocks rose in New York. Bonds were calm."}, {"Tokyo Gains", "The Nikkei closed higher."}}},
    {"a year only, no lead",
     "Bronzes Return to Nigeria",
     {"Published: 2021"},
     {{"A Wave of Returns", {{{"Museums are sending plaques back."}}}},
      {"Plans for a Museum", {{{"A new museum is planned in Benin City."}}}}},
     {},
     "2021",
     {},
     {{"A Wave of Returns", "Museums are sending plaques back."},
      {"Plans for a Museum", "A new museum is planned in Benin City."}}},
    {"site boilerplate: a dropped line, an end marker and what follows it",
     "Georgia Weighs Reforms",
     {"July 3, 2023"},
     {{"",
       {{{"Georgia's bid faces a decisive few months."}},
        {{"Subscribe to our newsletter for daily updates."}},
        {{"The ruling party disagrees."}}}}},
     {"Leave a Reply", "Your comment here."},
     "2023-07-03",
     {},
     {{"", "Georgia's bid faces a decisive few months.\nThe ruling party disagrees."}}},
    {"no byline and no text: one empty section", "Only a Title Here", {}, {}, {}, "", {}, {{"", ""}}},
};

TEST_CASE("the same article reads the same from plain text, Markdown and HTML",
          "[section_builder][formats]") {
  for (const SampleArticle& s : kSamples) {
    SECTION(s.name) {
      const std::vector<folio::Article> parsed = {
          folio::parse_plain_text_article(as_plain_text(s), "/x/sample.txt", boilerplate()),
          folio::parse_markdown_article(as_markdown(s), "/x/sample.md", boilerplate()),
          folio::parse_html_article(as_html(s), "/x/sample.html", boilerplate()),
      };
      const folio::Article& a = check_same(parsed);
      CHECK(a.title == s.title);
      CHECK(a.date.iso() == s.date);
      CHECK(a.authors == s.authors);
      REQUIRE(a.sections.size() == s.expected.size());
      for (std::size_t i = 0; i < s.expected.size(); ++i) {
        CHECK(a.sections[i].heading == s.expected[i].first);
        CHECK(a.sections[i].text == s.expected[i].second);
      }
    }
  }
}

}  // namespace
