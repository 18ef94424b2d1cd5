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

  // Display name of an entity id, or the id when it is not in the registry.
  std::string display_name(schema::EntityRecord::Type type, const std::string& id);

 private:
  const std::vector<schema::EntityRecord>& records(schema::EntityRecord::Type type);

  const Index& index_;
  const Xapian::Database& db_;
  std::map<schema::Field, std::vector<schema::EntityRecord>> records_;  // read when first needed
  std::deque<schema::EntityRecord> direct_;  // found by id; references stay valid
};

// Levenshtein distance, for "closest names" and spelling suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace folio::query
