// Spelling suggestions: "did you mean" for query words the index does not
// have. Private to query/.
#pragma once

#include <xapian.h>

#include <string>

namespace folio::query {

// The query with each plain word that is not in the index replaced by the
// closest word that is, or "" when every word is there or has no
// replacement. Field values (person:..., title:...) and operators are kept.
std::string spelling_suggestion(const Xapian::Database& db, const std::string& query);

}  // namespace folio::query
