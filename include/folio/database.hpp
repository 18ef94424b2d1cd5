// Opening folio's index: a folder of Xapian shards (layout in
// include/folio/schema.hpp), with the schema version check.
#pragma once

#include <xapian.h>

#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "folio/node.hpp"
#include "folio/schema.hpp"

namespace folio {

// A cluster index folder (`folio join`) holds, beside its stub, this file:
// where the folio service of each `remote` line of the stub is (JSON, see
// docs/remote.md). Without an entry, a `remote HOST:PORT` line's service is
// HOST:PORT-1 (`folio serve` listens there).
inline constexpr std::string_view kClusterFile = "folio-cluster.json";

struct OpenOptions {
  // Leave out the nodes that do not answer (Index::missing_nodes() names
  // them) rather than throw node::NodeError. Default: every node is needed.
  bool partial = false;
  // How long a node may take to connect or answer, in milliseconds, unless
  // the cluster file says (`folio join --timeout`).
  int timeout_ms = 10000;
};

// A remote line of a cluster's stub: a node's index, searched through
// xapian-tcpsrv or xapian-progsrv, and its folio service.
struct IndexNode {
  std::string remote;        // the stub line after "remote ": "HOST:PORT" or ":PROGRAM ARGS"
  std::size_t position = 0;  // its sub-database in Index::db() (docid d is in position (d-1) % parts)
  std::shared_ptr<node::Connection> service;
  std::vector<node::ShardState> shards;  // as the service reported them when opened
  std::string name() const { return service->endpoint().name(); }
};

// An index open for searching: one Xapian::Database over every shard for
// queries, and each shard on its own for metadata, which Xapian shows only
// for the first shard of a multi-shard Database.
class Index {
 public:
  // Throws folio::Error when there is no index at `dir` ("no index at DIR:
  // run `folio index <folder>` first") or its schema version is not this
  // folio's; lets Xapian::Error through for a damaged or unreadable one.
  // A cluster index (a stub with `remote` lines, or `auto` lines naming
  // other indexes' shards by absolute path) opens every node too: throws
  // node::NodeError naming a node that does not answer (unless
  // options.partial), folio::Error for a node of another schema version.
  explicit Index(const std::filesystem::path& dir, const OpenOptions& options = {});

  // The index folder, absolute.
  const std::filesystem::path& dir() const { return dir_; }
  // Every shard, for queries, term and value statistics, documents.
  const Xapian::Database& db() const { return all_; }
  // Local shards and the shards of every node.
  std::size_t shard_count() const;

  // The remote nodes of a cluster index, in stub order; empty for a local one.
  const std::vector<IndexNode>& nodes() const { return nodes_; }
  bool is_cluster() const { return !nodes_.empty(); }
  // The nodes left out because they did not answer (OpenOptions::partial).
  const std::vector<std::string>& missing_nodes() const { return missing_; }
  // The sub-databases of db(), local shards and nodes: docid d is docid
  // (d - 1) / parts() + 1 of sub-database (d - 1) % parts().
  std::size_t parts() const { return parts_; }
  // The local shards (all of them for a local index).
  const std::vector<Xapian::Database>& local_shards() const { return shards_; }
  // Their folders, in the same order.
  const std::vector<std::filesystem::path>& local_shard_paths() const { return shard_paths_; }
  // The local shard at a position of db(), or nullptr for a node's.
  const Xapian::Database* local_part(std::size_t position) const;
  // Runs fn on every node, in parallel; rethrows the first failure.
  void for_each_node(const std::function<void(const IndexNode&)>& fn) const;
  // Throws folio::Error when a node's shards are not as they were when the
  // index was opened (reopen() then): `states` is what the node reported.
  void check_unchanged(const IndexNode& node, const std::vector<node::ShardState>& states) const;

  // How many metadata keys start with `prefix`, over all shards.
  std::size_t count_metadata(std::string_view prefix) const;
  // An entity's registry entry, its aliases merged over the shards.
  std::optional<schema::EntityRecord> entity(schema::EntityRecord::Type type, std::string_view id) const;
  // A cluster index: reads the registry entries of these (type, id) pairs
  // from every node in one request each, for entity() to answer without
  // one. A local index needs none: does nothing.
  void prefetch_entities(const std::vector<std::pair<schema::EntityRecord::Type, std::string>>& ids) const;
  // Every registry entry of a type, merged over the shards, by id.
  std::vector<schema::EntityRecord> entities(schema::EntityRecord::Type type) const;

  // Moves to the latest committed state (after Xapian::DatabaseModifiedError,
  // or a node's node::ShardChanged).
  void reopen();

 private:
  // Calls `fn(key, value)` for each metadata key starting with `prefix`,
  // shard by shard (a key may come once per shard).
  void for_each_metadata(
      std::string_view prefix,
      const std::function<void(const std::string& key, const std::string& value)>& fn) const;

  void open_nodes(const std::vector<std::string>& remotes, std::vector<Xapian::Database>& remote_dbs);

  std::filesystem::path dir_;
  OpenOptions options_;
  std::vector<Xapian::Database> shards_;  // local ones
  std::vector<std::size_t> shard_positions_;
  std::vector<std::filesystem::path> shard_paths_;
  Xapian::Database all_;
  std::vector<IndexNode> nodes_;
  std::vector<std::string> missing_;
  std::size_t parts_ = 0;
  // prefetch_entities(): the nodes' stored values of each entity key.
  mutable std::map<std::string, std::vector<std::string>> node_entities_;
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
inline Index open_for_reading(const std::filesystem::path& dir, const OpenOptions& options = {}) {
  return Index(dir, options);
}

// Opens the index at `dir` for updating, creating it with `new_shards`
// shards (clamped to 1..schema::kMaxShards) if there is none; an existing
// index keeps its number. Throws folio::Error on a version mismatch, or at
// once when another process is writing ("... is being updated by another
// folio process (pid N)"), when `dir` is not a folio index (it holds other
// files, or a Xapian database folio did not make), or cannot be written
// (a read-only folder or file system), or is a cluster index (its nodes
// index their own folders).
WritableIndex open_for_writing(const std::filesystem::path& dir, unsigned new_shards = 1);

// Rethrows `error`. A Xapian::Error that says the device holding the index
// at `dir` is full (ENOSPC, EDQUOT) or read-only (EROFS, EACCES, EPERM)
// becomes a folio::Error that says so, how many articles the last commit
// holds, and what to do; anything else is rethrown as it is.
[[noreturn]] void rethrow_write_error(const std::filesystem::path& dir, const std::exception_ptr& error);

}  // namespace folio
