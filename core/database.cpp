#include "folio/database.hpp"

#include <fmt/format.h>

#include "folio/error.hpp"
#include "folio/schema.hpp"

namespace folio {
namespace {

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
  Xapian::WritableDatabase db(dir.string(),
                              Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
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
