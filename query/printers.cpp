#include "folio/printers.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "folio/text.hpp"

namespace folio {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Ansi {
  const char* bold;
  const char* match;
  const char* path;
  const char* line;
  const char* dim;
  const char* reset;
};
constexpr Ansi kColor{"\x1b[1m", "\x1b[1;31m", "\x1b[35m", "\x1b[32m", "\x1b[2m",
                      "\x1b[0m"};
constexpr Ansi kPlain{"", "", "", "", "", ""};

std::string date_text(const Date& date) {
  return date.known() ? date.iso() : "undated";
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

template <typename Entity>
std::string names(const std::vector<Entity>& entities) {
  std::string out;
  for (const auto& e : entities) {
    if (!out.empty()) out += ", ";
    out += e.name;
  }
  return out;
}

// "people: A, B · places: C" or "" when there are none.
std::string entity_line(const std::vector<Person>& people, const std::vector<Place>& places) {
  std::string out;
  if (!people.empty()) out = "people: " + names(people);
  if (!places.empty()) out += (out.empty() ? "" : " · ") + ("places: " + names(places));
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
    for (const Hit& hit : results.hits) {
      const auto& s = hit.section;
      fmt::print(out_, "{}. {}{}{}", hit.rank, c_.bold, s.title, c_.reset);
      if (!s.heading.empty()) fmt::print(out_, " › {}", s.heading);
      fmt::print(out_, "\n   {} · {}{}{}:{}{}{} · {}{}{}\n", date_text(s.date), c_.path,
                 display_path(s.path, style_.relative_to), c_.reset, c_.line, s.line,
                 c_.reset, c_.dim, hit.id, c_.reset);
      if (const std::string entities = entity_line(s.people, s.places); !entities.empty()) {
        fmt::print(out_, "   {}{}{}\n", c_.dim, entities, c_.reset);
      }
      if (!hit.snippet.text.empty()) {
        fmt::print(out_, "   {}\n", highlighted(hit.snippet));
      }
      if (hit.other_sections > 0) {
        fmt::print(out_, "   {}+{} more matching section{} in this article{}\n", c_.dim,
                   hit.other_sections, hit.other_sections == 1 ? "" : "s", c_.reset);
      }
      fmt::print(out_, "\n");
    }
    if (results.total > 0) {
      fmt::print(out_, "{} matching {}{}", results.total, results.by_article ? "article" : "section",
                 results.total == 1 ? "" : "s");
      if (!results.hits.empty() && results.hits.size() < results.total) {
        fmt::print(out_, ", showing {}-{}", results.hits.front().rank, results.hits.back().rank);
      }
      fmt::print(out_, "\n");
    }
    if (!results.suggestion.empty()) fmt::print(out_, "did you mean: {}\n", results.suggestion);
    for (const Facet& facet : results.facets) print_facet(facet);
  }

  void sections(const std::vector<schema::SectionData>& sections,
                const std::string& article_id) override {
    bool first = true;
    for (const auto& s : sections) {
      if (!first) fmt::print(out_, "\n");
      first = false;
      fmt::print(out_, "{}id:{}       {}\n", c_.dim, c_.reset,
                 schema::section_id(article_id, s.index));
      fmt::print(out_, "{}title:{}    {}{}{}\n", c_.dim, c_.reset, c_.bold, s.title, c_.reset);
      fmt::print(out_, "{}heading:{}  {}\n", c_.dim, c_.reset,
                 s.heading.empty() ? "(lead)" : s.heading);
      fmt::print(out_, "{}date:{}     {}\n", c_.dim, c_.reset, date_text(s.date));
      if (!s.authors.empty()) {
        fmt::print(out_, "{}authors:{}  {}\n", c_.dim, c_.reset, join(s.authors, ", "));
      }
      if (!s.people.empty()) fmt::print(out_, "{}people:{}   {}\n", c_.dim, c_.reset, names(s.people));
      if (!s.places.empty()) fmt::print(out_, "{}places:{}   {}\n", c_.dim, c_.reset, names(s.places));
      fmt::print(out_, "{}path:{}     {}{}{}:{}{}{}\n\n", c_.dim, c_.reset, c_.path,
                 display_path(s.path, style_.relative_to), c_.reset, c_.line, s.line,
                 c_.reset);
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
    fmt::print(out_, "not indexed:    {} file{} (empty, binary, too large or unreadable)\n", st.skipped_files, st.skipped_files == 1 ? "" : "s");
    fmt::print(out_, "sections:       {}\n", st.sections);
    fmt::print(out_, "undated:        {} sections\n", st.undated_sections);
    if (!st.earliest.empty()) {
      fmt::print(out_, "dates:          {} .. {}\n", st.earliest, st.latest);
    }
    fmt::print(out_, "size:           {} in {} shard{}\n", human_size(st.size_bytes), st.shards,
               st.shards == 1 ? "" : "s");
  }

  void entities(const std::vector<EntityCount>& list) override {
    if (list.empty()) return;
    std::size_t id_width = 2;
    std::size_t name_width = 4;
    for (const auto& e : list) {
      id_width = std::max(id_width, utf8_length(e.record.id));
      name_width = std::max(name_width, utf8_length(e.record.name));
    }
    auto pad = [](const std::string& s, std::size_t width) {
      return s + std::string(width - std::min(width, utf8_length(s)), ' ');
    };
    fmt::print(out_, "{}{:<7} {} {} {:>8} {:>8}  {}{}\n", c_.dim, "type", pad("id", id_width),
               pad("name", name_width), "sections", "articles", "aliases", c_.reset);
    for (const auto& e : list) {
      const bool person = e.record.type == schema::EntityRecord::Type::person;
      fmt::print(out_, "{:<7} {} {}{}{} {:>8} {:>8}  {}\n",
                 person ? "person" : to_string(e.record.kind), pad(e.record.id, id_width), c_.bold,
                 pad(e.record.name, name_width), c_.reset, e.sections, e.articles,
                 join(e.record.aliases, ", "));
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
      fmt::print(out_, "  [{}] line {:<4} {}\n", s.index, s.line,
                 s.heading.empty() ? "(lead)" : s.heading);
      if (!s.people.empty()) fmt::print(out_, "      people: {}\n", names(s.people));
      if (!s.places.empty()) fmt::print(out_, "      places: {}\n", names(s.places));
    }
  }

 private:
  void print_facet(const Facet& facet) {
    std::string title = to_string(facet.spec.field);
    if (facet.spec.field == FacetField::date) {
      title += facet.spec.granularity == DateGranularity::year    ? " by year"
               : facet.spec.granularity == DateGranularity::month ? " by month"
                                                                  : " by day";
    }
    fmt::print(out_, "\n{}{}{} ({}{}{}):\n", c_.bold, title, c_.reset,
               facet.by_article ? "articles" : "sections",
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

json date_json(const Date& date) {
  return date.known() ? json(date.iso()) : json(nullptr);
}

json people_json(const std::vector<Person>& people) {
  json list = json::array();
  for (const Person& p : people) list.push_back({{"id", p.id}, {"name", p.name}});
  return list;
}

json places_json(const std::vector<Place>& places) {
  json list = json::array();
  for (const Place& p : places) {
    list.push_back({{"id", p.id},
                    {"name", p.name},
                    {"kind", to_string(p.kind)},
                    {"country", p.country.empty() ? json(nullptr) : json(p.country)}});
  }
  return list;
}

json section_json(const schema::SectionData& s) {
  return {{"title", s.title},
          {"heading", s.heading},
          {"section", s.index},
          {"path", s.path},
          {"line", s.line},
          {"date", date_json(s.date)},
          {"date_precision", to_string(s.date.precision)},
          {"authors", s.authors},
          {"people", people_json(s.people)},
          {"places", places_json(s.places)}};
}

class JsonPrinter final : public Printer {
 public:
  explicit JsonPrinter(std::FILE* out) : out_(out) {}

  void search_results(const SearchResults& results) override {
    json hits = json::array();
    for (const Hit& hit : results.hits) {
      json h = section_json(hit.section);
      h["rank"] = hit.rank;
      h["id"] = hit.id;
      h["score"] = hit.score;
      h["snippet"] = hit.snippet.text;
      json ranges = json::array();
      for (const auto& [start, length] : hit.snippet.highlights) {
        ranges.push_back({start, length});
      }
      h["highlights"] = std::move(ranges);
      if (results.by_article) h["other_sections"] = hit.other_sections;
      hits.push_back(std::move(h));
    }
    json filters = json::array();
    for (const ResolvedFilter& f : results.filters) {
      filters.push_back({{"field", f.field}, {"input", f.input}, {"id", f.id}, {"name", f.name}});
    }
    json facets = json::object();
    for (const Facet& facet : results.facets) {
      json values = json::array();
      for (const FacetValue& v : facet.values) {
        values.push_back({{"value", v.value}, {"name", v.name}, {"count", v.count}});
      }
      json f{{"counts", facet.by_article ? "articles" : "sections"},
             {"disjunctive", facet.disjunctive},
             {"distinct", facet.distinct},
             {"values", std::move(values)}};
      if (facet.spec.field == FacetField::date) {
        f["granularity"] = facet.spec.granularity == DateGranularity::year    ? "year"
                           : facet.spec.granularity == DateGranularity::month ? "month"
                                                                              : "day";
      }
      facets[to_string(facet.spec.field)] = std::move(f);
    }
    emit({{"version", kJsonFormatVersion},
          {"query", results.query},
          {"total", results.total},
          {"counts", results.by_article ? "articles" : "sections"},
          {"filters", std::move(filters)},
          {"hits", std::move(hits)},
          {"facets", std::move(facets)},
          {"suggestion", results.suggestion.empty() ? json(nullptr) : json(results.suggestion)}});
  }

  void sections(const std::vector<schema::SectionData>& sections,
                const std::string& article_id) override {
    json list = json::array();
    for (const auto& s : sections) {
      json j = section_json(s);
      j["id"] = schema::section_id(article_id, s.index);
      j["text"] = s.text;
      list.push_back(std::move(j));
    }
    emit({{"version", kJsonFormatVersion}, {"sections", std::move(list)}});
  }

  void stats(const IndexStats& st) override {
    emit({{"version", kJsonFormatVersion},
          {"path", st.path},
          {"schema_version", st.schema_version},
          {"articles", st.articles},
          {"skipped_files", st.skipped_files},
          {"sections", st.sections},
          {"undated_sections", st.undated_sections},
          {"earliest", st.earliest.empty() ? json(nullptr) : json(st.earliest)},
          {"latest", st.latest.empty() ? json(nullptr) : json(st.latest)},
          {"shards", st.shards},
          {"size_bytes", st.size_bytes}});
  }

  void entities(const std::vector<EntityCount>& list) override {
    json items = json::array();
    for (const auto& e : list) {
      const bool person = e.record.type == schema::EntityRecord::Type::person;
      json j{{"type", person ? "person" : "place"},
             {"id", e.record.id},
             {"name", e.record.name},
             {"aliases", e.record.aliases},
             {"sections", e.sections},
             {"articles", e.articles}};
      if (!person) {
        j["kind"] = to_string(e.record.kind);
        j["country"] = e.record.country.empty() ? json(nullptr) : json(e.record.country);
      }
      items.push_back(std::move(j));
    }
    emit({{"version", kJsonFormatVersion}, {"entities", std::move(items)}});
  }

  void extracted(const Article& a) override {
    json sections = json::array();
    for (const Section& s : a.sections) {
      sections.push_back({{"index", s.index},
                          {"heading", s.heading},
                          {"line", s.line},
                          {"people", people_json(s.people)},
                          {"places", places_json(s.places)},
                          {"text", s.text}});
    }
    emit({{"version", kJsonFormatVersion},
          {"path", a.path},
          {"title", a.title},
          {"authors", a.authors},
          {"date", date_json(a.date)},
          {"date_precision", to_string(a.date.precision)},
          {"sections", std::move(sections)}});
  }

 private:
  // One JSON document per line; stored text is valid UTF-8 by construction.
  void emit(const json& j) { fmt::print(out_, "{}\n", j.dump()); }

  std::FILE* out_;
};

}  // namespace

std::string display_path(const std::string& path, const fs::path& base) {
  if (base.empty()) return path;
  const fs::path rel = fs::path(path).lexically_relative(base);
  if (rel.empty() || *rel.begin() == "..") return path;
  return rel.string();
}

std::unique_ptr<Printer> make_text_printer(std::FILE* out, TextStyle style) {
  return std::make_unique<TextPrinter>(out, std::move(style));
}

namespace {

// `--format paths`: path:line per hit, for an editor or xargs; everything
// else as text.
class PathsPrinter final : public Printer {
 public:
  PathsPrinter(std::FILE* out, TextStyle style) : out_(out), base_(style.relative_to), text_(out, std::move(style)) {}
  void search_results(const SearchResults& results) override {
    for (const Hit& hit : results.hits) {
      fmt::print(out_, "{}:{}\n", display_path(hit.section.path, base_), hit.section.line);
    }
  }
  void sections(const std::vector<schema::SectionData>& s, const std::string& id) override {
    text_.sections(s, id);
  }
  void stats(const IndexStats& st) override { text_.stats(st); }
  void entities(const std::vector<EntityCount>& e) override { text_.entities(e); }
  void extracted(const Article& a) override { text_.extracted(a); }

 private:
  std::FILE* out_;
  fs::path base_;
  TextPrinter text_;
};

}  // namespace

std::unique_ptr<Printer> make_paths_printer(std::FILE* out, TextStyle style) {
  return std::make_unique<PathsPrinter>(out, std::move(style));
}

std::unique_ptr<Printer> make_json_printer(std::FILE* out) {
  return std::make_unique<JsonPrinter>(out);
}

}  // namespace folio
