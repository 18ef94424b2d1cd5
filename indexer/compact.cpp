#include "folio/compact.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "folio/database.hpp"
#include "folio/error.hpp"
#include "folio/schema.hpp"

namespace folio {
namespace fs = std::filesystem;

namespace {

// The index folder without a trailing '/', symlinks resolved, so that the
// folders beside it are on its file system.
fs::path normal_dir(const fs::path& dir) {
  fs::path p = dir;
  if (p.has_relative_path() && p.filename().empty()) p = p.parent_path();
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(p, ec);
  return ec ? p : resolved;
}

fs::path with_suffix(const fs::path& dir, std::string_view suffix) {
  fs::path out = dir;
  out += std::string(suffix);
  return out;
}

// Where a swap by two renames (no RENAME_EXCHANGE) puts the old index.
fs::path old_dir(const fs::path& dir) { return with_suffix(dir, ".old"); }

// Flushes a file or folder to disk, so that a rename after it never points
// at data still in the page cache when the machine goes down.
void sync_path(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw fmt::system_error(errno, "cannot open '{}'", path.string());
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) throw fmt::system_error(saved, "cannot sync '{}'", path.string());
}

// The shard folders the stub file names. Index's constructor has already
// checked the file; this only reads it.
std::vector<std::string> shard_names(const fs::path& dir) {
  std::ifstream in(dir / schema::kStubFile);
  std::vector<std::string> names;
  constexpr std::string_view kAuto = "auto ";
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(kAuto)) names.push_back(line.substr(kAuto.size()));
  }
  if (names.empty()) {
    throw Error(
        fmt::format("the index at {} is damaged: {} lists no shard", dir.string(), schema::kStubFile));
  }
  return names;
}

void remove_folder(const fs::path& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec) throw fmt::system_error(ec.value(), "cannot remove '{}'", dir.string());
}

// Puts `fresh` where `dir` is and `dir` where `fresh` was, atomically.
// Returns false when the file system cannot (then nothing has moved).
bool exchange(const fs::path& fresh, const fs::path& dir) {
  if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) == 0) {
    return true;
  }
  if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) return false;
  throw fmt::system_error(errno, "cannot move '{}' to '{}'", fresh.string(), dir.string());
}

void rename_or_throw(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    throw fmt::system_error(ec.value(), "cannot move '{}' to '{}'", from.string(), to.string());
  }
}

}  // namespace

// The new index is built beside the old one and renamed into its place:
// that needs both on one file system, and an index folder that is not
// itself a mount point (a mount point cannot be renamed).
void check_can_swap(const fs::path& dir) {
  const fs::path parent = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
  struct stat own {
  }, up{};
  if (::stat(dir.c_str(), &own) != 0 || ::stat(parent.c_str(), &up) != 0) return;  // Index() says why
  if (own.st_dev != up.st_dev) {
    throw Error(
        fmt::format("cannot compact the index at {} in place: it is a mount point or on "
                    "another file system than {}; the index is unchanged",
                    dir.string(), parent.string()));
  }
}

fs::path compact_temp_dir(const fs::path& index_dir) {
  return with_suffix(normal_dir(index_dir), ".compacting");
}

std::uintmax_t folder_bytes(const fs::path& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      const std::uintmax_t size = it->file_size(size_ec);
      if (!size_ec) total += size;
    }
  }
  return total;
}

CompactReport compact_index(const fs::path& index_dir) {
  const fs::path dir = normal_dir(index_dir);
  const fs::path temp = compact_temp_dir(dir);
  const fs::path old = old_dir(dir);
  std::error_code ec;

  // An earlier run was killed between its two renames: the index is
  // whole in "<index>.old".
  if (!fs::exists(dir, ec) && fs::exists(old / schema::kStubFile, ec)) rename_or_throw(old, dir);

  // No index, a damaged stub or another schema version: say so, change nothing.
  { const Index check(dir); }
  check_can_swap(dir);
  // Held to the end: no update can land in the old index after its shards
  // have been copied, and no second compaction runs at once.
  WritableIndex locked = open_for_writing(dir);

  CompactReport report;
  report.shards = locked.shards.size();
  // With the lock held nothing else compacts: what is left is from a run
  // that was killed, and the index at `dir` is the one to keep.
  for (const fs::path& stale : {temp, old}) {
    if (fs::exists(stale, ec)) {
      remove_folder(stale);
      report.removed_leftover = true;
    }
  }
  report.bytes_before = folder_bytes(dir);

  fs::create_directory(temp);
  const std::vector<std::string> names = shard_names(dir);
  const std::set<std::string> shard_set(names.begin(), names.end());
  try {
    for (const std::string& name : names) {
      // Same document ids as before: a multi-shard index interleaves them,
      // and the order of hits of equal weight depends on them.
      Xapian::Database shard((dir / name).string(), Xapian::DB_BACKEND_GLASS);
      shard.compact((temp / name).string(), Xapian::DBCOMPACT_NO_RENUMBER | Xapian::Compactor::FULL);
      sync_path(temp / name);
    }
    // The stub file and whatever else the index folder holds (the pid file).
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (shard_set.contains(name)) continue;
      fs::copy(entry.path(), temp / name, fs::copy_options::recursive);
    }
    sync_path(temp / schema::kStubFile);
    sync_path(temp);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(temp, ignored);
    throw;
  }

  if (!exchange(temp, dir)) {
    // Killed between these two renames, the next run moves "<index>.old" back.
    rename_or_throw(dir, old);
    rename_or_throw(temp, dir);
    rename_or_throw(old, temp);
  }
  sync_path(dir.parent_path().empty() ? fs::path(".") : dir.parent_path());
  // `temp` now holds the old index, still locked by `locked`.
  locked.close();
  remove_folder(temp);
  report.bytes_after = folder_bytes(dir);
  return report;
}

}  // namespace folio
