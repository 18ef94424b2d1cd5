// People and places: the lexicon they are recognised with (gazetteers, name
// lists) and the extractor that finds them in an article's sections.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "folio/model.hpp"
#include "folio/text.hpp"

namespace folio {

// Where the lexicon comes from. See data/README.md for each source.
struct LexiconSources {
  // folio's data folder (holds lexicon/).
  std::filesystem::path data_dir;
  // Debian's iso-codes: countries (ISO 3166-1) and subdivisions (3166-2).
  std::filesystem::path iso_codes_dir = "/usr/share/iso-codes/json";
  // Word lists (Debian's wamerican and wbritish): a city or name that is
  // also an ordinary lower-case word ("nice", "reading", "centre") needs
  // context to count.
  std::vector<std::filesystem::path> dictionaries = {"/usr/share/dict/american-english",
                                                     "/usr/share/dict/british-english"};
  // Cities from libgeonames (about 24,000 with population over 15,000).
  bool cities = true;
  // The named-entity tagger's model (data_dir/ner/model.bin): loaded if the
  // file exists, unless false. Without it the lexicon's rules work alone.
  bool tagger = true;
};

class TaggerModel;

// The immutable lookup tables the extractor uses. Thread-safe to share.
class Lexicon {
 public:
  // Loads every source. Throws folio::Error naming a missing or malformed file.
  static std::shared_ptr<const Lexicon> load(const LexiconSources& sources);

  struct PlaceEntry {
    Place place;                   // without aliases
    std::uint32_t population = 0;  // cities only
  };

  // A city at least this big ranks above a subdivision of the same name, and
  // counts as a place without context ("in", "Bath, England") even when its
  // name is an ordinary word.
  static constexpr std::uint32_t kBigCityPopulation = 1'000'000;

  // What a phrase (folded, space-separated tokens) can be.
  struct Phrase {
    std::vector<std::uint32_t> places;  // indexes into places(), best first
    bool demonym = false;               // "Chinese": its places are countries
    bool title = false;                 // "Secretary of State"
    bool organisation = false;          // "Goldman Sachs"
  };

  const std::vector<PlaceEntry>& places() const { return places_; }
  // The phrase for folded tokens joined by ' ', or nullptr.
  const Phrase* phrase(const std::string& key) const;
  // Case-sensitive acronyms ("US", "U.S.", "UK"), or nullptr.
  const Phrase* acronym(std::string_view surface) const;
  std::size_t max_phrase_tokens() const { return max_phrase_tokens_; }

  bool is_given_name(const std::string& key) const { return given_names_.count(key) != 0; }
  bool is_surname_first(const std::string& key) const { return surname_first_.count(key) != 0; }
  bool is_organisation_suffix(const std::string& key) const { return organisation_suffixes_.count(key) != 0; }
  // A lower-case word of the dictionary ("nice", "gang", "reading").
  bool is_ordinary_word(const std::string& key) const { return ordinary_words_.count(key) != 0; }
  // Abbreviations that keep their full stop: "mr", "dr", "gen", "jan".
  bool is_abbreviation(const std::string& key) const { return abbreviations_.count(key) != 0; }
  // The trained tagger that finds names before the lexicon reads them, or
  // nullptr (no model file, or LexiconSources::tagger false).
  const TaggerModel* tagger() const { return tagger_.get(); }

 private:
  Lexicon() = default;
  friend class LexiconBuilder;
  friend class LexiconLoader;

  std::vector<PlaceEntry> places_;
  std::unordered_map<std::string, Phrase> phrases_;
  std::unordered_map<std::string, Phrase> acronyms_;
  std::size_t max_phrase_tokens_ = 1;
  std::unordered_set<std::string> given_names_;
  std::unordered_set<std::string> surname_first_;
  std::unordered_set<std::string> organisation_suffixes_;
  std::unordered_set<std::string> ordinary_words_;
  std::unordered_set<std::string> abbreviations_;
  std::shared_ptr<const TaggerModel> tagger_;
};

// Finds the people and places of every section of an article. Within one
// article, a short mention ("Blinken", "Xi") belongs to the full name seen
// in it ("Antony Blinken", "Xi Jinping"). Cheap to construct; not
// thread-safe (one per thread), the Lexicon is shared.
class EntityExtractor {
 public:
  explicit EntityExtractor(std::shared_ptr<const Lexicon> lexicon);
  // Fills article.sections[i].people, .places and .orgs.
  void annotate(Article& article) const;

 private:
  std::shared_ptr<const Lexicon> lexicon_;
};

}  // namespace folio
