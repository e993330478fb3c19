// Fuzzes the time parsers: ParseEventTime for every frequency and
// ParseDuration. A parsed periodic time must format back to text that parses
// to the same instant.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/time.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (vigil::Frequency frequency :
       {vigil::Frequency::kStream, vigil::Frequency::kHourly, vigil::Frequency::kDaily,
        vigil::Frequency::kWeekly, vigil::Frequency::kMonthly}) {
    vigil::Result<vigil::Timestamp> t = vigil::ParseEventTime(text, frequency);
    if (!t.ok()) {
      continue;
    }
    const std::string formatted = vigil::FormatEventTime(*t, frequency);
    vigil::Result<vigil::Timestamp> again = vigil::ParseEventTime(formatted, frequency);
    if (frequency != vigil::Frequency::kHourly && (!again.ok() || *again != *t)) {
      __builtin_trap();
    }
    (void)vigil::PeriodIndex(*t, frequency);
  }
  vigil::Result<vigil::Duration> d = vigil::ParseDuration(text);
  if (d.ok()) {
    vigil::Result<vigil::Duration> again = vigil::ParseDuration(vigil::FormatDuration(*d));
    if (!again.ok() || *again != *d) {
      __builtin_trap();
    }
  }
  return 0;
}
