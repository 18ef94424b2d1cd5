// Telling article formats apart.
#include <filesystem>

#include "folio/formats.hpp"
#include "folio/text.hpp"

namespace folio {
namespace {

std::string extension_of(std::string_view name) {
  return to_lower_ascii(std::filesystem::path(name).extension().string());
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
  return ext == ".txt" || ext == ".text" || ext == ".md" || ext == ".markdown" ||
         ext == ".html" || ext == ".htm" || ext == ".xhtml";
}

Format detect_format(std::string_view path, std::string_view text) {
  // An HTML document says so in its first bytes, whatever the file's name.
  const std::string head = to_lower_ascii(trim(text.substr(0, 1024)));
  if (head.starts_with("<!doctype html") || head.starts_with("<html") ||
      (head.starts_with("<") && (head.find("<head") != std::string::npos ||
                                 head.find("<body") != std::string::npos))) {
    return Format::html;
  }
  const std::string ext = extension_of(path);
  if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return Format::html;
  if (ext == ".md" || ext == ".markdown") return Format::markdown;
  return Format::plain;
}

}  // namespace folio
