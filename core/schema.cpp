#include "folio/schema.hpp"

#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "folio/error.hpp"
#include "folio/text.hpp"

namespace folio::schema {

using nlohmann::json;

namespace {

class FoldingStemmer : public Xapian::StemImplementation {
 public:
  std::string operator()(const std::string& word) override { return stem_(strip_accents(word)); }
  std::string get_description() const override {
    return fmt::format("folio: accents stripped, then {}", stem_.get_description());
  }

 private:
  Xapian::Stem stem_{std::string(kStemLanguage)};
};

}  // namespace

Xapian::Stem text_stemmer() { return Xapian::Stem(new FoldingStemmer); }

std::string shard_name(std::size_t k) { return fmt::format("shard{}", k); }

std::size_t shard_of(std::string_view article_id, std::size_t shards) {
  return static_cast<std::size_t>(fnv1a64(article_id) % shards);
}

std::string article_id(std::string_view absolute_path) { return to_hex(fnv1a64(absolute_path)); }

std::string section_id(std::string_view article_id, int section_index) {
  return fmt::format("{}-{}", article_id, section_index);
}

std::optional<SectionRef> parse_section_id(std::string_view id) {
  const std::size_t dash = id.rfind('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == id.size()) return std::nullopt;
  SectionRef ref{std::string(id.substr(0, dash)), 0};
  for (const char c : id.substr(dash + 1)) {
    if (c < '0' || c > '9' || ref.index > 100000000) return std::nullopt;
    ref.index = ref.index * 10 + (c - '0');
  }
  return ref;
}

std::optional<Field> field_named(std::string_view name) {
  for (const FieldInfo& f : kFields) {
    if (f.name == name) return f.field;
  }
  return std::nullopt;
}

std::string content_key(std::uint64_t content_hash) { return to_hex(content_hash); }

std::string copy_key(std::string_view content_key, int section_index) {
  return fmt::format("{}-{}", content_key, section_index);
}

std::optional<CopyKey> parse_copy_key(std::string_view value) {
  constexpr std::size_t kHexDigits = 16;
  constexpr std::size_t kMaxIndexDigits = 9;
  if (value.size() < kHexDigits + 2 || value.size() > kHexDigits + 1 + kMaxIndexDigits ||
      value[kHexDigits] != '-') {
    return std::nullopt;
  }
  CopyKey key;
  for (std::size_t i = 0; i < kHexDigits; ++i) {
    const char c = value[i];
    const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) return std::nullopt;
    key.content_hash = key.content_hash << 4U | static_cast<std::uint64_t>(digit);
  }
  for (std::size_t i = kHexDigits + 1; i < value.size(); ++i) {
    if (value[i] < '0' || value[i] > '9') return std::nullopt;
    key.section = key.section * 10 + static_cast<std::uint32_t>(value[i] - '0');
  }
  return key;
}

std::string section_id_term(std::string_view section_id) {
  return fmt::format("{}{}", kSectionIdPrefix, section_id);
}

std::string article_term(std::string_view article_id) {
  return fmt::format("{}{}", kArticlePrefix, article_id);
}

std::string author_term(std::string_view author) {
  std::string term(kAuthorPrefix);
  bool space = false;
  for (char c : to_lower_ascii(trim(author))) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space) term += ' ';
    space = false;
    term += c;
  }
  return bounded(std::move(term), kMaxTermBytes);
}

std::string file_key(std::string_view article_id) { return fmt::format("{}{}", kFileKeyPrefix, article_id); }

std::string bad_file_key(std::string_view article_id) {
  return fmt::format("{}{}", kBadFileKeyPrefix, article_id);
}

std::vector<std::string> date_terms(const Date& date) {
  if (!date.known()) return {std::string(kUndatedTerm)};
  std::vector<std::string> terms;
  terms.push_back(fmt::format("{}{:04}", kYearPrefix, date.year));
  if (date.precision != DatePrecision::year) {
    terms.push_back(fmt::format("{}{:04}{:02}", kMonthPrefix, date.year, date.month));
  }
  if (date.precision == DatePrecision::day) {
    terms.push_back(fmt::format("{}{:04}{:02}{:02}", kDayPrefix, date.year, date.month, date.day));
  }
  return terms;
}

std::string join_ids(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    out += id;
    out += kListSeparator;
  }
  return out;
}

std::vector<std::string> split_ids(std::string_view value) {
  std::vector<std::string> ids;
  while (!value.empty()) {
    const std::size_t end = value.find(kListSeparator);
    ids.emplace_back(value.substr(0, end));
    if (end == std::string_view::npos) break;
    value.remove_prefix(end + 1);
  }
  return ids;
}

std::string facets_value(const std::array<std::string, kFacetFieldCount>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += kFieldSeparator;
    out += fields[i];
  }
  return out;
}

std::array<std::string_view, kFacetFieldCount> split_facets_value(std::string_view value) {
  std::array<std::string_view, kFacetFieldCount> fields{};
  for (std::size_t i = 0; i < fields.size() && !value.empty(); ++i) {
    const std::size_t end = value.find(kFieldSeparator);
    fields[i] = value.substr(0, end);
    if (end == std::string_view::npos) break;
    value.remove_prefix(end + 1);
  }
  return fields;
}

std::string entity_key(EntityRecord::Type type, std::string_view id) {
  return fmt::format("{}{}", info(type).registry_key, id);
}

std::string entity_term(Field field, std::string_view id) {
  return fmt::format("{}{}", info(field).prefix, id);
}

namespace {

PlaceKind kind_from_string(const std::string& s) {
  for (PlaceKind k : {PlaceKind::country, PlaceKind::subdivision, PlaceKind::city, PlaceKind::region}) {
    if (s == to_string(k)) return k;
  }
  return PlaceKind::region;
}

json date_to_json(const Date& date) {
  return {{"y", date.year}, {"m", date.month}, {"d", date.day}, {"p", to_string(date.precision)}};
}

Date date_from_json(const json& j) {
  Date d;
  d.year = j.at("y").get<int>();
  d.month = j.at("m").get<int>();
  d.day = j.at("d").get<int>();
  const std::string p = j.at("p").get<std::string>();
  d.precision = p == "day"     ? DatePrecision::day
                : p == "month" ? DatePrecision::month
                : p == "year"  ? DatePrecision::year
                               : DatePrecision::none;
  return d;
}

template <typename Fn>
auto parse_stored(std::string_view text, const char* what, Fn&& fn) {
  try {
    return fn(json::parse(text));
  } catch (const json::exception& e) {
    throw Error(
        fmt::format("damaged {} in the index ({}): re-index with "
                    "`folio index`",
                    what, e.what()));
  }
}

}  // namespace

std::string FileRecord::to_json() const {
  return json{{"path", path},
              {"size", size},
              {"mtime_ns", mtime_ns},
              {"hash", to_hex(content_hash)},
              {"sections", sections}}
      .dump();
}

FileRecord FileRecord::from_json(std::string_view text) {
  return parse_stored(text, "file record", [](const json& j) {
    FileRecord r;
    r.path = j.at("path").get<std::string>();
    r.size = j.at("size").get<std::uint64_t>();
    r.mtime_ns = j.at("mtime_ns").get<std::int64_t>();
    r.content_hash = std::stoull(j.at("hash").get<std::string>(), nullptr, 16);
    r.sections = j.at("sections").get<int>();
    return r;
  });
}

std::string root_key(std::string_view real_path) {
  return fmt::format("{}{}", kRootKeyPrefix, article_id(real_path));
}

std::string RootRecord::to_json() const {
  return json{{"path", path}, {"real_path", real_path}, {"excludes", excludes}, {"indexed_at", indexed_at}}
      .dump();
}

RootRecord RootRecord::from_json(std::string_view text) {
  return parse_stored(text, "root record", [](const json& j) {
    RootRecord r;
    r.path = j.at("path").get<std::string>();
    r.real_path = j.at("real_path").get<std::string>();
    r.excludes = j.at("excludes").get<std::vector<std::string>>();
    r.indexed_at = j.at("indexed_at").get<std::int64_t>();
    return r;
  });
}

std::vector<RootRecord> stored_roots(const Xapian::Database& db) {
  const std::string prefix(kRootKeyPrefix);
  std::vector<RootRecord> roots;
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
    roots.push_back(RootRecord::from_json(db.get_metadata(*it)));
  }
  std::sort(roots.begin(), roots.end(),
            [](const RootRecord& a, const RootRecord& b) { return a.path < b.path; });
  return roots;
}

std::string BadFileRecord::to_json() const {
  return json{{"path", path},         {"size", size},     {"mtime_ns", mtime_ns},
              {"ctime_ns", ctime_ns}, {"reason", reason}, {"too_large", too_large}}
      .dump();
}

BadFileRecord BadFileRecord::from_json(std::string_view text) {
  return parse_stored(text, "bad file record", [](const json& j) {
    BadFileRecord r;
    r.path = j.at("path").get<std::string>();
    r.size = j.at("size").get<std::uint64_t>();
    r.mtime_ns = j.at("mtime_ns").get<std::int64_t>();
    r.ctime_ns = j.at("ctime_ns").get<std::int64_t>();
    r.reason = j.at("reason").get<std::string>();
    r.too_large = j.at("too_large").get<bool>();
    return r;
  });
}

std::string SectionData::to_json() const {
  json people_json = json::array();
  for (const Person& p : people) people_json.push_back({{"id", p.id}, {"name", p.name}});
  json places_json = json::array();
  for (const Place& p : places) {
    places_json.push_back(
        {{"id", p.id}, {"name", p.name}, {"kind", to_string(p.kind)}, {"country", p.country}});
  }
  json orgs_json = json::array();
  for (const Org& o : orgs) orgs_json.push_back({{"id", o.id}, {"name", o.name}});
  return json{{"path", path},
              {"title", title},
              {"authors", authors},
              {"date", date_to_json(date)},
              {"section", index},
              {"heading", heading},
              {"line", line},
              {"text", text},
              {std::string(info(Field::person).plural), std::move(people_json)},
              {std::string(info(Field::place).plural), std::move(places_json)},
              {std::string(info(Field::org).plural), std::move(orgs_json)}}
      .dump();
}

SectionData SectionData::from_json(std::string_view text) {
  return parse_stored(text, "section data", [](const json& j) {
    SectionData s;
    s.path = j.at("path").get<std::string>();
    s.title = j.at("title").get<std::string>();
    s.authors = j.at("authors").get<std::vector<std::string>>();
    s.date = date_from_json(j.at("date"));
    s.index = j.at("section").get<int>();
    s.heading = j.at("heading").get<std::string>();
    s.line = j.at("line").get<int>();
    s.text = j.at("text").get<std::string>();
    for (const json& p : j.at(std::string(info(Field::person).plural))) {
      s.people.push_back({p.at("id").get<std::string>(), p.at("name").get<std::string>(), {}});
    }
    for (const json& p : j.at(std::string(info(Field::place).plural))) {
      s.places.push_back({p.at("id").get<std::string>(),
                          p.at("name").get<std::string>(),
                          kind_from_string(p.at("kind").get<std::string>()),
                          p.at("country").get<std::string>(),
                          {},
                          {}});
    }
    for (const json& o : j.at(std::string(info(Field::org).plural))) {
      s.orgs.push_back({o.at("id").get<std::string>(), o.at("name").get<std::string>(), {}});
    }
    return s;
  });
}

std::string EntityRecord::to_json() const {
  json j{{"name", name}, {"aliases", aliases}};
  if (info(type).roll_up) {
    j["kind"] = to_string(kind);
    j["country"] = country;
  }
  return j.dump();
}

bool EntityRecord::add_aliases(const std::vector<std::string>& more) {
  bool changed = false;
  for (const std::string& alias : more) {
    if (alias == name || std::find(aliases.begin(), aliases.end(), alias) != aliases.end()) continue;
    if (aliases.size() >= kMaxAliases) break;
    aliases.push_back(alias);
    changed = true;
  }
  return changed;
}

EntityRecord EntityRecord::from_json(Type type, std::string_view id, std::string_view text) {
  return parse_stored(text, "entity record", [&](const json& j) {
    EntityRecord r;
    r.type = type;
    r.id = std::string(id);
    r.name = j.at("name").get<std::string>();
    r.aliases = j.at("aliases").get<std::vector<std::string>>();
    if (info(type).roll_up) {
      r.kind = kind_from_string(j.at("kind").get<std::string>());
      r.country = j.at("country").get<std::string>();
    }
    return r;
  });
}

}  // namespace folio::schema
