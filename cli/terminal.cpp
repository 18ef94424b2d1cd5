#include "terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include "folio/text.hpp"

namespace folio::cli {
namespace {

// The first `n` code points of `text`.
std::string utf8_prefix(std::string_view text, std::size_t n) {
  std::size_t at = 0;
  for (std::size_t count = 0; at < text.size(); ++at) {
    if ((static_cast<unsigned char>(text[at]) & 0xC0U) == 0x80U) continue;
    if (count++ == n) break;
  }
  return std::string(text.substr(0, at));
}

}  // namespace

std::size_t terminal_columns(int fd, std::size_t fallback) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr) {
    char* end = nullptr;
    const long value = std::strtol(columns, &end, 10);
    if (end != columns && *end == '\0' && value > 0) return static_cast<std::size_t>(value);
  }
  return fallback;
}

std::string fit_line(const std::vector<std::string>& parts, std::size_t columns) {
  const std::size_t room = columns > 1 ? columns - 1 : 0;
  std::string line;
  std::size_t length = 0;
  for (const std::string& part : parts) {
    const std::size_t more = (line.empty() ? 0 : 2) + utf8_length(part);
    if (length + more > room) {
      if (line.empty()) return utf8_prefix(part, room);
      break;
    }
    if (!line.empty()) line += "  ";
    line += part;
    length += more;
  }
  return line;
}

}  // namespace folio::cli

namespace folio::cli {

std::string wrap_text(std::string_view text, std::size_t width) {
  if (width == 0) return std::string(text);
  std::string out;
  while (true) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    std::size_t length = 0;  // of the output's current line
    std::size_t at = 0;
    bool first = true;
    while (at <= line.size()) {
      std::size_t space = line.find(' ', at);
      if (space == std::string_view::npos) space = line.size();
      const std::string_view word = line.substr(at, space - at);
      const std::size_t w = utf8_length(word);
      if (!first && length + 1 + w > width) {
        out += '\n';
        length = 0;
      } else if (!first) {
        out += ' ';
        ++length;
      }
      out += word;
      length += w;
      first = false;
      at = space + 1;
    }
    if (end == std::string_view::npos) break;
    out += '\n';
    text.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace folio::cli
