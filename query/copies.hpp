// The copies of an article (the same title and text in other files) that
// a deduplicated search merged into its hits. Private to query/.
#pragma once

#include <xapian.h>

#include <vector>

#include "folio/search.hpp"

namespace folio::query {

// Fills Hit::copies of each hit with the paths of the other articles with
// its content key (the term kCopyPrefix + kArticleCopySlot's value), and,
// with `by_article`, takes their sections out of Hit::other_sections.
// `collapse_counts[i]`: the collapse count of hits[i] in the match.
void merge_copies(const Xapian::Database& db, std::vector<Hit>& hits,
                  const std::vector<Xapian::doccount>& collapse_counts, bool by_article);

}  // namespace folio::query
