// --histogram: the dates of every matching section, counted by a value
// count spy on kDateSlot during the match. Private to query/.
#pragma once

#include <xapian.h>

#include "folio/search.hpp"

namespace folio::query {

// The histogram of what `spy` (a ValueCountMatchSpy on kDateSlot) saw:
// the sections it saw without a value are the undated ones.
DateHistogram histogram_of(const Xapian::ValueCountMatchSpy& spy, std::optional<DateGranularity> granularity);

}  // namespace folio::query
