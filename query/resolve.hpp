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

#include "folio/database.hpp"
#include "folio/schema.hpp"

namespace folio::query {

class NameResolver {
 public:
  explicit NameResolver(const Index& index) : index_(index), db_(index.db()) {}

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

  // Display name of an entity id, or the id when it is not in the registry.
  std::string display_name(schema::EntityRecord::Type type, const std::string& id);

 private:
  const std::vector<schema::EntityRecord>& records(schema::EntityRecord::Type type);

  const Index& index_;
  const Xapian::Database& db_;
  std::map<schema::Field, std::vector<schema::EntityRecord>> records_;  // read when first needed
  std::deque<schema::EntityRecord> direct_;  // found by id; references stay valid
  std::string choice_;
};

// Levenshtein distance, for "closest names" and spelling suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace folio::query
