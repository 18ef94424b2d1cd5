#include "query_builder.hpp"

#include <fmt/format.h>

#include <optional>

#include "folio/filter_date.hpp"
#include "folio/error.hpp"
#include "folio/text.hpp"

namespace folio::query {
namespace {

using Type = schema::EntityRecord::Type;

constexpr unsigned kQueryFlags =
    Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT;

Xapian::Query date_query(const DateRange& range) {
  if (!range.from.empty() && !range.to.empty()) {
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kDateSlot, range.from, range.to);
  }
  if (!range.from.empty()) {
    return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, range.from);
  }
  return Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kDateSlot, range.to);
}

// A place filter: a country also matches the sections that mention its
// places (the XC terms), unless `exact`.
Xapian::Query place_query(const schema::EntityRecord& place, bool exact) {
  if (!exact && place.kind == PlaceKind::country) {
    return Xapian::Query(schema::country_term(place.id));
  }
  return Xapian::Query(schema::place_term(place.id));
}

// person:, place:, author: and date: inside a query string.
class FilterFieldProcessor : public Xapian::FieldProcessor {
 public:
  FilterFieldProcessor(FacetField field, NameResolver& resolver, Date today)
      : field_(field), resolver_(resolver), today_(today) {}

  // An error here is kept, not thrown: an exception thrown through
  // Xapian's query parser leaks its state. build_query() rethrows it.
  Xapian::Query operator()(const std::string& str) override {
    try {
      return resolve(str);
    } catch (const Error& e) {
      if (!error_) error_ = e;
      return Xapian::Query();
    }
  }

  const std::optional<Error>& error() const { return error_; }

 private:
  Xapian::Query resolve(const std::string& str) {
    switch (field_) {
      case FacetField::person:
        return Xapian::Query(schema::person_term(resolver_.resolve(Type::person, str).id));
      case FacetField::place:
        return place_query(resolver_.resolve(Type::place, str), false);
      case FacetField::author:
        return Xapian::Query(resolver_.resolve_author(str).term);
      case FacetField::date:
      case FacetField::country:
        break;
    }
    return date_query(parse_date_range(str, today_));
  }

  FacetField field_;
  NameResolver& resolver_;
  Date today_;
  std::optional<Error> error_;
};

Xapian::Query or_of(const std::vector<Xapian::Query>& queries) {
  return Xapian::Query(Xapian::Query::OP_OR, queries.begin(), queries.end());
}

}  // namespace

FilterField filter_of(FacetField field) {
  switch (field) {
    case FacetField::person:
      return FilterField::person;
    case FacetField::place:
    case FacetField::country:
      return FilterField::place;
    case FacetField::author:
      return FilterField::author;
    case FacetField::date:
      break;
  }
  return FilterField::date;
}

Xapian::Query BuiltQuery::combined(std::optional<FilterField> without) const {
  std::vector<Xapian::Query> parts;
  for (const auto& [field, q] : filters) {
    if (field != without) parts.push_back(q);
  }
  if (parts.empty()) return text;
  return Xapian::Query(Xapian::Query::OP_FILTER, text,
                       Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()));
}

BuiltQuery build_query(const Xapian::Database& db, const SearchRequest& request,
                       NameResolver& resolver) {
  BuiltQuery built;
  // Filters first: a bad name or date is reported before the query is parsed.
  std::vector<Xapian::Query> people, places, authors;
  for (const std::string& name : request.people) {
    const auto& r = resolver.resolve(Type::person, name);
    people.emplace_back(schema::person_term(r.id));
    built.resolved.push_back({"person", name, r.id, r.name});
  }
  for (const std::string& name : request.places) {
    const auto& r = resolver.resolve(Type::place, name);
    places.push_back(place_query(r, request.place_exact));
    built.resolved.push_back({request.place_exact ? "place-exact" : "place", name, r.id, r.name});
  }
  for (const std::string& name : request.authors) {
    const NameResolver::Author author = resolver.resolve_author(name);
    authors.emplace_back(author.term);
    built.resolved.push_back({"author", name, author.term.substr(schema::kAuthorPrefix.size()), author.name});
  }
  if (!people.empty()) built.filters[FilterField::person] = or_of(people);
  if (!places.empty()) built.filters[FilterField::place] = or_of(places);
  if (!authors.empty()) built.filters[FilterField::author] = or_of(authors);

  DateRange range;
  if (!request.since.empty()) {
    range.from = parse_date_range(request.since, request.today).from;
    built.resolved.push_back({"since", request.since, iso_of_day_key(range.from), iso_of_day_key(range.from)});
  }
  if (!request.until.empty()) {
    range.to = parse_date_range(request.until, request.today).to;
    built.resolved.push_back({"until", request.until, iso_of_day_key(range.to), iso_of_day_key(range.to)});
  }
  if (!range.from.empty() && !range.to.empty() && range.from > range.to) {
    throw Error(fmt::format("--since {} is after --until {}", request.since, request.until));
  }
  if (request.undated) {
    if (!range.from.empty() || !range.to.empty()) {
      throw Error("--undated cannot be combined with --since or --until");
    }
    built.filters[FilterField::date] = Xapian::Query(std::string(schema::kUndatedTerm));
    built.resolved.push_back({"undated", "", "", ""});
  } else if (!range.from.empty() || !range.to.empty()) {
    built.filters[FilterField::date] = date_query(range);
  }

  if (trim(request.query).empty()) {
    if (built.filters.empty()) throw Error("nothing to search for: give a query or a filter");
    built.text = Xapian::Query::MatchAll;
    return built;
  }
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem(std::string(schema::kStemLanguage)));
  // Stem every query word (also capitalised ones, so "Blinken" finds
  // "Blinken’s") and look for it behind the stem prefix, as the index
  // has it: Z<stem>, ZS<stem>... Wildcards expand over the same stems.
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
  const std::string stem_prefix(schema::kStemPrefix);
  qp.set_default_op(Xapian::Query::OP_AND);
  // Owned by `qp` (release()); alive until it is destroyed at return.
  std::vector<FilterFieldProcessor*> processors;
  for (const schema::Field& field : schema::kFields) {
    const std::string name(field.name);
    if (!field.boolean) {
      qp.add_prefix(name, stem_prefix + std::string(field.prefix));
      continue;
    }
    const FacetField which = name == "person"  ? FacetField::person
                             : name == "place" ? FacetField::place
                             : name == "author" ? FacetField::author
                                                : FacetField::date;
    processors.push_back(new FilterFieldProcessor(which, resolver, request.today));
    qp.add_boolean_prefix(name, processors.back()->release());
  }
  built.text = qp.parse_query(request.query, kQueryFlags, stem_prefix);
  for (const FilterFieldProcessor* p : processors) {
    if (p->error()) throw *p->error();
  }
  return built;
}

}  // namespace folio::query
