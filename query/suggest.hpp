// Spelling suggestions: "did you mean" for query words the index does not
// have. Private to query/.
#pragma once

#include <xapian.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace folio::query {

// The query with each plain word that is not in the index replaced by the
// closest word that is, or "" when every word is there or has no
// replacement. Field values (person:..., title:...) and operators are kept.
// `known`: whether some terms are in the index, already looked up (a
// cluster asks its nodes for suggestion_terms() in one request each, not
// one round trip per word and node); the others are looked up in `db`.
// `termfreqs`: the frequencies of a batch of terms (the candidates of one
// word), for an index whose per-term lookups are round trips (a cluster's
// nodes); empty: looked up in `db` one by one.
using TermFreqs = std::function<std::vector<Xapian::doccount>(const std::vector<std::string>&)>;
std::string spelling_suggestion(const Xapian::Database& db, const std::string& query,
                                const std::map<std::string, bool>* known = nullptr,
                                const TermFreqs& termfreqs = {});

// The terms spelling_suggestion() looks up for every query, one per word it
// could replace (the word's stem under its field's prefix).
std::vector<std::string> suggestion_terms(const std::string& query);

}  // namespace folio::query
