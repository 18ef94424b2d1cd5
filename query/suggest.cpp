#include "suggest.hpp"

#include <optional>
#include <utility>

#include "folio/schema.hpp"
#include "folio/text.hpp"
#include "resolve.hpp"

namespace folio::query {
namespace {

// A word of the indexed text whose stem is `stem`, as written (lower-cased),
// found in the first section that has the stem; the stem itself if none.
std::string word_of_stem(const Xapian::Database& db, const Xapian::Stem& stemmer, const std::string& stem,
                         const std::string& prefix, const std::string& preferred = {}) {
  const std::string term = prefix + stem;
  std::string first;  // the first word with the stem, if `preferred` is not there
  // `preferred` is looked for in the first sections with the stem only.
  constexpr int kSectionsRead = 20;
  int read = 0;
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term) && read < kSectionsRead; ++p, ++read) {
    const schema::SectionData data = schema::SectionData::from_json(db.get_document(*p).get_data());
    for (const std::string* text : {&data.title, &data.heading, &data.text}) {
      std::string word;
      for (Xapian::Utf8Iterator it(*text);; ++it) {
        const bool end = it == Xapian::Utf8Iterator();
        if (!end && Xapian::Unicode::is_wordchar(*it)) {
          Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(*it));
          continue;
        }
        if (!word.empty() && (word == preferred || (preferred.empty() && stemmer(word) == stem))) return word;
        if (!word.empty() && first.empty() && stemmer(word) == stem) first = word;
        word.clear();
        if (end) break;
      }
    }
    if (preferred.empty() && !first.empty()) break;
  }
  return first.empty() ? stem : first;
}

// The most frequent word one edit (a letter deleted, added, changed, or two
// swapped) away from `word` whose stem is indexed; "" when none. It sees
// through inflections: "negotiatons" stems to "negotiaton", far from
// "negoti", but adding an "i" gives "negotiations".
std::string one_edit_away(const Xapian::Database& db, const Xapian::Stem& stemmer, const std::string& word,
                          const std::string& prefix, const TermFreqs& termfreqs) {
  std::vector<std::string> candidates;
  for (std::size_t i = 0; i <= word.size(); ++i) {
    if (i < word.size()) candidates.push_back(word.substr(0, i) + word.substr(i + 1));
    if (i + 1 < word.size()) {
      std::string swapped = word;
      std::swap(swapped[i], swapped[i + 1]);
      if (swapped != word) candidates.push_back(swapped);
    }
    for (char c = 'a'; c <= 'z'; ++c) {
      candidates.push_back(word.substr(0, i) + c + word.substr(i));
      if (i < word.size() && word[i] != c) candidates.push_back(word.substr(0, i) + c + word.substr(i + 1));
    }
  }
  // Their stems' frequencies in one batch: a few hundred terms a word.
  std::vector<std::string> terms;
  terms.reserve(candidates.size());
  for (const std::string& candidate : candidates) terms.push_back(prefix + stemmer(candidate));
  std::vector<Xapian::doccount> freqs;
  if (termfreqs) {
    freqs = termfreqs(terms);
  } else {
    for (const std::string& term : terms) freqs.push_back(db.get_termfreq(term));
  }
  std::string best;
  Xapian::doccount best_freq = 0;
  for (std::size_t k = 0; k < candidates.size() && k < freqs.size(); ++k) {
    if (freqs[k] > best_freq) {
      best = candidates[k];
      best_freq = freqs[k];
    }
  }
  return best;
}

// The indexed word closest to `word`, compared as stems (edit distance 1,
// or 2 for words of six letters or more), preferring frequent ones; ""
// when none.
std::string closest_word(const Xapian::Database& db, const Xapian::Stem& stemmer, const std::string& word,
                         const std::string& z) {
  if (word.size() < 3) return {};
  const std::string stem = stemmer(word);
  const std::size_t max_distance = word.size() >= 6 ? 2 : 1;
  std::string best;
  std::size_t best_distance = max_distance + 1;
  Xapian::doccount best_freq = 0;
  // Stems sharing the first letter: a typo there is rarer and the scan shorter.
  const std::string prefix = z + stem.substr(0, 1);
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
    const std::string candidate = (*t).substr(z.size());
    if (candidate.size() + max_distance < stem.size() || candidate.size() > stem.size() + max_distance) {
      continue;
    }
    const std::size_t d = edit_distance(stem, candidate);
    if (d == 0 || d > max_distance) continue;
    if (d < best_distance || (d == best_distance && t.get_termfreq() > best_freq)) {
      best = candidate;
      best_distance = d;
      best_freq = t.get_termfreq();
    }
  }
  return best.empty() ? best : word_of_stem(db, stemmer, best, z);
}

// spelling_suggestion(); with `probes`, only the terms it looks up first,
// into `probes`, taken as found.
std::string suggest(const Xapian::Database* db, const std::string& query,
                    const std::map<std::string, bool>* known, const TermFreqs& termfreqs,
                    std::vector<std::string>* probes) {
  const Xapian::Stem stemmer = schema::text_stemmer();
  auto exists = [&](const std::string& term) {
    if (probes != nullptr) {
      probes->push_back(term);
      return true;
    }
    if (known != nullptr) {
      if (const auto it = known->find(term); it != known->end()) return it->second;
    }
    return db->term_exists(term);
  };
  const std::string z(schema::kStemPrefix);
  std::string out;
  bool changed = false;
  // The term prefix the next word is looked up under: a text field's
  // (title:opek), none after another field (person:, date:).
  std::optional<std::string> next_prefix = z;
  // Each unknown word costs a pass over the index's terms: a long query of
  // unknown words (pasted text) gets no suggestion rather than a wait.
  constexpr int kMaxUnknownWords = 8;
  int unknown = 0;
  const auto is_word = [](unsigned c) { return Xapian::Unicode::is_wordchar(c); };
  std::size_t i = 0;
  while (i < query.size()) {
    Xapian::Utf8Iterator it(query.data() + i, query.size() - i);
    if (!is_word(*it)) {
      ++it;
      const std::size_t next = query.size() - it.left();
      out.append(query, i, next - i);
      i = next;
      continue;
    }
    std::string lower;
    while (it != Xapian::Utf8Iterator() && is_word(*it)) {
      Xapian::Unicode::append_utf8(lower, Xapian::Unicode::tolower(*it));
      ++it;
    }
    const std::size_t j = query.size() - it.left();
    const std::string word = query.substr(i, j - i);
    const bool operator_word =
        word == "AND" || word == "OR" || word == "NOT" || word == "XOR" || word == "NEAR" || word == "ADJ";
    const bool field = j < query.size() && query[j] == ':';
    const bool special = j < query.size() && (query[j] == '*' || query[j] == '\'');
    const std::optional<std::string> prefix = std::exchange(next_prefix, z);
    if (field) {
      next_prefix = std::nullopt;
      if (const std::optional<schema::Field> f = schema::field_named(to_lower_ascii(word));
          f && schema::info(*f).kind == schema::FieldKind::text) {
        next_prefix = z + std::string(schema::info(*f).prefix);
      }
    }
    if (prefix && !operator_word && !field && !special && !exists(*prefix + stemmer(lower))) {
      if (++unknown > kMaxUnknownWords) return std::string();
      std::string fix = one_edit_away(*db, stemmer, strip_accents(lower), *prefix, termfreqs);
      // Only words that are in the index: the first one written with the stem.
      if (!fix.empty()) fix = word_of_stem(*db, stemmer, stemmer(fix), *prefix, fix);
      if (fix.empty()) fix = closest_word(*db, stemmer, lower, *prefix);
      if (!fix.empty() && db->term_exists(*prefix + stemmer(fix))) {
        out += fix;
        changed = true;
        i = j;
        continue;
      }
    }
    out += word;
    i = j;
  }
  return changed ? out : std::string();
}

}  // namespace

std::string spelling_suggestion(const Xapian::Database& db, const std::string& query,
                                const std::map<std::string, bool>* known, const TermFreqs& termfreqs) {
  return suggest(&db, query, known, termfreqs, nullptr);
}

std::vector<std::string> suggestion_terms(const std::string& query) {
  std::vector<std::string> probes;
  suggest(nullptr, query, nullptr, {}, &probes);
  return probes;
}

}  // namespace folio::query
