// Opening folio's Xapian database, with the schema version check.
#pragma once

#include <xapian.h>

#include <filesystem>

namespace folio {

// Opens the index at `dir` for searching. Throws folio::Error when there is
// no index there ("no index at DIR: run `folio index <folder>` first") or
// its schema version is not this folio's; lets Xapian::Error through for a
// damaged or unreadable database.
Xapian::Database open_for_reading(const std::filesystem::path& dir);

// Opens (creating if needed) the index at `dir` for updating, and records
// the schema version in a new one. Throws folio::Error on a version
// mismatch, or at once when another process is writing ("... is being
// updated by another folio process (pid N)").
Xapian::WritableDatabase open_for_writing(const std::filesystem::path& dir);

}  // namespace folio
