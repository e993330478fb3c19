#include "warn/warning.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <utility>

namespace vigil::warn {
namespace {

bool SameNumber(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

size_t Mix(size_t h, std::string_view text) {
  return h ^ (std::hash<std::string_view>{}(text) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

template <typename Enum, size_t N>
Result<Enum> ParseName(const std::array<std::pair<Enum, std::string_view>, N>& names,
                       std::string_view text, std::string_view what) {
  std::vector<std::string_view> known;
  for (const auto& [value, name] : names) {
    if (name == text) {
      return value;
    }
    known.push_back(name);
  }
  return InvalidArgument(
      fmt::format("unknown {} '{}' (expected one of {})", what, text, fmt::join(known, ", ")));
}

template <typename Enum, size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& names, Enum v) {
  for (const auto& [value, name] : names) {
    if (value == v) {
      return name;
    }
  }
  return "unknown";
}

constexpr std::array<std::pair<EventKind, std::string_view>, 11> kEventKinds = {{
    {EventKind::kEvidence, "evidence"},
    {EventKind::kIssued, "issued"},
    {EventKind::kUpdated, "updated"},
    {EventKind::kCancelled, "cancelled"},
    {EventKind::kExpired, "expired"},
    {EventKind::kAcknowledged, "acknowledged"},
    {EventKind::kEscalated, "escalated"},
    {EventKind::kHeld, "held"},
    {EventKind::kReleased, "released"},
    {EventKind::kSilenceCreated, "silence-created"},
    {EventKind::kSilenceExpired, "silence-expired"},
}};

constexpr std::array<std::pair<NotifyKind, std::string_view>, 8> kNotifyKinds = {{
    {NotifyKind::kIssued, "issued"},
    {NotifyKind::kRaised, "raised"},
    {NotifyKind::kLowered, "lowered"},
    {NotifyKind::kCancelled, "cancelled"},
    {NotifyKind::kExpired, "expired"},
    {NotifyKind::kEscalation, "escalation"},
    {NotifyKind::kReleased, "released"},
    {NotifyKind::kRenewed, "renewed"},
}};

}  // namespace

std::string WarningKey::ToString() const { return fmt::format("{}/{}/{}", domain, region, hazard); }

size_t WarningKeyHash::operator()(const WarningKeyView& k) const {
  return Mix(Mix(std::hash<std::string_view>{}(k.domain), k.region), k.hazard);
}

bool Evidence::operator==(const Evidence& o) const {
  return source == o.source && detector == o.detector && level == o.level && at == o.at &&
         period == o.period && SameNumber(score, o.score) && SameNumber(observed, o.observed) &&
         SameNumber(expected, o.expected) && SameNumber(threshold, o.threshold) &&
         revised == o.revised;
}

std::string_view WarningStatusName(WarningStatus s) {
  switch (s) {
    case WarningStatus::kActive:
      return "active";
    case WarningStatus::kCancelled:
      return "cancelled";
    case WarningStatus::kExpired:
      return "expired";
  }
  return "unknown";
}

const Cell* State::Find(const WarningKeyView& key) const {
  auto it = cells.find(key);
  return it == cells.end() ? nullptr : &it->second;
}

const Warning* State::Latest(const WarningKeyView& key) const {
  const Cell* cell = Find(key);
  return cell != nullptr && cell->warning ? &*cell->warning : nullptr;
}

std::string_view EventKindName(EventKind k) { return NameOf(kEventKinds, k); }
Result<EventKind> ParseEventKind(std::string_view text) {
  return ParseName(kEventKinds, text, "event kind");
}
std::string_view NotifyKindName(NotifyKind k) { return NameOf(kNotifyKinds, k); }
Result<NotifyKind> ParseNotifyKind(std::string_view text) {
  return ParseName(kNotifyKinds, text, "notification kind");
}

}  // namespace vigil::warn
