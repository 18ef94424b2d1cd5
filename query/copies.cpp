#include "copies.hpp"

#include <algorithm>
#include <map>

namespace folio::query {
namespace {

// The document of a section id, if the index has it.
std::optional<Xapian::Document> document_of(const Xapian::Database& db, const std::string& section_id) {
  const std::string term = schema::section_id_term(section_id);
  const Xapian::PostingIterator it = db.postlist_begin(term);
  if (it == db.postlist_end(term)) return std::nullopt;
  return db.get_document(*it);
}

}  // namespace

void merge_copies(const Xapian::Database& db, std::vector<Hit>& hits,
                  const std::vector<Xapian::doccount>& collapse_counts, bool by_article) {
  for (std::size_t i = 0; i < hits.size(); ++i) {
    Hit& hit = hits[i];
    // Nothing was collapsed into the hit: it has no copy that matched.
    if (collapse_counts[i] == 0) continue;
    const std::optional<Xapian::Document> doc = document_of(db, hit.id);
    if (!doc) continue;
    const std::string key = doc->get_value(schema::kArticleCopySlot);
    if (key.empty()) continue;
    const std::string own_article = doc->get_value(schema::kArticleSlot);
    // One section of each other article with the key: its path.
    std::map<std::string, Xapian::docid> articles;
    const std::string term = std::string(schema::kCopyPrefix) + key;
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
      const std::string article = db.get_document(*it).get_value(schema::kArticleSlot);
      if (article != own_article) articles.emplace(article, *it);
    }
    for (const auto& [article, docid] : articles) {
      hit.copies.push_back(schema::SectionData::from_json(db.get_document(docid).get_data()).path);
    }
    std::sort(hit.copies.begin(), hit.copies.end());
    if (by_article && !hit.copies.empty()) {
      // The collapse count is every other matching section of every copy;
      // a copy has the same text, so the same sections match in each.
      const auto copies = static_cast<Xapian::doccount>(hit.copies.size());
      const Xapian::doccount per_article = (collapse_counts[i] + 1) / (copies + 1);
      hit.other_sections = per_article > 0 ? per_article - 1 : 0;
    }
  }
}

}  // namespace folio::query
