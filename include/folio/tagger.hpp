// The named-entity tagger: a structured averaged perceptron over hashed
// features, decoded with Viterbi, that marks the spans of people, places,
// organisations and other names (works, events, nationalities) in a
// sentence. Trained by bench/ner (folio_ner train); see data/README.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace folio {

class Lexicon;

enum class EntityType : std::uint8_t { none = 0, person, location, organisation, misc };

// Labels are IOB2: 0 is O, then B- and I- of each type in EntityType order
// (1 B-PERSON, 2 I-PERSON, 3 B-LOCATION ... 8 I-MISC).
inline constexpr int kTagLabels = 9;
// The model's states are BILOU (Ratinov & Roth 2009): 0 is O, then B-
// (first of several words), I- (inside), L- (last) and U- (a name of one
// word) of each type in EntityType order: 1 B-PERSON, 2 I-PERSON, 3
// L-PERSON, 4 U-PERSON, 5 B-LOCATION ... 16 U-MISC. The tagger returns
// IOB2 labels.
inline constexpr int kTagStates = 17;
// A state's IOB2 label; an IOB2 sentence's states; and back.
int state_label(int state);
std::vector<std::uint8_t> states_of(const std::vector<std::uint8_t>& labels);
std::vector<std::uint8_t> labels_of(const std::vector<std::uint8_t>& states);
inline EntityType label_type(int label) { return static_cast<EntityType>(label == 0 ? 0 : (label + 1) / 2); }
inline bool label_begins(int label) { return label % 2 == 1; }
inline int begin_label(EntityType type) { return 2 * static_cast<int>(type) - 1; }
// "PERSON", "LOCATION", "ORGANISATION", "MISC", "" for none.
std::string_view type_name(EntityType type);
// "O", "B-PERSON" ...; and back (-1 for an unknown name).
std::string label_name(int label);
int label_from_name(std::string_view name);

// One word of a sentence, without punctuation (which only sets flags on the
// word after it) and without a possessive ending.
struct TagToken {
  std::string_view text;      // as written
  std::string_view key;       // fold(text)
  bool possessive = false;    // "Blinken's"
  bool comma_before = false;  // a comma between it and the word before
  bool quote_before = false;  // an opening quote or bracket before it
  bool hyphen = false;        // joined to the word before by a hyphen
};

// A sentence to tag. In a headline (a heading, or a line in capitals)
// capitalisation says nothing, and the tagger reads it from the words, the
// lexicon and the rest of the article instead.
struct TagSentence {
  std::vector<TagToken> tokens;
  bool headline = false;
};

// The hash of a folded word as the tagger's tables key it (64-bit FNV-1a,
// mixed): stable across runs and builds.
std::uint64_t tag_key_hash(std::string_view key);

class TagLexiconCache;

// What the article says about each word elsewhere: written in lower case,
// capitalised inside a sentence, after a given name or a title. Filled from
// every sentence before tagging.
class TagDocument {
 public:
  // Adds what a sentence says of its words; lx and cache say which words
  // are given names and titles.
  void add(const Lexicon& lx, TagLexiconCache& cache, const TagSentence& sentence);
  // Bit 1: seen in lower case; bit 2: capitalised, not first in its sentence
  // and not in a headline; bit 4: capitalised next to another capitalised
  // word (in a longer name); bit 8: capitalised right after a given name
  // ("Romano Prodi" for "Prodi"); bit 16: right after a title ("President
  // Prodi"); bit 32: right after "in", "at", "from", "near" or "to". By the
  // key, or by its tag_key_hash().
  std::uint8_t evidence(std::string_view key) const { return evidence_of(tag_key_hash(key)); }
  std::uint8_t evidence_of(std::uint64_t hash) const;

 private:
  void mark(std::uint64_t hash, std::uint8_t bits);
  // Open addressing by hash (0: an empty slot), at most half full.
  std::vector<std::pair<std::uint64_t, std::uint8_t>> slots_;
  std::size_t used_ = 0;
};

// What the lexicon says of words and of phrases of several words, looked up
// once: words repeat, within an article and across articles, and the
// lexicon's tables are large. Bounded (it starts afresh when full). Not
// thread-safe; valid for one Lexicon.
class TagLexiconCache {
 public:
  // Bits of a folded word (see tagger.cpp's kLex*); hash is tag_key_hash(key).
  std::uint32_t word(const Lexicon& lx, std::string_view key, std::uint64_t hash);
  // Bits of a phrase of several words (kPhrase*, 0 if the lexicon lacks it);
  // hash is the phrase's own.
  std::uint32_t phrase(const Lexicon& lx, const std::string& key, std::uint64_t hash);
  void clear();

 private:
  // A slot: the hash's high 48 bits, then 16 bits of value; 0 is empty.
  std::uint64_t* find(std::uint64_t hash, bool& fresh);
  std::vector<std::uint64_t> slots_;
  std::size_t used_ = 0;
};

// The features of a sentence's tokens, shared by the tagger and its trainer.
// Only tokens that can be part of a name (capitalised words, and short
// lower-case words between them: "Bank of England", "bin Laden") get
// features; the others are O without being scored.
struct TagFeatures {
  std::vector<std::uint64_t> features;  // of every token, in order
  std::vector<std::uint32_t> begin;     // token i's are [begin[i], begin[i + 1])
  std::vector<bool> candidate;          // per token
};
void extract_features(const Lexicon& lx, TagLexiconCache& cache, const TagDocument& doc, const TagSentence& s,
                      TagFeatures& out);

// Viterbi over BILOU states: scores holds kTagStates numbers per token,
// transitions (kTagStates + 1) x kTagStates (the last row: from the
// start). Tokens that are no candidate are O. After B- or I- of a type
// only its I- or L- follow, and those follow nothing else; a sentence ends
// with no name open. Returns one IOB2 label per token (viterbi), or the
// states (viterbi_states).
std::vector<std::uint8_t> viterbi(const std::vector<float>& scores, const std::vector<bool>& candidate,
                                  const float* transitions);
std::vector<std::uint8_t> viterbi_states(const std::vector<float>& scores, const std::vector<bool>& candidate,
                                         const float* transitions);

// A trained model, memory-mapped. Thread-safe to share.
class TaggerModel {
 public:
  // Maps the file. Throws folio::Error if it is missing, truncated, or of
  // another format version.
  static std::shared_ptr<const TaggerModel> load(const std::filesystem::path& path);
  ~TaggerModel();
  TaggerModel(const TaggerModel&) = delete;
  TaggerModel& operator=(const TaggerModel&) = delete;

  // Adds a sentence to what the document says of its words (TagDocument::add
  // with this thread's cache of the lexicon).
  void read(const Lexicon& lexicon, TagDocument& document, const TagSentence& sentence) const;
  // One label per token of the sentence.
  std::vector<std::uint8_t> tag(const Lexicon& lexicon, const TagDocument& document,
                                const TagSentence& sentence) const;
  // Adds the weights of one feature, in units of scale(), to
  // sums[0..kTagStates).
  void add_weights(std::uint64_t feature, std::int32_t* sums) const;
  float scale() const { return scale_; }
  const float* transitions() const { return transitions_.data(); }
  std::size_t features() const { return entries_; }

  // The file format, version 4 (little-endian): "FOLIONER", u32 version,
  // u32 states (17), u32 table bits b, u32 entries, f32 unit, then
  // (states + 1) x states f32 transitions, zeros up to byte 2048, then 2^b
  // slots of 32 bytes: u32 key (0: empty slot; the slot is the low b bits
  // of the feature hash, linear probing; the key is its high 32 bits, never
  // 0), states i8 weights, u8 shift, zeros; a weight is w << shift units.
  // A slot is half a cache line: a feature costs one memory access.
  static constexpr std::uint32_t kVersion = 4;
  // Writes a model: weights per feature (kTagStates each).
  static void write(const std::filesystem::path& path,
                    const std::vector<std::pair<std::uint64_t, std::vector<float>>>& weights,
                    const std::vector<float>& transitions);

 private:
  struct Slot {
    std::uint32_t key;
    std::int8_t weights[kTagStates];
    std::uint8_t shift;
    std::uint8_t pad[32 - 4 - kTagStates - 1];
  };
  static_assert(sizeof(Slot) == 32);
  TaggerModel() = default;
  const void* map_ = nullptr;
  std::size_t map_size_ = 0;
  std::vector<float> transitions_;
  const Slot* slots_ = nullptr;
  std::uint64_t serial_ = 0;  // distinct for each model loaded (its callers' caches)
  std::uint64_t mask_ = 0;
  std::uint32_t bits_ = 0;
  std::size_t entries_ = 0;
  float scale_ = 1;
};

// The labels of a sentence as spans [begin, end) with their type.
struct TagSpan {
  std::size_t begin;
  std::size_t end;
  EntityType type;
};
std::vector<TagSpan> spans_of(const std::vector<std::uint8_t>& labels);

}  // namespace folio
