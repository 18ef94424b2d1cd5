// Helpers for unit tests: temporary folders and article files.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "folio/database.hpp"
#include "folio/entities.hpp"
#include "folio/ingest.hpp"
#include "folio/plain_text.hpp"

namespace folio::test {

// A fresh folder under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "folio-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& file, const std::string& bytes) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
}

inline const std::filesystem::path kSourceDir = FOLIO_SOURCE_DIR;

inline const SiteBoilerplate& boilerplate() {
  static const SiteBoilerplate b = SiteBoilerplate::load(kSourceDir / "data" / "boilerplate.txt");
  return b;
}

// The real lexicon, as built into the build tree's data folder.
inline std::shared_ptr<const Lexicon> lexicon() {
  static const std::shared_ptr<const Lexicon> lx = [] {
    LexiconSources sources;
    sources.data_dir = FOLIO_BUILD_DATA_DIR;
    return Lexicon::load(sources);
  }();
  return lx;
}

// Parses articles without entity extraction (fast).
inline const ArticleReader& plain_reader() {
  static const ArticleReader reader(boilerplate(), std::shared_ptr<const Lexicon>());
  return reader;
}

// Parses articles and extracts people and places, as `folio index` does.
inline const ArticleReader& full_reader() {
  static const ArticleReader reader(boilerplate(), lexicon());
  return reader;
}

// An index of corpus/ in two shards, so that every test that searches it
// also checks that results, facets and names merge over shards. Built once
// per reader for the whole test binary.
class CorpusIndex {
 public:
  static const CorpusIndex& get(const ArticleReader& reader) {
    if (&reader == &plain_reader()) {
      static const CorpusIndex plain(reader);
      return plain;
    }
    static const CorpusIndex full(reader);
    return full;
  }
  Index index() const { return open_for_reading(db_dir_); }

 private:
  explicit CorpusIndex(const ArticleReader& reader) {
    WritableIndex index = open_for_writing(db_dir_, 2);
    IndexOptions options;
    options.roots = {kSourceDir / "corpus"};
    index_paths(index, options, reader, [](const SkippedFile&) {});
  }
  TempDir tmp_;
  std::filesystem::path db_dir_ = tmp_.path() / "db";
};

}  // namespace folio::test
