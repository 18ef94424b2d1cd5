// Printing every command's output as text for people or JSON for programs.
// Each command emits its data once through a Printer (compare notmuch's
// sprinter.h, which also lives in its front end); the JSON format is
// versioned and documented in docs/json-format.md.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "folio/ingest.hpp"
#include "folio/model.hpp"
#include "folio/search.hpp"

namespace folio::cli {

// Version of the JSON output; bump it with any incompatible change.
inline constexpr int kJsonFormatVersion = 1;

struct TextStyle {
  bool color = false;  // ANSI colours and bold highlights
  // Paths under this folder are shown relative to it (the working folder).
  std::filesystem::path relative_to;
};

class Printer {
 public:
  virtual ~Printer() = default;
  // `folio index`: what one run did, and how long it took.
  virtual void index_report(const IndexReport& report, double seconds, bool compacted) = 0;
  virtual void search_results(const SearchResults& results) = 0;
  // `folio show`: sections of one article, in order.
  virtual void sections(const std::vector<schema::SectionData>& sections, const std::string& article_id) = 0;
  virtual void stats(const IndexStats& stats) = 0;
  // `folio entities`: people and places with their counts.
  virtual void entities(const std::vector<EntityCount>& entities) = 0;
  // `folio extract`: what the parser sees in one file.
  virtual void extracted(const Article& article) = 0;
};

// `path` relative to `base` when it lies under it, else unchanged.
std::string display_path(const std::string& path, const std::filesystem::path& base);

// Each writes to `out`, which must outlive the printer.
std::unique_ptr<Printer> make_text_printer(std::FILE* out, TextStyle style);
std::unique_ptr<Printer> make_json_printer(std::FILE* out);
// Search hits as "path:line" lines (relative as in text); the rest as text.
std::unique_ptr<Printer> make_paths_printer(std::FILE* out, TextStyle style);
// `--format vimgrep`: path:line:column:text per hit, as ripgrep's
// --vimgrep, for `vim -q`: the line of the file where the hit's first
// highlighted word is (read from the file; the section's first line when
// the file changed), else as the paths printer.
std::unique_ptr<Printer> make_vimgrep_printer(std::FILE* out, TextStyle style);

}  // namespace folio::cli
