// The plain-Xapian peer of bench/ir/run.py: indexes documents with Xapian's
// defaults (TermGenerator, English stemmer, STEM_SOME) into an in-memory
// database, runs each query through the QueryParser with OR as the default
// operator, BM25Weight with its default parameters, and prints a TREC run.
//
// Usage: xapian_bm25 DOCS.tsv QUERIES.tsv DEPTH
//   DOCS.tsv     "docid<TAB>text" lines     QUERIES.tsv "qid<TAB>text" lines
// Output: "qid Q0 docid rank score xapian" lines, best first.
#include <xapian.h>

#include <fstream>
#include <iostream>
#include <string>

namespace {

bool split_tsv(const std::string& line, std::string& id, std::string& text) {
  const auto tab = line.find('\t');
  if (tab == std::string::npos) return false;
  id = line.substr(0, tab);
  text = line.substr(tab + 1);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: xapian_bm25 DOCS.tsv QUERIES.tsv DEPTH\n";
    return 2;
  }
  try {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("en"));
    std::ifstream docs(argv[1]);
    std::string line, id, text;
    while (std::getline(docs, line)) {
      if (!split_tsv(line, id, text)) continue;
      Xapian::Document doc;
      tg.set_document(doc);
      tg.index_text(text);
      doc.set_data(id);
      db.add_document(doc);
    }
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemmer(Xapian::Stem("en"));
    qp.set_default_op(Xapian::Query::OP_OR);
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    const auto depth = static_cast<Xapian::doccount>(std::stoul(argv[3]));
    std::ifstream queries(argv[2]);
    while (std::getline(queries, line)) {
      if (!split_tsv(line, id, text)) continue;
      enquire.set_query(qp.parse_query(text));
      const Xapian::MSet mset = enquire.get_mset(0, depth);
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        std::cout << id << " Q0 " << it.get_document().get_data() << ' ' << it.get_rank() + 1 << ' '
                  << it.get_weight() << " xapian\n";
      }
    }
    return 0;
  } catch (const Xapian::Error& e) {
    std::cerr << "xapian_bm25: " << e.get_description() << '\n';
    return 1;
  }
}
