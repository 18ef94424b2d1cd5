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

// Filter fields; disjunctive facets drop one of them.
enum class FilterField { person, place, author, date };

struct BuiltQuery {
  Xapian::Query text;  // the parsed query string, or MatchAll
  std::map<FilterField, Xapian::Query> filters;
  std::vector<ResolvedFilter> resolved;

  // The text query filtered by every filter except `without`.
  Xapian::Query combined(std::optional<FilterField> without = std::nullopt) const;
};

// Parses the query string and builds the filters. Throws as search() does.
BuiltQuery build_query(const Xapian::Database& db, const SearchRequest& request,
                       NameResolver& resolver);

// The filter field a facet field is filtered by.
FilterField filter_of(FacetField field);

}  // namespace folio::query
