#include "shard_writer.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace folio {

void EntityRegistry::add(const Article& article) {
  using Type = schema::EntityRecord::Type;
  for (const Section& section : article.sections) {
    for (const Person& p : section.people) {
      merge(Type::person, p.id, p.name, p.aliases, PlaceKind::country, "");
    }
    for (const Org& o : section.orgs) merge(Type::org, o.id, o.name, o.aliases, PlaceKind::country, "");
    for (const Place& p : section.places) {
      merge(Type::place, p.id, p.name, p.aliases, p.kind, p.country);
      // A place's country gets a record too, for the country facet and
      // filter, even if no article names the country itself.
      if (!p.country.empty() && p.country != p.id) {
        merge(Type::place, p.country, p.country_name, {}, PlaceKind::country, p.country);
      }
    }
  }
}

void EntityRegistry::flush() {
  for (const std::string& key : dirty_) db_.set_metadata(key, cache_.at(key).to_json());
  dirty_.clear();
}

void EntityRegistry::merge(schema::EntityRecord::Type type, const std::string& id, const std::string& name,
                           const std::vector<std::string>& aliases, PlaceKind kind,
                           const std::string& country) {
  const std::string key = schema::entity_key(type, id);
  auto it = cache_.find(key);
  bool fresh = false;
  if (it == cache_.end()) {
    const std::string stored = db_.get_metadata(key);
    fresh = stored.empty();
    schema::EntityRecord record;
    if (stored.empty()) {
      record = {type, id, name, {}, kind, country};
    } else {
      record = schema::EntityRecord::from_json(type, id, stored);
    }
    it = cache_.emplace(key, std::move(record)).first;
  }
  if (it->second.add_aliases(aliases) || fresh) dirty_.insert(key);
}

namespace {

std::size_t count_keys(const Xapian::Database& db, std::string_view prefix) {
  std::size_t n = 0;
  for (auto k = db.metadata_keys_begin(std::string(prefix)); k != db.metadata_keys_end(std::string(prefix));
       ++k) {
    ++n;
  }
  return n;
}

}  // namespace

ShardWriter::ShardWriter(Xapian::WritableDatabase& db, std::size_t files_per_commit)
    : db_(&db), registry_(db), files_per_commit_(files_per_commit) {
  // Counted once when the shard has no up-to-date counts (an index made
  // before they were kept); kept from then on.
  const std::string counts = db.get_metadata(std::string(schema::kCountsKey));
  unsigned long long files = 0, bad = 0, sections = 0;
  if (std::sscanf(counts.c_str(), "%llu %llu %llu", &files, &bad, &sections) == 3 &&
      sections == db.get_doccount()) {
    files_ = files;
    bad_files_ = bad;
  } else {
    files_ = count_keys(db, schema::kFileKeyPrefix);
    bad_files_ = count_keys(db, schema::kBadFileKeyPrefix);
  }
}

void ShardWriter::apply(const FileResult& r) {
  switch (r.kind) {
    case FileResult::Kind::unchanged:
    case FileResult::Kind::still_skipped:
      return;
    case FileResult::Kind::touched:
      db_->set_metadata(schema::file_key(r.id), r.record.to_json());
      break;
    case FileResult::Kind::changed:
      replace_article(r);
      break;
    case FileResult::Kind::skipped:
      // Not remembered (it could not even be stat()ed): nothing to write.
      if (!r.bad_record && !r.had_record && !r.had_bad_record) return;
      remember_bad_file(r);
      break;
  }
  count_change();
}

void ShardWriter::replace_article(const FileResult& r) {
  registry_.add(r.article);
  // The whole article is replaced inside one commit: a reader never sees
  // half of it.
  if (r.had_record) db_->delete_document(schema::article_term(r.id));
  // The old sections are gone (or there were none): add, without the
  // look-up replace_document() would make for each id term.
  for (const Xapian::Document& doc : r.documents) db_->add_document(doc);
  db_->set_metadata(schema::file_key(r.id), r.record.to_json());
  if (!r.had_record) ++files_;
  if (r.had_bad_record) {
    db_->set_metadata(schema::bad_file_key(r.id), "");
    --bad_files_;
  }
}

void ShardWriter::remember_bad_file(const FileResult& r) {
  // A file that was indexed and no longer can be loses its sections: the
  // index shows what the folder holds now.
  if (r.had_record) {
    db_->delete_document(schema::article_term(r.id));
    db_->set_metadata(schema::file_key(r.id), "");
    --files_;
  }
  db_->set_metadata(schema::bad_file_key(r.id), r.bad_record ? r.bad_record->to_json() : "");
  if (r.bad_record && !r.had_bad_record) ++bad_files_;
  if (!r.bad_record && r.had_bad_record) --bad_files_;
}

void ShardWriter::forget(const std::string& id) {
  if (!db_->get_metadata(schema::file_key(id)).empty()) --files_;
  if (!db_->get_metadata(schema::bad_file_key(id)).empty()) --bad_files_;
  db_->delete_document(schema::article_term(id));
  db_->set_metadata(schema::file_key(id), "");
  db_->set_metadata(schema::bad_file_key(id), "");
}

void ShardWriter::count_change() {
  if (++uncommitted_ >= files_per_commit_) commit();
}

void ShardWriter::commit() {
  registry_.flush();
  db_->set_metadata(std::string(schema::kCountsKey),
                    fmt::format("{} {} {}", files_, bad_files_, db_->get_doccount()));
  db_->commit();
  uncommitted_ = 0;
}

}  // namespace folio
