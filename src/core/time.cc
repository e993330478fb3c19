#include "core/time.h"

#include <fmt/format.h>

#include <array>
#include <limits>

namespace vigil {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
constexpr std::int64_t kNanosPerHour = 3600 * kNanosPerSecond;
constexpr std::int64_t kNanosPerDay = 24 * kNanosPerHour;
// 1970-01-01 was a Thursday; Monday 1969-12-29 is day -3.
constexpr std::int64_t kFirstMondayDay = -3;

// Reads exactly `n` digits at `pos`; false if any is not a digit.
bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) {
    return false;
  }
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') {
      return false;
    }
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

Status BadTime(std::string_view text, std::string_view expected) {
  return InvalidArgument(fmt::format("'{}' is not {}", text, expected));
}

// Years whose every instant fits in int64 nanoseconds since 1970 (1677-09-21
// to 2262-04-11), with a day to spare for UTC offsets.
constexpr int kMinYear = 1678;
constexpr int kMaxYear = 2261;

bool ValidYmd(int y, int m, int d, sys_days& out) {
  if (y < kMinYear || y > kMaxYear) {
    return false;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                        std::chrono::day{unsigned(d)}};
  if (!ymd.ok()) {
    return false;
  }
  out = sys_days{ymd};
  return true;
}

bool ParseYmd(std::string_view s, sys_days& out) {
  int y = 0;
  int m = 0;
  int d = 0;
  return s.size() >= 10 && Digits(s, 0, 4, y) && s[4] == '-' && Digits(s, 5, 2, m) && s[7] == '-' &&
         Digits(s, 8, 2, d) && ValidYmd(y, m, d, out);
}

// Monday of ISO week 1 of ISO year `y`: the week that holds 4 January.
sys_days IsoWeekOneMonday(int y) {
  const sys_days jan4{std::chrono::year{y} / std::chrono::January / 4};
  const std::chrono::weekday wd{jan4};
  return jan4 - days{(wd.c_encoding() + 6) % 7};
}

int IsoWeeksInYear(int y) {
  return static_cast<int>((IsoWeekOneMonday(y + 1) - IsoWeekOneMonday(y)).count() / 7);
}

Timestamp FromDays(sys_days d) {
  return Timestamp{std::chrono::duration_cast<Duration>(d.time_since_epoch())};
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) {
    --q;
  }
  return q;
}

}  // namespace

std::string_view FrequencyName(Frequency frequency) {
  switch (frequency) {
    case Frequency::kStream:
      return "stream";
    case Frequency::kHourly:
      return "hourly";
    case Frequency::kDaily:
      return "daily";
    case Frequency::kWeekly:
      return "weekly";
    case Frequency::kMonthly:
      return "monthly";
  }
  return "unknown";
}

Result<Frequency> ParseFrequency(std::string_view text) {
  for (Frequency f : {Frequency::kStream, Frequency::kHourly, Frequency::kDaily, Frequency::kWeekly,
                      Frequency::kMonthly}) {
    if (text == FrequencyName(f)) {
      return f;
    }
  }
  return InvalidArgument(fmt::format(
      "unknown frequency '{}' (expected stream, hourly, daily, weekly or monthly)", text));
}

Result<Timestamp> ParseRfc3339(std::string_view s) {
  constexpr std::string_view kExpected =
      "an RFC 3339 time with an offset, like 2024-03-01T10:00:00Z or 2024-03-01T18:00:00+08:00";
  sys_days day;
  int hh = 0;
  int mm = 0;
  int ss = 0;
  if (!ParseYmd(s, day) || s.size() < 20 || (s[10] != 'T' && s[10] != 't') ||
      !Digits(s, 11, 2, hh) || s[13] != ':' || !Digits(s, 14, 2, mm) || s[16] != ':' ||
      !Digits(s, 17, 2, ss) || hh > 23 || mm > 59 || ss > 60) {
    return BadTime(s, kExpected);
  }
  size_t pos = 19;
  std::int64_t frac_ns = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::int64_t scale = kNanosPerSecond / 10;
    const size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      frac_ns += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) {
      return BadTime(s, kExpected);
    }
  }
  std::int64_t offset_minutes = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = 0;
    int om = 0;
    if (!Digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return BadTime(s, kExpected);
    }
    offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return BadTime(s, kExpected);
  }
  if (pos != s.size()) {
    return BadTime(s, kExpected);
  }
  if (ss == 60) {
    ss = 59;  // a leap second is held at the last second of the minute
  }
  const std::int64_t ns = day.time_since_epoch().count() * kNanosPerDay + hh * kNanosPerHour +
                          (mm - offset_minutes) * 60 * kNanosPerSecond + ss * kNanosPerSecond +
                          frac_ns;
  return Timestamp{Duration{ns}};
}

Result<Timestamp> ParseDate(std::string_view s) {
  sys_days day;
  if (s.size() != 10 || !ParseYmd(s, day)) {
    return BadTime(s, "a date like 2024-03-01");
  }
  return FromDays(day);
}

Result<Timestamp> ParseIsoWeek(std::string_view s) {
  int y = 0;
  int w = 0;
  if (s.size() != 8 || !Digits(s, 0, 4, y) || s[4] != '-' || (s[5] != 'W' && s[5] != 'w') ||
      !Digits(s, 6, 2, w) || y < kMinYear || y > kMaxYear || w < 1 || w > IsoWeeksInYear(y)) {
    return BadTime(s, "an ISO week like 2024-W09");
  }
  return FromDays(IsoWeekOneMonday(y) + days{7 * (w - 1)});
}

Result<Timestamp> ParseMonth(std::string_view s) {
  int y = 0;
  int m = 0;
  sys_days day;
  if (s.size() != 7 || !Digits(s, 0, 4, y) || s[4] != '-' || !Digits(s, 5, 2, m) ||
      !ValidYmd(y, m, 1, day)) {
    return BadTime(s, "a month like 2024-03");
  }
  return FromDays(day);
}

Result<Timestamp> ParseEventTime(std::string_view text, Frequency frequency) {
  switch (frequency) {
    case Frequency::kStream:
      return ParseRfc3339(text);
    case Frequency::kHourly: {
      auto t = ParseRfc3339(text);
      // Whole hours in the writer's own offset, so +05:30 zones can report hourly data.
      if (t.ok() && (text.substr(13, 6) != ":00:00" || (text.size() > 19 && text[19] == '.'))) {
        return InvalidArgument(
            fmt::format("'{}' is not on a whole hour, as an hourly indicator needs", text));
      }
      return t;
    }
    case Frequency::kDaily:
      return ParseDate(text);
    case Frequency::kWeekly:
      return ParseIsoWeek(text);
    case Frequency::kMonthly:
      return ParseMonth(text);
  }
  return Internal("unhandled frequency");
}

std::string FormatRfc3339(Timestamp t) {
  const std::int64_t ns = t.time_since_epoch().count();
  const std::int64_t day = FloorDiv(ns, kNanosPerDay);
  std::int64_t rem = ns - day * kNanosPerDay;
  const std::chrono::year_month_day ymd{sys_days{days{day}}};
  const std::int64_t hh = rem / kNanosPerHour;
  rem -= hh * kNanosPerHour;
  const std::int64_t mm = rem / (60 * kNanosPerSecond);
  rem -= mm * 60 * kNanosPerSecond;
  const std::int64_t ss = rem / kNanosPerSecond;
  std::int64_t frac = rem - ss * kNanosPerSecond;
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", int(ymd.year()),
                                unsigned(ymd.month()), unsigned(ymd.day()), hh, mm, ss);
  if (frac != 0) {
    std::string digits = fmt::format("{:09}", frac);
    while (!digits.empty() && digits.back() == '0') {
      digits.pop_back();
    }
    out += "." + digits;
  }
  out += "Z";
  return out;
}

std::string FormatEventTime(Timestamp t, Frequency frequency) {
  const sys_days day{days{FloorDiv(t.time_since_epoch().count(), kNanosPerDay)}};
  const std::chrono::year_month_day ymd{day};
  switch (frequency) {
    case Frequency::kStream:
    case Frequency::kHourly:
      return FormatRfc3339(t);
    case Frequency::kDaily:
      return fmt::format("{:04}-{:02}-{:02}", int(ymd.year()), unsigned(ymd.month()),
                         unsigned(ymd.day()));
    case Frequency::kWeekly: {
      // The ISO year is the year of the week's Thursday.
      const sys_days thursday =
          day - days{(std::chrono::weekday{day}.c_encoding() + 6) % 7} + days{3};
      const int iso_year = int(std::chrono::year_month_day{thursday}.year());
      const auto week = (day - IsoWeekOneMonday(iso_year)).count() / 7 + 1;
      return fmt::format("{:04}-W{:02}", iso_year, week);
    }
    case Frequency::kMonthly:
      return fmt::format("{:04}-{:02}", int(ymd.year()), unsigned(ymd.month()));
  }
  return {};
}

Result<Duration> ParseDuration(std::string_view s) {
  if (s == "0") {
    return Duration{0};
  }
  std::int64_t n = 0;
  size_t pos = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && n < (std::int64_t{1} << 40)) {
    n = n * 10 + (s[pos] - '0');
    ++pos;
  }
  if (pos == 0 || pos + 1 != s.size()) {
    return InvalidArgument(fmt::format(
        "'{}' is not a duration (a whole number and a unit s, m, h, d or w, like 90s, 15m, 2h, 7d)",
        s));
  }
  static constexpr std::array<std::pair<char, std::int64_t>, 5> kUnits{{{'s', kNanosPerSecond},
                                                                        {'m', 60 * kNanosPerSecond},
                                                                        {'h', kNanosPerHour},
                                                                        {'d', kNanosPerDay},
                                                                        {'w', 7 * kNanosPerDay}}};
  for (const auto& [unit, scale] : kUnits) {
    if (s[pos] == unit) {
      if (n > std::numeric_limits<std::int64_t>::max() / scale) {
        return InvalidArgument(fmt::format("'{}' is too long a duration", s));
      }
      return Duration{n * scale};
    }
  }
  return InvalidArgument(fmt::format("'{}' has an unknown unit (expected s, m, h, d or w)", s));
}

std::string FormatDuration(Duration d) {
  const std::int64_t ns = d.count();
  if (ns == 0) {
    return "0";
  }
  static constexpr std::array<std::pair<char, std::int64_t>, 5> kUnits{{{'w', 7 * kNanosPerDay},
                                                                        {'d', kNanosPerDay},
                                                                        {'h', kNanosPerHour},
                                                                        {'m', 60 * kNanosPerSecond},
                                                                        {'s', kNanosPerSecond}}};
  for (const auto& [unit, scale] : kUnits) {
    if (ns % scale == 0) {
      return fmt::format("{}{}", ns / scale, unit);
    }
  }
  return fmt::format("{}ns", ns);
}

std::int64_t PeriodIndex(Timestamp t, Frequency frequency) {
  const std::int64_t ns = t.time_since_epoch().count();
  switch (frequency) {
    case Frequency::kStream:
      return ns;
    case Frequency::kHourly:
      return FloorDiv(ns, kNanosPerHour);
    case Frequency::kDaily:
      return FloorDiv(ns, kNanosPerDay);
    case Frequency::kWeekly:
      return FloorDiv(FloorDiv(ns, kNanosPerDay) - kFirstMondayDay, 7);
    case Frequency::kMonthly: {
      const std::chrono::year_month_day ymd{sys_days{days{FloorDiv(ns, kNanosPerDay)}}};
      return (int(ymd.year()) - 1970) * 12 + (static_cast<int>(unsigned(ymd.month())) - 1);
    }
  }
  return 0;
}

Timestamp PeriodStart(std::int64_t index, Frequency frequency) {
  switch (frequency) {
    case Frequency::kStream:
      return Timestamp{Duration{index}};
    case Frequency::kHourly:
      return Timestamp{Duration{index * kNanosPerHour}};
    case Frequency::kDaily:
      return Timestamp{Duration{index * kNanosPerDay}};
    case Frequency::kWeekly:
      return Timestamp{Duration{(index * 7 + kFirstMondayDay) * kNanosPerDay}};
    case Frequency::kMonthly: {
      const auto y = static_cast<int>(1970 + FloorDiv(index, 12));
      const auto m = static_cast<unsigned>(index - FloorDiv(index, 12) * 12 + 1);
      return FromDays(sys_days{std::chrono::year{y} / std::chrono::month{m} / 1});
    }
  }
  return Timestamp{};
}

Result<Timestamp> ParseTimeOrOffset(std::string_view text, Timestamp now) {
  if (!text.empty() && text[0] == '+') {
    VIGIL_ASSIGN_OR_RETURN(const Duration d, ParseDuration(text.substr(1)));
    return now + d;
  }
  return ParseRfc3339(text);
}

Result<Timestamp> ParseAnyTime(std::string_view text) {
  for (auto parse : {ParseRfc3339, ParseDate, ParseIsoWeek, ParseMonth}) {
    if (Result<Timestamp> t = parse(text); t.ok()) {
      return t;
    }
  }
  return InvalidArgument(fmt::format(
      "'{}' is not a time: use 2024-03-01, 2024-W09, 2024-03 or 2024-03-01T10:00:00Z", text));
}

}  // namespace vigil
