// Where the bytes of a folio index go: for every shard, the size of each
// Xapian table file, and, from the documents, what they hold: document
// data (the JSON of schema::SectionData, its "text" apart), values by slot,
// termlist entries and positions by term prefix, metadata by key prefix.
// The counts are of the logical content (before Xapian's own encoding and
// compression); the table sizes are what is on disk. See bench/README.md.
//
// Usage: index_bytes INDEX        (compile: g++ -O2 -std=c++17 index_bytes.cpp -lxapian)
#include <xapian.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {

// The term prefix class of a term: the leading capitals ("ZS", "XP", "Q"),
// or "" for unprefixed terms.
std::string prefix_of(const std::string& term) {
  std::size_t n = 0;
  while (n < term.size() && term[n] >= 'A' && term[n] <= 'Z') ++n;
  // "Z" + a title/heading prefix: keep both ("ZS", "ZXH").
  return term.substr(0, n);
}

struct Counts {
  unsigned long long entries = 0, bytes = 0;
};

std::vector<std::filesystem::path> shard_dirs(const std::filesystem::path& index) {
  std::vector<std::filesystem::path> out;
  std::ifstream stub(index / "XAPIANDB");
  std::string kind, name;
  while (stub >> kind >> name) out.push_back(index / name);
  if (out.empty()) out.push_back(index);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: index_bytes INDEX\n";
    return 2;
  }
  try {
    std::map<std::string, unsigned long long> files;
    std::map<std::string, Counts> data, values, terms, positions, metadata;
    unsigned long long docs = 0;
    for (const std::filesystem::path& dir : shard_dirs(argv[1])) {
      for (const auto& e : std::filesystem::directory_iterator(dir)) {
        if (e.is_regular_file()) files[e.path().filename().string()] += e.file_size();
      }
      const Xapian::Database db(dir.string());
      for (auto k = db.metadata_keys_begin(); k != db.metadata_keys_end(); ++k) {
        const std::string key = *k;
        const std::size_t colon = key.find(':');
        Counts& c = metadata[key.substr(0, colon == std::string::npos ? key.size() : colon + 1)];
        ++c.entries;
        c.bytes += key.size() + db.get_metadata(key).size();
      }
      for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
        const Xapian::Document doc = db.get_document(*p);
        ++docs;
        const std::string d = doc.get_data();
        // The section text: the "text" member of the JSON (escaped as stored).
        const std::size_t t = d.find("\"text\":\"");
        std::size_t text = 0;
        if (t != std::string::npos) {
          std::size_t i = t + 8;
          while (i < d.size() && d[i] != '"') i += d[i] == '\\' ? 2 : 1;
          text = i - (t + 8);
        }
        data["text"].bytes += text;
        data["text"].entries += 1;
        data["rest"].bytes += d.size() - text;
        data["rest"].entries += 1;
        for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
          Counts& c = values["slot " + std::to_string(v.get_valueno())];
          ++c.entries;
          c.bytes += (*v).size();
        }
        for (auto it = db.termlist_begin(*p); it != db.termlist_end(*p); ++it) {
          const std::string term = *it;
          const std::string prefix = prefix_of(term);
          Counts& c = terms[prefix];
          ++c.entries;
          c.bytes += term.size();
          const Xapian::termcount n = it.positionlist_count();
          if (n > 0) {
            positions[prefix].entries += n;
            positions[prefix].bytes += 1;  // lists
          }
        }
      }
    }
    unsigned long long total = 0;
    for (const auto& [name, size] : files) total += size;
    std::printf("documents: %llu\n\n| table file | bytes | share |\n|---|---:|---:|\n", docs);
    for (const auto& [name, size] : files) {
      std::printf("| %s | %llu | %.1f%% |\n", name.c_str(), size,
                  100.0 * static_cast<double>(size) / static_cast<double>(total));
    }
    std::printf("| all | %llu | |\n", total);
    auto table = [](const char* title, const char* what, const std::map<std::string, Counts>& m) {
      std::printf("\n| %s | %s | bytes |\n|---|---:|---:|\n", title, what);
      for (const auto& [k, c] : m)
        std::printf("| %s | %llu | %llu |\n", k.empty() ? "(none)" : k.c_str(), c.entries, c.bytes);
    };
    table("document data", "documents", data);
    table("value slot", "values", values);
    table("term prefix", "termlist entries", terms);
    std::printf("\n| term prefix | positions | position lists |\n|---|---:|---:|\n");
    for (const auto& [k, c] : positions)
      std::printf("| %s | %llu | %llu |\n", k.empty() ? "(none)" : k.c_str(), c.entries, c.bytes);
    table("metadata key", "keys", metadata);
    return 0;
  } catch (const Xapian::Error& e) {
    std::cerr << "index_bytes: " << e.get_description() << '\n';
    return 2;
  }
}
