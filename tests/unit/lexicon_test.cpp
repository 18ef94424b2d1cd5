#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "folio/entities.hpp"
#include "folio/error.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Loads a data folder whose lexicon.bin holds `bytes`; returns the error.
std::string load_error(const std::string& bytes) {
  const folio::test::TempDir dir;
  folio::test::write_file(dir.path() / "lexicon.bin", bytes);
  folio::LexiconSources sources;
  sources.data_dir = dir.path();
  try {
    folio::Lexicon::load(sources);
  } catch (const folio::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the built lexicon maps and answers lookups", "[lexicon]") {
  const auto lx = folio::test::lexicon();
  const folio::Lexicon::Phrase* france = lx->phrase("france");
  REQUIRE(france != nullptr);
  REQUIRE(!france->places.empty());
  CHECK(lx->places()[france->places.front()].place.id == "france");
  CHECK(lx->places()[france->places.front()].place.kind == folio::PlaceKind::country);
  const folio::Lexicon::Phrase* us = lx->acronym("US");
  REQUIRE(us != nullptr);
  CHECK(lx->places()[us->places.front()].place.id == "united-states");
  CHECK(lx->acronym("us") == nullptr);  // acronyms are case-sensitive
  const folio::Lexicon::Phrase* chinese = lx->phrase("chinese");
  REQUIRE(chinese != nullptr);
  CHECK(chinese->demonym);
  // Cities come from libgeonames, with their population and country.
  const folio::Lexicon::Phrase* osaka = lx->phrase("osaka");
  REQUIRE(osaka != nullptr);
  const folio::Lexicon::PlaceEntry& city = lx->places()[osaka->places.front()];
  CHECK(city.place.country == "japan");
  CHECK(city.place.country_name == "Japan");
  CHECK(city.population > 1'000'000);
  CHECK(lx->phrase("no such place at all") == nullptr);
  CHECK(lx->is_ordinary_word("reading"));
  CHECK_FALSE(lx->is_ordinary_word("blinken"));
  CHECK(lx->is_given_name("john"));
  CHECK(lx->is_abbreviation("mr"));
  CHECK(lx->is_organisation_suffix("bank"));
  CHECK(lx->max_phrase_tokens() >= 3);
}

TEST_CASE("a missing, stale or damaged lexicon file is refused with one clear line", "[lexicon]") {
  const std::string good = read_bytes(fs::path(FOLIO_BUILD_DATA_DIR) / "lexicon.bin");
  REQUIRE(good.size() > 1000);
  CHECK(load_error(good).empty());

  const folio::test::TempDir empty;
  folio::LexiconSources sources;
  sources.data_dir = empty.path();
  CHECK_THROWS_WITH(folio::Lexicon::load(sources), Catch::Contains("cannot open the lexicon"));

  CHECK_THAT(load_error(""), Catch::Contains("is empty"));
  CHECK_THAT(load_error("not a lexicon at all, but long enough to hold a header of the lexicon file ... "),
             Catch::Contains("is not a folio lexicon file"));
  CHECK_THAT(load_error(good.substr(0, good.size() - 1)), Catch::Contains("its header says"));
  std::string old_version = good;
  old_version[8] = '\x7f';  // the format version follows the 8-byte magic
  CHECK_THAT(load_error(old_version), Catch::Contains("has format version 127"));
  std::string damaged = good;
  damaged[40] = static_cast<char>(damaged[40] ^ 0x10);  // in the header's table extents
  CHECK_THAT(load_error(damaged), Catch::Contains("corrupt header"));
}
