// search(): the steps of one search, from the request to ranked hits with
// snippets, filters and facet counts.
#include "folio/search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <utility>

#include "cluster.hpp"
#include "copies.hpp"
#include "facets.hpp"
#include "folio/error.hpp"
#include "histogram.hpp"
#include "query_builder.hpp"
#include "ranked.hpp"
#include "resolve.hpp"
#include "snippet.hpp"
#include "suggest.hpp"

namespace folio {
namespace {

// A facet of the same field twice would count it twice and print it twice
// under one JSON key.
void check_facets(const std::vector<FacetSpec>& facets) {
  for (std::size_t i = 0; i < facets.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (facets[j].field == facets[i].field) {
        throw Error(fmt::format("facet '{}' is given twice: one per field", to_string(facets[i].field)));
      }
    }
  }
}

// More words than kMaxQueryWords or bytes than kMaxQueryBytes: refused
// before anything is parsed.
void check_length(const std::string& query) {
  const std::size_t words = query::count_query_words(query);
  if (words > kMaxQueryWords) {
    throw Error(fmt::format("the query has {} words: at most {} are searched for; shorten it", words,
                            kMaxQueryWords));
  }
  if (query.size() > kMaxQueryBytes) {
    throw Error(fmt::format("the query is {} bytes long: at most {} are searched for; shorten it",
                            query.size(), kMaxQueryBytes));
  }
}

// The sort key of --sort date: the date, and for an undated section a key
// after every date, so that it comes last (as it does with -date).
class UndatedLast : public Xapian::KeyMaker {
 public:
  std::string operator()(const Xapian::Document& doc) const override {
    std::string date = doc.get_value(schema::kDateSlot);
    return date.empty() ? std::string("~") : date;
  }
};

Xapian::Enquire make_enquire(const Index& index, const Xapian::Query& query, const SearchRequest& request) {
  Xapian::Enquire enquire(index.db());
  enquire.set_query(query);
  enquire.set_time_limit(request.time_limit);
  // One hit per article (and its copies, with dedupe). The copies of a
  // section are merged by CopyMerger instead.
  if (request.by_article) {
    enquire.set_collapse_key(request.dedupe ? schema::kArticleCopySlot : schema::kArticleSlot);
  }
  if (request.sort == SortOrder::date && index.is_cluster()) {
    // Xapian's remote backend takes no KeyMaker: see undated_last().
    enquire.set_sort_by_value_then_relevance(schema::kDateSlot, false);
  } else if (request.sort == SortOrder::date) {
    enquire.set_sort_by_key_then_relevance((new UndatedLast)->release(), false);
  } else if (request.sort == SortOrder::date_descending) {
    // An undated section has no value, the lowest key: last when reversed.
    enquire.set_sort_by_value_then_relevance(schema::kDateSlot, true);
  }
  return enquire;
}

// Facets are counted by a match spy over every match. Those it can, it
// counts in the main match (attach() before it, then results()); a facet of
// a field that is filtered on, when disjunctive, needs its own pass without
// that filter, and all facets need one when hits are collapsed by article.
class FacetCounter {
 public:
  // `cluster`: a cluster's nodes count their facets in passes of their own
  // (a match spy of folio's cannot run in xapian-tcpsrv), asked for before
  // the main match.
  FacetCounter(const SearchRequest& request, const query::BuiltQuery& built, query::ClusterPrefetch* cluster)
      : request_(request),
        built_(built),
        inline_spy_(inline_specs(), request.facet_by_article),
        cluster_(cluster) {}

  void attach(Xapian::Enquire& enquire) {
    if (cluster_ == nullptr && !inline_specs().empty()) enquire.add_matchspy(&inline_spy_);
  }

  // After the main match: every facet, in the order requested.
  std::vector<Facet> results(const Index& index, query::NameResolver& resolver) const {
    if (cluster_ != nullptr) return cluster_->facets(resolver);
    const Xapian::Database& db = index.db();
    std::vector<Facet> facets;
    std::size_t next_inline = 0;
    for (const FacetSpec& spec : request_.facets) {
      if (counted_inline(spec)) {
        facets.push_back(inline_spy_.result(next_inline++, resolver, false));
      } else {
        facets.push_back(own_pass(db, spec, resolver));
      }
    }
    return facets;
  }

 private:
  bool own_filter(const FacetSpec& spec) const {
    return request_.disjunctive && built_.filters.count(query::filter_of(spec.field)) != 0;
  }
  bool counted_inline(const FacetSpec& spec) const { return !own_filter(spec) && !request_.by_article; }

  std::vector<FacetSpec> inline_specs() const {
    std::vector<FacetSpec> specs;
    for (const FacetSpec& spec : request_.facets) {
      if (counted_inline(spec)) specs.push_back(spec);
    }
    return specs;
  }

  Facet own_pass(const Xapian::Database& db, const FacetSpec& spec, query::NameResolver& resolver) const {
    query::FacetSpy spy({spec}, request_.facet_by_article);
    Xapian::Enquire pass(db);
    pass.set_time_limit(request_.time_limit);
    pass.set_query(own_filter(spec) ? built_.combined(query::filter_of(spec.field)) : built_.combined());
    pass.add_matchspy(&spy);
    pass.get_mset(0, 0, db.get_doccount());
    return spy.result(0, resolver, own_filter(spec));
  }

  const SearchRequest& request_;
  const query::BuiltQuery& built_;
  query::FacetSpy inline_spy_;
  query::ClusterPrefetch* cluster_;
};

// The terms the hits matched, for the snippets to highlight: the words of
// a phrase one by one (Xapian's snippets do not highlight phrases of
// stems), and the stems a wildcard expanded to; only the user's own words,
// not the terms feedback added. What Enquire::get_matching_terms() gives
// hit by hit (the terms of the match's query that index the hit), found
// term by term instead: one posting list walk per query term over the
// hits in docid order, not one termlist read per hit.
std::set<std::string> matched_terms(const Xapian::Database& db, const Xapian::Enquire& enquire,
                                    const Xapian::MSet& mset, const Xapian::Query& text) {
  std::set<std::string> matched;
  if (mset.empty()) return matched;
  const Xapian::Query& query = enquire.get_query();
  const std::set<std::string> in_match(query.get_unique_terms_begin(), query.get_unique_terms_end());
  std::vector<Xapian::docid> hits;
  for (auto it = mset.begin(); it != mset.end(); ++it) hits.push_back(*it);
  std::sort(hits.begin(), hits.end());
  for (auto t = text.get_unique_terms_begin(); t != text.get_unique_terms_end(); ++t) {
    const std::string& term = *t;
    if (in_match.count(term) == 0) continue;
    Xapian::PostingIterator p = db.postlist_begin(term);
    for (const Xapian::docid did : hits) {
      p.skip_to(did);
      if (p == db.postlist_end(term)) break;
      if (*p == did) {
        matched.insert(term);
        break;
      }
    }
  }
  std::vector<std::string> patterns;
  query::wildcard_patterns(text, patterns);
  for (const std::string& pattern : patterns) {
    for (const Xapian::docid did : hits) {
      auto t = db.termlist_begin(did);
      for (t.skip_to(pattern); t != db.termlist_end(did) && (*t).starts_with(pattern); ++t) {
        matched.insert(*t);
      }
    }
  }
  return matched;
}

// `words`: the user's query (both forms, for the snippets to highlight).
// `known`: a cluster's terms of these hits, when already asked for.
// `dedupe`: a cluster's hits get their copies (query::merge_copies() does a
// local index's).
std::vector<Hit> make_hits(const Index& index, const Xapian::Enquire& enquire, const Xapian::MSet& mset,
                           const Xapian::Query& words, bool by_article, bool dedupe,
                           const query::HitTerms* known = nullptr) {
  const Xapian::Database& db = index.db();
  // A cluster's nodes find the terms (and count the collapsed sections) of their hits.
  const query::HitTerms cluster =
      known                ? *known
      : index.is_cluster() ? query::cluster_hit_terms(index, enquire, mset, words, by_article, dedupe)
                           : query::HitTerms{};
  const std::set<std::string> matched =
      index.is_cluster() ? cluster.matched : matched_terms(db, enquire, mset, words);
  // The snippets weigh the matched terms by the match's own weights, which
  // the MSet carries: no database is read for them, locally or remotely.
  query::SnippetMaker snippets(
      known && known->weights ? *known->weights : query::term_weights(mset, db.get_doccount(), matched));
  std::vector<Hit> hits;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    // A node's hit: its document came with its terms, not one round trip each.
    const std::size_t k = hits.size();
    const Xapian::Document doc =
        k < cluster.docs.size() && cluster.docs[k] ? *cluster.docs[k] : it.get_document();
    Hit hit;
    hit.rank = it.get_rank() + 1;
    hit.score = it.get_weight();
    hit.section = schema::SectionData::from_json(doc.get_data());
    hit.id = schema::section_id(doc.get_value(schema::kArticleSlot), hit.section.index);
    hit.other_sections = !by_article          ? 0
                         : index.is_cluster() ? cluster.other_sections[k]
                                              : it.get_collapse_count();
    hit.snippet = snippets(hit.section.text);
    if (dedupe && hits.size() < cluster.copies.size()) {
      query::apply_copies(hit, cluster.copies[hits.size()], by_article);
    }
    hits.push_back(std::move(hit));
  }
  return hits;
}

// The match of one pass, with an exact count unless the time limit cut it.
struct Match {
  Xapian::MSet mset;
  bool time_limited = false;
};

Match run_match(const Xapian::Database& db, Xapian::Enquire& enquire, Xapian::doccount offset,
                Xapian::doccount limit, double time_limit) {
  const auto start = std::chrono::steady_clock::now();
  Match match;
  // Checking every document makes the total exact rather than estimated;
  // the time limit turns that off, and the bounds then differ.
  match.mset = enquire.get_mset(offset, limit, db.get_doccount());
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  match.time_limited = time_limit > 0 && took.count() >= time_limit &&
                       match.mset.get_matches_lower_bound() != match.mset.get_matches_upper_bound();
  return match;
}

// --sort date over a cluster: sorted by the date value, the undated
// sections (no value) come first, not last as UndatedLast puts them. The
// page is taken from after them, then from them; `docs` gets its documents.
// `total`: the matches (copies merged); `merge_copies`: the pages collapse
// copies of a section into one hit.
std::vector<Hit> undated_last(const Index& index, const Xapian::Enquire& enquire, bool ranked_weight,
                              Xapian::doccount total, bool merge_copies, const Xapian::Query& words,
                              const SearchRequest& request, std::vector<Xapian::Document>& docs) {
  const Xapian::Database& db = index.db();
  Xapian::Enquire undated = make_enquire(index,
                                         Xapian::Query(Xapian::Query::OP_FILTER, enquire.get_query(),
                                                       Xapian::Query(std::string(schema::kUndatedTerm))),
                                         request);
  Xapian::doccount u = undated.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
  if (merge_copies) u -= std::min(u, query::cluster_copy_keys(index, undated.get_query()).copies());
  const Xapian::doccount n = total;
  const Xapian::doccount dated = n > u ? n - u : 0;
  // Both pages' terms highlight the snippets, as they do those of one page.
  struct Page {
    Xapian::Enquire enquire;
    Xapian::MSet mset;
    query::HitTerms terms;
  };
  std::vector<Page> pages;
  auto take = [&](Xapian::doccount first, Xapian::doccount count) {
    if (count == 0) return;
    // A second get_mset of one Enquire over remote shards breaks the first's
    // documents: one Enquire per page.
    Page page{make_enquire(index, enquire.get_query(), request), {}, {}};
    if (ranked_weight) page.enquire.set_weighting_scheme(query::ranked_weight());
    if (merge_copies) page.enquire.set_collapse_key(schema::kCopySlot);
    page.mset = page.enquire.get_mset(first, count, db.get_doccount());
    page.terms = query::cluster_hit_terms(index, page.enquire, page.mset, words, request.by_article,
                                          request.dedupe && (request.by_article || merge_copies));
    pages.push_back(std::move(page));
  };
  const Xapian::doccount offset = request.offset;
  if (offset < dated) take(u + offset, std::min<Xapian::doccount>(request.limit, dated - offset));
  const Xapian::doccount shown = pages.empty() ? 0 : pages.front().mset.size();
  if (shown < request.limit && offset + shown >= dated) {
    const Xapian::doccount from = offset + shown - dated;
    if (from < u) take(from, std::min<Xapian::doccount>(request.limit - shown, u - from));
  }
  std::set<std::string> matched;
  for (const Page& page : pages) matched.insert(page.terms.matched.begin(), page.terms.matched.end());
  // The same weights for both pages' snippets (the pages' queries are one).
  std::optional<query::TermWeights> weights;
  if (!pages.empty()) weights = query::term_weights(pages.front().mset, db.get_doccount(), matched);
  std::vector<Hit> hits;
  for (Page& page : pages) {
    page.terms.matched = matched;
    page.terms.weights = weights;
    for (Hit& hit :
         make_hits(index, page.enquire, page.mset, words, request.by_article, request.dedupe, &page.terms)) {
      hits.push_back(std::move(hit));
    }
    // Only --any reads them (their terms): one round trip each otherwise.
    if (ranked_weight) {
      for (auto it = page.mset.begin(); it != page.mset.end(); ++it) docs.push_back(it.get_document());
    }
  }
  for (std::size_t k = 0; k < hits.size(); ++k) hits[k].rank = request.offset + static_cast<unsigned>(k) + 1;
  return hits;
}

// The query of a ranked pass: the user's words with RM3 feedback terms;
// `require_words`: a hit must have one of the user's words (the feedback
// terms only reorder), for the relaxed tier under "most of the words".
Xapian::Query feedback_query(const Xapian::Database& db, const query::BuiltQuery& built, bool require_words) {
  std::vector<Xapian::Query> parts;
  for (const auto& [field, q] : built.filters) parts.push_back(q);
  const Xapian::Query filter =
      parts.empty() ? Xapian::Query() : Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
  const query::Feedback feedback = query::expand_rm3(db, built.ranked, filter);
  if (feedback.expansion.empty()) return built.ranked;
  return Xapian::Query(require_words ? Xapian::Query::OP_AND_MAYBE : Xapian::Query::OP_OR, feedback.original,
                       feedback.expansion);
}

// A section has every word of the ranked query (--any's all_words).
bool has_every_unit(const Xapian::Document& doc, const std::vector<std::vector<std::string>>& units) {
  for (const std::vector<std::string>& unit : units) {
    for (const std::string& term : unit) {
      auto t = doc.termlist_begin();
      t.skip_to(term);
      if (t == doc.termlist_end() || *t != term) return false;
    }
  }
  return true;
}

// Section hits with the copies of an article merged (dedupe without
// by_article). A collapse key makes Xapian skip matches it cannot show,
// which spies then miss and totals only estimate; so the match counts
// every copy, exactly, and a spy counts their copy keys. Only when the
// matches hold copies does a second match, collapsed on kCopySlot, make
// the page, and the total drops by the copies.
// A cluster's nodes count the keys (query::copy_keys_of()): through
// Xapian's remote backend a date-sorted match makes a spy count some twice.
class CopyMerger {
 public:
  CopyMerger(const SearchRequest& request, const Index& index)
      : on_(request.dedupe && !request.by_article), cluster_(index.is_cluster()) {}

  void attach(Xapian::Enquire& enquire) {
    if (on_ && !cluster_) enquire.add_matchspy(&spy_);
  }
  // On a cluster, where the nodes' keys go: counted with the facets, in
  // their request (nullptr: none to count).
  query::CopyKeys* on_nodes() { return on_ && cluster_ ? &nodes_ : nullptr; }

  // After `match` of `enquire`: the copies merged into other hits.
  Xapian::doccount copies() const { return !on_ ? 0 : cluster_ ? nodes_.copies() : spy_.keys().copies(); }

  // `match` again, collapsed, when there are copies; `enquire` is then the
  // one that made it.
  void merge(Xapian::Enquire& enquire, Match& match, Xapian::doccount offset, Xapian::doccount limit) const {
    if (copies() == 0) return;
    enquire.clear_matchspies();
    enquire.set_collapse_key(schema::kCopySlot);
    match.mset = enquire.get_mset(offset, limit);
  }

 private:
  bool on_;
  bool cluster_;
  query::CopyKeySpy spy_;
  query::CopyKeys nodes_;
};

std::vector<Xapian::doccount> collapse_counts(const Xapian::MSet& mset) {
  std::vector<Xapian::doccount> counts;
  for (auto it = mset.begin(); it != mset.end(); ++it) counts.push_back(it.get_collapse_count());
  return counts;
}

}  // namespace

SearchResults search(const Index& index, const SearchRequest& request) {
  check_facets(request.facets);
  check_length(request.query);
  const Xapian::Database& db = index.db();
  query::NameResolver resolver(index, request.curation);
  query::BuiltQuery built = query::build_query(db, request, resolver);
  if (!request.like.empty()) {
    built.text = request.like;
    built.ranked = Xapian::Query();
  }
  const bool ranked = !built.ranked.empty();
  const Xapian::Query own_words =
      ranked ? Xapian::Query(Xapian::Query::OP_OR, built.text, built.ranked) : built.text;

  SearchResults results;
  results.query = request.query;
  results.mode = request.mode;
  results.by_article = request.by_article;
  results.filters = built.resolved;

  // --any: one ranked pass over every section with any word.
  query::BuiltQuery any = built;
  if (request.mode == MatchMode::any && ranked) any.text = feedback_query(db, built, false);
  const query::BuiltQuery& main = request.mode == MatchMode::any ? any : built;
  Xapian::Enquire enquire = make_enquire(index, main.combined(), request);
  if (request.mode == MatchMode::any && ranked) enquire.set_weighting_scheme(query::ranked_weight());
  CopyMerger copies(request, index);
  // A cluster's nodes are asked for what does not need the match's hits now,
  // to answer while it runs: the facets, the suggestion's terms, the copy
  // keys of the matches.
  std::optional<query::ClusterPrefetch> prefetch;
  if (index.is_cluster()) {
    const Xapian::Query copy_query = main.combined();
    prefetch.emplace(index, request, main, query::suggestion_terms(request.query),
                     copies.on_nodes() != nullptr ? &copy_query : nullptr);
  }
  FacetCounter facets(request, main, prefetch ? &*prefetch : nullptr);
  facets.attach(enquire);
  // --histogram: every match's date (in a pass of its own when hits are
  // collapsed by article: the collapsed match skips some).
  Xapian::ValueCountMatchSpy dates(schema::kDateSlot);
  if (request.histogram && !request.by_article) enquire.add_matchspy(&dates);
  copies.attach(enquire);
  Match match = run_match(db, enquire, request.offset, request.limit, request.time_limit);
  results.total = match.mset.get_matches_estimated();
  results.time_limited = match.time_limited;
  results.facets = facets.results(index, resolver);
  if (query::CopyKeys* keys = copies.on_nodes()) *keys = prefetch->copy_keys();
  if (request.histogram && request.by_article) {
    Xapian::Enquire pass(db);
    pass.set_time_limit(request.time_limit);
    pass.set_query(main.combined());
    pass.add_matchspy(&dates);
    pass.get_mset(0, 0, db.get_doccount());
  }
  if (request.histogram) results.histogram = query::histogram_of(dates, request.histogram_granularity);
  const Xapian::doccount merged = copies.copies();
  results.total -= std::min(merged, results.total);
  copies.merge(enquire, match, request.offset, request.limit);
  std::vector<Xapian::Document> docs;  // of the hits, when not those of match.mset
  if (index.is_cluster() && request.sort == SortOrder::date) {
    results.hits = undated_last(index, enquire, request.mode == MatchMode::any && ranked, results.total,
                                merged > 0, own_words, request, docs);
  } else {
    // Without by_article, a hit has copies to merge only if the matches do.
    results.hits = make_hits(index, enquire, match.mset, own_words, request.by_article,
                             request.dedupe && (request.by_article || merged > 0));
    if (request.dedupe && !index.is_cluster())
      query::merge_copies(db, results.hits, collapse_counts(match.mset), request.by_article);
  }
  if (request.mode == MatchMode::any && ranked) {
    const auto units = query::query_units(built.ranked);
    for (Hit& hit : results.hits) {
      const std::size_t k = hit.rank - 1 - request.offset;
      hit.all_words = has_every_unit(
          docs.empty() ? match.mset[static_cast<Xapian::doccount>(k)].get_document() : docs[k], units);
    }
  }

  // Relaxed: fill the page with the sections that have most of the words.
  const std::size_t shown = request.offset + results.hits.size();
  if (request.mode == MatchMode::relaxed && ranked && results.hits.size() < request.limit &&
      shown >= results.total && query::query_units(built.ranked).size() >= kRelaxMinWords) {
    query::BuiltQuery relaxed = built;
    relaxed.text = Xapian::Query(Xapian::Query::OP_AND_NOT, feedback_query(db, built, true), built.text);
    Xapian::Enquire second = make_enquire(index, relaxed.combined(), request);
    second.set_weighting_scheme(query::ranked_weight());
    const Xapian::doccount offset = request.offset > results.total ? request.offset - results.total : 0;
    const auto room = request.limit - static_cast<Xapian::doccount>(results.hits.size());
    CopyMerger relaxed_copies(request, index);
    relaxed_copies.attach(second);
    Match more = run_match(db, second, offset, room, request.time_limit);
    if (query::CopyKeys* keys = relaxed_copies.on_nodes())
      *keys = query::cluster_copy_keys(index, second.get_query());
    results.relaxed = true;
    results.relaxed_total = more.mset.get_matches_estimated();
    const Xapian::doccount relaxed_merged = relaxed_copies.copies();
    results.relaxed_total -= std::min(relaxed_merged, results.relaxed_total);
    relaxed_copies.merge(second, more, offset, room);
    results.time_limited = results.time_limited || more.time_limited;
    std::vector<Hit> relaxed_hits = make_hits(index, second, more.mset, own_words, request.by_article,
                                              request.dedupe && (request.by_article || relaxed_merged > 0));
    if (request.dedupe && !index.is_cluster())
      query::merge_copies(db, relaxed_hits, collapse_counts(more.mset), request.by_article);
    for (Hit& hit : relaxed_hits) {
      hit.rank += results.total;
      hit.all_words = false;
      results.hits.push_back(std::move(hit));
    }
  }
  query::TermFreqs termfreqs;
  if (index.is_cluster()) {
    termfreqs = [&index](const std::vector<std::string>& terms) {
      return query::cluster_termfreqs(index, terms);
    };
  }
  results.suggestion =
      query::spelling_suggestion(db, request.query, prefetch ? &prefetch->known_terms() : nullptr, termfreqs);
  return results;
}

}  // namespace folio
