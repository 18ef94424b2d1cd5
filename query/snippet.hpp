// Snippets of hits: the passage of a section's text that holds the matched
// words best, as plain text with the byte ranges to highlight. Private to
// query/.
#pragma once

#include <xapian.h>

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "folio/search.hpp"

namespace folio::query {

// The longest passage a snippet shows, in bytes of the section text (the
// "…" around it not counted).
inline constexpr std::size_t kSnippetBytes = 240;

// The terms a snippet highlights, as the indexer makes them ("Z" and the
// folded stem: schema.hpp), each with the weight a passage holding it gains.
using TermWeights = std::map<std::string, double>;

// The weights of `terms`: their idf over `docs` documents, from the term
// frequencies the MSet carries for its query's terms (from remote shards
// too, so no database is read; MSet::get_termweight() is not used: through
// remote shards it differs from one local database's). A term that is not
// the query's (the stems a wildcard expanded to) gets the smallest weight
// of the others, or 1 when none has one.
TermWeights term_weights(const Xapian::MSet& mset, Xapian::doccount docs, const std::set<std::string>& terms);

// Makes the snippets of one search's hits from their section texts, reading
// no database. A text is split into words as the indexer's TermGenerator
// splits it (schema::text_stemmer(), STEM_ALL_Z, FLAG_CJK_NGRAM: accents
// folded, CJK text as characters and their pairs); a word, or a pair of CJK
// characters, is highlighted when its term is one of the weighted terms.
// The passage shown is the one of at most `bytes` bytes whose distinct terms
// weigh most; among those, one that starts a sentence, then the one with
// the most matches (next to each other counts more), then one with some
// words of context before its first match. It is cut at words, runs of
// white space are one space, and "…" marks text left out. A text of at most
// `bytes` bytes is shown whole. Not thread-safe: it caches the terms of the
// words it has seen.
class SnippetMaker {
 public:
  explicit SnippetMaker(const TermWeights& weights, std::size_t bytes = kSnippetBytes);

  Snippet operator()(std::string_view text);

  // A word of a text: its bytes [start, end) and the index of its term in
  // the weighted terms (-1: none); for a CJK character, also the term of it
  // and the next character (pair, -1: none).
  struct Word {
    std::size_t start = 0;
    std::size_t end = 0;
    int term = -1;
    int pair = -1;
  };
  // The words of `text` (public for the tests).
  std::vector<Word> words(std::string_view text);

 private:
  int term_of(const std::string& word);

  std::size_t bytes_;
  std::vector<std::string> terms_;
  std::vector<double> weights_;
  std::unordered_map<std::string, int> index_;  // term -> position in terms_
  std::unordered_map<std::string, int> seen_;   // lower-cased word -> term_of()
  std::vector<bool> prefixes_;                  // first two bytes of the stems, for term_of()
  Xapian::Stem stemmer_;
};

// The terms ("Z" and the folded stem) the indexer makes of `text`, in order,
// pairs of CJK characters after their first character: what SnippetMaker
// splits a text into (for the tests, which compare it with TermGenerator).
std::vector<std::string> snippet_terms(std::string_view text);

// Appends the term prefixes the wildcards of `query` stand for
// ("Zbalakr") to `out`.
void wildcard_patterns(const Xapian::Query& query, std::vector<std::string>& out);

}  // namespace folio::query
