// Exact facet counts over every matching section, with a Xapian MatchSpy
// that reads each match's facets value (schema::kFacetsSlot) once for all
// the facets of a pass. Private to query/.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
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
  // The counts of one facet: the values in the order first seen, found
  // through an open-addressing table of their indexes (one hash of the
  // value's bytes and, mostly, one cache line per lookup: std::unordered_map
  // took a division and a node chase for each of a match's values).
  class Counts {
   public:
    struct Entry {
      std::string value;
      Xapian::doccount sections = 0;
    };
    // The index of the value's entry, added (count 0) if new.
    std::size_t find_or_add(std::string_view value);
    const std::vector<Entry>& entries() const { return entries_; }
    Entry& entry(std::size_t i) { return entries_[i]; }
    // The articles of entry i (--facet-by article; one set per entry).
    std::unordered_set<std::string>& articles(std::size_t i);
    const std::unordered_set<std::string>& articles(std::size_t i) const { return articles_[i]; }

   private:
    void grow();
    std::vector<Entry> entries_;  // small, for the look-ups to stay in the caches
    std::vector<std::unordered_set<std::string>> articles_;
    // 0: empty; else the hash's upper 32 bits, then the entry's index + 1.
    std::vector<std::uint64_t> slots_;
    std::size_t last_ = 0;  // the entry found last, + 1 (a match's sections repeat values)
  };

  void count(Counts& counts, std::string_view key, const std::string& article);

  std::vector<FacetSpec> specs_;
  bool by_article_;
  std::vector<std::size_t> positions_;  // of each spec's list in kFacetsSlot
  std::vector<Counts> counts_;          // one per spec
};

}  // namespace folio::query
