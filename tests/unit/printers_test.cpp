// The printers of cli/ (folio_cli_lib), fed with hand-made results: what
// each command prints as text, JSON and paths.
#include "printers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "folio/text.hpp"

namespace {

using folio::cli::Printer;
using nlohmann::json;

// Runs `print` on a printer made by `make` over a temporary file and
// returns what it wrote.
template <typename Make, typename Print>
std::string printed(Make make, Print print) {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  {
    const std::unique_ptr<Printer> printer = make(file);
    print(*printer);
  }
  std::fflush(file);
  std::rewind(file);
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) out.append(buffer, n);
  std::fclose(file);
  return out;
}

auto text_printer(const std::string& cwd = "/news") {
  return [cwd](std::FILE* f) { return folio::cli::make_text_printer(f, {false, cwd}); };
}
auto json_printer() {
  return [](std::FILE* f) { return folio::cli::make_json_printer(f); };
}
auto paths_printer() {
  return [](std::FILE* f) { return folio::cli::make_paths_printer(f, {false, "/news"}); };
}

folio::SearchResults sample_results() {
  folio::SearchResults r;
  r.query = "talks";
  r.total = 3;
  r.filters.push_back({"person", "biden", "joe-biden", "Joe Biden"});
  folio::Hit hit;
  hit.rank = 1;
  hit.id = "00000000000000aa-2";
  hit.score = 1.5;
  hit.section.path = "/news/2023/talks.txt";
  hit.section.title = "Talks in Beijing";
  hit.section.heading = "Agenda";
  hit.section.line = 12;
  hit.section.date = {2023, 6, 18, folio::DatePrecision::day};
  hit.section.people = {{"joe-biden", "Joe Biden", {}}};
  hit.section.places = {{"beijing", "Beijing", folio::PlaceKind::city, "china", "China", {}}};
  hit.snippet = {"the talks went on", {{4, 5}}};
  r.hits.push_back(hit);
  folio::Facet facet;
  facet.spec.field = folio::FacetField::place;
  facet.distinct = 2;
  facet.values = {{"beijing", "Beijing", 2}};
  r.facets.push_back(facet);
  r.suggestion = "talk";
  return r;
}

}  // namespace

TEST_CASE("display_path shows paths under the base relative to it", "[printers]") {
  struct Case {
    const char* path;
    const char* base;
    const char* shown;
  };
  for (const Case& c :
       {Case{"/news/a.txt", "/news", "a.txt"}, Case{"/news/x/a.txt", "/news", "x/a.txt"},
        Case{"/other/a.txt", "/news", "/other/a.txt"}, Case{"/newsroom/a.txt", "/news", "/newsroom/a.txt"},
        Case{"/news/a.txt", "", "/news/a.txt"}}) {
    INFO(c.path << " from " << c.base);
    CHECK(folio::cli::display_path(c.path, c.base) == c.shown);
  }
}

TEST_CASE("the index summary: one line of text, or one JSON document", "[printers]") {
  folio::IndexReport report;
  report.added = 3;
  report.updated = 1;
  report.removed = 2;
  report.unchanged = 5;
  report.sections = 17;
  report.skipped.push_back({"/news/empty.txt", "empty file"});
  const auto print = [&](Printer& p) { p.index_report(report, 1.234, false); };
  CHECK(printed(text_printer(), print) ==
        "3 added, 1 updated, 2 removed, 5 unchanged, 1 skipped; 17 sections written in 1.23s\n");
  CHECK(printed(paths_printer(), print) == printed(text_printer(), print));
  const std::string out = printed(json_printer(), print);
  CHECK(out.ends_with("}\n"));
  CHECK(out.find('\n') == out.size() - 1);  // one line
  const json j = json::parse(out);
  CHECK(j.at("version") == folio::cli::kJsonFormatVersion);
  CHECK(j.at("added") == 3);
  CHECK(j.at("updated") == 1);
  CHECK(j.at("removed") == 2);
  CHECK(j.at("unchanged") == 5);
  CHECK(j.at("sections") == 17);
  CHECK(j.at("seconds") == 1.234);
  CHECK(j.at("interrupted") == false);
  CHECK(j.at("skipped") == json::array({{{"path", "/news/empty.txt"}, {"reason", "empty file"}}}));
}

TEST_CASE("search results as text: filters, hits, totals, suggestion, facets", "[printers]") {
  const std::string out = printed(text_printer(), [](Printer& p) { p.search_results(sample_results()); });
  CHECK(out ==
        "filters: person Joe Biden\n"
        "\n"
        "1. Talks in Beijing › Agenda\n"
        "   2023-06-18 · 2023/talks.txt:12 · 00000000000000aa-2\n"
        "   people: Joe Biden · places: Beijing\n"
        "   the talks went on\n"
        "\n"
        "3 matching sections, showing 1-1\n"
        "did you mean: talk\n"
        "\n"
        "place (sections, top 1 of 2):\n"
        "  2  Beijing  beijing\n");
}

TEST_CASE("search results as JSON: hits with highlights, filters, facets by field name", "[printers]") {
  const json j = json::parse(printed(json_printer(), [](Printer& p) { p.search_results(sample_results()); }));
  CHECK(j.at("version") == 1);
  CHECK(j.at("total") == 3);
  CHECK(j.at("counts") == "sections");
  REQUIRE(j.at("hits").size() == 1);
  const json& hit = j["hits"][0];
  CHECK(hit.at("id") == "00000000000000aa-2");
  CHECK(hit.at("path") == "/news/2023/talks.txt");  // absolute in JSON
  CHECK(hit.at("highlights") == json::array({json::array({4, 5})}));
  CHECK(hit.at("places")[0].at("country") == "china");
  CHECK_FALSE(hit.contains("other_sections"));
  CHECK(j.at("filters")[0].at("id") == "joe-biden");
  CHECK(j.at("facets").at("place").at("values")[0].at("count") == 2);
  CHECK(j.at("facets").at("place").at("distinct") == 2);
  CHECK_FALSE(j.at("facets").at("place").contains("granularity"));
  CHECK(j.at("suggestion") == "talk");
}

TEST_CASE("the paths printer (--format paths) prints path:line per hit and nothing else", "[printers]") {
  CHECK(printed(paths_printer(), [](Printer& p) { p.search_results(sample_results()); }) ==
        "2023/talks.txt:12\n");
}

TEST_CASE("entities: people by type, places by kind and country", "[printers]") {
  folio::EntityCount person;
  person.record = {folio::schema::EntityRecord::Type::person, "joe-biden", "Joe Biden", {"Biden"}, {}, {}};
  person.sections = 6;
  person.articles = 2;
  folio::EntityCount place;
  place.record = {
      folio::schema::EntityRecord::Type::place, "beijing", "Beijing", {}, folio::PlaceKind::city, "china"};
  place.sections = 4;
  place.articles = 3;
  const std::vector<folio::EntityCount> list{person, place};
  const auto print = [&](Printer& p) { p.entities(list); };
  CHECK(printed(text_printer(), print) ==
        "type    id        name      sections articles  aliases\n"
        "person  joe-biden Joe Biden        6        2  Biden\n"
        "city    beijing   Beijing          4        3  \n");
  const json j = json::parse(printed(json_printer(), print));
  REQUIRE(j.at("entities").size() == 2);
  CHECK(j["entities"][0].at("type") == "person");
  CHECK_FALSE(j["entities"][0].contains("kind"));
  CHECK(j["entities"][1].at("type") == "place");
  CHECK(j["entities"][1].at("kind") == "city");
  CHECK(j["entities"][1].at("country") == "china");
}

TEST_CASE("show: every section with its id, lead marked, paragraphs apart", "[printers]") {
  folio::schema::SectionData lead;
  lead.path = "/news/a.txt";
  lead.title = "Title";
  lead.line = 1;
  lead.text = "One.\nTwo.";
  const std::string out = printed(text_printer(), [&](Printer& p) {
    p.sections({{"00000000000000aa-0", lead}});
  });
  CHECK(out ==
        "id:       00000000000000aa-0\n"
        "title:    Title\n"
        "heading:  (lead)\n"
        "date:     undated\n"
        "path:     a.txt:1\n"
        "\n"
        "One.\n\nTwo.\n");
  const json j = json::parse(printed(json_printer(), [&](Printer& p) {
    p.sections({{"00000000000000aa-0", lead}});
  }));
  CHECK(j.at("sections")[0].at("id") == "00000000000000aa-0");
  CHECK(j.at("sections")[0].at("date") == nullptr);
  CHECK(j.at("sections")[0].at("text") == "One.\nTwo.");
}

TEST_CASE("tsv: seven columns per hit, tabs and newlines in fields escaped", "[printers][tsv]") {
  folio::SearchResults r = sample_results();
  r.hits[0].section.heading = "Tabs\tand\nlines \\ here";
  const std::string out = printed(
      [](std::FILE* f) {
        return folio::cli::make_tsv_printer(f, {false, "/news"});
      },
      [&](Printer& p) { p.search_results(r); });
  CHECK(out ==
        "1\t1.500\t2023-06-18\t2023/talks.txt:12\t00000000000000aa-2\tTalks in Beijing\t"
        "Tabs\\tand\\nlines \\\\ here\n");
  CHECK(folio::cli::kTsvColumns.size() == 7);
  CHECK(folio::cli::tsv_field("a\r\nb") == "a\\r\\nb");
  r.hits[0].section.date = {};
  const std::string undated = printed(
      [](std::FILE* f) {
        return folio::cli::make_tsv_printer(f, {false, "/news"});
      },
      [&](Printer& p) { p.search_results(r); });
  CHECK(undated.starts_with("1\t1.500\t\t2023/talks.txt:12\t"));
}

TEST_CASE("ids and files: one id per hit, one path per article", "[printers][ids][files]") {
  folio::SearchResults r = sample_results();
  folio::Hit second = r.hits[0];
  second.id = "00000000000000aa-3";
  r.hits.push_back(second);
  folio::Hit other = r.hits[0];
  other.id = "00000000000000bb-0";
  other.section.path = "/elsewhere/b.txt";
  r.hits.push_back(other);
  const std::string ids = printed(
      [](std::FILE* f) {
        return folio::cli::make_ids_printer(f, {false, "/news"});
      },
      [&](Printer& p) { p.search_results(r); });
  CHECK(ids == "00000000000000aa-2\n00000000000000aa-3\n00000000000000bb-0\n");
  const std::string files = printed(
      [](std::FILE* f) {
        return folio::cli::make_files_printer(f, {false, "/news"});
      },
      [&](Printer& p) { p.search_results(r); });
  CHECK(files == "2023/talks.txt\n/elsewhere/b.txt\n");
}

TEST_CASE("a hit with copies says so in text, and lists them in JSON", "[printers][copies]") {
  folio::SearchResults r = sample_results();
  r.hits[0].copies = {"/news/copy1.txt", "/news/copy2.txt"};
  const std::string text = printed(text_printer(), [&](Printer& p) { p.search_results(r); });
  CHECK(text.find("1. Talks in Beijing › Agenda (+2 copies)\n") != std::string::npos);
  const json j = json::parse(printed(json_printer(), [&](Printer& p) { p.search_results(r); }));
  CHECK(j["hits"][0].at("copies") == json::array({"/news/copy1.txt", "/news/copy2.txt"}));
  r.hits[0].copies.resize(1);
  CHECK(printed(text_printer(), [&](Printer& p) { p.search_results(r); }).find("(+1 copy)") !=
        std::string::npos);
}

TEST_CASE("a hit lists the first few people and places, then +N more, JSON all", "[printers][entities]") {
  folio::SearchResults r = sample_results();
  r.hits[0].section.people.clear();
  for (int i = 0; i < 9; ++i) {
    r.hits[0].section.people.push_back({fmt::format("p{}", i), fmt::format("Person {}", i), {}});
  }
  const std::string text = printed(text_printer(), [&](Printer& p) { p.search_results(r); });
  CHECK(text.find(
            "people: Person 0, Person 1, Person 2, Person 3, Person 4, Person 5 +3 more · places: Beijing") !=
        std::string::npos);
  const json j = json::parse(printed(json_printer(), [&](Printer& p) { p.search_results(r); }));
  CHECK(j["hits"][0].at("people").size() == 9);
}

TEST_CASE("the histogram: a bar per period scaled to the widest, undated last, within the width",
          "[printers][histogram]") {
  folio::SearchResults r = sample_results();
  r.facets.clear();
  folio::DateHistogram h;
  h.granularity = folio::DateGranularity::month;
  h.bars = {{"2023-05", 0}, {"2023-06", 40}, {"2023-07", 3}};
  h.undated = 1;
  r.histogram = h;
  for (const std::size_t columns : {std::size_t{40}, std::size_t{80}, std::size_t{10}}) {
    const std::string out = printed(
        [columns](std::FILE* f) {
          return folio::cli::make_text_printer(f, {false, "/news", columns});
        },
        [&](Printer& p) { p.search_results(r); });
    const std::size_t at = out.find("\nmatching sections by month:\n");
    REQUIRE(at != std::string::npos);
    const std::string chart = out.substr(at + 1);
    INFO(chart);
    std::vector<std::string> rows;
    for (std::size_t start = 0, end; (end = chart.find('\n', start)) != std::string::npos; start = end + 1) {
      rows.push_back(chart.substr(start, end - start));
    }
    REQUIRE(rows.size() == 5);
    CHECK(rows[1] == "  2023-05   0");  // no bar, no trailing space
    CHECK(rows[4].starts_with("  undated   1 "));
    // "  2023-06  40 " and the last column left free; 10 to 60 blocks.
    const std::size_t bar = std::clamp<std::size_t>(columns > 15 ? columns - 15 : 0, 10, 60);
    CHECK(folio::utf8_length(rows[2]) == 14 + bar);
    CHECK(rows[2].ends_with("█"));
    CHECK(folio::utf8_length(rows[3]) > 14);  // a small count still has a bar
  }
  const json j = json::parse(printed(json_printer(), [&](Printer& p) { p.search_results(r); }));
  CHECK(j.at("histogram") ==
        json::parse(R"({"granularity":"month","undated":1,"counts":[{"period":"2023-05","count":0},)"
                    R"({"period":"2023-06","count":40},{"period":"2023-07","count":3}]})"));
}

TEST_CASE("entities: a long id does not set the width of the table", "[printers][entities]") {
  std::vector<folio::EntityCount> list(3);
  const std::vector<std::pair<std::string, std::string>> people = {
      {"joe-biden", "Joe Biden"}, {std::string(60, 'x'), "Long"}, {"qin-gang", "Qin Gang"}};
  for (std::size_t i = 0; i < people.size(); ++i) {
    list[i].record.id = people[i].first;
    list[i].record.name = people[i].second;
  }
  const std::string out = printed(text_printer(), [&](Printer& p) { p.entities(list); });
  std::vector<std::string> rows;
  for (std::size_t start = 0, end; (end = out.find('\n', start)) != std::string::npos; start = end + 1) {
    rows.push_back(out.substr(start, end - start));
  }
  REQUIRE(rows.size() == 4);
  // The header and the short rows have the same width, under 28 + the rest.
  CHECK(rows[0].size() < 80);
  CHECK(rows[1].find("Joe Biden") == rows[3].find("Qin Gang"));
  CHECK(rows[1].find("Joe Biden") < 40);
  CHECK(rows[2].find(std::string(60, 'x')) != std::string::npos);  // printed whole
}
