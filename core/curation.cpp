#include "folio/curation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <limits>
#include <type_traits>
#include <utility>

#include "folio/error.hpp"
#include "folio/text.hpp"

namespace folio {
namespace {

using Field = schema::Field;

// The words of a line: bare words, and "quoted strings" (\" and \\ inside).
std::vector<std::string> tokens(const std::string& line, const std::string& where) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    if (std::isspace(static_cast<unsigned char>(line[i])) != 0) {
      ++i;
    } else if (line[i] == '#') {
      break;
    } else if (line[i] == '"') {
      std::string text;
      for (++i; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) ++i;
        text += line[i];
      }
      if (i == line.size()) throw Error(fmt::format("{}: the quoted name has no closing '\"'", where));
      ++i;
      out.push_back(std::move(text));
    } else {
      const std::size_t end = line.find_first_of(" \t#", i);
      out.push_back(line.substr(i, end == std::string::npos ? std::string::npos : end - i));
      i = end == std::string::npos ? line.size() : end;
    }
  }
  return out;
}

// "person:joe-biden" -> (person, "joe-biden").
std::pair<Field, std::string> entity_of(const std::string& token, const std::string& where) {
  const std::size_t colon = token.find(':');
  const std::optional<Field> type =
      colon == std::string::npos ? std::nullopt : schema::field_named(token.substr(0, colon));
  if (!type || !schema::has(*type, schema::kRegistry) || colon + 1 == token.size()) {
    throw Error(
        fmt::format("{}: '{}' is not TYPE:ID (person:joe-biden, place:russia, org:united-nations; "
                    "`folio entities` lists the ids)",
                    where, token));
  }
  return {*type, token.substr(colon + 1)};
}

// The registry field whose ids a facet's values are.
std::optional<Field> registry_of(Field field) { return schema::info(field).named_by; }

}  // namespace

void Curation::add(Rule rule) {
  const Key key{rule.type, rule.id};
  switch (rule.action) {
    case Action::merge: {
      // A cycle would make an id its own target: refuse the rule closing it.
      for (std::string at = rule.value;;) {
        if (at == rule.id) {
          throw Error(
              fmt::format("{}: merging {} into {} makes a cycle of merges", rule.where, rule.id, rule.value));
        }
        const auto next = merge_.find({rule.type, at});
        if (next == merge_.end()) break;
        at = next->second;
      }
      merge_[key] = rule.value;
      break;
    }
    case Action::rename:
      rename_[key] = rule.value;
      break;
    case Action::suppress:
      suppress_[key] = true;
      break;
    case Action::alias:
      alias_.emplace(std::pair{rule.type, fold(rule.value)}, rules_.size());
      if (!rule.from_lexicon) user_aliases_[key].push_back(rule.value);
      break;
  }
  rules_.push_back(std::move(rule));
}

void Curation::read(std::istream& in, const std::string& source) {
  read_deferred();  // the order rules were given in decides which alias wins
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const std::string where = fmt::format("{}:{}", source, number);
    const std::vector<std::string> words = tokens(line, where);
    if (words.empty()) continue;
    const std::string action = fold(words[0]);
    Rule rule;
    rule.where = where;
    auto expect = [&](std::size_t n, const char* form) {
      if (words.size() != n) throw Error(fmt::format("{}: expected `{}`", where, form));
    };
    if (action == "merge") {
      expect(4, "merge TYPE:ID into TYPE:ID");
      if (fold(words[2]) != "into")
        throw Error(fmt::format("{}: expected `merge TYPE:ID into TYPE:ID`", where));
      rule.action = Action::merge;
      std::tie(rule.type, rule.id) = entity_of(words[1], where);
      const auto [type, into] = entity_of(words[3], where);
      if (type != rule.type)
        throw Error(fmt::format("{}: a {} cannot be merged into a {}", where, schema::info(rule.type).name,
                                schema::info(type).name));
      if (into == rule.id) throw Error(fmt::format("{}: {} is merged into itself", where, words[1]));
      rule.value = into;
    } else if (action == "rename" || action == "alias") {
      expect(3, action == "rename" ? "rename TYPE:ID \"Name\"" : "alias TYPE:ID \"other name\"");
      rule.action = action == "rename" ? Action::rename : Action::alias;
      std::tie(rule.type, rule.id) = entity_of(words[1], where);
      rule.value = words[2];
      if (fold(rule.value).empty()) throw Error(fmt::format("{}: the name is empty", where));
    } else if (action == "suppress") {
      expect(2, "suppress TYPE:ID");
      rule.action = Action::suppress;
      std::tie(rule.type, rule.id) = entity_of(words[1], where);
    } else {
      throw Error(fmt::format("{}: '{}' is not a rule: merge, rename, alias or suppress", where, words[0]));
    }
    touched_[{rule.type, rule.id}] = true;
    if (rule.action == Action::merge) touched_[{rule.type, rule.value}] = true;
    add(std::move(rule));
    ++user_rules_;
  }
}

void Curation::read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return;
  std::ifstream in(path);
  if (!in || std::filesystem::is_directory(path, ec)) {
    throw Error(fmt::format("cannot read the entities file {}", path.string()));
  }
  read(in, path.string());
}

void Curation::read_country_names(const std::filesystem::path& countries_tsv) {
  read_deferred();
  read_countries(countries_tsv);
}

void Curation::read_countries(const std::filesystem::path& countries_tsv) const {
  std::ifstream in(countries_tsv);
  if (!in) return;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> columns;
    for (std::size_t start = 0;;) {
      const std::size_t tab = line.find('\t', start);
      columns.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    if (columns.size() < 4 || columns[1].empty()) continue;
    for (std::size_t start = 0; start < columns[3].size();) {
      const std::size_t bar = std::min(columns[3].find('|', start), columns[3].size());
      const std::string alias = columns[3].substr(start, bar - start);
      const std::string key = fold(alias);
      // A name the user's file gives already, or a second country's: the first wins.
      if (!key.empty() && alias_.count({Field::place, key}) == 0) {
        // As add() adds an alias rule.
        alias_.emplace(std::pair{Field::place, key}, rules_.size());
        rules_.push_back(
            {Action::alias, Field::place, columns[1], alias,
             fmt::format("{}:{}",
                         (countries_tsv.parent_path().filename() / countries_tsv.filename()).string(),
                         number),
             true});
      }
      start = bar + 1;
    }
  }
}

namespace {

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

}  // namespace

std::string Curation::rule_text(const Rule& r) {
  const std::string entity = fmt::format("{}:{}", schema::info(r.type).name, r.id);
  switch (r.action) {
    case Action::merge:
      return fmt::format("merge {} into {}:{}", entity, schema::info(r.type).name, r.value);
    case Action::rename:
      return fmt::format("rename {} {}", entity, quoted(r.value));
    case Action::alias:
      return fmt::format("alias {} {}", entity, quoted(r.value));
    case Action::suppress:
      break;
  }
  return fmt::format("suppress {}", entity);
}

std::string Curation::user_text() const {
  std::string out;
  for (const Rule& r : rules_) {
    if (!r.from_lexicon) out += rule_text(r) + '\n';
  }
  return out;
}

bool Curation::touches(Field type, const std::string& id) const { return touched_.count({type, id}) != 0; }

bool Curation::suppressed(Field type, const std::string& id) const {
  return suppress_.count({type, id}) != 0;
}

std::optional<std::string> Curation::merged_into(Field type, const std::string& id) const {
  std::optional<std::string> into;
  for (auto it = merge_.find({type, id}); it != merge_.end(); it = merge_.find({type, it->second})) {
    into = it->second;
  }
  return into;
}

std::vector<std::string> Curation::merged_from(Field type, const std::string& id) const {
  std::vector<std::string> out;
  for (const auto& [key, into] : merge_) {
    if (key.first == type && merged_into(type, key.second) == id) out.push_back(key.second);
  }
  return out;
}

std::optional<std::string> Curation::name(Field type, const std::string& id) const {
  const auto it = rename_.find({type, id});
  if (it == rename_.end()) return std::nullopt;
  return it->second;
}

void Curation::defer_country_names(std::filesystem::path countries_tsv) {
  countries_tsv_ = std::move(countries_tsv);
}

void Curation::read_deferred() const {
  if (countries_tsv_.empty()) return;
  const std::filesystem::path path = std::exchange(countries_tsv_, {});
  // The lexicon's rules are the curation's own bookkeeping: reading them
  // late changes nothing a caller sees (the user's file came first).
  read_countries(path);
}

bool Curation::empty() const {
  read_deferred();
  return rules_.empty();
}

const std::vector<Curation::Rule>& Curation::rules() const {
  read_deferred();
  return rules_;
}

const Curation::Rule* Curation::alias_rule(Field type, const std::string& folded) const {
  read_deferred();
  const auto it = alias_.find({type, folded});
  return it == alias_.end() ? nullptr : &rules_[it->second];
}

bool Curation::regroups(Field field) const {
  const std::optional<Field> registry = registry_of(field);
  if (!registry) return false;
  auto of_type = [&](const auto& map) {
    return std::any_of(map.begin(), map.end(),
                       [&](const auto& entry) { return entry.first.first == *registry; });
  };
  return of_type(merge_) || of_type(suppress_);
}

void Curation::apply(schema::EntityRecord& record) const {
  if (std::optional<std::string> renamed = name(record.type, record.id)) {
    if (*renamed != record.name) record.aliases.push_back(std::exchange(record.name, *renamed));
  }
  // The lexicon's names are for resolving, not for listing as names seen.
  const auto aliases = user_aliases_.find({record.type, record.id});
  if (aliases == user_aliases_.end()) return;
  for (const std::string& alias : aliases->second) {
    if (std::find(record.aliases.begin(), record.aliases.end(), alias) == record.aliases.end()) {
      record.aliases.push_back(alias);
    }
  }
}

namespace {

// Merges, renames and suppressions over one list of a section (people,
// places or organisations: each has an id and a name).
template <typename Entity, typename Lookup>
void curate_list(const Curation& curation, Field type, std::vector<Entity>& list, const Lookup& lookup) {
  std::vector<Entity> out;
  for (Entity& e : list) {
    if (curation.suppressed(type, e.id)) continue;
    if (std::optional<std::string> into = curation.merged_into(type, e.id)) {
      if (curation.suppressed(type, *into)) continue;
      e.id = *into;
      if (std::optional<schema::EntityRecord> r = lookup(type, e.id)) {
        e.name = r->name;
        if constexpr (std::is_same_v<Entity, Place>) {
          e.kind = r->kind;
          e.country = r->country;
        }
      }
    }
    if (std::optional<std::string> renamed = curation.name(type, e.id)) e.name = *renamed;
    if (std::none_of(out.begin(), out.end(), [&](const Entity& o) { return o.id == e.id; })) {
      out.push_back(std::move(e));
    }
  }
  list = std::move(out);
}

using Lookup = Curation::Lookup;

void curate_section(const Curation& curation, schema::SectionData& section, const Lookup& lookup) {
  curate_list(curation, Field::person, section.people, lookup);
  curate_list(curation, Field::place, section.places, lookup);
  curate_list(curation, Field::org, section.orgs, lookup);
}

void curate_facet(const Curation& curation, Facet& facet, std::size_t limit, const Lookup& lookup) {
  const std::optional<Field> registry = registry_of(facet.spec.field);
  facet.spec.limit = limit;
  if (!registry) return;
  if (!curation.regroups(facet.spec.field)) {
    // Nothing merged or suppressed: the values and their cut stand.
    for (FacetValue& v : facet.values) {
      if (std::optional<std::string> renamed = curation.name(*registry, v.value)) v.name = *renamed;
    }
    return;
  }
  std::vector<FacetValue> out;
  for (FacetValue& v : facet.values) {
    std::optional<std::string> into = curation.merged_into(*registry, v.value);
    const std::string& id = into ? *into : v.value;
    if (curation.suppressed(*registry, v.value) || curation.suppressed(*registry, id)) continue;
    auto same = std::find_if(out.begin(), out.end(), [&](const FacetValue& o) { return o.value == id; });
    if (same != out.end()) {
      same->count += v.count;
      continue;
    }
    if (into) {
      v.value = *into;
      const std::optional<schema::EntityRecord> r = lookup(*registry, v.value);
      v.name = r ? r->name : v.value;
    }
    if (std::optional<std::string> renamed = curation.name(*registry, v.value)) v.name = *renamed;
    out.push_back(std::move(v));
  }
  std::stable_sort(out.begin(), out.end(), [](const FacetValue& a, const FacetValue& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  facet.distinct = out.size();
  if (out.size() > limit) out.resize(limit);
  facet.values = std::move(out);
}

}  // namespace

void Curation::apply(schema::SectionData& section) const {
  curate_section(*this, section,
                 [](Field, const std::string&) { return std::optional<schema::EntityRecord>(); });
}

void Curation::apply(schema::SectionData& section, const Lookup& lookup) const {
  curate_section(*this, section, lookup);
}

void Curation::apply(SearchResults& results) const {
  const Lookup none = [](Field, const std::string&) { return std::optional<schema::EntityRecord>(); };
  for (Facet& facet : results.facets) curate_facet(*this, facet, facet.spec.limit, none);
  for (Hit& hit : results.hits) curate_section(*this, hit.section, none);
}

SearchResults search(const Index& index, SearchRequest request, const Curation& curation) {
  std::vector<std::size_t> limits;
  for (FacetSpec& spec : request.facets) {
    limits.push_back(spec.limit);
    // The values a merge adds up may be below the limit: count them all.
    if (curation.regroups(spec.field)) spec.limit = std::numeric_limits<std::size_t>::max();
  }
  request.curation = &curation;
  SearchResults results = search(index, request);
  std::map<std::pair<Field, std::string>, std::optional<schema::EntityRecord>> cache;
  const Lookup lookup = [&](Field type, const std::string& id) {
    auto it = cache.find({type, id});
    if (it == cache.end()) it = cache.emplace(std::pair{type, id}, index.entity(type, id)).first;
    return it->second;
  };
  for (std::size_t i = 0; i < results.facets.size(); ++i) {
    curate_facet(curation, results.facets[i], i < limits.size() ? limits[i] : results.facets[i].spec.limit,
                 lookup);
  }
  for (Hit& hit : results.hits) curate_section(curation, hit.section, lookup);
  return results;
}

}  // namespace folio
