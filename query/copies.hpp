// The copies of an article (the same title and text in other files) that
// a deduplicated search merges into its hits: counting their copy keys, and
// finding the copies of the hits shown. Private to query/.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "folio/node.hpp"
#include "folio/schema.hpp"
#include "folio/search.hpp"

namespace folio::query {

// The copy keys (schema::kCopySlot) of some matches: how many matches have
// one, and how many distinct keys there are. A key in schema::copy_key()'s
// form is held as two numbers in an open-addressing table, no allocation
// per match (Xapian's ValueCountMatchSpy keeps a std::map of strings: on a
// broad query at a million sections that map was most of a search's time);
// any other key is kept as a string. Sets of keys of several databases (a
// cluster's nodes) merge into the keys of their union.
class CopyKeys {
 public:
  // One match's kCopySlot value ("" for none: not counted).
  void add(std::string_view value);
  // Adds the keys of `other`, as if its matches were added one by one.
  void merge(const CopyKeys& other);

  Xapian::doccount keyed() const { return keyed_; }
  Xapian::doccount distinct() const { return static_cast<Xapian::doccount>(used_ + others_.size()); }
  // The matches that a merge of copies leaves out.
  Xapian::doccount copies() const { return keyed() - distinct(); }

  // Into a node's answer, and back (throws folio::Error for a malformed one).
  void write(node::Writer& w) const;
  static CopyKeys read(node::Reader& r);

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint64_t section = 0;  // the section index + 1; 0: empty
  };
  void insert(std::uint64_t hash, std::uint64_t section);
  void grow();

  Xapian::doccount keyed_ = 0;
  std::size_t used_ = 0;
  std::vector<Slot> slots_;
  std::set<std::string> others_;
};

// Counts the copy keys of every match it sees.
class CopyKeySpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override {
    keys_.add(doc.get_value(schema::kCopySlot));
  }
  const CopyKeys& keys() const { return keys_; }

 private:
  CopyKeys keys_;
};

// The copy keys of every match of `query` in `db` (a node's index, a local
// shard of a cluster).
CopyKeys copy_keys_of(const Xapian::Database& db, const Xapian::Query& query);

// Fills Hit::copies of each hit with the paths of the other articles with
// its content key (the term kCopyPrefix + kArticleCopySlot's value), and,
// with `by_article`, takes their sections out of Hit::other_sections.
// `collapse_counts[i]`: the collapse count of hits[i] in the match.
// A local index's: a cluster's hits get theirs through copies_of_hits().
void merge_copies(const Xapian::Database& db, std::vector<Hit>& hits,
                  const std::vector<Xapian::doccount>& collapse_counts, bool by_article);

// An article with a given content key, in one database: its id, its path,
// and the indexes of its sections that match a query.
struct CopyArticle {
  std::string article;
  std::string path;
  std::vector<std::uint32_t> matched;
};
// For each content key (kArticleCopySlot's value), the articles of `db`
// that have it, by id. A cluster's node answers this for the hits of a page.
std::vector<std::vector<CopyArticle>> copy_articles_of(const Xapian::Database& db, const Xapian::Query& query,
                                                       const std::vector<std::string>& content_keys);

// A hit of a cluster's page, as merge_copies() needs it: its article, its
// content key ("" for none) and its section's index.
struct HitKey {
  std::string article;
  std::string content_key;
  std::uint32_t section = 0;
};
// What merge_copies() gives a hit, from the articles with its content key
// over the whole cluster (every part's copy_articles_of(), concatenated).
struct HitCopies {
  bool merged = false;             // a copy matched: the hit stands for it
  std::vector<std::string> paths;  // of the other articles, sorted
  Xapian::doccount collapsed = 0;  // by article: matching sections of all of them, less one
};
HitCopies copies_of_hit(const HitKey& hit, const std::vector<CopyArticle>& articles, bool by_article);
// Applies it as merge_copies() does.
void apply_copies(Hit& hit, HitCopies copies, bool by_article);

}  // namespace folio::query
