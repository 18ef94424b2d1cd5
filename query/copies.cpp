#include "copies.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <utility>

#include "folio/error.hpp"

namespace folio::query {
namespace {

// The document of a section id, if the index has it.
std::optional<Xapian::Document> document_of(const Xapian::Database& db, const std::string& section_id) {
  const std::string term = schema::section_id_term(section_id);
  const Xapian::PostingIterator it = db.postlist_begin(term);
  if (it == db.postlist_end(term)) return std::nullopt;
  return db.get_document(*it);
}

std::size_t mix(std::uint64_t hash, std::uint64_t section) {
  return static_cast<std::size_t>(hash ^ (section * 0x9E3779B97F4A7C15ULL));
}

// A key in a node's answer: the hash and the section + 1, 8 bytes each,
// little-endian.
constexpr std::size_t kPackedSlot = 16;

void pack(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffU));
}

std::uint64_t unpack(const char* in) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8U | static_cast<unsigned char>(in[i]);
  return v;
}

// The sections of each article merged into a hit, as merge_copies() counts
// them from the collapse count: a copy has the same text, so the same
// sections match in each.
Xapian::doccount per_article(Xapian::doccount collapsed, std::size_t copies) {
  const Xapian::doccount n = (collapsed + 1) / (static_cast<Xapian::doccount>(copies) + 1);
  return n > 0 ? n - 1 : 0;
}

}  // namespace

void CopyKeys::add(std::string_view value) {
  if (value.empty()) return;
  ++keyed_;
  const std::optional<schema::CopyKey> key = schema::parse_copy_key(value);
  if (!key) {
    others_.emplace(value);
    return;
  }
  insert(key->content_hash, std::uint64_t{key->section} + 1);
}

void CopyKeys::merge(const CopyKeys& other) {
  keyed_ += other.keyed_;
  for (const Slot& slot : other.slots_) {
    if (slot.section != 0) insert(slot.hash, slot.section);
  }
  others_.insert(other.others_.begin(), other.others_.end());
}

void CopyKeys::insert(std::uint64_t hash, std::uint64_t section) {
  if (2 * (used_ + 1) > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = mix(hash, section) & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.section == 0) {
      slot = {hash, section};
      ++used_;
      return;
    }
    if (slot.hash == hash && slot.section == section) return;
  }
}

void CopyKeys::grow() {
  std::vector<Slot> old =
      std::exchange(slots_, std::vector<Slot>(std::max<std::size_t>(1024, 2 * slots_.size())));
  used_ = 0;
  for (const Slot& slot : old) {
    if (slot.section != 0) insert(slot.hash, slot.section);
  }
}

void CopyKeys::write(node::Writer& w) const {
  std::string packed;
  packed.reserve(used_ * kPackedSlot);
  for (const Slot& slot : slots_) {
    if (slot.section == 0) continue;
    pack(packed, slot.hash);
    pack(packed, slot.section);
  }
  w.put_uint(keyed_).put_string(packed).put_strings({others_.begin(), others_.end()});
}

CopyKeys CopyKeys::read(node::Reader& r) {
  CopyKeys keys;
  const auto keyed = static_cast<Xapian::doccount>(r.get_uint());
  const std::string packed = r.get_string();
  if (packed.size() % kPackedSlot != 0) throw Error("a malformed message: copy keys");
  for (std::size_t i = 0; i < packed.size(); i += kPackedSlot) {
    const std::uint64_t section = unpack(packed.data() + i + 8);
    if (section == 0) throw Error("a malformed message: copy keys");
    keys.insert(unpack(packed.data() + i), section);
  }
  for (std::string& other : r.get_strings()) keys.others_.insert(std::move(other));
  keys.keyed_ = keyed;
  return keys;
}

CopyKeys copy_keys_of(const Xapian::Database& db, const Xapian::Query& query) {
  CopyKeySpy spy;
  Xapian::Enquire enquire(db);
  enquire.set_time_limit(kSearchTimeLimit);
  enquire.set_query(query);
  enquire.add_matchspy(&spy);
  enquire.get_mset(0, 0, db.get_doccount());
  return spy.keys();
}

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
    HitCopies copies;
    copies.merged = true;
    copies.collapsed = collapse_counts[i];
    for (const auto& [article, docid] : articles) {
      copies.paths.push_back(schema::SectionData::from_json(db.get_document(docid).get_data()).path);
    }
    std::sort(copies.paths.begin(), copies.paths.end());
    apply_copies(hit, std::move(copies), by_article);
  }
}

std::vector<std::vector<CopyArticle>> copy_articles_of(const Xapian::Database& db, const Xapian::Query& query,
                                                       const std::vector<std::string>& content_keys) {
  std::vector<std::vector<CopyArticle>> out;
  for (const std::string& key : content_keys) {
    const std::string term = std::string(schema::kCopyPrefix) + key;
    std::map<std::string, CopyArticle> articles;
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
      const Xapian::Document doc = db.get_document(*it, Xapian::DOC_ASSUME_VALID);
      const std::string article = doc.get_value(schema::kArticleSlot);
      if (articles.count(article) != 0) continue;
      articles[article] = {article, schema::SectionData::from_json(doc.get_data()).path, {}};
    }
    if (!articles.empty()) {
      Xapian::Enquire enquire(db);
      enquire.set_time_limit(kSearchTimeLimit);
      enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(term)));
      const Xapian::MSet mset = enquire.get_mset(0, db.get_termfreq(term));
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        const Xapian::Document doc = it.get_document();
        const auto found = articles.find(doc.get_value(schema::kArticleSlot));
        const std::optional<schema::CopyKey> copy = schema::parse_copy_key(doc.get_value(schema::kCopySlot));
        if (found != articles.end() && copy) found->second.matched.push_back(copy->section);
      }
    }
    std::vector<CopyArticle> list;
    for (auto& [id, article] : articles) list.push_back(std::move(article));
    out.push_back(std::move(list));
  }
  return out;
}

HitCopies copies_of_hit(const HitKey& hit, const std::vector<CopyArticle>& articles, bool by_article) {
  HitCopies copies;
  if (hit.content_key.empty()) return copies;
  // An article may be listed by several parts only if it were in two
  // shards, which it never is: each one once.
  std::map<std::string, const CopyArticle*> by_id;
  for (const CopyArticle& a : articles) by_id.emplace(a.article, &a);
  Xapian::doccount matched = 0;
  for (const auto& [id, a] : by_id) {
    matched += static_cast<Xapian::doccount>(a->matched.size());
    if (id == hit.article) continue;
    copies.paths.push_back(a->path);
    // Without by_article, hits collapse on the section's copy key: the
    // same section of another article matched.
    if (!by_article && std::find(a->matched.begin(), a->matched.end(), hit.section) != a->matched.end()) {
      copies.merged = true;
    }
  }
  // By article, they collapse on the content key: any other matching
  // section of the article or of a copy.
  if (by_article) {
    copies.collapsed = matched > 0 ? matched - 1 : 0;
    copies.merged = copies.collapsed > 0;
  }
  std::sort(copies.paths.begin(), copies.paths.end());
  return copies;
}

void apply_copies(Hit& hit, HitCopies copies, bool by_article) {
  if (!copies.merged) return;
  hit.copies = std::move(copies.paths);
  if (by_article && !hit.copies.empty())
    hit.other_sections = per_article(copies.collapsed, hit.copies.size());
}

}  // namespace folio::query
