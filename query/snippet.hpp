// Snippets of hits: a few sentences around the matches, as plain text with
// the byte ranges to highlight. Private to query/.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "folio/search.hpp"

namespace folio::query {

// Marks around the matched words in the text MSet::snippet() returns.
inline constexpr std::string_view kHighlightStart = "\x02";
inline constexpr std::string_view kHighlightEnd = "\x03";
inline constexpr std::size_t kSnippetBytes = 240;

// Turns Xapian's marked-up snippet (kHighlightStart, kHighlightEnd, HTML
// escapes) into plain text plus highlight ranges.
Snippet make_snippet(std::string_view marked);

// Appends the term prefixes the wildcards of `query` stand for
// ("Zbalakr") to `out`.
void wildcard_patterns(const Xapian::Query& query, std::vector<std::string>& out);

}  // namespace folio::query
