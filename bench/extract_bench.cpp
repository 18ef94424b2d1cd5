// Throughput of article parsing and people/places extraction alone, on one
// core: reads every .txt, .html and .htm file under a folder into memory,
// then parses and annotates them all, and reports MB/s of article text (of
// HTML, for a folder of saved web pages). The lexicon load is timed
// separately. Each step is timed by the wall clock and by the CPU time of
// the thread (on a busy machine the CPU time is what the step costs; MB/s
// are given for both). --reps N runs each step N times, interleaved, and
// keeps the fastest (by CPU time): a busy machine's noise only slows.
//
//   folio_extract_bench FOLDER [DATA_DIR] [--only full|rules|parse] [--reps N]
#include <fmt/format.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "folio/entities.hpp"
#include "folio/ingest.hpp"
#include "folio/tagger.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// A moment by both clocks: wall and this thread's CPU time.
struct Stamp {
  Clock::time_point wall;
  double cpu;
};

Stamp now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return {Clock::now(), static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9};
}

}  // namespace

int main(int argc, char** argv) {
  // --only full|rules|parse: that step alone (for a profiler).
  std::string only;
  int reps = 1;
  std::vector<std::string> args;
  for (int k = 1; k < argc; ++k) {
    if (std::string(argv[k]) == "--only" && k + 1 < argc) {
      only = argv[++k];
    } else if (std::string(argv[k]) == "--reps" && k + 1 < argc) {
      reps = std::max(1, std::atoi(argv[++k]));
    } else {
      args.emplace_back(argv[k]);
    }
  }
  if (args.empty() || args.size() > 2 ||
      (!only.empty() && only != "full" && only != "rules" && only != "parse")) {
    fmt::print(stderr, "usage: folio_extract_bench FOLDER [DATA_DIR] [--only full|rules|parse] [--reps N]\n");
    return 2;
  }
  const fs::path data_dir = args.size() > 1 ? fs::path(args[1]) : fs::path(FOLIO_BUILD_DATA_DIR);
  std::vector<std::pair<std::string, std::string>> files;
  std::size_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(args[0])) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".txt" && ext != ".html" && ext != ".htm")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    bytes += ss.str().size();
    files.emplace_back(entry.path().string(), ss.str());
  }

  const auto t0 = now();
  folio::LexiconSources sources;
  sources.data_dir = data_dir;
  auto lexicon = folio::Lexicon::load(sources);
  const auto t1 = now();
  // The tagger's model alone (the lexicon load above includes it).
  const auto m0 = now();
  if (fs::exists(data_dir / "ner" / "model.bin")) folio::TaggerModel::load(data_dir / "ner" / "model.bin");
  const auto m1 = now();
  const folio::ArticleReader plain(folio::SiteBoilerplate::load(data_dir / "boilerplate.txt"),
                                   std::shared_ptr<const folio::Lexicon>());
  const folio::ArticleReader full(folio::SiteBoilerplate::load(data_dir / "boilerplate.txt"), lexicon);
  // The same lexicon without the tagger's model: the rules alone.
  sources.tagger = false;
  const folio::ArticleReader rules(folio::SiteBoilerplate::load(data_dir / "boilerplate.txt"),
                                   folio::Lexicon::load(sources));

  std::size_t sections = 0, people = 0, places = 0;
  // The steps, each run `reps` times in turn (parse, full, rules, parse,
  // ...); the fastest run of each, by CPU time, is reported.
  struct Step {
    const char* name;
    const char* note;
    std::function<void()> run;
    double wall = 0;
    double cpu = 0;
  };
  std::vector<Step> steps;
  if (only.empty() || only == "parse") {
    steps.push_back({"parse only", "", [&] {
                       sections = 0;
                       for (const auto& [path, text] : files)
                         sections += plain.parse(text, path).sections.size();
                     }});
  }
  if (only.empty() || only == "full") {
    steps.push_back({"parse + entities",
                     lexicon->tagger() != nullptr ? "  (tagger + lexicon)" : "  (no tagger model)", [&] {
                       people = places = 0;
                       for (const auto& [path, text] : files) {
                         for (const auto& s : full.parse(text, path).sections) {
                           people += s.people.size();
                           places += s.places.size();
                         }
                       }
                     }});
  }
  if (only.empty() || only == "rules") {
    steps.push_back({"  the lexicon's rules", "  (without the tagger)", [&] {
                       for (const auto& [path, text] : files) rules.parse(text, path);
                     }});
  }
  for (int r = 0; r < reps; ++r) {
    for (Step& step : steps) {
      const Stamp a = now();
      step.run();
      const Stamp b = now();
      const double c = b.cpu - a.cpu;
      if (r == 0 || c < step.cpu) {
        step.cpu = c;
        step.wall = std::chrono::duration<double>(b.wall - a.wall).count();
      }
    }
  }

  const double mb = static_cast<double>(bytes) / 1e6;
  fmt::print("files {}  text {:.1f} MB  sections {}  people {}  places {}  (best of {})\n", files.size(), mb,
             sections, people, places, reps);
  fmt::print("                         wall                CPU of the thread\n");
  fmt::print("{:<22} {:8.3f} s              {:8.3f} s\n", "lexicon load",
             std::chrono::duration<double>(t1.wall - t0.wall).count(), t1.cpu - t0.cpu);
  fmt::print(
      "{:<22} {:8.3f} ms             {:8.3f} ms  (mapped; its pages are read as the tagger needs them)\n",
      "tagger model load", 1e3 * std::chrono::duration<double>(m1.wall - m0.wall).count(),
      1e3 * (m1.cpu - m0.cpu));
  for (const Step& step : steps) {
    fmt::print("{:<22} {:8.3f} s {:7.1f} MB/s {:8.3f} s {:7.1f} MB/s{}\n", step.name, step.wall,
               mb / step.wall, step.cpu, mb / step.cpu, step.note);
  }
  return 0;
}
