// Telling article formats apart.
#include <algorithm>
#include <array>
#include <filesystem>

#include "folio/formats.hpp"
#include "folio/text.hpp"

namespace folio {
namespace {

// The file name extensions of each format, lower-case.
constexpr std::array<std::string_view, 2> kPlainTextExtensions = {".txt", ".text"};
constexpr std::array<std::string_view, 2> kMarkdownExtensions = {".md", ".markdown"};
constexpr std::array<std::string_view, 3> kHtmlExtensions = {".html", ".htm", ".xhtml"};

std::string extension_of(std::string_view name) {
  return to_lower_ascii(std::filesystem::path(name).extension().string());
}

template <std::size_t N>
bool is_one_of(const std::string& ext, const std::array<std::string_view, N>& extensions) {
  return std::find(extensions.begin(), extensions.end(), ext) != extensions.end();
}

}  // namespace

const char* to_string(Format format) {
  switch (format) {
    case Format::markdown:
      return "markdown";
    case Format::html:
      return "html";
    case Format::plain:
      break;
  }
  return "plain";
}

bool is_article_file_name(std::string_view file_name) {
  const std::string ext = extension_of(file_name);
  return is_one_of(ext, kPlainTextExtensions) || is_one_of(ext, kMarkdownExtensions) ||
         is_one_of(ext, kHtmlExtensions);
}

Format detect_format(std::string_view path, std::string_view text) {
  // An HTML document says so in its first bytes, whatever the file's name.
  const std::string head = to_lower_ascii(trim(text.substr(0, 1024)));
  if (head.starts_with("<!doctype html") || head.starts_with("<html") ||
      (head.starts_with("<") &&
       (head.find("<head") != std::string::npos || head.find("<body") != std::string::npos))) {
    return Format::html;
  }
  const std::string ext = extension_of(path);
  if (is_one_of(ext, kHtmlExtensions)) return Format::html;
  if (is_one_of(ext, kMarkdownExtensions)) return Format::markdown;
  return Format::plain;
}

}  // namespace folio
