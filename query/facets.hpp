// Exact facet counts over every matching section, with a Xapian MatchSpy
// that reads each match's facets value (schema::kFacetsSlot) once for all
// the facets of a pass. Private to query/.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "folio/search.hpp"
#include "resolve.hpp"

namespace folio::query {

class FacetSpy : public Xapian::MatchSpy {
 public:
  FacetSpy(std::vector<FacetSpec> specs, bool by_article);
  void operator()(const Xapian::Document& doc, double weight) override;

  // The counts of the i-th spec, named, sorted and cut to its limit.
  Facet result(std::size_t i, NameResolver& resolver, bool disjunctive) const;
  // The counts of the i-th spec as they are (values unnamed, unordered),
  // for a cluster to add up the nodes' counts.
  std::vector<FacetValue> counts(std::size_t i) const;
  // A facet of counts (those of counts(), added up): named, sorted and cut
  // to the spec's limit.
  static Facet make_facet(const FacetSpec& spec, bool by_article, bool disjunctive,
                          std::vector<FacetValue> values, NameResolver& resolver);

 private:
  // Looked up by string_view: counting allocates only for a new value.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Counter {
    Xapian::doccount sections = 0;
    std::unordered_set<std::string> articles;  // --facet-by article
  };
  using Counts = std::unordered_map<std::string, Counter, Hash, std::equal_to<>>;

  void count(Counts& counts, std::string_view key, const std::string& article);

  std::vector<FacetSpec> specs_;
  bool by_article_;
  std::vector<Counts> counts_;  // one per spec
};

}  // namespace folio::query
