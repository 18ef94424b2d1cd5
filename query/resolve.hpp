// Resolving the names users type in filters ("Biden", "qin gang", "U.S.")
// to the entities and authors stored in the index. Private to query/.
#pragma once

#include <xapian.h>

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "folio/curation.hpp"
#include "folio/database.hpp"
#include "folio/schema.hpp"

namespace folio::query {

class NameResolver {
 public:
  // `curation` (not owned, may be null): the user's merges, renames,
  // aliases and suppressions, applied to every name resolved.
  explicit NameResolver(const Index& index, const Curation* curation = nullptr)
      : index_(index), db_(index.db()), curation_(curation) {}

  // The entity a name means: its id; else the entities whose display name
  // or an alias is the name, in any case and accents, or whose name has it
  // as whole words ("trump", "brown"); else those whose name or id starts
  // with it. Of several, the most mentioned when it is far ahead of the
  // next (kDominance, kMinLead) (take_choice() says so); otherwise throws
  // folio::Error listing the candidates, most mentioned first, with their
  // counts. An unknown name throws listing the closest names (by edit
  // distance, then mentions).
  const schema::EntityRecord& resolve(schema::EntityRecord::Type type, std::string_view name);

  // What the last resolve() chose among several candidates, as
  // ResolvedFilter::choice; "" when the name had one match. Clears it.
  std::string take_choice() { return std::exchange(choice_, std::string()); }

  // The number of sections that mention an entity (a country: also by
  // its places).
  Xapian::doccount mentions(const schema::EntityRecord& r) const;

  // "Far ahead": kDominance times the next one's sections, and kMinLead more.
  static constexpr Xapian::doccount kDominance = 4;
  static constexpr Xapian::doccount kMinLead = 10;

  struct Author {
    std::string term;  // "Ajane doe"
    std::string name;  // "Jane Doe"
  };
  // The author a name means: the whole name, or words of one author's name
  // ("doe"), compared without case or accents. Throws folio::Error like
  // resolve().
  Author resolve_author(std::string_view name);

  // Surname merge (issue 11): a one-word person ("reagan") whose surname
  // ends the full names of the index ("ronald-reagan") belongs to the one
  // of them the index mentions far more than any other (kMergeDominance
  // times the next, by sections), and stays apart when several compete.
  // Decided here, at query time, from the whole index as it is now: the
  // shards are written in parallel and updated file by file, so no writer
  // knows the counts, and a merge decided when a file was indexed could not
  // be undone when a competing full name arrives later.
  static constexpr Xapian::doccount kMergeDominance = 3;
  // The full name a surname-only person id is merged into, if any.
  std::optional<std::string> merged_into(const std::string& person_id);
  // The surname-only ids merged into a person id (empty for most).
  std::vector<std::string> merged_from(const std::string& person_id);
  // The id an entity is merged into by the curation or (people) by its
  // surname; nullopt if none.
  std::optional<std::string> merged_into(schema::EntityRecord::Type type, const std::string& id);
  // The ids merged into an entity, by the curation or by surname.
  std::vector<std::string> merged_from(schema::EntityRecord::Type type, const std::string& id);

  // Display name of an entity id (as the curation renames it), or the id
  // when it is not in the registry.
  std::string display_name(schema::EntityRecord::Type type, const std::string& id);

 private:
  const std::vector<schema::EntityRecord>& records(schema::EntityRecord::Type type);

  const Index& index_;
  const Xapian::Database& db_;
  const Curation* curation_;
  std::map<schema::Field, std::vector<schema::EntityRecord>> records_;  // read when first needed
  std::deque<schema::EntityRecord> direct_;                             // found by id; references stay valid
  std::string choice_;
  const std::map<std::string, std::string>& merges();
  // The full name `r` is merged into, or `r`.
  const schema::EntityRecord& redirect(const schema::EntityRecord& r);
  std::optional<std::map<std::string, std::string>> merges_;  // surname id -> full-name id
};

// Levenshtein distance, for "closest names" and spelling suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace folio::query
