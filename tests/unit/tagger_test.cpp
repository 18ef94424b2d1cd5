#include "folio/tagger.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "folio/entities.hpp"
#include "folio/error.hpp"
#include "test_support.hpp"

namespace {

using Ids = std::set<std::string>;

folio::Article paragraph(const std::string& text) {
  return folio::test::full_reader().parse("Title\n\n" + text + "\n", "/tmp/article.txt");
}

Ids people(const folio::Article& a) {
  Ids out;
  for (const auto& s : a.sections) {
    for (const auto& p : s.people) out.insert(p.id);
  }
  return out;
}

Ids orgs(const folio::Article& a) {
  Ids out;
  for (const auto& s : a.sections) {
    for (const auto& o : s.orgs) out.insert(o.id);
  }
  return out;
}

Ids places(const folio::Article& a) {
  Ids out;
  for (const auto& s : a.sections) {
    for (const auto& p : s.places) out.insert(p.id);
  }
  return out;
}

}  // namespace

TEST_CASE("the tagger's model ships in data/ and loads", "[tagger]") {
  REQUIRE(folio::test::lexicon()->tagger() != nullptr);
  CHECK(folio::test::lexicon()->tagger()->features() > 10'000);
}

TEST_CASE("a model file of another format or cut short is refused", "[tagger]") {
  folio::test::TempDir dir;
  const auto bad = dir.path() / "model.bin";
  folio::test::write_file(bad, "not a model at all, just some bytes of text");
  CHECK_THROWS_AS(folio::TaggerModel::load(bad), folio::Error);
  std::ifstream in(folio::test::kSourceDir / "data" / "ner" / "model.bin", std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  folio::test::write_file(bad, head);
  CHECK_THROWS_WITH(folio::TaggerModel::load(bad), Catch::Contains("truncated"));
  CHECK_THROWS_AS(folio::TaggerModel::load(dir.path() / "missing.bin"), folio::Error);
}

TEST_CASE("Viterbi never puts an I- label after O or another type", "[tagger]") {
  // Scores (of BILOU states) that favour I-PERSON everywhere: the first
  // token must open a span, the last close it.
  constexpr auto S = static_cast<std::size_t>(folio::kTagStates);
  const std::vector<bool> candidate(3, true);
  std::vector<float> scores(3 * S, 0.0F);
  for (std::size_t i = 0; i < 3; ++i) scores[i * S + 2] = 5.0F;  // I-PERSON
  scores[0 * S + 1] = 1.0F;                                      // B-PERSON
  const std::vector<float> transitions((S + 1) * S, 0.0F);
  const auto labels = folio::viterbi(scores, candidate, transitions.data());
  CHECK(labels == std::vector<std::uint8_t>{1, 2, 2});
  CHECK(folio::viterbi_states(scores, candidate, transitions.data()) == std::vector<std::uint8_t>{1, 2, 3});
  const auto spans = folio::spans_of(labels);
  REQUIRE(spans.size() == 1);
  CHECK(spans[0].type == folio::EntityType::person);
  CHECK(spans[0].end - spans[0].begin == 3);
  // A token that is no candidate is O whatever its scores.
  const auto cut = folio::viterbi(scores, {true, false, true}, transitions.data());
  CHECK(cut[1] == 0);
  CHECK(cut[2] != 2);
}

TEST_CASE("BILOU: a name of one word is U-, of several B- I- L-, and none is left open", "[tagger]") {
  // IOB2 "Romano/B-PER Prodi/I-PER met/O Kohl/B-PER in/O New/B-LOC York/I-LOC
  // City/I-LOC": states B-PERSON I... L-PERSON, U-PERSON, B- I- L-LOCATION.
  const std::vector<std::uint8_t> labels{1, 2, 0, 1, 0, 3, 4, 4};
  const std::vector<std::uint8_t> states{1, 3, 0, 4, 0, 5, 6, 7};
  CHECK(folio::states_of(labels) == states);
  CHECK(folio::labels_of(states) == labels);
  // Scores that favour B-PERSON on the last word of a run: in IOB2 a name
  // could end there; in BILOU it cannot end on B-, so a name of one word
  // (U-PERSON) it is, or it goes on into I-/L- when a word follows.
  constexpr auto S = static_cast<std::size_t>(folio::kTagStates);
  std::vector<float> scores(2 * S, 0.0F);
  scores[0 * S + 0] = 1.0F;  // O
  scores[1 * S + 1] = 3.0F;  // B-PERSON
  scores[1 * S + 4] = 2.0F;  // U-PERSON
  const std::vector<float> transitions((S + 1) * S, 0.0F);
  CHECK(folio::viterbi_states(scores, {true, true}, transitions.data()) == std::vector<std::uint8_t>{0, 4});
  // An L- or I- never follows O or the start, whatever its score.
  std::vector<float> late(2 * S, 0.0F);
  late[0 * S + 3] = 9.0F;  // L-PERSON first
  late[1 * S + 7] = 9.0F;  // L-LOCATION after whatever
  const auto got = folio::viterbi_states(late, {true, true}, transitions.data());
  CHECK(got[0] != 3);
  CHECK((got[1] != 7 || got[0] == 5 || got[0] == 6));
}

TEST_CASE("label names round-trip", "[tagger]") {
  for (int l = 0; l < folio::kTagLabels; ++l) CHECK(folio::label_from_name(folio::label_name(l)) == l);
  CHECK(folio::label_from_name("B-geo") == -1);
}

// The conventions of news annotation, each with sentences written for it.
TEST_CASE("conventions: names the lexicon does not know are found", "[tagger][entities]") {
  const auto a =
      paragraph("Officials said Naoki Soma would lead the delegation to the talks. Soma arrived on Friday.");
  CHECK(people(a) == Ids{"naoki-soma"});
  const auto b = paragraph("The aid convoy reached the port town of Kismayo on Sunday, officials said.");
  CHECK(places(b) == Ids{"kismayo"});
}

TEST_CASE("conventions: a team or organisation named like a person is neither", "[tagger][entities]") {
  const auto a = paragraph("The fans of Aston Villa sang for an hour before the kick-off at the stadium.");
  CHECK(people(a).empty());
}

TEST_CASE("conventions: a team named after a city is an organisation, no place", "[tagger][entities]") {
  // A score, a result verb and another team: the cities are clubs.
  const auto derby = paragraph("Liverpool beat Arsenal 2-0 on Saturday to go top of the table.");
  CHECK(places(derby).empty());
  CHECK(people(derby).empty());
  CHECK(orgs(derby).count("liverpool") == 1);
  // A city and a word after it that makes a team ("Sheffield Wednesday").
  const auto draw = paragraph("Sheffield Wednesday drew 1-1 with Leeds United in the cup on Tuesday.");
  CHECK(places(draw).empty());
  CHECK(people(draw).empty());
  CHECK(orgs(draw).count("sheffield-wednesday") == 1);
  // A city's abbreviation before a team's name.
  const auto lakers = paragraph("The LA Lakers won their fifth game in a row, the coach said.");
  CHECK(places(lakers).empty());
  CHECK(people(lakers).empty());
  // The same cities with a place's context stay places.
  CHECK(places(paragraph("She grew up in Liverpool and moved to Sheffield in 1990 to study law.")) ==
        Ids{"liverpool", "sheffield"});
  CHECK(places(paragraph("The fans flew home to Liverpool after the 2-0 win over Arsenal.")) ==
        Ids{"liverpool"});
  // A score alone may be a vote: no sports report, the city stays a place.
  CHECK(places(paragraph("The Seattle court ruled 5-4 on Monday that the law stands.")) == Ids{"seattle"});
}

TEST_CASE("conventions: a dateline city is a place", "[tagger][entities]") {
  const auto a = paragraph("MIAMI, March 3 - The storm hit the coast overnight, officials said.");
  CHECK(places(a) == Ids{"miami"});
  CHECK(people(a).empty());
}

TEST_CASE("conventions: titles are stripped, title words that are names stay", "[tagger][entities]") {
  CHECK(people(paragraph("King Abdullah met the envoy in the capital on Tuesday.")) == Ids{"abdullah"});
  // A title before a city's name: the person, not the city.
  const auto clinton = paragraph("President Clinton said the deal was fair to both sides.");
  CHECK(people(clinton) == Ids{"clinton"});
  CHECK(places(clinton).empty());
  // "Dean" and "King" as name words, when the context says so.
  CHECK(people(paragraph("Dean Wilson, the coach, said the team had played well. Wilson thanked "
                         "the fans.")) == Ids{"dean-wilson"});
  CHECK(people(paragraph("Martin Luther King Jr. spoke to the crowd for an hour.")) ==
        Ids{"martin-luther-king-jr"});
}

TEST_CASE("conventions: text in capitals invents no people", "[tagger][entities]") {
  const auto a = folio::test::full_reader().parse(
      "WORLD NEWS\n\n"
      "THE PRESIDENT SAID ON MONDAY THAT TALKS WITH JAPAN WOULD RESUME NEXT WEEK.\n\n"
      "OFFICIALS FROM BOTH SIDES EXPECT A DEAL BEFORE THE SUMMIT, SAID A SPOKESMAN.\n\n"
      "MARKETS ROSE IN TOKYO AS TRADERS WELCOMED THE NEWS, AND BANKS LED THE GAINS.\n",
      "/tmp/caps.txt");
  CHECK(people(a).empty());
  CHECK(places(a).count("japan") == 1);
}

TEST_CASE("conventions: demonyms and nationalities name no place", "[tagger][entities]") {
  const auto a = paragraph(
      "The Brazilian striker and two Dutch defenders joined the squad, and Kenyan runners won the race.");
  CHECK(places(a).empty());
  CHECK(people(a).empty());
  // The country itself still is one.
  CHECK(places(paragraph("The striker flew home to Brazil after the match.")) == Ids{"brazil"});
}

TEST_CASE("conventions: an initial and a surname are a person", "[tagger][entities]") {
  const auto a = paragraph("The report was written by C. Harris, who led the inquiry for two years.");
  CHECK(people(a) == Ids{"c-harris"});
  CHECK(places(a).empty());
  // An initial alone, or before an ordinary word, is nobody.
  CHECK(people(paragraph("Plan B. The council voted for it on Monday.")).empty());
}

TEST_CASE("conventions: a whole article in capitals invents no people", "[tagger][entities]") {
  const auto a = folio::test::full_reader().parse(
      "STOCKS CLIMB AS BANKS RALLY\n\n"
      "NEW YORK, JUNE 4 - SHARES ON WALL STREET ROSE ON TUESDAY AS BANKS AND CARMAKERS LED A BROAD "
      "RALLY, TRADERS SAID.\n\n"
      "ANALYSTS SAID GENERAL MOTORS AND FORD GAINED AFTER STRONG SALES, WHILE THE FEDERAL RESERVE "
      "KEPT RATES ON HOLD.\n\n"
      "MARKETS IN LONDON AND FRANKFURT FOLLOWED, AND THE DOLLAR WAS STEADY AGAINST THE EURO, DEALERS "
      "SAID.\n",
      "/tmp/caps-article.txt");
  CHECK(people(a).empty());
  CHECK(places(a).count("london") == 1);
}
