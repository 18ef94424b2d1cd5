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
constexpr std::size_t kMaxLexiconPhrase = 4;

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

struct Word {
  bool cap = false;    // starts with an upper-case letter
  bool upper = false;  // two or more letters, all upper case
  bool digit = false;  // starts with a digit
  std::string lower;   // ASCII lower case of the text
  std::string shape;   // X, x, d, other characters as written; runs cut to one
};

Word describe(std::string_view text) {
  Word w;
  w.lower = to_lower_ascii(text);
  unsigned letters = 0;
  unsigned uppers = 0;
  bool first = true;
  char last = 0;
  for (Xapian::Utf8Iterator it(text.data(), text.size()), end; it != end; ++it) {
    const unsigned ch = *it;
    char c;
    if (is_letter_cp(ch)) {
      ++letters;
      const bool up = is_upper_cp(ch);
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
    if (c != last) w.shape += c;
    last = c;
  }
  w.upper = letters >= 2 && uppers == letters;
  return w;
}

// Hashes a feature: its template letter and up to two values.
std::uint64_t feature(char tmpl, std::string_view a, std::string_view b = {}) {
  std::uint64_t h = 14695981039346656037ULL;
  auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ULL;
  };
  mix(static_cast<unsigned char>(tmpl));
  for (char c : a) mix(static_cast<unsigned char>(c));
  mix(0x1f);
  for (char c : b) mix(static_cast<unsigned char>(c));
  // FNV's low bits are weak; finish with a 64-bit mixer (splitmix64).
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

// What the lexicon says of one folded word, as letters: G given name, F
// family name written first, T title, P place (then its kind), D demonym,
// R organisation, O organisation suffix, Q ordinary lower-case word.
std::string describe_lexicon_word(const Lexicon& lx, const std::string& key) {
  std::string out;
  if (lx.is_given_name(key)) out += 'G';
  if (lx.is_surname_first(key)) out += 'F';
  if (const Lexicon::Phrase* p = lx.phrase(key)) {
    if (p->title) out += 'T';
    if (p->demonym) out += 'D';
    if (p->organisation) out += 'R';
    if (!p->places.empty()) {
      const Lexicon::PlaceEntry& e = lx.places()[p->places.front()];
      out += 'P';
      out += static_cast<char>('0' + static_cast<int>(e.place.kind));
      if (e.place.kind == PlaceKind::city) out += e.population >= 1'000'000 ? 'B' : 's';
    }
  }
  if (lx.is_organisation_suffix(key)) out += 'O';
  if (lx.is_ordinary_word(key)) out += 'Q';
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

}  // namespace

void TagDocument::add(const TagSentence& sentence) {
  if (sentence.headline) return;  // capitals there say nothing
  const auto& t = sentence.tokens;
  const std::size_t n = t.size();
  std::vector<Initial> first(n);
  for (std::size_t i = 0; i < n; ++i) first[i] = initial(t[i].text);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint8_t bits = 0;
    if (first[i] == Initial::lower) bits |= 1;
    if (first[i] == Initial::cap && !all_upper_ascii(t[i].text)) {
      if (i > 0 && !t[i].quote_before) bits |= 2;
      const bool next = i + 1 < n && first[i + 1] == Initial::cap && !t[i + 1].comma_before;
      const bool prev = i > 0 && first[i - 1] == Initial::cap && !t[i].comma_before;
      if (next || prev) bits |= 4;
    }
    if (bits != 0) seen_[t[i].key] |= bits;
  }
}

const std::string& TagDocument::lexicon_word(const Lexicon& lx, std::string_view key) const {
  auto [it, fresh] = lexicon_words_.try_emplace(key);
  if (fresh) it->second = describe_lexicon_word(lx, std::string(key));
  return it->second;
}

std::uint8_t TagDocument::evidence(std::string_view key) const {
  const auto it = seen_.find(key);
  return it == seen_.end() ? 0 : it->second;
}

void extract_features(const Lexicon& lx, const TagDocument& doc, const TagSentence& s, TagFeatures& out) {
  const auto& t = s.tokens;
  const std::size_t n = t.size();
  if (out.features.size() < n) out.features.resize(n);
  for (std::size_t i = 0; i < n; ++i) out.features[i].clear();
  out.candidate.assign(n, false);
  std::vector<Initial> first(n);
  for (std::size_t i = 0; i < n; ++i) first[i] = initial(t[i].text);
  auto capital = [&](std::size_t i) { return first[i] == Initial::cap; };
  std::vector<Word> w(n);  // described only near candidates, below
  auto short_word = [&](std::size_t i) { return t[i].text.size() <= 4; };
  // Candidates: capitalised words, and up to two short lower-case words
  // between capitalised ones.
  for (std::size_t i = 0; i < n; ++i) out.candidate[i] = capital(i);
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
  bool any = false;
  for (std::size_t i = 0; i < n; ++i) any = any || out.candidate[i];
  if (!any) return;
  for (std::size_t i = 0; i < n; ++i) {
    const bool near = out.candidate[i] || (i + 1 < n && out.candidate[i + 1]) ||
                      (i > 0 && out.candidate[i - 1]) || (i + 2 < n && out.candidate[i + 2]) ||
                      (i > 1 && out.candidate[i - 2]);
    if (near) w[i] = describe(t[i].text);
  }

  // Lexicon phrases of two or more words (places, organisations, titles):
  // "New York", "Secretary of State", "World Bank". Per token: B/I and what.
  std::vector<std::string> phrase_tag(n);
  std::string key;
  for (std::size_t i = 0; i < n; ++i) {
    if (!out.candidate[i] || !capital(i)) continue;
    key.assign(t[i].key);
    std::size_t best = 0;
    const Lexicon::Phrase* best_phrase = nullptr;
    for (std::size_t k = i + 1; k < n && k < i + kMaxLexiconPhrase; ++k) {
      if (t[k].comma_before || t[k - 1].possessive) break;
      key += ' ';
      key += t[k].key;
      if (!capital(k)) continue;
      if (const Lexicon::Phrase* p = lx.phrase(key)) {
        best = k + 1 - i;
        best_phrase = p;
      }
    }
    if (best_phrase == nullptr) continue;
    std::string what;
    if (!best_phrase->places.empty()) what += 'P';
    if (best_phrase->organisation) what += 'R';
    if (best_phrase->title) what += 'T';
    if (best_phrase->demonym) what += 'D';
    for (std::size_t k = i; k < i + best; ++k) {
      if (phrase_tag[k].empty()) phrase_tag[k] = (k == i ? "B" : "I") + what;
    }
  }

  static const std::string kNothing;
  std::vector<const std::string*> lex(n, &kNothing);
  for (std::size_t i = 0; i < n; ++i) {
    if (out.candidate[i] || (i + 1 < n && out.candidate[i + 1]) || (i > 0 && out.candidate[i - 1])) {
      lex[i] = &doc.lexicon_word(lx, t[i].key);
    }
  }
  const bool headline = s.headline;
  auto lower_at = [&](std::ptrdiff_t i) -> std::string_view {
    if (i < 0) return "<s>";
    if (static_cast<std::size_t>(i) >= n) return "</s>";
    return w[static_cast<std::size_t>(i)].lower;
  };
  auto shape_at = [&](std::ptrdiff_t i) -> std::string_view {
    if (i < 0) return "<s>";
    if (static_cast<std::size_t>(i) >= n) return "</s>";
    if (headline) return w[static_cast<std::size_t>(i)].digit ? "d" : "H";
    return w[static_cast<std::size_t>(i)].shape;
  };

  for (std::size_t i = 0; i < n; ++i) {
    if (!out.candidate[i]) continue;
    auto& f = out.features[i];
    const auto si = static_cast<std::ptrdiff_t>(i);
    const std::string& lw = w[i].lower;
    f.push_back(feature('b', ""));
    f.push_back(feature('l', lw));
    if (!headline) {
      f.push_back(feature('w', t[i].text));
      f.push_back(feature('s', w[i].shape));
    } else {
      f.push_back(feature('H', w[i].upper ? "U" : "T"));
    }
    for (std::size_t k = 1; k <= 3 && k < lw.size(); ++k) f.push_back(feature('p', lw.substr(0, k)));
    for (std::size_t k = 1; k <= 4 && k < lw.size(); ++k) {
      f.push_back(feature('x', lw.substr(lw.size() - k)));
    }
    f.push_back(feature('a', lower_at(si - 1)));
    f.push_back(feature('c', lower_at(si + 1)));
    f.push_back(feature('A', lower_at(si - 2)));
    f.push_back(feature('C', lower_at(si + 2)));
    f.push_back(feature('d', lower_at(si - 1), lw));
    f.push_back(feature('e', lw, lower_at(si + 1)));
    f.push_back(feature('h', shape_at(si - 1), shape_at(si)));
    f.push_back(feature('j', shape_at(si), shape_at(si + 1)));
    std::string flags;
    if (i == 0) flags += 'F';
    if (t[i].comma_before) flags += ',';
    if (t[i].quote_before) flags += '"';
    if (t[i].possessive) flags += 's';
    if (t[i].hyphen) flags += '-';
    if (i + 1 < n && t[i + 1].comma_before) flags += ']';
    if (i + 1 < n && t[i + 1].hyphen) flags += '+';
    f.push_back(feature('f', flags, headline ? "H" : ""));
    // The run of capitalised words it belongs to: its length and place.
    if (capital(i) && !headline) {
      std::size_t b = i;
      while (b > 0 && capital(b - 1) && !t[b].comma_before) --b;
      std::size_t e = i + 1;
      while (e < n && capital(e) && !t[e].comma_before) ++e;
      const std::size_t len = std::min<std::size_t>(e - b, 4);
      const char pos = i == b ? 'B' : (i + 1 == e ? 'E' : 'I');
      f.push_back(feature('r', std::string(1, static_cast<char>('0' + len)) + pos));
    }
    // The lexicon: this word, its neighbours, phrases around it.
    f.push_back(feature('L', *lex[i]));
    f.push_back(feature('L', *lex[i], headline ? "H" : (i == 0 ? "F" : "")));
    for (char c : *lex[i]) {
      f.push_back(feature('K', std::string_view(&c, 1)));
    }
    f.push_back(feature('m', i > 0 ? std::string_view(*lex[i - 1]) : "<s>"));
    f.push_back(feature('n', i + 1 < n ? std::string_view(*lex[i + 1]) : "</s>"));
    if (!phrase_tag[i].empty()) f.push_back(feature('M', phrase_tag[i]));
    if (i > 0 && !phrase_tag[i - 1].empty()) f.push_back(feature('N', phrase_tag[i - 1]));
    // Document: the same word elsewhere in the article.
    const std::uint8_t ev = doc.evidence(t[i].key);
    const char evc = static_cast<char>('0' + ev);
    f.push_back(feature('E', std::string_view(&evc, 1), headline ? "H" : (i == 0 ? "F" : "")));
    f.push_back(feature('E', std::string_view(&evc, 1), *lex[i]));
  }
}

std::vector<std::uint8_t> viterbi(const std::vector<float>& scores, const std::vector<bool>& candidate,
                                  const float* transitions) {
  const std::size_t n = candidate.size();
  std::vector<std::uint8_t> labels(n, 0);
  if (n == 0) return labels;
  constexpr float kNone = -std::numeric_limits<float>::infinity();
  constexpr auto L = static_cast<std::size_t>(kTagLabels);
  auto allowed = [](std::size_t prev, std::size_t next) {
    // I-X only after B-X or I-X (prev == L: the start).
    if (next == 0 || next % 2 == 1) return true;
    return prev != L && prev != 0 && (prev + 1) / 2 == (next + 1) / 2;
  };
  std::vector<float> best(n * L, kNone);
  std::vector<std::uint8_t> back(n * L, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t y = 0; y < L; ++y) {
      if (!candidate[i] && y != 0) continue;
      const float emit = candidate[i] ? scores[i * L + y] : 0.0F;
      float top = kNone;
      std::uint8_t arg = 0;
      if (i == 0) {
        if (allowed(L, y)) top = transitions[L * L + y];
      } else {
        for (std::size_t p = 0; p < L; ++p) {
          const float prev = best[(i - 1) * L + p];
          if (prev == kNone || !allowed(p, y)) continue;
          const float v = prev + transitions[p * L + y];
          if (v > top) {
            top = v;
            arg = static_cast<std::uint8_t>(p);
          }
        }
      }
      if (top == kNone) continue;
      best[i * L + y] = top + emit;
      back[i * L + y] = arg;
    }
  }
  std::size_t y = 0;
  for (std::size_t k = 1; k < L; ++k) {
    if (best[(n - 1) * L + k] > best[(n - 1) * L + y]) y = k;
  }
  for (std::size_t i = n; i-- > 0;) {
    labels[i] = static_cast<std::uint8_t>(y);
    y = back[i * L + y];
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
  if (head[1] != static_cast<std::uint32_t>(kTagLabels) || head[2] > 30) throw bad("is malformed");
  m->bits_ = head[2];
  m->entries_ = head[3];
  const std::size_t slots = std::size_t{1} << m->bits_;
  const std::size_t trans = (kTagLabels + 1) * kTagLabels;
  const std::size_t need = kHeaderBytes + trans * 4 + slots * 4 + slots * kTagLabels * 2;
  if (size != need) throw bad("is truncated");
  m->transitions_.resize(trans);
  std::memcpy(m->transitions_.data(), bytes + kHeaderBytes, trans * 4);
  m->keys_ = reinterpret_cast<const std::uint32_t*>(bytes + kHeaderBytes + trans * 4);
  m->weights_ = reinterpret_cast<const std::int16_t*>(bytes + kHeaderBytes + trans * 4 + slots * 4);
  m->mask_ = slots - 1;
  return m;
}

void TaggerModel::add_weights(std::uint64_t f, float* scores) const {
  auto key = static_cast<std::uint32_t>(f >> 32);
  if (key == 0) key = 1;
  for (std::uint64_t slot = f & mask_;; slot = (slot + 1) & mask_) {
    const std::uint32_t k = keys_[slot];
    if (k == 0) return;
    if (k == key) {
      const std::int16_t* w = weights_ + slot * kTagLabels;
      for (int l = 0; l < kTagLabels; ++l) scores[l] += scale_ * static_cast<float>(w[l]);
      return;
    }
  }
}

std::vector<std::uint8_t> TaggerModel::tag(const Lexicon& lexicon, const TagDocument& document,
                                           const TagSentence& sentence) const {
  thread_local TagFeatures tf;  // its vectors keep their capacity
  extract_features(lexicon, document, sentence, tf);
  const std::size_t n = sentence.tokens.size();
  std::vector<float> scores(n * kTagLabels, 0.0F);
  bool any = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!tf.candidate[i]) continue;
    any = true;
    for (std::uint64_t f : tf.features[i]) add_weights(f, &scores[i * kTagLabels]);
  }
  if (!any) return std::vector<std::uint8_t>(n, 0);
  return viterbi(scores, tf.candidate, transitions());
}

void TaggerModel::write(const std::filesystem::path& path,
                        const std::vector<std::pair<std::uint64_t, std::vector<float>>>& weights,
                        const std::vector<float>& transitions) {
  std::uint32_t bits = 10;
  while ((std::size_t{1} << bits) < weights.size() + weights.size() / 2 + 1) ++bits;
  const std::size_t slots = std::size_t{1} << bits;
  float top = 0;
  for (const auto& [f, w] : weights) {
    for (float x : w) top = std::max(top, std::fabs(x));
  }
  const float scale = top > 0 ? top / 32767.0F : 1.0F;
  std::vector<std::uint32_t> keys(slots, 0);
  std::vector<std::int16_t> table(slots * kTagLabels, 0);
  for (const auto& [f, w] : weights) {
    auto key = static_cast<std::uint32_t>(f >> 32);
    if (key == 0) key = 1;
    std::uint64_t slot = f & (slots - 1);
    while (keys[slot] != 0 && keys[slot] != key) slot = (slot + 1) & (slots - 1);
    keys[slot] = key;
    for (int l = 0; l < kTagLabels; ++l) {
      table[slot * kTagLabels + static_cast<std::size_t>(l)] =
          static_cast<std::int16_t>(std::lround(w[static_cast<std::size_t>(l)] / scale));
    }
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error("cannot write '" + path.string() + "'");
  const std::uint32_t head[4] = {kVersion, static_cast<std::uint32_t>(kTagLabels), bits,
                                 static_cast<std::uint32_t>(weights.size())};
  out.write(kMagic, sizeof kMagic);
  out.write(reinterpret_cast<const char*>(head), sizeof head);
  out.write(reinterpret_cast<const char*>(&scale), sizeof scale);
  out.write(reinterpret_cast<const char*>(transitions.data()),
            static_cast<std::streamsize>(transitions.size() * sizeof(float)));
  out.write(reinterpret_cast<const char*>(keys.data()),
            static_cast<std::streamsize>(keys.size() * sizeof(std::uint32_t)));
  out.write(reinterpret_cast<const char*>(table.data()),
            static_cast<std::streamsize>(table.size() * sizeof(std::int16_t)));
  if (!out.flush()) throw Error("cannot write '" + path.string() + "'");
}

}  // namespace folio
