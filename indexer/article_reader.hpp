// Reading an article file from disk: its size and times, and its bytes.
// ArticleReader (folio/ingest.hpp) turns the bytes into an Article.
// Private to indexer/.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace folio {

// What `stat` says about a file, for change detection.
struct FileStat {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;  // changes with chmod too
};

// Throws folio::Error with the system's reason ("vanished during the run"
// for a file that no longer exists).
FileStat stat_file(const std::filesystem::path& file);

// The whole file. Throws folio::Error with the system's reason.
std::string read_file_bytes(const std::filesystem::path& file);

}  // namespace folio
