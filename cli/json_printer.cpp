// The JSON printer: one JSON document per command, in the format
// docs/json-format.md documents (kJsonFormatVersion).
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "printers.hpp"

namespace folio::cli {
namespace {

using nlohmann::json;

// "2026-12-01T18:40:02Z".
std::string utc_time(std::int64_t unix_seconds) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(static_cast<std::time_t>(unix_seconds)));
}

json date_json(const Date& date) { return date.known() ? json(date.iso()) : json(nullptr); }

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

json orgs_json(const std::vector<Org>& orgs) {
  json list = json::array();
  for (const Org& o : orgs) list.push_back({{"id", o.id}, {"name", o.name}});
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
          {std::string(schema::info(schema::Field::person).plural), people_json(s.people)},
          {std::string(schema::info(schema::Field::place).plural), places_json(s.places)},
          {std::string(schema::info(schema::Field::org).plural), orgs_json(s.orgs)}};
}

json histogram_json(const DateHistogram& h) {
  json bars = json::array();
  for (const HistogramBar& bar : h.bars) bars.push_back({{"period", bar.period}, {"count", bar.count}});
  return {{"granularity", h.granularity == DateGranularity::year    ? "year"
                          : h.granularity == DateGranularity::month ? "month"
                                                                    : "day"},
          {"counts", std::move(bars)},
          {"undated", h.undated}};
}

class JsonPrinter final : public Printer {
 public:
  explicit JsonPrinter(std::FILE* out) : out_(out) {}

  void index_report(const IndexReport& report, double seconds, bool compacted) override {
    json skipped = json::array();
    for (const SkippedFile& s : report.skipped) skipped.push_back({{"path", s.path}, {"reason", s.reason}});
    json warnings = json::array();
    for (const SkippedFile& w : report.warned) warnings.push_back({{"path", w.path}, {"reason", w.reason}});
    emit({{"version", kJsonFormatVersion},
          {"added", report.added},
          {"updated", report.updated},
          {"removed", report.removed},
          {"unchanged", report.unchanged},
          {"skipped", std::move(skipped)},
          {"skipped_unchanged", report.skipped_unchanged},
          {"warnings", std::move(warnings)},
          {"sections", report.sections},
          {"seconds", seconds},
          {"compacted", compacted},
          {"interrupted", report.interrupted}});
  }

  void search_results(const SearchResults& results) override {
    json hits = json::array();
    for (const Hit& hit : results.hits) {
      json h = section_json(hit.section);
      h["rank"] = hit.rank;
      h["id"] = hit.id;
      h["score"] = hit.score;
      h["all_words"] = hit.all_words;
      h["snippet"] = hit.snippet.text;
      json ranges = json::array();
      for (const auto& [start, length] : hit.snippet.highlights) {
        ranges.push_back({start, length});
      }
      h["highlights"] = std::move(ranges);
      if (results.by_article) h["other_sections"] = hit.other_sections;
      h["copies"] = hit.copies;
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
      // What is counted: the matches `total` counts; when the query was
      // relaxed, those with every word (not the relaxed hits).
      json f{{"counts", facet.by_article ? "articles" : "sections"},
             {"of", results.relaxed ? "all_words" : "matches"},
             {"disjunctive", facet.disjunctive},
             {"distinct", facet.distinct},
             {"values", std::move(values)}};
      if (schema::info(facet.spec.field).kind == schema::FieldKind::date) {
        f["granularity"] = facet.spec.granularity == DateGranularity::year    ? "year"
                           : facet.spec.granularity == DateGranularity::month ? "month"
                                                                              : "day";
      }
      facets[std::string(to_string(facet.spec.field))] = std::move(f);
    }
    json doc = {{"version", kJsonFormatVersion},
                {"query", results.query},
                {"total", results.total},
                {"relaxed_total", results.relaxed_total},
                {"mode", results.mode == MatchMode::all   ? "all"
                         : results.mode == MatchMode::any ? "any"
                                                          : "relaxed"},
                {"time_limited", results.time_limited},
                {"counts", results.by_article ? "articles" : "sections"},
                {"filters", std::move(filters)},
                {"hits", std::move(hits)},
                {"facets", std::move(facets)},
                {"suggestion", results.suggestion.empty() ? json(nullptr) : json(results.suggestion)}};
    // A cluster searched with --partial: the nodes that did not answer.
    if (!results.missing_nodes.empty()) doc["missing_nodes"] = results.missing_nodes;
    if (results.histogram) doc["histogram"] = histogram_json(*results.histogram);
    emit(doc);
  }

  void sections(const std::vector<ShownSection>& sections) override {
    json list = json::array();
    for (const auto& [id, s] : sections) {
      json j = section_json(s);
      j["id"] = id;
      j["text"] = s.text;
      list.push_back(std::move(j));
    }
    emit({{"version", kJsonFormatVersion}, {"sections", std::move(list)}});
  }

  static json roots_json(const std::vector<schema::RootRecord>& roots) {
    json list = json::array();
    for (const schema::RootRecord& r : roots) {
      list.push_back({{"path", r.path},
                      {"real_path", r.real_path},
                      {"excludes", r.excludes},
                      {"indexed_at", r.indexed_at == 0 ? json(nullptr) : json(utc_time(r.indexed_at))}});
    }
    return list;
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
          {"size_bytes", st.size_bytes},
          {"roots", roots_json(st.roots)}});
  }

  void entities(const std::vector<EntityCount>& list) override {
    json items = json::array();
    for (const auto& e : list) {
      const schema::FieldInfo& field = schema::info(e.record.type);
      json j{{"type", std::string(field.name)}, {"id", e.record.id},      {"name", e.record.name},
             {"aliases", e.record.aliases},     {"sections", e.sections}, {"articles", e.articles}};
      if (field.roll_up) {
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
                          {std::string(schema::info(schema::Field::person).plural), people_json(s.people)},
                          {std::string(schema::info(schema::Field::place).plural), places_json(s.places)},
                          {std::string(schema::info(schema::Field::org).plural), orgs_json(s.orgs)},
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

std::unique_ptr<Printer> make_json_printer(std::FILE* out) { return std::make_unique<JsonPrinter>(out); }

}  // namespace folio::cli
