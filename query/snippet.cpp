#include "snippet.hpp"

#include <cmath>

#include <algorithm>
#include <array>
#include <limits>
#include <tuple>

#include "folio/schema.hpp"

namespace folio::query {
namespace {

// Whether `c` is a Chinese, Japanese or Korean character, which Xapian's
// FLAG_CJK_NGRAM splits into n-grams (the ranges of its CJK::codepoint_is_cjk;
// query_builder.cpp has the same list).
bool is_cjk(unsigned c) {
  if (c < 0x1100) return false;
  return (c >= 0x2E80 && c <= 0x2EFF) || (c >= 0x3000 && c <= 0x9FFF) || (c >= 0xA700 && c <= 0xA71F) ||
         (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2F800 && c <= 0x2FA1F) ||
         (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F);
}

// TermGenerator indexes no word longer than this (bytes, lower-cased).
constexpr std::size_t kMaxWordBytes = 64;
// An infix character TermGenerator drops (zero-width spaces and joiners).
constexpr unsigned kIgnored = std::numeric_limits<unsigned>::max();

// One character of a text: its code point and its length in bytes.
struct Char {
  unsigned c = 0;
  std::size_t size = 0;
};

// The character of `text` at byte `i`.
Char char_at(std::string_view text, std::size_t i) {
  const auto b = static_cast<unsigned char>(text[i]);
  if (b < 0x80) return {b, 1};
  // As Xapian::Utf8Iterator reads it: a byte that starts no valid sequence
  // is a character of its own, its value the byte's.
  const std::size_t size = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
  if (size == 0 || i + size > text.size() || (b == 0xF0 && static_cast<unsigned char>(text[i + 1]) < 0x90) ||
      (b == 0xE0 && static_cast<unsigned char>(text[i + 1]) < 0xA0) || b > 0xF4) {
    return {b, 1};
  }
  unsigned c = b & (0x7FU >> size);
  for (std::size_t k = 1; k < size; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) return {b, 1};
    c = (c << 6) | (next & 0x3FU);
  }
  return {c, size};
}

// Xapian's Unicode tables for ASCII, looked up once.
struct AsciiTable {
  std::array<bool, 128> word{};
  AsciiTable() {
    for (unsigned c = 0; c < 128; ++c) word[c] = Xapian::Unicode::is_wordchar(c);
  }
};
const AsciiTable kAscii;

bool is_wordchar(unsigned c) { return c < 128 ? kAscii.word[c] : Xapian::Unicode::is_wordchar(c); }
unsigned lower(unsigned c) {
  if (c < 128) return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
  return Xapian::Unicode::tolower(c);
}
bool is_digit(unsigned c) {
  return c < 128 ? (c >= '0' && c <= '9')
                 : Xapian::Unicode::get_category(c) == Xapian::Unicode::DECIMAL_DIGIT_NUMBER;
}
bool is_space(unsigned c) {
  return c < 128 ? (c == ' ' || (c >= '\t' && c <= '\r')) : Xapian::Unicode::is_whitespace(c);
}

// What TermGenerator keeps of a character between two word characters
// (apostrophes, "&" of "AT&T"; between digits, "." and "," of "1,000.5").
unsigned infix(unsigned c, bool between_digits) {
  if (c >= 0x200B && (c <= 0x200D || c == 0x2060 || c == 0xFEFF)) return kIgnored;
  if (between_digits) {
    switch (c) {
      case ',':
      case '.':
      case ';':
      case 0x037E:
      case 0x0589:
      case 0x060D:
      case 0x07F8:
      case 0x2044:
      case 0xFE10:
      case 0xFE13:
      case 0xFE14:
        return c;
      default:
        return 0;
    }
  }
  if (c == '\'' || c == '&' || c == 0xB7 || c == 0x5F4 || c == 0x2027) return c;
  if (c == 0x2019 || c == 0x201B) return '\'';
  return 0;
}

// Splits a text into the words TermGenerator indexes, with their bytes.
class Splitter {
 public:
  explicit Splitter(std::string_view text) : text_(text) {}

  // Calls word(lower-cased word, start, end, cjk) for each word, and
  // word(pair, start of the first, end of the second, true) after each
  // CJK character that has a next one.
  template <typename F>
  void each(F&& word) {
    bool after_cjk = false;
    while (true) {
      while (at_ < text_.size() && !is_wordchar(peek(at_).c)) at_ += peek(at_).size;
      if (at_ >= text_.size()) return;
      const Char first = peek(at_);
      if (is_cjk(first.c)) {
        cjk_run(word);
        after_cjk = true;
        continue;
      }
      const std::size_t start = at_;
      std::string term;
      if (!after_cjk && acronym(term)) {
        word(term, start, at_, false);
        continue;
      }
      after_cjk = false;
      std::size_t end = plain_word(term);
      end = suffix(term, end);
      if (!term.empty() && term.size() <= kMaxWordBytes) word(term, start, end, false);
    }
  }

 private:
  Char peek(std::size_t i) const { return char_at(text_, i); }
  static bool upper_ascii(unsigned c) { return c >= 'A' && c <= 'Z'; }

  // Initials with dots ("U.S.", "P.T.O"): one word, when two letters or more.
  bool acronym(std::string& term) {
    if (!upper_ascii(peek(at_).c)) return false;
    std::size_t p = at_;
    do {
      Xapian::Unicode::append_utf8(term, lower(peek(p).c));
      ++p;
      if (p >= text_.size() || text_[p] != '.') break;
      ++p;
    } while (p < text_.size() && upper_ascii(peek(p).c));
    if (term.size() > 1 && (p >= text_.size() || !is_wordchar(peek(p).c))) {
      at_ = p;
      return true;
    }
    term.clear();
    return false;
  }

  // A run of word characters, joined by infix characters; returns its end
  // and leaves at_ there (or at a CJK character).
  std::size_t plain_word(std::string& term) {
    while (true) {
      unsigned previous = 0;
      while (at_ < text_.size()) {
        const auto b = static_cast<unsigned char>(text_[at_]);
        if (b < 0x80) {  // most of a text: no decoding
          if (!kAscii.word[b]) break;
          term += static_cast<char>(lower(b));
          previous = b;
          ++at_;
          continue;
        }
        const Char ch = peek(at_);
        if (!is_wordchar(ch.c) || (is_cjk(ch.c) && !term.empty())) break;
        Xapian::Unicode::append_utf8(term, lower(ch.c));
        previous = ch.c;
        at_ += ch.size;
      }
      if (at_ >= text_.size() || is_cjk(peek(at_).c)) return at_;
      const Char between = peek(at_);
      const std::size_t next = at_ + between.size;
      if (next >= text_.size()) return at_;
      const Char after = peek(next);
      if (!is_wordchar(after.c)) return at_;
      const unsigned kept = infix(between.c, is_digit(previous) && is_digit(after.c));
      if (kept == 0) return at_;
      if (kept != kIgnored) Xapian::Unicode::append_utf8(term, kept);
      at_ = next;
    }
  }

  // "C++", "C#": up to three '+' or '#' after a word are part of it, unless
  // a word character follows them ("fish+chips"). Returns the word's end.
  std::size_t suffix(std::string& term, std::size_t end) {
    const std::size_t length = term.size();
    unsigned count = 0;
    while (at_ < text_.size() && (text_[at_] == '+' || text_[at_] == '#')) {
      if (++count > 3) {
        term.resize(length);
        return end;
      }
      term += text_[at_++];
    }
    if (count == 0) return end;
    if (at_ < text_.size() && is_wordchar(peek(at_).c)) {
      term.resize(length);
      return end;
    }
    return at_;
  }

  template <typename F>
  void cjk_run(F& word) {
    std::size_t previous_start = 0;
    std::string previous;
    while (at_ < text_.size()) {
      const Char ch = peek(at_);
      if (!is_cjk(ch.c) || !is_wordchar(ch.c)) break;
      std::string one;
      Xapian::Unicode::append_utf8(one, lower(ch.c));
      if (!previous.empty()) word(previous + one, previous_start, at_ + ch.size, true);
      word(one, at_, at_ + ch.size, true);
      previous = one;
      previous_start = at_;
      at_ += ch.size;
    }
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

bool ends_sentence(unsigned c) {
  return c == '.' || c == '!' || c == '?' || c == 0x3002 || c == 0xFF01 || c == 0xFF1F;
}
// "。", "！", "？" end a sentence with no space after them.
bool ends_sentence_alone(unsigned c) { return c == 0x3002 || c == 0xFF01 || c == 0xFF1F; }
// Closing quotes and brackets, which may follow the end of a sentence.
bool closes(unsigned c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x2019 || c == 0x201D || c == 0xBB;
}

using Word = SnippetMaker::Word;

// A match in a text: words [first, last] (two for a pair of CJK characters).
struct Match {
  std::size_t first = 0;
  std::size_t last = 0;
  std::size_t term = 0;
};

// Where the text shown from word `k` on starts: after the white space
// before it, so that an opening quote or bracket comes along.
std::size_t context_start(std::string_view text, const std::vector<Word>& words, std::size_t k) {
  std::size_t p = words[k].start;
  const std::size_t floor = k == 0 ? 0 : words[k - 1].end;
  while (p > floor && !is_space(static_cast<unsigned char>(text[p - 1]))) --p;
  return p;
}

// Word `k` starts a sentence: it is the first, or comes after a line break,
// or after ".", "!" or "?" and white space, and is not lower-case.
bool starts_sentence(std::string_view text, const std::vector<Word>& words, std::size_t k) {
  if (k == 0) return true;
  const std::size_t from = words[k - 1].end;
  const std::string_view gap = text.substr(from, words[k].start - from);
  if (gap.find('\n') != std::string_view::npos) return true;
  const auto initial = static_cast<unsigned char>(text[words[k].start]);
  if (initial >= 'a' && initial <= 'z') return false;
  bool stop = false;
  for (std::size_t i = 0; i < gap.size();) {
    const Char c = char_at(gap, i);
    if (ends_sentence_alone(c.c) || (stop && is_space(c.c))) return true;
    if (ends_sentence(c.c)) stop = true;
    i += c.size;
  }
  return false;
}

// The part of a text a snippet shows: words [first, last] from byte `from`
// on, and what ranks it against the others.
struct Window {
  std::size_t first = 0;
  std::size_t last = 0;
  std::size_t from = 0;
  double distinct = 0;    // the weights of the distinct terms it holds
  bool sentence = false;  // it starts a sentence, its first match in the first half
  double matches = 0;     // the weights of all its matches, twice for those next to another
  std::size_t off = 0;    // how far its bytes before the first match are from those wanted
};

// Weights alike but for rounding: a term's weight from remote shards can
// differ from the local one in its last bits, and must not choose another
// passage.
bool alike(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b)); }

bool better(const Window& a, const Window& b) {
  if (!alike(a.distinct, b.distinct)) return a.distinct > b.distinct;
  if (a.sentence != b.sentence) return a.sentence;
  if (!alike(a.matches, b.matches)) return a.matches > b.matches;
  return a.off < b.off;
}

// The window of at most `bytes` bytes that ranks first (the first of those
// that rank alike). `matches` are in the order of their first word.
Window best_window(std::string_view text, const std::vector<Word>& words, const std::vector<Match>& matches,
                   const std::vector<double>& weights, std::size_t bytes) {
  const std::size_t lead = bytes / 4;
  Window best;
  bool have = false;
  std::size_t last = 0;
  std::size_t m0 = 0;
  std::vector<std::size_t> terms;
  const std::size_t starts = matches.empty() ? 1 : words.size();
  for (std::size_t first = 0; first < starts; ++first) {
    const std::size_t from = context_start(text, words, first);
    last = std::max(last, first);
    while (last + 1 < words.size() && words[last + 1].end - from <= bytes) ++last;
    while (m0 < matches.size() && matches[m0].first < first) ++m0;
    // A window with no match ranks below the first one with a match.
    if (have && (m0 == matches.size() || matches[m0].first > last)) continue;
    Window w{first, last, from, 0, false, 0, 0};
    terms.clear();
    std::size_t first_match = words.size();
    for (std::size_t m = m0; m < matches.size() && matches[m].first <= last; ++m) {
      const Match& x = matches[m];
      if (x.last > last) continue;
      first_match = std::min(first_match, x.first);
      const double weight = weights[x.term];
      w.matches += weight;
      if (m > m0 && matches[m - 1].last + 1 == x.first && matches[m - 1].term != x.term) w.matches += weight;
      terms.push_back(x.term);
    }
    // Summed in one order: windows with the same terms weigh exactly alike.
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    for (const std::size_t t : terms) w.distinct += weights[t];
    const std::size_t before = first_match < words.size() ? words[first_match].start - from : 0;
    // Near the end of the text, the room left after the match goes before it.
    const std::size_t tail = first_match < words.size() ? words.back().end - words[first_match].start : 0;
    const std::size_t ideal = tail + lead < bytes ? bytes - tail : lead;
    w.sentence = starts_sentence(text, words, first) && before <= std::max(bytes / 2, ideal);
    // From a sentence: the one the first match is in; from mid-sentence:
    // some words of context before it; near the end of the text, the room
    // left is filled.
    const std::size_t wanted = w.sentence && ideal == lead ? 0 : ideal;
    w.off = before > wanted ? before - wanted : wanted - before;
    if (!have || better(w, best)) best = w;
    have = true;
  }
  return best;
}

// The snippet of window `w`: its text, white space runs as one space, the
// punctuation after its last word, "…" where text is left out (not before
// a sentence, nor after one), and its matches highlighted.
Snippet render(std::string_view text, const std::vector<Word>& words, const std::vector<Match>& matches,
               const Window& w, std::size_t bytes) {
  std::size_t to = words[w.last].end;
  while (to < text.size()) {
    const Char c = char_at(text, to);
    if (is_space(c.c) || is_wordchar(c.c) || to + c.size - w.from > bytes) break;
    to += c.size;
  }
  std::vector<std::pair<std::size_t, std::size_t>> ranges;  // of `text`
  for (const Match& m : matches) {
    if (m.first < w.first || m.last > w.last) continue;
    ranges.emplace_back(words[m.first].start, words[m.last].end);
  }
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<std::size_t, std::size_t>> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  Snippet s;
  const std::size_t text_start = text.find_first_not_of(" \t\r\n");
  if (text_start < w.from && !starts_sentence(text, words, w.first)) s.text += "…";
  std::size_t r = 0;
  std::size_t open = 0;
  unsigned last_char = 0;  // the last one shown that is not a closing quote or bracket
  for (std::size_t i = w.from; i < to;) {
    if (r < merged.size() && i == merged[r].first) open = s.text.size();
    const Char c = char_at(text, i);
    if (is_space(c.c)) {
      s.text += ' ';
      i += c.size;
      while (i < to && is_space(char_at(text, i).c)) i += char_at(text, i).size;
      continue;
    }
    s.text.append(text.substr(i, c.size));
    i += c.size;
    if (!closes(c.c)) last_char = c.c;
    if (r < merged.size() && i == merged[r].second) {
      s.highlights.emplace_back(open, s.text.size() - open);
      ++r;
    }
  }
  bool more = false;
  for (std::size_t i = to; i < text.size() && !more;) {
    const Char c = char_at(text, i);
    more = !is_space(c.c);
    i += c.size;
  }
  if (more && !ends_sentence(last_char)) s.text += "…";
  return s;
}

// A text with no word: its first `bytes` bytes, white space runs as one space.
Snippet no_words(std::string_view text, std::size_t bytes) {
  Snippet s;
  bool space = false;
  for (std::size_t i = 0; i < text.size();) {
    const Char c = char_at(text, i);
    if (i + c.size > bytes) {
      s.text += "…";
      break;
    }
    if (is_space(c.c)) {
      space = !s.text.empty();
    } else {
      if (space) s.text += ' ';
      space = false;
      s.text.append(text.substr(i, c.size));
    }
    i += c.size;
  }
  return s;
}

}  // namespace

TermWeights term_weights(const Xapian::MSet& mset, Xapian::doccount docs,
                         const std::set<std::string>& terms) {
  TermWeights out;
  double smallest = 0;
  for (const std::string& term : terms) {
    double w = 0;
    try {
      // Throws for a term that is not the query's; its frequency is then
      // not in the MSet either (asking would read the database).
      (void)mset.get_termweight(term);
      const double tf = mset.get_termfreq(term);
      // BM25's idf, kept positive: 1 + (N - n + 0.5) / (n + 0.5).
      w = std::log(1.0 + (static_cast<double>(docs) - tf + 0.5) / (tf + 0.5));
    } catch (const Xapian::InvalidArgumentError&) {
      // Not a term of the match's query (a wildcard's expansion).
    } catch (const Xapian::InvalidOperationError&) {
      // An MSet of no query.
    }
    out[term] = w;
    if (w > 0 && (smallest == 0 || w < smallest)) smallest = w;
  }
  for (auto& [term, w] : out) {
    if (w <= 0) w = smallest > 0 ? smallest : 1.0;
  }
  return out;
}

// The English stemmer changes only the ends of words: the stem of a word
// of ASCII letters begins with the word's first two letters, but for
// "dying", "lying", "tying" (-> "die", "lie", "tie"); accents are folded
// before it. So an ASCII word whose first two bytes begin no weighted stem
// (nor "?y" for a stem "?i…") is not stemmed at all: most words of a text
// cost a look-up in a table. Another language needs this looked at again.
static_assert(schema::kStemLanguage == "en",
              "SnippetMaker::term_of() skips words by the English stemmer's rules");

namespace {

std::size_t prefix_key(unsigned b0, unsigned b1) { return (static_cast<std::size_t>(b0) << 8) | b1; }

}  // namespace

SnippetMaker::SnippetMaker(const TermWeights& weights, std::size_t bytes)
    : bytes_(bytes), prefixes_(1U << 16), stemmer_(schema::text_stemmer()) {
  for (const auto& [term, weight] : weights) {
    index_.emplace(term, static_cast<int>(terms_.size()));
    terms_.push_back(term);
    weights_.push_back(weight);
    if (term.size() < 2 || term[0] != 'Z') continue;
    const auto b0 = static_cast<unsigned char>(term[1]);
    const unsigned b1 = term.size() < 3 ? 0U : static_cast<unsigned char>(term[2]);
    prefixes_[prefix_key(b0, b1)] = true;
    if (b1 == 'i') prefixes_[prefix_key(b0, 'y')] = true;
  }
}

int SnippetMaker::term_of(const std::string& word) {
  if (terms_.empty() || word.size() > kMaxWordBytes) return -1;
  const auto b0 = static_cast<unsigned char>(word[0]);
  const unsigned b1 = word.size() < 2 ? 0U : static_cast<unsigned char>(word[1]);
  if (b0 < 0x80 && b1 < 0x80 && !prefixes_[prefix_key(b0, b1)]) return -1;
  const auto seen = seen_.find(word);
  if (seen != seen_.end()) return seen->second;
  const std::string stem = stemmer_(word);
  int term = -1;
  if (!stem.empty()) {
    const auto it = index_.find("Z" + stem);
    if (it != index_.end()) term = it->second;
  }
  seen_.emplace(word, term);
  return term;
}

std::vector<SnippetMaker::Word> SnippetMaker::words(std::string_view text) {
  std::vector<Word> out;
  out.reserve(text.size() / 5);
  Splitter(text).each([&](const std::string& word, std::size_t start, std::size_t end, bool cjk) {
    const int term = term_of(word);
    if (cjk && !out.empty() && start == out.back().start && end > out.back().end) {
      out.back().pair = term;  // a pair: its first character is the last word
      return;
    }
    out.push_back({start, end, term, -1});
  });
  return out;
}

Snippet SnippetMaker::operator()(std::string_view text) {
  const std::vector<Word> found = words(text);
  if (found.empty()) return no_words(text, bytes_);
  std::vector<Match> matches;
  for (std::size_t k = 0; k < found.size(); ++k) {
    if (found[k].term >= 0) matches.push_back({k, k, static_cast<std::size_t>(found[k].term)});
    if (found[k].pair >= 0 && k + 1 < found.size()) {
      matches.push_back({k, k + 1, static_cast<std::size_t>(found[k].pair)});
    }
  }
  Window w;
  if (text.size() <= bytes_) {
    w.last = found.size() - 1;
    w.from = context_start(text, found, 0);
  } else {
    w = best_window(text, found, matches, weights_, bytes_);
  }
  return render(text, found, matches, w, bytes_);
}

std::vector<std::string> snippet_terms(std::string_view text) {
  const Xapian::Stem stemmer = schema::text_stemmer();
  std::vector<std::string> out;
  Splitter(text).each([&](const std::string& word, std::size_t, std::size_t, bool) {
    if (word.size() > kMaxWordBytes) return;
    const std::string stem = stemmer(word);
    if (!stem.empty()) out.push_back("Z" + stem);
  });
  return out;
}

void wildcard_patterns(const Xapian::Query& query, std::vector<std::string>& out) {
  if (query.get_type() == Xapian::Query::OP_WILDCARD) {
    const std::string d = query.get_description();
    const std::size_t space = d.rfind(' ');
    if (space != std::string::npos && d.ends_with(')'))
      out.push_back(d.substr(space + 1, d.size() - space - 2));
    return;
  }
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    wildcard_patterns(query.get_subquery(i), out);
  }
}

}  // namespace folio::query
