// The search side: parse a query, run it, and return ranked section hits
// with snippets; look up one section; summarise the index.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "folio/schema.hpp"

namespace folio {

struct SearchRequest {
  std::string query;    // Xapian query syntax; see make_query_parser
  unsigned offset = 0;  // hits to skip
  unsigned limit = 10;  // hits to return
};

// A few sentences of a section around the matches.
struct Snippet {
  std::string text;
  // Byte ranges [first, first + second) of `text` that matched the query.
  std::vector<std::pair<std::size_t, std::size_t>> highlights;
};

struct Hit {
  unsigned rank = 0;  // 1-based, counting from the first match (not offset)
  std::string id;     // section id, for `folio show`
  double score = 0;   // BM25 weight
  schema::SectionData section;
  Snippet snippet;
};

struct SearchResults {
  std::string query;           // as given
  Xapian::doccount total = 0;  // exact number of matching sections
  std::vector<Hit> hits;
};

// The query parser folio uses: AND by default, phrases, boolean operators,
// +/-, wildcards, and the fields of schema::kFields (title:, heading:,
// author:). English stemming; a word also matches its possessive and plural.
Xapian::QueryParser make_query_parser(const Xapian::Database& db);

// Runs a search. Throws Xapian::QueryParserError for a query that does not
// parse, folio::Error for an empty query.
SearchResults search(const Xapian::Database& db, const SearchRequest& request);

// The section with the given id ("<article-id>-<n>"), or every section of an
// article given its article id, in order. Throws folio::Error when there is
// no such section or article.
std::vector<schema::SectionData> find_sections(const Xapian::Database& db,
                                               const std::string& id);

struct IndexStats {
  Xapian::doccount sections = 0;
  std::size_t articles = 0;
  std::string earliest;  // ISO date, "" when nothing is dated
  std::string latest;
  Xapian::doccount undated_sections = 0;
  std::uintmax_t size_bytes = 0;  // of the database folder
  int schema_version = 0;
  std::string path;
};

IndexStats index_stats(const Xapian::Database& db, const std::string& db_dir);

// An entity of the index with how often it is mentioned.
struct EntityCount {
  schema::EntityRecord record;
  Xapian::doccount sections = 0;
  std::size_t articles = 0;
};

struct EntityQuery {
  bool people = true;
  bool places = true;
  // Keep entities whose id, name or an alias contains this (compared
  // folded: case and accents do not matter). Empty: all.
  std::string fragment;
};

// The people and places in the index that are mentioned at least once,
// most mentioned first.
std::vector<EntityCount> list_entities(const Xapian::Database& db, const EntityQuery& query);

}  // namespace folio
