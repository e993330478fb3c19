#include "ingest/validate.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace vigil {
namespace {

Status FieldError(std::string_view field, std::string_view message) {
  return InvalidArgument(fmt::format("{}: {}", field, message));
}

// The value as the writer wrote it, for messages.
std::string Shown(const RawValue& value) {
  return value.kind == RawValue::Kind::kText ? std::string(value.text)
                                             : fmt::format("{}", value.number);
}

// A present value as a finite number.
Result<double> FiniteNumber(std::string_view field, const RawValue& value) {
  double number = value.number;
  if (value.kind == RawValue::Kind::kText) {
    const std::optional<double> parsed = ParseNumber(value.text);
    if (!parsed) {
      return FieldError(field, fmt::format("'{}' is not a number", value.text));
    }
    number = *parsed;
  }
  if (!std::isfinite(number)) {
    return FieldError(field, fmt::format("'{}' is not a finite number", Shown(value)));
  }
  return number;
}

Result<double> CheckValue(const RawValue& raw, const Indicator& indicator) {
  if (raw.kind == RawValue::Kind::kAbsent) {
    return FieldError("value", "missing");
  }
  VIGIL_ASSIGN_OR_RETURN(const double value, FiniteNumber("value", raw));
  if (indicator.value_kind == ValueKind::kCount) {
    if (value < 0) {
      return FieldError("value", fmt::format("{} is negative, but indicator {} is a count",
                                             Shown(raw), indicator.id));
    }
    if (value != std::floor(value)) {
      return FieldError(
          "value", fmt::format("{} is not a whole number, but indicator {} is a count", Shown(raw),
                               indicator.id));
    }
  }
  return value;
}

Result<std::optional<double>> CheckDenominator(const RawValue& raw) {
  if (raw.kind == RawValue::Kind::kAbsent) {
    return std::optional<double>();
  }
  VIGIL_ASSIGN_OR_RETURN(const double value, FiniteNumber("denominator", raw));
  if (value <= 0) {
    return FieldError("denominator", fmt::format("{} is not positive", Shown(raw)));
  }
  return std::optional<double>(value);
}

}  // namespace

std::optional<double> ParseNumber(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return value;
}

Result<const Indicator*> Validator::LookUpIndicator(std::string_view id) {
  if (last_indicator_ == nullptr || last_indicator_->id != id) {
    if (id.empty()) {
      return FieldError("indicator", "missing");
    }
    const Indicator* found = catalogue_.FindIndicator(id);
    if (found == nullptr) {
      return FieldError("indicator", fmt::format("'{}' is not in the catalogue", id));
    }
    last_indicator_ = found;
  }
  return last_indicator_;
}

Result<const Region*> Validator::LookUpRegion(std::string_view code) {
  if (last_region_ == nullptr || last_region_->code != code) {
    if (code.empty()) {
      return FieldError("region", "missing");
    }
    const Region* found = catalogue_.FindRegion(code);
    if (found == nullptr) {
      return FieldError("region", fmt::format("'{}' is not in the catalogue", code));
    }
    last_region_ = found;
  }
  return last_region_;
}

Result<ValidRecord> Validator::Validate(const RawRecord& record) {
  if (!record.error.empty()) {
    return InvalidArgument(record.error);
  }
  ValidRecord valid{.source = record.source};
  VIGIL_ASSIGN_OR_RETURN(valid.indicator, LookUpIndicator(record.indicator));
  VIGIL_ASSIGN_OR_RETURN(valid.region, LookUpRegion(record.region));
  if (record.time.empty()) {
    return FieldError("time", "missing");
  }
  Result<Timestamp> time = ParseEventTime(record.time, valid.indicator->frequency);
  if (!time.ok()) {
    return FieldError(
        "time", fmt::format("{} (indicator {} is {})", time.status().message(), valid.indicator->id,
                            FrequencyName(valid.indicator->frequency)));
  }
  valid.time = *time;
  VIGIL_ASSIGN_OR_RETURN(valid.value, CheckValue(record.value, *valid.indicator));
  VIGIL_ASSIGN_OR_RETURN(valid.denominator, CheckDenominator(record.denominator));
  return valid;
}

}  // namespace vigil
