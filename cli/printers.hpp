// Printing every command's output as text for people or JSON for programs.
// Each command emits its data once through a Printer (compare notmuch's
// sprinter.h, which also lives in its front end); the JSON format is
// versioned and documented in docs/json-format.md.
#pragma once

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
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
  // The width of the terminal (or 80): the --histogram bars fit in it.
  std::size_t columns = 80;
};

// A section as `folio show` prints it: its id and what is stored.
struct ShownSection {
  std::string id;
  schema::SectionData data;
};

class Printer {
 public:
  virtual ~Printer() = default;
  // `folio index`: what one run did, and how long it took.
  virtual void index_report(const IndexReport& report, double seconds, bool compacted) = 0;
  virtual void search_results(const SearchResults& results) = 0;
  // `folio show`: the sections asked for, in order.
  virtual void sections(const std::vector<ShownSection>& sections) = 0;
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
// `--format tsv`: one line per hit, the columns rank, score, date,
// path:line, id, title, heading (kTsvColumns), separated by tabs; fields
// escaped by tsv_field(). No header line. The rest as text.
std::unique_ptr<Printer> make_tsv_printer(std::FILE* out, TextStyle style);
inline constexpr std::array<std::string_view, 7> kTsvColumns = {"rank", "score", "date",   "path:line",
                                                                "id",   "title", "heading"};
// A TSV field: backslash, tab, newline and carriage return written as
// \\, \t, \n and \r, so that a field never splits a line or a column.
std::string tsv_field(std::string_view text);
// `--format ids`: the id of each hit, one a line, for `folio show -`.
std::unique_ptr<Printer> make_ids_printer(std::FILE* out, TextStyle style);
// `--format files`: the path of each article with a hit, once, in the
// order of their best hits (relative as in text).
std::unique_ptr<Printer> make_files_printer(std::FILE* out, TextStyle style);

}  // namespace folio::cli
