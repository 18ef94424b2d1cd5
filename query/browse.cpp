// Looking things up in the index without a query: one section or article
// (`folio show`), the index's statistics, and its entities.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

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

IndexStats index_stats(const Index& index) {
  const Xapian::Database& db = index.db();
  IndexStats stats;
  stats.path = index.dir().string();
  stats.shards = index.shard_count();
  stats.sections = db.get_doccount();
  stats.articles = index.count_metadata(schema::kFileKeyPrefix);
  stats.skipped_files = index.count_metadata(schema::kBadFileKeyPrefix);
  // Xapian's value bounds may be loose after deletions: scan for exact ones.
  std::string earliest, latest;
  for (auto v = db.valuestream_begin(schema::kDateSlot); v != db.valuestream_end(schema::kDateSlot); ++v) {
    if (earliest.empty() || *v < earliest) earliest = *v;
    if (*v > latest) latest = *v;
  }
  stats.earliest = iso_of_day_key(earliest);
  stats.latest = iso_of_day_key(latest);
  stats.undated_sections = db.get_termfreq(std::string(schema::kUndatedTerm));
  stats.schema_version = std::stoi(db.get_metadata(std::string(schema::kVersionKey)));
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(index.dir(), ec)) {
    if (entry.is_regular_file(ec)) stats.size_bytes += entry.file_size(ec);
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
  std::stable_sort(out.begin(), out.end(), [](const EntityCount& a, const EntityCount& b) {
    if (a.sections != b.sections) return a.sections > b.sections;
    return a.record.name < b.record.name;
  });
  return out;
}

}  // namespace folio
