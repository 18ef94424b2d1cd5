// Compacting an index: every shard rewritten through Xapian's compaction
// into a new folder next to the index, which then takes the index's place
// in one atomic rename, so that the index is whole at every moment.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>

namespace folio {

struct CompactReport {
  std::uintmax_t bytes_before = 0;  // the index folder's files, before
  std::uintmax_t bytes_after = 0;   // and after
  std::size_t shards = 0;
  // A temporary folder an earlier, interrupted compaction left, removed.
  bool removed_leftover = false;
};

// The folder a compaction of `index_dir` builds in: "<index>.compacting",
// beside the index (same file system, so it can be renamed into place).
std::filesystem::path compact_temp_dir(const std::filesystem::path& index_dir);

// Compacts the index at `index_dir` in place: holds the index's write lock
// for the whole run (so no update is lost), compacts each shard with
// Xapian::Database::compact (document ids kept, so searches rank and order
// exactly as before) into compact_temp_dir(), copies the stub file and the
// other top-level files, then swaps the two folders with one
// renameat2(RENAME_EXCHANGE) and deletes the old index. Killed at any
// moment, it leaves the old or the new index complete at `index_dir`; the
// temporary folder left behind is removed by the next call. Where the file
// system cannot exchange (EINVAL), it renames the index aside and the new
// one in, and the next call puts a lone "<index>.old" back if it was killed
// in between.
//
// Throws folio::Error when there is no index, its schema version is not
// this folio's, the index folder is a mount point or on another file system
// than its parent (it cannot be swapped by a rename), or another process is updating it ("... is being
// updated by another folio process (pid N)"); fmt::system_error when a file operation fails; lets
// Xapian::Error through. The index is unchanged on any throw.
CompactReport compact_index(const std::filesystem::path& index_dir);

// The bytes of the regular files under `dir`, recursively (0 if none).
std::uintmax_t folder_bytes(const std::filesystem::path& dir);

}  // namespace folio
