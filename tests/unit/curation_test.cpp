#include "folio/curation.hpp"

#include <catch2/catch.hpp>

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
