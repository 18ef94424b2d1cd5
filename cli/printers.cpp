// What the printers share, and the paths printer.
#include "printers.hpp"

#include <fmt/format.h>

namespace folio::cli {
namespace {

namespace fs = std::filesystem;

// `--format paths`: path:line per hit, for an editor or xargs; everything
// else as text.
class PathsPrinter final : public Printer {
 public:
  PathsPrinter(std::FILE* out, TextStyle style)
      : out_(out), base_(style.relative_to), text_(make_text_printer(out, std::move(style))) {}
  void index_report(const IndexReport& report, double seconds) override {
    text_->index_report(report, seconds);
  }
  void search_results(const SearchResults& results) override {
    for (const Hit& hit : results.hits) {
      fmt::print(out_, "{}:{}\n", display_path(hit.section.path, base_), hit.section.line);
    }
  }
  void sections(const std::vector<schema::SectionData>& s, const std::string& id) override {
    text_->sections(s, id);
  }
  void stats(const IndexStats& st) override { text_->stats(st); }
  void entities(const std::vector<EntityCount>& e) override { text_->entities(e); }
  void extracted(const Article& a) override { text_->extracted(a); }

 private:
  std::FILE* out_;
  fs::path base_;
  std::unique_ptr<Printer> text_;
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

}  // namespace folio::cli
