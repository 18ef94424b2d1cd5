// The entities file applied to what a shard stores (schema.hpp: the
// people, places and organisations of a section, their terms and the facets
// value), so that the stored records agree with it after `folio index`.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <set>

#include "shard_writer.hpp"

namespace folio {
namespace {

using nlohmann::json;
using Field = schema::Field;

constexpr std::array kListFields = {Field::person, Field::place, Field::org};

// The country of each place of a section, in order of first mention, as
// `curation` merges and suppresses countries.
std::vector<std::string> country_ids(const schema::SectionData& s, const Curation& curation) {
  std::vector<std::string> ids;
  for (const Place& p : s.places) {
    if (p.country.empty() || curation.suppressed(Field::place, p.country)) continue;
    std::string id = curation.merged_into(Field::place, p.country).value_or(p.country);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
  }
  return ids;
}

// The entity terms of a section's lists: each id's term, and its places'
// countries'.
std::set<std::string> entity_terms(const schema::SectionData& s, const Curation& curation) {
  std::set<std::string> terms;
  for (const Person& p : s.people) terms.insert(schema::entity_term(Field::person, p.id));
  for (const Org& o : s.orgs) terms.insert(schema::entity_term(Field::org, o.id));
  for (const Place& p : s.places) terms.insert(schema::entity_term(Field::place, p.id));
  for (const std::string& c : country_ids(s, curation)) terms.insert(schema::entity_term(Field::country, c));
  return terms;
}

template <typename List>
std::vector<std::string> ids_of(const List& list) {
  std::vector<std::string> ids;
  for (const auto& e : list) ids.push_back(e.id);
  return ids;
}

// Whether a term is an entity term (of a field with a registry's ids) or
// one the curation took away.
bool is_entity_term(const std::string& term) {
  if (term.starts_with(schema::kCuratedAwayPrefix)) return true;
  for (const schema::FieldInfo& f : schema::kFields) {
    if (f.kind == schema::FieldKind::entity && term.starts_with(f.prefix)) return true;
  }
  return false;
}

}  // namespace

bool mentions_touched(const Xapian::Document& doc, const Curation& curation) {
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    const std::string term = *t;
    for (const schema::FieldInfo& f : schema::kFields) {
      if (f.kind != schema::FieldKind::entity || !f.named_by || !term.starts_with(f.prefix)) continue;
      if (curation.touches(*f.named_by, term.substr(f.prefix.size()))) return true;
    }
  }
  return false;
}

bool curate_document(Xapian::Document& doc, const Curation& curation, const Curation::Lookup& lookup) {
  const std::string data = doc.get_data();
  json j = json::parse(data);
  // The lists as extracted: kept aside by an earlier curation, or these.
  json extracted = json::object();
  for (const Field f : kListFields) {
    const std::string key(schema::info(f).plural);
    const auto kept = j.find(std::string(schema::kExtractedKey));
    extracted[key] = kept != j.end() && kept->contains(key) ? (*kept)[key] : j.at(key);
  }
  json as_extracted = j;
  for (const Field f : kListFields) {
    const std::string key(schema::info(f).plural);
    as_extracted[key] = extracted[key];
  }
  const schema::SectionData raw = schema::SectionData::from_json(as_extracted.dump());
  schema::SectionData curated = raw;
  curation.apply(curated, lookup);
  const json lists = json::parse(curated.to_json());
  bool changed_lists = false;
  for (const Field f : kListFields) {
    const std::string key(schema::info(f).plural);
    j[key] = lists.at(key);
    changed_lists = changed_lists || j[key] != extracted[key];
  }
  if (changed_lists) {
    j[std::string(schema::kExtractedKey)] = extracted;
  } else {
    j.erase(std::string(schema::kExtractedKey));
  }
  const std::string now = j.dump();
  if (now == data) return false;

  // Terms: the curated ones, and the extracted ones it took away behind
  // kCuratedAwayPrefix.
  const Curation none{};
  const std::set<std::string> kept = entity_terms(curated, curation);
  std::vector<std::string> old;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    if (is_entity_term(*t)) old.push_back(*t);
  }
  for (const std::string& term : old) doc.remove_term(term);
  for (const std::string& term : kept) doc.add_boolean_term(term);
  for (const std::string& term : entity_terms(raw, none)) {
    if (kept.count(term) == 0) doc.add_boolean_term(std::string(schema::kCuratedAwayPrefix) + term);
  }

  const std::string facets_value = doc.get_value(schema::kFacetsSlot);
  const auto views = schema::split_facets_value(facets_value);
  std::array<std::string, schema::kFacetFieldCount> facets;
  for (std::size_t i = 0; i < facets.size(); ++i) facets[i] = std::string(views[i]);
  facets[schema::info(Field::person).facet_position] = schema::join_ids(ids_of(curated.people));
  facets[schema::info(Field::place).facet_position] = schema::join_ids(ids_of(curated.places));
  facets[schema::info(Field::org).facet_position] = schema::join_ids(ids_of(curated.orgs));
  facets[schema::info(Field::country).facet_position] = schema::join_ids(country_ids(curated, curation));
  doc.add_value(schema::kFacetsSlot, schema::facets_value(facets));
  doc.set_data(now);
  return true;
}

}  // namespace folio
