// `--format tsv`: search hits as tab-separated lines, for fzf, cut and awk.
#include <fmt/format.h>

#include "printers.hpp"

namespace folio::cli {
namespace {

class TsvPrinter final : public Printer {
 public:
  TsvPrinter(std::FILE* out, TextStyle style)
      : out_(out), base_(style.relative_to), text_(make_text_printer(out, std::move(style))) {}

  void index_report(const IndexReport& report, double seconds, bool compacted) override {
    text_->index_report(report, seconds, compacted);
  }
  // kTsvColumns, in order.
  void search_results(const SearchResults& results) override {
    for (const Hit& hit : results.hits) {
      const schema::SectionData& s = hit.section;
      fmt::print(out_, "{}\t{:.3f}\t{}\t{}:{}\t{}\t{}\t{}\n", hit.rank, hit.score,
                 s.date.known() ? s.date.iso() : "", tsv_field(display_path(s.path, base_)), s.line,
                 tsv_field(hit.id), tsv_field(s.title), tsv_field(s.heading));
    }
  }
  void sections(const std::vector<ShownSection>& s) override { text_->sections(s); }
  void stats(const IndexStats& st) override { text_->stats(st); }
  void entities(const std::vector<EntityCount>& e) override { text_->entities(e); }
  void extracted(const Article& a) override { text_->extracted(a); }

 private:
  std::FILE* out_;
  std::filesystem::path base_;
  std::unique_ptr<Printer> text_;
};

}  // namespace

std::string tsv_field(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::unique_ptr<Printer> make_tsv_printer(std::FILE* out, TextStyle style) {
  return std::make_unique<TsvPrinter>(out, std::move(style));
}

}  // namespace folio::cli
