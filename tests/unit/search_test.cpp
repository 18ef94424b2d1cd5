#include "folio/search.hpp"

#include <catch2/catch.hpp>

#include "folio/database.hpp"
#include "folio/error.hpp"
#include "folio/ingest.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

// An index of corpus/, built once for all search tests.
class CorpusIndex {
 public:
  static const CorpusIndex& get() {
    static const CorpusIndex index;
    return index;
  }
  Xapian::Database db() const { return folio::open_for_reading(db_dir_); }

 private:
  CorpusIndex() {
    Xapian::WritableDatabase db = folio::open_for_writing(db_dir_);
    folio::IndexOptions options;
    options.roots = {folio::test::kSourceDir / "corpus"};
    folio::index_paths(db, options, folio::test::full_reader(), [](const folio::SkippedFile&) {});
  }
  folio::test::TempDir tmp_;
  fs::path db_dir_ = tmp_.path() / "db";
};

folio::SearchResults run(const std::string& query, unsigned limit = 10) {
  folio::SearchRequest request;
  request.query = query;
  request.limit = limit;
  return folio::search(CorpusIndex::get().db(), request);
}

std::vector<std::string> headings(const folio::SearchResults& r) {
  std::vector<std::string> out;
  for (const auto& hit : r.hits) out.push_back(hit.section.heading);
  return out;
}

}  // namespace

TEST_CASE("a phrase finds the section that holds it, first", "[search]") {
  const folio::SearchResults r = run("\"core concerns\"");
  REQUIRE(r.total >= 1);
  CHECK(r.hits[0].section.heading == "Blinken’s Agenda in Beijing");
  CHECK(r.hits[0].section.line == 23);
  CHECK(r.hits[0].rank == 1);
  // The words of a phrase that are not next to each other do not match.
  CHECK(run("\"concerns core\"").total == 0);
}

TEST_CASE("straight and curly apostrophes search the same", "[search]") {
  const auto straight = run("Blinken's", 100);
  const auto curly = run("Blinken’s", 100);
  const auto bare = run("Blinken", 100);
  CHECK(straight.total > 0);
  CHECK(straight.total == curly.total);
  CHECK(bare.total == straight.total);
  // This section only says "Blinken’s", never plain "Blinken".
  const auto h = headings(straight);
  CHECK(std::find(h.begin(), h.end(), "Blinken’s Historic Visit") != h.end());
}

TEST_CASE("AND is the default; OR, NOT and fields work", "[search]") {
  const auto both = run("balloon Biden");
  const auto either = run("balloon OR Kishida");
  CHECK(both.total > 0);
  CHECK(either.total > both.total);
  CHECK(run("balloon NOT Biden").total + both.total == run("balloon").total);
  CHECK(run("title:beijing").total == 10);  // every section of the sample
  CHECK(run("heading:\"historic visit\"").total == 1);
  CHECK(run("author:\"chen wei\"").total == 4);
  CHECK(run("author:\"Chen  Wei\"").total == 4);
  CHECK(run("Balakr*").total == 1);
}

TEST_CASE("a heading match outranks a body match", "[search]") {
  const auto r = run("deteriorating");
  REQUIRE(r.total >= 1);
  CHECK(r.hits[0].section.heading == "Deteriorating Relations and Concerns");
}

TEST_CASE("the total is exact and paging keeps ranks", "[search]") {
  const auto all = run("China", 1000);
  CHECK(all.total == all.hits.size());
  folio::SearchRequest page;
  page.query = "China";
  page.offset = 2;
  page.limit = 3;
  const auto r = folio::search(CorpusIndex::get().db(), page);
  CHECK(r.total == all.total);
  REQUIRE(r.hits.size() == 3);
  CHECK(r.hits[0].rank == 3);
  CHECK(r.hits[0].id == all.hits[2].id);
}

TEST_CASE("snippets highlight the matched words, phrases included", "[search]") {
  const auto r = run("\"core concerns\"");
  const folio::Snippet& s = r.hits.at(0).snippet;
  REQUIRE(s.highlights.size() == 2);
  CHECK(s.text.substr(s.highlights[0].first, s.highlights[0].second) == "core");
  CHECK(s.text.substr(s.highlights[1].first, s.highlights[1].second) == "concerns");
  CHECK(s.text.find('\n') == std::string::npos);
  CHECK(s.text.find("&amp;") == std::string::npos);
  const auto w = run("Balakr*");
  REQUIRE(!w.hits.at(0).snippet.highlights.empty());
}

TEST_CASE("bad and empty queries are errors", "[search]") {
  CHECK_THROWS_AS(run("AND OR ("), Xapian::QueryParserError);
  CHECK_THROWS_AS(run("   "), folio::Error);
}

TEST_CASE("show finds a section or a whole article by id", "[search]") {
  const auto r = run("\"core concerns\"");
  const std::string id = r.hits.at(0).id;
  const auto one = folio::find_sections(CorpusIndex::get().db(), id);
  REQUIRE(one.size() == 1);
  CHECK(one[0].text.find("Diaoyutai") != std::string::npos);
  const auto all = folio::find_sections(CorpusIndex::get().db(), id.substr(0, id.find('-')));
  REQUIRE(all.size() == 10);
  CHECK(all[9].heading == "Blinken’s Historic Visit");
  CHECK_THROWS_AS(folio::find_sections(CorpusIndex::get().db(), "0000000000000000-1"),
                  folio::Error);
}

TEST_CASE("stats count articles, sections and the date span", "[search]") {
  const auto db = CorpusIndex::get().db();
  const folio::IndexStats st = folio::index_stats(db, "unused");
  CHECK(st.articles == 11);
  CHECK(st.sections == db.get_doccount());
  CHECK(st.earliest == "2021-01-01");  // "Published: 2021", year precision
  CHECK(st.latest == "2023-07-03");
  CHECK(st.undated_sections == 2);
  CHECK(st.schema_version == folio::schema::kVersion);
}
