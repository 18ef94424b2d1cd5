#include "query_builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "folio/date.hpp"
#include "folio/error.hpp"
#include "folio/filter_date.hpp"
#include "folio/text.hpp"
#include "ranked.hpp"

namespace folio::query {
namespace {

constexpr unsigned kQueryFlags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                                 Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_CJK_NGRAM;

// The terms of `prefix` in the index, in order ("Y1987", "Y1988" ...).
std::vector<std::string> terms_of(const Xapian::Database& db, const std::string& prefix) {
  std::vector<std::string> out;
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) out.push_back(*t);
  return out;
}

// The sections with `term` and none of the `finer` terms: those of a period
// dated no more precisely than the period itself ("1987" alone).
Xapian::Query only_this_precise(const std::string& term, const std::vector<std::string>& finer) {
  if (finer.empty()) return Xapian::Query(term);
  return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(term),
                       Xapian::Query(Xapian::Query::OP_OR, finer.begin(), finer.end()));
}

// The sections whose kDateSlot value (the first day of their date's
// period) is within `range`, by their date terms rather than by the value:
// a year inside the range is its Y term, a month inside it its M term, and
// the days of a month the range cuts their D terms, with the sections dated
// only to that month or year when its first day is in the range. A posting
// list per term instead of a look at every dated section's value. The
// terms come from the index (allterms), so an open bound costs only the
// years it has.
Xapian::Query date_query(const Xapian::Database& db, const DateRange& range) {
  const std::string from = range.from.empty() ? std::string("00000000") : range.from;
  const std::string to = range.to.empty() ? std::string("99999999") : range.to;
  auto inside = [&](const std::string& first, const std::string& last) {
    return first >= from && last <= to;
  };
  auto overlaps = [&](const std::string& first, const std::string& last) {
    return last >= from && first <= to;
  };
  const std::string year_prefix(schema::kYearPrefix), month_prefix(schema::kMonthPrefix),
      day_prefix(schema::kDayPrefix);
  std::vector<Xapian::Query> parts;
  for (const std::string& y_term : terms_of(db, year_prefix)) {
    const std::string year = y_term.substr(year_prefix.size());
    if (year.size() != 4) continue;
    if (!overlaps(year + "0101", year + "1231")) continue;
    if (inside(year + "0101", year + "1231")) {
      parts.emplace_back(y_term);
      continue;
    }
    const std::vector<std::string> months = terms_of(db, month_prefix + year);
    for (const std::string& m_term : months) {
      const std::string month = m_term.substr(month_prefix.size());
      if (month.size() != 6) continue;
      const std::string first = month + "01";
      const std::string last =
          month + fmt::format("{:02}", days_in_month(std::stoi(year), std::stoi(month.substr(4))));
      if (!overlaps(first, last)) continue;
      if (inside(first, last)) {
        parts.emplace_back(m_term);
        continue;
      }
      const std::vector<std::string> days = terms_of(db, day_prefix + month);
      for (const std::string& d_term : days) {
        const std::string day = d_term.substr(day_prefix.size());
        if (day >= from && day <= to) parts.emplace_back(d_term);
      }
      if (first >= from && first <= to) parts.push_back(only_this_precise(m_term, days));
    }
    if (year + "0101" >= from && year + "0101" <= to) parts.push_back(only_this_precise(y_term, months));
  }
  if (parts.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

// An entity filter. On a field with a roll-up (place), a country matches
// the sections that mention any of its places, by their roll-up terms,
// unless `exact`.
// A person also matches the surname-only mentions merged into it
// (NameResolver::merged_from).
// So does an entity the user merged others into (folio/curation.hpp).
Xapian::Query entity_query(const schema::EntityRecord& record, bool exact, NameResolver& resolver) {
  const std::optional<schema::Field> roll_up = schema::info(record.type).roll_up;
  const bool rolled = roll_up && !exact && record.kind == PlaceKind::country;
  std::vector<std::string> terms{schema::entity_term(rolled ? *roll_up : record.type, record.id)};
  for (const std::string& id : resolver.merged_from(record.type, record.id)) {
    terms.push_back(schema::entity_term(record.type, id));
    if (rolled) terms.push_back(schema::entity_term(*roll_up, id));
  }
  if (terms.size() == 1) return Xapian::Query(terms.front());
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// The filter of one value of a field, as typed: `person:biden`, `--place
// taiwan`, `date:2023-06`. Throws folio::Error as search() does.
Xapian::Query value_query(const Xapian::Database& db, schema::Field field, const std::string& value,
                          bool exact, NameResolver& resolver, Date today) {
  switch (schema::info(field).kind) {
    case schema::FieldKind::entity:
      return entity_query(resolver.resolve(field, value), exact, resolver);
    case schema::FieldKind::boolean:
      return Xapian::Query(resolver.resolve_author(value).term);
    case schema::FieldKind::date:
      return date_query(db, parse_date_range(value, today));
    case schema::FieldKind::text:
      break;
  }
  throw Error(fmt::format("{}: is not a filter", schema::info(field).name));
}

// The boolean fields of the query language (person:, place:, author:, date:).
class FilterFieldProcessor : public Xapian::FieldProcessor {
 public:
  FilterFieldProcessor(const Xapian::Database& db, schema::Field field, NameResolver& resolver, Date today)
      : db_(db), field_(field), resolver_(resolver), today_(today) {}

  // An error here is kept, not thrown: an exception thrown through
  // Xapian's query parser leaks its state. build_query() rethrows it.
  Xapian::Query operator()(const std::string& str) override {
    try {
      return value_query(db_, field_, str, false, resolver_, today_);
    } catch (const Error& e) {
      if (!error_) error_ = e;
      return Xapian::Query();
    }
  }

  const std::optional<Error>& error() const { return error_; }

 private:
  const Xapian::Database& db_;
  schema::Field field_;
  NameResolver& resolver_;
  Date today_;
  std::optional<Error> error_;
};

// Whether `c` is a Chinese, Japanese or Korean character, which Xapian's
// FLAG_CJK_NGRAM splits into n-grams (the ranges of its CJK::codepoint_is_cjk).
bool is_cjk(unsigned c) {
  return (c >= 0x2E80 && c <= 0x2EFF) || (c >= 0x3000 && c <= 0x9FFF) || (c >= 0xA700 && c <= 0xA71F) ||
         (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2F800 && c <= 0x2FA1F) ||
         (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F);
}

// The prefix of a CJK unigram term ("Z" of "Z北"), or nullopt for any other term.
std::optional<std::string> cjk_unigram_prefix(const std::string& term) {
  std::size_t start = term.size();
  while (start > 0 && (static_cast<unsigned char>(term[start - 1]) & 0xC0) == 0x80) --start;
  if (start == 0) return std::nullopt;
  --start;
  Xapian::Utf8Iterator it(term.data() + start, term.size() - start);
  if (!is_cjk(*it) || (++it) != Xapian::Utf8Iterator()) return std::nullopt;
  for (std::size_t i = 0; i < start; ++i) {
    if (term[i] < 'A' || term[i] > 'Z') return std::nullopt;
  }
  return term.substr(0, start);
}

// Xapian 1.4 indexes CJK text as unigrams and bigrams, each with its own
// position (北 115, 北京 116, 京 117), but parses a CJK phrase as a phrase
// of unigrams alone, which never matches. Put the bigrams back between the
// unigrams: "北京会见" is the phrase 北 北京 京 京会 会 会见 见.
Xapian::Query with_cjk_bigrams(const Xapian::Query& query) {
  const auto op = query.get_type();
  const std::size_t n = query.get_num_subqueries();
  if (op == Xapian::Query::OP_PHRASE) {
    std::vector<std::string> terms;
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      const Xapian::Query sub = query.get_subquery(i);
      if (sub.get_type() != Xapian::Query::LEAF_TERM) return query;
      const std::string term = *sub.get_terms_begin();
      if (!terms.empty()) {
        const std::optional<std::string> prefix = cjk_unigram_prefix(term);
        const std::optional<std::string> previous = cjk_unigram_prefix(terms.back());
        if (prefix && previous && prefix == previous) {
          terms.push_back(terms.back() + term.substr(prefix->size()));
          changed = true;
        }
      }
      terms.push_back(term);
    }
    if (!changed) return query;
    return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                         static_cast<Xapian::termcount>(terms.size()));
  }
  switch (op) {
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
      break;
    default:
      return query;
  }
  std::vector<Xapian::Query> subs;
  bool changed = false;
  for (std::size_t i = 0; i < n; ++i) {
    const Xapian::Query sub = query.get_subquery(i);
    subs.push_back(with_cjk_bigrams(sub));
    changed = changed || subs.back().get_description() != sub.get_description();
  }
  return changed ? Xapian::Query(op, subs.begin(), subs.end()) : query;
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

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
        built.resolved.push_back({exact ? fmt::format("{}-exact", info.name) : std::string(info.name), value,
                                  r.id, r.name, resolver.take_choice()});
      } else {
        const NameResolver::Author author = resolver.resolve_author(value);
        queries.emplace_back(author.term);
        built.resolved.push_back(
            {std::string(info.name), value, author.term.substr(info.prefix.size()), author.name});
      }
    }
    built.filters[field] = or_of(queries);
  }
}

}  // namespace

BuiltQuery build_query(const Xapian::Database& db, const SearchRequest& request, NameResolver& resolver) {
  BuiltQuery built;
  // Filters first: a bad name or date is reported before the query is parsed.
  add_field_filters(request, resolver, built);
  DateRange range;
  // A range given to --since or --until ("1987-03-01..1987-03-31") is
  // applied whole; with the other flag as well it would be two ranges.
  const bool since_range = request.since.find("..") != std::string::npos;
  const bool until_range = request.until.find("..") != std::string::npos;
  if ((since_range && !request.until.empty()) || (until_range && !request.since.empty())) {
    throw Error(fmt::format("--since {} and --until {}: give a range A..B to one of them, or a date to each",
                            request.since, request.until));
  }
  if (!request.since.empty()) {
    const DateRange r = parse_date_range(request.since, request.today);
    range.from = r.from;
    if (since_range) range.to = r.to;
    if (!range.from.empty()) {
      built.resolved.push_back(
          {"since", request.since, iso_of_day_key(range.from), iso_of_day_key(range.from)});
    }
    if (since_range && !range.to.empty()) {
      built.resolved.push_back({"until", request.since, iso_of_day_key(range.to), iso_of_day_key(range.to)});
    }
  }
  if (!request.until.empty()) {
    const DateRange r = parse_date_range(request.until, request.today);
    range.to = r.to;
    if (until_range) range.from = r.from;
    if (until_range && !range.from.empty()) {
      built.resolved.push_back(
          {"since", request.until, iso_of_day_key(range.from), iso_of_day_key(range.from)});
    }
    if (!range.to.empty()) {
      built.resolved.push_back({"until", request.until, iso_of_day_key(range.to), iso_of_day_key(range.to)});
    }
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
    built.filters[schema::Field::date] = date_query(db, range);
  }

  // '*' alone: every section that passes the filters.
  if (trim(request.query).empty() || trim(request.query) == "*") {
    if (built.filters.empty() && trim(request.query).empty()) {
      throw Error("nothing to search for: give a query or a filter ('*' for every section)");
    }
    built.text = Xapian::Query::MatchAll;
    return built;
  }
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(schema::text_stemmer());
  // Stem every query word (also capitalised ones, so "Blinken" finds
  // "Blinken’s") and look for it behind the stem prefix, as the index
  // has it: Z<stem>, ZS<stem>... Wildcards expand over the same stems.
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
  const std::string stem_prefix(schema::kStemPrefix);
  qp.set_default_op(Xapian::Query::OP_AND);
  qp.set_max_expansion(kMaxWildcardTerms, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  // Owned by `qp` (release()); alive until it is destroyed at return.
  std::vector<FilterFieldProcessor*> processors;
  for (const schema::FieldInfo& field : schema::kFields) {
    if ((field.flags & schema::kQueryField) == 0) continue;
    const std::string name(field.name);
    if (field.kind == schema::FieldKind::text) {
      qp.add_prefix(name, stem_prefix + std::string(field.prefix));
      continue;
    }
    processors.push_back(new FilterFieldProcessor(db, field.field, resolver, request.today));
    qp.add_boolean_prefix(name, processors.back()->release());
  }
  // Accents folded before parsing too, so that wildcards ("zür*"), which
  // are not stemmed, expand over the folded stems.
  const std::string folded = strip_accents(request.query);
  built.text = qp.parse_query(folded, kQueryFlags, stem_prefix);
  if (folded.find('"') != std::string::npos && !is_ascii(folded)) built.text = with_cjk_bigrams(built.text);
  if (request.mode != MatchMode::all) {
    built.ranked = parse_ranked(qp, folded, request.mode, kQueryFlags, stem_prefix);
  }
  for (const FilterFieldProcessor* p : processors) {
    if (p->error()) throw *p->error();
  }
  return built;
}

}  // namespace folio::query
