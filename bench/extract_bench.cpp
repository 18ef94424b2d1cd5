// Throughput of article parsing and people/places extraction alone, on one
// core: reads every .txt, .html and .htm file under a folder into memory,
// then parses and annotates them all, and reports MB/s of article text (of
// HTML, for a folder of saved web pages). The lexicon load is timed
// separately.
//
//   folio_extract_bench FOLDER [DATA_DIR]
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "folio/entities.hpp"
#include "folio/ingest.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: folio_extract_bench FOLDER [DATA_DIR]\n");
    return 2;
  }
  const fs::path data_dir = argc > 2 ? fs::path(argv[2]) : fs::path(FOLIO_BUILD_DATA_DIR);
  std::vector<std::pair<std::string, std::string>> files;
  std::size_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(argv[1])) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".txt" && ext != ".html" && ext != ".htm")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    bytes += ss.str().size();
    files.emplace_back(entry.path().string(), ss.str());
  }

  const auto t0 = Clock::now();
  folio::LexiconSources sources;
  sources.data_dir = data_dir;
  auto lexicon = folio::Lexicon::load(sources);
  const auto t1 = Clock::now();
  const folio::ArticleReader plain(folio::SiteBoilerplate::load(data_dir / "boilerplate.txt"),
                                   std::shared_ptr<const folio::Lexicon>());
  const folio::ArticleReader full(folio::SiteBoilerplate::load(data_dir / "boilerplate.txt"), lexicon);
  // The same lexicon without the tagger's model: the rules alone.
  sources.tagger = false;
  const folio::ArticleReader rules(folio::SiteBoilerplate::load(data_dir / "boilerplate.txt"),
                                   folio::Lexicon::load(sources));

  std::size_t sections = 0, people = 0, places = 0;
  const auto t2 = Clock::now();
  for (const auto& [path, text] : files) sections += plain.parse(text, path).sections.size();
  const auto t3 = Clock::now();
  for (const auto& [path, text] : files) {
    for (const auto& s : full.parse(text, path).sections) {
      people += s.people.size();
      places += s.places.size();
    }
  }
  const auto t4 = Clock::now();
  for (const auto& [path, text] : files) rules.parse(text, path);
  const auto t5 = Clock::now();

  auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  const double mb = static_cast<double>(bytes) / 1e6;
  fmt::print("files {}  text {:.1f} MB  sections {}  people {}  places {}\n", files.size(), mb, sections,
             people, places);
  fmt::print("lexicon load          {:8.3f} s\n", secs(t0, t1));
  fmt::print("parse only            {:8.3f} s  {:7.1f} MB/s\n", secs(t2, t3), mb / secs(t2, t3));
  fmt::print("parse + entities      {:8.3f} s  {:7.1f} MB/s{}\n", secs(t3, t4), mb / secs(t3, t4),
             lexicon->tagger() != nullptr ? "  (tagger + lexicon)" : "  (no tagger model)");
  fmt::print("  the lexicon's rules {:8.3f} s  {:7.1f} MB/s  (without the tagger)\n", secs(t4, t5),
             mb / secs(t4, t5));
  return 0;
}
