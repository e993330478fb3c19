// Test and benchmark support: the warning stage at scale, through the real
// pipeline. Districts under provinces, each with four daily indicators that
// feed one outbreak policy (threshold detectors); every province has an
// agency with a webhook, escalating to a national one. Each day is one batch
// ingested from CSV by an Ingestor with IngestDetection and a WarningStage
// into a SQLite store, the clock at the day's end. After `normal_days`, every
// `outbreak_every`-th district has an outbreak on all four indicators for
// `outbreak_days` days at once; the others stay normal.
//
// Used by warning_scale_test.cc and bench/warning_scale_bench.cc, whose
// figures are in docs/PERFORMANCE.md ("Warnings").
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "engine/ingest_detection.h"
#include "engine/warning_stage.h"
#include "ingest/ingestor.h"
#include "model/catalogue.h"
#include "store/store.h"

namespace vigil::warning_scale {

inline constexpr int kIndicators = 4;

struct Scenario {
  int districts = 25'000;  // series: districts x kIndicators
  int outbreak_every = 25;
  int normal_days = 2;
  int outbreak_days = 3;

  std::int64_t series() const { return std::int64_t{districts} * kIndicators; }
  int outbreaks() const { return (districts + outbreak_every - 1) / outbreak_every; }
  int days() const { return normal_days + outbreak_days; }
  bool HasOutbreak(int district) const { return district % outbreak_every == 0; }
};

// What the stage and the store hold after a run.
struct Counts {
  std::int64_t active = 0;                   // active warnings in the stage's state
  std::int64_t active_replayed = 0;          // ... in the replay of the stored log
  bool replay_matches = false;               // that replay equals the stage's state
  std::int64_t active_without_outbreak = 0;  // active warnings of districts without one
  std::int64_t outbreaks_without_warning = 0;
  std::int64_t events = 0;  // stored log
  std::int64_t evidence_events = 0;
  std::int64_t issued_events = 0;
  std::int64_t outbox_items = 0;
  std::int64_t repeated_ids = 0;  // items whose notification id an earlier item has
  std::int64_t issued_items = 0;  // items of kind "issued"
  // Channels of a warning's responsible agency with other than one "issued"
  // item, and "issued" items for any other (warning, agency, channel).
  std::int64_t issued_not_once = 0;
  std::int64_t items_without_outbreak = 0;  // items about districts without one
};

class Pipeline {
 public:
  // A new SQLite store in `dir`, which must exist.
  static Result<std::unique_ptr<Pipeline>> Open(const Scenario& scenario,
                                                const std::filesystem::path& dir);
  ~Pipeline();

  // Ingests day `day` (0-based) as one batch.
  Result<IngestSummary> IngestDay(int day);
  Result<Counts> Count();

 private:
  explicit Pipeline(const Scenario& scenario);

  const Scenario scenario_;
  Catalogue catalogue_;
  FakeClock clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<WarningStage> stage_;
  std::unique_ptr<IngestDetection> detection_;
};

}  // namespace vigil::warning_scale
