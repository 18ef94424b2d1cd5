// Ranked retrieval for plain-language queries: the stopword list, what a
// query looks like (operators, capitals, words), its parts, BM25's
// parameters and RM3 pseudo-relevance feedback. Private to query/.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "folio/search.hpp"

namespace folio::query {

// The stopword list of ranked mode (see ranked.cpp for its source). Never
// applied inside phrases, nor in the strict (every word) query.
const Xapian::Stopper& english_stopper();

// The query has an explicit operator: AND, OR, NOT, XOR, NEAR, ADJ (as
// Xapian reads them, in capitals), a word with + or - in front, or
// brackets. Such a query is taken as written.
bool has_explicit_operators(std::string_view query);

// Every letter of the query is a capital ("WHAT AND WHY"), and it has one.
bool is_all_caps(std::string_view query);

// The words of the query as typed (runs of characters between spaces).
std::size_t count_query_words(std::string_view query);

// The ranked form of `query` with `qp` set up as for the strict one: words
// joined with OR, stopwords dropped outside phrases (Xapian keeps them when
// the query has nothing else); with MatchMode::any, operators in capitals
// are words in an all-caps query. Empty for MatchMode::relaxed when the
// query has explicit operators. Changes `qp`'s default operator and stopper.
Xapian::Query parse_ranked(Xapian::QueryParser& qp, const std::string& query, MatchMode mode, unsigned flags,
                           const std::string& default_prefix);

// The parts of a ranked (OR) query: its words and phrases, each with its
// terms. Wildcards have no terms of their own and are not counted.
std::vector<std::vector<std::string>> query_units(const Xapian::Query& ranked);

// The weighting of ranked mode: BM25 with k1 = 0.9, b = 0.4 (see ranked.cpp).
Xapian::BM25Weight ranked_weight();

// RM3 pseudo-relevance feedback (expand.cpp): the first-pass top sections
// of `original` (within `filter`, unless it is empty) give the terms that
// best describe them.
struct Feedback {
  Xapian::Query original;   // the query, weighted by kOriginalWeight
  Xapian::Query expansion;  // the feedback terms, weighted; empty when none
};
Feedback expand_rm3(const Xapian::Database& db, const Xapian::Query& original, const Xapian::Query& filter);

}  // namespace folio::query
