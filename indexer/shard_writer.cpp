#include "shard_writer.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <sstream>

#include "folio/error.hpp"

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
  std::set<std::pair<schema::Field, std::string>> groups;
  for (const std::string& key : dirty_) {
    const schema::EntityRecord& record = cache_.at(key);
    if (curation_ != nullptr && curation_->touches(record.type, record.id)) {
      groups.emplace(record.type, record.id);
    } else {
      db_.set_metadata(key, record.to_json());
    }
  }
  dirty_.clear();
  for (const auto& group : groups) write_group(*curation_, group.first, group.second);
}

std::optional<schema::EntityRecord> EntityRegistry::raw(schema::Field type, const std::string& id) {
  const std::string key = schema::entity_key(type, id);
  if (const auto it = cache_.find(key); it != cache_.end()) return it->second;
  std::string stored = db_.get_metadata(std::string(schema::kRawEntityKeyPrefix) + key);
  if (stored == "-") return std::nullopt;
  if (stored.empty()) stored = db_.get_metadata(key);
  if (stored.empty()) return std::nullopt;
  return cache_.emplace(key, schema::EntityRecord::from_json(type, id, stored)).first->second;
}

void EntityRegistry::write_group(const Curation& curation, schema::Field type, const std::string& id) {
  const std::string into = curation.merged_into(type, id).value_or(id);
  write_member(curation, type, into, into);
  for (const std::string& from : curation.merged_from(type, into)) write_member(curation, type, from, into);
}

// An entity's record as `curation` makes it: none when it is merged into
// another or suppressed; the one it is merged into has the names of those
// merged into it.
void EntityRegistry::write_member(const Curation& curation, schema::Field type, const std::string& id,
                                  const std::string& into) {
  const std::optional<schema::EntityRecord> extracted = raw(type, id);
  std::optional<schema::EntityRecord> record;
  if (id == into && !curation.suppressed(type, id)) {
    record = extracted;
    for (const std::string& from : curation.merged_from(type, into)) {
      if (curation.suppressed(type, from)) continue;
      const std::optional<schema::EntityRecord> other = raw(type, from);
      if (!other) continue;
      if (!record) {
        record = schema::EntityRecord{type, into, other->name, {}, other->kind, other->country};
      } else {
        record->add_aliases({other->name});
      }
      record->add_aliases(other->aliases);
    }
    if (record) curation.apply(*record);
  }
  const std::string key = schema::entity_key(type, id);
  set(key, record ? record->to_json() : "");
  std::string kept;
  if (curation.touches(type, id)) kept = extracted ? extracted->to_json() : record ? "-" : "";
  set(std::string(schema::kRawEntityKeyPrefix) + key, kept);
}

void EntityRegistry::set(const std::string& key, const std::string& value) {
  if (db_.get_metadata(key) != value) db_.set_metadata(key, value);
}

void EntityRegistry::merge(schema::EntityRecord::Type type, const std::string& id, const std::string& name,
                           const std::vector<std::string>& aliases, PlaceKind kind,
                           const std::string& country) {
  const std::string key = schema::entity_key(type, id);
  std::optional<schema::EntityRecord> known = raw(type, id);
  const bool fresh = !known;
  if (fresh) cache_.emplace(key, schema::EntityRecord{type, id, name, {}, kind, country});
  auto it = cache_.find(key);
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

ShardWriter::ShardWriter(Xapian::WritableDatabase& db, std::size_t files_per_commit, const Curation* curation)
    : db_(&db), curation_(curation), registry_(db, curation), files_per_commit_(files_per_commit) {
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
  for (const Xapian::Document& doc : r.documents) {
    if (curation_ != nullptr && curation_->user_rules() != 0 && mentions_touched(doc, *curation_)) {
      Xapian::Document curated = doc;
      curate_document(curated, *curation_,
                      [this](schema::Field type, const std::string& id) { return registry_.raw(type, id); });
      db_->add_document(curated);
    } else {
      db_->add_document(doc);
    }
  }
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

namespace {

std::set<std::string> lines_of(const std::string& text) {
  std::set<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.insert(line);
  return lines;
}

using EntitySet = std::set<std::pair<schema::Field, std::string>>;

// The entities of the rules of `a` that `b` does not have, with the ones
// merged with them in `a` or `b`.
void add_changed(const Curation& a, const Curation& b, EntitySet& out) {
  const std::set<std::string> others = lines_of(b.user_text());
  for (const Curation::Rule& rule : a.rules()) {
    if (rule.from_lexicon || others.count(Curation::rule_text(rule)) != 0) continue;
    out.emplace(rule.type, rule.id);
    if (rule.action == Curation::Action::merge) out.emplace(rule.type, rule.value);
  }
}

void add_merged(const Curation& c, EntitySet& out) {
  for (const auto& [type, id] : EntitySet(out)) {
    const std::string into = c.merged_into(type, id).value_or(id);
    out.emplace(type, into);
    for (const std::string& from : c.merged_from(type, into)) out.emplace(type, from);
  }
}

}  // namespace

bool ShardWriter::update_curation() {
  const Curation none{};
  const Curation& now = curation_ != nullptr ? *curation_ : none;
  const std::string text = now.user_text();
  const std::string stored = db_->get_metadata(std::string(schema::kCurationKey));
  if (text == stored) return false;
  Curation before;
  try {
    std::istringstream in(stored);
    before.read(in, std::string(schema::kCurationKey));
  } catch (const Error&) {
    // Rules this folio cannot read: what they did is undone where the
    // current rules are about the same entities.
  }
  EntitySet changed;
  add_changed(now, before, changed);
  add_changed(before, now, changed);
  add_merged(before, changed);
  add_merged(now, changed);

  // The sections that mention them, as curated before or as extracted.
  std::set<Xapian::docid> docs;
  for (const auto& [type, id] : changed) {
    for (const schema::FieldInfo& f : schema::kFields) {
      if (f.kind != schema::FieldKind::entity || f.named_by != type) continue;
      const std::string term = schema::entity_term(f.field, id);
      for (const std::string& t : {term, std::string(schema::kCuratedAwayPrefix) + term}) {
        for (auto p = db_->postlist_begin(t); p != db_->postlist_end(t); ++p) docs.insert(*p);
      }
    }
  }
  for (const auto& [type, id] : changed) registry_.write_group(now, type, id);
  const Curation::Lookup lookup = [this](schema::Field type, const std::string& id) {
    return registry_.raw(type, id);
  };
  for (const Xapian::docid id : docs) {
    Xapian::Document doc = db_->get_document(id);
    if (curate_document(doc, now, lookup)) db_->replace_document(id, doc);
  }
  db_->set_metadata(std::string(schema::kCurationKey), text);
  return true;
}

}  // namespace folio
