// The text printer: what people read on a terminal, optionally coloured.
#include "printers.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>

#include "folio/text.hpp"

namespace folio::cli {
namespace {

struct Ansi {
  const char* bold;
  const char* match;
  const char* path;
  const char* line;
  const char* dim;
  const char* reset;
};
constexpr Ansi kColor{"\x1b[1m", "\x1b[1;31m", "\x1b[35m", "\x1b[32m", "\x1b[2m", "\x1b[0m"};
constexpr Ansi kPlain{"", "", "", "", "", ""};

std::string date_text(const Date& date) { return date.known() ? date.iso() : "undated"; }

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

// The names of `entities`, the first `most` of them and "+N more" for the
// rest when there are more.
template <typename Entity>
std::string names(const std::vector<Entity>& entities, std::size_t most = SIZE_MAX) {
  std::string out;
  std::size_t shown = 0;
  for (const auto& e : entities) {
    if (shown == most) return fmt::format("{} +{} more", out, entities.size() - shown);
    if (!out.empty()) out += ", ";
    out += e.name;
    ++shown;
  }
  return out;
}

// The names of each kind a hit lists; the rest are counted ("+3 more").
constexpr std::size_t kHitNames = 6;

// "people: A, B · places: C · organisations: D" or "" when there are none.
std::string entity_line(const std::vector<Person>& people, const std::vector<Place>& places,
                        const std::vector<Org>& orgs) {
  std::string out;
  if (!people.empty()) {
    out = fmt::format("{}: {}", schema::info(schema::Field::person).plural, names(people, kHitNames));
  }
  if (!places.empty()) {
    out += fmt::format("{}{}: {}", out.empty() ? "" : " · ", schema::info(schema::Field::place).plural,
                       names(places, kHitNames));
  }
  if (!orgs.empty()) {
    out += fmt::format("{}{}: {}", out.empty() ? "" : " · ", schema::info(schema::Field::org).plural,
                       names(orgs, kHitNames));
  }
  return out;
}

// The widest the id and name columns of `folio entities` grow.
constexpr std::size_t kEntityColumn = 28;

// A bar of `eighths` eighths of a character cell, in Unicode block elements.
std::string bar(std::size_t eighths) {
  static constexpr std::array<std::string_view, 8> kPartial = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  std::string out;
  for (std::size_t i = 0; i < eighths / 8; ++i) out += "█";
  out += kPartial[eighths % 8];
  return out;
}

std::string human_size(std::uintmax_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

class TextPrinter final : public Printer {
 public:
  TextPrinter(std::FILE* out, TextStyle style)
      : out_(out), style_(std::move(style)), c_(style_.color ? kColor : kPlain) {}

  void index_report(const IndexReport& report, double seconds, bool /*compacted*/) override {
    // Files skipped before and unchanged since were reported then: only counted now.
    const std::string earlier =
        report.skipped_unchanged == 0
            ? ""
            : fmt::format(" (and {} skipped before, unchanged)", report.skipped_unchanged);
    // Pages indexed without article text are counted apart (they are in
    // "added"/"updated" too), only when there are some.
    const std::string no_text =
        report.warned.empty() ? "" : fmt::format(", {} without article text", report.warned.size());
    fmt::print(out_,
               "{} added, {} updated, {} removed, {} unchanged, {} skipped{}{}; "
               "{} sections written in {:.2f}s\n",
               report.added, report.updated, report.removed, report.unchanged, report.skipped.size(), earlier,
               no_text, report.sections, seconds);
  }

  void search_results(const SearchResults& results) override {
    if (!results.filters.empty()) {
      std::string line;
      for (const ResolvedFilter& f : results.filters) {
        if (!line.empty()) line += " · ";
        line += f.field;
        if (!f.name.empty()) line += " " + f.name;
      }
      fmt::print(out_, "{}filters: {}{}\n\n", c_.dim, line, c_.reset);
    }
    bool strict = true;
    for (const Hit& hit : results.hits) {
      if (results.relaxed && strict && !hit.all_words) {
        strict = false;
        fmt::print(out_, "{}sections with most of the words:{}\n\n", c_.dim, c_.reset);
      }
      const auto& s = hit.section;
      fmt::print(out_, "{}. {}{}{}", hit.rank, c_.bold, s.title, c_.reset);
      if (!s.heading.empty()) fmt::print(out_, " › {}", s.heading);
      if (!hit.copies.empty()) {
        fmt::print(out_, " {}(+{} cop{}){}", c_.dim, hit.copies.size(), hit.copies.size() == 1 ? "y" : "ies",
                   c_.reset);
      }
      fmt::print(out_, "\n   {} · {}{}{}:{}{}{} · {}{}{}\n", date_text(s.date), c_.path,
                 display_path(s.path, style_.relative_to), c_.reset, c_.line, s.line, c_.reset, c_.dim,
                 hit.id, c_.reset);
      if (const std::string entities = entity_line(s.people, s.places, s.orgs); !entities.empty()) {
        fmt::print(out_, "   {}{}{}\n", c_.dim, entities, c_.reset);
      }
      if (!hit.snippet.text.empty()) {
        fmt::print(out_, "   {}\n", highlighted(hit.snippet));
      }
      if (hit.other_sections > 0) {
        fmt::print(out_, "   {}+{} more matching section{} in this article{}\n", c_.dim, hit.other_sections,
                   hit.other_sections == 1 ? "" : "s", c_.reset);
      }
      fmt::print(out_, "\n");
    }
    const std::string_view unit = results.by_article ? "article" : "section";
    {
      // Also "0 matching sections": nothing found is said, not left blank.
      fmt::print(out_, "{} matching {}{}", results.total, unit, results.total == 1 ? "" : "s");
      if (results.mode == MatchMode::relaxed && results.relaxed) {
        fmt::print(out_, " with every word, {} with most of them", results.relaxed_total);
      }
      if (!results.hits.empty() && results.hits.size() < results.total + results.relaxed_total) {
        fmt::print(out_, ", showing {}-{}", results.hits.front().rank, results.hits.back().rank);
      }
      fmt::print(out_, "\n");
    }
    if (!results.suggestion.empty()) fmt::print(out_, "did you mean: {}\n", results.suggestion);
    for (const Facet& facet : results.facets) print_facet(facet, results.relaxed);
    if (results.histogram) print_histogram(*results.histogram);
  }

  void sections(const std::vector<ShownSection>& sections) override {
    bool first = true;
    for (const auto& [id, s] : sections) {
      if (!first) fmt::print(out_, "\n");
      first = false;
      fmt::print(out_, "{}id:{}       {}\n", c_.dim, c_.reset, id);
      fmt::print(out_, "{}title:{}    {}{}{}\n", c_.dim, c_.reset, c_.bold, s.title, c_.reset);
      fmt::print(out_, "{}heading:{}  {}\n", c_.dim, c_.reset, s.heading.empty() ? "(lead)" : s.heading);
      fmt::print(out_, "{}date:{}     {}\n", c_.dim, c_.reset, date_text(s.date));
      if (!s.authors.empty()) {
        fmt::print(out_, "{}authors:{}  {}\n", c_.dim, c_.reset, join(s.authors, ", "));
      }
      if (!s.people.empty()) fmt::print(out_, "{}people:{}   {}\n", c_.dim, c_.reset, names(s.people));
      if (!s.places.empty()) fmt::print(out_, "{}places:{}   {}\n", c_.dim, c_.reset, names(s.places));
      if (!s.orgs.empty()) fmt::print(out_, "{}orgs:{}     {}\n", c_.dim, c_.reset, names(s.orgs));
      fmt::print(out_, "{}path:{}     {}{}{}:{}{}{}\n\n", c_.dim, c_.reset, c_.path,
                 display_path(s.path, style_.relative_to), c_.reset, c_.line, s.line, c_.reset);
      std::string text = s.text;
      for (std::size_t pos = 0; (pos = text.find('\n', pos)) != std::string::npos; pos += 2) {
        text.replace(pos, 1, "\n\n");
      }
      fmt::print(out_, "{}\n", text);
    }
  }

  void stats(const IndexStats& st) override {
    fmt::print(out_, "index:          {}\n", st.path);
    fmt::print(out_, "schema version: {}\n", st.schema_version);
    fmt::print(out_, "articles:       {}\n", st.articles);
    fmt::print(out_, "not indexed:    {} file{} (empty, binary, too large or unreadable)\n", st.skipped_files,
               st.skipped_files == 1 ? "" : "s");
    fmt::print(out_, "sections:       {}\n", st.sections);
    fmt::print(out_, "undated:        {} sections\n", st.undated_sections);
    if (!st.earliest.empty()) {
      fmt::print(out_, "dates:          {} .. {}\n", st.earliest, st.latest);
    }
    fmt::print(out_, "size:           {} in {} shard{}\n", human_size(st.size_bytes), st.shards,
               st.shards == 1 ? "" : "s");
    const char* label = "folders:        ";
    if (st.roots.empty()) fmt::print(out_, "{}none stored (`folio index FOLDER` adds one)\n", label);
    for (const schema::RootRecord& r : st.roots) {
      const std::string when = r.indexed_at == 0
                                   ? std::string("not completely indexed yet")
                                   : fmt::format("indexed {:%Y-%m-%d %H:%M}",
                                                 fmt::localtime(static_cast<std::time_t>(r.indexed_at)));
      fmt::print(out_, "{}{}  {}{}{}\n", label, r.path, when, r.excludes.empty() ? "" : ", excluding ",
                 join(r.excludes, " "));
      label = "                ";
    }
  }

  void entities(const std::vector<EntityCount>& list) override {
    if (list.empty()) return;
    // The columns fit the ids and names up to kEntityColumn characters; a
    // longer one is printed whole and pushes the rest of its own row only.
    std::size_t id_width = 2;
    std::size_t name_width = 4;
    for (const auto& e : list) {
      id_width = std::max(id_width, std::min(kEntityColumn, utf8_length(e.record.id)));
      name_width = std::max(name_width, std::min(kEntityColumn, utf8_length(e.record.name)));
    }
    auto pad = [](const std::string& s, std::size_t width) {
      return s + std::string(width - std::min(width, utf8_length(s)), ' ');
    };
    fmt::print(out_, "{}{:<7} {} {} {:>8} {:>8}  {}{}\n", c_.dim, "type", pad("id", id_width),
               pad("name", name_width), "sections", "articles", "aliases", c_.reset);
    for (const auto& e : list) {
      // Places by their kind: "country", "city" ...
      const schema::FieldInfo& field = schema::info(e.record.type);
      fmt::print(out_, "{:<7} {} {}{}{} {:>8} {:>8}  {}\n",
                 field.roll_up ? std::string_view(to_string(e.record.kind)) : field.name,
                 pad(e.record.id, id_width), c_.bold, pad(e.record.name, name_width), c_.reset, e.sections,
                 e.articles, join(e.record.aliases, ", "));
    }
  }

  void extracted(const Article& a) override {
    fmt::print(out_, "{}{}{}\n", c_.path, display_path(a.path, style_.relative_to), c_.reset);
    fmt::print(out_, "  title:    {}\n", a.title);
    fmt::print(out_, "  authors:  {}\n", a.authors.empty() ? "-" : join(a.authors, "; "));
    fmt::print(out_, "  date:     {} ({})\n", a.date.known() ? a.date.iso() : "-",
               to_string(a.date.precision));
    fmt::print(out_, "  sections: {}\n", a.sections.size());
    for (const Section& s : a.sections) {
      fmt::print(out_, "  [{}] line {:<4} {}\n", s.index, s.line, s.heading.empty() ? "(lead)" : s.heading);
      if (!s.people.empty()) fmt::print(out_, "      people: {}\n", names(s.people));
      if (!s.places.empty()) fmt::print(out_, "      places: {}\n", names(s.places));
      if (!s.orgs.empty()) fmt::print(out_, "      orgs:   {}\n", names(s.orgs));
    }
  }

 private:
  // One line per period: the period, its count, and a bar as long as the
  // terminal allows for the largest count.
  void print_histogram(const DateHistogram& h) {
    const std::string_view by = h.granularity == DateGranularity::year    ? "year"
                                : h.granularity == DateGranularity::month ? "month"
                                                                          : "day";
    fmt::print(out_, "\n{}matching sections by {}{}:\n", c_.bold, by, c_.reset);
    std::vector<HistogramBar> rows = h.bars;
    if (h.undated > 0) rows.push_back({"undated", h.undated});
    if (rows.empty()) {
      fmt::print(out_, "  (none)\n");
      return;
    }
    std::size_t label_width = 0;
    std::size_t count_width = 1;
    Xapian::doccount most = 1;
    for (const HistogramBar& row : rows) {
      label_width = std::max(label_width, row.period.size());
      count_width = std::max(count_width, fmt::formatted_size("{}", row.count));
      most = std::max(most, row.count);
    }
    // "  LABEL  COUNT BAR", and the last column free.
    constexpr std::size_t kMinBar = 10;
    constexpr std::size_t kMaxBar = 60;
    const std::size_t used = 2 + label_width + 2 + count_width + 1 + 1;
    const std::size_t width =
        std::clamp(style_.columns > used ? style_.columns - used : std::size_t{0}, kMinBar, kMaxBar);
    for (const HistogramBar& row : rows) {
      std::size_t eighths = static_cast<std::size_t>(row.count) * width * 8 / most;
      if (row.count > 0 && eighths == 0) eighths = 1;  // a match is never invisible
      fmt::print(out_, "  {:<{}}  {:>{}}{}{}\n", row.period, label_width, row.count, count_width,
                 eighths > 0 ? " " : "", bar(eighths));
    }
  }

  // `relaxed`: facets count the sections with every word, not the relaxed
  // hits after them; the title says so.
  void print_facet(const Facet& facet, bool relaxed) {
    std::string title(to_string(facet.spec.field));
    if (schema::info(facet.spec.field).kind == schema::FieldKind::date) {
      title += facet.spec.granularity == DateGranularity::year    ? " by year"
               : facet.spec.granularity == DateGranularity::month ? " by month"
                                                                  : " by day";
    }
    fmt::print(out_, "\n{}{}{} ({}{}{}{}):\n", c_.bold, title, c_.reset,
               facet.by_article ? "articles" : "sections", relaxed ? " with every word" : "",
               facet.disjunctive ? ", without its own filter" : "",
               facet.values.size() < facet.distinct
                   ? fmt::format(", top {} of {}", facet.values.size(), facet.distinct)
                   : "");
    if (facet.values.empty()) fmt::print(out_, "  (none)\n");
    std::size_t width = 1;
    for (const FacetValue& v : facet.values) width = std::max(width, fmt::formatted_size("{}", v.count));
    for (const FacetValue& v : facet.values) {
      fmt::print(out_, "  {:>{}}  {}", v.count, width, v.name);
      if (v.name != v.value) fmt::print(out_, "  {}{}{}", c_.dim, v.value, c_.reset);
      fmt::print(out_, "\n");
    }
  }

  std::string highlighted(const Snippet& snippet) const {
    std::string out;
    std::size_t at = 0;
    for (const auto& [start, length] : snippet.highlights) {
      out.append(snippet.text, at, start - at);
      out += c_.match;
      out.append(snippet.text, start, length);
      out += c_.reset;
      at = start + length;
    }
    out.append(snippet.text, at);
    return out;
  }

  std::FILE* out_;
  TextStyle style_;
  Ansi c_;
};

}  // namespace

std::unique_ptr<Printer> make_text_printer(std::FILE* out, TextStyle style) {
  return std::make_unique<TextPrinter>(out, std::move(style));
}

}  // namespace folio::cli
