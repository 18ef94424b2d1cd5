// The search side: parse a query, run it, and return ranked section hits
// with snippets; look up one section; summarise the index.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "folio/database.hpp"
#include "folio/schema.hpp"

namespace folio {

class Curation;  // folio/curation.hpp

// A facet counts the values of a field with schema::kFacet.
using FacetField = schema::Field;
enum class DateGranularity { year, month, day };

// One facet to count: `--facet person:20`, `--facet date:year`.
struct FacetSpec {
  FacetField field = FacetField::person;
  std::size_t limit = 10;                                // values shown (dates: all of them)
  DateGranularity granularity = DateGranularity::month;  // date only
};

// Parses "person", "place:20", "date:year" ... Throws folio::Error listing
// the valid fields.
FacetSpec parse_facet_spec(std::string_view text);
// The field's name: "person".
std::string_view to_string(schema::Field field);

enum class SortOrder { relevance, date, date_descending };

// How the words of a query combine.
enum class MatchMode {
  // The sections with every word first, exactly as `all`; when they are
  // fewer than the page and the query has kRelaxMinWords words or more,
  // the page is filled with the sections that have most of the words. A
  // query with explicit operators (AND, OR, NOT, +, -) is taken as written.
  relaxed,
  all,  // every word (implicit AND), ranked by BM25; nothing else
  // Any word: ranked retrieval from the start (stopwords dropped outside
  // phrases, BM25 tuned for it, pseudo-relevance feedback). Operators in an
  // all-caps query ("WHAT AND WHY") are words here.
  any,
};

// A query with more words than this is refused (folio::Error).
inline constexpr std::size_t kMaxQueryWords = 1000;
// A query longer than this many bytes is refused too, before it is parsed:
// with the word cap and kMaxWildcardTerms, what bounds the memory a search
// takes (a query parsed is many times its size).
inline constexpr std::size_t kMaxQueryBytes = 64 * 1024;
// A wildcard ("gov*") matches at most this many terms: the most frequent.
inline constexpr unsigned kMaxWildcardTerms = 5000;
// The fewest words a query needs before it is relaxed.
inline constexpr std::size_t kRelaxMinWords = 3;
// Seconds after which a match stops counting every document: the totals
// become estimates and SearchResults::time_limited says so. The default of
// SearchRequest::time_limit.
inline constexpr double kSearchTimeLimit = 0.5;

struct SearchRequest {
  std::string query;  // Xapian query syntax (see README); may be
                      // empty when there are filters: all sections match
  // Filters on the fields with schema::kFilter (person, place, author):
  // the names to match, as typed. Entity names resolve against the index's
  // registry: an id typed exactly, else a name or alias in any case and
  // accents, else a unique prefix. Several names of one field are OR,
  // different fields are AND. A filter on a field without kFilter throws
  // folio::Error.
  std::map<schema::Field, std::vector<std::string>> filters;
  // A country matches the sections that mention its places too (the
  // field's roll_up), unless this is set.
  bool place_exact = false;
  std::string since;  // date forms of parse_filter_date; "" = open
  std::string until;
  bool undated = false;  // only undated articles
  Date today;            // for relative dates ("3 months ago")

  std::vector<FacetSpec> facets;
  bool facet_by_article = false;  // count articles instead of sections
  // Facets of a filtered field ignore that field's own filter, so a reader
  // sees the other values it could pick instead.
  bool disjunctive = false;

  bool by_article = false;  // one hit per article: its best section
  SortOrder sort = SortOrder::relevance;
  MatchMode mode = MatchMode::relaxed;
  unsigned offset = 0;  // hits to skip
  unsigned limit = 10;  // hits to return
  // The user's entity corrections names resolve through (aliases, merges,
  // suppressions); not owned; nullptr for none. folio/curation.hpp's
  // search() sets it and applies the rest.
  const Curation* curation = nullptr;

  // Count the matching sections per period (SearchResults::histogram).
  bool histogram = false;
  // Its periods; nullopt: chosen from the span of the dates (histogram_granularity()).
  std::optional<DateGranularity> histogram_granularity;
  // Copies of an article (the same title and text in other files) are one
  // hit, with the others' paths in Hit::copies: hits collapse on
  // schema::kCopySlot (kArticleCopySlot with by_article).
  bool dedupe = true;
  // Seconds after which each match of the search stops counting every
  // section (Xapian's Enquire::set_time_limit): the hits are still the
  // best, the totals become estimates (SearchResults::time_limited). 0: no
  // limit.
  double time_limit = kSearchTimeLimit;
  // `folio similar`: this query replaces the parsed query string (which is
  // then ignored); filters, sorting and paging apply as usual. Empty: unused.
  Xapian::Query like = {};
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
  double score = 0;   // BM25 weight (of its own pass: strict and relaxed
                      // hits are ranked apart, so their scores do not compare)
  // The hit has every word of the query: false for the relaxed hits after
  // the strict ones (MatchMode::relaxed) and for --any hits that lack one.
  bool all_words = true;
  Xapian::doccount other_sections = 0;  // --by-article: other matching sections
  // The paths of the copies of this hit's article (SearchRequest::dedupe)
  // merged into it, sorted.
  std::vector<std::string> copies;
  schema::SectionData section;
  Snippet snippet;
};

// A filter as the user gave it and what it resolved to.
struct ResolvedFilter {
  std::string field;  // "person", "place", "author", "since", "until", "undated", ...
  std::string input;  // as typed
  std::string id;     // entity id, author term, or "yyyymmdd" day
  std::string name;   // display name
  // When a name matched several entities and the most mentioned one was
  // taken: "Donald Trump (73 sections; also Donald J. Trump, 4)", for the
  // front end to tell the user; else "".
  std::string choice = {};
};

struct FacetValue {
  std::string value;  // entity id, author, or "2023", "2023-06", "2023-06-18"
  std::string name;   // display name
  Xapian::doccount count = 0;
};

struct Facet {
  FacetSpec spec;
  bool by_article = false;
  bool disjunctive = false;        // counted without this field's own filter
  std::vector<FacetValue> values;  // highest first; dates in date order
  std::size_t distinct = 0;        // values before the limit
};

// The matching sections per period, for --histogram.
struct HistogramBar {
  std::string period;  // "2023", "2023-06" or "2023-06-18"
  Xapian::doccount count = 0;
};
struct DateHistogram {
  DateGranularity granularity = DateGranularity::month;
  // In date order, from the first period with a match to the last; the
  // periods between without any are there with 0 when they are at most
  // kMaxHistogramBars in all.
  std::vector<HistogramBar> bars;
  Xapian::doccount undated = 0;  // matching sections without a date
};
inline constexpr std::size_t kMaxHistogramBars = 400;

// The granularity that gives a readable chart for dates from `first` to
// `last` ("yyyymmdd" keys): days when they are in one month or two
// consecutive ones, months within three years, else years.
DateGranularity histogram_granularity(std::string_view first, std::string_view last);

// The histogram of `day_counts` (kDateSlot keys "yyyymmdd" and how many
// sections have each) by `granularity`, or by histogram_granularity() of
// their span. A date known only to the month or year counts at its first
// day (the key kDateSlot stores).
DateHistogram make_date_histogram(const std::map<std::string, Xapian::doccount>& day_counts,
                                  Xapian::doccount undated, std::optional<DateGranularity> granularity);

struct SearchResults {
  std::string query;  // as given
  // Number of sections (articles with by_article) that match every word,
  // copies merged into one when SearchRequest::dedupe (so it counts hits):
  // exact unless time_limited. With MatchMode::any, every section that
  // matches any word.
  Xapian::doccount total = 0;
  // MatchMode::relaxed: the sections with most but not all of the words,
  // when the query was relaxed (relaxed is then true).
  Xapian::doccount relaxed_total = 0;
  bool relaxed = false;
  MatchMode mode = MatchMode::relaxed;
  // The time limit (kSearchTimeLimit) cut a match short: totals are estimates.
  bool time_limited = false;
  bool by_article = false;
  std::vector<Hit> hits;
  std::vector<ResolvedFilter> filters;
  std::vector<Facet> facets;
  std::string suggestion;  // a corrected query when a word is not in the index
  // A cluster index opened with OpenOptions::partial: the nodes left out
  // (set by the caller, from Index::missing_nodes()).
  std::vector<std::string> missing_nodes = {};
  // SearchRequest::histogram: every section the query matches (with every
  // word), whatever the page or --by-article, each copy of an article
  // counted (as facets count them).
  std::optional<DateHistogram> histogram;
};

// Runs a search. Throws Xapian::QueryParserError for a query that does not
// parse; folio::Error for a query of more than kMaxQueryWords words or
// kMaxQueryBytes bytes, an
// empty query without filters, a name that is
// unknown or ambiguous (the message lists candidates), a bad date, or a
// facet field given twice.
SearchResults search(const Index& index, const SearchRequest& request);

// The terms of a section that `similar` searches for.
inline constexpr Xapian::termcount kSimilarTerms = 40;

// `folio similar`: the sections most like the section `id` (an article id:
// its lead). Relevance feedback: the kSimilarTerms terms of its text that
// best tell it from the rest of the index (Xapian's ESet with the section
// as the relevant set), searched for, weighted, with the section's own
// article and its copies left out. `request` gives the filters, sort,
// paging, dedupe and histogram as for search(); its query and mode are
// not used. Throws folio::Error when the index has no such section, and as
// search() does for bad filters.
SearchResults similar(const Index& index, const std::string& id, SearchRequest request);

// The section with the given id ("<article-id>-<n>"), or every section of an
// article given its article id, in order. Throws folio::Error when there is
// no such section or article.
std::vector<schema::SectionData> find_sections(const Xapian::Database& db, const std::string& id);

struct IndexStats {
  Xapian::doccount sections = 0;
  std::size_t articles = 0;
  std::size_t skipped_files = 0;  // files that could not be indexed (folio.bad:)
  std::string earliest;           // ISO date, "" when nothing is dated
  std::string latest;
  Xapian::doccount undated_sections = 0;
  std::size_t shards = 0;
  std::uintmax_t size_bytes = 0;  // of the index folder
  int schema_version = 0;
  std::string path;
  std::vector<schema::RootRecord> roots;  // the folders `folio index` updates, by path
};

IndexStats index_stats(const Index& index);

// An entity of the index with how often it is mentioned.
struct EntityCount {
  schema::EntityRecord record;
  Xapian::doccount sections = 0;
  std::size_t articles = 0;
};

struct EntityQuery {
  // The fields (with schema::kRegistry) to list; empty: all of them.
  std::vector<schema::Field> types;
  // Keep entities whose id, name or an alias contains this (compared
  // folded: case and accents do not matter). Empty: all.
  std::string fragment;
  // Entity corrections to list the entities with (merged ones as one,
  // suppressed ones left out, renamed); not owned; nullptr for none.
  const Curation* curation = nullptr;
};

// The entities in the index (people, places ...) that are mentioned at
// least once, most mentioned first.
std::vector<EntityCount> list_entities(const Index& index, const EntityQuery& query);

}  // namespace folio
