#include "folio/search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "folio/error.hpp"
#include "folio/text.hpp"

namespace folio {
namespace {

// author:NAME matches the lower-cased, space-collapsed name the writer stored.
class AuthorFieldProcessor : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& str) override {
    return Xapian::Query(schema::author_term(str));
  }
};

constexpr unsigned kQueryFlags =
    Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT;

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

// A query whose snippets highlight every word of the user's query. Xapian's
// snippet code highlights stemmed phrase words only as separate terms, so
// the terms are added as an OR beside the query itself (which still brings
// the wildcards).
Xapian::Query highlight_query(const Xapian::Query& query) {
  return Xapian::Query(
      Xapian::Query::OP_OR, query,
      Xapian::Query(Xapian::Query::OP_OR, query.get_unique_terms_begin(),
                    query.get_unique_terms_end()));
}

std::string iso_from_sort_key(const std::string& key) {
  if (key.size() != 8) return key;
  return fmt::format("{}-{}-{}", key.substr(0, 4), key.substr(4, 2), key.substr(6, 2));
}

}  // namespace

Xapian::QueryParser make_query_parser(const Xapian::Database& db) {
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem(std::string(schema::kStemLanguage)));
  // Stem every query word (also capitalised ones, so "Blinken" finds
  // "Blinken’s"); the index has positional stems for phrases.
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
  qp.set_default_op(Xapian::Query::OP_AND);
  for (const schema::Field& field : schema::kFields) {
    if (field.boolean) {
      // Only author: is boolean today; its processor knows the term form.
      qp.add_boolean_prefix(std::string(field.name),
                            (new AuthorFieldProcessor)->release());
    } else {
      qp.add_prefix(std::string(field.name), std::string(field.prefix));
    }
  }
  return qp;
}

SearchResults search(const Xapian::Database& db, const SearchRequest& request) {
  if (trim(request.query).empty()) throw Error("empty query");
  Xapian::QueryParser qp = make_query_parser(db);
  const Xapian::Query query = qp.parse_query(request.query, kQueryFlags);

  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  // Checking every document makes the total exact rather than estimated.
  const Xapian::MSet mset =
      enquire.get_mset(request.offset, request.limit, db.get_doccount());

  Xapian::Enquire highlighter(db);
  highlighter.set_query(highlight_query(query));
  const Xapian::MSet highlight_set = highlighter.get_mset(0, 0);
  const Xapian::Stem stemmer{std::string(schema::kStemLanguage)};

  SearchResults results;
  results.query = request.query;
  results.total = mset.get_matches_estimated();
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const Xapian::Document doc = it.get_document();
    Hit hit;
    hit.rank = it.get_rank() + 1;
    hit.score = it.get_weight();
    hit.section = schema::SectionData::from_json(doc.get_data());
    hit.id = schema::section_id(doc.get_value(schema::kArticleSlot), hit.section.index);
    hit.snippet = make_snippet(highlight_set.snippet(
        hit.section.text, kSnippetBytes, stemmer,
        Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE,
        std::string(kHighlightStart), std::string(kHighlightEnd), "…"));
    results.hits.push_back(std::move(hit));
  }
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

IndexStats index_stats(const Xapian::Database& db, const std::string& db_dir) {
  IndexStats stats;
  stats.path = db_dir;
  stats.sections = db.get_doccount();
  const std::string prefix(schema::kFileKeyPrefix);
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix);
       ++it) {
    ++stats.articles;
  }
  // Xapian's value bounds may be loose after deletions: scan for exact ones.
  std::string earliest, latest;
  for (auto v = db.valuestream_begin(schema::kDateSlot);
       v != db.valuestream_end(schema::kDateSlot); ++v) {
    if (earliest.empty() || *v < earliest) earliest = *v;
    if (*v > latest) latest = *v;
  }
  stats.earliest = iso_from_sort_key(earliest);
  stats.latest = iso_from_sort_key(latest);
  stats.undated_sections = db.get_termfreq(std::string(schema::kUndatedTerm));
  stats.schema_version = std::stoi(db.get_metadata(std::string(schema::kVersionKey)));
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(db_dir, ec)) {
    if (entry.is_regular_file(ec)) stats.size_bytes += entry.file_size(ec);
  }
  return stats;
}

std::vector<EntityCount> list_entities(const Xapian::Database& db, const EntityQuery& query) {
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
    const std::string prefix = schema::entity_key(type, "");
    for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
      const std::string id = (*it).substr(prefix.size());
      EntityCount c;
      c.record = schema::EntityRecord::from_json(type, id, db.get_metadata(*it));
      if (!matches(c.record)) continue;
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
