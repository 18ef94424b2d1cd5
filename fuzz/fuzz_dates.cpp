// Fuzz target: dates, bylines and filter date ranges.
#include "folio/byline_date.hpp"
#include "folio/date.hpp"
#include "folio/filter_date.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = folio::repair_utf8(folio::fuzz::bytes(data, size));
  if (auto d = folio::parse_date(text)) {
    if (d->iso().empty()) __builtin_trap();
  }
  (void)folio::parse_byline(text);
  const folio::Date today{2023, 7, 4, folio::DatePrecision::day};
  try {
    const folio::DateRange r = folio::parse_date_range(text, today);
    if (!r.from.empty() && r.from.size() != 8) __builtin_trap();
  } catch (const folio::Error&) {
  }
  return 0;
}
