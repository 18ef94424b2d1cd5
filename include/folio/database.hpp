// Opening folio's index: a folder of Xapian shards (layout in
// include/folio/schema.hpp), with the schema version check.
#pragma once

#include <xapian.h>

#include <exception>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "folio/schema.hpp"

namespace folio {

// An index open for searching: one Xapian::Database over every shard for
// queries, and each shard on its own for metadata, which Xapian shows only
// for the first shard of a multi-shard Database.
class Index {
 public:
  // Throws folio::Error when there is no index at `dir` ("no index at DIR:
  // run `folio index <folder>` first") or its schema version is not this
  // folio's; lets Xapian::Error through for a damaged or unreadable one.
  explicit Index(const std::filesystem::path& dir);

  // The index folder, absolute.
  const std::filesystem::path& dir() const { return dir_; }
  // Every shard, for queries, term and value statistics, documents.
  const Xapian::Database& db() const { return all_; }
  std::size_t shard_count() const { return shards_.size(); }

  // How many metadata keys start with `prefix`, over all shards.
  std::size_t count_metadata(std::string_view prefix) const;
  // An entity's registry entry, its aliases merged over the shards.
  std::optional<schema::EntityRecord> entity(schema::EntityRecord::Type type, std::string_view id) const;
  // Every registry entry of a type, merged over the shards, by id.
  std::vector<schema::EntityRecord> entities(schema::EntityRecord::Type type) const;

  // Moves to the latest committed state (after Xapian::DatabaseModifiedError).
  void reopen();

 private:
  // Calls `fn(key, value)` for each metadata key starting with `prefix`,
  // shard by shard (a key may come once per shard).
  void for_each_metadata(
      std::string_view prefix,
      const std::function<void(const std::string& key, const std::string& value)>& fn) const;

  std::filesystem::path dir_;
  std::vector<Xapian::Database> shards_;
  Xapian::Database all_;
};

// An index open for updating: every shard, each locked by this process.
// Xapian::WritableDatabase is not thread-safe: one thread per shard.
struct WritableIndex {
  std::filesystem::path dir;
  std::vector<Xapian::WritableDatabase> shards;

  Xapian::WritableDatabase& shard_of(std::string_view article_id) {
    return shards[schema::shard_of(article_id, shards.size())];
  }
  // Closes every shard; throws as rethrow_write_error() does.
  void close();
};

// Opens the index at `dir` for searching; see Index.
inline Index open_for_reading(const std::filesystem::path& dir) { return Index(dir); }

// Opens the index at `dir` for updating, creating it with `new_shards`
// shards (clamped to 1..schema::kMaxShards) if there is none; an existing
// index keeps its number. Throws folio::Error on a version mismatch, or at
// once when another process is writing ("... is being updated by another
// folio process (pid N)"), when `dir` is not a folio index (it holds other
// files, or a Xapian database folio did not make), or cannot be written
// (a read-only folder or file system).
WritableIndex open_for_writing(const std::filesystem::path& dir, unsigned new_shards = 1);

// Rethrows `error`. A Xapian::Error that says the device holding the index
// at `dir` is full (ENOSPC, EDQUOT) or read-only (EROFS, EACCES, EPERM)
// becomes a folio::Error that says so, how many articles the last commit
// holds, and what to do; anything else is rethrown as it is.
[[noreturn]] void rethrow_write_error(const std::filesystem::path& dir, const std::exception_ptr& error);

}  // namespace folio
