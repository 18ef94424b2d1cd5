// Writing to one shard of the index: what a worker made of each file is
// applied here, by the one thread that owns the shard, in atomic commits.
// Private to indexer/.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "folio/curation.hpp"
#include "folio/model.hpp"
#include "folio/schema.hpp"

namespace folio {

// What a worker made of one file, for the shard's writer to apply.
struct FileResult {
  enum class Kind {
    unchanged,      // same size and mtime as indexed: not read
    touched,        // read, same content: only the record changes
    changed,        // new or changed content: documents replace the old ones
    skipped,        // could not be indexed now: reported
    still_skipped,  // could not be indexed before and has not changed: not read
  } kind = Kind::unchanged;
  std::string path;
  std::string id;
  std::uint64_t bytes = 0;                  // read from disk
  bool had_record = false;                  // the index had a folio.file: record for it
  bool had_bad_record = false;              // the index had a folio.bad: record for it
  schema::FileRecord record;                // touched, changed
  Article article;                          // changed: with its people and places
  std::vector<Xapian::Document> documents;  // changed: one per section
  std::string reason;                       // skipped
  std::string warning;                      // changed, but indexed with a warning (Article::warning)
  // skipped: what to remember, when the file could be stat()ed.
  std::optional<schema::BadFileRecord> bad_record;
};

// The people and places seen, with their aliases, kept in a shard's
// metadata so that the query side can resolve names without the lexicon.
// Entries are cached and written once per commit. With a curation, the
// records it changes are written as it makes them, and the ones as
// extracted are kept aside (schema.hpp, kRawEntityKeyPrefix).
class EntityRegistry {
 public:
  // `curation` (not owned, may be null) must outlive the registry.
  EntityRegistry(Xapian::WritableDatabase& db, const Curation* curation) : db_(db), curation_(curation) {}

  // Records the people and places of every section, and each place's country.
  void add(const Article& article);
  // Writes the entries that changed since the last flush.
  void flush();
  // The record of an entity as extracted, from this run or the shard.
  std::optional<schema::EntityRecord> raw(schema::Field type, const std::string& id);
  // Writes the records of the entities merged with `id` (the one they are
  // merged into and all merged into it) as `curation` makes them.
  void write_group(const Curation& curation, schema::Field type, const std::string& id);

 private:
  void merge(schema::EntityRecord::Type type, const std::string& id, const std::string& name,
             const std::vector<std::string>& aliases, PlaceKind kind, const std::string& country);
  void write_member(const Curation& curation, schema::Field type, const std::string& id,
                    const std::string& into);
  void set(const std::string& key, const std::string& value);

  Xapian::WritableDatabase& db_;
  const Curation* curation_;
  std::map<std::string, schema::EntityRecord> cache_;  // as extracted
  std::set<std::string> dirty_;
};

// Whether a document has an entity term of an entity a rule of `curation`
// names.
bool mentions_touched(const Xapian::Document& doc, const Curation& curation);
// Makes a section's people, places and organisations, their terms and the
// facets value what `curation` makes of the lists as extracted (kept in
// its data when they differ); `lookup` gives the records of the entities
// merged into. False when the document was that already.
bool curate_document(Xapian::Document& doc, const Curation& curation, const Curation::Lookup& lookup);

// Applies file results to one shard. Not thread-safe: one thread per shard.
// Lets Xapian::Error through.
class ShardWriter {
 public:
  // `db` and `curation` (may be null: no rules) must outlive the writer.
  ShardWriter(Xapian::WritableDatabase& db, std::size_t files_per_commit, const Curation* curation = nullptr);

  // Applies one file's result; commits after every `files_per_commit` files
  // that changed something. An article is replaced whole within one commit.
  void apply(const FileResult& r);
  // Drops a file that is gone: its sections and file record, and its bad
  // file record. Committed by the next commit().
  void forget(const std::string& id);
  // Writes the registry entries and commits.
  void commit();
  // When the rules applied to the shard (schema::kCurationKey) are not the
  // curation's: rewrites the records and the sections of the entities of
  // the rules that differ as the curation makes them, and stores its rules.
  // Committed by the next commit(). True if it changed anything.
  bool update_curation();

 private:
  void replace_article(const FileResult& r);
  void remember_bad_file(const FileResult& r);
  void count_change();

  Xapian::WritableDatabase* db_;
  // The shard's folio.file: and folio.bad: keys, kept up to date and
  // written to schema::kCountsKey at each commit.
  std::size_t files_ = 0;
  std::size_t bad_files_ = 0;
  const Curation* curation_;
  EntityRegistry registry_;
  std::size_t files_per_commit_;
  std::size_t uncommitted_ = 0;
};

}  // namespace folio
