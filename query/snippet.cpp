#include "snippet.hpp"

namespace folio::query {
namespace {

// MSet::snippet() escapes its output for HTML; folio prints plain text.
std::string unescape_html(std::string_view s) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&#x27;", '\''}};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (s.compare(i, entity.size(), entity) == 0) {
          out += c;
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += s[i++];
  }
  return out;
}

}  // namespace

Snippet make_snippet(std::string_view marked) {
  Snippet snippet;
  const std::string plain = unescape_html(marked);
  std::size_t start = 0;
  for (char c : plain) {
    if (c == kHighlightStart[0]) {
      start = snippet.text.size();
    } else if (c == kHighlightEnd[0]) {
      snippet.highlights.emplace_back(start, snippet.text.size() - start);
    } else {
      snippet.text += (c == '\n') ? ' ' : c;
    }
  }
  return snippet;
}

// The term prefixes the wildcards of `query` stand for ("Zbalakr"). Xapian
// 1.4 expands wildcards only while matching: neither get_matching_terms()
// nor snippets see the terms they matched, and Query has no accessor for
// the pattern but its description, "Query(WILDCARD SYNONYM Zbalakr)".
void wildcard_patterns(const Xapian::Query& query, std::vector<std::string>& out) {
  if (query.get_type() == Xapian::Query::OP_WILDCARD) {
    const std::string d = query.get_description();
    const std::size_t space = d.rfind(' ');
    if (space != std::string::npos && d.ends_with(')'))
      out.push_back(d.substr(space + 1, d.size() - space - 2));
    return;
  }
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    wildcard_patterns(query.get_subquery(i), out);
  }
}

}  // namespace folio::query
