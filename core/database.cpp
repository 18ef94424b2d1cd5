#include "folio/database.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <regex>

#include "folio/error.hpp"

namespace folio {
namespace fs = std::filesystem;

namespace {

// Names the process that holds the write lock, for the message a second
// writer gets. Never needs deleting: Xapian's own lock is what counts.
constexpr const char* kPidFile = "folio.pid";

[[noreturn]] void throw_not_folio(const fs::path& dir, std::string_view what) {
  throw Error(
      fmt::format("{} is not a folio index: it holds {}; choose an empty or new folder "
                  "with --db (or $FOLIO_DB)",
                  dir.string(), what));
}

void check_version(const Xapian::Database& db, const fs::path& dir) {
  const std::string stored = db.get_metadata(std::string(schema::kVersionKey));
  const std::string expected = std::to_string(schema::kVersion);
  // Every folio index has a version; a database without one is not folio's.
  if (stored.empty()) throw_not_folio(dir, "a Xapian database that folio did not make");
  if (stored != expected) {
    throw Error(
        fmt::format("the index at {} has schema version {}, this folio uses version {}: "
                    "delete it and run `folio index` again",
                    dir.string(), stored, expected));
  }
}

// The shard folders the stub file lists ("auto shard0" lines), or nullopt
// when there is no stub file.
std::optional<std::vector<std::string>> read_stub(const fs::path& dir) {
  std::ifstream in(dir / schema::kStubFile);
  if (!in) return std::nullopt;
  std::vector<std::string> names;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    constexpr std::string_view kAuto = "auto ";
    const std::string name = line.starts_with(kAuto) ? line.substr(kAuto.size()) : "";
    if (name.empty() || name.find('/') != std::string::npos || name.starts_with('.')) {
      throw Error(fmt::format("the index at {} is damaged: bad line in {}: {}", dir.string(),
                              schema::kStubFile, line));
    }
    names.push_back(name);
  }
  if (names.empty()) {
    throw Error(
        fmt::format("the index at {} is damaged: {} lists no shard", dir.string(), schema::kStubFile));
  }
  return names;
}

// Written to a temporary file and renamed: readers see the whole list or none.
void write_stub(const fs::path& dir, const std::vector<std::string>& names) {
  const fs::path stub = dir / schema::kStubFile;
  const fs::path tmp = dir / (std::string(schema::kStubFile) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    for (const std::string& name : names) out << "auto " << name << '\n';
    out.flush();
    if (!out) throw Error(fmt::format("cannot write {}", tmp.string()));
  }
  std::error_code ec;
  fs::rename(tmp, stub, ec);
  if (ec) throw Error(fmt::format("cannot write {}: {}", stub.string(), ec.message()));
}

// An index made before shards (schema 5 and older) is one glass database
// in the folder itself: say which version it has.
[[noreturn]] void reject_unsharded(const fs::path& dir) {
  check_version(Xapian::Database(dir.string(), Xapian::DB_BACKEND_GLASS), dir);
  throw Error(fmt::format("the index at {} is damaged: no {} file", dir.string(), schema::kStubFile));
}

// Why the process cannot write in `dir` (strerror), or "" if it can.
std::string unwritable_reason(const fs::path& dir) {
  if (::access(dir.c_str(), W_OK) == 0) return "";
  return std::strerror(errno);
}

// A folder that has no stub file yet may hold what an interrupted creation
// left (the pid file, shard folders, the stub's temporary file), nothing
// else: folio does not write into a folder of other files.
void check_no_foreign_files(const fs::path& dir) {
  static const std::regex kShard("shard[0-9]+");
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == kPidFile || name == std::string(schema::kStubFile) + ".tmp" ||
        (std::regex_match(name, kShard) && entry.is_directory(ec))) {
      continue;
    }
    throw_not_folio(dir, fmt::format("other files ({})", name));
  }
}

std::size_t committed_articles(const fs::path& dir) {
  return Index(dir).count_metadata(schema::kFileKeyPrefix);
}

// "<state> (N articles)", e.g. "the index is as of the last commit (12
// articles)"; without the count when the index cannot be read either.
std::string committed_state(const fs::path& dir, std::string_view state) {
  try {
    const std::size_t n = committed_articles(dir);
    return fmt::format("{} ({} article{})", state, n, n == 1 ? "" : "s");
  } catch (const std::exception&) {
    return std::string(state);
  }
}

bool is_errno(const Xapian::Error& e, std::initializer_list<int> codes) {
  const char* reason = e.get_error_string();
  // A failed commit whose rollback failed too ("Modifications failed
  // (... (No space left on device)), and couldn't open at the old
  // revision") names the first error in its message only.
  const std::string message = e.get_msg();
  return std::any_of(codes.begin(), codes.end(), [&](int code) {
    return (reason != nullptr && std::strcmp(reason, std::strerror(code)) == 0) ||
           message.find(fmt::format("({})", std::strerror(code))) != std::string::npos;
  });
}

}  // namespace

Index::Index(const fs::path& dir) : dir_(fs::absolute(dir).lexically_normal()) {
  // "db/" normalises to "db/", with an empty file name: drop it.
  if (!dir_.has_filename() && dir_.has_parent_path() && dir_ != dir_.root_path()) {
    dir_ = dir_.parent_path();
  }
  std::error_code ec;
  std::optional<std::vector<std::string>> names = read_stub(dir);
  if (!names) {
    if (fs::exists(dir / "iamglass", ec)) reject_unsharded(dir);
    throw Error(fmt::format("no index at {}: run `folio index <folder>` first", dir.string()));
  }
  for (const std::string& name : *names) {
    Xapian::Database shard((dir / name).string(), Xapian::DB_BACKEND_GLASS);
    check_version(shard, dir);
    all_.add_database(shard);
    shards_.push_back(std::move(shard));
  }
}

void Index::for_each_metadata(std::string_view prefix,
                              const std::function<void(const std::string&, const std::string&)>& fn) const {
  const std::string p(prefix);
  for (const Xapian::Database& shard : shards_) {
    for (auto it = shard.metadata_keys_begin(p); it != shard.metadata_keys_end(p); ++it) {
      fn(*it, shard.get_metadata(*it));
    }
  }
}

std::size_t Index::count_metadata(std::string_view prefix) const {
  const std::string p(prefix);
  std::size_t n = 0;
  for (const Xapian::Database& shard : shards_) {
    for (auto it = shard.metadata_keys_begin(p); it != shard.metadata_keys_end(p); ++it) ++n;
  }
  return n;
}

std::optional<schema::EntityRecord> Index::entity(schema::EntityRecord::Type type,
                                                  std::string_view id) const {
  const std::string key = schema::entity_key(type, id);
  std::optional<schema::EntityRecord> merged;
  for (const Xapian::Database& shard : shards_) {
    const std::string stored = shard.get_metadata(key);
    if (stored.empty()) continue;
    schema::EntityRecord r = schema::EntityRecord::from_json(type, id, stored);
    if (merged) {
      merged->add_aliases(r.aliases);
    } else {
      merged = std::move(r);
    }
  }
  return merged;
}

std::vector<schema::EntityRecord> Index::entities(schema::EntityRecord::Type type) const {
  const std::string prefix = schema::entity_key(type, "");
  std::map<std::string, schema::EntityRecord> merged;
  for_each_metadata(prefix, [&](const std::string& key, const std::string& value) {
    std::string id = key.substr(prefix.size());
    schema::EntityRecord r = schema::EntityRecord::from_json(type, id, value);
    if (auto it = merged.find(id); it != merged.end()) {
      it->second.add_aliases(r.aliases);
    } else {
      merged.emplace(std::move(id), std::move(r));
    }
  });
  std::vector<schema::EntityRecord> out;
  out.reserve(merged.size());
  for (auto& [id, record] : merged) out.push_back(std::move(record));
  return out;
}

void Index::reopen() {
  all_.reopen();
  for (Xapian::Database& shard : shards_) shard.reopen();
}

namespace {

// The shard names of a new index at `dir`, once it is known that folio may
// create one there.
std::vector<std::string> new_index_shards(const fs::path& dir, unsigned new_shards) {
  std::error_code ec;
  if (fs::exists(dir / "iamglass", ec)) reject_unsharded(dir);
  check_no_foreign_files(dir);
  if (const std::string reason = unwritable_reason(dir); !reason.empty()) {
    throw Error(
        fmt::format("cannot create an index at {}: {}; choose a folder you can write "
                    "with --db (or $FOLIO_DB)",
                    dir.string(), reason));
  }
  std::vector<std::string> names;
  const unsigned n = std::clamp(new_shards, 1u, schema::kMaxShards);
  for (unsigned k = 0; k < n; ++k) names.push_back(schema::shard_name(k));
  return names;
}

// Opens (or creates) each shard for writing, which takes Xapian's lock.
WritableIndex open_shards(const fs::path& dir, const std::vector<std::string>& names) {
  WritableIndex index;
  index.dir = dir;
  try {
    for (const std::string& name : names) {
      index.shards.emplace_back((dir / name).string(), Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
    }
  } catch (const Xapian::DatabaseLockError&) {
    // Xapian cannot create its lock file in a read-only folder either.
    if (const std::string reason = unwritable_reason(dir); !reason.empty()) {
      throw Error(
          fmt::format("cannot write to the index at {}: {}; {}; make the folder "
                      "writable and run the same command again",
                      dir.string(), reason, committed_state(dir, "the index is as it was")));
    }
    // Xapian's lock is held by the other writer's process and released
    // when it exits; the pid file only names that process.
    std::ifstream in(dir / kPidFile);
    std::string pid;
    std::getline(in, pid);
    throw Error(fmt::format("the index at {} is being updated by another folio process{}", dir.string(),
                            pid.empty() ? "" : fmt::format(" (pid {})", pid)));
  }
  return index;
}

// Writes the schema version into new shards, and checks it in every one.
void stamp_and_check_versions(WritableIndex& index) {
  try {
    for (Xapian::WritableDatabase& shard : index.shards) {
      if (shard.get_metadata(std::string(schema::kVersionKey)).empty() && shard.get_doccount() == 0) {
        shard.set_metadata(std::string(schema::kVersionKey), std::to_string(schema::kVersion));
        shard.commit();
      }
      check_version(shard, index.dir);
    }
  } catch (const Xapian::Error&) {
    rethrow_write_error(index.dir, std::current_exception());
  }
}

}  // namespace

WritableIndex open_for_writing(const fs::path& dir, unsigned new_shards) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    throw Error(fmt::format("cannot create index directory {}: {}", dir.string(), ec.message()));
  }
  std::optional<std::vector<std::string>> names = read_stub(dir);
  const bool create = !names;
  if (create) names = new_index_shards(dir, new_shards);
  WritableIndex index = open_shards(dir, *names);
  stamp_and_check_versions(index);
  // Once the index is known to be folio's and this process holds the lock.
  {
    std::ofstream out(dir / kPidFile, std::ios::trunc);
    out << ::getpid() << '\n';
  }
  // Last, once every shard exists: until then readers see no index.
  if (create) write_stub(dir, *names);
  return index;
}

void WritableIndex::close() {
  try {
    for (Xapian::WritableDatabase& s : shards) s.close();
  } catch (const Xapian::Error&) {
    rethrow_write_error(dir, std::current_exception());
  }
}

void rethrow_write_error(const fs::path& dir, const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const Xapian::Error& e) {
    if (is_errno(e, {ENOSPC, EDQUOT})) {
      throw Error(
          fmt::format("no space left on the device holding the index at {}; {}; free "
                      "space and run the same command again",
                      dir.string(), committed_state(dir, "the index is as of the last commit")));
    }
    if (is_errno(e, {EROFS, EACCES, EPERM})) {
      throw Error(fmt::format(
          "cannot write to the index at {}: {}; {}; make the folder "
          "writable and run the same command again",
          dir.string(), e.get_error_string(), committed_state(dir, "the index is as of the last commit")));
    }
    throw;
  }
}

}  // namespace folio
