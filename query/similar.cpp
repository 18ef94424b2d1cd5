// folio similar: sections like one, by relevance feedback.
#include <fmt/format.h>

#include <cctype>

#include "folio/error.hpp"
#include "folio/search.hpp"

namespace folio {
namespace {

// The body stems only: "Z<stem>", not the title (ZS) and heading (ZXH)
// copies of them, nor the boolean terms; and no one-letter stems.
class BodyStems final : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override {
    if (term.size() < 3 || term[0] != schema::kStemPrefix[0]) return false;
    const auto second = static_cast<unsigned char>(term[1]);
    if (std::isupper(second) != 0) return false;
    // Numbers ("2023", "10") say little about what a section is about.
    return term.find_first_not_of("0123456789", 1) != std::string::npos;
  }
};

}  // namespace

SearchResults similar(const Index& index, const std::string& id, SearchRequest request) {
  const Xapian::Database& db = index.db();
  const std::optional<schema::SectionRef> ref = schema::parse_section_id(id);
  const std::string section_id = ref ? id : schema::section_id(id, 0);
  const std::string id_term = schema::section_id_term(section_id);
  const Xapian::PostingIterator found = db.postlist_begin(id_term);
  if (found == db.postlist_end(id_term)) {
    throw Error(fmt::format("no section or article '{}' in the index", id));
  }
  const Xapian::Document doc = db.get_document(*found);

  Xapian::RSet relevant;
  relevant.add_document(*found);
  Xapian::Enquire feedback(db);
  feedback.set_query(Xapian::Query(id_term));
  const BodyStems body;
  const Xapian::ESet terms = feedback.get_eset(kSimilarTerms, relevant, &body);
  std::vector<Xapian::Query> parts;
  for (auto it = terms.begin(); it != terms.end(); ++it) {
    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*it), it.get_weight());
  }
  if (parts.empty()) {
    SearchResults none;
    none.query = id;
    none.by_article = request.by_article;
    return none;
  }
  // Its own article shares its title; its copies are the same text.
  Xapian::Query same(schema::article_term(doc.get_value(schema::kArticleSlot)));
  if (const std::string key = doc.get_value(schema::kArticleCopySlot); !key.empty()) {
    std::string copies(schema::kCopyPrefix);
    copies += key;
    same = Xapian::Query(Xapian::Query::OP_OR, same, Xapian::Query(copies));
  }
  request.like = Xapian::Query(Xapian::Query::OP_AND_NOT,
                               Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()), same);
  request.query.assign(1, '*');  // every section, then `like`
  request.mode = MatchMode::all;
  SearchResults results = search(index, request);
  results.query = id;
  return results;
}

}  // namespace folio
