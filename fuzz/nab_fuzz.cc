// Fuzzes the NAB corpus readers: a data file (timestamp,value CSV) and the
// timestamps that data and label files share. A timestamp that parses must be
// a real date and time, so it formats back to the text it came from.
#include <fmt/format.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "nab/corpus.h"

namespace {

// Seconds since 1970 as "YYYY-MM-DD HH:MM:SS".
std::string FormatTimestamp(std::int64_t seconds) {
  const std::chrono::sys_seconds t{std::chrono::seconds(seconds)};
  const std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{t - day};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     time.hours().count(), time.minutes().count(), time.seconds().count());
}

void CheckTimestamp(std::string_view text) {
  const vigil::Result<std::int64_t> t = vigil::nab::ParseTimestamp(text);
  if (t.ok() && FormatTimestamp(*t) != text.substr(0, 19)) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckTimestamp(text);
  const vigil::Result<vigil::nab::DataFile> file = vigil::nab::ParseDataFile(text, "fuzz.csv");
  if (file.ok()) {
    if (file->timestamps.size() != file->values.size() ||
        file->timestamp_text.size() != file->values.size()) {
      __builtin_trap();
    }
    for (std::string_view stamp : file->timestamp_text) {
      CheckTimestamp(stamp);
    }
  }
  return 0;
}
