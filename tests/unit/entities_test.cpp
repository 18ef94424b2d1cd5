#include "folio/entities.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "test_support.hpp"

namespace {

using Ids = std::set<std::string>;

folio::Article annotate(const std::string& text) {
  return folio::test::full_reader().parse(text, "/tmp/article.txt");
}

template <typename Entity>
Ids ids(const std::vector<Entity>& list) {
  Ids out;
  for (const auto& e : list) out.insert(e.id);
  return out;
}

Ids all_people(const folio::Article& a) {
  Ids out;
  for (const auto& s : a.sections) {
    for (const auto& p : s.people) out.insert(p.id);
  }
  return out;
}

Ids all_places(const folio::Article& a) {
  Ids out;
  for (const auto& s : a.sections) {
    for (const auto& p : s.places) out.insert(p.id);
  }
  return out;
}

// One-paragraph article: the first line is the title, not scanned.
folio::Article paragraph(const std::string& text) { return annotate("Title\n\n" + text + "\n"); }

nlohmann::json gold() {
  std::ifstream in(folio::test::kSourceDir / "corpus" / "gold" / "entities.json");
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("fold and slug compare names without case, accents or punctuation", "[entities]") {
  CHECK(folio::fold("Łódź") == "lodz");
  CHECK(folio::fold("Côte d’Ivoire") == "cote divoire");
  CHECK(folio::fold("U.S.-Japanese") == "us japanese");
  CHECK(folio::slug("Zoë Kowalczyk") == "zoe-kowalczyk");
  CHECK(folio::slug("John F. Kennedy") == "john-f-kennedy");
}

TEST_CASE("the sample article has exactly its people, section by section", "[entities][seed]") {
  const folio::Article a =
      folio::test::full_reader().read(folio::test::kSourceDir / "corpus" / "000_01b42376bab70225.txt");
  CHECK(all_people(a) == Ids{"antony-blinken", "joe-biden", "xi-jinping", "qin-gang", "jake-sullivan",
                             "vivian-balakrishnan", "mike-pompeo", "donald-trump"});
  const Ids required_places = {"beijing", "china",       "united-states", "taiwan",
                               "japan",   "south-korea", "philippines",   "tokyo",
                               "bali",    "new-delhi",   "san-francisco", "singapore"};
  const Ids places = all_places(a);
  for (const std::string& p : required_places) {
    INFO(p);
    CHECK(places.count(p) == 1);
  }
  // Section by section against the hand annotations: the same people, and
  // no place that is not a place.
  const auto expected = gold().at("000_01b42376bab70225.txt");
  REQUIRE(expected.size() == a.sections.size());
  for (std::size_t i = 0; i < a.sections.size(); ++i) {
    INFO("section " << i << ": " << a.sections[i].heading);
    const auto& g = expected[i];
    CHECK(ids(a.sections[i].people) == g.at("people").get<Ids>());
    const Ids gold_places = g.at("places").get<Ids>();
    for (const auto& p : a.sections[i].places) {
      INFO(p.id);
      CHECK(gold_places.count(p.id) == 1);
    }
  }
}

TEST_CASE("short mentions belong to the full name of the article", "[entities]") {
  const folio::Article a = annotate(
      "Title\n\nBalakrishnan Speaks\n\nBalakrishnan said little.\n\n"
      "Talks\n\nForeign Minister Vivian Balakrishnan of Singapore met Chinese "
      "President Xi Jinping. Xi’s aides and Balakrishnan’s staff waited.\n");
  REQUIRE(a.sections.size() == 2);
  // The first section only says "Balakrishnan", before the full name.
  CHECK(ids(a.sections[0].people) == Ids{"vivian-balakrishnan"});
  CHECK(ids(a.sections[1].people) == Ids{"vivian-balakrishnan", "xi-jinping"});
  // "Chinese" is a demonym: no place (the convention of news annotation).
  CHECK(ids(a.sections[1].places) == Ids{"singapore"});
  CHECK(a.sections[1].people[0].name == "Vivian Balakrishnan");
}

TEST_CASE("titles are stripped, a titled surname alone is a person", "[entities]") {
  CHECK(all_people(paragraph("Secretary of State Antony Blinken met Prime Minister Fumio "
                             "Kishida and Mr. Reagan.")) == Ids{"antony-blinken", "fumio-kishida", "reagan"});
  CHECK(all_people(paragraph("President Biden spoke. Later, Joe Biden left.")) == Ids{"joe-biden"});
}

TEST_CASE("organisations are not people or places", "[entities]") {
  const folio::Article a =
      paragraph("The White House said Goldman Sachs and Merrill Lynch would advise the bank.");
  CHECK(all_people(a).empty());
  CHECK(all_places(a).empty());
}

TEST_CASE("ambiguous names: context decides", "[entities]") {
  struct Case {
    const char* text;
    Ids people;
    Ids places;
  };
  const Case cases[] = {
      {"It was a nice day for a walk.", {}, {}},
      {"The match was played in Nice on Sunday.", {}, {"nice"}},
      {"Reading the report, she frowned.", {}, {}},
      {"He grew up in Reading, England, near London.", {}, {"reading", "england", "london"}},
      {"Officials in Washington were divided.", {}, {"washington-dc"}},
      {"Farms in the state of Washington were dry.", {}, {"washington-us"}},
      {"Georgia’s government applied to join.", {}, {"georgia"}},
      {"The plant is near Atlanta, Georgia, in the south.", {}, {"atlanta", "georgia-us"}},
      {"Jordan Thompson won the match against a rival from Jordan.", {"jordan-thompson"}, {"jordan"}},
      {"Chad Foster, a UN official, visited refugees in Chad.", {"chad-foster"}, {"chad"}},
      {"Talks on U.S.-Japanese trade covered the Asia-Pacific region.", {}, {"asia-pacific"}},
      {"Officials from the US and the U.K. met us there.", {}, {"united-states", "united-kingdom"}},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const folio::Article a = paragraph(c.text);
    CHECK(all_people(a) == c.people);
    CHECK(all_places(a) == c.places);
  }
}

TEST_CASE("capitals at the start of a sentence or in headings are not names", "[entities]") {
  const folio::Article a = annotate(
      "Title\n\nHope for Future Meetings\n\nWill the talks succeed? Many doubt it.\n\n"
      "CHINA AND JAPAN TALK\n\nMark the date.\n");
  CHECK(all_people(a).empty());
  CHECK(all_places(a) == Ids{"china", "japan"});
}

TEST_CASE("a place knows its kind and country", "[entities]") {
  const folio::Article a = paragraph("She flew from Beijing to Tokyo and on to Bavaria.");
  REQUIRE(a.sections.at(0).places.size() >= 2);
  const folio::Place& beijing = a.sections[0].places[0];
  CHECK(beijing.id == "beijing");
  CHECK(beijing.kind == folio::PlaceKind::city);
  CHECK(beijing.country == "china");
  const folio::Place& tokyo = a.sections[0].places[1];
  CHECK(tokyo.country == "japan");
}

TEST_CASE("people and places match the hand annotations of corpus/ (F1 >= 0.90)", "[entities][gold]") {
  // Micro-averaged over sections, as bench/entities/score.py reports it.
  struct Counts {
    std::size_t tp = 0, fp = 0, fn = 0;
    double f1() const { return 2.0 * static_cast<double>(tp) / static_cast<double>(2 * tp + fp + fn); }
  } people, places;
  const nlohmann::json all = gold();
  for (const auto& [file, sections] : all.items()) {
    const folio::Article a = folio::test::full_reader().read(folio::test::kSourceDir / "corpus" / file);
    for (const auto& g : sections) {
      const auto index = g.at("section").get<int>();
      const auto s = std::find_if(a.sections.begin(), a.sections.end(),
                                  [&](const folio::Section& x) { return x.index == index; });
      REQUIRE(s != a.sections.end());
      auto count = [](Counts& c, const Ids& want, const Ids& have) {
        for (const auto& id : have) (want.count(id) != 0 ? c.tp : c.fp) += 1;
        for (const auto& id : want) c.fn += have.count(id) == 0 ? 1U : 0U;
      };
      count(people, g.at("people").get<Ids>(), ids(s->people));
      count(places, g.at("places").get<Ids>(), ids(s->places));
    }
  }
  CHECK(people.tp + people.fn >= 90);  // the gold set is not trivially small
  CHECK(places.tp + places.fn >= 250);
  CHECK(people.f1() >= 0.90);
  CHECK(places.f1() >= 0.90);
}

namespace {

Ids all_orgs(const folio::Article& a) {
  Ids out;
  for (const auto& s : a.sections) {
    for (const auto& o : s.orgs) out.insert(o.id);
  }
  return out;
}

}  // namespace

TEST_CASE("demonyms and nationalities are not places", "[entities]") {
  struct Case {
    const char* text;
    Ids places;
  };
  const Case cases[] = {
      {"The Dutch forward scored twice against the visitors.", {}},
      {"American officials said the European economy was slowing.", {}},
      {"Americans and Britons queued at the border with Mexico.", {"mexico"}},
      {"Sino-Japanese and U.S.-Japanese ties were discussed in Tokyo.", {"tokyo"}},
      {"The European Union fined a company based in France.", {"france"}},
      {"The U.S. Congress debated the bill.", {"united-states"}},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(all_places(paragraph(c.text)) == c.places);
  }
}

TEST_CASE("organisations are a field of their own", "[entities][org]") {
  // The tagger's organisations, with slug ids and names as written.
  const folio::Article villa = paragraph("On Saturday, Aston Villa beat Everton 2-0 at home.");
  CHECK(all_orgs(villa).count("aston-villa") == 1);
  CHECK(all_people(villa).empty());
  const folio::Article un = paragraph("The United Nations said the talks in Geneva would resume.");
  REQUIRE(all_orgs(un).count("united-nations") == 1);
  CHECK(un.sections[0].orgs.front().name == "United Nations");
  CHECK(all_places(un) == Ids{"geneva"});
  // The lexicon's organisations and names ending in an organisation's
  // suffix are organisations too.
  const folio::Article lexicon =
      paragraph("Analysts at Goldman Sachs said shares of Tokyo Electron Ltd rose.");
  CHECK(all_orgs(lexicon).count("goldman-sachs") == 1);
  CHECK(all_orgs(lexicon).count("tokyo-electron-ltd") == 1);
  CHECK(all_people(lexicon).empty());
  // People and places are not organisations.
  const folio::Article plain = paragraph("Joe Biden flew from Washington to Tokyo on Monday.");
  CHECK(all_orgs(plain).empty());
}
