#include "folio/curation.hpp"

#include <fmt/format.h>
#include <xapian.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "folio/error.hpp"
#include "folio/search.hpp"
#include "test_support.hpp"

using folio::Curation;
using folio::schema::Field;

namespace {

Curation parse(const std::string& text) {
  Curation c;
  std::istringstream in(text);
  c.read(in, "entities");
  return c;
}

// The message of the folio::Error that parsing `text` throws.
std::string parse_error(const std::string& text) {
  try {
    parse(text);
  } catch (const folio::Error& e) {
    return e.what();
  }
  return "(no error)";
}

folio::Index corpus_index() { return folio::test::CorpusIndex::get(folio::test::full_reader()).index(); }

}  // namespace

TEST_CASE("the entities file: each rule, comments and quoted names", "[curation]") {
  const Curation c = parse(
      "# corrections\n"
      "\n"
      "merge person:donald-j-trump into person:donald-trump   # the same man\n"
      "MERGE person:trump-donald INTO person:donald-j-trump\n"
      "rename person:joe-biden \"Joseph R. \\\"Joe\\\" Biden\"\n"
      "alias place:united-states \"the States\"\n"
      "suppress person:lib-dems\n");
  CHECK(c.user_rules() == 5);
  // Merges follow merges.
  CHECK(c.merged_into(Field::person, "donald-j-trump") == "donald-trump");
  CHECK(c.merged_into(Field::person, "trump-donald") == "donald-trump");
  CHECK_FALSE(c.merged_into(Field::person, "donald-trump"));
  CHECK_FALSE(c.merged_into(Field::place, "donald-j-trump"));  // ids are per type
  CHECK(c.merged_from(Field::person, "donald-trump").size() == 2);
  CHECK(c.name(Field::person, "joe-biden") == "Joseph R. \"Joe\" Biden");
  REQUIRE(c.alias_rule(Field::place, "the states") != nullptr);
  CHECK(c.alias_rule(Field::place, "the states")->id == "united-states");
  CHECK(c.alias_rule(Field::place, "the states")->where == "entities:6");
  CHECK(c.suppressed(Field::person, "lib-dems"));
  CHECK_FALSE(c.suppressed(Field::place, "lib-dems"));
  CHECK(c.regroups(Field::person));
  CHECK_FALSE(c.regroups(Field::place));
  CHECK_FALSE(c.regroups(Field::author));
}

TEST_CASE("the entities file: a bad line is one error naming FILE:LINE", "[curation]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"merg person:a into person:b", "entities:1: 'merg' is not a rule: merge, rename, alias or suppress"},
      {"\nmerge person:a person:b", "entities:2: expected `merge TYPE:ID into TYPE:ID`"},
      {"merge person:a onto person:b", "entities:1: expected `merge TYPE:ID into TYPE:ID`"},
      {"merge person:a into place:a", "entities:1: a person cannot be merged into a place"},
      {"merge person:a into person:a", "entities:1: person:a is merged into itself"},
      {"merge person:a into person:b\nmerge person:b into person:a",
       "entities:2: merging b into a makes a cycle"},
      {"suppress author:jane", "entities:1: 'author:jane' is not TYPE:ID"},
      {"suppress joe-biden", "entities:1: 'joe-biden' is not TYPE:ID"},
      {"rename person:a \"Unclosed", "entities:1: the quoted name has no closing '\"'"},
      {"rename person:a", "entities:1: expected `rename TYPE:ID \"Name\"`"},
      {"alias person:a \"\"", "entities:1: the name is empty"},
      {"suppress person:a extra", "entities:1: expected `suppress TYPE:ID`"},
  };
  for (const auto& [text, message] : cases) {
    INFO(text);
    CHECK_THAT(parse_error(text), Catch::StartsWith(message));
  }
}

TEST_CASE("the lexicon's other names of countries are aliases with their line", "[curation]") {
  Curation c;
  c.read_country_names(folio::test::kSourceDir / "data" / "lexicon" / "countries.tsv");
  const Curation::Rule* soviet = c.alias_rule(Field::place, "soviet union");
  REQUIRE(soviet != nullptr);
  CHECK(soviet->id == "russia");
  CHECK(soviet->from_lexicon);
  CHECK_THAT(soviet->where, Catch::StartsWith("lexicon/countries.tsv:"));
  REQUIRE(c.alias_rule(Field::place, "ussr") != nullptr);
  CHECK(c.alias_rule(Field::place, "ussr")->id == "russia");
  CHECK(c.user_rules() == 0);
  // A missing file adds nothing.
  Curation none;
  none.read_country_names("/nonexistent/countries.tsv");
  CHECK(none.empty());
}

TEST_CASE("the countries file deferred gives the rules it gives read at once", "[curation]") {
  const auto tsv = folio::test::kSourceDir / "data" / "lexicon" / "countries.tsv";
  std::istringstream user("alias place:france \"La Douce\"\nalias place:japan \"Soviet Union\"\n");
  Curation now;
  now.read(user, "entities");
  now.read_country_names(tsv);
  std::istringstream again(user.str());
  Curation later;
  later.read(again, "entities");
  later.defer_country_names(tsv);
  // The user's alias of a name the lexicon also gives wins, as when read at once.
  REQUIRE(later.alias_rule(Field::place, "soviet union") != nullptr);
  CHECK(later.alias_rule(Field::place, "soviet union")->id == "japan");
  REQUIRE(later.alias_rule(Field::place, "ussr") != nullptr);
  CHECK(later.alias_rule(Field::place, "ussr")->id == "russia");
  REQUIRE(later.rules().size() == now.rules().size());
  for (std::size_t i = 0; i < now.rules().size(); ++i) {
    CHECK(later.rules()[i].id == now.rules()[i].id);
    CHECK(later.rules()[i].value == now.rules()[i].value);
    CHECK(later.rules()[i].where == now.rules()[i].where);
  }
  Curation none;
  none.defer_country_names("/nonexistent/countries.tsv");
  CHECK(none.empty());
}

TEST_CASE("curated search: merged filters match both ids, facets add up, suppressed vanish",
          "[curation][search]") {
  const folio::Index index = corpus_index();
  folio::SearchRequest plain;
  plain.filters[Field::org] = {"eu"};
  plain.facets = {folio::parse_facet_spec("org:100"), folio::parse_facet_spec("person:100")};
  const folio::SearchResults eu = folio::search(index, plain);
  plain.filters[Field::org] = {"european-union"};
  const folio::SearchResults union_only = folio::search(index, plain);
  REQUIRE(eu.total > 0);
  REQUIRE(union_only.total > 0);

  const Curation c = parse(
      "merge org:eu into org:european-union\n"
      "rename org:european-union \"The European Union\"\n"
      "suppress person:antony-blinken\n");
  folio::SearchRequest request = plain;
  request.filters[Field::org] = {"EU"};
  request.facets = {folio::parse_facet_spec("org:1"), folio::parse_facet_spec("person:100")};
  const folio::SearchResults merged = folio::search(index, request, c);
  // "EU" resolves to what it is merged into, and matches the sections of both.
  REQUIRE(merged.filters.size() == 1);
  CHECK(merged.filters[0].id == "european-union");
  CHECK(merged.filters[0].name == "The European Union");
  CHECK(merged.total > std::max(eu.total, union_only.total));
  CHECK(merged.total <= eu.total + union_only.total);
  // The org facet, cut to 1 after merging: the merged value, with both counts.
  REQUIRE(merged.facets.size() == 2);
  REQUIRE(merged.facets[0].values.size() == 1);
  CHECK(merged.facets[0].spec.limit == 1);
  CHECK(merged.facets[0].values[0].value == "european-union");
  CHECK(merged.facets[0].values[0].name == "The European Union");
  CHECK(merged.facets[0].values[0].count >= merged.total);
  for (const folio::FacetValue& v : merged.facets[1].values) CHECK(v.value != "antony-blinken");
  for (const folio::Hit& hit : merged.hits) {
    for (const folio::Org& o : hit.section.orgs) CHECK(o.id != "eu");
    for (const folio::Person& p : hit.section.people) CHECK(p.id != "antony-blinken");
  }
  // Suppressed: no longer a name to filter on.
  folio::SearchRequest blinken;
  blinken.filters[Field::person] = {"Blinken"};
  CHECK(folio::search(index, blinken).total > 0);
  CHECK_THROWS_WITH(folio::search(index, blinken, c), Catch::StartsWith("no person 'Blinken'"));
}

TEST_CASE("curated entities listing: one row for a merge, none for a suppression", "[curation][search]") {
  const folio::Index index = corpus_index();
  const Curation c = parse("merge org:eu into org:european-union\nsuppress place:europe\n");
  folio::EntityQuery query;
  query.types = {Field::org, Field::place};
  const auto plain = folio::list_entities(index, query);
  query.curation = &c;
  const auto curated = folio::list_entities(index, query);
  auto find = [](const std::vector<folio::EntityCount>& list, const std::string& id) {
    return std::find_if(list.begin(), list.end(),
                        [&](const folio::EntityCount& e) { return e.record.id == id; });
  };
  REQUIRE(find(plain, "eu") != plain.end());
  REQUIRE(find(plain, "europe") != plain.end());
  CHECK(find(curated, "eu") == curated.end());
  CHECK(find(curated, "europe") == curated.end());
  const auto merged = find(curated, "european-union");
  REQUIRE(merged != curated.end());
  // Sections that mention either, each once.
  CHECK(merged->sections > find(plain, "european-union")->sections);
  CHECK(merged->sections <= find(plain, "european-union")->sections + find(plain, "eu")->sections);
}

namespace {

namespace fs = std::filesystem;

// An index of corpus/ in two shards, updated with or without a curation.
struct CuratedIndex {
  folio::test::TempDir tmp;
  fs::path db = tmp.path() / "db";
  void run(const Curation* curation) {
    folio::WritableIndex index = folio::open_for_writing(db, 2);
    folio::IndexOptions options;
    options.roots = {folio::test::kSourceDir / "corpus"};
    options.curation = curation;
    options.jobs = 1;  // the aliases of a record in the order the files come
    folio::index_paths(index, options, folio::test::full_reader(), [](const folio::SkippedFile&) {});
  }
};

// What an index stores of its sections and entities: each section's data,
// entity terms and facets value, and every registry key, by shard.
std::map<std::string, std::string> stored(const fs::path& db) {
  std::map<std::string, std::string> out;
  for (std::size_t k = 0; k < 2; ++k) {
    const Xapian::Database shard((db / folio::schema::shard_name(k)).string());
    for (auto d = shard.postlist_begin(""); d != shard.postlist_end(""); ++d) {
      const Xapian::Document doc = shard.get_document(*d);
      std::string id, terms;
      for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        const std::string term = *t;
        if (term.starts_with("Q")) id = term;
        for (const char* prefix : {"XP", "XL", "XO", "XC", "XR"}) {
          if (term.starts_with(prefix)) terms += term + ' ';
        }
      }
      out[id] = doc.get_data() + '|' + terms + '|' + doc.get_value(folio::schema::kFacetsSlot);
    }
    for (auto m = shard.metadata_keys_begin("folio."); m != shard.metadata_keys_end("folio."); ++m) {
      const std::string key = *m;
      if (key.starts_with("folio.person:") || key.starts_with("folio.place:") ||
          key.starts_with("folio.org:") || key.starts_with("folio.raw:")) {
        out[fmt::format("{} {}", k, key)] = shard.get_metadata(key);
      }
    }
  }
  return out;
}

std::size_t sections_with(const fs::path& db, const std::string& term) {
  return folio::open_for_reading(db).db().get_termfreq(term);
}

}  // namespace

TEST_CASE("folio index applies the entities file to the records it stores, and undoes a rule that goes",
          "[curation][ingest]") {
  CuratedIndex plain;
  plain.run(nullptr);
  const auto as_extracted = stored(plain.db);
  const std::size_t eu = sections_with(plain.db, "XOeu");
  const std::size_t union_only = sections_with(plain.db, "XOeuropean-union");
  const std::size_t blinken = sections_with(plain.db, "XPantony-blinken");
  REQUIRE(eu > 0);
  REQUIRE(union_only > 0);
  REQUIRE(blinken > 0);
  const std::string eu_name = folio::open_for_reading(plain.db).entity(Field::org, "eu")->name;

  const Curation first = parse(
      "merge org:eu into org:european-union\n"
      "rename org:european-union \"The European Union\"\n"
      "suppress person:antony-blinken\n");
  CuratedIndex index;
  index.run(nullptr);
  index.run(&first);  // nothing changed on disk: the rules alone
  {
    const folio::Index curated = folio::open_for_reading(index.db);
    CHECK(sections_with(index.db, "XOeu") == 0);
    CHECK(sections_with(index.db, "XRXOeu") == eu);
    CHECK(sections_with(index.db, "XPantony-blinken") == 0);
    CHECK(sections_with(index.db, "XRXPantony-blinken") == blinken);
    const std::size_t merged = sections_with(index.db, "XOeuropean-union");
    CHECK(merged > std::max(eu, union_only));
    CHECK(merged <= eu + union_only);
    // The registry: the merged and suppressed have no record; the one
    // merged into has the new name, and the old ones as aliases.
    CHECK(!curated.entity(Field::org, "eu"));
    CHECK(!curated.entity(Field::person, "antony-blinken"));
    const auto target = curated.entity(Field::org, "european-union");
    REQUIRE(target);
    CHECK(target->name == "The European Union");
    CHECK(std::find(target->aliases.begin(), target->aliases.end(), eu_name) != target->aliases.end());
    // Sections and facets as stored, searched without the curation.
    folio::SearchRequest request;
    request.filters[Field::org] = {"european-union"};
    request.facets = {folio::parse_facet_spec("org:100"), folio::parse_facet_spec("person:100")};
    request.limit = 100;
    const folio::SearchResults results = folio::search(curated, request);
    CHECK(results.total == merged);
    for (const folio::Hit& hit : results.hits) {
      for (const folio::Org& o : hit.section.orgs) {
        CHECK(o.id != "eu");
        if (o.id == "european-union") CHECK(o.name == "The European Union");
      }
      for (const folio::Person& p : hit.section.people) CHECK(p.id != "antony-blinken");
    }
    for (const folio::FacetValue& v : results.facets[0].values) CHECK(v.value != "eu");
    for (const folio::FacetValue& v : results.facets[1].values) CHECK(v.value != "antony-blinken");
  }

  SECTION("no rules: the index is again as extracted") {
    index.run(nullptr);
    CHECK(stored(index.db) == as_extracted);
  }
  SECTION("a rule that goes is undone, the others stay: as an index made with the new rules") {
    const Curation second = parse(
        "merge org:eu into org:european-union\n"
        "alias person:antony-blinken \"Tony Blinken\"\n");
    index.run(&second);
    CHECK(sections_with(index.db, "XPantony-blinken") == blinken);
    CHECK(sections_with(index.db, "XRXPantony-blinken") == 0);
    CHECK(sections_with(index.db, "XOeu") == 0);
    const folio::Index curated = folio::open_for_reading(index.db);
    const auto person = curated.entity(Field::person, "antony-blinken");
    REQUIRE(person);
    CHECK(std::find(person->aliases.begin(), person->aliases.end(), "Tony Blinken") != person->aliases.end());
    CHECK(curated.entity(Field::org, "european-union")->name != "The European Union");
    CuratedIndex fresh;
    fresh.run(&second);
    CHECK(stored(index.db) == stored(fresh.db));
  }
}
