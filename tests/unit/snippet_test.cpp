// Snippets: the words split as the indexer splits them, highlights, the
// passage chosen, "…" where text is left out.
#include <catch2/catch.hpp>

#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "folio/schema.hpp"
#include "snippet.hpp"

namespace fs = std::filesystem;
using folio::Snippet;
using folio::query::SnippetMaker;
using folio::query::TermWeights;

namespace {

// The terms the indexer's TermGenerator makes of `text` (indexer/document.cpp).
std::set<std::string> indexed_terms(const std::string& text) {
  Xapian::TermGenerator tg;
  tg.set_stemmer(folio::schema::text_stemmer());
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
  tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  Xapian::Document doc;
  tg.set_document(doc);
  tg.index_text(text);
  return {doc.termlist_begin(), doc.termlist_end()};
}

std::vector<std::string> highlighted(const Snippet& s) {
  std::vector<std::string> out;
  for (const auto& [start, length] : s.highlights) out.push_back(s.text.substr(start, length));
  return out;
}

Snippet snippet(const TermWeights& weights, const std::string& text) { return SnippetMaker(weights)(text); }

std::string strip_ellipses(std::string s) {
  const std::string dots = "…";
  if (s.starts_with(dots)) s.erase(0, dots.size());
  if (s.ends_with(dots)) s.erase(s.size() - dots.size());
  return s;
}

}  // namespace

TEST_CASE("snippets split text into the terms the indexer makes", "[snippet]") {
  const std::vector<std::string> texts = {
      "Oil prices rose 3.5% to $1,000.25 on Monday; the U.S. and the U.K. disagreed.",
      "Zürich, Zurich and ZÜRICH; São Paulo's mayor met Ångström's heirs.",
      "C++ and C# programmers ate fish+chips at AT&T's canteen (o'clock, don’t).",
      "他在北京会见了美国国务卿。東京では、서울에서 talks went on: abc北京def.",
      "Words\u200Bwith zero\u200Cwidth joiners, an_underscore, MiXeD CaSe, P.T.O and I.B.M.",
      "dying lying tying skies ugly early only gently news atlas lies tied flies",
  };
  for (const std::string& text : texts) {
    INFO(text);
    const std::vector<std::string> terms = folio::query::snippet_terms(text);
    CHECK(std::set<std::string>(terms.begin(), terms.end()) == indexed_terms(text));
  }
}

TEST_CASE("snippets find every word's term, in every article of corpus/", "[snippet]") {
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(FOLIO_SOURCE_DIR) / "corpus")) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path());
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    INFO(entry.path());
    const std::set<std::string> indexed = indexed_terms(text);
    const std::vector<std::string> split = folio::query::snippet_terms(text);
    CHECK(std::set<std::string>(split.begin(), split.end()) == indexed);
    // SnippetMaker skips words by their first bytes before stemming them:
    // given every term, it must still find each one.
    TermWeights all;
    for (const std::string& t : indexed) all[t] = 1;
    SnippetMaker maker(all);
    std::set<std::string> found;
    for (const SnippetMaker::Word& w : maker.words(text)) {
      for (const int t : {w.term, w.pair}) {
        if (t >= 0) found.insert(std::next(all.begin(), t)->first);
      }
    }
    CHECK(found == indexed);
    ++files;
  }
  CHECK(files >= 5);
}

TEST_CASE("snippets highlight the words whose terms matched", "[snippet]") {
  const Snippet s = snippet({{"Zoil", 2.0}}, "Oil prices rose. The oil minister spoke of oily rags.");
  CHECK(s.text == "Oil prices rose. The oil minister spoke of oily rags.");
  CHECK(highlighted(s) == std::vector<std::string>{"Oil", "oil"});
  // Every word of a phrase, however written.
  const Snippet p = snippet({{"Zcore", 1.0}, {"Zconcern", 1.0}},
                            "Qin urged respect for Beijing’s “core concerns,” particularly Taiwan.");
  CHECK(highlighted(p) == std::vector<std::string>{"core", "concerns"});
  // A possessive is its word: "Beijing’s" is indexed as "beijing".
  CHECK(highlighted(snippet({{"Zbeij", 1.0}}, "Beijing’s view")) == std::vector<std::string>{"Beijing’s"});
  CHECK(highlighted(snippet({{"Zus", 1.0}}, "The U.S. said")) == std::vector<std::string>{"U.S."});
}

TEST_CASE("snippets fold accents as the index does", "[snippet]") {
  const Snippet s = snippet({{"Zzurich", 1.0}}, "Banks in Zürich and Zurich; ZÜRICH too.");
  CHECK(highlighted(s) == std::vector<std::string>{"Zürich", "Zurich", "ZÜRICH"});
}

TEST_CASE("snippets highlight CJK words as one range", "[snippet]") {
  const Snippet s = snippet({{"Z北", 1.0}, {"Z京", 1.0}, {"Z北京", 3.0}}, "他在北京会见了美国国务卿。");
  CHECK(highlighted(s) == std::vector<std::string>{"北京"});
  // A pair alone (a phrase's bigram) highlights both its characters.
  CHECK(highlighted(snippet({{"Z会见", 1.0}}, "他在北京会见了")) == std::vector<std::string>{"会见"});
}

TEST_CASE("snippets show the passage with the most distinct terms, from a sentence start", "[snippet]") {
  std::string text;
  for (int i = 0; i < 8; ++i)
    text += "Nothing of note happened in the markets on that quiet day of trading. ";
  const std::string oil_only = "The oil traders said oil was cheap, oil was plenty, and oil would stay. ";
  const std::string both = "In Vienna the cartel said oil output would fall as prices climbed again. ";
  text += oil_only;
  for (int i = 0; i < 6; ++i)
    text += "Nothing of note happened in the markets on that quiet day of trading. ";
  text += both;
  for (int i = 0; i < 6; ++i)
    text += "Nothing of note happened in the markets on that quiet day of trading. ";
  const Snippet s = snippet({{"Zoil", 1.0}, {"Zprice", 1.0}}, text);
  INFO(s.text);
  // Both terms beat one term four times; the passage starts at its sentence.
  CHECK(s.text.starts_with("In Vienna the cartel"));
  CHECK(highlighted(s) == std::vector<std::string>{"oil", "prices"});
  CHECK(s.text.ends_with("…"));
  CHECK(strip_ellipses(s.text).size() <= folio::query::kSnippetBytes);
  // Cut at words: what is shown is a run of whole words of the text.
  const std::string shown = strip_ellipses(s.text);
  CHECK(text.find(shown) != std::string::npos);
  const std::size_t at = text.find(shown) + shown.size();
  CHECK((text[at] == ' ' || text[at] == '.'));
}

TEST_CASE("snippets start mid-sentence with some context when the sentence is too long", "[snippet]") {
  std::string text = "It was";
  for (int i = 0; i < 40; ++i) text += " a long and winding";
  text += " road to the summit in Geneva, where";
  for (int i = 0; i < 40; ++i) text += " nothing";
  text += " happened.";
  const Snippet s = snippet({{"Zgeneva", 1.0}}, text);
  INFO(s.text);
  CHECK(s.text.starts_with("…"));
  CHECK(s.text.ends_with("…"));
  REQUIRE(highlighted(s) == std::vector<std::string>{"Geneva"});
  // Context before the match, and after it.
  CHECK(s.highlights[0].first > 30);
  CHECK(s.highlights[0].first < 120);
  CHECK(s.text.find("  ") == std::string::npos);
}

TEST_CASE("snippets without a match show the start of the text", "[snippet]") {
  std::string text = "First sentence here.\n\nSecond   one there.";
  for (int i = 0; i < 30; ++i) text += " More words follow.";
  const Snippet s = snippet({{"Zabsent", 1.0}}, text);
  CHECK(s.text.starts_with("First sentence here. Second one there. More"));
  CHECK(s.highlights.empty());
  CHECK(snippet({}, "Short text.").text == "Short text.");
  CHECK(snippet({}, "").text.empty());
}

TEST_CASE("term weights come from the MSet, a term it has none for gets the smallest", "[snippet]") {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (const char* text : {"oil prices", "oil", "prices rose", "gold"}) {
    Xapian::Document doc;
    Xapian::TermGenerator tg;
    tg.set_stemmer(folio::schema::text_stemmer());
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
    tg.set_document(doc);
    tg.index_text(text);
    db.add_document(doc);
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("Zoil"), Xapian::Query("Zgold")));
  const Xapian::MSet mset = enquire.get_mset(0, 10);
  const TermWeights w = folio::query::term_weights(mset, db.get_doccount(), {"Zoil", "Zgold", "Zprice"});
  CHECK(w.at("Zgold") > w.at("Zoil"));  // the rarer term weighs more
  CHECK(w.at("Zprice") == w.at("Zoil"));
}
