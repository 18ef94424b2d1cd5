// The floor for a search of folio's index: open it, parse the query the way
// folio does (English stems behind the "Z" prefix, AND by default, phrases,
// wildcards), fetch the best ten and print their ids and data sizes. No
// filters, facets, snippets or name resolution. quest cannot stand in: it
// looks for capitalised words and phrases unstemmed, which folio does not
// index. See bench/README.md.
//
// Usage: bare_search INDEX QUERY
#include <xapian.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: bare_search INDEX QUERY\n";
    return 2;
  }
  try {
    const Xapian::Database db(argv[1]);
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemmer(Xapian::Stem("en"));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
    qp.set_default_op(Xapian::Query::OP_AND);
    const Xapian::Query query =
        qp.parse_query(argv[2],
                       Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                           Xapian::QueryParser::FLAG_PURE_NOT,
                       "Z");
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    const Xapian::MSet mset = enquire.get_mset(0, 10);
    std::cout << "about " << mset.get_matches_estimated() << " matches\n";
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      std::cout << it.get_rank() + 1 << ' ' << *it << ' ' << it.get_weight() << ' '
                << it.get_document().get_data().size() << '\n';
    }
    return mset.empty() ? 1 : 0;
  } catch (const Xapian::Error& e) {
    std::cerr << "bare_search: " << e.get_description() << '\n';
    return 2;
  }
}
