// A search over a cluster index: what Xapian's remote protocol cannot
// carry (folio's facet counter, collapse counts of remote hits, per-hit
// terms, stats, entity counts) asked of each node's folio service, one
// batched request per node and need, the nodes in parallel, the answers
// added up with the local shards' own. Private to query/.
#pragma once

#include <xapian.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "copies.hpp"
#include "folio/database.hpp"
#include "folio/search.hpp"
#include "query_builder.hpp"
#include "resolve.hpp"
#include "snippet.hpp"

namespace folio::query {

// One facet pass: a query and the facets counted over its matches.
struct FacetPass {
  Xapian::Query query;
  std::vector<FacetSpec> specs;
};

// The counts of each pass's specs ([pass][spec]), unnamed and unordered,
// summed over the local shards and every node (an article lives whole in
// one shard, so article counts add too). With `copy_keys`, also the copy
// keys of the matches of `copy_query`, in the same request (a pass of its
// own unless a pass has that query): the union of every part's. Throws
// node::NodeError, node::ShardChanged.
std::vector<std::vector<std::vector<FacetValue>>> cluster_facet_counts(const Index& index,
                                                                       std::vector<FacetPass> passes,
                                                                       bool by_article,
                                                                       const Xapian::Query& copy_query = {},
                                                                       CopyKeys* copy_keys = nullptr);

// The copy keys of the matches of `query` over the cluster.
CopyKeys cluster_copy_keys(const Index& index, const Xapian::Query& query);

// What make_hits needs of each hit beyond its document.
struct HitTerms {
  std::set<std::string> matched;  // the hits' terms among `terms`, and those starting with a pattern
  std::vector<Xapian::doccount> other_sections;  // per hit, with a collapse query
  // The weights of the snippets' terms, when several pages share them.
  std::optional<TermWeights> weights = std::nullopt;
  // Per hit, with dedupe: its copies over the cluster (apply_copies()).
  std::vector<HitCopies> copies = {};
};

// As search.cpp's matched_terms(): the user's own `words` that the hits
// matched, and the terms the wildcards of `words` expanded to in them; with
// `by_article`, the other matching sections of each hit's article; with
// `dedupe`, the copies of each hit (as merge_copies() finds them locally),
// from every part of the cluster in the same requests.
HitTerms cluster_hit_terms(const Index& index, const Xapian::Enquire& enquire, const Xapian::MSet& mset,
                           const Xapian::Query& words, bool by_article, bool dedupe = false);

// The facets of a search (search.cpp's FacetCounter) over a cluster: one
// pass with the query, one for each facet counted without its own filter;
// with `copy_keys`, the copy keys of the query's matches too.
std::vector<Facet> cluster_facets(const Index& index, const SearchRequest& request, const BuiltQuery& built,
                                  NameResolver& resolver, CopyKeys* copy_keys = nullptr);

// The same, on one database (a node's, a local shard), as the folio
// service answers them; with `copy_keys`, the copy keys of the matches of
// passes[copy_pass].
std::vector<std::vector<std::vector<FacetValue>>> facet_counts_of(const Xapian::Database& db,
                                                                  const std::vector<FacetPass>& passes,
                                                                  bool by_article, std::size_t copy_pass = 0,
                                                                  CopyKeys* copy_keys = nullptr);
struct DocTerms {
  std::vector<std::string> terms;  // of `terms`, and of the patterns
  Xapian::doccount other_sections = 0;
};
DocTerms doc_terms_of(const Xapian::Database& db, Xapian::docid docid, const std::vector<std::string>& terms,
                      const std::vector<std::string>& patterns, const Xapian::Query& collapse);
// The copies' part of a hits answer (copy_articles_of()'s).
void write_copy_articles(node::Writer& w, const std::vector<std::vector<CopyArticle>>& copies);
std::pair<Xapian::doccount, std::size_t> entity_counts_of(const Xapian::Database& db,
                                                          const std::vector<std::string>& terms);

// Each term's frequency over the whole cluster.
std::vector<Xapian::doccount> cluster_termfreqs(const Index& index, const std::vector<std::string>& terms);

// `folio stats` of a cluster: every node's part added up.
IndexStats cluster_stats(const Index& index);

// Sections and articles that mention any term of each group, over the cluster.
std::vector<std::pair<Xapian::doccount, std::size_t>> cluster_entity_counts(
    const Index& index, const std::vector<std::vector<std::string>>& groups);

}  // namespace folio::query
