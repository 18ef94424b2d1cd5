#include "query_builder.hpp"

#include <fmt/format.h>

#include <optional>

#include "folio/filter_date.hpp"
#include "folio/error.hpp"
#include "folio/text.hpp"

namespace folio::query {
namespace {

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

// An entity filter. On a field with a roll-up (place), a country matches
// the sections that mention any of its places, by their roll-up terms,
// unless `exact`.
// A person also matches the surname-only mentions merged into it
// (NameResolver::merged_from).
Xapian::Query entity_query(const schema::EntityRecord& record, bool exact, NameResolver& resolver) {
  const std::optional<schema::Field> roll_up = schema::info(record.type).roll_up;
  if (roll_up && !exact && record.kind == PlaceKind::country) {
    return Xapian::Query(schema::entity_term(*roll_up, record.id));
  }
  std::vector<std::string> terms{schema::entity_term(record.type, record.id)};
  if (record.type == schema::Field::person) {
    for (const std::string& id : resolver.merged_from(record.id)) terms.push_back(schema::entity_term(record.type, id));
  }
  if (terms.size() == 1) return Xapian::Query(terms.front());
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// The filter of one value of a field, as typed: `person:biden`, `--place
// taiwan`, `date:2023-06`. Throws folio::Error as search() does.
Xapian::Query value_query(schema::Field field, const std::string& value, bool exact,
                          NameResolver& resolver, Date today) {
  switch (schema::info(field).kind) {
    case schema::FieldKind::entity:
      return entity_query(resolver.resolve(field, value), exact, resolver);
    case schema::FieldKind::boolean:
      return Xapian::Query(resolver.resolve_author(value).term);
    case schema::FieldKind::date:
      return date_query(parse_date_range(value, today));
    case schema::FieldKind::text:
      break;
  }
  throw Error(fmt::format("{}: is not a filter", schema::info(field).name));
}

// The boolean fields of the query language (person:, place:, author:, date:).
class FilterFieldProcessor : public Xapian::FieldProcessor {
 public:
  FilterFieldProcessor(schema::Field field, NameResolver& resolver, Date today)
      : field_(field), resolver_(resolver), today_(today) {}

  // An error here is kept, not thrown: an exception thrown through
  // Xapian's query parser leaks its state. build_query() rethrows it.
  Xapian::Query operator()(const std::string& str) override {
    try {
      return value_query(field_, str, false, resolver_, today_);
    } catch (const Error& e) {
      if (!error_) error_ = e;
      return Xapian::Query();
    }
  }

  const std::optional<Error>& error() const { return error_; }

 private:
  schema::Field field_;
  NameResolver& resolver_;
  Date today_;
  std::optional<Error> error_;
};

Xapian::Query or_of(const std::vector<Xapian::Query>& queries) {
  return Xapian::Query(Xapian::Query::OP_OR, queries.begin(), queries.end());
}

}  // namespace

schema::Field filter_of(schema::Field field) {
  for (const schema::FieldInfo& f : schema::kFields) {
    if (f.roll_up == field) return f.field;
  }
  return field;
}

Xapian::Query BuiltQuery::combined(std::optional<schema::Field> without) const {
  std::vector<Xapian::Query> parts;
  for (const auto& [field, q] : filters) {
    if (field != without) parts.push_back(q);
  }
  if (parts.empty()) return text;
  return Xapian::Query(Xapian::Query::OP_FILTER, text,
                       Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()));
}

namespace {

// The --person, --place, --author ... filters: one OR per field.
void add_field_filters(const SearchRequest& request, NameResolver& resolver, BuiltQuery& built) {
  for (const auto& [field, values] : request.filters) {
    const schema::FieldInfo& info = schema::info(field);
    if ((info.flags & schema::kFilter) == 0) {
      throw Error(fmt::format("there is no {} filter", info.name));
    }
    if (values.empty()) continue;
    const bool exact = info.roll_up && request.place_exact;
    std::vector<Xapian::Query> queries;
    for (const std::string& value : values) {
      if (info.kind == schema::FieldKind::entity) {
        const schema::EntityRecord& r = resolver.resolve(field, value);
        queries.push_back(entity_query(r, exact, resolver));
        built.resolved.push_back(
            {exact ? fmt::format("{}-exact", info.name) : std::string(info.name), value, r.id, r.name});
      } else {
        const NameResolver::Author author = resolver.resolve_author(value);
        queries.emplace_back(author.term);
        built.resolved.push_back({std::string(info.name), value, author.term.substr(info.prefix.size()),
                                  author.name});
      }
    }
    built.filters[field] = or_of(queries);
  }
}

}  // namespace

BuiltQuery build_query(const Xapian::Database& db, const SearchRequest& request,
                       NameResolver& resolver) {
  BuiltQuery built;
  // Filters first: a bad name or date is reported before the query is parsed.
  add_field_filters(request, resolver, built);
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
    built.filters[schema::Field::date] = Xapian::Query(std::string(schema::kUndatedTerm));
    built.resolved.push_back({"undated", "", "", ""});
  } else if (!range.from.empty() || !range.to.empty()) {
    built.filters[schema::Field::date] = date_query(range);
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
  for (const schema::FieldInfo& field : schema::kFields) {
    if ((field.flags & schema::kQueryField) == 0) continue;
    const std::string name(field.name);
    if (field.kind == schema::FieldKind::text) {
      qp.add_prefix(name, stem_prefix + std::string(field.prefix));
      continue;
    }
    processors.push_back(new FilterFieldProcessor(field.field, resolver, request.today));
    qp.add_boolean_prefix(name, processors.back()->release());
  }
  built.text = qp.parse_query(request.query, kQueryFlags, stem_prefix);
  for (const FilterFieldProcessor* p : processors) {
    if (p->error()) throw *p->error();
  }
  return built;
}

}  // namespace folio::query
