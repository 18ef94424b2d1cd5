// Building the Xapian query of a search: the user's query string, parsed
// with folio's fields, and the filters, kept apart per field so that
// disjunctive facets can leave one out. Private to query/.
#pragma once

#include <xapian.h>

#include <map>
#include <string>
#include <vector>

#include "folio/search.hpp"
#include "resolve.hpp"

namespace folio::query {

struct BuiltQuery {
  Xapian::Query text;  // the parsed query string, or MatchAll
  // Its ranked form for MatchMode::relaxed and any (ranked.hpp's
  // parse_ranked); empty for MatchMode::all, an empty query, and a
  // relaxed query with explicit operators, which is taken as written.
  Xapian::Query ranked;
  // The filters, by field (date for --since, --until and --undated);
  // disjunctive facets drop one of them.
  std::map<schema::Field, Xapian::Query> filters;
  std::vector<ResolvedFilter> resolved;

  // The text query filtered by every filter except `without`.
  Xapian::Query combined(std::optional<schema::Field> without = std::nullopt) const;
};

// Parses the query string and builds the filters. Throws as search() does.
BuiltQuery build_query(const Xapian::Database& db, const SearchRequest& request, NameResolver& resolver);

// The field whose filter a facet of `field` is filtered by: the field
// itself, or the field that rolls up into it (place, for country).
schema::Field filter_of(schema::Field field);

}  // namespace folio::query
