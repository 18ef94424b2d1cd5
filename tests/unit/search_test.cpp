#include "folio/search.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <map>
#include <set>
#include <stdexcept>

#include "folio/database.hpp"
#include "folio/error.hpp"
#include "folio/filter_date.hpp"
#include "folio/ingest.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using folio::schema::Field;

namespace {

// The shared corpus/ index of these tests (test_support.hpp).
folio::Index corpus_index() { return folio::test::CorpusIndex::get(folio::test::full_reader()).index(); }

folio::SearchResults run(const std::string& query, unsigned limit = 10) {
  folio::SearchRequest request;
  request.query = query;
  request.limit = limit;
  return folio::search(corpus_index(), request);
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

TEST_CASE("AND is the default, OR, NOT and fields work", "[search]") {
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
  const auto r = folio::search(corpus_index(), page);
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
  const auto one = folio::find_sections(corpus_index().db(), id);
  REQUIRE(one.size() == 1);
  CHECK(one[0].text.find("Diaoyutai") != std::string::npos);
  const auto all =
      folio::find_sections(corpus_index().db(), folio::schema::parse_section_id(id).value().article_id);
  REQUIRE(all.size() == 10);
  CHECK(all[9].heading == "Blinken’s Historic Visit");
  CHECK_THROWS_AS(folio::find_sections(corpus_index().db(), "0000000000000000-1"), folio::Error);
}

TEST_CASE("stats count articles, sections and the date span", "[search]") {
  const folio::Index index = corpus_index();
  const folio::IndexStats st = folio::index_stats(index);
  CHECK(st.articles == 11);
  CHECK(st.shards == 2);
  CHECK(st.sections == index.db().get_doccount());
  CHECK(st.earliest == "2021-01-01");  // "Published: 2021", year precision
  CHECK(st.latest == "2023-07-03");
  CHECK(st.undated_sections == 2);
  CHECK(st.schema_version == folio::schema::kVersion);
}

namespace {

folio::SearchResults run_request(folio::SearchRequest request) {
  if (request.today.precision == folio::DatePrecision::none) {
    request.today = {2023, 7, 4, folio::DatePrecision::day};
  }
  return folio::search(corpus_index(), request);
}

std::set<std::string> hit_ids(const folio::SearchResults& r) {
  std::set<std::string> out;
  for (const auto& h : r.hits) out.insert(h.id);
  return out;
}

const folio::Facet& facet_of(const folio::SearchResults& r, folio::FacetField field) {
  for (const auto& f : r.facets) {
    if (f.spec.field == field) return f;
  }
  throw std::runtime_error("no such facet");
}

}  // namespace

TEST_CASE("filters resolve names by id, name, alias, any case, or unique prefix", "[search][filters]") {
  for (const char* name : {"joe-biden", "Joe Biden", "biden", "BIDEN", "President Biden", "joe b"}) {
    INFO(name);
    folio::SearchRequest r;
    r.filters[Field::person] = {name};
    r.limit = 100;
    const auto results = run_request(r);
    CHECK(results.total == 6);
    REQUIRE(results.filters.size() == 1);
    CHECK(results.filters[0].id == "joe-biden");
  }
  folio::SearchRequest unknown;
  unknown.filters[Field::person] = {"Bidden"};
  CHECK_THROWS_WITH(run_request(unknown),
                    Catch::Contains("no person 'Bidden'") && Catch::Contains("closest: Joe Biden"));
  folio::SearchRequest ambiguous;
  ambiguous.filters[Field::place] = {"Georgia"};
  CHECK_THROWS_WITH(run_request(ambiguous), Catch::Contains("ambiguous") && Catch::Contains("georgia-us"));
}

TEST_CASE("same filter flag is OR, different flags AND, the query language agrees", "[search][filters]") {
  folio::SearchRequest biden, qin, both, either;
  biden.filters[Field::person] = {"Biden"};
  qin.filters[Field::person] = {"Qin Gang"};
  either.filters[Field::person] = {"Biden", "Qin Gang"};
  both.filters[Field::person] = {"Biden"};
  both.filters[Field::place] = {"Taiwan"};
  for (auto* r : {&biden, &qin, &both, &either}) r->limit = 100;
  const auto b = hit_ids(run_request(biden));
  const auto q = hit_ids(run_request(qin));
  std::set<std::string> united = b;
  united.insert(q.begin(), q.end());
  CHECK(hit_ids(run_request(either)) == united);

  folio::SearchRequest taiwan;
  taiwan.filters[Field::place] = {"taiwan"};
  taiwan.limit = 100;
  const auto t = hit_ids(run_request(taiwan));
  std::set<std::string> intersection;
  for (const auto& id : b) {
    if (t.count(id)) intersection.insert(id);
  }
  CHECK(hit_ids(run_request(both)) == intersection);

  folio::SearchRequest language;
  language.query = "person:Biden AND place:taiwan";
  language.limit = 100;
  CHECK(hit_ids(run_request(language)) == intersection);
}

TEST_CASE("a country includes its places unless exact", "[search][filters]") {
  folio::SearchRequest china, exact, beijing;
  china.filters[Field::place] = {"China"};
  exact.filters[Field::place] = {"China"};
  exact.place_exact = true;
  beijing.filters[Field::place] = {"Beijing"};
  for (auto* r : {&china, &exact, &beijing}) r->limit = 100;
  const auto all = hit_ids(run_request(china));
  const auto only = hit_ids(run_request(exact));
  const auto city = hit_ids(run_request(beijing));
  CHECK(all.size() > only.size());
  for (const auto& id : city) CHECK(all.count(id) == 1);
}

TEST_CASE("date filters: periods, undated, bad dates", "[search][filters]") {
  auto total = [](std::string since, std::string until) {
    folio::SearchRequest r;
    r.since = std::move(since);
    r.until = std::move(until);
    return run_request(r).total;
  };
  CHECK(total("2023-06-18", "2023-06-18") == 19);  // 000, 001, 002 (10 + 4 + 5)
  CHECK(total("2023-06", "2023-06") == total("June 2023", "30 June 2023"));
  CHECK(total("", "2022") == 3);       // 008: "Published: 2021"
  CHECK(total("yesterday", "") == 4);  // 009, 2023-07-03
  folio::SearchRequest undated;
  undated.undated = true;
  CHECK(run_request(undated).total == 2);
  folio::SearchRequest bad;
  bad.since = "soon";
  CHECK_THROWS_WITH(run_request(bad), Catch::Contains("bad date 'soon'"));
  folio::SearchRequest nothing;
  CHECK_THROWS_AS(run_request(nothing), folio::Error);
}

TEST_CASE("facet counts are exact over all matches and follow the filters", "[search][facets]") {
  folio::SearchRequest r;
  r.query = "China";
  r.limit = 0;
  r.facets = {folio::parse_facet_spec("person:100"), folio::parse_facet_spec("place:100")};
  const auto results = run_request(r);
  for (const auto& v : facet_of(results, folio::FacetField::person).values) {
    INFO(v.value);
    folio::SearchRequest check;
    check.query = "China";
    check.filters[Field::person] = {v.value};
    CHECK(run_request(check).total == v.count);
  }
  const auto& places = facet_of(results, folio::FacetField::place);
  for (std::size_t i = 1; i < places.values.size(); ++i) {
    CHECK(places.values[i - 1].count >= places.values[i].count);
  }

  // Disjunctive: the person facet ignores the person filter.
  folio::SearchRequest filtered;
  filtered.filters[Field::person] = {"Biden"};
  filtered.limit = 0;
  filtered.facets = {folio::parse_facet_spec("person")};
  const auto plain = facet_of(run_request(filtered), folio::FacetField::person);
  filtered.disjunctive = true;
  const auto disjunctive = facet_of(run_request(filtered), folio::FacetField::person);
  CHECK(disjunctive.disjunctive);
  CHECK(disjunctive.distinct > plain.distinct);
  CHECK(plain.values.at(0).value == "joe-biden");
  CHECK(plain.values.at(0).count == 6);
}

TEST_CASE("facets by article, by date, and parsing of facet specs", "[search][facets]") {
  folio::SearchRequest r;
  r.query = "Blinken";
  r.limit = 0;
  r.facets = {folio::parse_facet_spec("person:1")};
  r.facet_by_article = true;
  const auto by_article = run_request(r);
  const auto& person = facet_of(by_article, folio::FacetField::person);
  REQUIRE(person.values.size() == 1);
  CHECK(person.values[0].value == "antony-blinken");
  CHECK(person.values[0].count == 2);  // 000 and 002, not its many sections

  folio::SearchRequest d;
  d.since = "2000";
  d.limit = 0;
  d.facets = {folio::parse_facet_spec("date:month")};
  const auto dated = run_request(d);
  const auto& dates = facet_of(dated, folio::FacetField::date);
  std::vector<std::string> months;
  for (const auto& v : dates.values) months.push_back(v.value);
  CHECK(months == std::vector<std::string>{"2021", "2023-06", "2023-07"});

  CHECK(folio::parse_facet_spec("date:year").granularity == folio::DateGranularity::year);
  CHECK(folio::parse_facet_spec("country:3").limit == 3);
  CHECK_THROWS_WITH(folio::parse_facet_spec("colour"), Catch::Contains("person, place"));
  CHECK_THROWS_AS(folio::parse_facet_spec("person:x"), folio::Error);
  CHECK_THROWS_AS(folio::parse_facet_spec("date:week"), folio::Error);
}

TEST_CASE("every facet field of the table parses from its name, and only those", "[search][facets][fields]") {
  for (const folio::schema::FieldInfo& f : folio::schema::kFields) {
    INFO(f.name);
    CHECK(folio::to_string(f.field) == f.name);
    if ((f.flags & folio::schema::kFacet) == 0) {
      CHECK_THROWS_WITH(folio::parse_facet_spec(f.name), Catch::StartsWith("unknown facet"));
      continue;
    }
    CHECK(folio::parse_facet_spec(f.name).field == f.field);
    const std::string with_arg =
        std::string(f.name) + (f.kind == folio::schema::FieldKind::date ? ":day" : ":7");
    CHECK(folio::parse_facet_spec(with_arg).field == f.field);
    // The error lists every facet field.
    CHECK_THROWS_WITH(folio::parse_facet_spec("colour"), Catch::Contains(std::string(f.name)));
  }
}

TEST_CASE("search() itself rejects a facet field given twice", "[search][facets]") {
  folio::SearchRequest r;
  r.query = "Blinken";
  r.facets = {folio::parse_facet_spec("person:3"), folio::parse_facet_spec("place"),
              folio::parse_facet_spec("person")};
  CHECK_THROWS_WITH(run_request(r), "facet 'person' is given twice: one per field");
  r.facets = {folio::parse_facet_spec("date:year"), folio::parse_facet_spec("date:month")};
  CHECK_THROWS_WITH(run_request(r), "facet 'date' is given twice: one per field");
  // Different fields are fine, country and place included.
  r.facets = {folio::parse_facet_spec("place"), folio::parse_facet_spec("country")};
  CHECK(run_request(r).facets.size() == 2);
}

TEST_CASE("each filter field means the same as a flag and in the query language",
          "[search][filters][fields]") {
  // A value of each kFilter field in corpus/; a new filter field needs one.
  const std::map<Field, std::string> samples{{Field::person, "Antony Blinken"},
                                             {Field::place, "China"},
                                             {Field::org, "Goldman Sachs"},
                                             {Field::author, "Chen Wei"}};
  for (const folio::schema::FieldInfo& f : folio::schema::kFields) {
    if ((f.flags & folio::schema::kFilter) == 0) continue;
    INFO(f.name);
    REQUIRE(samples.count(f.field) == 1);
    REQUIRE((f.flags & folio::schema::kQueryField) != 0);
    folio::SearchRequest flag;
    flag.filters[f.field] = {samples.at(f.field)};
    folio::SearchRequest query;
    query.query = fmt::format("{}:\"{}\"", f.name, samples.at(f.field));
    const auto by_flag = run_request(flag);
    CHECK(by_flag.total > 0);
    CHECK(run_request(query).total == by_flag.total);
  }
}

TEST_CASE("filters apply only to the fields the table makes filters", "[search][filters]") {
  folio::SearchRequest r;
  r.query = "Blinken";
  r.filters[Field::title] = {"Beijing"};
  CHECK_THROWS_WITH(run_request(r), "there is no title filter");
  r.filters.clear();
  r.filters[Field::country] = {"china"};
  CHECK_THROWS_WITH(run_request(r), "there is no country filter");
  // Every kFilter field filters, and its resolved filter carries its name.
  for (const auto& [field, value] :
       {std::pair{Field::person, "Blinken"}, std::pair{Field::place, "China"},
        std::pair{Field::org, "United Nations"}, std::pair{Field::author, "Chen Wei"}}) {
    INFO(folio::schema::info(field).name);
    REQUIRE(folio::schema::has(field, folio::schema::kFilter));
    folio::SearchRequest f;
    f.filters[field] = {value};
    f.limit = 1;
    const folio::SearchResults results = run_request(f);
    REQUIRE(results.filters.size() == 1);
    CHECK(results.filters[0].field == folio::schema::info(field).name);
  }
}

TEST_CASE("by-article, date sort and spelling suggestions", "[search]") {
  folio::SearchRequest r;
  r.query = "China";
  r.by_article = true;
  r.limit = 100;
  const auto grouped = run_request(r);
  std::set<std::string> articles;
  Xapian::doccount sections = 0;
  for (const auto& h : grouped.hits) {
    articles.insert(folio::schema::parse_section_id(h.id).value().article_id);
    sections += 1 + h.other_sections;
  }
  CHECK(articles.size() == grouped.hits.size());
  r.by_article = false;
  CHECK(sections == run_request(r).total);

  r.sort = folio::SortOrder::date_descending;
  r.since = "2000";
  const auto newest = run_request(r);
  for (std::size_t i = 1; i < newest.hits.size(); ++i) {
    CHECK(newest.hits[i - 1].section.date.sort_key() >= newest.hits[i].section.date.sort_key());
  }

  folio::SearchRequest typo;
  typo.query = "ballon diplomacy";
  CHECK(run_request(typo).suggestion == "balloon diplomacy");
  typo.query = "balloon";
  CHECK(run_request(typo).suggestion.empty());
}

TEST_CASE("a surname-only person is merged into the dominant full name of the index",
          "[search][filters][merge]") {
  folio::test::TempDir tmp;
  const fs::path docs = tmp.path() / "docs";
  fs::create_directories(docs);
  // "Ronald Reagan" in four articles, "Nancy Reagan" in one: President
  // Reagan is Ronald. "Carter": Jimmy and Rosalynn as often, no merge.
  for (int i = 0; i < 4; ++i) {
    folio::test::write_file(
        docs / fmt::format("full{}.txt", i),
        fmt::format("Budget {}\n\nRonald Reagan signed budget number {} on Monday.\n", i, i));
  }
  folio::test::write_file(docs / "nancy.txt", "Gala\n\nNancy Reagan opened the gala in town.\n");
  folio::test::write_file(docs / "short.txt", "Veto\n\nPresident Reagan vetoed the farm bill.\n");
  folio::test::write_file(docs / "jimmy.txt", "Peanuts\n\nJimmy Carter visited a peanut farm.\n");
  folio::test::write_file(docs / "rosalynn.txt", "Charity\n\nRosalynn Carter visited a charity.\n");
  folio::test::write_file(docs / "carter.txt", "Speech\n\nPresident Carter gave a speech.\n");
  const fs::path db = tmp.path() / "db";
  {
    folio::WritableIndex index = folio::open_for_writing(db, 2);
    folio::IndexOptions options;
    options.roots = {docs};
    folio::index_paths(index, options, folio::test::full_reader(), [](const folio::SkippedFile&) {});
  }
  const folio::Index index = folio::open_for_reading(db);
  auto total = [&](const std::string& person) {
    folio::SearchRequest r;
    r.filters[Field::person] = {person};
    const folio::SearchResults results = folio::search(index, r);
    REQUIRE(results.filters.size() == 1);
    return std::pair{results.total, results.filters[0].id};
  };
  // Ronald Reagan's sections include President Reagan's, by name, id and surname.
  CHECK(total("Ronald Reagan") == std::pair{Xapian::doccount{5}, std::string("ronald-reagan")});
  CHECK(total("reagan") == std::pair{Xapian::doccount{5}, std::string("ronald-reagan")});
  CHECK(total("Nancy Reagan").first == 1);
  // Two full names compete: the surname stays a person of its own.
  CHECK(total("Jimmy Carter").first == 1);
  CHECK(total("carter") == std::pair{Xapian::doccount{1}, std::string("carter")});
  // `folio entities` lists and counts them as the filters do.
  folio::EntityQuery q;
  q.types = {Field::person};
  std::map<std::string, Xapian::doccount> listed;
  for (const folio::EntityCount& c : folio::list_entities(index, q)) listed[c.record.id] = c.sections;
  CHECK(listed.count("reagan") == 0);
  CHECK(listed["ronald-reagan"] == 5);
  CHECK(listed["carter"] == 1);
}

TEST_CASE("a date filter selects the sections whose date value is in the range", "[search][filters]") {
  // The filter is made of date terms (Y, M, D, and the sections dated only
  // to a month or a year): it must select what a range over kDateSlot
  // selects, for bounds of every precision, inside and across periods.
  const folio::Index index = corpus_index();
  const Xapian::Database& db = index.db();
  const std::vector<std::string> bounds{"",           "2020",       "2021",       "2021-01-01", "2021-06",
                                        "2022",       "2022-12-31", "2023",       "2023-01-01", "2023-06",
                                        "2023-06-17", "2023-06-18", "2023-06-19", "2023-07",    "2023-07-03",
                                        "2023-12-31", "2024"};
  std::size_t nonempty = 0;
  for (const std::string& since : bounds) {
    for (const std::string& until : bounds) {
      if (since.empty() && until.empty()) continue;
      const std::string from = since.empty() ? "" : folio::parse_date_range(since, {}).from;
      const std::string to = until.empty() ? "" : folio::parse_date_range(until, {}).to;
      if (!from.empty() && !to.empty() && from > to) continue;
      const Xapian::Query by_value =
          from.empty() ? Xapian::Query(Xapian::Query::OP_VALUE_LE, folio::schema::kDateSlot, to)
          : to.empty() ? Xapian::Query(Xapian::Query::OP_VALUE_GE, folio::schema::kDateSlot, from)
                       : Xapian::Query(Xapian::Query::OP_VALUE_RANGE, folio::schema::kDateSlot, from, to);
      Xapian::Enquire enquire(db);
      enquire.set_query(by_value);
      const Xapian::MSet want = enquire.get_mset(0, db.get_doccount());
      folio::SearchRequest r;
      r.query = "*";
      r.since = since;
      r.until = until;
      r.limit = db.get_doccount();
      std::set<std::string> got;
      for (const folio::Hit& hit : run_request(r).hits) got.insert(hit.id);
      std::set<std::string> expected_ids;
      for (auto it = want.begin(); it != want.end(); ++it) {
        const Xapian::Document doc = it.get_document();
        const auto section = folio::schema::SectionData::from_json(doc.get_data());
        expected_ids.insert(
            folio::schema::section_id(doc.get_value(folio::schema::kArticleSlot), section.index));
      }
      INFO(since << ".." << until);
      CHECK(got == expected_ids);
      if (!expected_ids.empty()) ++nonempty;
    }
  }
  CHECK(nonempty > 20);  // the bounds do cut the corpus's dates
}

TEST_CASE("stats: the earliest and latest dates are those of the date values", "[search][stats]") {
  const folio::Index index = corpus_index();
  const Xapian::Database& db = index.db();
  std::string earliest, latest;
  for (auto v = db.valuestream_begin(folio::schema::kDateSlot);
       v != db.valuestream_end(folio::schema::kDateSlot); ++v) {
    if (earliest.empty() || *v < earliest) earliest = *v;
    if (*v > latest) latest = *v;
  }
  const folio::IndexStats stats = folio::index_stats(index);
  REQUIRE(!earliest.empty());
  CHECK(stats.earliest == folio::iso_of_day_key(earliest));
  CHECK(stats.latest == folio::iso_of_day_key(latest));
}

TEST_CASE("stats: the kept file counts follow additions and removals, and are recounted when missing",
          "[search][stats]") {
  folio::test::TempDir tmp;
  const fs::path corpus = tmp.path() / "corpus";
  fs::copy(folio::test::kSourceDir / "corpus", corpus);
  const fs::path db = tmp.path() / "db";
  auto index_again = [&] {
    folio::WritableIndex index = folio::open_for_writing(db, 2);
    folio::IndexOptions options;
    options.roots = {corpus};
    folio::index_paths(index, options, folio::test::plain_reader(), [](const folio::SkippedFile&) {});
    index.close();
  };
  auto check = [&](std::size_t expected) {
    const folio::Index index = folio::open_for_reading(db);
    const folio::IndexStats stats = folio::index_stats(index);
    CHECK(stats.articles == expected);
    CHECK(stats.articles == index.count_metadata(folio::schema::kFileKeyPrefix));
    CHECK(stats.skipped_files == index.count_metadata(folio::schema::kBadFileKeyPrefix));
  };
  index_again();
  const std::size_t files = folio::index_stats(folio::open_for_reading(db)).articles;
  check(files);
  REQUIRE(fs::remove(corpus / "001_markets_rally.txt"));
  index_again();
  check(files - 1);
  {
    // An index written before the counts were kept: counted.
    Xapian::WritableDatabase shard((db / folio::schema::shard_name(0)).string());
    shard.set_metadata(std::string(folio::schema::kCountsKey), "");
    shard.commit();
  }
  check(files - 1);
  index_again();  // and kept again from then on
  check(files - 1);
}
