// Fuzz target: the HTML article parser.
#include "folio/formats.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = folio::repair_utf8(folio::fuzz::bytes(data, size));
  folio::fuzz::check(folio::parse_html_article(text, "/fuzz/a.html", folio::fuzz::boilerplate()), text);
  return 0;
}
