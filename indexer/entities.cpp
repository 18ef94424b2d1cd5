// Finding the people and places of an article's sections with the lexicon
// and a few rules about capitalisation, titles and context.
#include <xapian.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "folio/date.hpp"
#include "folio/entities.hpp"
#include "folio/tagger.hpp"
#include "folio/text.hpp"

namespace folio {
namespace {

// Words that are capitalised for reasons other than being a name.
const std::unordered_set<std::string> kCalendarWords = [] {
  std::unordered_set<std::string> words;
  for (std::string_view w : kMonthNames) words.emplace(w);
  for (std::string_view w : kWeekdayNames) words.emplace(w);
  return words;
}();

// Lower-case words inside a person's name ("Lula da Silva", "Ursula von der Leyen").
const std::unordered_set<std::string> kNameParticles = {"da",  "de", "del", "della", "der", "di",  "do",
                                                        "dos", "du", "la",  "le",    "van", "von", "bin",
                                                        "ibn", "al", "el",  "ben",   "ter", "ten"};

// Words before a place name that make an ambiguous word a place ("in Nice").
const std::unordered_set<std::string> kLocatives = {
    "in",      "at",   "from", "near",  "to",      "outside",  "around", "across", "toward",
    "towards", "into", "via",  "visit", "visited", "visiting", "of",     "through"};

// Context that makes an unknown name the tagger reads as a place one:
// "in Kismayo", "the port town of Kismayo".
const std::unordered_set<std::string> kStrongLocatives = {"in", "at", "near", "outside"};
const std::unordered_set<std::string> kPlaceNouns = {"town",     "city", "village",   "province", "region",
                                                     "district", "port", "capital",   "state",    "island",
                                                     "county",   "area", "outskirts", "suburb"};

constexpr std::size_t kMaxNameTokens = 6;
constexpr std::uint32_t kCityWithoutContext = 200'000;
constexpr std::uint32_t kBigCityPopulation = Lexicon::kBigCityPopulation;

struct Token {
  std::string_view text;  // as written, without a possessive ending
  std::string key;        // fold(text)
  bool cap = false;       // starts with an upper-case letter
  bool upper = false;     // all its letters are upper-case (two or more)
  bool possessive = false;
  bool sentence_start = false;  // capitalisation says nothing here
  bool joined = false;          // follows the previous token without a break
  bool hyphen = false;          // joined by a hyphen ("U.S.-Japanese")
  bool comma_before = false;
  bool stop_before = false;   // after a full stop, '!' or '?': a new sentence
  bool quote_before = false;  // after an opening quote or bracket
};

bool is_upper(unsigned ch) {
  const auto cat = Xapian::Unicode::get_category(ch);
  return cat == Xapian::Unicode::UPPERCASE_LETTER || cat == Xapian::Unicode::TITLECASE_LETTER;
}

bool is_letter(unsigned ch) {
  const auto cat = Xapian::Unicode::get_category(ch);
  return cat == Xapian::Unicode::UPPERCASE_LETTER || cat == Xapian::Unicode::LOWERCASE_LETTER ||
         cat == Xapian::Unicode::TITLECASE_LETTER || cat == Xapian::Unicode::MODIFIER_LETTER ||
         cat == Xapian::Unicode::OTHER_LETTER;
}

bool is_apostrophe(unsigned ch) { return ch == '\'' || ch == 0x2019; }

// "U", "U.S", "D.C": single ASCII letters separated by full stops.
bool is_initialism(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool letter = (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z');
    if (i % 2 == 0 ? !letter : s[i] != '.') return false;
  }
  return !s.empty() && s.size() % 2 == 1;
}

// Splits one line of text into word tokens, recording what separates them.
std::vector<Token> tokenize(std::string_view text, const Lexicon& lx, bool headline) {
  std::vector<Token> tokens;
  const char* const base = text.data();
  Xapian::Utf8Iterator it(text.data(), text.size());
  const Xapian::Utf8Iterator end;
  std::string gap;  // non-space characters since the last token
  bool boundary = true;
  bool stop_gap = true;
  bool quote_gap = false;
  auto offset = [&](const Xapian::Utf8Iterator& i) { return static_cast<std::size_t>(i.raw() - base); };
  while (it != end) {
    const unsigned ch = *it;
    if (!Xapian::Unicode::is_wordchar(ch)) {
      if (ch == '.' || ch == '!' || ch == '?' || ch == ':' || ch == 0x201C || ch == '"' || ch == '(') {
        boundary = true;
      }
      if (ch == '.' || ch == '!' || ch == '?') stop_gap = true;
      if (ch == 0x201C || ch == '"' || ch == '(' || ch == '[') quote_gap = true;
      if (!Xapian::Unicode::is_whitespace(ch)) gap += static_cast<char>(ch < 0x80 ? ch : '~');
      ++it;
      continue;
    }
    const std::size_t start = offset(it);
    std::size_t stop = start;
    unsigned letters = 0;
    unsigned uppers = 0;
    bool first_upper = is_upper(ch);
    while (it != end) {
      const unsigned c = *it;
      if (Xapian::Unicode::is_wordchar(c)) {
        if (is_letter(c)) {
          ++letters;
          if (is_upper(c)) ++uppers;
        }
        ++it;
        stop = offset(it);
        continue;
      }
      // Inner apostrophes ("O’Brien", "d’Ivoire", "Blinken’s") and the dots
      // of initialisms ("U.S.") stay in the token.
      Xapian::Utf8Iterator next = it;
      ++next;
      const bool word_follows = next != end && Xapian::Unicode::is_wordchar(*next);
      if (is_apostrophe(c) && word_follows) {
        it = next;
        continue;
      }
      if (c == '.' && is_initialism(text.substr(start, stop - start))) {
        ++it;
        stop = offset(it);
        if (word_follows) continue;
      }
      break;
    }
    std::string_view word = text.substr(start, stop - start);
    // A full stop after an abbreviation ("Mr.", "Gen.") or a single initial
    // ("John F. Kennedy") belongs to the word and ends no sentence.
    bool kept_stop = word.ends_with('.');
    if (!kept_stop && it != end && *it == '.' && (letters == 1 || lx.is_abbreviation(fold(word)))) {
      ++it;
      ++stop;
      word = text.substr(start, stop - start);
      kept_stop = true;
    }
    Token t;
    for (std::string_view ending : {"’s", "'s", "’S", "'S"}) {
      if (word.ends_with(ending) && word.size() > ending.size()) {
        word.remove_suffix(ending.size());
        t.possessive = true;
        break;
      }
    }
    t.text = word;
    t.key = fold(word);
    // "d’Ivoire", "l’Aquila": capitalised after an elided article.
    t.cap = first_upper || (word.size() > 3 && (word[1] == '\'' || word.substr(1, 3) == "’") &&
                            is_upper(static_cast<unsigned char>(word[word[1] == '\'' ? 2 : 4])));
    t.upper = letters >= 2 && uppers == letters;
    t.sentence_start = boundary || headline;
    t.hyphen = !tokens.empty() && gap == "-";
    t.joined = !tokens.empty() && (gap.empty() || t.hyphen) && !tokens.back().possessive;
    t.comma_before = gap.find(',') != std::string::npos;
    t.stop_before = stop_gap;
    t.quote_before = quote_gap;
    if (!t.key.empty()) tokens.push_back(std::move(t));
    gap.clear();
    boundary = false;
    stop_gap = false;
    quote_gap = false;
  }
  return tokens;
}

// What pass one found, before names are resolved across the article.
struct PersonSpan {
  std::size_t section;
  std::string name;  // display name as written
  std::vector<std::string> keys;
  bool titled;             // after "President", "Mr." ...
  std::string with_title;  // "President Biden": an alias users may type
};

// A single capitalised word that may be a later mention of a person.
struct ShortMention {
  std::size_t section;
  std::string surface;
  std::string key;
};

struct PlaceMention {
  std::size_t section;
  std::string surface;
  const Lexicon::Phrase* phrase;
  bool single;               // one token
  bool ordinary;             // also an ordinary lower-case word
  bool context;              // "in X", "X, Country"
  bool state_context;        // "state of X", "X state"
  std::string city_country;  // "Atlanta, Georgia": country of the city before
  std::string key;
  std::size_t unit = 0;  // which line of the article
};

// An organisation's name as written ("Aston Villa", "United Nations").
struct OrgMention {
  std::size_t section;
  std::string surface;
  bool heading;  // in a heading or a line in capitals: a poor display name
};

// One line of an article (a heading or a paragraph) as tokens, with what
// the tagger says of each.
struct Unit {
  std::size_t section = 0;
  bool heading = false;      // a heading, or a line in capitals
  std::size_t dateline = 0;  // leading tokens that are a dateline ("NEW YORK,")
  std::vector<Token> tokens;
  std::vector<std::uint8_t> labels;  // the tagger's IOB2 labels; empty without it
};

// A place the tagger found that no gazetteer has: it keeps a slug id and
// the name as written.
struct ExtraPlace {
  std::size_t section;
  Place place;
};

class ArticleScan {
 public:
  explicit ArticleScan(const Lexicon& lx) : lx_(lx) {}

  // Tokenizes one line and decides how to read it: an all-capitals line
  // reads like a heading, and a dateline ("NEW YORK, Feb 26 -", "SAN JOSE,
  // Calif.") opens a paragraph with capitals read as a heading's words.
  static Unit read_unit(const Lexicon& lx, std::string_view text, std::size_t section, bool heading) {
    Unit u;
    u.section = section;
    u.tokens = tokenize(text, lx, heading);
    std::vector<Token>& t = u.tokens;
    if (!heading) {
      std::size_t upper = 0;
      for (const Token& tok : t) upper += tok.upper ? 1 : 0;
      if (upper * 2 > t.size() && t.size() >= 2) {
        for (Token& tok : t) tok.sentence_start = true;
        heading = true;
      }
    }
    u.heading = heading;
    std::size_t caps = 0;
    while (caps < t.size() && t[caps].upper && !t[caps].comma_before) ++caps;
    if (!heading && caps > 0 && caps <= 4 && caps < t.size() && t[caps].comma_before) {
      u.dateline = caps;
      for (std::size_t k = 0; k < caps; ++k) t[k].sentence_start = true;
      t[caps].sentence_start = true;
    }
    return u;
  }

  // Runs the tagger over every unit: first what the article says of each
  // word (TagDocument), then each sentence. Headings and datelines are
  // tagged as headlines.
  static void tag_units(const Lexicon& lx, std::vector<Unit>& units) {
    const TaggerModel* model = lx.tagger();
    if (model == nullptr) return;
    struct Piece {
      std::size_t unit, begin;
      TagSentence sentence;
    };
    std::vector<Piece> pieces;
    for (std::size_t u = 0; u < units.size(); ++u) {
      const std::vector<Token>& t = units[u].tokens;
      for (std::size_t i = 0; i < t.size();) {
        // A sentence: to the next full stop, or the dateline alone.
        std::size_t e = i + 1;
        if (i < units[u].dateline) {
          e = units[u].dateline;
        } else {
          while (e < t.size() && !t[e].stop_before) ++e;
        }
        Piece p{u, i, {}};
        p.sentence.headline = units[u].heading || i < units[u].dateline;
        for (std::size_t k = i; k < e; ++k) {
          TagToken tt;
          tt.text = t[k].text;
          tt.key = t[k].key;
          tt.possessive = t[k].possessive;
          tt.comma_before = t[k].comma_before && k > i;
          tt.quote_before = t[k].quote_before;
          tt.hyphen = t[k].hyphen && k > i;
          p.sentence.tokens.push_back(tt);
        }
        pieces.push_back(std::move(p));
        i = e;
      }
    }
    TagDocument document;
    for (const Piece& p : pieces) model->read(lx, document, p.sentence);
    for (Unit& u : units) u.labels.assign(u.tokens.size(), 0);
    for (const Piece& p : pieces) {
      const std::vector<std::uint8_t> labels = model->tag(lx, document, p.sentence);
      std::copy(labels.begin(), labels.end(),
                units[p.unit].labels.begin() + static_cast<std::ptrdiff_t>(p.begin));
    }
  }

  // Finds the people and places of one unit.
  void scan_unit(const Unit& u) {
    const std::uint8_t* labels = u.labels.empty() ? nullptr : u.labels.data();
    if (u.dateline > 0) {
      const std::vector<Token> dateline(u.tokens.begin(),
                                        u.tokens.begin() + static_cast<std::ptrdiff_t>(u.dateline));
      const std::vector<Token> rest(u.tokens.begin() + static_cast<std::ptrdiff_t>(u.dateline),
                                    u.tokens.end());
      scan_tokens(dateline, labels, u.section, true);
      scan_tokens(rest, labels == nullptr ? nullptr : labels + u.dateline, u.section, false);
    } else {
      scan_tokens(u.tokens, labels, u.section, u.heading);
    }
    ++unit_;
  }

  std::vector<PersonSpan> people;
  std::vector<ShortMention> shorts;
  std::vector<PlaceMention> places;
  std::vector<ExtraPlace> extra_places;
  std::vector<ShortMention> tagged_singles;            // one-word people the tagger found
  std::unordered_set<std::string> organisation_words;  // keys of organisations' names
  std::vector<OrgMention> orgs;                        // the lexicon's and the tagger's organisations

 private:
  struct Match {
    std::size_t length = 0;
    const Lexicon::Phrase* phrase = nullptr;
  };

  // The longest lexicon phrase starting at token i. Outside headings a
  // short all-capitals word is only an acronym ("US", not "us").
  Match longest_phrase(const std::vector<Token>& t, std::size_t i, bool heading = false) const {
    Match best;
    if (const Lexicon::Phrase* a = lx_.acronym(t[i].text)) best = {1, a};
    if (t[i].upper && t[i].key.size() <= 5 && !heading) return best;
    std::string key;
    for (std::size_t n = 0; n < lx_.max_phrase_tokens() && i + n < t.size(); ++n) {
      // Phrases may span spaces and hyphens but no other punctuation.
      if (n > 0 && !t[i + n].joined) break;
      if (n > 0) key += ' ';
      key += t[i + n].key;
      // A phrase's last word must be capitalised ("Secretary of State").
      if (!t[i + n].cap && !t[i + n].upper) continue;
      if (n == 0 && kCalendarWords.count(key) != 0) break;
      if (const Lexicon::Phrase* p = lx_.phrase(key)) {
        best = {n + 1, p};
      } else if (n == 0 && key.size() > 4 && key.back() == 's') {
        // "Georgians", "Americans": a demonym in the plural.
        const Lexicon::Phrase* singular = lx_.phrase(key.substr(0, key.size() - 1));
        if (singular != nullptr && singular->demonym) best = {1, singular};
      }
      if (t[i + n].possessive) break;
    }
    return best;
  }

  // The longest phrase of at most `limit` tokens at i that names a place.
  Match longest_place(const std::vector<Token>& t, std::size_t i, std::size_t limit) const {
    if (!t[i].cap && !t[i].upper) return {};
    std::string key;
    Match best;
    if (const Lexicon::Phrase* a = lx_.acronym(t[i].text); a != nullptr && !a->places.empty()) {
      best = {1, a};
    }
    for (std::size_t n = 0; n < limit && n < lx_.max_phrase_tokens() && i + n < t.size(); ++n) {
      if (n > 0 && !t[i + n].joined) break;
      key += (n > 0 ? " " : "") + t[i + n].key;
      const Lexicon::Phrase* p = lx_.phrase(key);
      if (p != nullptr && !p->places.empty() && (t[i + n].cap || t[i + n].upper)) best = {n + 1, p};
    }
    return best;
  }

  bool starts_strong_place(const std::vector<Token>& t, std::size_t i) const {
    const Match m = longest_phrase(t, i);
    if (m.phrase == nullptr || m.phrase->places.empty()) return false;
    const Place& p = lx_.places()[m.phrase->places.front()].place;
    return m.phrase->demonym || p.kind == PlaceKind::country || p.kind == PlaceKind::region;
  }

  // An ordinary word, also in the plural ("Baths", "Historians").
  bool ordinary(const std::string& key) const {
    return lx_.is_ordinary_word(key) ||
           (key.size() > 3 && key.back() == 's' && lx_.is_ordinary_word(key.substr(0, key.size() - 1)));
  }

  struct NameSpan {
    std::size_t length = 0;        // tokens of a person's name, 0 if none
    std::size_t organisation = 0;  // or tokens of an organisation ("Monte Carlo Country Club")
  };

  // The person's name (or organisation) starting at token i.
  NameSpan name_span(const std::vector<Token>& t, std::size_t i, bool titled, bool heading) const {
    if (!t[i].cap || kCalendarWords.count(t[i].key) != 0) return {};
    if (const Lexicon::Phrase* p = lx_.phrase(t[i].key); p != nullptr && p->title) return {};
    if (lx_.is_organisation_suffix(t[i].key)) return {};  // "Banque Nationale de Paris"
    std::size_t n = 1;
    bool has_particles = false;
    while (i + n < t.size() && n < kMaxNameTokens && !t[i + n - 1].possessive && t[i + n].joined) {
      const Token& next = t[i + n];
      // Lower-case particles ("da", "von der") inside a name, and the
      // lower-case half of a hyphenated name ("Tsai Ing-wen").
      std::size_t k = i + n;
      while (k < t.size() && !t[k].cap && kNameParticles.count(t[k].key) != 0 && t[k].joined) ++k;
      const bool particles = k > i + n && k < t.size() && t[k].cap && t[k].joined;
      const bool hyphen_tail = !next.cap && next.hyphen && (i + n + 1 >= t.size() || !t[i + n + 1].hyphen);
      if (!next.cap && !particles && !hyphen_tail) break;
      if (next.cap && lx_.is_organisation_suffix(next.key)) return {0, n + 1};
      if (next.cap && (starts_strong_place(t, i + n) || kCalendarWords.count(next.key) != 0)) break;
      // A title word that is also a given name, after two or more name
      // words, is a name word: "Martin Luther King Jr.".
      if (const Lexicon::Phrase* p = lx_.phrase(next.key);
          p != nullptr && p->title && (n < 2 || !lx_.is_given_name(next.key))) {
        break;
      }
      // In a heading every word is capitalised: "MINISTER RILWANU LUKMAN SAID TODAY".
      if (heading && ordinary(next.key)) break;
      has_particles = has_particles || particles;
      n = particles ? k - i + 1 : n + 1;
    }
    // "THE PRESIDENT SAID": in capitals a title before an ordinary word
    // names nobody.
    if (titled && heading && ordinary(t[i].key)) return {};
    if (titled) return {n, 0};
    if (heading || n < 2) return {};  // in Title Case any two words look like a name
    const Lexicon::Phrase* first = lx_.phrase(t[i].key);
    // A given name, a family name written first, or a name with particles
    // ("Dirk Van de Put", "Ursula von der Leyen").
    const bool named = lx_.is_given_name(t[i].key) || lx_.is_surname_first(t[i].key);
    // "French Open" is no person; "Jordan Thompson" and "Chad Foster" are.
    const bool demonym = first != nullptr && first->demonym;
    const bool place = first != nullptr && !first->places.empty();
    if ((named || has_particles) && !demonym && (named || !place)) {
      return {n, 0};
    }
    // A first word that is no ordinary word, place or calendar word, then
    // more capitalised words: "Fumio Kishida", "Elon Musk"; or an initial
    // ("C. Harris").
    const bool initial = t[i].text.size() == 2 && t[i].text[1] == '.' && !ordinary(t[i + 1].key);
    if (!initial && (ordinary(t[i].key) || first != nullptr || t[i].key.size() < 2 || t[i].upper ||
                     lx_.is_organisation_suffix(t[i].key))) {
      return {};
    }
    for (std::size_t k = i + 1; k < i + n; ++k) {
      const Lexicon::Phrase* p = lx_.phrase(t[k].key);
      if (p != nullptr && !p->places.empty()) return {};  // "El Geneina"
    }
    return {n, 0};
  }

  // Whether the tagger's person [i, i + n) may be one: at the start of a
  // sentence a capitalised word says little, so a given name must open it;
  // a single word must be no ordinary word or contraction ("I’m").
  bool plausible_name(const std::vector<Token>& t, std::size_t i, std::size_t n) const {
    for (std::size_t k = i; k < i + n; ++k) {
      if (t[k].text.find('\'') != std::string_view::npos ||
          t[k].text.find("\u2019") != std::string_view::npos) {
        return false;
      }
    }
    if (t[i].sentence_start && !lx_.is_given_name(t[i].key)) return false;
    if (n == 1 && (t[i].key.size() < 3 || ordinary(t[i].key))) return false;
    return true;
  }

  // The place [i, i + n) starts a hyphenated compound of places that ends
  // in a demonym: "U.S.-Japanese", "Sino-U.S."-style adjectives.
  bool demonym_compound(const std::vector<Token>& t, std::size_t i, std::size_t n) const {
    bool any = false;
    for (std::size_t k = i + n; k < t.size() && t[k].hyphen;) {
      const Match next = longest_phrase(t, k);
      if (next.phrase == nullptr || next.phrase->places.empty()) return false;
      any = next.phrase->demonym;
      k += next.length;
    }
    return any;
  }

  static bool place_at(const Match& m) { return m.phrase != nullptr && !m.phrase->places.empty(); }

  // A word of [i, i + n) is a place, an organisation, an organisation's
  // suffix or an acronym in the lexicon ("LA Lakers", "Aston Villa").
  bool has_lexicon_word(const std::vector<Token>& t, std::size_t i, std::size_t n) const {
    for (std::size_t k = i; k < i + n; ++k) {
      if (lx_.is_organisation_suffix(t[k].key) || lx_.acronym(t[k].text) != nullptr) return true;
      const Lexicon::Phrase* p = lx_.phrase(t[k].key);
      if (p != nullptr && (p->organisation || !p->places.empty())) return true;
    }
    return false;
  }

  // No word of [i, i + n) names a place, a title or an organisation in the
  // lexicon, or is a calendar word.
  bool unknown_words(const std::vector<Token>& t, std::size_t i, std::size_t n) const {
    for (std::size_t k = i; k < i + n; ++k) {
      if (kCalendarWords.count(t[k].key) != 0 || lx_.is_organisation_suffix(t[k].key)) return false;
      if (lx_.phrase(t[k].key) != nullptr || lx_.acronym(t[k].text) != nullptr) return false;
    }
    return true;
  }

  void add_place(const std::vector<Token>& t, std::size_t i, const Match& m, std::size_t section,
                 bool heading) {
    PlaceMention pm;
    pm.section = section;
    pm.phrase = m.phrase;
    pm.single = m.length == 1;
    pm.key = t[i].key;
    const auto* first = t[i].text.data();
    const auto& last = t[i + m.length - 1].text;
    pm.surface = std::string(first, static_cast<std::size_t>(last.data() + last.size() - first));
    // Every word an ordinary word: "Nice", "Country Club".
    pm.ordinary = !t[i].upper;
    for (std::size_t k = i; k < i + m.length; ++k)
      pm.ordinary = pm.ordinary && lx_.is_ordinary_word(t[k].key);
    const bool locative = i > 0 && kLocatives.count(t[i - 1].key) != 0 && !t[i - 1].cap;
    bool place_after = false;
    if (i + m.length < t.size() && t[i + m.length].comma_before) {
      const Match after = longest_phrase(t, i + m.length);
      place_after = after.phrase != nullptr && !after.phrase->places.empty() && !after.phrase->demonym;
    }
    const bool after_place = i > 0 && t[i].comma_before && !places.empty() &&
                             places.back().section == section && places.back().unit == unit_;
    pm.context = !heading && ((locative && !t[i].sentence_start) || place_after || after_place);
    if (after_place) {
      const Place& before = lx_.places()[places.back().phrase->places.front()].place;
      if (before.kind == PlaceKind::city) pm.city_country = before.country;
    }
    pm.unit = unit_;
    pm.state_context =
        (i >= 2 && t[i - 1].key == "of" && (t[i - 2].key == "state" || t[i - 2].key == "province")) ||
        (i + m.length < t.size() && t[i + m.length].key == "state" && !t[i + m.length].cap);
    places.push_back(std::move(pm));
  }

  // The tagger's span that token i starts: its type and length ({none, 0}
  // if i starts none).
  struct TaggedSpan {
    EntityType type = EntityType::none;
    std::size_t length = 0;
  };
  static TaggedSpan tagged_at(const std::uint8_t* labels, std::size_t size, std::size_t i) {
    if (labels == nullptr || labels[i] == 0 || !label_begins(labels[i])) return {};
    const EntityType type = label_type(labels[i]);
    std::size_t e = i + 1;
    while (e < size && labels[e] != 0 && !label_begins(labels[e]) && label_type(labels[e]) == type) ++e;
    return {type, e - i};
  }
  // True if the tagger calls every token of [i, i + n) part of a name other
  // than a person's: "Aston Villa", "West Indies", "Castel Gandolfo".
  static bool tagged_not_person(const std::uint8_t* labels, std::size_t i, std::size_t n) {
    if (labels == nullptr) return false;
    for (std::size_t k = i; k < i + n; ++k) {
      const EntityType type = label_type(labels[k]);
      if (type == EntityType::none || type == EntityType::person) return false;
    }
    return true;
  }

  // The rules' name [i, i + n) is none when the tagger reads it as another
  // kind of name, it does not open a sentence or with a given name, and a
  // word of it says so too ("Aston Villa", "West Indies", "LA Lakers").
  bool tagger_vetoes_name(const std::vector<Token>& t, const std::uint8_t* labels, std::size_t i,
                          std::size_t n, const TaggedSpan& tagged) const {
    const Token& tok = t[i];
    if (tok.sentence_start || !tagged_not_person(labels, i, n)) return false;
    // An organisation the tagger reads whole, a given name or not ("Aston
    // Villa beat Everton").
    if (tagged.type == EntityType::organisation && org_length(t, i, tagged.length) == n &&
        !t[i + n - 1].possessive) {
      return true;
    }
    // A given name, a family name written first or an initial ("C. Harris")
    // opens the name whatever the tagger says of the words; not a word in
    // capitals before one that is not ("LA Lakers"): an abbreviation.
    const bool initial = tok.text.size() == 2 && tok.text[1] == '.' && n > 1 && !ordinary(t[i + 1].key);
    const bool abbreviation = tok.upper && n > 1 && !t[i + n - 1].upper;
    if (!abbreviation && (lx_.is_given_name(tok.key) || lx_.is_surname_first(tok.key) || initial)) {
      return false;
    }
    return ordinary(tok.key) || has_lexicon_word(t, i, n) ||
           (tagged.type == EntityType::organisation && tagged.length == n && !t[i + n - 1].possessive);
  }

  // An organisation's name [i, i + n) is neither a person nor a place, but
  // the places named in it count ("Bank of Japan"; not the demonym of
  // "Georgian Dream").
  void add_organisation(const std::vector<Token>& t, std::size_t i, std::size_t n, std::size_t section,
                        bool heading) {
    add_org_mention(t, i, n, section, heading);
    for (std::size_t k = i; k < i + n; ++k) organisation_words.insert(t[k].key);
    for (std::size_t k = i; k < i + n; ++k) {
      const Match inner = longest_place(t, k, i + n - k);
      // "Toyota" the company is not Toyota the city; "European" of
      // "European Union" is a demonym, no place.
      if (inner.phrase != nullptr && !inner.phrase->demonym && !(k == i && inner.length == n)) {
        add_place(t, k, inner, section, heading);
        k += inner.length - 1;
      }
    }
  }

  // The name [i, i + n) as written, as an organisation of the section.
  void add_org_mention(const std::vector<Token>& t, std::size_t i, std::size_t n, std::size_t section,
                       bool heading) {
    if (n > 1 && t[i].key == "the") {  // "The European Commission"
      ++i;
      --n;
    }
    const auto* first = t[i].text.data();
    const auto& last = t[i + n - 1].text;
    orgs.push_back(
        {section, std::string(first, static_cast<std::size_t>(last.data() + last.size() - first)), heading});
  }

  // The tagger's organisation [i, i + n) up to its first word that is
  // neither capitalised nor a particle of a name ("Bank of Japan", not
  // "Aston Villa beat Everton"), without particles at its end.
  static std::size_t org_length(const std::vector<Token>& t, std::size_t i, std::size_t n) {
    static const std::unordered_set<std::string_view> kOrgParticles = {
        "of", "for", "de", "del", "della", "di", "du", "des", "la", "le", "van", "von", "&"};
    std::size_t len = 0;
    while (len < n && (t[i + len].cap || t[i + len].upper || kOrgParticles.count(t[i + len].key) != 0) &&
           (len == 0 || t[i + len].joined)) {
      ++len;
    }
    while (len > 0 && !t[i + len - 1].cap && !t[i + len - 1].upper) --len;
    return len;
  }

  // Whether the tagger's organisation [i, i + n) may be one: capitalised at
  // both ends, not only a title, a demonym or an ordinary word opening a
  // sentence, and never in a heading (capitals say nothing there).
  bool plausible_org(const std::vector<Token>& t, std::size_t i, std::size_t n, bool heading) const {
    if (heading || !t[i].cap || !t[i + n - 1].cap) return false;
    for (std::size_t k = i; k < i + n; ++k) {
      if (t[k].text.find('\'') != std::string_view::npos ||
          t[k].text.find("\u2019") != std::string_view::npos) {
        return false;
      }
    }
    // A country, region or state the tagger calls an organisation ("the US
    // said") stays a place; a city may be a club ("Barcelona"), see
    // scan_tokens.
    const std::size_t from = n > 1 && t[i].key == "the" ? i + 1 : i;
    const Match whole = longest_phrase(t, from);
    if (whole.length == i + n - from && place_at(whole) &&
        lx_.places()[whole.phrase->places.front()].place.kind != PlaceKind::city) {
      return false;
    }
    if (whole.length == i + n - from && whole.phrase != nullptr && whole.phrase->demonym) return false;
    if (n == 1) {
      if (t[i].key.size() < 2 || (t[i].sentence_start && ordinary(t[i].key))) return false;
      if (const Lexicon::Phrase* p = lx_.phrase(t[i].key); p != nullptr && (p->title || p->demonym)) {
        return false;
      }
    }
    if (kCalendarWords.count(t[i].key) != 0) return false;
    return true;
  }

  // The length of a name that starts with the one-word title at i when the
  // title is also a given name and is one here, else 0: before a name that
  // starts with a particle ("Sultan Al Jaber"), or when an apposition gives
  // the person another role ("Dean Wilson, the coach").
  std::size_t title_as_given_name(const std::vector<Token>& t, std::size_t i, bool heading) const {
    const Token& tok = t[i];
    if (!lx_.is_given_name(tok.key) || i + 1 >= t.size()) return 0;
    if (kNameParticles.count(t[i + 1].key) != 0 && t[i + 1].cap) {
      const NameSpan rest = name_span(t, i + 1, true, heading);
      if (rest.length >= 2) return rest.length + 1;
    }
    if (!heading && i + 2 < t.size() && t[i + 1].cap && t[i + 1].joined) {
      const NameSpan rest = name_span(t, i + 1, true, heading);
      const std::size_t after = i + 1 + rest.length;
      if (rest.length >= 1 && after + 1 < t.size() && t[after].comma_before &&
          (t[after].key == "the" || t[after].key == "a" || t[after].key == "an") && !t[after + 1].cap &&
          t[after + 1].key != tok.key) {
        return rest.length + 1;
      }
    }
    return 0;
  }

  // A person's name [i, i + n), after the title that starts at `title` (or
  // nullptr).
  void add_person(const std::vector<Token>& t, std::size_t i, std::size_t n, const Token* title,
                  std::size_t section) {
    const auto* first = t[i].text.data();
    const auto& last = t[i + n - 1].text;
    const char* end = last.data() + last.size();
    PersonSpan p{
        section, std::string(first, static_cast<std::size_t>(end - first)), {}, title != nullptr, {}};
    if (title != nullptr) {
      const char* start = title->text.data();
      p.with_title = std::string(start, static_cast<std::size_t>(end - start));
    }
    for (std::size_t k = i; k < i + n; ++k) p.keys.push_back(t[k].key);
    people.push_back(std::move(p));
  }

  // A place the tagger found at [i, i + n) that the gazetteers lack
  // ("Kismayo") keeps its name as written, with a place's context: "in
  // Kismayo", "the port town of Kismayo". Returns whether it was added.
  bool add_unknown_place(const std::vector<Token>& t, std::size_t i, std::size_t n, std::size_t section) {
    const bool locative = i > 0 && !t[i - 1].cap && !t[i].sentence_start &&
                          (kStrongLocatives.count(t[i - 1].key) != 0 ||
                           (t[i - 1].key == "of" && i > 1 && kPlaceNouns.count(t[i - 2].key) != 0));
    if (!locative || !t[i].cap || !t[i + n - 1].cap || !unknown_words(t, i, n)) return false;
    const auto* first = t[i].text.data();
    const auto& last = t[i + n - 1].text;
    Place p;
    p.name = std::string(first, static_cast<std::size_t>(last.data() + last.size() - first));
    p.id = slug(p.name);
    p.kind = PlaceKind::region;
    if (p.id.empty()) return false;
    p.aliases.push_back(p.name);
    extra_places.push_back({section, std::move(p)});
    return true;
  }

  // The people, places and organisations of a run of tokens, left to right.
  // Whether a unit reads as a sports report: a score ("2-0", "1-1") with a
  // result verb ("beat", "drew") or a sports word ("cup", "striker"), or
  // followed by a result ("a 2-0 win"); or a result verb with a sports
  // word. A score alone may be a vote ("ruled 5-4") or a range, a sports
  // word alone a metaphor. There a city without a place's context is a
  // team.
  static bool sports_context(const std::vector<Token>& t) {
    static const std::unordered_set<std::string_view> kResults = {
        "beat",   "beats",    "drew",     "defeated",   "thrashed", "edged",
        "routed", "hammered", "trounced", "outclassed", "overcame"};
    static const std::unordered_set<std::string_view> kScoreWords = {"win",  "won",    "victory", "draw",
                                                                     "lead", "defeat", "loss",    "drawn"};
    static const std::unordered_set<std::string_view> kSportsWords = {
        "match",   "cup",     "league",    "goal",       "goals",     "striker",    "coach",
        "fans",    "stadium", "kickoff",   "derby",      "semifinal", "playoff",    "playoffs",
        "innings", "wickets", "touchdown", "midfielder", "defender",  "goalkeeper", "unbeaten"};
    bool score = false;
    bool result = false;
    bool sports = false;
    for (std::size_t k = 0; k < t.size(); ++k) {
      const Token& w = t[k];
      // "2-0": a number of at most two digits joined by a hyphen to another;
      // it counts alone when a result follows it ("a 2-0 win"), not a range
      // ("5-10 pct").
      if (k > 0 && w.hyphen && w.text.size() <= 2 && t[k - 1].text.size() <= 2 &&
          std::isdigit(static_cast<unsigned char>(w.text[0])) != 0 &&
          std::isdigit(static_cast<unsigned char>(t[k - 1].text[0])) != 0) {
        score = true;
        if (k + 1 < t.size() && kScoreWords.count(t[k + 1].key) != 0) sports = true;
      }
      if (w.cap) continue;
      result = result || kResults.count(w.key) != 0;
      sports = sports || kSportsWords.count(w.key) != 0;
    }
    return (score && (result || sports)) || (result && sports);
  }

  // A city at [i, i + m.length) that is a team here: a sports report, no
  // place's context before it ("in Liverpool" stays a place). Returns the
  // length of the team's name: the city and the capitalised words joined
  // to it that are no places ("Sheffield Wednesday", "Leeds United"), or 0.
  std::size_t team_length(const std::vector<Token>& t, std::size_t i, const Match& m, bool sports,
                          bool heading) const {
    static const std::unordered_set<std::string_view> kPlaceWords = {
        "in",   "at",  "near", "outside", "around", "across",  "toward",   "towards",
        "into", "via", "to",   "from",    "visit",  "visited", "visiting", "through"};
    if (!sports || heading || m.phrase == nullptr || m.phrase->places.empty() || m.phrase->demonym) return 0;
    if (lx_.places()[m.phrase->places.front()].place.kind != PlaceKind::city) return 0;
    if (i > 0 && !t[i - 1].cap && kPlaceWords.count(t[i - 1].key) != 0) return 0;
    std::size_t n = m.length;
    while (i + n < t.size() && t[i + n].cap && t[i + n].joined && !t[i + n].comma_before &&
           !t[i + n - 1].possessive) {
      const Match next = longest_phrase(t, i + n, heading);
      if (next.phrase != nullptr && !next.phrase->places.empty() &&
          lx_.places()[next.phrase->places.front()].place.kind != PlaceKind::city) {
        break;
      }
      ++n;
    }
    // "Liverpool, England" or "Leeds and London" read alone: only a city
    // next to a score, another team or a result makes it a team, which the
    // unit's sports context stands for.
    return n;
  }

  void scan_tokens(const std::vector<Token>& t, const std::uint8_t* labels, std::size_t section,
                   bool heading) {
    bool titled = false;
    std::size_t title_start = 0;
    const bool sports = sports_context(t);
    for (std::size_t i = 0; i < t.size();) {
      const Token& tok = t[i];
      if (tok.sentence_start && !heading) titled = false;  // "... the Oba. Historians"
      if (!tok.cap && !tok.upper) {
        // "World Bank president Barber Conable": a title in lower case.
        const Lexicon::Phrase* p = lx_.phrase(tok.key);
        titled = p != nullptr && p->title && i + 1 < t.size() && t[i + 1].cap && t[i + 1].joined;
        if (titled) title_start = i;
        ++i;
        continue;
      }
      const Match m = longest_phrase(t, i, heading);
      NameSpan name = name_span(t, i, titled, heading);
      const TaggedSpan tagged = tagged_at(labels, t.size(), i);
      if (name.length > 0 && !titled && tagger_vetoes_name(t, labels, i, name.length, tagged)) {
        name.length = 0;
      }
      // A person the rules do not know ("Naoki Soma", "C. Harris") or took
      // for a city ("Yamaguchi"); never in a heading or a line in capitals.
      if (tagged.type == EntityType::person && !heading && name.length == 0 && name.organisation == 0 &&
          tok.cap && t[i + tagged.length - 1].cap && plausible_name(t, i, tagged.length)) {
        const bool strong_place =
            m.phrase != nullptr && !m.phrase->places.empty() && m.length >= tagged.length &&
            (m.phrase->demonym || lx_.places()[m.phrase->places.front()].place.kind != PlaceKind::city);
        const bool title = m.phrase != nullptr && m.phrase->title;
        if (!strong_place && !title && !lx_.is_organisation_suffix(tok.key)) {
          if (tagged.length >= 2) {
            name = {tagged.length, 0};
          } else if (!place_at(m)) {
            // One word ("Clinton said"): a later mention of a full name if
            // the article has one, else a person of its own.
            shorts.push_back({section, std::string(tok.text), tok.key});
            tagged_singles.push_back({section, std::string(tok.text), tok.key});
            titled = false;
            ++i;
            continue;
          }
        }
      }
      if (m.phrase != nullptr && m.phrase->organisation && m.length >= name.length) {
        name.organisation = std::max(name.organisation, m.length);
      }
      if (name.organisation > 0) {
        add_organisation(t, i, name.organisation, section, heading);
        titled = false;
        i += name.organisation;
        continue;
      }
      if (m.phrase != nullptr && m.phrase->title && m.length >= name.length) {
        if (m.length == 1) {
          if (const std::size_t n = title_as_given_name(t, i, heading); n > 0) name = {n, 0};
        }
        if (name.length <= m.length) {
          if (!titled) title_start = i;
          titled = true;
          i += m.length;
          continue;
        }
      }
      bool place = m.phrase != nullptr && !m.phrase->places.empty();
      // "President Clinton": after a title, a city's or a state's name is a
      // person's.
      if (place && titled && name.length > 0 && !m.phrase->demonym) {
        const PlaceKind kind = lx_.places()[m.phrase->places.front()].place.kind;
        if (kind == PlaceKind::city || kind == PlaceKind::subdivision) place = false;
      }
      if (name.length > 0 && (!place || name.length > m.length)) {
        add_person(t, i, name.length, titled ? &t[title_start] : nullptr, section);
        titled = false;
        i += name.length;
        continue;
      }
      titled = false;
      // A team named after its city, in a sports report: an organisation,
      // and the city in its name counts as no place.
      if (place) {
        if (const std::size_t n = team_length(t, i, m, sports, heading); n > 0) {
          add_org_mention(t, i, n, section, heading);
          for (std::size_t k = i; k < i + n; ++k) organisation_words.insert(t[k].key);
          i += n;
          continue;
        }
      }
      // The tagger's organisations the rules did not take for a person:
      // "Aston Villa", "Corriere della Sera", "Barcelona" the club.
      if (tagged.type == EntityType::organisation) {
        const std::size_t n = org_length(t, i, tagged.length);
        const bool city = place && m.length == n && !m.phrase->demonym &&
                          lx_.places()[m.phrase->places.front()].place.kind == PlaceKind::city;
        if (n > 0 && !city && plausible_org(t, i, n, heading)) add_org_mention(t, i, n, section, heading);
      }
      // A team or company named like a place ("Barcelona", "Liverpool") is
      // no place; a place inside a longer name still is ("Bank of Japan").
      // Only a city, and only without a place's context ("in Liverpool").
      if (place && tagged.type == EntityType::organisation && tagged.length == m.length &&
          !m.phrase->demonym && lx_.places()[m.phrase->places.front()].place.kind == PlaceKind::city) {
        add_place(t, i, m, section, heading);
        if (!places.back().context) {
          places.pop_back();
          if (plausible_org(t, i, m.length, heading)) add_org_mention(t, i, m.length, section, heading);
        }
        i += m.length;
        continue;
      }
      // A demonym names no place ("Dutch forward", "American officials"),
      // nor does a compound of places ending in one ("U.S.-Japanese trade").
      if (place && (m.phrase->demonym || demonym_compound(t, i, m.length))) {
        std::size_t end = i + m.length;
        while (end < t.size() && t[end].hyphen) {
          const Match next = longest_phrase(t, end, heading);
          if (next.phrase == nullptr || next.phrase->places.empty()) break;
          end += next.length;
        }
        i = end;
        continue;
      }
      if (place) {
        if (m.length == 1) shorts.push_back({section, std::string(tok.text), tok.key});
        add_place(t, i, m, section, heading);
        i += m.length;
        continue;
      }
      if (tagged.type == EntityType::location && !heading && m.phrase == nullptr &&
          add_unknown_place(t, i, tagged.length, section)) {
        i += tagged.length;
        continue;
      }
      // An unknown capitalised word may be a later mention of a name.
      if (tok.key.size() >= 2) shorts.push_back({section, std::string(tok.text), tok.key});
      ++i;
    }
  }

  const Lexicon& lx_;
  std::size_t unit_ = 0;
};

std::string join_keys(const std::vector<std::string>& keys, std::size_t from) {
  std::string out;
  for (std::size_t k = from; k < keys.size(); ++k) out += (out.empty() ? "" : " ") + keys[k];
  return out;
}

template <typename T>
void add_unique(std::vector<T>& list, T item, const std::string& alias) {
  auto it = std::find(list.begin(), list.end(), item);
  if (it == list.end()) {
    list.push_back(std::move(item));
    it = list.end() - 1;
  }
  if (std::find(it->aliases.begin(), it->aliases.end(), alias) == it->aliases.end()) {
    it->aliases.push_back(alias);
  }
}

// Turns what ArticleScan found into the sections' people and places: full
// names and the words that refer to them, then the places that stay
// places once the people are known.
class ArticleEntities {
 public:
  ArticleEntities(const Lexicon& lx, const ArticleScan& scan) : lx_(lx), scan_(scan) {}

  // People with full names, and the words that refer to them later: the
  // surname, or the family name written first ("Xi" of "Xi Jinping").
  void index_people() {
    // Longest names first, so that "Von der Leyen" is found in "Ursula von
    // der Leyen" rather than becoming a person of its own.
    std::vector<const PersonSpan*> spans;
    for (const PersonSpan& p : scan_.people) {
      if (p.keys.size() >= 2) spans.push_back(&p);
    }
    std::stable_sort(spans.begin(), spans.end(), [](const PersonSpan* a, const PersonSpan* b) {
      return a->keys.size() > b->keys.size();
    });
    for (const PersonSpan* p : spans) {
      const std::string full = join_keys(p->keys, 0);
      if (by_word_.count(full) != 0) continue;
      people_.try_emplace(full, Person{slug(p->name), p->name, {}});
      refer(full, full);
      if (lx_.is_surname_first(p->keys.front())) {
        refer(p->keys.front(), full);
        continue;
      }
      // Every tail of the name: "de Minaur", "Minaur".
      for (std::size_t k = 1; k < p->keys.size(); ++k) {
        if (p->keys[k].size() >= 2 && kNameParticles.count(p->keys[k]) == 0) {
          refer(join_keys(p->keys, k), full);
        }
        if (k + 1 < p->keys.size() && kNameParticles.count(p->keys[k]) != 0) {
          refer(join_keys(p->keys, k), full);
        }
      }
    }
    // A titled single name ("President Reagan") with no full name stands alone.
    for (const PersonSpan& p : scan_.people) {
      if (p.keys.size() == 1 && by_word_.count(p.keys[0]) == 0 && ambiguous_.count(p.keys[0]) == 0) {
        people_.try_emplace(p.keys[0], Person{slug(p.name), p.name, {}});
        refer(p.keys[0], p.keys[0]);
      }
    }
    // A one-word person the tagger found, with no full name in the article
    // ("Clinton said"), stands alone too.
    // A word inside a full name ("Lula" of "Luiz Inácio Lula da Silva")
    // belongs to it if no other full name has it; a word of an
    // organisation's name ("Rubin" of "Vera C. Rubin Observatory") is none.
    for (const ShortMention& m : scan_.tagged_singles) {
      if (by_word_.count(m.key) != 0 || ambiguous_.count(m.key) != 0) continue;
      if (scan_.organisation_words.count(m.key) != 0) {
        ambiguous_.insert(m.key);
        continue;
      }
      std::string owner;
      bool several = false;
      for (const auto& [full, person] : people_) {
        const std::string padded = " " + full + " ";
        if (padded.find(" " + m.key + " ") == std::string::npos) continue;
        several = several || !owner.empty();
        owner = full;
      }
      if (!owner.empty() && !several) {
        refer(m.key, owner);
      } else if (owner.empty()) {
        people_.try_emplace(m.key, Person{slug(m.surface), m.surface, {}});
        refer(m.key, m.key);
      }
    }
  }

  // Each section's people: its full names, and the short mentions of them.
  void attach_people(Article& article) {
    for (const PersonSpan& p : scan_.people) {
      if (const Person* person = person_for(join_keys(p.keys, 0))) {
        add_unique(article.sections[p.section].people, *person, p.name);
        if (!p.with_title.empty()) add_unique(article.sections[p.section].people, *person, p.with_title);
      }
    }
    for (const ShortMention& m : scan_.shorts) {
      if (const Person* person = person_for(m.key)) {
        add_unique(article.sections[m.section].people, *person, m.surface);
        person_words_.insert(m.key + "#" + std::to_string(m.section));
      }
    }
  }

  // Each section's organisations, by the slug of their name; the display
  // name is the first mention written outside a heading, if any.
  void attach_orgs(Article& article) const {
    // A one-word organisation that is a word of a person the article names
    // is that person ("As Blinken embarks ..." after "Antony Blinken"), as
    // a one-word place is ("Jordan" the surname).
    auto person_word = [this](const OrgMention& m) {
      return m.surface.find(' ') == std::string::npos && by_word_.count(fold(m.surface)) != 0;
    };
    std::map<std::string, const OrgMention*> names;
    for (const OrgMention& m : scan_.orgs) {
      const std::string id = slug(m.surface);
      if (id.empty() || person_word(m)) continue;
      auto [it, fresh] = names.try_emplace(id, &m);
      if (!fresh && it->second->heading && !m.heading) it->second = &m;
    }
    for (const OrgMention& m : scan_.orgs) {
      const std::string id = slug(m.surface);
      if (id.empty() || person_word(m)) continue;
      add_unique(article.sections[m.section].orgs, Org{id, names.at(id)->surface, {}}, m.surface);
    }
  }

  void attach_places(Article& article) const {
    // Places. Countries named anywhere in the article help choose between
    // cities of the same name and admit smaller cities.
    std::unordered_set<std::string> countries;
    for (const PlaceMention& m : scan_.places) {
      const Place& p = lx_.places()[m.phrase->places.front()].place;
      if (p.kind == PlaceKind::country) countries.insert(p.id);
    }
    for (const PlaceMention& m : scan_.places) {
      if (m.single && person_words_.count(m.key + "#" + std::to_string(m.section)) != 0) continue;
      if (m.single && by_word_.count(m.key) != 0) continue;  // "Jordan" the surname
      const auto& candidates = m.phrase->places;
      std::uint32_t chosen = candidates.front();
      const Place& top = lx_.places()[chosen].place;
      const bool city_here = top.kind == PlaceKind::city && top.country == m.city_country;
      if (m.state_context || (!m.city_country.empty() && !city_here)) {
        for (std::uint32_t c : candidates) {
          const Place& p = lx_.places()[c].place;
          if (p.kind == PlaceKind::subdivision && (m.city_country.empty() || p.country == m.city_country)) {
            chosen = c;
            break;
          }
        }
      } else if (top.kind == PlaceKind::city && lx_.places()[chosen].population < kCityWithoutContext) {
        // A small city: one of that name in a country the article names.
        for (std::uint32_t c : candidates) {
          const Place& p = lx_.places()[c].place;
          if (p.kind == PlaceKind::city && countries.count(p.country) != 0) {
            chosen = c;
            break;
          }
        }
      }
      const Lexicon::PlaceEntry& entry = lx_.places()[chosen];
      // "a nice day", "Reading the report"; but China, Japan, Turkey and
      // Brussels are places whenever capitalised.
      const bool small = entry.place.kind == PlaceKind::subdivision ||
                         (entry.place.kind == PlaceKind::city && entry.population < kBigCityPopulation);
      if (m.ordinary && small && !m.context) continue;
      if (m.single && entry.place.kind == PlaceKind::city && entry.population < kCityWithoutContext &&
          !m.context) {
        continue;
      }
      add_unique(article.sections[m.section].places, entry.place, m.surface);
    }
    for (const ExtraPlace& e : scan_.extra_places) {
      if (person_words_.count(fold(e.place.name) + "#" + std::to_string(e.section)) != 0) continue;
      if (by_word_.count(fold(e.place.name)) != 0) continue;
      add_unique(article.sections[e.section].places, e.place, e.place.name);
    }
  }

 private:
  void refer(const std::string& word, const std::string& full) {
    if (ambiguous_.count(word) != 0) return;
    auto [it, fresh] = by_word_.try_emplace(word, full);
    if (!fresh && it->second != full) {
      by_word_.erase(it);
      ambiguous_.insert(word);
    }
  }

  const Person* person_for(const std::string& key) const {
    const auto w = by_word_.find(key);
    return w == by_word_.end() ? nullptr : &people_.at(w->second);
  }

  const Lexicon& lx_;
  const ArticleScan& scan_;
  std::map<std::string, Person> people_;        // by fold(full name)
  std::map<std::string, std::string> by_word_;  // word key -> full-name key
  std::unordered_set<std::string> ambiguous_;
  std::unordered_set<std::string> person_words_;  // "key#section" of short mentions
};

// Every line of the article (headings too) as a Unit, in order; clears the
// sections' entities.
std::vector<Unit> read_units(const Lexicon& lx, Article& article) {
  std::vector<Unit> units;
  for (std::size_t s = 0; s < article.sections.size(); ++s) {
    Section& section = article.sections[s];
    section.people.clear();
    section.places.clear();
    section.orgs.clear();
    if (!section.heading.empty()) units.push_back(ArticleScan::read_unit(lx, section.heading, s, true));
    std::string_view text = section.text;
    while (!text.empty()) {
      const std::size_t nl = text.find('\n');
      units.push_back(ArticleScan::read_unit(lx, text.substr(0, nl), s, false));
      if (nl == std::string_view::npos) break;
      text.remove_prefix(nl + 1);
    }
  }
  return units;
}

}  // namespace

EntityExtractor::EntityExtractor(std::shared_ptr<const Lexicon> lexicon) : lexicon_(std::move(lexicon)) {}

void EntityExtractor::annotate(Article& article) const {
  const Lexicon& lx = *lexicon_;
  std::vector<Unit> units = read_units(lx, article);
  ArticleScan::tag_units(lx, units);
  ArticleScan scan(lx);
  for (const Unit& u : units) scan.scan_unit(u);
  ArticleEntities entities(lx, scan);
  entities.index_people();
  entities.attach_people(article);
  entities.attach_places(article);
  entities.attach_orgs(article);
}

}  // namespace folio
