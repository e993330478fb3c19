// Time in Vigil: UTC instants as integer nanoseconds, and the calendar periods
// (hour, day, ISO week, month) that periodic indicators are reported in.
//
// Event times of periodic indicators are stored as the instant the period
// starts (UTC midnight of the day, Monday of the ISO week, first of the month).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

using Duration = std::chrono::nanoseconds;
using Timestamp = std::chrono::sys_time<Duration>;

enum class Frequency { kStream, kHourly, kDaily, kWeekly, kMonthly };

// "stream", "hourly", "daily", "weekly", "monthly".
std::string_view FrequencyName(Frequency frequency);
Result<Frequency> ParseFrequency(std::string_view text);

// RFC 3339 with a mandatory offset: 2024-03-01T10:00:00Z, 2024-03-01T10:00:00.25+08:00.
Result<Timestamp> ParseRfc3339(std::string_view text);
// 2024-03-01 -> that day, 00:00 UTC.
Result<Timestamp> ParseDate(std::string_view text);
// 2024-W09 -> Monday of ISO week 9 of ISO year 2024, 00:00 UTC.
Result<Timestamp> ParseIsoWeek(std::string_view text);
// 2024-03 -> 1 March 2024, 00:00 UTC.
Result<Timestamp> ParseMonth(std::string_view text);

// Parses an event time written in the form its frequency requires: RFC 3339 for
// stream, RFC 3339 on a whole hour for hourly, a date for daily, an ISO week for
// weekly and a month for monthly. The error says which form was expected.
Result<Timestamp> ParseEventTime(std::string_view text, Frequency frequency);

// The canonical text of an event time in its frequency's form (the inverse of
// ParseEventTime for aligned times). Stream and hourly use RFC 3339 UTC "Z".
std::string FormatEventTime(Timestamp t, Frequency frequency);

// RFC 3339 in UTC with a "Z" suffix and only as many fraction digits as needed.
std::string FormatRfc3339(Timestamp t);

// Durations in configuration: "0", "90s", "15m", "2h", "7d", "2w" (an integer and a unit).
Result<Duration> ParseDuration(std::string_view text);
std::string FormatDuration(Duration d);

// A time given as RFC 3339, or as "+DURATION" from `now` (+30m, +6h, +90d).
Result<Timestamp> ParseTimeOrOffset(std::string_view text, Timestamp now);

// A time bound in a query: a date, an ISO week, a month or RFC 3339; the
// error names the four forms.
Result<Timestamp> ParseAnyTime(std::string_view text);

// Index of the period containing `t`: hours, days, ISO weeks (Monday-based) or
// months since 1970-01-01. For kStream, the nanosecond count itself.
std::int64_t PeriodIndex(Timestamp t, Frequency frequency);
// Start of the period with the given index (the inverse of PeriodIndex).
Timestamp PeriodStart(std::int64_t index, Frequency frequency);

}  // namespace vigil
