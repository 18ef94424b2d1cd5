// Fuzz target: decoding bytes of any encoding to UTF-8.
#include "folio/formats.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const folio::DecodedText d = folio::decode_text(folio::fuzz::bytes(data, size));
    if (!folio::is_valid_utf8(d.text)) __builtin_trap();
  } catch (const folio::Error&) {
    // "binary file": a clean refusal is fine.
  }
  return 0;
}
