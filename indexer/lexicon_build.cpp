// folio_lexicon_build: builds the binary lexicon (share/folio/lexicon.bin)
// at build time from countries and subdivisions of iso-codes, cities of
// libgeonames, the word lists, and folio's own lists in data/lexicon/. The
// same inputs give the same bytes. Run by the build (data/CMakeLists.txt):
//
//   folio_lexicon_build --data DIR --iso-codes DIR --dict FILE... --out FILE
#include <fmt/format.h>
#include <geonames.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "folio/entities.hpp"
#include "folio/error.hpp"
#include "folio/text.hpp"
#include "lexicon_format.hpp"

namespace folio {
namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kBigCity = Lexicon::kBigCityPopulation;

// ISO 3166-2 subdivision types folio recognises; smaller units (districts,
// counties, municipalities) would mostly add noise.
const std::unordered_set<std::string> kSubdivisionTypes = {"State",
                                                           "Province",
                                                           "Region",
                                                           "Prefecture",
                                                           "Autonomous region",
                                                           "Municipality",
                                                           "Emirate",
                                                           "Territory",
                                                           "Country",
                                                           "Land",
                                                           "Metropolitan region",
                                                           "Union territory",
                                                           "Autonomous province",
                                                           "Federal district",
                                                           "Special administrative region",
                                                           "Republic",
                                                           "Autonomous community",
                                                           "Autonomous republic",
                                                           "Nation"};

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t pos = s.find(sep, start);
    out.emplace_back(trim(s.substr(start, pos - start)));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

// Lines of a data file without comments and blank lines.
std::vector<std::string> read_lines(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(fmt::format("cannot read {}: folio's data files are missing", file.string()));
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    const std::string_view t = trim(line);
    if (t.empty() || t.starts_with('#')) continue;
    lines.emplace_back(line);
  }
  return lines;
}

// TSV rows with at least `columns` fields.
std::vector<std::vector<std::string>> read_tsv(const fs::path& file, std::size_t columns) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& line : read_lines(file)) {
    std::vector<std::string> fields = split(line, '\t');
    if (fields.size() < columns) {
      throw Error(fmt::format("{}: expected {} tab-separated fields in '{}'", file.string(), columns, line));
    }
    rows.push_back(std::move(fields));
  }
  return rows;
}

nlohmann::json read_json(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(fmt::format("cannot read {}: is the iso-codes package installed?", file.string()));
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: {}", file.string(), e.what()));
  }
}

bool is_acronym(std::string_view s) {
  int letters = 0;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') {
      ++letters;
    } else if (c != '.') {
      return false;
    }
  }
  return letters >= 2 && letters <= 5;
}

std::string strip_chinese_suffix(const std::string& name) {
  for (std::string_view suffix :
       {" Shi", " Sheng", " Zizhiqu", " Huizu Zizhiqu", " Zhuangzu Zizhiqu", " Weiwu'er Zizhiqu"}) {
    if (name.ends_with(suffix)) return name.substr(0, name.size() - suffix.size());
  }
  return name;
}

// The sources of the lexicon (see data/README.md).
struct Sources {
  // folio's data folder (holds lexicon/).
  fs::path data_dir;
  // Debian's iso-codes: countries (ISO 3166-1) and subdivisions (3166-2).
  fs::path iso_codes_dir = "/usr/share/iso-codes/json";
  // Word lists (Debian's wamerican and wbritish): a city or name that is
  // also an ordinary lower-case word ("nice", "reading", "centre") needs
  // context to count.
  std::vector<fs::path> dictionaries;
  // Cities from libgeonames (about 24,000 with population over 15,000).
  bool cities = true;
};

// What a phrase can be, while the lexicon is built.
struct Phrase {
  std::vector<std::uint32_t> places;  // indexes into places_, best first
  bool demonym = false;
  bool title = false;
  bool organisation = false;
};

// The lexicon's tables in memory, before they are written out.
struct LexiconData {
  const Phrase* phrase(const std::string& key) const {
    const auto it = phrases_.find(key);
    return it == phrases_.end() ? nullptr : &it->second;
  }

  std::vector<Lexicon::PlaceEntry> places_;
  std::unordered_map<std::string, Phrase> phrases_;
  std::unordered_map<std::string, Phrase> acronyms_;
  std::size_t max_phrase_tokens_ = 1;
  std::unordered_set<std::string> given_names_;
  std::unordered_set<std::string> surname_first_;
  std::unordered_set<std::string> organisation_suffixes_;
  std::unordered_set<std::string> ordinary_words_;
  std::unordered_set<std::string> abbreviations_;
};

// Builds a LexiconData; places are added in priority order, which decides ids.
class LexiconBuilder {
 public:
  explicit LexiconBuilder(LexiconData& lexicon) : lx_(lexicon) {}

  // Adds a place, giving it `wanted_id` or, if taken, a qualified one.
  std::uint32_t add_place(Place place, std::uint32_t population, const std::string& cc,
                          const std::string& state) {
    std::string id = place.id;
    if (used_ids_.count(id) != 0) id = fmt::format("{}-{}", place.id, to_lower_ascii(cc));
    if (used_ids_.count(id) != 0) id = fmt::format("{}-{}", id, slug(state));
    for (int n = 2; used_ids_.count(id) != 0; ++n) id = fmt::format("{}-{}", place.id, n);
    used_ids_.insert(id);
    place.id = id;
    lx_.places_.push_back({std::move(place), population});
    return static_cast<std::uint32_t>(lx_.places_.size() - 1);
  }

  // `rank`: lower is preferred when a name has several places.
  void add_name(const std::string& surface, std::uint32_t place, int rank) {
    // "Calif.", "Ill.": abbreviations match only with their full stop, as
    // written ("I’ll" is not Illinois).
    const bool abbreviation = surface.size() > 2 && surface.ends_with('.') &&
                              surface.find(' ') == std::string::npos && !is_acronym(surface);
    if (abbreviation) lx_.abbreviations_.insert(fold(surface));
    Phrase& p = abbreviation ? lx_.acronyms_[surface] : phrase_for(surface);
    if (std::find(p.places.begin(), p.places.end(), place) == p.places.end()) {
      p.places.push_back(place);
      ranks_[place] = rank;
    }
  }

  void add_demonym(const std::string& surface, std::uint32_t place) {
    Phrase& p = phrase_for(surface);
    p.demonym = p.places.empty() || p.demonym;
    add_name(surface, place, 0);
  }

  void add_flag(const std::string& surface, bool Phrase::*flag) { phrase_for(surface).*flag = true; }

  void finish() {
    auto by_rank = [&](std::uint32_t a, std::uint32_t b) {
      const int ra = ranks_[a];
      const int rb = ranks_[b];
      if (ra != rb) return ra < rb;
      return lx_.places_[a].population > lx_.places_[b].population;
    };
    for (auto* map : {&lx_.phrases_, &lx_.acronyms_}) {
      for (auto& [key, phrase] : *map) {
        std::stable_sort(phrase.places.begin(), phrase.places.end(), by_rank);
      }
    }
  }

 private:
  Phrase& phrase_for(const std::string& surface) {
    if (is_acronym(surface)) return lx_.acronyms_[surface];
    const std::string key = fold(surface);
    const std::size_t tokens = static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1;
    lx_.max_phrase_tokens_ = std::max(lx_.max_phrase_tokens_, tokens);
    return lx_.phrases_[key];
  }

  LexiconData& lx_;
  std::unordered_set<std::string> used_ids_;
  std::unordered_map<std::uint32_t, int> ranks_;
};

// Priority of the places a name can denote: a country before a region,
// before an explicit alias, a big city, a subdivision, other cities.
enum Rank { kCountry = 0, kRegion = 1, kAlias = 2, kBigCityRank = 3, kSubdivision = 4, kCity = 5 };

// Builds a LexiconData from its sources, one step per source, in the order the
// ids are given (see data/README.md): countries, regions, explicit aliases,
// cities of a million or more, subdivisions, other cities.
class LexiconLoader {
 public:
  LexiconLoader(LexiconData& lx, const Sources& sources)
      : lx_(lx), builder_(lx), sources_(sources), dir_(sources.data_dir / "lexicon") {}

  void load() {
    load_ordinary_words();
    load_countries();
    load_regions();
    load_place_aliases();
    index_known_places();
    read_cities();
    add_cities(kBigCity, UINT32_MAX);
    load_subdivisions();
    add_cities(0, kBigCity);
    load_name_lists();
    builder_.finish();
    set_country_names();
  }

 private:
  struct City {
    std::string name, state, cc;
    std::uint32_t population;
  };

  static std::string known_key(const std::string& name, const std::string& country, PlaceKind kind) {
    return fold(name) + "|" + country + "|" + to_string(kind);
  }

  std::string country_id(const std::string& code) const {
    const auto it = country_by_code_.find(code);
    return it == country_by_code_.end() ? std::string() : lx_.places_[it->second].place.id;
  }

  void load_ordinary_words() {
    // Ordinary words: the dictionaries' lower-case entries.
    for (const fs::path& dictionary : sources_.dictionaries) {
      std::ifstream in(dictionary);
      if (!in) {
        throw Error(fmt::format("cannot read the word list {}: install Debian's wamerican and wbritish",
                                dictionary.string()));
      }
      std::string word;
      while (std::getline(in, word)) {
        if (word.empty() || !(word[0] >= 'a' && word[0] <= 'z')) continue;
        if (word.ends_with("'s")) continue;
        lx_.ordinary_words_.insert(fold(word));
      }
    }
  }

  void load_countries() {
    // Countries: iso-codes, with folio's ids, display names, aliases, demonyms.
    std::map<std::string, std::vector<std::string>> country_rows;
    for (auto& row : read_tsv(dir_ / "countries.tsv", 5)) country_rows[row[0]] = row;
    const nlohmann::json iso1 = read_json(sources_.iso_codes_dir / "iso_3166-1.json");
    for (const auto& c : iso1.at("3166-1")) {
      const std::string code = c.at("alpha_2").get<std::string>();
      const std::string iso_name = c.at("name").get<std::string>();
      const std::string common = c.value("common_name", iso_name);
      const auto row = country_rows.find(code);
      Place p;
      p.kind = PlaceKind::country;
      p.name = row != country_rows.end() ? row->second[2] : common;
      p.id = row != country_rows.end() ? row->second[1] : slug(common);
      p.country = p.id;
      const std::uint32_t idx = builder_.add_place(p, 0, code, "");
      lx_.places_[idx].place.country = lx_.places_[idx].place.id;
      country_by_code_[code] = idx;
      for (const std::string& name : {p.name, iso_name, common, c.value("official_name", iso_name)}) {
        if (name.find(',') == std::string::npos) builder_.add_name(name, idx, kCountry);
      }
      if (row != country_rows.end()) {
        for (const std::string& alias : split(row->second[3], '|')) {
          if (!alias.empty()) builder_.add_name(alias, idx, kCountry);
        }
        for (const std::string& demonym : split(row->second[4], '|')) {
          if (!demonym.empty()) builder_.add_demonym(demonym, idx);
        }
      }
    }
  }

  void load_regions() {
    // Regions, seas and areas.
    for (const auto& row : read_tsv(dir_ / "regions.tsv", 5)) {
      Place p{row[0], row[1], PlaceKind::region, country_id(row[2]), {}, {}};
      const std::uint32_t idx = builder_.add_place(p, 0, row[2], "");
      builder_.add_name(row[1], idx, kRegion);
      for (const std::string& alias : split(row[3], '|')) {
        if (!alias.empty()) builder_.add_name(alias, idx, kRegion);
      }
      for (const std::string& demonym : split(row[4], '|')) {
        if (!demonym.empty()) builder_.add_demonym(demonym, idx);
      }
    }
  }

  void load_place_aliases() {
    // Explicit aliases: exonyms and names that mean one city ("Washington").
    alias_rows_ = read_tsv(dir_ / "place_aliases.tsv", 5);
    for (const auto& row : alias_rows_) {
      auto [it, fresh] = alias_places_.try_emplace(row[1], 0);
      if (fresh) {
        Place p{row[1],
                row[4],
                row[2] == "subdivision" ? PlaceKind::subdivision : PlaceKind::city,
                country_id(row[3]),
                {},
                {}};
        it->second = builder_.add_place(p, 0, row[3], "");
        builder_.add_name(row[4], it->second, kAlias);
      }
      builder_.add_name(row[0], it->second, kAlias);
    }
  }

  void index_known_places() {
    // Places already known by name and country: a geonames city or ISO
    // subdivision of the same name, country and kind is the same place.
    for (std::uint32_t i = 0; i < lx_.places_.size(); ++i) {
      const Place& p = lx_.places_[i].place;
      if (p.kind == PlaceKind::country) continue;
      // A region is any kind of place for this purpose ("England").
      for (PlaceKind k : {PlaceKind::city, PlaceKind::subdivision}) {
        if (p.kind == k || p.kind == PlaceKind::region) known_.emplace(known_key(p.name, p.country, k), i);
      }
    }
    for (const auto& row : alias_rows_) {
      const std::uint32_t idx = alias_places_.at(row[1]);
      const Place& p = lx_.places_[idx].place;
      known_.emplace(known_key(row[0], p.country, p.kind), idx);
      known_.emplace(known_key(p.id, p.country, p.kind), idx);  // "new-york": New York
    }
  }

  void read_cities() {
    // Cities from libgeonames, biggest first so that the plain id goes to the
    // best known. Cities of a million or more claim their ids before
    // subdivisions ("tokyo" is the city, "tokyo-jp" the prefecture).
    if (sources_.cities) {
      const gint n = geonames_get_n_cities();
      cities_.reserve(static_cast<std::size_t>(n));
      for (gint i = 0; i < n; ++i) {
        GeonamesCity* c = geonames_get_city(i);
        if (c == nullptr) continue;
        cities_.push_back({geonames_city_get_name(c), geonames_city_get_state(c),
                           geonames_city_get_country_code(c), geonames_city_get_population(c)});
        geonames_city_free(c);
      }
      std::stable_sort(cities_.begin(), cities_.end(),
                       [](const City& a, const City& b) { return a.population > b.population; });
    }
  }

  // Cities with min_population <= population < below.
  void add_cities(std::uint32_t min_population, std::uint32_t below) {
    for (const City& c : cities_) {
      if (c.population < min_population || c.population >= below) continue;
      const std::string country = country_id(c.cc);
      if (country.empty()) continue;
      if (const auto k = known_.find(known_key(c.name, country, PlaceKind::city)); k != known_.end()) {
        // The alias row's city: take geonames' population and name.
        lx_.places_[k->second].population = std::max(lx_.places_[k->second].population, c.population);
        builder_.add_name(c.name, k->second, kAlias);
        continue;
      }
      const Phrase* existing = lx_.phrase(fold(c.name));
      // A name that already means a country or region ("Mexico", "Singapore")
      // is not also a city.
      if (existing != nullptr && !existing->places.empty() &&
          (lx_.places_[existing->places.front()].place.kind == PlaceKind::country ||
           lx_.places_[existing->places.front()].place.kind == PlaceKind::region)) {
        continue;
      }
      Place p{slug(c.name), c.name, PlaceKind::city, country, {}, {}};
      const std::uint32_t idx = builder_.add_place(p, c.population, c.cc, c.state);
      builder_.add_name(c.name, idx, c.population >= kBigCity ? kBigCityRank : kCity);
    }
  }

  void load_subdivisions() {
    // Subdivisions.
    const nlohmann::json iso2 = read_json(sources_.iso_codes_dir / "iso_3166-2.json");
    for (const auto& s : iso2.at("3166-2")) {
      if (kSubdivisionTypes.count(s.at("type").get<std::string>()) == 0) continue;
      const std::string code = s.at("code").get<std::string>();
      const std::string cc = code.substr(0, 2);
      const std::string name = strip_chinese_suffix(s.at("name").get<std::string>());
      const std::string country = country_id(cc);
      if (const auto k = known_.find(known_key(name, country, PlaceKind::subdivision)); k != known_.end()) {
        continue;
      }
      // Not a subdivision named like a country ("Taiwan" of China's list) or
      // like ordinary words ("West", "Centre", "Central" of Cameroon or Ghana).
      const Phrase* existing = lx_.phrase(fold(name));
      if (existing != nullptr && !existing->places.empty() &&
          lx_.places_[existing->places.front()].place.kind == PlaceKind::country) {
        continue;
      }
      const std::string key = fold(name);
      bool ordinary = true;
      for (std::size_t start = 0; start <= key.size();) {
        const std::size_t end = std::min(key.find(' ', start), key.size());
        ordinary = ordinary && lx_.ordinary_words_.count(key.substr(start, end - start)) != 0;
        start = end + 1;
      }
      if (ordinary) continue;
      Place p{slug(name), name, PlaceKind::subdivision, country, {}, {}};
      builder_.add_name(name, builder_.add_place(p, 0, cc, ""), kSubdivision);
    }
  }

  void load_name_lists() {
    // People: given names, surname-first family names, titles.
    for (const char* file : {"names/male.txt", "names/female.txt", "given_names_extra.txt"}) {
      for (const std::string& line : read_lines(dir_ / file)) lx_.given_names_.insert(fold(line));
    }
    for (const std::string& line : read_lines(dir_ / "surname_first.txt")) {
      lx_.surname_first_.insert(fold(line));
    }
    for (const std::string& line : read_lines(dir_ / "person_titles.txt")) {
      const std::string title(trim(line));
      builder_.add_flag(title, &Phrase::title);
      if (title.ends_with('.')) lx_.abbreviations_.insert(fold(title));
    }
    for (const std::string& line : read_lines(dir_ / "organisations.txt")) {
      builder_.add_flag(std::string(trim(line)), &Phrase::organisation);
    }
    for (const std::string& line : read_lines(dir_ / "organisation_suffixes.txt")) {
      const std::string suffix(trim(line));
      lx_.organisation_suffixes_.insert(fold(suffix));
      if (suffix.ends_with('.')) lx_.abbreviations_.insert(fold(suffix));
    }
    for (const char* abbreviation : {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
                                     "nov", "dec", "st", "mt", "ft", "jr", "sr", "no", "vs"}) {
      lx_.abbreviations_.insert(abbreviation);
    }
  }

  void set_country_names() {
    std::unordered_map<std::string, std::string> country_names;
    for (const auto& [code, idx] : country_by_code_) {
      country_names[lx_.places_[idx].place.id] = lx_.places_[idx].place.name;
    }
    for (Lexicon::PlaceEntry& e : lx_.places_) {
      if (const auto it = country_names.find(e.place.country); it != country_names.end()) {
        e.place.country_name = it->second;
      }
    }
  }

  LexiconData& lx_;
  LexiconBuilder builder_;
  const Sources& sources_;
  const fs::path dir_;
  std::unordered_map<std::string, std::uint32_t> country_by_code_;
  std::unordered_map<std::string, std::uint32_t> alias_places_;  // by id
  std::vector<std::vector<std::string>> alias_rows_;
  // Places already known by name, country and kind.
  std::unordered_map<std::string, std::uint32_t> known_;
  std::vector<City> cities_;
};

// Lays out a LexiconData as the bytes of lexicon.bin (lexicon_format.hpp).
// Keys are written sorted and strings in the order first used, so the same
// data gives the same bytes.
class FileWriter {
 public:
  explicit FileWriter(const LexiconData& lx) : lx_(lx) {}

  std::string bytes() {
    add_places();
    add_phrases(lx_.phrases_, lexicon_file::kPhraseSlots, lexicon_file::kPhraseRecords);
    add_phrases(lx_.acronyms_, lexicon_file::kAcronymSlots, lexicon_file::kAcronymRecords);
    add_set(lx_.given_names_, lexicon_file::kGivenNameSlots);
    add_set(lx_.surname_first_, lexicon_file::kSurnameFirstSlots);
    add_set(lx_.organisation_suffixes_, lexicon_file::kOrganisationSuffixSlots);
    add_set(lx_.ordinary_words_, lexicon_file::kOrdinaryWordSlots);
    add_set(lx_.abbreviations_, lexicon_file::kAbbreviationSlots);
    tables_[lexicon_file::kPlaceIds] = as_bytes(place_ids_);
    tables_[lexicon_file::kStrings] = strings_;
    return lay_out();
  }

 private:
  // Where a phrase record's ids are, until the tables' offsets are known.
  struct PendingIds {
    lexicon_file::Table records;
    std::size_t record;
    std::size_t first_id;
  };

  template <typename T>
  static std::string as_bytes(const std::vector<T>& v) {
    std::string out(v.size() * sizeof(T), '\0');
    if (!v.empty()) std::memcpy(out.data(), v.data(), out.size());
    return out;
  }

  static std::uint32_t u32(std::size_t n) {
    if (n > UINT32_MAX) throw Error("the lexicon is too big for its file format");
    return static_cast<std::uint32_t>(n);
  }

  lexicon_file::Key intern(const std::string& s) {
    auto [it, fresh] = interned_.try_emplace(s, 0);
    if (fresh) {
      it->second = u32(strings_.size());
      strings_ += s;
    }
    return {it->second, u32(s.size())};
  }

  void add_places() {
    std::vector<lexicon_file::PlaceRecord> records;
    records.reserve(lx_.places_.size());
    for (const Lexicon::PlaceEntry& e : lx_.places_) {
      records.push_back({intern(e.place.id), intern(e.place.name), intern(e.place.country),
                         intern(e.place.country_name), e.population,
                         static_cast<std::uint32_t>(e.place.kind)});
    }
    tables_[lexicon_file::kPlaces] = as_bytes(records);
  }

  // Fills the slots of a hash table of `keys` (sorted).
  void add_table(const std::vector<std::string>& keys, lexicon_file::Table slots_table) {
    std::size_t slots = 16;
    while (slots < 2 * keys.size()) slots *= 2;
    std::vector<lexicon_file::Slot> table(slots, lexicon_file::Slot{0, 0, {0, 0}});
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const std::uint64_t h = lexicon_file::key_hash(keys[i]);
      std::size_t pos = h & (slots - 1);
      while (table[pos].index != 0) pos = (pos + 1) & (slots - 1);
      table[pos] = {static_cast<std::uint32_t>(h >> 32), u32(i + 1), intern(keys[i])};
    }
    tables_[slots_table] = as_bytes(table);
  }

  static std::vector<std::string> sorted_keys(const std::unordered_set<std::string>& set) {
    std::vector<std::string> keys(set.begin(), set.end());
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  void add_set(const std::unordered_set<std::string>& set, lexicon_file::Table slots_table) {
    add_table(sorted_keys(set), slots_table);
  }

  void add_phrases(const std::unordered_map<std::string, Phrase>& map, lexicon_file::Table slots_table,
                   lexicon_file::Table records_table) {
    std::vector<std::string> keys;
    keys.reserve(map.size());
    for (const auto& [key, phrase] : map) keys.push_back(key);
    std::sort(keys.begin(), keys.end());
    add_table(keys, slots_table);
    std::string records(keys.size() * lexicon_file::kPhraseRecordBytes, '\0');
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const Phrase& p = map.at(keys[i]);
      char* r = records.data() + i * lexicon_file::kPhraseRecordBytes;
      const std::uint32_t count = u32(p.places.size());
      std::memcpy(r + 4, &count, 4);
      r[8] = p.demonym ? 1 : 0;
      r[9] = p.title ? 1 : 0;
      r[10] = p.organisation ? 1 : 0;
      if (!p.places.empty()) pending_.push_back({records_table, i, place_ids_.size()});
      place_ids_.insert(place_ids_.end(), p.places.begin(), p.places.end());
    }
    tables_[records_table] = std::move(records);
  }

  std::string lay_out() {
    lexicon_file::Header header{};
    std::memcpy(header.magic, lexicon_file::kMagic, sizeof header.magic);
    header.version = lexicon_file::kVersion;
    header.byte_order = lexicon_file::kByteOrderMark;
    header.max_phrase_tokens = u32(lx_.max_phrase_tokens_);
    header.table_count = lexicon_file::kTableCount;
    std::size_t offset = lexicon_file::kHeaderBytes;
    for (std::size_t t = 0; t < lexicon_file::kTableCount; ++t) {
      offset = (offset + 7) & ~std::size_t{7};
      header.tables[t] = {offset, tables_[t].size()};
      offset += tables_[t].size();
    }
    header.file_bytes = offset;
    // Self-relative place ids: from the record to its first id.
    const std::uint64_t ids_at = header.tables[lexicon_file::kPlaceIds].offset;
    for (const PendingIds& p : pending_) {
      const std::uint64_t record_at =
          header.tables[p.records].offset + p.record * lexicon_file::kPhraseRecordBytes;
      const std::uint32_t relative = u32(ids_at + p.first_id * 4 - record_at);
      std::memcpy(tables_[p.records].data() + p.record * lexicon_file::kPhraseRecordBytes, &relative, 4);
    }
    header.header_hash = 0;
    header.header_hash =
        fnv1a64(std::string_view(reinterpret_cast<const char*>(&header), lexicon_file::kHeaderBytes));
    std::string out(offset, '\0');
    std::memcpy(out.data(), &header, lexicon_file::kHeaderBytes);
    for (std::size_t t = 0; t < lexicon_file::kTableCount; ++t) {
      if (!tables_[t].empty()) {
        std::memcpy(out.data() + header.tables[t].offset, tables_[t].data(), tables_[t].size());
      }
    }
    return out;
  }

  const LexiconData& lx_;
  std::string tables_[lexicon_file::kTableCount];
  std::string strings_;
  std::unordered_map<std::string, std::uint32_t> interned_;
  std::vector<std::uint32_t> place_ids_;
  std::vector<PendingIds> pending_;
};

void write_file(const fs::path& out, const std::string& bytes) {
  // Written aside and renamed: a failed run leaves no half file behind.
  const fs::path tmp = out.string() + ".tmp";
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!file.flush()) throw Error(fmt::format("cannot write {}", tmp.string()));
  }
  fs::rename(tmp, out);
}

int run(int argc, char** argv) {
  Sources sources;
  fs::path out;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--no-cities") {
      sources.cities = false;
      continue;
    }
    if (i + 1 >= argc) throw Error(fmt::format("{} needs a value", arg));
    const char* value = argv[++i];
    if (arg == "--data") {
      sources.data_dir = value;
    } else if (arg == "--iso-codes") {
      sources.iso_codes_dir = value;
    } else if (arg == "--dict") {
      sources.dictionaries.emplace_back(value);
    } else if (arg == "--out") {
      out = value;
    } else {
      throw Error(fmt::format("unknown option {}", arg));
    }
  }
  if (sources.data_dir.empty() || out.empty()) {
    throw Error(
        "usage: folio_lexicon_build --data DIR [--iso-codes DIR] [--dict FILE]... [--no-cities] --out FILE");
  }
  LexiconData lx;
  LexiconLoader(lx, sources).load();
  write_file(out, FileWriter(lx).bytes());
  return 0;
}

}  // namespace
}  // namespace folio

int main(int argc, char** argv) {
  try {
    return folio::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "folio_lexicon_build: %s\n", e.what());
    return 1;
  }
}
