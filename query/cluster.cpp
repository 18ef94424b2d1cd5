#include "cluster.hpp"

#include <algorithm>
#include <future>
#include <limits>
#include <map>
#include <mutex>

#include "facets.hpp"
#include "folio/date.hpp"
#include "folio/node.hpp"
#include "snippet.hpp"

namespace folio::query {
namespace {

using Counts = std::vector<std::vector<std::map<std::string, Xapian::doccount>>>;  // [pass][spec]

void add_counts(Counts& sum, const std::vector<std::vector<std::vector<FacetValue>>>& part) {
  for (std::size_t p = 0; p < part.size() && p < sum.size(); ++p) {
    for (std::size_t i = 0; i < part[p].size() && i < sum[p].size(); ++i) {
      for (const FacetValue& v : part[p][i]) sum[p][i][v.value] += v.count;
    }
  }
}

std::vector<node::ShardState> read_states(const Index& index, const IndexNode& node, node::Reader& r) {
  std::vector<node::ShardState> states = r.get_states();
  index.check_unchanged(node, states);
  return states;
}

// The hits of an MSet by the part of the cluster they are in.
struct PartHits {
  std::vector<Xapian::docid> docids;  // in the part
  std::vector<std::size_t> ranks;     // positions in the MSet
};

// The hits of a page with their content keys, and those keys once each.
struct HitCopyKeys {
  std::vector<HitKey> hits;
  std::vector<std::size_t> key_of;  // per hit, its key in `keys` (keys.size(): none)
  std::vector<std::string> keys;
};

// `docs`: per hit, its document if a node sent it (a local shard's is read).
HitCopyKeys hit_copy_keys(const Xapian::MSet& mset,
                          const std::vector<std::optional<Xapian::Document>>& docs) {
  HitCopyKeys out;
  std::map<std::string, std::size_t> seen;
  std::size_t rank = 0;
  for (auto it = mset.begin(); it != mset.end(); ++it, ++rank) {
    const Xapian::Document doc = rank < docs.size() && docs[rank] ? *docs[rank] : it.get_document();
    HitKey hit{doc.get_value(schema::kArticleSlot), doc.get_value(schema::kArticleCopySlot), 0};
    const std::optional<schema::CopyKey> key = schema::parse_copy_key(doc.get_value(schema::kCopySlot));
    if (key) hit.section = key->section;
    if (hit.content_key.empty()) {
      out.key_of.push_back(std::numeric_limits<std::size_t>::max());
    } else {
      const auto [where, added] = seen.emplace(hit.content_key, out.keys.size());
      if (added) out.keys.push_back(hit.content_key);
      out.key_of.push_back(where->second);
    }
    out.hits.push_back(std::move(hit));
  }
  return out;
}

std::vector<std::vector<CopyArticle>> read_copy_articles(node::Reader& r) {
  std::vector<std::vector<CopyArticle>> out(r.get_uint());
  for (std::vector<CopyArticle>& articles : out) {
    articles.resize(r.get_uint());
    for (CopyArticle& a : articles) {
      a.article = r.get_string();
      a.path = r.get_string();
      a.matched.resize(r.get_uint());
      for (std::uint32_t& section : a.matched) section = static_cast<std::uint32_t>(r.get_uint());
    }
  }
  return out;
}

// Per hit, its copies over the cluster: every part (also one without hits on
// the page) finds the articles with the page's content keys, one request
// per node, after the hits' documents (which hold the keys) have come.
std::vector<HitCopies> cluster_hit_copies(const Index& index, const Xapian::MSet& mset,
                                          const std::vector<std::optional<Xapian::Document>>& docs,
                                          const Xapian::Query& match, bool by_article) {
  const HitCopyKeys copy_keys = hit_copy_keys(mset, docs);
  std::vector<std::vector<CopyArticle>> copies(copy_keys.keys.size());
  auto add_copies = [&copies](std::vector<std::vector<CopyArticle>> part) {
    for (std::size_t k = 0; k < part.size() && k < copies.size(); ++k) {
      for (CopyArticle& a : part[k]) copies[k].push_back(std::move(a));
    }
  };
  if (!copy_keys.keys.empty()) {
    for (const Xapian::Database& shard : index.local_shards()) {
      add_copies(copy_articles_of(shard, match, copy_keys.keys));
    }
    node::Writer w;
    w.put_uint(static_cast<std::uint8_t>(node::Request::hits))
        .put_string(std::string())
        .put_strings({})
        .put_strings({})
        .put_uint(0)
        .put_string(match.serialise())
        .put_strings(copy_keys.keys);
    std::mutex mutex;
    index.for_each_node([&](const IndexNode& node) {
      const std::string response = node.service->call(w.data());
      node::Reader r(response);
      read_states(index, node, r);
      r.get_uint();  // no hits asked
      std::vector<std::vector<CopyArticle>> node_copies = read_copy_articles(r);
      const std::lock_guard lock(mutex);
      add_copies(std::move(node_copies));
    });
  }
  std::vector<HitCopies> out;
  for (std::size_t k = 0; k < copy_keys.hits.size(); ++k) {
    const std::size_t key = copy_keys.key_of[k];
    out.push_back(key < copies.size() ? copies_of_hit(copy_keys.hits[k], copies[key], by_article)
                                      : HitCopies{});
  }
  return out;
}

}  // namespace

void write_copy_articles(node::Writer& w, const std::vector<std::vector<CopyArticle>>& copies) {
  w.put_uint(copies.size());
  for (const std::vector<CopyArticle>& articles : copies) {
    w.put_uint(articles.size());
    for (const CopyArticle& a : articles) {
      w.put_string(a.article).put_string(a.path).put_uint(a.matched.size());
      for (const std::uint32_t section : a.matched) w.put_uint(section);
    }
  }
}

std::vector<std::vector<std::vector<FacetValue>>> facet_counts_of(const Xapian::Database& db,
                                                                  const std::vector<FacetPass>& passes,
                                                                  bool by_article, std::size_t copy_pass,
                                                                  CopyKeys* copy_keys) {
  std::vector<std::vector<std::vector<FacetValue>>> out;
  for (std::size_t p = 0; p < passes.size(); ++p) {
    const FacetPass& pass = passes[p];
    FacetSpy spy(pass.specs, by_article);
    CopyKeySpy keys;
    Xapian::Enquire enquire(db);
    enquire.set_time_limit(kSearchTimeLimit);
    enquire.set_query(pass.query);
    enquire.add_matchspy(&spy);
    if (copy_keys != nullptr && p == copy_pass) enquire.add_matchspy(&keys);
    enquire.get_mset(0, 0, db.get_doccount());
    if (copy_keys != nullptr && p == copy_pass) *copy_keys = keys.keys();
    std::vector<std::vector<FacetValue>> counts;
    for (std::size_t i = 0; i < pass.specs.size(); ++i) counts.push_back(spy.counts(i));
    out.push_back(std::move(counts));
  }
  return out;
}

void write_document(node::Writer& w, const Xapian::Document& doc) {
  w.put_string(doc.get_data()).put_uint(doc.values_count());
  for (auto v = doc.values_begin(); v != doc.values_end(); ++v) w.put_uint(v.get_valueno()).put_string(*v);
}

Xapian::Document read_document(node::Reader& r) {
  Xapian::Document doc;
  doc.set_data(r.get_string());
  for (std::uint64_t n = r.get_uint(); n > 0; --n) {
    const auto slot = static_cast<Xapian::valueno>(r.get_uint());
    doc.add_value(slot, r.get_string());
  }
  return doc;
}

DocTerms doc_terms_of(const Xapian::Database& db, Xapian::docid docid, const std::vector<std::string>& terms,
                      const std::vector<std::string>& patterns, const Xapian::Query& collapse) {
  DocTerms out;
  for (const std::string& term : terms) {
    auto t = db.termlist_begin(docid);
    t.skip_to(term);
    if (t != db.termlist_end(docid) && *t == term) out.terms.push_back(term);
  }
  for (const std::string& pattern : patterns) {
    auto t = db.termlist_begin(docid);
    for (t.skip_to(pattern); t != db.termlist_end(docid) && (*t).starts_with(pattern); ++t) {
      out.terms.push_back(*t);
    }
  }
  if (!collapse.empty()) {
    // An article lives whole in one shard: its sections are all here.
    const std::string article =
        db.get_document(docid, Xapian::DOC_ASSUME_VALID).get_value(schema::kArticleSlot);
    Xapian::Enquire enquire(db);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, collapse, Xapian::Query(schema::article_term(article))));
    const Xapian::doccount n = enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
    out.other_sections = n > 0 ? n - 1 : 0;
  }
  return out;
}

std::pair<Xapian::doccount, std::size_t> entity_counts_of(const Xapian::Database& db,
                                                          const std::vector<std::string>& terms) {
  std::set<Xapian::docid> sections;
  std::set<std::string> articles;
  for (const std::string& term : terms) {
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
      if (!sections.insert(*p).second) continue;
      articles.insert(db.get_document(*p, Xapian::DOC_ASSUME_VALID).get_value(schema::kArticleSlot));
    }
  }
  return {static_cast<Xapian::doccount>(sections.size()), articles.size()};
}

namespace {

std::vector<std::vector<std::vector<FacetValue>>> counts_of(const std::vector<FacetPass>& passes,
                                                            const Counts& sum) {
  std::vector<std::vector<std::vector<FacetValue>>> out(passes.size());
  for (std::size_t p = 0; p < passes.size() && p < sum.size(); ++p) {
    for (const auto& counts : sum[p]) {
      std::vector<FacetValue> values;
      for (const auto& [value, count] : counts) values.push_back({value, {}, count});
      out[p].push_back(std::move(values));
    }
  }
  return out;
}

Counts empty_counts(const std::vector<FacetPass>& passes) {
  Counts sum(passes.size());
  for (std::size_t p = 0; p < passes.size(); ++p) sum[p].resize(passes[p].specs.size());
  return sum;
}

// `copy_pass`: the pass whose matches' copy keys the nodes count, + 1 (0: none).
std::string facets_request(const std::vector<FacetPass>& passes, bool by_article, std::size_t copy_pass) {
  node::Writer w;
  w.put_uint(static_cast<std::uint8_t>(node::Request::facets))
      .put_uint(by_article ? 1 : 0)
      .put_uint(passes.size());
  for (const FacetPass& pass : passes) {
    w.put_string(pass.query.serialise()).put_uint(pass.specs.size());
    for (const FacetSpec& spec : pass.specs) {
      w.put_uint(static_cast<std::uint64_t>(spec.field))
          .put_uint(static_cast<std::uint64_t>(spec.granularity));
    }
  }
  w.put_uint(copy_pass);
  return w.take();
}

// With `copy_keys`, the copy keys that follow the counts go there.
std::vector<std::vector<std::vector<FacetValue>>> read_facets(const Index& index, const IndexNode& node,
                                                              const std::vector<FacetPass>& passes,
                                                              const std::string& response,
                                                              CopyKeys* copy_keys) {
  node::Reader r(response);
  read_states(index, node, r);
  std::vector<std::vector<std::vector<FacetValue>>> part(r.get_uint());
  for (std::size_t p = 0; p < part.size() && p < passes.size(); ++p) {
    part[p].resize(passes[p].specs.size());
    for (std::vector<FacetValue>& values : part[p]) {
      values.resize(r.get_uint());
      for (FacetValue& v : values) {
        v.value = r.get_string();
        v.count = static_cast<Xapian::doccount>(r.get_uint());
      }
    }
  }
  if (copy_keys != nullptr) *copy_keys = CopyKeys::read(r);
  return part;
}

std::string termfreqs_request(const std::vector<std::string>& terms) {
  node::Writer w;
  w.put_uint(static_cast<std::uint8_t>(node::Request::termfreqs)).put_strings(terms);
  return w.take();
}

std::vector<Xapian::doccount> read_termfreqs(const Index& index, const IndexNode& node,
                                             const std::string& response) {
  node::Reader r(response);
  read_states(index, node, r);
  std::vector<Xapian::doccount> part(r.get_uint());
  for (Xapian::doccount& f : part) f = static_cast<Xapian::doccount>(r.get_uint());
  return part;
}

}  // namespace

CopyKeys cluster_copy_keys(const Index& index, const Xapian::Query& query) {
  const std::vector<FacetPass> passes{{query, {}}};
  CopyKeys keys;
  for (const Xapian::Database& shard : index.local_shards()) {
    CopyKeys part;
    facet_counts_of(shard, passes, false, 0, &part);
    keys.merge(part);
  }
  const std::string request = facets_request(passes, false, 1);
  std::mutex mutex;
  index.for_each_node([&](const IndexNode& node) {
    CopyKeys part;
    read_facets(index, node, passes, node.service->call(request), &part);
    const std::lock_guard lock(mutex);
    keys.merge(part);
  });
  return keys;
}

ClusterPrefetch::ClusterPrefetch(const Index& index, const SearchRequest& request, const BuiltQuery& built,
                                 std::vector<std::string> terms, const Xapian::Query* copy_query)
    : index_(index), request_(request), count_copies_(copy_query != nullptr), terms_(std::move(terms)) {
  passes_.push_back({built.combined(), {}});
  for (const FacetSpec& spec : request.facets) {
    if (request.disjunctive && built.filters.count(filter_of(spec.field)) != 0) {
      passes_.push_back({built.combined(filter_of(spec.field)), {spec}});
      where_.emplace_back(passes_.size() - 1, 0);
    } else {
      passes_.front().specs.push_back(spec);
      where_.emplace_back(0, passes_.front().specs.size() - 1);
    }
  }
  // The copy keys are counted in the pass of their query: one match for both.
  if (count_copies_) {
    const std::string serialised = copy_query->serialise();
    while (copy_pass_ < passes_.size() && passes_[copy_pass_].query.serialise() != serialised) ++copy_pass_;
    if (copy_pass_ == passes_.size()) passes_.push_back({*copy_query, {}});
  }
  const bool facets = !request.facets.empty() || count_copies_;
  if ((!facets && terms_.empty()) || index.nodes().empty()) return;
  std::vector<std::string> requests;
  if (facets) {
    requests.push_back(facets_request(passes_, request.facet_by_article, count_copies_ ? copy_pass_ + 1 : 0));
  }
  if (!terms_.empty()) requests.push_back(termfreqs_request(terms_));
  pending_ = std::async(std::launch::async, [this, facets, requests = std::move(requests)] {
    Answers answers;
    Counts sum = empty_counts(passes_);
    answers.termfreqs.resize(terms_.size());
    std::mutex mutex;
    index_.for_each_node([&](const IndexNode& node) {
      const std::vector<std::string> responses = node.service->call_all(requests);
      std::size_t next = 0;
      std::vector<std::vector<std::vector<FacetValue>>> counts;
      CopyKeys keys;
      if (facets) {
        counts = read_facets(index_, node, passes_, responses[next++], count_copies_ ? &keys : nullptr);
      }
      std::vector<Xapian::doccount> termfreqs;
      if (!terms_.empty()) termfreqs = read_termfreqs(index_, node, responses[next++]);
      const std::lock_guard lock(mutex);
      add_counts(sum, counts);
      answers.copy_keys.merge(keys);
      for (std::size_t k = 0; k < termfreqs.size() && k < answers.termfreqs.size(); ++k) {
        answers.termfreqs[k] += termfreqs[k];
      }
    });
    answers.facets = counts_of(passes_, sum);
    return answers;
  });
}

ClusterPrefetch::~ClusterPrefetch() {
  // The nodes' answers, or their failure, are not wanted any more.
  if (pending_.valid()) pending_.wait();
}

void ClusterPrefetch::wait() {
  if (answers_) return;
  answers_ = pending_.valid() ? pending_.get() : Answers{};
  std::vector<Xapian::doccount> termfreqs = answers_->termfreqs;
  termfreqs.resize(terms_.size());
  for (const Xapian::Database& shard : index_.local_shards()) {
    for (std::size_t k = 0; k < terms_.size(); ++k) termfreqs[k] += shard.get_termfreq(terms_[k]);
  }
  for (std::size_t k = 0; k < terms_.size(); ++k) known_[terms_[k]] = termfreqs[k] > 0;
  // The local shards' facets and copy keys, in the same matches.
  Counts sum = empty_counts(passes_);
  copy_keys_ = answers_->copy_keys;
  if (!request_.facets.empty() || count_copies_) {
    for (const Xapian::Database& shard : index_.local_shards()) {
      CopyKeys keys;
      add_counts(sum, facet_counts_of(shard, passes_, request_.facet_by_article, copy_pass_,
                                      count_copies_ ? &keys : nullptr));
      copy_keys_.merge(keys);
    }
  }
  add_counts(sum, answers_->facets);
  counts_ = counts_of(passes_, sum);
}

const std::map<std::string, bool>& ClusterPrefetch::known_terms() {
  wait();
  return known_;
}

const CopyKeys& ClusterPrefetch::copy_keys() {
  wait();
  return copy_keys_;
}

std::vector<Facet> ClusterPrefetch::facets(NameResolver& resolver) {
  wait();
  if (request_.facets.empty()) return {};
  auto counts = counts_;
  // The names of the values shown, of every field in one request per node.
  std::vector<std::pair<schema::EntityRecord::Type, std::string>> names;
  for (std::size_t k = 0; k < request_.facets.size(); ++k) {
    const FacetSpec& spec = request_.facets[k];
    const std::optional<schema::Field> registry = schema::info(spec.field).named_by;
    if (!registry) continue;
    std::vector<FacetValue> top = counts[where_[k].first][where_[k].second];
    std::sort(top.begin(), top.end(), [](const FacetValue& a, const FacetValue& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    if (top.size() > spec.limit) top.resize(spec.limit);
    for (const FacetValue& v : top) names.emplace_back(*registry, v.value);
  }
  index_.prefetch_entities(names);
  std::vector<Facet> facets;
  for (std::size_t k = 0; k < request_.facets.size(); ++k) {
    const FacetSpec& spec = request_.facets[k];
    const bool own_filter = where_[k].first != 0;  // counted in a pass without its filter
    facets.push_back(FacetSpy::make_facet(spec, request_.facet_by_article, own_filter,
                                          std::move(counts[where_[k].first][where_[k].second]), resolver));
  }
  return facets;
}

HitTerms cluster_hit_terms(const Index& index, const Xapian::Enquire& enquire, const Xapian::MSet& mset,
                           const Xapian::Query& words, bool by_article, bool dedupe) {
  // Xapian's get_matching_terms: the query's terms a document has.
  const Xapian::Query& match = enquire.get_query();
  const std::set<std::string> query_terms(match.get_unique_terms_begin(), match.get_unique_terms_end());
  std::vector<std::string> terms;
  for (auto t = words.get_unique_terms_begin(); t != words.get_unique_terms_end(); ++t) {
    if (query_terms.count(*t) != 0) terms.push_back(*t);
  }
  std::vector<std::string> patterns;
  wildcard_patterns(words, patterns);
  const Xapian::Query collapse = by_article ? match : Xapian::Query();
  // The nodes' hits' documents come with their terms: Xapian 1.4's remote
  // backend reads a document per round trip (MSet::fetch() does not batch
  // them), a page of ten was ten round trips in a row.
  HitTerms out;
  out.other_sections.resize(mset.size());
  out.docs.resize(mset.size());
  const std::size_t parts = index.parts();
  std::vector<PartHits> by_part(parts);
  std::size_t rank = 0;
  for (auto it = mset.begin(); it != mset.end(); ++it, ++rank) {
    const Xapian::docid d = *it;
    PartHits& part = by_part[(d - 1) % parts];
    part.docids.push_back(static_cast<Xapian::docid>((d - 1) / parts + 1));
    part.ranks.push_back(rank);
  }
  for (std::size_t position = 0; position < parts; ++position) {
    const Xapian::Database* local = index.local_part(position);
    if (local == nullptr) continue;
    const PartHits& part = by_part[position];
    for (std::size_t k = 0; k < part.docids.size(); ++k) {
      DocTerms t = doc_terms_of(*local, part.docids[k], terms, patterns, collapse);
      out.matched.insert(t.terms.begin(), t.terms.end());
      out.other_sections[part.ranks[k]] = t.other_sections;
    }
  }
  const std::string serialised = collapse.empty() ? std::string() : collapse.serialise();
  std::mutex mutex;
  index.for_each_node([&](const IndexNode& node) {
    const PartHits& part = by_part[node.position];
    if (part.docids.empty()) return;
    node::Writer w;
    w.put_uint(static_cast<std::uint8_t>(node::Request::hits))
        .put_string(serialised)
        .put_strings(terms)
        .put_strings(patterns)
        .put_uint(part.docids.size());
    for (Xapian::docid d : part.docids) w.put_uint(d);
    w.put_string(std::string()).put_strings({});  // no content keys yet
    const std::string response = node.service->call(w.data());
    node::Reader r(response);
    read_states(index, node, r);
    const std::uint64_t n = r.get_uint();
    std::vector<std::vector<std::string>> found;
    std::vector<Xapian::doccount> others;
    std::vector<Xapian::Document> docs;
    for (std::uint64_t k = 0; k < n; ++k) {
      found.push_back(r.get_strings());
      others.push_back(static_cast<Xapian::doccount>(r.get_uint()));
      docs.push_back(read_document(r));
    }
    read_copy_articles(r);
    const std::lock_guard lock(mutex);
    for (std::size_t k = 0; k < found.size() && k < part.ranks.size(); ++k) {
      out.matched.insert(found[k].begin(), found[k].end());
      out.other_sections[part.ranks[k]] = others[k];
      out.docs[part.ranks[k]] = std::move(docs[k]);
    }
  });
  if (dedupe) out.copies = cluster_hit_copies(index, mset, out.docs, match, by_article);
  return out;
}

std::vector<Xapian::doccount> cluster_termfreqs(const Index& index, const std::vector<std::string>& terms) {
  std::vector<Xapian::doccount> out(terms.size());
  for (const Xapian::Database& shard : index.local_shards()) {
    for (std::size_t k = 0; k < terms.size(); ++k) out[k] += shard.get_termfreq(terms[k]);
  }
  node::Writer w;
  w.put_uint(static_cast<std::uint8_t>(node::Request::termfreqs)).put_strings(terms);
  std::mutex mutex;
  index.for_each_node([&](const IndexNode& node) {
    const std::string response = node.service->call(w.data());
    node::Reader r(response);
    read_states(index, node, r);
    std::vector<Xapian::doccount> part(r.get_uint());
    for (Xapian::doccount& f : part) f = static_cast<Xapian::doccount>(r.get_uint());
    const std::lock_guard lock(mutex);
    for (std::size_t k = 0; k < part.size() && k < out.size(); ++k) out[k] += part[k];
  });
  return out;
}

std::vector<std::pair<Xapian::doccount, std::size_t>> cluster_entity_counts(
    const Index& index, const std::vector<std::vector<std::string>>& groups) {
  std::vector<std::pair<Xapian::doccount, std::size_t>> out(groups.size());
  for (const Xapian::Database& shard : index.local_shards()) {
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const auto [sections, articles] = entity_counts_of(shard, groups[g]);
      out[g].first += sections;
      out[g].second += articles;
    }
  }
  node::Writer w;
  w.put_uint(static_cast<std::uint8_t>(node::Request::entity_counts)).put_uint(groups.size());
  for (const std::vector<std::string>& group : groups) w.put_strings(group);
  std::mutex mutex;
  index.for_each_node([&](const IndexNode& node) {
    const std::string response = node.service->call(w.data());
    node::Reader r(response);
    read_states(index, node, r);
    const std::uint64_t n = r.get_uint();
    std::vector<std::pair<Xapian::doccount, std::size_t>> part;
    for (std::uint64_t g = 0; g < n; ++g) {
      const auto sections = static_cast<Xapian::doccount>(r.get_uint());
      part.emplace_back(sections, r.get_uint());
    }
    const std::lock_guard lock(mutex);
    for (std::size_t g = 0; g < part.size() && g < out.size(); ++g) {
      out[g].first += part[g].first;
      out[g].second += part[g].second;
    }
  });
  return out;
}

IndexStats cluster_stats(const Index& index) {
  IndexStats stats;
  stats.path = index.dir().string();
  stats.shards = index.shard_count();
  stats.schema_version = schema::kVersion;
  std::string earliest, latest;
  auto add = [&](Xapian::doccount sections, std::size_t articles, std::size_t bad, const std::string& first,
                 const std::string& last, Xapian::doccount undated, std::uintmax_t size) {
    stats.sections += sections;
    stats.articles += articles;
    stats.skipped_files += bad;
    if (!first.empty() && (earliest.empty() || first < earliest)) earliest = first;
    if (last > latest) latest = last;
    stats.undated_sections += undated;
    stats.size_bytes += size;
  };
  for (const Xapian::Database& shard : index.local_shards()) {
    std::string first, last;
    for (auto v = shard.valuestream_begin(schema::kDateSlot); v != shard.valuestream_end(schema::kDateSlot);
         ++v) {
      if (first.empty() || *v < first) first = *v;
      if (*v > last) last = *v;
    }
    std::size_t files = 0, bad = 0;
    const std::string fp(schema::kFileKeyPrefix), bp(schema::kBadFileKeyPrefix);
    for (auto it = shard.metadata_keys_begin(fp); it != shard.metadata_keys_end(fp); ++it) ++files;
    for (auto it = shard.metadata_keys_begin(bp); it != shard.metadata_keys_end(bp); ++it) ++bad;
    add(shard.get_doccount(), files, bad, first, last, shard.get_termfreq(std::string(schema::kUndatedTerm)),
        0);
  }
  // The local indexes' folders are not the cluster's: only what is in it.
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(index.dir(), ec)) {
    if (entry.is_regular_file(ec)) stats.size_bytes += entry.file_size(ec);
  }
  std::mutex mutex;
  index.for_each_node([&](const IndexNode& node) {
    node::Writer w;
    w.put_uint(static_cast<std::uint8_t>(node::Request::stats));
    const std::string response = node.service->call(w.data());
    node::Reader r(response);
    read_states(index, node, r);
    const auto sections = static_cast<Xapian::doccount>(r.get_uint());
    const std::size_t articles = r.get_uint(), bad = r.get_uint();
    const std::string first = r.get_string(), last = r.get_string();
    const auto undated = static_cast<Xapian::doccount>(r.get_uint());
    r.get_uint();  // the node's shards: IndexNode::shards has them
    const std::uintmax_t size = r.get_uint();
    const std::lock_guard lock(mutex);
    add(sections, articles, bad, first, last, undated, size);
  });
  stats.earliest = iso_of_day_key(earliest);
  stats.latest = iso_of_day_key(latest);
  return stats;
}

}  // namespace folio::query
