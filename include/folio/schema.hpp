// The one place that spells folio's Xapian schema: the index's layout on
// disk, every term prefix, value slot, document-data field and metadata key.
// Change it only with kVersion.
//
// Layout of an index folder:
//
//   <index>/XAPIANDB      Xapian stub file: "auto shard0", "auto shard1", ...
//                         (quest, delve and Xapian::Database(<index>) read
//                         every shard through it)
//   <index>/shard<k>/     one Xapian glass database per shard
//   <index>/folio.pid     the pid of the process updating the index (only
//                         informative: Xapian's locks decide)
//
// Shards: each article lives, whole, in the shard shard_of(article-id)
// picks, together with its file record and the registry entries of the
// people and places it mentions, so one commit of one shard is atomic for
// every article in it. The shards are written in parallel, one thread each;
// their number is chosen when the index is created and never changes.
//
// Document model (one Xapian document per article section):
//
//   Terms, free text (TermGenerator, English stemmer, STEM_ALL_Z): only
//   stems, with positions, behind kStemPrefix "Z" and the field's prefix;
//   the query parser stems every word the same way (STEM_ALL with the
//   "Z" prefixes), and wildcards expand over these stems. The words as
//   written are not indexed: they cost a third of the indexing time.
//     Z<stem>    title, heading and body text; title and heading weigh more
//     ZS<stem>   title words                    query: title:
//     ZXH<stem>  heading words                  query: heading:
//   Terms, boolean (filters; wdf 0):
//     Q<article-id>-<n>   unique id of section n of an article
//     XA<article-id>      every section of one article (delete, group)
//     A<author>           author, lower-cased, single spaces  query: author:
//     Y<yyyy> M<yyyymm> D<yyyymmdd>   publication date, as far as known
//     XUNDATED            the article has no date
//     XP<person-id>       a person the section mentions      query: person:
//     XL<place-id>        a place the section mentions       query: place:
//     XC<country-id>      the country of each place mentioned (a country's
//                         own id for a country), so a country filter can
//                         include its cities
//   Values:
//     slot 0 kDateSlot      "yyyymmdd" (start of the period), absent if undated
//     slot 1 kArticleSlot   article id (16 hex digits): groups sections
//     slot 2 kSectionSlot   section index, Xapian::sortable_serialise
//     slot 3 kFacetsSlot    what facets count, in one value so that a
//                           facet pass reads one value per match: five
//                           fields separated by '\x1e' (FacetValueField
//                           order): person ids, place ids, country ids of
//                           the places, author names as written (each id or
//                           name followed by '\n'), and the date at its
//                           precision ("2023-06-18", "2023-06", "2023", or "")
//   Document data: a JSON object, see SectionData below.
//   Metadata (per shard; Xapian shows only the first shard's through a
//   multi-shard Database, so readers open each shard: folio::Index):
//     folio.schema_version          kVersion, as decimal text, in every shard
//     folio.file:<article-id>       JSON FileRecord of one indexed file, in
//                                   the article's shard
//     folio.bad:<article-id>        JSON BadFileRecord of a file that could
//                                   not be indexed (empty, binary, too large,
//                                   unreadable), in the article's shard; a
//                                   file has a folio.file: or a folio.bad:
//                                   key, never both. Added in version 6
//                                   without a bump: older folios ignore it.
//     folio.person:<id>, folio.place:<id>   JSON EntityRecord: display name,
//                                   aliases seen, kind and country (places);
//                                   the query side resolves names with it.
//                                   Each shard has the entities its articles
//                                   mention; readers merge them.
//
// Ids: article-id = 16 hex digits of FNV-1a-64 of the file's absolute path,
// so terms stay far below Xapian's 245-byte limit whatever the path length.
// Person and place ids are slugs, at most kMaxSlugBytes (text.hpp); author
// terms longer than kMaxTermBytes end with a hash (bounded()).
// Do not renumber slots or reuse prefixes: append, and bump kVersion.
#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "folio/model.hpp"

namespace folio::schema {

inline constexpr int kVersion = 6;
inline constexpr std::string_view kVersionKey = "folio.schema_version";

// Xapian (glass) refuses longer terms.
inline constexpr std::size_t kMaxTermBytes = 245;

inline constexpr std::string_view kStubFile = "XAPIANDB";
inline constexpr unsigned kMaxShards = 8;
// "shard<k>": the folder of shard k, relative to the index folder.
std::string shard_name(std::size_t k);
// The shard that holds an article, of `shards`.
std::size_t shard_of(std::string_view article_id, std::size_t shards);
inline constexpr std::string_view kFileKeyPrefix = "folio.file:";
inline constexpr std::string_view kBadFileKeyPrefix = "folio.bad:";
inline constexpr std::string_view kPersonKeyPrefix = "folio.person:";
inline constexpr std::string_view kPlaceKeyPrefix = "folio.place:";

inline constexpr std::string_view kSectionIdPrefix = "Q";
inline constexpr std::string_view kArticlePrefix = "XA";
inline constexpr std::string_view kStemPrefix = "Z";
inline constexpr std::string_view kTitlePrefix = "S";
inline constexpr std::string_view kHeadingPrefix = "XH";
inline constexpr std::string_view kAuthorPrefix = "A";
inline constexpr std::string_view kYearPrefix = "Y";
inline constexpr std::string_view kMonthPrefix = "M";
inline constexpr std::string_view kDayPrefix = "D";
inline constexpr std::string_view kUndatedTerm = "XUNDATED";
inline constexpr std::string_view kPersonPrefix = "XP";
inline constexpr std::string_view kPlacePrefix = "XL";
inline constexpr std::string_view kCountryPrefix = "XC";

inline constexpr Xapian::valueno kDateSlot = 0;
inline constexpr Xapian::valueno kArticleSlot = 1;
inline constexpr Xapian::valueno kSectionSlot = 2;
inline constexpr Xapian::valueno kFacetsSlot = 3;

// The fields of kFacetsSlot, in order.
enum class FacetValueField : std::size_t { people, places, countries, authors, date, count };

inline constexpr char kFieldSeparator = '\x1e';

// A list of ids in one value slot: each id followed by kListSeparator.
inline constexpr char kListSeparator = '\n';
std::string join_ids(const std::vector<std::string>& ids);
std::vector<std::string> split_ids(std::string_view value);

// The kFacetsSlot value of a section, and its fields back (views into
// `value`; a missing field is empty).
std::string facets_value(const std::vector<std::string>& people, const std::vector<std::string>& places,
                         const std::vector<std::string>& countries,
                         const std::vector<std::string>& authors, const std::string& date_iso);
std::array<std::string_view, static_cast<std::size_t>(FacetValueField::count)> split_facets_value(
    std::string_view value);

// Within-document frequency increments: a word in a heading or title counts
// as several body words, so those sections rank first.
inline constexpr Xapian::termcount kBodyWeight = 1;
inline constexpr Xapian::termcount kTitleWeight = 2;
inline constexpr Xapian::termcount kHeadingWeight = 3;

// The stemming language of all free text.
inline constexpr std::string_view kStemLanguage = "en";

// A query-language field and the term prefix it searches.
struct Field {
  std::string_view name;    // as typed in a query, before the ':'
  std::string_view prefix;  // term prefix
  bool boolean;             // a filter (exact terms) rather than free text
};

// The fields the query parser knows. title: and heading: search the
// prefixed text the writer indexes; the boolean ones are filters that
// query/query_builder.cpp resolves (names against the entity registry,
// dates to a range of kDateSlot), so their prefix is only informative.
inline constexpr std::array kFields = {
    Field{"title", kTitlePrefix, false},
    Field{"heading", kHeadingPrefix, false},
    Field{"author", kAuthorPrefix, true},
    Field{"person", kPersonPrefix, true},
    Field{"place", kPlacePrefix, true},
    Field{"date", kDayPrefix, true},
};

// The article id of a file, from its absolute path.
std::string article_id(std::string_view absolute_path);

// "<article-id>-<n>": the id users see and pass to `folio show`.
std::string section_id(std::string_view article_id, int section_index);

std::string section_id_term(std::string_view section_id);
std::string article_term(std::string_view article_id);
// Lower-cases ASCII and collapses white space: "Jane  DOE" -> "Ajane doe".
std::string author_term(std::string_view author);
std::string file_key(std::string_view article_id);
std::string bad_file_key(std::string_view article_id);

// Date terms for a known date: Y always, M with month, D with day precision;
// {kUndatedTerm} for an unknown date.
std::vector<std::string> date_terms(const Date& date);

// What folio remembers about one indexed file (metadata folio.file:<id>).
struct FileRecord {
  std::string path;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::uint64_t content_hash = 0;  // fnv1a64 of the raw bytes
  int sections = 0;
  std::string to_json() const;
  // Throws folio::Error if `json` is not a FileRecord.
  static FileRecord from_json(std::string_view json);
};

// What folio remembers about a file it could not index (metadata
// folio.bad:<id>), so that the next run does not read it again while it
// stays the same: it is retried when its size, mtime or ctime (a chmod)
// change, or, if it was too large, when it fits under the run's limit.
struct BadFileRecord {
  std::string path;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  std::string reason;      // as reported: "empty file", "Permission denied", ...
  bool too_large = false;  // skipped for the size limit
  std::string to_json() const;
  // Throws folio::Error if `json` is not a BadFileRecord.
  static BadFileRecord from_json(std::string_view json);
};

// Everything a search hit or `folio show` prints, stored as document data.
struct SectionData {
  std::string path;
  std::string title;
  std::vector<std::string> authors;
  Date date;
  int index = 0;
  std::string heading;
  int line = 0;
  std::string text;
  std::vector<Person> people;  // without aliases
  std::vector<Place> places;
  std::string to_json() const;
  // Throws folio::Error if `json` is not SectionData.
  static SectionData from_json(std::string_view json);
};

// An entity in the index's registry (metadata folio.person:/folio.place:).
struct EntityRecord {
  enum class Type { person, place };
  Type type = Type::person;
  std::string id;
  std::string name;
  std::vector<std::string> aliases;  // forms seen in articles, most recent last
  PlaceKind kind = PlaceKind::country;  // places only
  std::string country;                  // places only
  static constexpr std::size_t kMaxAliases = 16;
  // Adds the aliases not known yet, up to kMaxAliases; true if any was new.
  bool add_aliases(const std::vector<std::string>& more);
  std::string to_json() const;
  // Throws folio::Error if `json` is not an EntityRecord.
  static EntityRecord from_json(Type type, std::string_view id, std::string_view json);
};

std::string entity_key(EntityRecord::Type type, std::string_view id);
std::string person_term(std::string_view id);
std::string place_term(std::string_view id);
std::string country_term(std::string_view id);

}  // namespace folio::schema
