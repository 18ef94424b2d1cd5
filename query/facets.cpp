#include "facets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "folio/error.hpp"

namespace folio {
namespace {

// "facets are person, place, country, author (each with an optional :N,
// e.g. person:20) and date (date:year, date:month or date:day)"
std::string facet_help() {
  std::string counted, dates;
  std::string_view example;
  for (const schema::FieldInfo& f : schema::kFields) {
    if ((f.flags & schema::kFacet) == 0) continue;
    if (f.kind == schema::FieldKind::date) {
      dates += fmt::format("{0}{1} ({1}:year, {1}:month or {1}:day)", dates.empty() ? "" : ", ", f.name);
    } else {
      counted += fmt::format("{}{}", counted.empty() ? "" : ", ", f.name);
      if (example.empty()) example = f.name;
    }
  }
  return fmt::format("facets are {} (each with an optional :N, e.g. {}:20) and {}", counted, example, dates);
}

}  // namespace

std::string_view to_string(schema::Field field) { return schema::info(field).name; }

FacetSpec parse_facet_spec(std::string_view text) {
  FacetSpec spec;
  const std::size_t colon = text.find(':');
  const std::string_view name = text.substr(0, colon);
  const std::string_view arg = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  const std::optional<schema::Field> field = schema::field_named(name);
  if (!field || !schema::has(*field, schema::kFacet)) {
    throw Error(fmt::format("unknown facet '{}': {}", text, facet_help()));
  }
  spec.field = *field;
  if (colon != std::string_view::npos && arg.empty()) {
    throw Error(fmt::format("bad facet '{}': {}", text, facet_help()));
  }
  if (arg.empty()) return spec;
  if (schema::info(spec.field).kind == schema::FieldKind::date) {
    if (arg == "year") {
      spec.granularity = DateGranularity::year;
    } else if (arg == "month") {
      spec.granularity = DateGranularity::month;
    } else if (arg == "day") {
      spec.granularity = DateGranularity::day;
    } else {
      throw Error(fmt::format("bad facet '{}': {}", text, facet_help()));
    }
    return spec;
  }
  std::size_t limit = 0;
  for (char c : arg) {
    if (c < '0' || c > '9' || limit > 100000)
      throw Error(fmt::format("bad facet '{}': {}", text, facet_help()));
    limit = limit * 10 + static_cast<std::size_t>(c - '0');
  }
  if (limit == 0) throw Error(fmt::format("bad facet '{}': {}", text, facet_help()));
  spec.limit = limit;
  return spec;
}

}  // namespace folio

namespace folio::query {
namespace {

bool is_date(FacetField field) { return schema::info(field).kind == schema::FieldKind::date; }

// Of "2023-06-18": "2023", "2023-06" or all. A date less precise than the
// granularity stays as it is ("2023-06" in a facet by day).
std::size_t date_key_length(DateGranularity g) {
  return g == DateGranularity::year ? 4 : g == DateGranularity::month ? 7 : 10;
}

// Of a facet value's bytes (ids and dates: short), a word at a time.
std::uint64_t value_hash(std::string_view s) {
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = kMul ^ s.size();
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29U;
  }
  std::uint64_t w = 0;
  std::memcpy(&w, p, n);
  h = (h ^ w) * kMul;
  h ^= h >> 32U;
  return h * kMul;
}

}  // namespace

std::size_t FacetSpy::Counts::find_or_add(std::string_view value) {
  if (last_ != 0 && entries_[last_ - 1].value == value) return last_ - 1;
  if (2 * (entries_.size() + 1) > slots_.size()) grow();
  const std::uint64_t h = value_hash(value);
  const std::uint64_t tag = h >> 32U << 32U;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
    const std::uint64_t slot = slots_[i];
    if (slot == 0) {
      entries_.push_back({std::string(value), 0});
      slots_[i] = tag | entries_.size();
      last_ = entries_.size();
      return last_ - 1;
    }
    const auto index = static_cast<std::size_t>(slot & 0xFFFFFFFFULL);
    if ((slot & ~0xFFFFFFFFULL) == tag && entries_[index - 1].value == value) {
      last_ = index;
      return index - 1;
    }
  }
}

std::unordered_set<std::string>& FacetSpy::Counts::articles(std::size_t i) {
  if (articles_.size() < entries_.size()) articles_.resize(entries_.size());
  return articles_[i];
}

void FacetSpy::Counts::grow() {
  slots_.assign(std::max<std::size_t>(64, 2 * slots_.size()), 0);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t k = 0; k < entries_.size(); ++k) {
    const std::uint64_t h = value_hash(entries_[k].value);
    std::size_t i = static_cast<std::size_t>(h) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = (h >> 32U << 32U) | (k + 1);
  }
}

FacetSpy::FacetSpy(std::vector<FacetSpec> specs, bool by_article)
    : specs_(std::move(specs)), by_article_(by_article), counts_(specs_.size()) {
  for (const FacetSpec& spec : specs_) positions_.push_back(schema::info(spec.field).facet_position);
}

void FacetSpy::count(Counts& counts, std::string_view key, const std::string& article) {
  const std::size_t i = counts.find_or_add(key);
  if (by_article_) {
    counts.articles(i).insert(article);
  } else {
    ++counts.entry(i).sections;
  }
}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  const std::string value = doc.get_value(schema::kFacetsSlot);
  if (value.empty()) return;
  const auto fields = schema::split_facets_value(value);
  const std::string article = by_article_ ? doc.get_value(schema::kArticleSlot) : std::string();
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    const std::string_view field = fields[positions_[i]];
    if (field.empty()) continue;
    if (is_date(specs_[i].field)) {
      count(counts_[i], field.substr(0, date_key_length(specs_[i].granularity)), article);
      continue;
    }
    // Multi-valued: a section that mentions three people adds one to each.
    std::string_view rest = field;
    while (!rest.empty()) {
      const std::size_t end = rest.find(schema::kListSeparator);
      if (end != 0) count(counts_[i], rest.substr(0, end), article);
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
  }
}

std::vector<FacetValue> FacetSpy::counts(std::size_t i) const {
  std::vector<FacetValue> values;
  values.reserve(counts_[i].entries().size());
  const Counts& counts = counts_[i];
  for (std::size_t k = 0; k < counts.entries().size(); ++k) {
    const Counts::Entry& e = counts.entries()[k];
    values.push_back(
        {e.value, {}, by_article_ ? static_cast<Xapian::doccount>(counts.articles(k).size()) : e.sections});
  }
  return values;
}

Facet FacetSpy::result(std::size_t i, NameResolver& resolver, bool disjunctive) const {
  return make_facet(specs_[i], by_article_, disjunctive, counts(i), resolver);
}

Facet FacetSpy::make_facet(const FacetSpec& spec, bool by_article, bool disjunctive,
                           std::vector<FacetValue> values, NameResolver& resolver) {
  Facet facet;
  facet.spec = spec;
  facet.by_article = by_article;
  facet.disjunctive = disjunctive;
  facet.values = std::move(values);
  facet.distinct = facet.values.size();
  if (is_date(spec.field)) {
    std::sort(facet.values.begin(), facet.values.end(),
              [](const FacetValue& a, const FacetValue& b) { return a.value < b.value; });
    for (FacetValue& v : facet.values) v.name = v.value;
    return facet;
  }
  std::sort(facet.values.begin(), facet.values.end(), [](const FacetValue& a, const FacetValue& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  if (facet.values.size() > spec.limit) facet.values.resize(spec.limit);
  // Entity ids are shown by name; authors are stored as written.
  const std::optional<schema::Field> registry = schema::info(spec.field).named_by;
  for (FacetValue& v : facet.values) v.name = registry ? resolver.display_name(*registry, v.value) : v.value;
  return facet;
}

}  // namespace folio::query
