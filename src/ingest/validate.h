// Validation of raw records against the catalogue: the indicator and region
// must exist, the time must be written in the indicator's frequency form, the
// value must be a finite number (a whole, non-negative one for counts) and a
// denominator, when given, a finite positive number.
#pragma once

#include <optional>
#include <string_view>

#include "core/status.h"
#include "core/time.h"
#include "ingest/record_reader.h"
#include "model/catalogue.h"

namespace vigil {

// A record that passed validation. Pointers are into the catalogue; `source`
// views the record (valid until the reader's next call).
struct ValidRecord {
  const Indicator* indicator = nullptr;
  const Region* region = nullptr;
  Timestamp time;
  double value = 0;
  std::optional<double> denominator;
  std::string_view source;  // empty when the record gives none
};

// Borrows the catalogue, which must outlive it. Not thread-safe (it caches the
// last lookups).
class Validator {
 public:
  explicit Validator(const Catalogue& catalogue) : catalogue_(catalogue) {}

  // InvalidArgument with the message "FIELD: what is wrong", e.g.
  // "time: '2024-03-01' is not an ISO week like 2024-W09 (indicator
  // salmonella-cases is weekly)". Records read with an error are rejected
  // with that error.
  Result<ValidRecord> Validate(const RawRecord& record);

 private:
  Result<const Indicator*> LookUpIndicator(std::string_view id);
  Result<const Region*> LookUpRegion(std::string_view code);

  const Catalogue& catalogue_;
  const Indicator* last_indicator_ = nullptr;
  const Region* last_region_ = nullptr;
};

// The number in a field as text: std::from_chars over the whole text.
std::optional<double> ParseNumber(std::string_view text);

}  // namespace vigil
