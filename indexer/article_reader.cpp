// ArticleReader: read, decode, detect the format, parse, extract people
// and places.
#include "article_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "folio/error.hpp"
#include "folio/formats.hpp"
#include "folio/ingest.hpp"
#include "folio/text.hpp"

namespace folio {
namespace fs = std::filesystem;

namespace {

std::int64_t nanoseconds(const struct timespec& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

// The text of a file's bytes, in UTF-8. Throws folio::Error for a file
// with no text (checked after decoding: a UTF-16 file may hold only its
// byte-order mark) or a binary one.
std::string decode_article_text(std::string_view bytes) {
  DecodedText decoded = decode_text(bytes);
  if (trim(decoded.text).empty()) throw Error("empty file");
  return std::move(decoded.text);
}

Article parse_by_format(const std::string& text, const std::string& path,
                        const SiteBoilerplate& boilerplate) {
  switch (detect_format(path, text)) {
    case Format::html:
      return parse_html_article(text, path, boilerplate);
    case Format::markdown:
      return parse_markdown_article(text, path, boilerplate);
    case Format::plain:
      break;
  }
  return parse_plain_text_article(text, path, boilerplate);
}

}  // namespace

FileStat stat_file(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    if (errno == ENOENT) throw Error("vanished during the run");
    throw Error(std::strerror(errno));
  }
  return {static_cast<std::uint64_t>(st.st_size), nanoseconds(st.st_mtim), nanoseconds(st.st_ctim)};
}

std::string read_file_bytes(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(std::strerror(errno));
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      throw Error(std::strerror(saved));
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return bytes;
}

struct ArticleReader::LazyLexicon {
  std::once_flag once;
  LexiconLoader load;
  std::shared_ptr<const Lexicon> lexicon;
  std::string error;  // why `load` failed
};

ArticleReader::ArticleReader(SiteBoilerplate boilerplate, std::shared_ptr<const Lexicon> lexicon)
    : boilerplate_(std::move(boilerplate)), lexicon_(std::make_shared<LazyLexicon>()) {
  std::call_once(lexicon_->once, [&] { lexicon_->lexicon = std::move(lexicon); });
}

ArticleReader::ArticleReader(SiteBoilerplate boilerplate, LexiconLoader load)
    : boilerplate_(std::move(boilerplate)), lexicon_(std::make_shared<LazyLexicon>()) {
  lexicon_->load = std::move(load);
}

std::shared_ptr<const Lexicon> ArticleReader::lexicon() const {
  LazyLexicon& lazy = *lexicon_;
  std::call_once(lazy.once, [&] {
    try {
      lazy.lexicon = lazy.load();
    } catch (const std::exception& e) {
      lazy.error = e.what();
    }
  });
  if (!lazy.error.empty()) throw LexiconLoadError(lazy.error);
  return lazy.lexicon;
}

Article ArticleReader::parse(std::string_view bytes, const std::string& path) const {
  Article article = parse_by_format(decode_article_text(bytes), path, boilerplate_);
  if (std::shared_ptr<const Lexicon> lexicon = this->lexicon()) EntityExtractor(lexicon).annotate(article);
  return article;
}

Article ArticleReader::read(const fs::path& file) const {
  return parse(read_file_bytes(file), file.string());
}

}  // namespace folio
