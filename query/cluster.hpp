// A search over a cluster index: what Xapian's remote protocol cannot
// carry (folio's facet counter, collapse counts of remote hits, per-hit
// terms, stats, entity counts) asked of each node's folio service, one
// batched request per node and need, the nodes in parallel, the answers
// added up with the local shards' own. Private to query/.
#pragma once

#include <xapian.h>

#include <future>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "copies.hpp"
#include "folio/database.hpp"
#include "folio/node.hpp"
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

// The copy keys of the matches of `query` over the cluster (its local
// shards and every node, one request each). Throws node::NodeError,
// node::ShardChanged.
CopyKeys cluster_copy_keys(const Index& index, const Xapian::Query& query);

// What make_hits needs of each hit beyond its document.
struct HitTerms {
  std::set<std::string> matched;  // the hits' terms among `terms`, and those starting with a pattern
  std::vector<Xapian::doccount> other_sections;  // per hit, with a collapse query
  // Per hit, the document of a node's hit (its data and values, as the node
  // sent them with the terms: no round trip per hit through Xapian's remote
  // backend); nullopt for a local shard's. It has no terms or positions.
  std::vector<std::optional<Xapian::Document>> docs;
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

// What a cluster search asks its nodes before its main match, for them to
// answer while it runs: the facets (search.cpp's FacetCounter: one pass with
// the query, one for each facet counted without its own filter) and whether
// the suggestion's terms are in the index, in one round trip per node, on a
// thread of its own. facets() and known_terms() wait for the answers (and
// throw node::NodeError, node::ShardChanged, as the requests would); no
// other request may go to the nodes until they have. The local shards'
// part is counted by the calling thread (a Xapian::Database is not
// thread-safe). With `copy_query`, the nodes also count the copy keys of its
// matches, in the same request (in the pass of that query if one has it).
class ClusterPrefetch {
 public:
  ClusterPrefetch(const Index& index, const SearchRequest& request, const BuiltQuery& built,
                  std::vector<std::string> terms, const Xapian::Query* copy_query = nullptr);
  ~ClusterPrefetch();
  ClusterPrefetch(const ClusterPrefetch&) = delete;
  ClusterPrefetch& operator=(const ClusterPrefetch&) = delete;

  // Every facet, in the order requested, their values shown named (one
  // request per node for every field).
  std::vector<Facet> facets(NameResolver& resolver);
  // Whether each of the terms is in the cluster.
  const std::map<std::string, bool>& known_terms();
  // The copy keys of the matches of `copy_query` over the cluster (none
  // without one).
  const CopyKeys& copy_keys();

 private:
  struct Answers {
    std::vector<std::vector<std::vector<FacetValue>>> facets;  // of the nodes
    std::vector<Xapian::doccount> termfreqs;                   // of the nodes
    CopyKeys copy_keys;                                        // of the nodes
  };
  void wait();

  const Index& index_;
  const SearchRequest& request_;
  std::vector<FacetPass> passes_;
  std::vector<std::pair<std::size_t, std::size_t>> where_;  // per facet: its pass and spec
  bool count_copies_ = false;
  std::size_t copy_pass_ = 0;  // with count_copies_: the pass whose matches' copy keys count
  std::vector<std::string> terms_;
  std::future<Answers> pending_;
  std::optional<Answers> answers_;
  std::map<std::string, bool> known_;
  // The local shards' counts and copy keys added, once.
  std::vector<std::vector<std::vector<FacetValue>>> counts_;
  CopyKeys copy_keys_;
};

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
// A document's data and values, for a node's answer.
void write_document(node::Writer& w, const Xapian::Document& doc);
Xapian::Document read_document(node::Reader& r);
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
