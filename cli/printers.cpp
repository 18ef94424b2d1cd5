// What the printers share, and the paths printer.
#include "printers.hpp"

#include <fmt/format.h>

#include <fstream>
#include <set>

namespace folio::cli {
namespace {

namespace fs = std::filesystem;

// `--format paths`: path:line per hit, for an editor or xargs; everything
// else as text.
class PathsPrinter : public Printer {
 public:
  PathsPrinter(std::FILE* out, TextStyle style)
      : out_(out), base_(style.relative_to), text_(make_text_printer(out, std::move(style))) {}
  void index_report(const IndexReport& report, double seconds, bool compacted) override {
    text_->index_report(report, seconds, compacted);
  }
  void search_results(const SearchResults& results) override {
    for (const Hit& hit : results.hits) {
      fmt::print(out_, "{}:{}\n", display_path(hit.section.path, base_), hit.section.line);
    }
  }
  void sections(const std::vector<ShownSection>& s) override { text_->sections(s); }
  void stats(const IndexStats& st) override { text_->stats(st); }
  void entities(const std::vector<EntityCount>& e) override { text_->entities(e); }
  void extracted(const Article& a) override { text_->extracted(a); }

 protected:
  std::FILE* out_;
  fs::path base_;
  std::unique_ptr<Printer> text_;
};

// The lines of a section's file that the vimgrep printer looks through
// for the hit's word, from the section's first line.
constexpr int kVimgrepScanLines = 5000;

class VimgrepPrinter final : public PathsPrinter {
 public:
  using PathsPrinter::PathsPrinter;
  void search_results(const SearchResults& results) override {
    for (const Hit& hit : results.hits) {
      const std::string path = display_path(hit.section.path, base_);
      const auto [line, column, text] = locate(hit);
      fmt::print(out_, "{}:{}:{}:{}\n", path, line, column, text);
    }
  }

 private:
  struct Location {
    int line;
    std::size_t column;  // 1-based, in bytes, as ripgrep's
    std::string text;
  };

  // Where the first highlighted word of the hit is in its file.
  static Location locate(const Hit& hit) {
    const Snippet& snippet = hit.snippet;
    Location fallback{hit.section.line, 1, snippet.text};
    if (snippet.highlights.empty()) return fallback;
    const std::string word =
        snippet.text.substr(snippet.highlights.front().first, snippet.highlights.front().second);
    std::ifstream in(hit.section.path);
    std::string text;
    for (int n = 1; n < hit.section.line + kVimgrepScanLines && std::getline(in, text); ++n) {
      if (n < hit.section.line) continue;
      if (!text.empty() && text.back() == '\r') text.pop_back();
      if (const std::size_t at = text.find(word); at != std::string::npos) return {n, at + 1, text};
    }
    return fallback;
  }
};

// `--format ids`: one hit id a line.
class IdsPrinter final : public PathsPrinter {
 public:
  using PathsPrinter::PathsPrinter;
  void search_results(const SearchResults& results) override {
    for (const Hit& hit : results.hits) fmt::print(out_, "{}\n", hit.id);
  }
};

// `--format files`: each article's path once, in the order of its best hit.
class FilesPrinter final : public PathsPrinter {
 public:
  using PathsPrinter::PathsPrinter;
  void search_results(const SearchResults& results) override {
    std::set<std::string> seen;
    for (const Hit& hit : results.hits) {
      if (seen.insert(hit.section.path).second) {
        fmt::print(out_, "{}\n", display_path(hit.section.path, base_));
      }
    }
  }
};

}  // namespace

std::string display_path(const std::string& path, const fs::path& base) {
  if (base.empty()) return path;
  const fs::path rel = fs::path(path).lexically_relative(base);
  if (rel.empty() || *rel.begin() == "..") return path;
  return rel.string();
}

std::unique_ptr<Printer> make_paths_printer(std::FILE* out, TextStyle style) {
  return std::make_unique<PathsPrinter>(out, std::move(style));
}

std::unique_ptr<Printer> make_vimgrep_printer(std::FILE* out, TextStyle style) {
  return std::make_unique<VimgrepPrinter>(out, std::move(style));
}

std::unique_ptr<Printer> make_ids_printer(std::FILE* out, TextStyle style) {
  return std::make_unique<IdsPrinter>(out, std::move(style));
}

std::unique_ptr<Printer> make_files_printer(std::FILE* out, TextStyle style) {
  return std::make_unique<FilesPrinter>(out, std::move(style));
}

}  // namespace folio::cli
