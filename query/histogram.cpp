// Matching sections per year, month or day.
#include "histogram.hpp"

#include <fmt/format.h>

#include <string>

#include "folio/date.hpp"

namespace folio {
namespace {

// A day of a kDateSlot key, or the first day of a period.
struct Ymd {
  int year = 0;
  int month = 1;
  int day = 1;
};

Ymd parse_key(std::string_view key) {
  auto number = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n && i < key.size(); ++i) v = v * 10 + (key[i] - '0');
    return v;
  };
  Ymd d{number(0, 4), number(4, 2), number(6, 2)};
  if (d.month < 1) d.month = 1;
  if (d.day < 1) d.day = 1;
  return d;
}

std::string label(const Ymd& d, DateGranularity g) {
  switch (g) {
    case DateGranularity::year:
      return fmt::format("{:04}", d.year);
    case DateGranularity::month:
      return fmt::format("{:04}-{:02}", d.year, d.month);
    default:
      return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
  }
}

Ymd truncated(Ymd d, DateGranularity g) {
  if (g != DateGranularity::day) d.day = 1;
  if (g == DateGranularity::year) d.month = 1;
  return d;
}

Ymd next(Ymd d, DateGranularity g) {
  switch (g) {
    case DateGranularity::year:
      ++d.year;
      break;
    case DateGranularity::month:
      if (++d.month > 12) {
        d.month = 1;
        ++d.year;
      }
      break;
    default:
      if (++d.day > days_in_month(d.year, d.month)) {
        d.day = 1;
        if (++d.month > 12) {
          d.month = 1;
          ++d.year;
        }
      }
  }
  return d;
}

bool before(const Ymd& a, const Ymd& b) {
  return a.year != b.year ? a.year < b.year : a.month != b.month ? a.month < b.month : a.day < b.day;
}

// The number of periods from `first` to `last`, both counted; stops
// counting past `cap`.
std::size_t periods_between(Ymd first, const Ymd& last, DateGranularity g, std::size_t cap) {
  std::size_t n = 1;
  for (; before(first, last) && n <= cap; ++n) first = next(first, g);
  return n;
}

}  // namespace

DateGranularity histogram_granularity(std::string_view first, std::string_view last) {
  const Ymd a = parse_key(first);
  const Ymd b = parse_key(last);
  const int months = (b.year - a.year) * 12 + (b.month - a.month);
  if (months <= 1) return DateGranularity::day;
  if (months <= 3 * 12) return DateGranularity::month;
  return DateGranularity::year;
}

DateHistogram make_date_histogram(const std::map<std::string, Xapian::doccount>& day_counts,
                                  Xapian::doccount undated, std::optional<DateGranularity> granularity) {
  DateHistogram h;
  h.undated = undated;
  h.granularity = granularity.value_or(
      day_counts.empty() ? DateGranularity::month
                         : histogram_granularity(day_counts.begin()->first, day_counts.rbegin()->first));
  if (day_counts.empty()) return h;
  // Keys sort as dates do: periods come in order.
  std::map<std::string, Xapian::doccount> counts;
  for (const auto& [key, count] : day_counts) counts[label(parse_key(key), h.granularity)] += count;
  const Ymd first = truncated(parse_key(day_counts.begin()->first), h.granularity);
  const Ymd last = truncated(parse_key(day_counts.rbegin()->first), h.granularity);
  if (periods_between(first, last, h.granularity, kMaxHistogramBars) <= kMaxHistogramBars) {
    for (Ymd d = first;; d = next(d, h.granularity)) {
      const std::string period = label(d, h.granularity);
      const auto it = counts.find(period);
      h.bars.push_back({period, it == counts.end() ? 0 : it->second});
      if (!before(d, last)) break;
    }
  } else {
    for (const auto& [period, count] : counts) h.bars.push_back({period, count});
  }
  return h;
}

namespace query {

DateHistogram histogram_of(const Xapian::ValueCountMatchSpy& spy,
                           std::optional<DateGranularity> granularity) {
  std::map<std::string, Xapian::doccount> days;
  Xapian::doccount dated = 0;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    days[*it] = it.get_termfreq();
    dated += it.get_termfreq();
  }
  const auto seen = static_cast<Xapian::doccount>(spy.get_total());
  return make_date_histogram(days, seen > dated ? seen - dated : 0, granularity);
}

}  // namespace query
}  // namespace folio
