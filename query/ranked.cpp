#include "ranked.hpp"

#include <array>
#include <cctype>

namespace folio::query {
namespace {

// The English stopword list of NLTK's stopwords corpus in its original
// 127-word form (nltk_data corpora/stopwords/english before the 2017
// additions of contraction fragments), a list in wide use for English
// retrieval. Lower case: query words are lower-cased before they are
// stopped.
constexpr std::array<std::string_view, 127> kEnglishStopwords = {
    "a",       "about",   "above",      "after",  "again",     "against",  "all",       "am",   "an",
    "and",     "any",     "are",        "as",     "at",        "be",       "because",   "been", "before",
    "being",   "below",   "between",    "both",   "but",       "by",       "can",       "did",  "do",
    "does",    "doing",   "down",       "during", "each",      "few",      "for",       "from", "further",
    "had",     "has",     "have",       "having", "he",        "her",      "here",      "hers", "herself",
    "him",     "himself", "his",        "how",    "i",         "if",       "in",        "into", "is",
    "it",      "its",     "itself",     "just",   "me",        "more",     "most",      "my",   "myself",
    "no",      "nor",     "not",        "now",    "of",        "off",      "on",        "once", "only",
    "or",      "other",   "our",        "ours",   "ourselves", "out",      "over",      "own",  "same",
    "she",     "should",  "so",         "some",   "such",      "than",     "that",      "the",  "their",
    "theirs",  "them",    "themselves", "then",   "there",     "these",    "they",      "this", "those",
    "through", "to",      "too",        "under",  "until",     "up",       "very",      "was",  "we",
    "were",    "what",    "when",       "where",  "which",     "while",    "who",       "whom", "why",
    "will",    "with",    "you",        "your",   "yours",     "yourself", "yourselves"};

bool is_operator_word(std::string_view word) {
  for (std::string_view op : {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"}) {
    if (word == op) return true;
  }
  // NEAR/5, ADJ/3
  return word.starts_with("NEAR/") || word.starts_with("ADJ/");
}

void collect_units(const Xapian::Query& q, std::vector<std::vector<std::string>>& units) {
  switch (q.get_type()) {
    case Xapian::Query::OP_OR:
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) collect_units(q.get_subquery(i), units);
      return;
    // The first subquery is what ranks; the rest filter or exclude.
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
      if (q.get_num_subqueries() > 0) collect_units(q.get_subquery(0), units);
      return;
    case Xapian::Query::OP_WILDCARD:
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return;
    default: {
      std::vector<std::string> terms(q.get_unique_terms_begin(), q.get_unique_terms_end());
      if (!terms.empty()) units.push_back(std::move(terms));
    }
  }
}

}  // namespace

const Xapian::Stopper& english_stopper() {
  static const Xapian::SimpleStopper* const stopper = [] {
    auto* s = new Xapian::SimpleStopper;  // never freed: used until exit
    for (std::string_view w : kEnglishStopwords) s->add(std::string(w));
    return s;
  }();
  return *stopper;
}

bool has_explicit_operators(std::string_view query) {
  bool in_phrase = false;
  std::size_t i = 0;
  while (i < query.size()) {
    if (query[i] == ' ') {
      ++i;
      continue;
    }
    std::size_t end = query.find(' ', i);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view word = query.substr(i, end - i);
    if (!in_phrase) {
      if (word[0] == '+' || word[0] == '-' || word[0] == '(' || word.back() == ')') return true;
      if (is_operator_word(word)) return true;
    }
    for (char c : word) {
      if (c == '"') in_phrase = !in_phrase;
    }
    i = end;
  }
  return false;
}

bool is_all_caps(std::string_view query) {
  bool letter = false;
  for (char c : query) {
    const auto u = static_cast<unsigned char>(c);
    if (std::islower(u)) return false;
    if (std::isupper(u)) letter = true;
  }
  return letter;
}

std::size_t count_query_words(std::string_view query) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : query) {
    const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

Xapian::Query parse_ranked(Xapian::QueryParser& qp, const std::string& query, MatchMode mode, unsigned flags,
                           const std::string& default_prefix) {
  if (mode == MatchMode::all) return {};
  if (mode == MatchMode::relaxed && has_explicit_operators(query)) return {};
  if (mode == MatchMode::any && is_all_caps(query)) flags &= ~unsigned{Xapian::QueryParser::FLAG_BOOLEAN};
  qp.set_stopper(&english_stopper());
  qp.set_default_op(Xapian::Query::OP_OR);
  return qp.parse_query(query, flags, default_prefix);
}

std::vector<std::vector<std::string>> query_units(const Xapian::Query& ranked) {
  std::vector<std::vector<std::string>> units;
  collect_units(ranked, units);
  return units;
}

// BM25 with k1 = 0.9 and b = 0.4: the defaults of Anserini (Lin et al.,
// "Anserini: Reproducible Ranking Baselines Using Lucene", 2017/2018),
// chosen on TREC collections, not on the bench's. Xapian's defaults
// (k1 = 1, b = 0.5) stay for the strict query, whose ranking is unchanged.
Xapian::BM25Weight ranked_weight() { return Xapian::BM25Weight(0.9, 0, 1, 0.4, 0.5); }

}  // namespace folio::query
