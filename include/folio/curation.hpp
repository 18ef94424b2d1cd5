// A user's corrections to the entities the indexer found (the entities
// file: merge, rename, alias, suppress; docs/config.md), and the lexicon's
// other names of places, applied when searching without re-indexing.
#pragma once

#include <filesystem>
#include <functional>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "folio/schema.hpp"
#include "folio/search.hpp"

namespace folio {

class Curation {
 public:
  enum class Action { merge, rename, alias, suppress };
  struct Rule {
    Action action = Action::alias;
    schema::Field type = schema::Field::person;  // a field with schema::kRegistry
    std::string id;
    // merge: the id it is merged into; rename: the new name; alias: the
    // other name; suppress: "".
    std::string value;
    std::string where;          // "FILE:LINE", for messages
    bool from_lexicon = false;  // read_country_names(), not the user's file
  };

  // Adds the rules of an entities file read from `in`; `source` names it in
  // messages. One rule a line: `merge TYPE:ID into TYPE:ID`, `rename
  // TYPE:ID "Name"`, `alias TYPE:ID "other name"`, `suppress TYPE:ID`
  // (TYPE: person, place or org); '#' starts a comment. Throws folio::Error
  // "SOURCE:LINE: ..." for a line that is none of these, a merge across
  // types or into itself, or a merge that makes a cycle.
  void read(std::istream& in, const std::string& source);
  // Reads the file at `path`; a file that does not exist adds nothing.
  // Throws folio::Error as read(), or when it cannot be read.
  void read_file(const std::filesystem::path& path);
  // Adds the other names of each country in countries.tsv (the lexicon's
  // aliases column: official, former and short names, "Soviet Union" for
  // russia) as alias rules, so that a name the articles never used still
  // resolves. A file that does not exist adds nothing.
  void read_country_names(const std::filesystem::path& countries_tsv);
  // The same, read when a name is first looked up (alias_rule(), rules()):
  // folding the non-ASCII names builds ICU's transliterator, most of the
  // CPU time of a search that resolves no name. Call after read_file().
  void defer_country_names(std::filesystem::path countries_tsv);

  bool empty() const;
  const std::vector<Rule>& rules() const;
  // The rules from entities files (not the lexicon's).
  std::size_t user_rules() const { return user_rules_; }
  // Those rules as an entities file (one a line, in the order read, names
  // quoted): what `folio index` stores with what it applied, read back by
  // read() to undo what a rule no longer in the file did. "" for none.
  std::string user_text() const;
  // One rule as a line of an entities file, without the newline.
  static std::string rule_text(const Rule& rule);
  // Whether a user rule names (type, id), as the entity it changes or as
  // the one it is merged into.
  bool touches(schema::Field type, const std::string& id) const;

  bool suppressed(schema::Field type, const std::string& id) const;
  // The id `id` is merged into, following merges of merges; nullopt if none.
  std::optional<std::string> merged_into(schema::Field type, const std::string& id) const;
  // The ids merged into `id`, directly or through others.
  std::vector<std::string> merged_from(schema::Field type, const std::string& id) const;
  // The name a rename gives, or nullopt.
  std::optional<std::string> name(schema::Field type, const std::string& id) const;
  // The alias rule of `type` whose alias is `folded` (folded as fold()
  // folds), or nullptr.
  const Rule* alias_rule(schema::Field type, const std::string& folded) const;
  // Whether a merge or a suppression changes the values of `field`'s facet
  // (a field named by a registry field: country by place).
  bool regroups(schema::Field field) const;

  // A registry record with its rename and its aliases.
  void apply(schema::EntityRecord& record) const;
  // A section's people, places and organisations: merged ones replaced by
  // what they are merged into (once), suppressed ones dropped, renamed.
  void apply(schema::SectionData& section) const;
  // The same, naming an entity merged into another (and giving a place its
  // kind and country) by `lookup`'s record of the one it is merged into.
  using Lookup = std::function<std::optional<schema::EntityRecord>(schema::Field, const std::string&)>;
  void apply(schema::SectionData& section, const Lookup& lookup) const;
  // Facets: the counts of merged values added to the value they are merged
  // into (a section that names both counts twice: an upper bound),
  // suppressed values dropped, names renamed, and cut to each facet's
  // limit again; the hits' entity lists as apply(SectionData&).
  void apply(SearchResults& results) const;

 private:
  using Key = std::pair<schema::Field, std::string>;
  void add(Rule rule);
  // Reads the deferred countries file, once (not thread-safe).
  void read_deferred() const;
  // read_country_names(); its rules change only the mutable members.
  void read_countries(const std::filesystem::path& countries_tsv) const;
  mutable std::filesystem::path countries_tsv_;  // defer_country_names(), not yet read
  mutable std::vector<Rule> rules_;
  std::size_t user_rules_ = 0;
  std::map<Key, bool> touched_;        // the ids and merge targets of user rules
  std::map<Key, std::string> merge_;   // id -> id merged into (one step)
  std::map<Key, std::string> rename_;  // id -> name
  std::map<Key, bool> suppress_;
  std::map<Key, std::vector<std::string>> user_aliases_;  // the entities file's aliases of an id
  mutable std::map<std::pair<schema::Field, std::string>, std::size_t> alias_;  // folded alias -> rule index
};

// search() with `curation` applied: names resolve through its aliases and
// merges (a merged entity's filter matches every id merged into it), and
// the facets and the hits show its merges, names and suppressions (as
// Curation::apply). Throws as search().
SearchResults search(const Index& index, SearchRequest request, const Curation& curation);

}  // namespace folio
