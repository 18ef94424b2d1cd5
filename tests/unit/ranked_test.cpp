// Plain-language queries: relaxed matching, --all, --any, the stopword
// list, operators as written, the query word cap.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <cctype>
#include <set>

#include "folio/database.hpp"
#include "folio/error.hpp"
#include "folio/ingest.hpp"
#include "folio/search.hpp"
#include "ranked.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using folio::MatchMode;

namespace {

// The shared corpus/ index of these tests (test_support.hpp).
folio::Index corpus_index() { return folio::test::CorpusIndex::get(folio::test::plain_reader()).index(); }

folio::SearchResults run(const std::string& query, MatchMode mode, unsigned limit = 10, unsigned offset = 0) {
  folio::SearchRequest request;
  request.query = query;
  request.mode = mode;
  request.limit = limit;
  request.offset = offset;
  return folio::search(corpus_index(), request);
}

std::vector<std::string> ids(const folio::SearchResults& r) {
  std::vector<std::string> out;
  for (const folio::Hit& hit : r.hits) out.push_back(hit.id);
  return out;
}

std::string terms_of(const Xapian::Query& q) {
  std::string out;
  for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t) out += *t + " ";
  return out;
}

Xapian::Query parse(const std::string& query, MatchMode mode) {
  Xapian::QueryParser qp;
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
  return folio::query::parse_ranked(
      qp, query, mode, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PURE_NOT, "Z");
}

}  // namespace

TEST_CASE("explicit operators are recognised outside phrases only", "[ranked]") {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"effects of the balloon incident", false},
      {"balloon AND china", true},
      {"balloon OR china", true},
      {"balloon NOT china", true},
      {"balloon NEAR china", true},
      {"balloon -china", true},
      {"+balloon china", true},
      {"(balloon china) talks", true},
      {"balloon and or not china", false},  // lower case: words
      {"state-of-the-art chips", false},    // a hyphen inside a word
      {"\"war AND peace\" novel", false},   // inside a phrase
      {"\"a phrase\" -word", true},
  };
  for (const auto& [query, expected] : cases) {
    INFO(query);
    CHECK(folio::query::has_explicit_operators(query) == expected);
  }
}

TEST_CASE("all-caps queries, word counts and the stopword list", "[ranked]") {
  CHECK(folio::query::is_all_caps("WHAT AND WHY"));
  CHECK(folio::query::is_all_caps("NATO 2023"));
  CHECK_FALSE(folio::query::is_all_caps("What AND why"));
  CHECK_FALSE(folio::query::is_all_caps("2023"));
  CHECK(folio::query::count_query_words("") == 0);
  CHECK(folio::query::count_query_words("  one  two\tthree ") == 3);
  const Xapian::Stopper& stop = folio::query::english_stopper();
  for (const char* w : {"the", "of", "with", "what", "and"}) CHECK(stop(w));
  for (const char* w : {"balloon", "china", "talks", "oil"}) CHECK_FALSE(stop(w));
}

TEST_CASE("the ranked form: OR, stopwords out except in phrases, operators as written", "[ranked]") {
  const Xapian::Query words = parse("effects of the balloon incident", MatchMode::relaxed);
  CHECK(words.get_type() == Xapian::Query::OP_OR);
  CHECK(terms_of(words) == "Zballoon Zeffect Zincid ");
  // A phrase keeps its stopwords.
  CHECK(terms_of(parse("\"the effects of\" balloon", MatchMode::relaxed)) == "Zballoon Zeffect Zof Zthe ");
  // Operators: taken as written, so not relaxed; --any reads them.
  CHECK(parse("balloon AND china talks", MatchMode::relaxed).empty());
  CHECK_FALSE(parse("balloon AND china talks", MatchMode::any).empty());
  CHECK(parse("balloon china", MatchMode::all).empty());
  // In an all-caps query, --any reads AND as a word (all stopwords here,
  // which Xapian then keeps); the other modes as an operator.
  const Xapian::Query caps = parse("WHAT AND WHY", MatchMode::any);
  CHECK(caps.get_type() == Xapian::Query::OP_OR);
  CHECK(terms_of(caps) == "Zand Zwhat Zwhi ");
  CHECK(parse("WHAT AND WHY", MatchMode::relaxed).empty());
  CHECK(folio::query::query_units(parse("\"spy balloon\" incident talks", MatchMode::any)).size() == 3);
}

TEST_CASE("relaxed: the sections with every word first, then those with most of them", "[ranked]") {
  const std::string query = "Blinken visit Beijing balloon";
  const folio::SearchResults strict = run(query, MatchMode::all, 50);
  const folio::SearchResults relaxed = run(query, MatchMode::relaxed, 50);
  REQUIRE(strict.total >= 1);
  REQUIRE(strict.total < 50);
  CHECK_FALSE(strict.relaxed);
  CHECK(strict.relaxed_total == 0);
  CHECK(strict.hits.size() == strict.total);
  // Exactly today's strict hits, in today's order, then the relaxed ones.
  CHECK(relaxed.total == strict.total);
  REQUIRE(relaxed.relaxed);
  CHECK(relaxed.relaxed_total > 0);
  REQUIRE(relaxed.hits.size() > strict.hits.size());
  std::vector<std::string> first = ids(relaxed);
  first.resize(strict.total);
  CHECK(first == ids(strict));
  std::set<std::string> seen;
  for (std::size_t i = 0; i < relaxed.hits.size(); ++i) {
    const folio::Hit& hit = relaxed.hits[i];
    CHECK(hit.rank == i + 1);
    CHECK(hit.all_words == (i < strict.total));
    CHECK(seen.insert(hit.id).second);  // no section twice
  }
  CHECK(relaxed.hits.size() == std::min<std::size_t>(50, relaxed.total + relaxed.relaxed_total));
}

TEST_CASE("relaxed: pages continue across the two tiers", "[ranked]") {
  const std::string query = "Blinken visit Beijing balloon";
  const folio::SearchResults all = run(query, MatchMode::relaxed, 8);
  REQUIRE(all.hits.size() == 8);
  const folio::SearchResults page2 = run(query, MatchMode::relaxed, 4, 4);
  REQUIRE(page2.hits.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(page2.hits[i].id == all.hits[i + 4].id);
    CHECK(page2.hits[i].rank == all.hits[i + 4].rank);
  }
}

TEST_CASE("relaxed: a query with no section of every word still finds some", "[ranked]") {
  const folio::SearchResults r =
      run("effects of the balloon incident on talks with china", MatchMode::relaxed);
  CHECK(r.total == 0);
  CHECK(r.relaxed_total > 0);
  REQUIRE_FALSE(r.hits.empty());
  for (const folio::Hit& hit : r.hits) CHECK_FALSE(hit.all_words);
  CHECK(run("effects of the balloon incident on talks with china", MatchMode::all).hits.empty());
}

TEST_CASE("relaxed: not for two words, operators, or a full page", "[ranked]") {
  // Two words (stopwords aside): strict only.
  CHECK_FALSE(run("the balloon and the incident", MatchMode::relaxed).relaxed);
  // Explicit operators: taken as written.
  const folio::SearchResults ops = run("Blinken AND visit Beijing balloon", MatchMode::relaxed, 50);
  CHECK_FALSE(ops.relaxed);
  CHECK(ops.total == run("Blinken visit Beijing balloon", MatchMode::all).total);
  // The strict hits fill the page: nothing relaxed is added.
  const folio::SearchResults full = run("Blinken visit Beijing balloon", MatchMode::relaxed, 1);
  CHECK(full.hits.size() == 1);
  CHECK_FALSE(full.relaxed);
}

TEST_CASE("any mode ranks every section with any word, all_words says which have them all", "[ranked]") {
  const std::string query = "Blinken visit Beijing balloon";
  const folio::SearchResults any = run(query, MatchMode::any, 100);
  const folio::SearchResults strict = run(query, MatchMode::all, 100);
  CHECK(any.total > strict.total);
  std::set<std::string> strict_ids;
  for (const std::string& id : ids(strict)) strict_ids.insert(id);
  std::size_t with_all = 0;
  for (const folio::Hit& hit : any.hits) {
    INFO(hit.id);
    CHECK(hit.all_words == (strict_ids.count(hit.id) != 0));
    with_all += hit.all_words ? 1 : 0;
  }
  CHECK(with_all == strict.total);
}

TEST_CASE("any mode highlights the user's words, not the feedback terms", "[ranked]") {
  const std::string query = "balloon incident talks";
  const std::set<std::string> stems = {"balloon", "incid", "talk"};
  const Xapian::Stem stem("english");
  const folio::SearchResults r = run(query, MatchMode::any, 20);
  REQUIRE_FALSE(r.hits.empty());
  std::size_t highlighted = 0;
  for (const folio::Hit& hit : r.hits) {
    for (const auto& [start, length] : hit.snippet.highlights) {
      std::string word = hit.snippet.text.substr(start, length);
      for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      INFO(word);
      CHECK(stems.count(stem(word)) == 1);
      ++highlighted;
    }
  }
  CHECK(highlighted > 0);
}

TEST_CASE("a query of more than kMaxQueryWords words is refused", "[ranked]") {
  std::string at_cap, over;
  for (std::size_t i = 0; i < folio::kMaxQueryWords; ++i) at_cap += fmt::format("w{} ", i);
  over = at_cap + "balloon";
  CHECK_THROWS_WITH(run(over, MatchMode::relaxed), Catch::Matchers::Contains("at most 1000"));
  CHECK_THROWS_AS(run(over, MatchMode::any), folio::Error);
  // At the cap, it runs, in every mode.
  for (MatchMode mode : {MatchMode::all, MatchMode::relaxed, MatchMode::any}) {
    const folio::SearchResults r = run(at_cap + "", mode);
    CHECK_FALSE(r.time_limited);  // a small index: the limit is far
  }
}

TEST_CASE("RM3 feedback adds body stems of the top sections, never stopwords", "[ranked]") {
  const folio::Index index = corpus_index();
  const Xapian::Query original(Xapian::Query::OP_OR, Xapian::Query("Zballoon"), Xapian::Query("Zincid"));
  const folio::query::Feedback feedback = folio::query::expand_rm3(index.db(), original, Xapian::Query());
  REQUIRE_FALSE(feedback.expansion.empty());
  std::size_t added = 0;
  for (auto t = feedback.expansion.get_unique_terms_begin(); t != feedback.expansion.get_unique_terms_end();
       ++t) {
    const std::string term = *t;
    INFO(term);
    REQUIRE(term.size() > 1);
    CHECK(term[0] == 'Z');
    CHECK(std::islower(static_cast<unsigned char>(term[1])) +
              std::isdigit(static_cast<unsigned char>(term[1])) !=
          0);
    CHECK_FALSE(folio::query::english_stopper()(term.substr(1)));
    ++added;
  }
  CHECK(added <= 10);
  // The balloon sections are about it: the word itself is among the terms.
  CHECK_THAT(terms_of(feedback.expansion), Catch::Matchers::Contains("Zballoon "));
  // Nothing matches: nothing to add.
  const Xapian::Query nothing("Zzzyzxq");
  CHECK(folio::query::expand_rm3(index.db(), nothing, Xapian::Query()).expansion.empty());
  // Within a filter that nothing passes, neither.
  CHECK(folio::query::expand_rm3(index.db(), original, Xapian::Query("XPno-such-person")).expansion.empty());
}
