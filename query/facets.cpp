#include "facets.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "folio/error.hpp"

namespace folio {

const char* to_string(FacetField field) {
  switch (field) {
    case FacetField::person:
      return "person";
    case FacetField::place:
      return "place";
    case FacetField::country:
      return "country";
    case FacetField::author:
      return "author";
    case FacetField::date:
      break;
  }
  return "date";
}

FacetSpec parse_facet_spec(std::string_view text) {
  static constexpr const char* kHelp =
      "facets are person, place, country, author (each with an optional :N, e.g. person:20) "
      "and date (date:year, date:month or date:day)";
  FacetSpec spec;
  const std::size_t colon = text.find(':');
  const std::string_view name = text.substr(0, colon);
  const std::string_view arg = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  bool found = false;
  for (FacetField f : {FacetField::person, FacetField::place, FacetField::country,
                       FacetField::date, FacetField::author}) {
    if (name == to_string(f)) {
      spec.field = f;
      found = true;
    }
  }
  if (!found) throw Error(fmt::format("unknown facet '{}': {}", text, kHelp));
  if (colon != std::string_view::npos && arg.empty()) {
    throw Error(fmt::format("bad facet '{}': {}", text, kHelp));
  }
  if (arg.empty()) return spec;
  if (spec.field == FacetField::date) {
    if (arg == "year") {
      spec.granularity = DateGranularity::year;
    } else if (arg == "month") {
      spec.granularity = DateGranularity::month;
    } else if (arg == "day") {
      spec.granularity = DateGranularity::day;
    } else {
      throw Error(fmt::format("bad facet '{}': {}", text, kHelp));
    }
    return spec;
  }
  std::size_t limit = 0;
  for (char c : arg) {
    if (c < '0' || c > '9' || limit > 100000) throw Error(fmt::format("bad facet '{}': {}", text, kHelp));
    limit = limit * 10 + static_cast<std::size_t>(c - '0');
  }
  if (limit == 0) throw Error(fmt::format("bad facet '{}': {}", text, kHelp));
  spec.limit = limit;
  return spec;
}

}  // namespace folio

namespace folio::query {
namespace {

Xapian::valueno slot_of(FacetField field) {
  switch (field) {
    case FacetField::person:
      return schema::kPeopleSlot;
    case FacetField::place:
      return schema::kPlacesSlot;
    case FacetField::country:
      return schema::kCountriesSlot;
    case FacetField::author:
      return schema::kAuthorsSlot;
    case FacetField::date:
      break;
  }
  return schema::kDateIsoSlot;
}

// Of "2023-06-18": "2023", "2023-06" or all. A date less precise than the
// granularity stays as it is ("2023-06" in a facet by day).
std::size_t date_key_length(DateGranularity g) {
  return g == DateGranularity::year ? 4 : g == DateGranularity::month ? 7 : 10;
}

}  // namespace

FacetSpy::FacetSpy(const FacetSpec& spec, bool by_article)
    : spec_(spec), by_article_(by_article), slot_(slot_of(spec.field)) {}

void FacetSpy::count(std::string key, const Xapian::Document& doc) {
  if (by_article_) {
    articles_[std::move(key)].insert(doc.get_value(schema::kArticleSlot));
  } else {
    ++counts_[std::move(key)];
  }
}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  const std::string value = doc.get_value(slot_);
  if (value.empty()) return;
  if (spec_.field == FacetField::date) {
    count(value.substr(0, date_key_length(spec_.granularity)), doc);
    return;
  }
  // Multi-valued: a section that mentions three people adds one to each.
  for (std::string& id : schema::split_ids(value)) {
    if (!id.empty()) count(std::move(id), doc);
  }
}

Facet FacetSpy::result(NameResolver& resolver, bool disjunctive) const {
  Facet facet;
  facet.spec = spec_;
  facet.by_article = by_article_;
  facet.disjunctive = disjunctive;
  if (by_article_) {
    for (const auto& [key, set] : articles_) {
      facet.values.push_back({key, {}, static_cast<Xapian::doccount>(set.size())});
    }
  } else {
    for (const auto& [key, n] : counts_) facet.values.push_back({key, {}, n});
  }
  facet.distinct = facet.values.size();
  if (spec_.field == FacetField::date) {
    std::sort(facet.values.begin(), facet.values.end(),
              [](const FacetValue& a, const FacetValue& b) { return a.value < b.value; });
    for (FacetValue& v : facet.values) v.name = v.value;
    return facet;
  }
  std::sort(facet.values.begin(), facet.values.end(), [](const FacetValue& a, const FacetValue& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  if (facet.values.size() > spec_.limit) facet.values.resize(spec_.limit);
  for (FacetValue& v : facet.values) {
    switch (spec_.field) {
      case FacetField::person:
        v.name = resolver.display_name(schema::EntityRecord::Type::person, v.value);
        break;
      case FacetField::place:
      case FacetField::country:
        v.name = resolver.display_name(schema::EntityRecord::Type::place, v.value);
        break;
      case FacetField::author:
      case FacetField::date:
        v.name = v.value;
        break;
    }
  }
  return facet;
}

}  // namespace folio::query
