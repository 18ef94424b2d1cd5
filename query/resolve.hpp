// Resolving the names users type in filters ("Biden", "qin gang", "U.S.")
// to the entities and authors stored in the index. Private to query/.
#pragma once

#include <xapian.h>

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "folio/database.hpp"
#include "folio/schema.hpp"

namespace folio::query {

class NameResolver {
 public:
  explicit NameResolver(const Index& index) : index_(index), db_(index.db()) {}

  // The entity a name means: its id, display name or an alias in any case
  // and accents, else a unique prefix of its name or id. Throws
  // folio::Error when the name is ambiguous (listing the candidates) or
  // unknown (listing the closest names).
  const schema::EntityRecord& resolve(schema::EntityRecord::Type type, std::string_view name);

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

  // Display name of an entity id, or the id when it is not in the registry.
  std::string display_name(schema::EntityRecord::Type type, const std::string& id);

 private:
  const std::vector<schema::EntityRecord>& records(schema::EntityRecord::Type type);

  const Index& index_;
  const Xapian::Database& db_;
  std::map<schema::Field, std::vector<schema::EntityRecord>> records_;  // read when first needed
  std::deque<schema::EntityRecord> direct_;  // found by id; references stay valid
  const std::map<std::string, std::string>& merges();
  // The full name `r` is merged into, or `r`.
  const schema::EntityRecord& redirect(const schema::EntityRecord& r);
  std::optional<std::map<std::string, std::string>> merges_;  // surname id -> full-name id
};

// Levenshtein distance, for "closest names" and spelling suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace folio::query
