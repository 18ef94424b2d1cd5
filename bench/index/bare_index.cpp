// Bare Xapian indexer: the floor that bench/index/run.sh compares folio against.
// One document per .txt file under FOLDER, text indexed by TermGenerator with the
// English stemmer and STEM_ALL_Z (the strategy folio uses since schema 6: stems
// with positions, nothing else), the file's path and text stored as document
// data (folio stores each section's text too), one commit at the end. No
// sections, no metadata, no entities.
// Build: g++ -O2 -std=c++17 bare_index.cpp -o bare_index -lxapian
// Usage: bare_index DB FOLDER
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) try {
  if (argc != 3) {
    std::cerr << "usage: bare_index DB FOLDER\n";
    return 2;
  }
  Xapian::WritableDatabase db(argv[1], Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("english"));
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
  unsigned long n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(argv[2])) {
    if (!e.is_regular_file() || e.path().extension() != ".txt") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(text);
    doc.set_data(e.path().string() + "\n" + text);
    doc.add_boolean_term("Q" + e.path().string());
    db.add_document(doc);
    ++n;
  }
  db.commit();
  std::cout << n << " documents\n";
  return 0;
} catch (const Xapian::Error& e) {
  std::cerr << e.get_description() << "\n";
  return 1;
}
