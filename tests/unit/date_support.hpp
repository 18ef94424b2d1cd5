// Dates of each precision, for the date tests.
#pragma once

#include "folio/model.hpp"

namespace folio::test {

inline Date day(int y, int m, int d) { return {y, m, d, DatePrecision::day}; }
inline Date month(int y, int m) { return {y, m, 0, DatePrecision::month}; }
inline Date year(int y) { return {y, 0, 0, DatePrecision::year}; }

}  // namespace folio::test
