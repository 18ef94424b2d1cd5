// People and places: the lexicon they are recognised with (gazetteers, name
// lists) and the extractor that finds them in an article's sections.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "folio/model.hpp"
#include "folio/text.hpp"

namespace folio {

// Where the lexicon is. Its tables are built at build time into one binary
// file from iso-codes, libgeonames, the word lists and data/lexicon/ (see
// data/README.md and indexer/lexicon_build.cpp).
struct LexiconSources {
  // folio's data folder: holds lexicon.bin (and ner/model.bin).
  std::filesystem::path data_dir;
  // The named-entity tagger's model (data_dir/ner/model.bin): loaded if the
  // file exists, unless false. Without it the lexicon's rules work alone.
  bool tagger = true;
};

class TaggerModel;

// The immutable lookup tables the extractor uses, memory-mapped from
// lexicon.bin: nothing is parsed on load. Thread-safe to share.
class Lexicon {
 public:
  // Maps data_dir/lexicon.bin (and the tagger's model). Throws folio::Error
  // if the file is missing, truncated, of another format version, or
  // malformed.
  static std::shared_ptr<const Lexicon> load(const LexiconSources& sources);
  ~Lexicon();
  Lexicon(const Lexicon&) = delete;
  Lexicon& operator=(const Lexicon&) = delete;

  struct PlaceEntry {
    Place place;                   // without aliases
    std::uint32_t population = 0;  // cities only
  };

  // A city at least this big ranks above a subdivision of the same name, and
  // counts as a place without context ("in", "Bath, England") even when its
  // name is an ordinary word.
  static constexpr std::uint32_t kBigCityPopulation = 1'000'000;

  // The places of a phrase: indexes into places(), best first. A view into
  // the mapped file, valid as long as its Lexicon; not copyable (it locates
  // its ids relative to itself), so refer to it by reference.
  class PlaceIds {
   public:
    PlaceIds(const PlaceIds&) = delete;
    PlaceIds& operator=(const PlaceIds&) = delete;
    const std::uint32_t* begin() const {
      return reinterpret_cast<const std::uint32_t*>(reinterpret_cast<const char*>(this) + offset_);
    }
    const std::uint32_t* end() const { return begin() + size_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::uint32_t front() const { return *begin(); }
    std::uint32_t operator[](std::size_t i) const { return begin()[i]; }

   private:
    std::uint32_t offset_;  // bytes from this object to the first id
    std::uint32_t size_;
  };

  // What a phrase (folded, space-separated tokens) can be. Lives in the
  // mapped file: refer to it by pointer.
  struct Phrase {
    PlaceIds places;    // indexes into places(), best first
    bool demonym;       // "Chinese": its places are countries
    bool title;         // "Secretary of State"
    bool organisation;  // "Goldman Sachs"
  };

  // Every place, by index. Built from the mapped records on the first call.
  const std::vector<PlaceEntry>& places() const;
  // The phrase for folded tokens joined by ' ', or nullptr.
  const Phrase* phrase(const std::string& key) const;
  // Case-sensitive acronyms ("US", "U.S.", "UK"), or nullptr.
  const Phrase* acronym(std::string_view surface) const;
  std::size_t max_phrase_tokens() const { return max_phrase_tokens_; }

  bool is_given_name(const std::string& key) const { return find(given_names_, key) != kNone; }
  bool is_surname_first(const std::string& key) const { return find(surname_first_, key) != kNone; }
  bool is_organisation_suffix(const std::string& key) const {
    return find(organisation_suffixes_, key) != kNone;
  }
  // A lower-case word of the dictionary ("nice", "gang", "reading").
  bool is_ordinary_word(const std::string& key) const { return find(ordinary_words_, key) != kNone; }
  // Abbreviations that keep their full stop: "mr", "dr", "gen", "jan".
  bool is_abbreviation(const std::string& key) const { return find(abbreviations_, key) != kNone; }
  // The trained tagger that finds names before the lexicon reads them, or
  // nullptr (no model file, or LexiconSources::tagger false).
  const TaggerModel* tagger() const { return tagger_.get(); }

 private:
  Lexicon() = default;

  // A hash table of the mapped file (indexer/lexicon_format.hpp).
  struct Table {
    const std::uint32_t* slots = nullptr;  // (tag, 1 + key index, offset, bytes) each
    std::uint32_t mask = 0;                // slot count - 1
  };
  static constexpr std::uint32_t kNone = UINT32_MAX;
  // The key's index in `table`, or kNone.
  std::uint32_t find(const Table& table, std::string_view key) const;
  std::string_view string_at(std::uint32_t offset, std::uint32_t bytes) const;
  // Record i of a phrase table, or nullptr (i out of range, or damaged).
  const Phrase* record(const unsigned char* records, std::uint32_t count, std::uint32_t i) const;

  const void* map_ = nullptr;
  std::size_t map_size_ = 0;
  const char* strings_ = nullptr;
  std::size_t strings_size_ = 0;
  const unsigned char* place_records_ = nullptr;
  std::uint32_t place_count_ = 0;
  const unsigned char* phrase_records_ = nullptr;
  std::uint32_t phrase_count_ = 0;
  const unsigned char* acronym_records_ = nullptr;
  std::uint32_t acronym_count_ = 0;
  const unsigned char* place_ids_begin_ = nullptr;
  const unsigned char* place_ids_end_ = nullptr;
  Table phrases_, acronyms_, given_names_, surname_first_, organisation_suffixes_, ordinary_words_,
      abbreviations_;
  std::size_t max_phrase_tokens_ = 1;
  mutable std::once_flag places_once_;
  mutable std::vector<PlaceEntry> places_;
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
