#include "folio/search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "facets.hpp"
#include "folio/date.hpp"
#include "folio/error.hpp"
#include "folio/text.hpp"
#include "query_builder.hpp"
#include "resolve.hpp"

namespace folio {
namespace {

constexpr std::string_view kHighlightStart = "\x02";
constexpr std::string_view kHighlightEnd = "\x03";
constexpr std::size_t kSnippetBytes = 240;

// MSet::snippet() escapes its output for HTML; folio prints plain text.
std::string unescape_html(std::string_view s) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
      {"&#39;", '\''}, {"&#x27;", '\''}};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (s.compare(i, entity.size(), entity) == 0) {
          out += c;
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += s[i++];
  }
  return out;
}

// Turns Xapian's marked-up snippet into plain text plus highlight ranges.
Snippet make_snippet(std::string_view marked) {
  Snippet snippet;
  const std::string plain = unescape_html(marked);
  std::size_t start = 0;
  for (char c : plain) {
    if (c == kHighlightStart[0]) {
      start = snippet.text.size();
    } else if (c == kHighlightEnd[0]) {
      snippet.highlights.emplace_back(start, snippet.text.size() - start);
    } else {
      snippet.text += (c == '\n') ? ' ' : c;
    }
  }
  return snippet;
}

// The term prefixes the wildcards of `query` stand for ("Zbalakr"). Xapian
// 1.4 expands wildcards only while matching: neither get_matching_terms()
// nor snippets see the terms they matched, and Query has no accessor for
// the pattern but its description, "Query(WILDCARD SYNONYM Zbalakr)".
void wildcard_patterns(const Xapian::Query& query, std::vector<std::string>& out) {
  if (query.get_type() == Xapian::Query::OP_WILDCARD) {
    const std::string d = query.get_description();
    const std::size_t space = d.rfind(' ');
    if (space != std::string::npos && d.ends_with(')')) out.push_back(d.substr(space + 1, d.size() - space - 2));
    return;
  }
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    wildcard_patterns(query.get_subquery(i), out);
  }
}

// A word of the indexed text whose stem is `stem`, as written (lower-cased),
// found in the first section that has the stem; the stem itself if none.
std::string word_of_stem(const Xapian::Database& db, const Xapian::Stem& stemmer,
                         const std::string& stem) {
  const std::string term = std::string(schema::kStemPrefix) + stem;
  const Xapian::PostingIterator p = db.postlist_begin(term);
  if (p == db.postlist_end(term)) return stem;
  const schema::SectionData data = schema::SectionData::from_json(db.get_document(*p).get_data());
  for (const std::string* text : {&data.title, &data.heading, &data.text}) {
    std::string word;
    for (Xapian::Utf8Iterator it(*text);; ++it) {
      const bool end = it == Xapian::Utf8Iterator();
      if (!end && Xapian::Unicode::is_wordchar(*it)) {
        Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(*it));
        continue;
      }
      if (!word.empty() && stemmer(word) == stem) return word;
      word.clear();
      if (end) break;
    }
  }
  return stem;
}

// The most frequent word one edit (a letter deleted, added, changed, or two
// swapped) away from `word` whose stem is indexed; "" when none. It sees
// through inflections: "negotiatons" stems to "negotiaton", far from
// "negoti", but adding an "i" gives "negotiations".
std::string one_edit_away(const Xapian::Database& db, const Xapian::Stem& stemmer,
                          const std::string& word) {
  std::string best;
  Xapian::doccount best_freq = 0;
  auto consider = [&](const std::string& candidate) {
    const Xapian::doccount freq =
        db.get_termfreq(std::string(schema::kStemPrefix) + stemmer(candidate));
    if (freq > best_freq) {
      best = candidate;
      best_freq = freq;
    }
  };
  for (std::size_t i = 0; i <= word.size(); ++i) {
    if (i < word.size()) consider(word.substr(0, i) + word.substr(i + 1));
    if (i + 1 < word.size()) {
      std::string swapped = word;
      std::swap(swapped[i], swapped[i + 1]);
      if (swapped != word) consider(swapped);
    }
    for (char c = 'a'; c <= 'z'; ++c) {
      consider(word.substr(0, i) + c + word.substr(i));
      if (i < word.size() && word[i] != c) consider(word.substr(0, i) + c + word.substr(i + 1));
    }
  }
  return best;
}

// The indexed word closest to `word`, compared as stems (edit distance 1,
// or 2 for words of six letters or more), preferring frequent ones; ""
// when none.
std::string closest_word(const Xapian::Database& db, const Xapian::Stem& stemmer,
                         const std::string& word) {
  if (word.size() < 3) return {};
  const std::string stem = stemmer(word);
  const std::size_t max_distance = word.size() >= 6 ? 2 : 1;
  const std::string z(schema::kStemPrefix);
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
    const std::size_t d = query::edit_distance(stem, candidate);
    if (d == 0 || d > max_distance) continue;
    if (d < best_distance || (d == best_distance && t.get_termfreq() > best_freq)) {
      best = candidate;
      best_distance = d;
      best_freq = t.get_termfreq();
    }
  }
  return best.empty() ? best : word_of_stem(db, stemmer, best);
}

// The query with each plain word that is not in the index replaced by the
// closest word that is, or "" when every word is there or has no
// replacement. Field values (person:..., title:...) and operators are kept.
std::string spelling_suggestion(const Xapian::Database& db, const std::string& query) {
  const Xapian::Stem stemmer{std::string(schema::kStemLanguage)};
  std::string out;
  bool changed = false;
  std::size_t i = 0;
  while (i < query.size()) {
    const char c = query[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      out += c;
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < query.size() && ((query[j] >= 'a' && query[j] <= 'z') || (query[j] >= 'A' && query[j] <= 'Z'))) ++j;
    const std::string word = query.substr(i, j - i);
    const bool operator_word = word == "AND" || word == "OR" || word == "NOT" || word == "XOR" ||
                               word == "NEAR" || word == "ADJ";
    const bool field = j < query.size() && query[j] == ':';
    const bool special = j < query.size() && (query[j] == '*' || query[j] == '\'' ||
                                              static_cast<unsigned char>(query[j]) >= 0x80);
    const bool after_field = i > 0 && query[i - 1] == ':';
    const std::string lower = to_lower_ascii(word);
    if (!operator_word && !field && !special && !after_field &&
        !db.term_exists(std::string(schema::kStemPrefix) + stemmer(lower))) {
      std::string fix = one_edit_away(db, stemmer, lower);
      if (fix.empty()) fix = closest_word(db, stemmer, lower);
      if (!fix.empty()) {
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

SearchResults search(const Index& index, const SearchRequest& request) {
  const Xapian::Database& db = index.db();
  query::NameResolver resolver(index);
  const query::BuiltQuery built = query::build_query(db, request, resolver);
  const Xapian::Query query = built.combined();
  const Xapian::doccount all = db.get_doccount();

  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  if (request.by_article) enquire.set_collapse_key(schema::kArticleSlot);
  if (request.sort != SortOrder::relevance) {
    enquire.set_sort_by_value_then_relevance(schema::kDateSlot,
                                             request.sort == SortOrder::date_descending);
  }

  // Facets are counted by a match spy over every match. A facet of a field
  // that is filtered on, when disjunctive, needs its own pass without that
  // filter; all facets need one when hits are collapsed by article.
  auto own_filter = [&](const FacetSpec& spec) {
    return request.disjunctive && built.filters.count(query::filter_of(spec.field)) != 0;
  };
  std::vector<FacetSpec> inline_specs;
  for (const FacetSpec& spec : request.facets) {
    if (!own_filter(spec) && !request.by_article) inline_specs.push_back(spec);
  }
  query::FacetSpy inline_spy(inline_specs, request.facet_by_article);
  if (!inline_specs.empty()) enquire.add_matchspy(&inline_spy);

  // Checking every document makes the total exact rather than estimated.
  const Xapian::MSet mset = enquire.get_mset(request.offset, request.limit, all);

  SearchResults results;
  results.query = request.query;
  results.total = mset.get_matches_estimated();
  results.by_article = request.by_article;
  results.filters = built.resolved;
  std::size_t next_inline = 0;
  for (const FacetSpec& spec : request.facets) {
    if (!own_filter(spec) && !request.by_article) {
      results.facets.push_back(inline_spy.result(next_inline++, resolver, false));
      continue;
    }
    query::FacetSpy spy({spec}, request.facet_by_article);
    Xapian::Enquire pass(db);
    pass.set_query(own_filter(spec) ? built.combined(query::filter_of(spec.field)) : query);
    pass.add_matchspy(&spy);
    pass.get_mset(0, 0, all);
    results.facets.push_back(spy.result(0, resolver, own_filter(spec)));
  }

  // Snippets highlight the terms the hits matched: the words of a phrase
  // one by one (Xapian's snippets do not highlight phrases of stems), and
  // the stems a wildcard expanded to.
  std::set<std::string> matched;
  std::vector<std::string> patterns;
  wildcard_patterns(built.text, patterns);
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    matched.insert(enquire.get_matching_terms_begin(it), enquire.get_matching_terms_end(it));
    for (const std::string& pattern : patterns) {
      auto t = db.termlist_begin(*it);
      for (t.skip_to(pattern); t != db.termlist_end(*it) && (*t).starts_with(pattern); ++t) {
        matched.insert(*t);
      }
    }
  }
  Xapian::Enquire highlighter(db);
  highlighter.set_query(Xapian::Query(Xapian::Query::OP_OR, matched.begin(), matched.end()));
  const Xapian::MSet highlight_set = highlighter.get_mset(0, 0);
  const Xapian::Stem stemmer{std::string(schema::kStemLanguage)};
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const Xapian::Document doc = it.get_document();
    Hit hit;
    hit.rank = it.get_rank() + 1;
    hit.score = it.get_weight();
    hit.section = schema::SectionData::from_json(doc.get_data());
    hit.id = schema::section_id(doc.get_value(schema::kArticleSlot), hit.section.index);
    hit.other_sections = request.by_article ? it.get_collapse_count() : 0;
    hit.snippet = make_snippet(highlight_set.snippet(
        hit.section.text, kSnippetBytes, stemmer,
        Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE,
        std::string(kHighlightStart), std::string(kHighlightEnd), "…"));
    results.hits.push_back(std::move(hit));
  }
  results.suggestion = spelling_suggestion(db, request.query);
  return results;
}

std::vector<schema::SectionData> find_sections(const Xapian::Database& db,
                                               const std::string& id) {
  const bool is_section = id.find('-') != std::string::npos;
  const std::string term = is_section ? schema::section_id_term(id)
                                      : schema::article_term(id);
  std::vector<schema::SectionData> sections;
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
    sections.push_back(schema::SectionData::from_json(db.get_document(*p).get_data()));
  }
  if (sections.empty()) {
    throw Error(fmt::format("no {} with id '{}' in the index",
                            is_section ? "section" : "article", id));
  }
  std::sort(sections.begin(), sections.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  return sections;
}

IndexStats index_stats(const Index& index) {
  const Xapian::Database& db = index.db();
  IndexStats stats;
  stats.path = index.dir().string();
  stats.shards = index.shard_count();
  stats.sections = db.get_doccount();
  stats.articles = index.count_metadata(schema::kFileKeyPrefix);
  stats.skipped_files = index.count_metadata(schema::kBadFileKeyPrefix);
  // Xapian's value bounds may be loose after deletions: scan for exact ones.
  std::string earliest, latest;
  for (auto v = db.valuestream_begin(schema::kDateSlot);
       v != db.valuestream_end(schema::kDateSlot); ++v) {
    if (earliest.empty() || *v < earliest) earliest = *v;
    if (*v > latest) latest = *v;
  }
  stats.earliest = iso_of_day_key(earliest);
  stats.latest = iso_of_day_key(latest);
  stats.undated_sections = db.get_termfreq(std::string(schema::kUndatedTerm));
  stats.schema_version = std::stoi(db.get_metadata(std::string(schema::kVersionKey)));
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(index.dir(), ec)) {
    if (entry.is_regular_file(ec)) stats.size_bytes += entry.file_size(ec);
  }
  return stats;
}

std::vector<EntityCount> list_entities(const Index& index, const EntityQuery& query) {
  const Xapian::Database& db = index.db();
  using Type = schema::EntityRecord::Type;
  const std::string fragment = fold(query.fragment);
  auto matches = [&](const schema::EntityRecord& r) {
    if (fragment.empty()) return true;
    if (fold(r.id).find(fragment) != std::string::npos ||
        fold(r.name).find(fragment) != std::string::npos) {
      return true;
    }
    return std::any_of(r.aliases.begin(), r.aliases.end(), [&](const std::string& a) {
      return fold(a).find(fragment) != std::string::npos;
    });
  };
  std::vector<EntityCount> out;
  for (const Type type : {Type::person, Type::place}) {
    if ((type == Type::person && !query.people) || (type == Type::place && !query.places)) {
      continue;
    }
    for (schema::EntityRecord& record : index.entities(type)) {
      if (!matches(record)) continue;
      const std::string id = record.id;
      EntityCount c;
      c.record = std::move(record);
      const std::string term =
          type == Type::person ? schema::person_term(id) : schema::place_term(id);
      std::set<std::string> articles;
      for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
        articles.insert(db.get_document(*p, Xapian::DOC_ASSUME_VALID).get_value(schema::kArticleSlot));
        ++c.sections;
      }
      c.articles = articles.size();
      // Entities whose sections were all removed stay in the registry.
      if (c.sections > 0) out.push_back(std::move(c));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const EntityCount& a, const EntityCount& b) {
    if (a.sections != b.sections) return a.sections > b.sections;
    return a.record.name < b.record.name;
  });
  return out;
}

}  // namespace folio
