#include "folio/model.hpp"

#include <fmt/format.h>

namespace folio {

std::string Date::iso() const {
  switch (precision) {
    case DatePrecision::day:
      return fmt::format("{:04}-{:02}-{:02}", year, month, day);
    case DatePrecision::month:
      return fmt::format("{:04}-{:02}", year, month);
    case DatePrecision::year:
      return fmt::format("{:04}", year);
    case DatePrecision::none:
      break;
  }
  return {};
}

std::string Date::sort_key() const {
  if (!known()) return {};
  return fmt::format("{:04}{:02}{:02}", year, month == 0 ? 1 : month, day == 0 ? 1 : day);
}

const char* to_string(DatePrecision precision) {
  switch (precision) {
    case DatePrecision::day:
      return "day";
    case DatePrecision::month:
      return "month";
    case DatePrecision::year:
      return "year";
    case DatePrecision::none:
      break;
  }
  return "none";
}

const char* to_string(PlaceKind kind) {
  switch (kind) {
    case PlaceKind::country:
      return "country";
    case PlaceKind::subdivision:
      return "subdivision";
    case PlaceKind::city:
      return "city";
    case PlaceKind::region:
      return "region";
  }
  return "region";
}

}  // namespace folio
