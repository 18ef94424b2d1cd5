// Looking things up in the index without a query: one section or article
// (`folio show`), the index's statistics, and its entities.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>
#include <utility>

#include "cluster.hpp"
#include "folio/curation.hpp"
#include "folio/date.hpp"
#include "folio/error.hpp"
#include "folio/search.hpp"
#include "folio/text.hpp"
#include "resolve.hpp"

namespace folio {

std::vector<schema::SectionData> find_sections(const Xapian::Database& db, const std::string& id) {
  const bool is_section = schema::parse_section_id(id).has_value();
  const std::string term = is_section ? schema::section_id_term(id) : schema::article_term(id);
  std::vector<schema::SectionData> sections;
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
    sections.push_back(schema::SectionData::from_json(db.get_document(*p).get_data()));
  }
  if (sections.empty()) {
    throw Error(fmt::format("no {} with id '{}' in the index", is_section ? "section" : "article", id));
  }
  std::sort(sections.begin(), sections.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  return sections;
}

namespace {

// The shard counts of schema::kCountsKey, summed: {files, bad files}, or
// nullopt when a shard has none or stale ones.
std::optional<std::pair<std::size_t, std::size_t>> stored_counts(const Index& index) {
  std::size_t files = 0, bad = 0;
  for (const Xapian::Database& shard : index.local_shards()) {
    const std::string counts = shard.get_metadata(std::string(schema::kCountsKey));
    unsigned long long f = 0, b = 0, sections = 0;
    if (std::sscanf(counts.c_str(), "%llu %llu %llu", &f, &b, &sections) != 3 ||
        sections != shard.get_doccount()) {
      return std::nullopt;
    }
    files += f;
    bad += b;
  }
  return std::make_pair(files, bad);
}

// The terms with `prefix`, in order. Each step is a skip_to() past the
// term, not ++: the iterator's ++ walks every chunk of the term's posting
// list (the year terms' lists hold every dated section), a skip_to() seeks
// to the next term ("t\0" sorts after t's chunks, before any other term).
std::vector<std::string> terms_of(const Xapian::Database& db, const std::string& prefix) {
  std::vector<std::string> out;
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix);) {
    out.push_back(*t);
    t.skip_to(out.back() + '\0');
  }
  return out;
}

// Whether some section is dated to `term`'s period and no more precisely:
// it has more sections than the `finer` terms together.
bool has_own(const Xapian::Database& db, const std::string& term, const std::vector<std::string>& finer) {
  Xapian::doccount inner = 0;
  for (const std::string& t : finer) inner += db.get_termfreq(t);
  return db.get_termfreq(term) > inner;
}

// The lowest and highest kDateSlot values ("yyyymmdd", the first day of a
// date's period) from the date terms, exact after deletions too (a term
// no section has is gone; Xapian's value bounds would be loose), without a
// pass over the values: the first and last year, month and day terms.
std::pair<std::string, std::string> date_bounds(const Xapian::Database& db) {
  const std::string y(schema::kYearPrefix), m(schema::kMonthPrefix), d(schema::kDayPrefix);
  std::vector<std::string> years;
  for (const std::string& t : terms_of(db, y)) {
    if (t.size() == y.size() + 4) years.push_back(t.substr(y.size()));
  }
  if (years.empty()) return {};
  auto months_of = [&](const std::string& year) {
    std::vector<std::string> out;
    for (const std::string& t : terms_of(db, m + year)) {
      if (t.size() == m.size() + 6) out.push_back(t);
    }
    return out;
  };
  auto days_of = [&](const std::string& month_term) { return terms_of(db, d + month_term.substr(m.size())); };
  std::string earliest, latest;
  {
    const std::string& year = years.front();
    const std::vector<std::string> months = months_of(year);
    if (months.empty() || has_own(db, y + year, months)) {
      earliest = year + "0101";
    } else {
      const std::vector<std::string> days = days_of(months.front());
      earliest = days.empty() || has_own(db, months.front(), days) ? months.front().substr(m.size()) + "01"
                                                                   : days.front().substr(d.size());
    }
  }
  {
    const std::string& year = years.back();
    const std::vector<std::string> months = months_of(year);
    if (months.empty()) {
      latest = year + "0101";
    } else {
      const std::vector<std::string> days = days_of(months.back());
      latest = days.empty() ? months.back().substr(m.size()) + "01" : days.back().substr(d.size());
    }
  }
  return {earliest, latest};
}

}  // namespace

IndexStats index_stats(const Index& index) {
  if (index.is_cluster()) return query::cluster_stats(index);
  const Xapian::Database& db = index.db();
  IndexStats stats;
  stats.path = index.dir().string();
  stats.shards = index.shard_count();
  stats.sections = db.get_doccount();
  // Counting the file keys reads every one: the writer keeps the counts.
  if (const auto counts = stored_counts(index)) {
    stats.articles = counts->first;
    stats.skipped_files = counts->second;
  } else {
    stats.articles = index.count_metadata(schema::kFileKeyPrefix);
    stats.skipped_files = index.count_metadata(schema::kBadFileKeyPrefix);
  }
  const auto [earliest, latest] = date_bounds(db);
  stats.earliest = iso_of_day_key(earliest);
  stats.latest = iso_of_day_key(latest);
  stats.undated_sections = db.get_termfreq(std::string(schema::kUndatedTerm));
  stats.schema_version = std::stoi(db.get_metadata(std::string(schema::kVersionKey)));
  // Each index of a stub over several (`folio join --local`) keeps its own
  // folders: a metadata read of the combined database sees the first one's.
  for (const Xapian::Database& shard : index.local_shards()) {
    for (schema::RootRecord& root : schema::stored_roots(shard)) {
      const bool known = std::any_of(stats.roots.begin(), stats.roots.end(),
                                     [&](const schema::RootRecord& r) { return r.path == root.path; });
      if (!known) stats.roots.push_back(std::move(root));
    }
  }
  std::sort(stats.roots.begin(), stats.roots.end(),
            [](const schema::RootRecord& a, const schema::RootRecord& b) { return a.path < b.path; });
  // The index folder, and the shards a stub names outside it (`folio join
  // --local`: other indexes' shards).
  auto add_size = [&](const std::filesystem::path& dir) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
      if (entry.is_regular_file(ec)) stats.size_bytes += entry.file_size(ec);
    }
  };
  add_size(index.dir());
  for (const std::filesystem::path& shard : index.local_shard_paths()) {
    const auto [end, _] = std::mismatch(index.dir().begin(), index.dir().end(), shard.begin(), shard.end());
    if (end != index.dir().end()) add_size(shard);
  }
  return stats;
}

std::vector<EntityCount> list_entities(const Index& index, const EntityQuery& query) {
  const Xapian::Database& db = index.db();
  const std::string fragment = fold(query.fragment);
  auto matches = [&](const schema::EntityRecord& r) {
    if (fragment.empty()) return true;
    if (fold(r.id).find(fragment) != std::string::npos || fold(r.name).find(fragment) != std::string::npos) {
      return true;
    }
    return std::any_of(r.aliases.begin(), r.aliases.end(),
                       [&](const std::string& a) { return fold(a).find(fragment) != std::string::npos; });
  };
  std::vector<EntityCount> out;
  // A surname-only person merged into a full name is listed as that name,
  // counted as the filters count it (query::NameResolver::merged_into).
  // So is an entity the user merged into another (folio/curation.hpp);
  // one the user suppressed is left out.
  query::NameResolver resolver(index, query.curation);
  // A cluster counts every entity's sections in one request per node.
  std::vector<std::vector<std::string>> cluster_groups;
  for (const schema::FieldInfo& field : schema::kFields) {
    const schema::Field type = field.field;
    if ((field.flags & schema::kRegistry) == 0 ||
        (!query.types.empty() &&
         std::find(query.types.begin(), query.types.end(), type) == query.types.end())) {
      continue;
    }
    for (schema::EntityRecord& record : index.entities(type)) {
      if (resolver.merged_into(type, record.id)) continue;
      if (query.curation != nullptr) {
        if (query.curation->suppressed(type, record.id)) continue;
        query.curation->apply(record);
      }
      std::vector<std::string> ids{record.id};
      for (const std::string& from : resolver.merged_from(type, record.id)) {
        ids.push_back(from);
        record.add_aliases({resolver.display_name(type, from)});
      }
      if (!matches(record)) continue;
      EntityCount c;
      c.record = std::move(record);
      if (index.is_cluster()) {
        for (std::string& id : ids) id = schema::entity_term(type, id);
        cluster_groups.push_back(std::move(ids));
        out.push_back(std::move(c));
        continue;
      }
      std::set<Xapian::docid> sections;
      std::set<std::string> articles;
      for (const std::string& id : ids) {
        const std::string term = schema::entity_term(type, id);
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
          if (!sections.insert(*p).second) continue;
          articles.insert(db.get_document(*p, Xapian::DOC_ASSUME_VALID).get_value(schema::kArticleSlot));
        }
      }
      c.sections = static_cast<Xapian::doccount>(sections.size());
      c.articles = articles.size();
      // Entities whose sections were all removed stay in the registry.
      if (c.sections > 0) out.push_back(std::move(c));
    }
  }
  if (index.is_cluster()) {
    const auto counts = query::cluster_entity_counts(index, cluster_groups);
    std::vector<EntityCount> mentioned;
    for (std::size_t k = 0; k < out.size(); ++k) {
      std::tie(out[k].sections, out[k].articles) = counts[k];
      if (out[k].sections > 0) mentioned.push_back(std::move(out[k]));
    }
    out = std::move(mentioned);
  }
  std::stable_sort(out.begin(), out.end(), [](const EntityCount& a, const EntityCount& b) {
    if (a.sections != b.sections) return a.sections > b.sections;
    return a.record.name < b.record.name;
  });
  return out;
}

}  // namespace folio
