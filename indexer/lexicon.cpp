// Loading the lexicon: countries and subdivisions from iso-codes, cities
// from libgeonames, and folio's own lists in data/lexicon/.
#include <fmt/format.h>
#include <geonames.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "folio/entities.hpp"
#include "folio/error.hpp"
#include "folio/tagger.hpp"
#include "folio/text.hpp"

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

}  // namespace

// Builds a Lexicon; places are added in priority order, which decides ids.
class LexiconBuilder {
 public:
  explicit LexiconBuilder(Lexicon& lexicon) : lx_(lexicon) {}

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
    Lexicon::Phrase& p = abbreviation ? lx_.acronyms_[surface] : phrase_for(surface);
    if (std::find(p.places.begin(), p.places.end(), place) == p.places.end()) {
      p.places.push_back(place);
      ranks_[place] = rank;
    }
  }

  void add_demonym(const std::string& surface, std::uint32_t place) {
    Lexicon::Phrase& p = phrase_for(surface);
    p.demonym = p.places.empty() || p.demonym;
    add_name(surface, place, 0);
  }

  void add_flag(const std::string& surface, bool Lexicon::Phrase::*flag) { phrase_for(surface).*flag = true; }

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
  Lexicon::Phrase& phrase_for(const std::string& surface) {
    if (is_acronym(surface)) return lx_.acronyms_[surface];
    const std::string key = fold(surface);
    const std::size_t tokens = static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1;
    lx_.max_phrase_tokens_ = std::max(lx_.max_phrase_tokens_, tokens);
    return lx_.phrases_[key];
  }

  Lexicon& lx_;
  std::unordered_set<std::string> used_ids_;
  std::unordered_map<std::uint32_t, int> ranks_;
};

namespace {

// Priority of the places a name can denote: a country before a region,
// before an explicit alias, a big city, a subdivision, other cities.
enum Rank { kCountry = 0, kRegion = 1, kAlias = 2, kBigCityRank = 3, kSubdivision = 4, kCity = 5 };

}  // namespace

const Lexicon::Phrase* Lexicon::phrase(const std::string& key) const {
  const auto it = phrases_.find(key);
  return it == phrases_.end() ? nullptr : &it->second;
}

const Lexicon::Phrase* Lexicon::acronym(std::string_view surface) const {
  const auto it = acronyms_.find(std::string(surface));
  return it == acronyms_.end() ? nullptr : &it->second;
}

// Builds a Lexicon from its sources, one step per source, in the order the
// ids are given (see data/README.md): countries, regions, explicit aliases,
// cities of a million or more, subdivisions, other cities.
class LexiconLoader {
 public:
  LexiconLoader(Lexicon& lx, const LexiconSources& sources)
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
    load_tagger();
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
      const Lexicon::Phrase* existing = lx_.phrase(fold(c.name));
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
      const Lexicon::Phrase* existing = lx_.phrase(fold(name));
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
      builder_.add_flag(title, &Lexicon::Phrase::title);
      if (title.ends_with('.')) lx_.abbreviations_.insert(fold(title));
    }
    for (const std::string& line : read_lines(dir_ / "organisations.txt")) {
      builder_.add_flag(std::string(trim(line)), &Lexicon::Phrase::organisation);
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

  void load_tagger() {
    if (const fs::path model = sources_.data_dir / "ner" / "model.bin";
        sources_.tagger && fs::exists(model)) {
      lx_.tagger_ = TaggerModel::load(model);
    }
  }

  Lexicon& lx_;
  LexiconBuilder builder_;
  const LexiconSources& sources_;
  const fs::path dir_;
  std::unordered_map<std::string, std::uint32_t> country_by_code_;
  std::unordered_map<std::string, std::uint32_t> alias_places_;  // by id
  std::vector<std::vector<std::string>> alias_rows_;
  // Places already known by name, country and kind.
  std::unordered_map<std::string, std::uint32_t> known_;
  std::vector<City> cities_;
};

std::shared_ptr<const Lexicon> Lexicon::load(const LexiconSources& sources) {
  std::shared_ptr<Lexicon> lx(new Lexicon);
  LexiconLoader(*lx, sources).load();
  return lx;
}

}  // namespace folio
