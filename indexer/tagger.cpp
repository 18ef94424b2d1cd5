// The named-entity tagger: features, Viterbi decoding, and the
// memory-mapped model file.
#include "folio/tagger.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "folio/entities.hpp"
#include "folio/error.hpp"
#include "folio/text.hpp"

namespace folio {

std::string_view type_name(EntityType type) {
  switch (type) {
    case EntityType::person:
      return "PERSON";
    case EntityType::location:
      return "LOCATION";
    case EntityType::organisation:
      return "ORGANISATION";
    case EntityType::misc:
      return "MISC";
    case EntityType::none:
      break;
  }
  return "";
}

std::string label_name(int label) {
  if (label == 0) return "O";
  return std::string(label_begins(label) ? "B-" : "I-") + std::string(type_name(label_type(label)));
}

int label_from_name(std::string_view name) {
  for (int l = 0; l < kTagLabels; ++l) {
    if (label_name(l) == name) return l;
  }
  return -1;
}

namespace {

constexpr char kMagic[8] = {'F', 'O', 'L', 'I', 'O', 'N', 'E', 'R'};
constexpr std::size_t kHeaderBytes = 8 + 4 * 5;
constexpr std::size_t kSlotsOffset = 2048;  // the slots start here, aligned
constexpr std::size_t kMaxLexiconPhrase = 4;
static_assert(kHeaderBytes + (kTagStates + 1) * kTagStates * 4 <= kSlotsOffset);

// What the lexicon says of a word (TagLexiconCache::word): given name,
// family name written first, title, demonym, organisation, organisation
// suffix, ordinary lower-case word, place (its kind in bits 8-11, and for
// a city whether it has a million people).
enum : std::uint32_t {
  kLexGiven = 1U << 0,
  kLexSurnameFirst = 1U << 1,
  kLexTitle = 1U << 2,
  kLexDemonym = 1U << 3,
  kLexOrganisation = 1U << 4,
  kLexOrganisationSuffix = 1U << 5,
  kLexOrdinary = 1U << 6,
  kLexPlace = 1U << 7,
  kLexKindShift = 8,
  kLexBigCity = 1U << 12,
  kLexSmallCity = 1U << 13,
  kLexFlagBits = 8,  // the bits below kLexKindShift, each a feature of its own
};
// What the lexicon says of a phrase of several words.
enum : std::uint32_t {
  kPhrasePlace = 1U << 0,
  kPhraseOrganisation = 1U << 1,
  kPhraseTitle = 1U << 2,
  kPhraseDemonym = 1U << 3,
  kPhraseFound = 1U << 4,
};

constexpr std::uint64_t kFnvBasis = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

inline std::uint64_t fnv_byte(std::uint64_t h, unsigned char c) { return (h ^ c) * kFnvPrime; }
inline std::uint64_t fnv_bytes(std::uint64_t h, std::string_view bytes) {
  for (char c : bytes) h = fnv_byte(h, static_cast<unsigned char>(c));
  return h;
}
// FNV's low bits are weak; a 64-bit mixer (splitmix64's) finishes it.
inline std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}
inline std::uint64_t hash_bytes(std::string_view bytes) { return mix(fnv_bytes(kFnvBasis, bytes)); }
inline unsigned char lower_ascii(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 'A' && u <= 'Z' ? static_cast<unsigned char>(u + 32) : u;
}

// A feature: its template and up to two values (hashes of strings, or small
// numbers). Never 0.
inline std::uint64_t feature(char tmpl, std::uint64_t a = 0, std::uint64_t b = 0) {
  const std::uint64_t t = 0x9E3779B97F4A7C15ULL * (static_cast<unsigned char>(tmpl) + 1U);
  return mix(a * 0xD6E8FEB86659FD93ULL + (b ^ (b >> 29)) * 0xA0761D6478BD642FULL + t) | 1;
}

const std::uint64_t kStart = hash_bytes("<s>");
const std::uint64_t kEnd = hash_bytes("</s>");

bool is_upper_cp(unsigned ch) {
  const auto cat = Xapian::Unicode::get_category(ch);
  return cat == Xapian::Unicode::UPPERCASE_LETTER || cat == Xapian::Unicode::TITLECASE_LETTER;
}

bool is_letter_cp(unsigned ch) {
  const auto cat = Xapian::Unicode::get_category(ch);
  return cat == Xapian::Unicode::UPPERCASE_LETTER || cat == Xapian::Unicode::LOWERCASE_LETTER ||
         cat == Xapian::Unicode::TITLECASE_LETTER || cat == Xapian::Unicode::MODIFIER_LETTER ||
         cat == Xapian::Unicode::OTHER_LETTER;
}

// A word as the features see it, by hashes: no strings are built.
struct Word {
  bool cap = false;           // starts with an upper-case letter
  bool upper = false;         // two or more letters, all upper case
  bool digit = false;         // starts with a digit
  std::uint64_t text = 0;     // as written
  std::uint64_t lower = 0;    // its ASCII lower case
  std::uint64_t shape = 0;    // X, x, d, other characters as written; runs cut to one
  std::uint8_t prefixes = 0;  // of the lower case, 1 to 3 bytes (shorter than the word)
  std::uint8_t suffixes = 0;  // 1 to 4 bytes
  std::uint64_t prefix[3] = {};
  std::uint64_t suffix[4] = {};
};

void describe(std::string_view text, Word& w) {
  w = Word();
  std::uint64_t lower = kFnvBasis;
  std::uint64_t as_written = kFnvBasis;
  bool ascii = true;
  for (std::size_t k = 0; k < text.size(); ++k) {
    if (k < 3 && k + 1 < text.size()) {
      w.prefix[k] = mix(fnv_byte(lower, lower_ascii(text[k])));
      w.prefixes = static_cast<std::uint8_t>(k + 1);
    }
    lower = fnv_byte(lower, lower_ascii(text[k]));
    as_written = fnv_byte(as_written, static_cast<unsigned char>(text[k]));
    if (static_cast<unsigned char>(text[k]) >= 0x80) ascii = false;
  }
  w.lower = mix(lower);
  w.text = mix(as_written);
  for (std::size_t k = 1; k <= 4 && k < text.size(); ++k) {
    std::uint64_t h = kFnvBasis;
    for (std::size_t j = text.size() - k; j < text.size(); ++j) h = fnv_byte(h, lower_ascii(text[j]));
    w.suffix[k - 1] = mix(h);
    w.suffixes = static_cast<std::uint8_t>(k);
  }
  unsigned letters = 0;
  unsigned uppers = 0;
  bool first = true;
  char last = 0;
  std::uint64_t shape = kFnvBasis;
  auto add = [&](unsigned ch) {
    char c;
    bool letter;
    bool up = false;
    if (ch < 0x80) {
      letter = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
      up = ch >= 'A' && ch <= 'Z';
    } else {
      letter = is_letter_cp(ch);
      up = letter && is_upper_cp(ch);
    }
    if (letter) {
      ++letters;
      if (up) ++uppers;
      if (first) w.cap = up;
      c = up ? 'X' : 'x';
    } else if (ch >= '0' && ch <= '9') {
      if (first) w.digit = true;
      c = 'd';
    } else {
      c = ch < 0x80 ? static_cast<char>(ch) : '~';
    }
    first = false;
    if (c != last) shape = fnv_byte(shape, static_cast<unsigned char>(c));
    last = c;
  };
  if (ascii) {
    for (char c : text) add(static_cast<unsigned char>(c));
  } else {
    for (Xapian::Utf8Iterator it(text.data(), text.size()), end; it != end; ++it) add(*it);
  }
  w.shape = mix(shape);
  w.upper = letters >= 2 && uppers == letters;
}

std::uint32_t describe_lexicon_word(const Lexicon& lx, const std::string& key) {
  std::uint32_t out = 0;
  if (lx.is_given_name(key)) out |= kLexGiven;
  if (lx.is_surname_first(key)) out |= kLexSurnameFirst;
  if (const Lexicon::Phrase* p = lx.phrase(key)) {
    if (p->title) out |= kLexTitle;
    if (p->demonym) out |= kLexDemonym;
    if (p->organisation) out |= kLexOrganisation;
    if (!p->places.empty()) {
      const Lexicon::PlaceEntry& e = lx.places()[p->places.front()];
      out |= kLexPlace | (static_cast<std::uint32_t>(e.place.kind) << kLexKindShift);
      if (e.place.kind == PlaceKind::city) out |= e.population >= 1'000'000 ? kLexBigCity : kLexSmallCity;
    }
  }
  if (lx.is_organisation_suffix(key)) out |= kLexOrganisationSuffix;
  if (lx.is_ordinary_word(key)) out |= kLexOrdinary;
  return out;
}

// Only what the first character says: capitalised, a digit, or neither.
// Cheaper than describe(), for every word of an article.
enum class Initial { lower, cap, digit };
Initial initial(std::string_view text) {
  if (text.empty()) return Initial::lower;
  const auto c = static_cast<unsigned char>(text[0]);
  if (c < 0x80) {
    if (c >= 'A' && c <= 'Z') return Initial::cap;
    if (c >= '0' && c <= '9') return Initial::digit;
    return Initial::lower;
  }
  Xapian::Utf8Iterator it(text.data(), text.size());
  return is_upper_cp(*it) ? Initial::cap : Initial::lower;
}

// Lower-case words that begin names in many languages.
bool is_name_particle(std::string_view key) {
  static constexpr std::string_view kParticles[] = {
      "al",  "bin", "ibn", "bint", "el", "van", "von", "de",  "da",  "di", "du", "der", "den",
      "del", "dos", "das", "la",   "le", "ben", "abu", "ter", "ten", "zu", "af", "dem", "della"};
  for (std::string_view p : kParticles) {
    if (key == p) return true;
  }
  return false;
}

// Two or more letters, all upper case (ASCII words; others count as not).
bool all_upper_ascii(std::string_view text) {
  unsigned letters = 0;
  for (char ch : text) {
    if (ch >= 'a' && ch <= 'z') return false;
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
    if (ch >= 'A' && ch <= 'Z') ++letters;
  }
  return letters >= 2;
}

// A table slot for a hash: linear probing over a power-of-two table.
template <typename Slot>
Slot* probe(std::vector<Slot>& slots, std::uint64_t hash) {
  const std::size_t mask = slots.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(hash) & mask;; i = (i + 1) & mask) {
    if (slots[i].first == hash || slots[i].first == 0) return &slots[i];
  }
}

}  // namespace

std::uint64_t tag_key_hash(std::string_view key) { return hash_bytes(key) | 1; }

void TagDocument::mark(std::uint64_t hash, std::uint8_t bits) {
  if ((used_ + 1) * 2 > slots_.size()) {
    std::vector<std::pair<std::uint64_t, std::uint8_t>> old(std::max<std::size_t>(256, slots_.size() * 2));
    old.swap(slots_);
    for (const auto& e : old) {
      if (e.first != 0) *probe(slots_, e.first) = e;
    }
  }
  auto* slot = probe(slots_, hash);
  if (slot->first == 0) {
    slot->first = hash;
    ++used_;
  }
  slot->second |= bits;
}

std::uint8_t TagDocument::evidence_of(std::uint64_t hash) const {
  if (slots_.empty()) return 0;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(hash) & mask;; i = (i + 1) & mask) {
    if (slots_[i].first == hash) return slots_[i].second;
    if (slots_[i].first == 0) return 0;
  }
}

void TagDocument::add(const Lexicon& lx, TagLexiconCache& cache, const TagSentence& sentence) {
  if (sentence.headline) return;  // capitals there say nothing
  const auto& t = sentence.tokens;
  const std::size_t n = t.size();
  thread_local std::vector<Initial> first;
  first.resize(n);
  for (std::size_t i = 0; i < n; ++i) first[i] = initial(t[i].text);
  static const std::uint64_t kPlaceWords[] = {tag_key_hash("in"), tag_key_hash("at"), tag_key_hash("from"),
                                              tag_key_hash("near"), tag_key_hash("to")};
  std::uint64_t prev_hash = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t h = tag_key_hash(t[i].key);
    std::uint8_t bits = 0;
    if (first[i] == Initial::lower) bits |= 1;
    if (first[i] == Initial::cap && !all_upper_ascii(t[i].text)) {
      if (i > 0 && !t[i].quote_before) bits |= 2;
      const bool next = i + 1 < n && first[i + 1] == Initial::cap && !t[i + 1].comma_before;
      const bool prev = i > 0 && first[i - 1] == Initial::cap && !t[i].comma_before;
      if (next || prev) bits |= 4;
      if (prev && !t[i - 1].possessive) {
        const std::uint32_t before = cache.word(lx, t[i - 1].key, prev_hash);
        if ((before & kLexGiven) != 0) bits |= 8;
        if ((before & kLexTitle) != 0) bits |= 16;
      }
      if (i > 0 && first[i - 1] == Initial::lower && !t[i].comma_before) {
        for (std::uint64_t w : kPlaceWords) {
          if (prev_hash == w) bits |= 32;
        }
      }
    }
    if (bits != 0) mark(h, bits);
    prev_hash = h;
  }
}

namespace {
constexpr std::uint64_t kValueBits = 0xFFFF;
// The part of a hash a cache slot keeps (never 0).
inline std::uint64_t slot_tag(std::uint64_t hash) { return (hash & ~kValueBits) | (std::uint64_t{1} << 63); }
}  // namespace

std::uint64_t* TagLexiconCache::find(std::uint64_t hash, bool& fresh) {
  // 2 MB at most: it stays in the processor's cache, and the words an
  // article needs most are back after a clear within a few articles.
  constexpr std::size_t kMaxSlots = std::size_t{1} << 18;
  if ((used_ + 1) * 2 > slots_.size()) {
    if (slots_.size() >= kMaxSlots) {
      clear();
    } else {
      std::vector<std::uint64_t> old(std::max<std::size_t>(4096, slots_.size() * 2), 0);
      old.swap(slots_);
      const std::size_t mask = slots_.size() - 1;
      for (const std::uint64_t e : old) {
        if (e == 0) continue;
        std::size_t i = static_cast<std::size_t>(e >> 16) & mask;
        while (slots_[i] != 0) i = (i + 1) & mask;
        slots_[i] = e;
      }
    }
  }
  const std::uint64_t tag = slot_tag(hash);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(tag >> 16) & mask;; i = (i + 1) & mask) {
    if ((slots_[i] & ~kValueBits) == tag) {
      fresh = false;
      return &slots_[i];
    }
    if (slots_[i] == 0) {
      slots_[i] = tag;
      ++used_;
      fresh = true;
      return &slots_[i];
    }
  }
}

void TagLexiconCache::clear() {
  std::fill(slots_.begin(), slots_.end(), 0);
  used_ = 0;
}

std::uint32_t TagLexiconCache::word(const Lexicon& lx, std::string_view key, std::uint64_t hash) {
  bool fresh = false;
  std::uint64_t* slot = find(hash, fresh);
  if (fresh) *slot |= describe_lexicon_word(lx, std::string(key)) & kValueBits;
  return static_cast<std::uint32_t>(*slot & kValueBits);
}

std::uint32_t TagLexiconCache::phrase(const Lexicon& lx, const std::string& key, std::uint64_t hash) {
  bool fresh = false;
  std::uint64_t* slot = find(hash, fresh);
  if (fresh) {
    std::uint32_t v = 0;
    if (const Lexicon::Phrase* p = lx.phrase(key)) {
      v = kPhraseFound;
      if (!p->places.empty()) v |= kPhrasePlace;
      if (p->organisation) v |= kPhraseOrganisation;
      if (p->title) v |= kPhraseTitle;
      if (p->demonym) v |= kPhraseDemonym;
    }
    *slot |= v;
  }
  return static_cast<std::uint32_t>(*slot & kValueBits);
}

// Lexicon phrases of two or more words (places, organisations, titles):
// "New York", "Secretary of State", "World Bank". Per token of `s`:
// phrase_tag 0, or 1 (B) / 2 (I) | what << 2.
void mark_phrases(const Lexicon& lx, TagLexiconCache& cache, const TagSentence& s,
                  const std::vector<Initial>& first, const TagFeatures& out,
                  std::vector<std::uint32_t>& phrase_tag) {
  const auto& t = s.tokens;
  const std::size_t n = t.size();
  auto capital = [&](std::size_t i) { return first[i] == Initial::cap; };
  std::string key;
  for (std::size_t i = 0; i < n; ++i) {
    if (!out.candidate[i] || !capital(i)) continue;
    std::uint64_t h = fnv_bytes(kFnvBasis, t[i].key);
    std::size_t best = 0;
    std::uint32_t best_what = 0;
    for (std::size_t k = i + 1; k < n && k < i + kMaxLexiconPhrase; ++k) {
      if (t[k].comma_before || t[k - 1].possessive) break;
      h = fnv_bytes(fnv_byte(h, ' '), t[k].key);
      if (!capital(k)) continue;
      const std::uint64_t ph = mix(h ^ 0x5048524153450000ULL) | 1;  // apart from the words' hashes
      key.clear();
      for (std::size_t j = i; j <= k; ++j) {
        if (j > i) key += ' ';
        key += t[j].key;
      }
      const std::uint32_t v = cache.phrase(lx, key, ph);
      if (v != 0) {
        best = k + 1 - i;
        best_what = v & ~static_cast<std::uint32_t>(kPhraseFound);
      }
    }
    if (best == 0) continue;
    for (std::size_t k = i; k < i + best; ++k) {
      if (phrase_tag[k] == 0) phrase_tag[k] = (k == i ? 1U : 2U) | (best_what << 2);
    }
  }
}

// Marks the words of `s` that can be part of a name (out.candidate);
// false when there are none.
bool mark_candidates(const TagDocument& doc, const TagSentence& s, const std::vector<Initial>& first,
                     TagFeatures& out) {
  const auto& t = s.tokens;
  const std::size_t n = t.size();
  auto capital = [&](std::size_t i) { return first[i] == Initial::cap; };
  auto short_word = [&](std::size_t i) { return t[i].text.size() <= 4; };
  // Candidates: capitalised words, and up to two short lower-case words
  // between capitalised ones.
  bool any = false;
  for (std::size_t i = 0; i < n; ++i) {
    out.candidate[i] = capital(i);
    any = any || capital(i);
  }
  if (!any) return false;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    if (capital(i) || !capital(i - 1) || !short_word(i) || t[i].comma_before) continue;
    std::size_t k = i;
    while (k < n && k < i + 2 && !capital(k) && short_word(k)) ++k;
    if (k < n && capital(k) && !t[k].comma_before) {
      for (std::size_t j = i; j < k; ++j) out.candidate[j] = true;
    }
  }
  // Hyphenated names: "al-Qaida", "Tsai Ing-wen".
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (t[i + 1].hyphen && capital(i + 1) && first[i] != Initial::digit) out.candidate[i] = true;
    if (t[i + 1].hyphen && capital(i) && first[i + 1] != Initial::digit) out.candidate[i + 1] = true;
  }
  // A name's particle before its first capitalised word: "bin Laden", "van
  // Gogh", "de Villepin", "al Qaida".
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (capital(i) || !capital(i + 1) || t[i + 1].comma_before || !is_name_particle(t[i].key)) continue;
    out.candidate[i] = true;
  }
  // The first word of a sentence, alone and written in lower case elsewhere
  // in the article but never capitalised inside a sentence or next to
  // another capitalised word ("The", "But",
  // "Officials"), is an ordinary word: no candidate. Most sentences start
  // so, and this is most of the tagger's time saved on them.
  if (!s.headline && n > 0 && out.candidate[0] && (n == 1 || !out.candidate[1]) && !(n > 1 && t[1].hyphen) &&
      (doc.evidence(t[0].key) & 7) == 1) {
    out.candidate[0] = false;
  }
  any = false;
  for (std::size_t i = 0; i < n && !any; ++i) any = out.candidate[i];
  if (!any) return false;
  return true;
}

void extract_features(const Lexicon& lx, TagLexiconCache& cache, const TagDocument& doc, const TagSentence& s,
                      TagFeatures& out) {
  const auto& t = s.tokens;
  const std::size_t n = t.size();
  out.features.clear();
  out.begin.assign(n + 1, 0);
  out.candidate.assign(n, false);
  thread_local std::vector<Initial> first;
  first.resize(n);
  for (std::size_t i = 0; i < n; ++i) first[i] = initial(t[i].text);
  if (!mark_candidates(doc, s, first, out)) return;
  auto capital = [&](std::size_t i) { return first[i] == Initial::cap; };
  auto candidate_within = [&](std::size_t i, std::size_t d) {
    const std::size_t b = i >= d ? i - d : 0;
    for (std::size_t k = b; k < n && k <= i + d; ++k) {
      if (out.candidate[k]) return true;
    }
    return false;
  };
  // Words are described only near candidates, the lexicon read only next
  // to them.
  thread_local std::vector<Word> w;
  thread_local std::vector<std::uint64_t> key_hash;
  thread_local std::vector<std::uint32_t> lex;
  thread_local std::vector<std::uint32_t> phrase_tag;  // 0, or 1 (B) / 2 (I) | what << 2
  w.resize(n);
  key_hash.resize(n);
  lex.assign(n, 0);
  phrase_tag.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (!candidate_within(i, 2)) continue;
    describe(t[i].text, w[i]);
    key_hash[i] = tag_key_hash(t[i].key);
    if (candidate_within(i, 1)) lex[i] = cache.word(lx, t[i].key, key_hash[i]);
  }

  mark_phrases(lx, cache, s, first, out, phrase_tag);

  const bool headline = s.headline;
  auto lower_at = [&](std::ptrdiff_t i) -> std::uint64_t {
    if (i < 0) return kStart;
    if (static_cast<std::size_t>(i) >= n) return kEnd;
    return w[static_cast<std::size_t>(i)].lower;
  };
  auto shape_at = [&](std::ptrdiff_t i) -> std::uint64_t {
    if (i < 0) return kStart;
    if (static_cast<std::size_t>(i) >= n) return kEnd;
    if (headline) return w[static_cast<std::size_t>(i)].digit ? 1 : 2;
    return w[static_cast<std::size_t>(i)].shape;
  };
  // The lexicon of a neighbour, or the edge of the sentence.
  constexpr std::uint64_t kEdge = std::uint64_t{1} << 40;

  auto& f = out.features;
  for (std::size_t i = 0; i < n; ++i) {
    out.begin[i] = static_cast<std::uint32_t>(f.size());
    if (!out.candidate[i]) continue;
    const auto si = static_cast<std::ptrdiff_t>(i);
    const Word& wi = w[i];
    // The sentence's position: 'F' first, 'H' a headline, 0 neither.
    const std::uint64_t where = headline ? 'H' : (i == 0 ? 'F' : 0);
    f.push_back(feature('b'));
    f.push_back(feature('l', wi.lower));
    if (!headline) {
      f.push_back(feature('w', wi.text));
      f.push_back(feature('s', wi.shape));
    } else {
      f.push_back(feature('H', wi.upper ? 1 : 2));
    }
    for (std::size_t k = 0; k < wi.prefixes; ++k) f.push_back(feature('p', wi.prefix[k]));
    for (std::size_t k = 0; k < wi.suffixes; ++k) f.push_back(feature('x', wi.suffix[k]));
    f.push_back(feature('a', lower_at(si - 1)));
    f.push_back(feature('c', lower_at(si + 1)));
    f.push_back(feature('A', lower_at(si - 2)));
    f.push_back(feature('C', lower_at(si + 2)));
    f.push_back(feature('d', lower_at(si - 1), wi.lower));
    f.push_back(feature('e', wi.lower, lower_at(si + 1)));
    f.push_back(feature('h', shape_at(si - 1), shape_at(si)));
    f.push_back(feature('j', shape_at(si), shape_at(si + 1)));
    std::uint64_t flags = 0;
    if (i == 0) flags |= 1;
    if (t[i].comma_before) flags |= 2;
    if (t[i].quote_before) flags |= 4;
    if (t[i].possessive) flags |= 8;
    if (t[i].hyphen) flags |= 16;
    if (i + 1 < n && t[i + 1].comma_before) flags |= 32;
    if (i + 1 < n && t[i + 1].hyphen) flags |= 64;
    f.push_back(feature('f', flags, headline ? 1 : 0));
    // The run of capitalised words it belongs to: its length and place.
    if (capital(i) && !headline) {
      std::size_t b = i;
      while (b > 0 && capital(b - 1) && !t[b].comma_before) --b;
      std::size_t e = i + 1;
      while (e < n && capital(e) && !t[e].comma_before) ++e;
      const std::size_t len = std::min<std::size_t>(e - b, 4);
      const std::uint64_t pos = i == b ? 0 : (i + 1 == e ? 2 : 1);
      f.push_back(feature('r', len * 4 + pos));
    }
    // The lexicon: this word, its neighbours, phrases around it.
    const std::uint32_t li = lex[i];
    f.push_back(feature('L', li));
    f.push_back(feature('L', li, where + 0x100));
    for (std::uint32_t bit = 0; bit < kLexFlagBits; ++bit) {
      if ((li & (1U << bit)) != 0) f.push_back(feature('K', bit));
    }
    if ((li & kLexPlace) != 0) {
      f.push_back(feature('K', 0x100 + ((li >> kLexKindShift) & 0xF)));
      if ((li & (kLexBigCity | kLexSmallCity)) != 0) f.push_back(feature('K', 0x200 + (li >> 12)));
    }
    f.push_back(feature('m', i > 0 ? lex[i - 1] : kEdge));
    f.push_back(feature('n', i + 1 < n ? lex[i + 1] : kEdge));
    if (phrase_tag[i] != 0) f.push_back(feature('M', phrase_tag[i]));
    if (i > 0 && phrase_tag[i - 1] != 0) f.push_back(feature('N', phrase_tag[i - 1]));
    // Document: the same word elsewhere in the article.
    const std::uint8_t ev = doc.evidence_of(key_hash[i]);
    f.push_back(feature('E', ev, where));
    f.push_back(feature('Y', ev, li));
    for (std::uint32_t bit = 0; bit < 6; ++bit) {
      if ((ev & (1U << bit)) != 0) f.push_back(feature('V', bit, where));
    }
  }
  out.begin[n] = static_cast<std::uint32_t>(f.size());
}

namespace {

// BILOU: a state's type (1-4, 0 for O) and role (0 B, 1 I, 2 L, 3 U).
constexpr int kRoleBegin = 0;
constexpr int kRoleInside = 1;
constexpr int kRoleLast = 2;
constexpr int kRoleUnit = 3;
constexpr int state_type(std::size_t s) { return s == 0 ? 0 : static_cast<int>((s - 1) / 4 + 1); }
constexpr int state_role(std::size_t s) { return static_cast<int>((s - 1) % 4); }
// Whether a name is open after state s (B- or I-): then only I- or L- of
// its type may follow. The start (s == kTagStates) and O close.
constexpr bool opens(std::size_t s) {
  return s != 0 && s < kTagStates && (state_role(s) == kRoleBegin || state_role(s) == kRoleInside);
}
constexpr bool allowed_step(std::size_t prev, std::size_t next) {
  const bool continues = next != 0 && (state_role(next) == kRoleInside || state_role(next) == kRoleLast);
  if (!opens(prev)) return !continues;
  return continues && state_type(prev) == state_type(next);
}
// The allowed steps, and for each state the states it may follow (9 for
// O, B- and U-; 2 for I- and L-): Viterbi only looks at those.
struct Steps {
  std::array<std::array<bool, kTagStates>, kTagStates + 1> ok{};
  std::array<std::array<std::uint8_t, kTagStates>, kTagStates> from{};
  std::array<std::uint8_t, kTagStates> froms{};
  constexpr Steps() {
    for (std::size_t p = 0; p <= kTagStates; ++p) {
      for (std::size_t y = 0; y < kTagStates; ++y) ok[p][y] = allowed_step(p, y);
    }
    for (std::size_t y = 0; y < kTagStates; ++y) {
      for (std::size_t p = 0; p < kTagStates; ++p) {
        if (ok[p][y]) from[y][froms[y]++] = static_cast<std::uint8_t>(p);
      }
    }
  }
};
constexpr Steps kSteps;

}  // namespace

int state_label(int state) {
  if (state <= 0) return 0;
  const auto s = static_cast<std::size_t>(state);
  const int role = state_role(s);
  return 2 * state_type(s) - (role == kRoleBegin || role == kRoleUnit ? 1 : 0);
}

std::vector<std::uint8_t> states_of(const std::vector<std::uint8_t>& labels) {
  std::vector<std::uint8_t> states(labels.size(), 0);
  for (const TagSpan& sp : spans_of(labels)) {
    const int base = 1 + (static_cast<int>(sp.type) - 1) * 4;
    for (std::size_t k = sp.begin; k < sp.end; ++k) {
      int role = kRoleInside;
      if (sp.end - sp.begin == 1) {
        role = kRoleUnit;
      } else if (k == sp.begin) {
        role = kRoleBegin;
      } else if (k + 1 == sp.end) {
        role = kRoleLast;
      }
      states[k] = static_cast<std::uint8_t>(base + role);
    }
  }
  return states;
}

std::vector<std::uint8_t> labels_of(const std::vector<std::uint8_t>& states) {
  std::vector<std::uint8_t> labels(states.size());
  for (std::size_t k = 0; k < states.size(); ++k)
    labels[k] = static_cast<std::uint8_t>(state_label(states[k]));
  return labels;
}

// Decodes the candidates [b, e) of a sentence of n tokens into BILOU
// states: the run starts after the start or an O, and ends before an O or
// the end, so it opens no name at its start and leaves none open.
void decode_run(const float* scores, std::size_t b, std::size_t e, std::size_t n, const float* transitions,
                std::vector<std::uint8_t>& labels) {
  constexpr float kNone = -std::numeric_limits<float>::infinity();
  constexpr auto L = static_cast<std::size_t>(kTagStates);
  auto allowed = [](std::size_t prev, std::size_t next) { return kSteps.ok[prev][next]; };
  thread_local std::vector<float> best;
  thread_local std::vector<std::uint8_t> back;
  const std::size_t m = e - b;
  best.assign(m * L, kNone);
  back.assign(m * L, 0);
  for (std::size_t i = 0; i < m; ++i) {
    const float* emit = &scores[(b + i) * L];
    for (std::size_t y = 0; y < L; ++y) {
      float top = kNone;
      std::uint8_t arg = 0;
      if (i == 0) {
        const std::size_t from = b == 0 ? L : 0;
        if (allowed(from, y)) top = transitions[from * L + y];
      } else {
        for (std::size_t k = 0; k < kSteps.froms[y]; ++k) {
          const std::size_t p = kSteps.from[y][k];
          const float prev = best[(i - 1) * L + p];
          if (prev == kNone) continue;
          const float v = prev + transitions[p * L + y];
          if (v > top) {
            top = v;
            arg = static_cast<std::uint8_t>(p);
          }
        }
      }
      if (top == kNone) continue;
      best[i * L + y] = top + emit[y];
      back[i * L + y] = arg;
    }
  }
  // Into the O that follows, if one does; no name left open.
  std::size_t y = 0;
  float top = kNone;
  for (std::size_t k = 0; k < L; ++k) {
    if (opens(k) || best[(m - 1) * L + k] == kNone) continue;
    const float v = best[(m - 1) * L + k] + (e < n ? transitions[k * L] : 0.0F);
    if (v > top) {
      top = v;
      y = k;
    }
  }
  for (std::size_t i = m; i-- > 0;) {
    labels[b + i] = static_cast<std::uint8_t>(y);
    y = back[i * L + y];
  }
}

std::vector<std::uint8_t> viterbi(const std::vector<float>& scores, const std::vector<bool>& candidate,
                                  const float* transitions) {
  return labels_of(viterbi_states(scores, candidate, transitions));
}

std::vector<std::uint8_t> viterbi_states(const std::vector<float>& scores, const std::vector<bool>& candidate,
                                         const float* transitions) {
  const std::size_t n = candidate.size();
  std::vector<std::uint8_t> labels(n, 0);
  // A token that is no candidate is O, so the runs of candidates between
  // them are decoded one by one: each starts after the start or an O, and
  // ends before an O or the end. The same path as over the whole sentence,
  // in time for the candidates only.
  for (std::size_t b = 0; b < n;) {
    if (!candidate[b]) {
      ++b;
      continue;
    }
    std::size_t e = b + 1;
    while (e < n && candidate[e]) ++e;
    decode_run(scores.data(), b, e, n, transitions, labels);
    b = e;
  }
  return labels;
}

std::vector<TagSpan> spans_of(const std::vector<std::uint8_t>& labels) {
  std::vector<TagSpan> spans;
  for (std::size_t i = 0; i < labels.size();) {
    if (labels[i] == 0) {
      ++i;
      continue;
    }
    const EntityType type = label_type(labels[i]);
    std::size_t e = i + 1;
    while (e < labels.size() && labels[e] != 0 && !label_begins(labels[e]) && label_type(labels[e]) == type) {
      ++e;
    }
    spans.push_back({i, e, type});
    i = e;
  }
  return spans;
}

TaggerModel::~TaggerModel() {
  if (map_ != nullptr) munmap(const_cast<void*>(map_), map_size_);
}

std::shared_ptr<const TaggerModel> TaggerModel::load(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error("cannot open the tagger model '" + path.string() + "': " + std::strerror(errno));
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    ::close(fd);
    throw Error("cannot read the tagger model '" + path.string() + "'");
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* map = size == 0 ? MAP_FAILED : mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) throw Error("cannot map the tagger model '" + path.string() + "'");
  std::shared_ptr<TaggerModel> m(new TaggerModel());
  m->map_ = map;
  m->map_size_ = size;
  static std::atomic<std::uint64_t> serials{0};
  m->serial_ = ++serials;
  const auto* bytes = static_cast<const unsigned char*>(map);
  auto bad = [&path](const std::string& why) {
    return Error("the tagger model '" + path.string() + "' " + why + " (rebuild it: see data/README.md)");
  };
  if (size < kHeaderBytes || std::memcmp(bytes, kMagic, sizeof kMagic) != 0) {
    throw bad("is not a folio tagger model");
  }
  std::uint32_t head[4];
  std::memcpy(head, bytes + 8, sizeof head);
  std::memcpy(&m->scale_, bytes + 24, sizeof m->scale_);
  if (head[0] != kVersion) throw bad("has format version " + std::to_string(head[0]));
  if (head[1] != static_cast<std::uint32_t>(kTagStates) || head[2] > 30) throw bad("is malformed");
  m->bits_ = head[2];
  m->entries_ = head[3];
  const std::size_t slots = std::size_t{1} << m->bits_;
  const std::size_t trans = (kTagStates + 1) * kTagStates;
  if (size != kSlotsOffset + slots * sizeof(Slot)) throw bad("is truncated");
  m->transitions_.resize(trans);
  std::memcpy(m->transitions_.data(), bytes + kHeaderBytes, trans * 4);
  // The map is page-aligned and the slots start at byte 2048.
  m->slots_ = reinterpret_cast<const Slot*>(bytes + kSlotsOffset);
  m->mask_ = slots - 1;
  return m;
}

void TaggerModel::add_weights(std::uint64_t f, std::int32_t* sums) const {
  auto key = static_cast<std::uint32_t>(f >> 32);
  if (key == 0) key = 1;
  for (std::uint64_t slot = f & mask_;; slot = (slot + 1) & mask_) {
    const Slot& e = slots_[slot];
    if (e.key == 0) return;
    if (e.key == key) {
      for (int l = 0; l < kTagStates; ++l) sums[l] += static_cast<std::int32_t>(e.weights[l]) << e.shift;
      return;
    }
  }
}

namespace {

// A thread's buffers for the tagger: they keep their capacity, and the
// lexicon's answers are kept from one sentence and article to the next,
// for one model's lexicon.
struct Scratch {
  TagFeatures features;
  TagLexiconCache cache;
  std::uint64_t serial = 0;
  const Lexicon* lexicon = nullptr;
  std::vector<std::int32_t> sums;
  std::vector<float> scores;
};

Scratch& scratch(std::uint64_t serial, const Lexicon& lexicon) {
  thread_local Scratch x;
  if (x.serial != serial || x.lexicon != &lexicon) {
    x.cache.clear();
    x.serial = serial;
    x.lexicon = &lexicon;
  }
  return x;
}

}  // namespace

void TaggerModel::read(const Lexicon& lexicon, TagDocument& document, const TagSentence& sentence) const {
  document.add(lexicon, scratch(serial_, lexicon).cache, sentence);
}

std::vector<std::uint8_t> TaggerModel::tag(const Lexicon& lexicon, const TagDocument& document,
                                           const TagSentence& sentence) const {
  Scratch& x = scratch(serial_, lexicon);
  extract_features(lexicon, x.cache, document, sentence, x.features);
  const std::size_t n = sentence.tokens.size();
  const TagFeatures& tf = x.features;
  if (tf.features.empty()) return std::vector<std::uint8_t>(n, 0);
  // Every feature's slot is fetched at once, then read.
  for (std::uint64_t f : tf.features) __builtin_prefetch(&slots_[f & mask_]);
  x.sums.assign(n * kTagStates, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::uint32_t k = tf.begin[i]; k < tf.begin[i + 1]; ++k) {
      add_weights(tf.features[k], &x.sums[i * kTagStates]);
    }
  }
  x.scores.resize(n * kTagStates);
  for (std::size_t k = 0; k < x.sums.size(); ++k) x.scores[k] = scale_ * static_cast<float>(x.sums[k]);
  return viterbi(x.scores, tf.candidate, transitions());
}

void TaggerModel::write(const std::filesystem::path& path,
                        const std::vector<std::pair<std::uint64_t, std::vector<float>>>& weights,
                        const std::vector<float>& transitions) {
  std::uint32_t bits = 10;
  while ((std::size_t{1} << bits) < weights.size() + weights.size() / 2 + 1) ++bits;
  const std::size_t slots = std::size_t{1} << bits;
  // Weights are w << shift units, w in [-127, 127], shift in [0, 15]: the
  // largest is 127 << 15 units, and a slot keeps its own weights to 1 part
  // in 127-254 of its largest.
  float top = 0;
  for (const auto& [f, w] : weights) {
    for (float x : w) top = std::max(top, std::fabs(x));
  }
  const float scale = top > 0 ? top / static_cast<float>(127 << 15) : 1.0F;
  std::vector<Slot> table(slots, Slot{});
  for (const auto& [f, w] : weights) {
    auto key = static_cast<std::uint32_t>(f >> 32);
    if (key == 0) key = 1;
    std::uint64_t slot = f & (slots - 1);
    while (table[slot].key != 0 && table[slot].key != key) slot = (slot + 1) & (slots - 1);
    Slot& e = table[slot];
    e.key = key;
    float most = 0;
    for (float x : w) most = std::max(most, std::fabs(x) / scale);
    std::uint8_t shift = 0;
    while (shift < 15 && most / static_cast<float>(1 << shift) > 127.0F) ++shift;
    e.shift = shift;
    for (int l = 0; l < kTagStates; ++l) {
      const long q = std::lround(w[static_cast<std::size_t>(l)] / scale / static_cast<float>(1 << shift));
      e.weights[l] = static_cast<std::int8_t>(std::clamp(q, -127L, 127L));
    }
  }
  std::string head(kSlotsOffset, '\0');
  const std::uint32_t fields[4] = {kVersion, static_cast<std::uint32_t>(kTagStates), bits,
                                   static_cast<std::uint32_t>(weights.size())};
  std::memcpy(head.data(), kMagic, sizeof kMagic);
  std::memcpy(head.data() + 8, fields, sizeof fields);
  std::memcpy(head.data() + 24, &scale, sizeof scale);
  std::memcpy(head.data() + kHeaderBytes, transitions.data(), transitions.size() * sizeof(float));
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error("cannot write '" + path.string() + "'");
  out.write(head.data(), static_cast<std::streamsize>(head.size()));
  out.write(reinterpret_cast<const char*>(table.data()),
            static_cast<std::streamsize>(table.size() * sizeof(Slot)));
  if (!out.flush()) throw Error("cannot write '" + path.string() + "'");
}

}  // namespace folio
