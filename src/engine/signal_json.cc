#include "engine/signal_json.h"

#include <nlohmann/json.hpp>

namespace vigil {

std::string EventTime(Timestamp time, const std::string& indicator, const Catalogue& catalogue) {
  const Indicator* found = catalogue.FindIndicator(indicator);
  return found == nullptr ? FormatRfc3339(time) : FormatEventTime(time, found->frequency);
}

std::string SignalListJson(const std::vector<StoredSignal>& signals, const Catalogue& catalogue) {
  auto optional = [](const auto& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
  };
  nlohmann::json list = nlohmann::json::array();
  for (const StoredSignal& s : signals) {
    const SignalRecord& r = s.signal;
    list.push_back({{"time", EventTime(r.time, s.key.indicator, catalogue)},
                    {"indicator", s.key.indicator},
                    {"region", s.key.region},
                    {"detector", r.detector},
                    {"method", r.method},
                    {"params", r.params},
                    {"observed", optional(r.observed)},
                    {"expected", optional(r.expected)},
                    {"upperbound", optional(r.upperbound)},
                    {"score", optional(r.score)},
                    {"alarm", r.alarm},
                    {"level", r.level},
                    {"baseline_from", optional(r.baseline_from)},
                    {"baseline_to", optional(r.baseline_to)},
                    {"note", r.note},
                    {"batch", s.batch},
                    {"revisions", s.revisions}});
  }
  return list.dump(2) + "\n";
}

}  // namespace vigil
