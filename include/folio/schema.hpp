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
//   Terms, free text (TermGenerator, text_stemmer(): accents folded, then
//   the English stemmer, STEM_ALL_Z, FLAG_CJK_NGRAM: CJK text as unigrams
//   with positions and bigrams without): only
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
//     XO<org-id>          an organisation the section mentions  query: org:
//     XC<country-id>      the country of each place mentioned (a country's
//                         own id for a country), so a country filter can
//                         include its cities
//     XK<content-key>     the article's content key (as kArticleCopySlot):
//                         finds the copies of a hit (version 9)
//     XR<entity-term>     an entity term the entities file took away (a
//                         suppressed or merged entity, "XRXPlib-dems"), so
//                         that `folio index` finds the section again when
//                         the rule goes (added without a bump: older folios
//                         ignore it)
//   Values:
//     slot 0 kDateSlot      "yyyymmdd" (start of the period), absent if undated
//     slot 1 kArticleSlot   article id (16 hex digits): groups sections
//     slot 2 kSectionSlot   section index, Xapian::sortable_serialise
//     slot 3 kFacetsSlot    what facets count, in one value so that a
//                           facet pass reads one value per match: six
//                           fields separated by '\x1e', in the order of
//                           their facet_position in kFields: person ids,
//                           place ids, country ids of the places, author
//                           names as written (each id or
//                           name followed by '\n'), the date at its
//                           precision ("2023-06-18", "2023-06", "2023", or
//                           ""), and organisation ids (version 7)
//     slot 4 kCopySlot      copies of a section: 16 hex digits of FNV-1a-64
//                           of the article's content (title, then each
//                           section's heading and text), '-', the section
//                           index; the same in every copy of an article
//                           (version 9)
//     slot 5 kArticleCopySlot  the article's content key alone: the same in
//                           every section of every copy (version 9)
//   Document data: a JSON object, see SectionData below. The people,
//   places and organisations are as the entities file (folio/curation.hpp)
//   makes them at the last `folio index`; where it changed them, the lists
//   as extracted are kept under "extracted" (the same three keys).
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
//     folio.counts                  "<files> <bad files> <sections>": the
//                                   shard's folio.file: and folio.bad: keys
//                                   and documents at its last commit, for
//                                   `folio stats` not to count the keys.
//                                   Stale (sections differ from the shard's
//                                   document count) or absent: readers count.
//                                   Added in version 8 without a bump.
//     folio.root:<root-id>          JSON RootRecord of a folder (or file) given
//                                   to `folio index`, with its --exclude
//                                   patterns and when it was last indexed
//                                   completely; root-id = article_id() of
//                                   its real path. In the first shard only.
//                                   Added in version 8 without a bump: older
//                                   folios ignore it, and an index without
//                                   any is updated only with a PATH.
//     folio.person:<id>, folio.place:<id>, folio.org:<id>   JSON EntityRecord: display name,
//                                   aliases seen, kind and country (places);
//                                   the query side resolves names with it.
//                                   Each shard has the entities its articles
//                                   mention; readers merge them. As the
//                                   entities file makes them: a merged or
//                                   suppressed entity has none (a merge
//                                   target has the names of those merged
//                                   into it), a renamed one its new name.
//     folio.raw:folio.person:<id>, ...   the record as extracted, of an entity
//                                   the entities file changes ("-": none);
//                                   absent: the record above is as extracted
//     folio.curation                the entities file's rules applied to the
//                                   shard (Curation::user_text()); `folio
//                                   index` brings the records and sections
//                                   of the entities whose rules changed up
//                                   to date. Added without a bump.
//
// Ids: article-id = 16 hex digits of FNV-1a-64 of the file's real path
// (realpath(3): symbolic links and "." resolved, so a file reached through a
// linked folder is one article), so terms stay far below Xapian's 245-byte
// limit whatever the path length. Paths stored and shown (FileRecord,
// SectionData) are the ones the user gave, made absolute, links kept.
// Person and place ids are slugs, at most kMaxSlugBytes (text.hpp); author
// terms longer than kMaxTermBytes end with a hash (bounded()).
// Do not renumber slots or reuse prefixes: append, and bump kVersion.
#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "folio/model.hpp"

namespace folio::schema {

// 7: accent-folded stems, CJK n-grams; 8: organisations (XO); 9: copy keys (slots 4, 5)
inline constexpr int kVersion = 9;
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
inline constexpr std::string_view kCountsKey = "folio.counts";
inline constexpr std::string_view kRootKeyPrefix = "folio.root:";

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
inline constexpr std::string_view kCopyPrefix = "XK";
inline constexpr std::string_view kCuratedAwayPrefix = "XR";
inline constexpr std::string_view kCurationKey = "folio.curation";
inline constexpr std::string_view kRawEntityKeyPrefix = "folio.raw:";
inline constexpr std::string_view kExtractedKey = "extracted";
// The prefixes of the entity fields (XP, XL, XC) are in kFields below.

inline constexpr Xapian::valueno kDateSlot = 0;
inline constexpr Xapian::valueno kArticleSlot = 1;
inline constexpr Xapian::valueno kSectionSlot = 2;
inline constexpr Xapian::valueno kFacetsSlot = 3;
// Search hits collapse on these to merge copies of an article (dedupe).
inline constexpr Xapian::valueno kCopySlot = 4;
inline constexpr Xapian::valueno kArticleCopySlot = 5;

inline constexpr char kFieldSeparator = '\x1e';

// A list of ids in one value slot: each id followed by kListSeparator.
inline constexpr char kListSeparator = '\n';
std::string join_ids(const std::vector<std::string>& ids);
std::vector<std::string> split_ids(std::string_view value);

// Within-document frequency increments: a word in a heading or title counts
// as several body words, so those sections rank first.
inline constexpr Xapian::termcount kBodyWeight = 1;
inline constexpr Xapian::termcount kTitleWeight = 2;
inline constexpr Xapian::termcount kHeadingWeight = 3;

// The stemming language of all free text.
inline constexpr std::string_view kStemLanguage = "en";

// The stemmer of all free text, for the writer, the query parser, snippets
// and suggestions alike: strip_accents() (text.hpp), then kStemLanguage's
// stemmer, so "Zürich", "Zurich" and "zurich" are one term. A Stem is not
// safe to share between threads: one per thread.
Xapian::Stem text_stemmer();
// CJK text (Chinese, Japanese, Korean) is indexed and searched as unigrams
// and bigrams (FLAG_CJK_NGRAM of TermGenerator, QueryParser and snippets),
// so any word of it is found ("北京" in "在北京会见").

// The field table: every field of a section, what it is called in queries,
// filters, facets and JSON, its term prefix, and how it is indexed and
// searched (compare notmuch's lib/prefix.cc). The writer, the query
// parser set-up, filters, facets, name resolution and the printers all
// read it: a new field is a Field and a row of kFields, plus the code that
// extracts its values (see "Adding a field" in docs/schema.md).

// How a field's values are indexed and searched.
enum class FieldKind {
  text,     // free text: stems behind kStemPrefix + prefix; query `name:words`
  boolean,  // names as written (authors): one lower-cased term each; a filter
            // matches the whole name or words of it
  entity,   // ids of extracted entities: one term each; a filter resolves a
            // name against the registry of `named_by`
  date,     // the publication date: Y/M/D terms and kDateSlot; `date:RANGE`
};

// Every field, in the order of kFields: filters are applied and reported,
// and entities listed, in this order.
enum class Field : std::uint8_t { title, heading, person, place, org, country, author, date };

// FieldInfo::flags.
inline constexpr unsigned kQueryField = 1u << 0;  // typed in a query as `name:`
inline constexpr unsigned kFilter = 1u << 1;      // a `folio search --name` filter (SearchRequest::filters)
inline constexpr unsigned kFacet = 1u << 2;       // `--facet name`, counted from kFacetsSlot
inline constexpr unsigned kRegistry = 1u << 3;    // entities with records: metadata registry_key<id>

struct FieldInfo {
  Field field;
  // In queries (`person:`), --facet, `folio search --person`, JSON facet
  // keys, entity types and messages.
  std::string_view name;
  std::string_view prefix;  // term prefix of its values
  FieldKind kind;
  unsigned flags = 0;
  // Lists of its values: document-data and JSON keys, text labels ("people").
  std::string_view plural = {};
  // kFacet: the position of its list in kFacetsSlot (do not renumber).
  std::size_t facet_position = 0;
  // kRegistry: the metadata key prefix of its records, "folio.person:".
  std::string_view registry_key = {};
  // Entity values: the field whose registry names them (country: place).
  std::optional<Field> named_by = {};
  // Country roll-up: the field that holds the country of each value. Its
  // records carry a kind and a country, and a filter on a country also
  // matches the sections that mention its places, by the roll-up terms.
  std::optional<Field> roll_up = {};
  // kFilter: what `folio search --<name>` selects, for --help.
  std::string_view filter_help = {};
};

inline constexpr std::array kFields = {
    FieldInfo{.field = Field::title,
              .name = "title",
              .prefix = kTitlePrefix,
              .kind = FieldKind::text,
              .flags = kQueryField,
              .plural = "title"},
    FieldInfo{.field = Field::heading,
              .name = "heading",
              .prefix = kHeadingPrefix,
              .kind = FieldKind::text,
              .flags = kQueryField,
              .plural = "heading"},
    FieldInfo{.field = Field::person,
              .name = "person",
              .prefix = "XP",
              .kind = FieldKind::entity,
              .flags = kQueryField | kFilter | kFacet | kRegistry,
              .plural = "people",
              .facet_position = 0,
              .registry_key = "folio.person:",
              .named_by = Field::person,
              .filter_help = "Sections that mention this person: id, name or alias in any case "
                             "(Biden, \"qin gang\", joe-biden) or a unique prefix"},
    FieldInfo{.field = Field::place,
              .name = "place",
              .prefix = "XL",
              .kind = FieldKind::entity,
              .flags = kQueryField | kFilter | kFacet | kRegistry,
              .plural = "places",
              .facet_position = 1,
              .registry_key = "folio.place:",
              .named_by = Field::place,
              .roll_up = Field::country,
              .filter_help = "Sections that mention this place (a country includes its cities)"},
    // Organisations (companies, teams, agencies, parties): added in
    // version 7, with the next free facet position.
    FieldInfo{.field = Field::org,
              .name = "org",
              .prefix = "XO",
              .kind = FieldKind::entity,
              .flags = kQueryField | kFilter | kFacet | kRegistry,
              .plural = "organisations",
              .facet_position = 5,
              .registry_key = "folio.org:",
              .named_by = Field::org,
              .filter_help = "Sections that mention this organisation: id, name or alias in any "
                             "case (\"united nations\", aston-villa) or a unique prefix"},
    // The country of each place mentioned (a country's own id for a
    // country): the place filter's roll-up, and a facet of its own.
    FieldInfo{.field = Field::country,
              .name = "country",
              .prefix = "XC",
              .kind = FieldKind::entity,
              .flags = kFacet,
              .plural = "countries",
              .facet_position = 2,
              .named_by = Field::place},
    FieldInfo{.field = Field::author,
              .name = "author",
              .prefix = kAuthorPrefix,
              .kind = FieldKind::boolean,
              .flags = kQueryField | kFilter | kFacet,
              .plural = "authors",
              .facet_position = 3,
              .filter_help = "Articles by this author (whole name or words of it)"},
    // Its prefix is that of day terms; Y and M terms have their own.
    FieldInfo{.field = Field::date,
              .name = "date",
              .prefix = kDayPrefix,
              .kind = FieldKind::date,
              .flags = kQueryField | kFacet,
              .plural = "date",
              .facet_position = 4},
};

// The row of a field.
constexpr const FieldInfo& info(Field field) { return kFields[static_cast<std::size_t>(field)]; }
constexpr bool has(Field field, unsigned flag) { return (info(field).flags & flag) != 0; }

// The field called `name` ("person"), if any.
std::optional<Field> field_named(std::string_view name);

// The number of lists in kFacetsSlot: one per kFacet field.
inline constexpr std::size_t kFacetFieldCount = [] {
  std::size_t n = 0;
  for (const FieldInfo& f : kFields) n += (f.flags & kFacet) != 0 ? 1 : 0;
  return n;
}();

// The table is in Field order, and each kFacet field has its own position
// in kFacetsSlot, 0 to kFacetFieldCount - 1: a new facet field takes the
// next free one, so the lists of the others stay where they are.
static_assert([] {
  std::array<bool, kFacetFieldCount> taken{};
  for (std::size_t i = 0; i < kFields.size(); ++i) {
    if (static_cast<std::size_t>(kFields[i].field) != i) return false;
    if ((kFields[i].flags & kFacet) == 0) continue;
    if (kFields[i].facet_position >= kFacetFieldCount || taken[kFields[i].facet_position]) return false;
    taken[kFields[i].facet_position] = true;
  }
  return true;
}());

// The kFacetsSlot value of a section from its lists, indexed by
// facet_position (ids or names each followed by kListSeparator; the date
// field is the date at its precision: "2023-06-18", "2023-06", "2023" or
// ""), and its lists back (views into `value`; a missing one is empty).
std::string facets_value(const std::array<std::string, kFacetFieldCount>& fields);
std::array<std::string_view, kFacetFieldCount> split_facets_value(std::string_view value);
// Views into a temporary would dangle.
std::array<std::string_view, kFacetFieldCount> split_facets_value(std::string&& value) = delete;

// The term of an entity (or any boolean) field's value: prefix + id,
// "XPjoe-biden".
std::string entity_term(Field field, std::string_view id);

// The article id of a file, from its absolute path.
std::string article_id(std::string_view absolute_path);

// "<article-id>-<n>": the id users see and pass to `folio show`.
std::string section_id(std::string_view article_id, int section_index);

struct SectionRef {
  std::string article_id;
  int index = 0;
};
// The article id and index of a section id "<article-id>-<n>" (n decimal);
// nullopt for anything else, such as an article id alone.
std::optional<SectionRef> parse_section_id(std::string_view id);

// The copy keys (kArticleCopySlot, kCopySlot; version 9). content_key():
// the article's content key, 16 hex digits of `content_hash` (FNV-1a-64 of
// its title and sections, indexer/document.cpp). copy_key(): the kCopySlot
// value of section `section_index` of it, "<content-key>-<n>".
std::string content_key(std::uint64_t content_hash);
std::string copy_key(std::string_view content_key, int section_index);
// A kCopySlot value as two numbers, for counting keys without a string each.
struct CopyKey {
  std::uint64_t content_hash = 0;
  std::uint32_t section = 0;
  bool operator==(const CopyKey&) const = default;
};
// Parses a copy_key() value without allocating; nullopt for anything else
// (not 16 lower-case hex digits, '-', 1 to 9 decimal digits).
std::optional<CopyKey> parse_copy_key(std::string_view value);

std::string section_id_term(std::string_view section_id);
std::string article_term(std::string_view article_id);
// Lower-cases ASCII and collapses white space: "Jane  DOE" -> "Ajane doe".
std::string author_term(std::string_view author);
std::string file_key(std::string_view article_id);
std::string bad_file_key(std::string_view article_id);
// The metadata key of a root: kRootKeyPrefix + article_id(real_path).
std::string root_key(std::string_view real_path);

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
  // Throws folio::Error if `text` is not a FileRecord.
  static FileRecord from_json(std::string_view text);
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
  // Throws folio::Error if `text` is not a BadFileRecord.
  static BadFileRecord from_json(std::string_view text);
};

// A folder (or file) `folio index` was given (metadata folio.root:, first
// shard): `folio index` without a PATH updates every one.
struct RootRecord {
  std::string path;                   // absolute, as the user gave it (links kept): shown
  std::string real_path;              // realpath() of it when last indexed: ids are made from it
  std::vector<std::string> excludes;  // its --exclude patterns (gitignore syntax)
  std::int64_t indexed_at = 0;        // Unix time of the last complete run over it; 0: none yet
  std::string to_json() const;
  // Throws folio::Error if `text` is not a RootRecord.
  static RootRecord from_json(std::string_view text);
};

// The roots stored in `db` (the first shard, or a Database over all of
// them: Xapian reads metadata from the first), sorted by path. Throws
// folio::Error for a damaged record.
std::vector<RootRecord> stored_roots(const Xapian::Database& db);

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
  std::vector<Org> orgs;  // without aliases
  std::string to_json() const;
  // Throws folio::Error if `text` is not SectionData.
  static SectionData from_json(std::string_view text);
};

// An entity in the index's registry (metadata folio.person:/folio.place:).
struct EntityRecord {
  // A field with kRegistry.
  using Type = Field;
  Type type = Type::person;
  std::string id;
  std::string name;
  std::vector<std::string> aliases;     // forms seen in articles, most recent last
  PlaceKind kind = PlaceKind::country;  // fields with a roll_up (places) only
  std::string country;                  // fields with a roll_up (places) only
  static constexpr std::size_t kMaxAliases = 16;
  // Adds the aliases not known yet, up to kMaxAliases; true if any was new.
  bool add_aliases(const std::vector<std::string>& more);
  std::string to_json() const;
  // Throws folio::Error if `text` is not an EntityRecord.
  static EntityRecord from_json(Type type, std::string_view id, std::string_view text);
};

// The metadata key of an entity's record: registry_key + id. `type` must
// have kRegistry.
std::string entity_key(EntityRecord::Type type, std::string_view id);

}  // namespace folio::schema
