// Shared by the fuzz targets: the boilerplate list, and bytes as text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "folio/error.hpp"
#include "folio/plain_text.hpp"
#include "folio/text.hpp"

namespace folio::fuzz {

inline const SiteBoilerplate& boilerplate() {
  static const SiteBoilerplate b =
      SiteBoilerplate::load(std::string(FOLIO_SOURCE_DIR) + "/data/boilerplate.txt");
  return b;
}

inline std::string_view bytes(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Every article has a title and at least one section whose lines are in the file.
inline void check(const Article& a, std::string_view text) {
  if (a.sections.empty()) __builtin_trap();
  for (const Section& s : a.sections) {
    if (s.line < 0 || static_cast<std::size_t>(s.line) > text.size() + 2) __builtin_trap();
    if (!is_valid_utf8(s.text) || !is_valid_utf8(s.heading)) __builtin_trap();
  }
  if (!is_valid_utf8(a.title)) __builtin_trap();
}

}  // namespace folio::fuzz
