// Exact facet counts over every matching section, with a Xapian MatchSpy
// that reads the value slots of include/folio/schema.hpp. Private to query/.
#pragma once

#include <xapian.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "folio/search.hpp"
#include "resolve.hpp"

namespace folio::query {

class FacetSpy : public Xapian::MatchSpy {
 public:
  FacetSpy(const FacetSpec& spec, bool by_article);
  void operator()(const Xapian::Document& doc, double weight) override;

  // The counted values, named, sorted and cut to the spec's limit.
  Facet result(NameResolver& resolver, bool disjunctive) const;

 private:
  void count(std::string key, const Xapian::Document& doc);

  FacetSpec spec_;
  bool by_article_;
  Xapian::valueno slot_;
  std::unordered_map<std::string, Xapian::doccount> counts_;
  std::unordered_map<std::string, std::unordered_set<std::string>> articles_;
};

}  // namespace folio::query
