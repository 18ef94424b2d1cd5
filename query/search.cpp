// search(): the steps of one search, from the request to ranked hits with
// snippets, filters and facet counts.
#include "folio/search.hpp"

#include <fmt/format.h>

#include <set>

#include "facets.hpp"
#include "folio/error.hpp"
#include "query_builder.hpp"
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

// The sort key of --sort date: the date, and for an undated section a key
// after every date, so that it comes last (as it does with -date).
class UndatedLast : public Xapian::KeyMaker {
 public:
  std::string operator()(const Xapian::Document& doc) const override {
    std::string date = doc.get_value(schema::kDateSlot);
    return date.empty() ? std::string("~") : date;
  }
};

Xapian::Enquire make_enquire(const Xapian::Database& db, const Xapian::Query& query,
                             const SearchRequest& request) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  if (request.by_article) enquire.set_collapse_key(schema::kArticleSlot);
  if (request.sort == SortOrder::date) {
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
  FacetCounter(const SearchRequest& request, const query::BuiltQuery& built)
      : request_(request), built_(built), inline_spy_(inline_specs(), request.facet_by_article) {}

  void attach(Xapian::Enquire& enquire) {
    if (!inline_specs().empty()) enquire.add_matchspy(&inline_spy_);
  }

  // After the main match: every facet, in the order requested.
  std::vector<Facet> results(const Xapian::Database& db, query::NameResolver& resolver) const {
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

  Facet own_pass(const Xapian::Database& db, const FacetSpec& spec,
                 query::NameResolver& resolver) const {
    query::FacetSpy spy({spec}, request_.facet_by_article);
    Xapian::Enquire pass(db);
    pass.set_query(own_filter(spec) ? built_.combined(query::filter_of(spec.field)) : built_.combined());
    pass.add_matchspy(&spy);
    pass.get_mset(0, 0, db.get_doccount());
    return spy.result(0, resolver, own_filter(spec));
  }

  const SearchRequest& request_;
  const query::BuiltQuery& built_;
  query::FacetSpy inline_spy_;
};

// The terms the hits matched, for the snippets to highlight: the words of
// a phrase one by one (Xapian's snippets do not highlight phrases of
// stems), and the stems a wildcard expanded to.
std::set<std::string> matched_terms(const Xapian::Database& db, const Xapian::Enquire& enquire,
                                    const Xapian::MSet& mset, const Xapian::Query& text) {
  std::set<std::string> matched;
  std::vector<std::string> patterns;
  query::wildcard_patterns(text, patterns);
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    matched.insert(enquire.get_matching_terms_begin(it), enquire.get_matching_terms_end(it));
    for (const std::string& pattern : patterns) {
      auto t = db.termlist_begin(*it);
      for (t.skip_to(pattern); t != db.termlist_end(*it) && (*t).starts_with(pattern); ++t) {
        matched.insert(*t);
      }
    }
  }
  return matched;
}

std::vector<Hit> make_hits(const Xapian::Database& db, const Xapian::Enquire& enquire,
                           const Xapian::MSet& mset, const query::BuiltQuery& built,
                           bool by_article) {
  const std::set<std::string> matched = matched_terms(db, enquire, mset, built.text);
  Xapian::Enquire highlighter(db);
  highlighter.set_query(Xapian::Query(Xapian::Query::OP_OR, matched.begin(), matched.end()));
  const Xapian::MSet highlight_set = highlighter.get_mset(0, 0);
  const Xapian::Stem stemmer = schema::text_stemmer();
  std::vector<Hit> hits;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const Xapian::Document doc = it.get_document();
    Hit hit;
    hit.rank = it.get_rank() + 1;
    hit.score = it.get_weight();
    hit.section = schema::SectionData::from_json(doc.get_data());
    hit.id = schema::section_id(doc.get_value(schema::kArticleSlot), hit.section.index);
    hit.other_sections = by_article ? it.get_collapse_count() : 0;
    hit.snippet = query::make_snippet(highlight_set.snippet(
        hit.section.text, query::kSnippetBytes, stemmer,
        Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE |
            Xapian::MSet::SNIPPET_CJK_NGRAM,
        std::string(query::kHighlightStart), std::string(query::kHighlightEnd), "…"));
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace

SearchResults search(const Index& index, const SearchRequest& request) {
  check_facets(request.facets);
  const Xapian::Database& db = index.db();
  query::NameResolver resolver(index);
  const query::BuiltQuery built = query::build_query(db, request, resolver);

  Xapian::Enquire enquire = make_enquire(db, built.combined(), request);
  FacetCounter facets(request, built);
  facets.attach(enquire);
  // Checking every document makes the total exact rather than estimated.
  const Xapian::MSet mset = enquire.get_mset(request.offset, request.limit, db.get_doccount());

  SearchResults results;
  results.query = request.query;
  results.total = mset.get_matches_estimated();
  results.by_article = request.by_article;
  results.filters = built.resolved;
  results.facets = facets.results(db, resolver);
  results.hits = make_hits(db, enquire, mset, built, request.by_article);
  results.suggestion = query::spelling_suggestion(db, request.query);
  return results;
}

}  // namespace folio
