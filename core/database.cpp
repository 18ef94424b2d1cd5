#include "folio/database.hpp"

#include <fmt/format.h>

#include "folio/error.hpp"
#include "folio/schema.hpp"

#include <unistd.h>

#include <fstream>

namespace folio {
namespace {

// Names the process that holds the write lock, for the message a second
// writer gets. Never needs deleting: Xapian's own lock is what counts.
constexpr const char* kPidFile = "folio.pid";

void check_version(const Xapian::Database& db, const std::filesystem::path& dir) {
  const std::string stored = db.get_metadata(std::string(schema::kVersionKey));
  const std::string expected = std::to_string(schema::kVersion);
  if (stored != expected) {
    throw Error(fmt::format(
        "the index at {} has schema version {}, this folio uses version {}: "
        "delete it and run `folio index` again",
        dir.string(), stored.empty() ? "(none)" : stored, expected));
  }
}

}  // namespace

Xapian::Database open_for_reading(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir / "iamglass", ec)) {
    throw Error(fmt::format("no index at {}: run `folio index <folder>` first",
                            dir.string()));
  }
  Xapian::Database db(dir.string(), Xapian::DB_BACKEND_GLASS);
  check_version(db, dir);
  return db;
}

Xapian::WritableDatabase open_for_writing(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    throw Error(fmt::format("cannot create index directory {}: {}", dir.string(),
                            ec.message()));
  }
  const std::filesystem::path pid_file = dir / kPidFile;
  Xapian::WritableDatabase db;
  try {
    db = Xapian::WritableDatabase(dir.string(), Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
  } catch (const Xapian::DatabaseLockError&) {
    // Xapian's lock is held by the other writer's process and released
    // when it exits; the pid file only names that process.
    std::ifstream in(pid_file);
    std::string pid;
    std::getline(in, pid);
    throw Error(fmt::format("the index at {} is being updated by another folio process{}",
                            dir.string(), pid.empty() ? "" : fmt::format(" (pid {})", pid)));
  }
  {
    std::ofstream out(pid_file, std::ios::trunc);
    out << ::getpid() << '\n';
  }
  if (db.get_metadata(std::string(schema::kVersionKey)).empty() &&
      db.get_doccount() == 0) {
    db.set_metadata(std::string(schema::kVersionKey),
                    std::to_string(schema::kVersion));
    db.commit();
  }
  check_version(db, dir);
  return db;
}

}  // namespace folio
