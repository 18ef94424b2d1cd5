#include "resolve.hpp"

#include <fmt/format.h>

#include <fmt/ranges.h>

#include <algorithm>
#include <functional>
#include <set>
#include <tuple>

#include "folio/error.hpp"
#include "folio/text.hpp"

namespace folio::query {
namespace {

using Type = schema::EntityRecord::Type;

std::string_view type_name(Type type) { return schema::info(type).name; }

// Whether a section mentions the entity: by its own term, or, for a
// country, by the roll-up term of its places.
bool mentioned(const Xapian::Database& db, const schema::EntityRecord& r) {
  const std::optional<schema::Field> roll_up = schema::info(r.type).roll_up;
  return db.term_exists(schema::entity_term(r.type, r.id)) ||
         (roll_up && db.term_exists(schema::entity_term(*roll_up, r.id)));
}

std::string describe(const schema::EntityRecord& r) {
  if (!schema::info(r.type).roll_up) return fmt::format("{} ({})", r.name, r.id);
  return fmt::format("{} ({}, {}{})", r.name, r.id, to_string(r.kind),
                     r.country.empty() || r.country == r.id ? "" : " in " + r.country);
}

// "a, b or c"
std::string list_of(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

constexpr std::size_t kShownCandidates = 5;

// The closest of `names` (folded name, label, mentions) to `wanted`, at
// most kShownCandidates: by edit distance, then by mentions.
std::vector<std::string> closest(
    const std::string& wanted,
    const std::vector<std::tuple<std::string, std::string, Xapian::doccount>>& names) {
  std::vector<std::tuple<std::size_t, Xapian::doccount, std::string>> scored;
  for (const auto& [key, label, count] : names) scored.emplace_back(edit_distance(wanted, key), count, label);
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
    return std::get<0>(a) != std::get<0>(b) ? std::get<0>(a) < std::get<0>(b)
                                            : std::get<1>(a) > std::get<1>(b);
  });
  std::vector<std::string> out;
  for (const auto& [distance, count, label] : scored) {
    if (out.size() == kShownCandidates || distance > std::max<std::size_t>(3, wanted.size() / 2)) break;
    if (std::find(out.begin(), out.end(), label) == out.end()) out.push_back(label);
  }
  return out;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

const std::vector<schema::EntityRecord>& NameResolver::records(Type type) {
  auto cached = records_.find(type);
  if (cached == records_.end()) {
    std::vector<schema::EntityRecord> mentioned_records;
    for (schema::EntityRecord& r : index_.entities(type)) {
      // Entities no section mentions any more cannot be filtered on, nor
      // those the user suppressed.
      if (!mentioned(db_, r) || (curation_ != nullptr && curation_->suppressed(type, r.id))) continue;
      if (curation_ != nullptr) curation_->apply(r);
      mentioned_records.push_back(std::move(r));
    }
    cached = records_.emplace(type, std::move(mentioned_records)).first;
  }
  return cached->second;
}

const schema::EntityRecord& NameResolver::redirect(const schema::EntityRecord& r) {
  const std::optional<std::string> into = merged_into(r.type, r.id);
  if (!into) return r;
  std::optional<schema::EntityRecord> full = index_.entity(r.type, *into);
  if (!full || (curation_ != nullptr && curation_->suppressed(r.type, full->id))) return r;
  if (curation_ != nullptr) curation_->apply(*full);
  return direct_.emplace_back(std::move(*full));
}

const schema::EntityRecord& NameResolver::resolve(Type type, std::string_view name) {
  // An id typed exactly wins ("georgia"): look it up without reading the
  // whole registry.
  if (std::optional<schema::EntityRecord> r = index_.entity(type, name)) {
    if (mentioned(db_, *r) && (curation_ == nullptr || !curation_->suppressed(type, r->id))) {
      if (curation_ != nullptr) curation_->apply(*r);
      return redirect(direct_.emplace_back(std::move(*r)));
    }
  }
  const std::vector<schema::EntityRecord>& all = records(type);
  const std::string wanted = fold(name);
  const std::string wanted_slug = slug(name);
  if (wanted.empty()) throw Error(fmt::format("empty {} name", type_name(type)));

  std::vector<const schema::EntityRecord*> exact;
  std::vector<const schema::EntityRecord*> prefix;
  bool any_exact = false;
  // Whole words of a name: "trump" in "donald trump".
  auto has_words = [&](const std::string& folded) {
    return (" " + folded + " ").find(" " + wanted + " ") != std::string::npos;
  };
  // A name may be ambiguous ("Georgia": the country and the U.S. state).
  for (const schema::EntityRecord& r : all) {
    const std::string folded_name = fold(r.name);
    bool is_exact = folded_name == wanted;
    for (const std::string& alias : r.aliases) is_exact = is_exact || fold(alias) == wanted;
    any_exact = any_exact || is_exact;
    if (is_exact || has_words(folded_name)) {
      exact.push_back(&r);
    } else if (folded_name.starts_with(wanted) || r.id.starts_with(wanted_slug)) {
      prefix.push_back(&r);
    }
  }
  // Another name the lexicon or the entities file gives ("Soviet Union"
  // for russia), though no article wrote it: as good as an exact name.
  const Curation::Rule* other_name = curation_ != nullptr ? curation_->alias_rule(type, wanted) : nullptr;
  if (other_name != nullptr) {
    for (const schema::EntityRecord& r : all) {
      const bool listed = std::any_of(exact.begin(), exact.end(), [&](const auto* e) { return e == &r; });
      if (r.id == other_name->id && !listed) exact.push_back(&r);
    }
    any_exact = any_exact || std::any_of(exact.begin(), exact.end(),
                                         [&](const auto* e) { return e->id == other_name->id; });
  }
  // Words of names alone are no better than prefixes: "Washington" is
  // "Washington, D.C." or a prefix of other names.
  if (!any_exact) exact.insert(exact.end(), prefix.begin(), prefix.end());
  auto& found = exact.empty() ? prefix : exact;
  if (found.size() > 1) {
    // "Reagan": the surname-only person and the full name it is merged
    // into are one person (so are entities the user merged).
    std::vector<const schema::EntityRecord*> kept;
    for (const auto* r : found) {
      const std::optional<std::string> into = merged_into(type, r->id);
      const bool covered =
          into && std::any_of(found.begin(), found.end(), [&](const auto* o) { return o->id == *into; });
      if (!covered) kept.push_back(r);
    }
    found = kept;
  }
  if (found.size() == 1) {
    // Found only by a name no article used: say where the name is from.
    if (other_name != nullptr && found.front()->id == other_name->id && fold(found.front()->name) != wanted &&
        std::none_of(found.front()->aliases.begin(), found.front()->aliases.end(),
                     [&](const std::string& a) { return fold(a) == wanted; })) {
      choice_ = fmt::format("{} ('{}' is a name of {}: {})", found.front()->name, other_name->value,
                            found.front()->id, other_name->where);
    }
    return redirect(*found.front());
  }
  if (found.size() > 1) {
    std::vector<std::pair<Xapian::doccount, const schema::EntityRecord*>> counted;
    for (const auto* r : found) counted.emplace_back(mentions(*r), r);
    std::stable_sort(counted.begin(), counted.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    if (counted[0].first >= kDominance * std::max<Xapian::doccount>(counted[1].first, 1) &&
        counted[0].first >= counted[1].first + kMinLead) {
      std::vector<std::string> others;
      for (std::size_t i = 1; i < counted.size() && i <= 2; ++i) {
        others.push_back(fmt::format("{}, {}", counted[i].second->name, counted[i].first));
      }
      choice_ = fmt::format("{} ({} section{}; also {}{})", counted[0].second->name, counted[0].first,
                            counted[0].first == 1 ? "" : "s", fmt::join(others, "; "),
                            counted.size() > 3 ? "; ..." : "");
      return redirect(*counted[0].second);
    }
    std::vector<std::string> names;
    for (const auto& [count, r] : counted) {
      if (names.size() < kShownCandidates) names.push_back(fmt::format("{}: {}", describe(*r), count));
    }
    throw Error(fmt::format("{} '{}' is ambiguous: {}{}; give the id", type_name(type), name, list_of(names),
                            found.size() > kShownCandidates ? " ..." : ""));
  }
  std::vector<std::tuple<std::string, std::string, Xapian::doccount>> names;
  for (const schema::EntityRecord& r : all) {
    const Xapian::doccount count = mentions(r);
    const std::string label = fmt::format("{}: {}", describe(r), count);
    names.emplace_back(fold(r.name), label, count);
    for (const std::string& alias : r.aliases) names.emplace_back(fold(alias), label, count);
  }
  const std::vector<std::string> near = closest(wanted, names);
  throw Error(fmt::format("no {} '{}' in the index{}{}", type_name(type), name,
                          near.empty() ? "" : "; closest: ", list_of(near)));
}

Xapian::doccount NameResolver::mentions(const schema::EntityRecord& r) const {
  const std::optional<schema::Field> roll_up = schema::info(r.type).roll_up;
  Xapian::doccount n = db_.get_termfreq(schema::entity_term(r.type, r.id));
  if (roll_up) n = std::max(n, db_.get_termfreq(schema::entity_term(*roll_up, r.id)));
  return n;
}

NameResolver::Author NameResolver::resolve_author(std::string_view name) {
  const std::string wanted = fold(name);
  const std::string prefix(schema::info(schema::Field::author).prefix);
  // Author terms are lower-cased names; compare them folded, so that case
  // and accents do not matter ("zoe" finds "Zoë").
  std::vector<std::pair<std::string, std::string>> authors;  // folded, term body
  for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t) {
    const std::string body = (*t).substr(prefix.size());
    authors.emplace_back(fold(body), body);
  }
  std::vector<std::string> found;
  for (const auto& [folded, body] : authors) {
    if (folded == wanted) found = {body};
  }
  if (found.empty()) {
    // Every word of the name is a word of the author's name: "doe", "jane".
    for (const auto& [folded, body] : authors) {
      const std::string padded = " " + folded + " ";
      bool all = !wanted.empty();
      std::string_view rest = wanted;
      while (all && !rest.empty()) {
        const std::size_t sp = rest.find(' ');
        all = padded.find(fmt::format(" {} ", rest.substr(0, sp))) != std::string::npos;
        rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
      }
      if (all) found.push_back(body);
    }
  }
  if (found.size() == 1) {
    // The name as an article writes it, for messages and facets.
    const std::string term = prefix + found.front();
    std::string display = found.front();
    if (auto p = db_.postlist_begin(term); p != db_.postlist_end(term)) {
      const std::string facets =
          db_.get_document(*p, Xapian::DOC_ASSUME_VALID).get_value(schema::kFacetsSlot);
      const auto fields = schema::split_facets_value(facets);
      for (const std::string& a :
           schema::split_ids(fields[schema::info(schema::Field::author).facet_position])) {
        if (schema::author_term(a) == term) display = a;
      }
    }
    return {term, display};
  }
  if (found.size() > 1) {
    if (found.size() > kShownCandidates) found.resize(kShownCandidates);
    throw Error(fmt::format("author '{}' is ambiguous: {}", name, list_of(found)));
  }
  std::vector<std::tuple<std::string, std::string, Xapian::doccount>> author_names;
  for (const auto& [folded, body] : authors) {
    author_names.emplace_back(folded, body, db_.get_termfreq(prefix + body));
  }
  const std::vector<std::string> near = closest(wanted, author_names);
  throw Error(
      fmt::format("no author '{}' in the index{}{}", name, near.empty() ? "" : "; closest: ", list_of(near)));
}

const std::map<std::string, std::string>& NameResolver::merges() {
  if (merges_) return *merges_;
  merges_.emplace();
  const std::vector<schema::EntityRecord>& people = records(Type::person);
  std::map<std::string, std::vector<std::pair<Xapian::doccount, std::string>>> by_surname;
  std::set<std::string> singles;
  for (const schema::EntityRecord& r : people) {
    const std::size_t dash = r.id.rfind('-');
    if (dash == std::string::npos) {
      singles.insert(r.id);
    } else {
      by_surname[r.id.substr(dash + 1)].emplace_back(
          db_.get_termfreq(schema::entity_term(Type::person, r.id)), r.id);
    }
  }
  for (const std::string& surname : singles) {
    auto it = by_surname.find(surname);
    if (it == by_surname.end()) continue;
    auto& full = it->second;
    std::sort(full.begin(), full.end(), std::greater<>());
    if (full.size() == 1 || full[0].first >= kMergeDominance * full[1].first) {
      (*merges_)[surname] = full[0].second;
    }
  }
  return *merges_;
}

std::optional<std::string> NameResolver::merged_into(const std::string& person_id) {
  const auto& m = merges();
  const auto it = m.find(person_id);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> NameResolver::merged_from(const std::string& person_id) {
  std::vector<std::string> out;
  for (const auto& [surname, full] : merges()) {
    if (full == person_id) out.push_back(surname);
  }
  return out;
}

std::optional<std::string> NameResolver::merged_into(Type type, const std::string& id) {
  std::optional<std::string> into;
  if (curation_ != nullptr) into = curation_->merged_into(type, id);
  if (type == Type::person) {
    // A surname merge of the entity or of what the user merged it into.
    if (std::optional<std::string> full = merged_into(into ? *into : id); full && *full != id) into = full;
  }
  return into;
}

std::vector<std::string> NameResolver::merged_from(Type type, const std::string& id) {
  std::vector<std::string> out;
  if (curation_ != nullptr) out = curation_->merged_from(type, id);
  if (type == Type::person) {
    std::vector<std::string> more = merged_from(id);
    for (const std::string& from : std::vector<std::string>(out)) {
      const std::vector<std::string> of_it = merged_from(from);
      more.insert(more.end(), of_it.begin(), of_it.end());
    }
    for (std::string& m : more) {
      if (m != id && std::find(out.begin(), out.end(), m) == out.end()) out.push_back(std::move(m));
    }
  }
  return out;
}

std::string NameResolver::display_name(Type type, const std::string& id) {
  if (curation_ != nullptr) {
    if (std::optional<std::string> renamed = curation_->name(type, id)) return *renamed;
  }
  const std::optional<schema::EntityRecord> r = index_.entity(type, id);
  return r ? r->name : id;
}

}  // namespace folio::query
