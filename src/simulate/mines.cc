// Production safety: methane readings (% vol) every minute for five days at
// three mines, one sensor at the working face and one in the return airway.
// Baselines are low and noisy; real build-ups rise to dangerous levels and
// clear when ventilation catches up (seen by both sensors of a mine); sensor
// faults (stuck-at, spikes, dropouts with missing rows) touch one sensor only.
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <optional>
#include <vector>

#include "simulate/domains.h"

namespace vigil::sim {
namespace {

constexpr std::int64_t kMinutes = 5 * 24 * 60;
constexpr std::int64_t kSlotMinutes = 12 * 60;  // one event per sensor and slot, so none overlap
constexpr std::int64_t kSlots = kMinutes / kSlotMinutes;
constexpr int kBuildUps = 3;
constexpr int kFaultsPerKind = 2;

struct Mine {
  std::size_t district;
  const char* name;
};
constexpr Mine kMines[] = {
    {1, "Greyhaven Colliery"}, {4, "Black Tarn Colliery"}, {10, "Cinder Hill Colliery"}};

struct SensorKind {
  const char* indicator;
  const char* name;
  double base_lo;
  double base_hi;
  double build_up_share;  // of the face's build-up this sensor sees
};
constexpr std::array<SensorKind, 2> kSensors = {{
    {"methane-face", "Methane at the working face", 0.15, 0.30, 1.0},
    {"methane-return", "Methane in the return airway", 0.08, 0.15, 0.6},
}};

enum class EventKind { kBuildUp, kStuck, kSpike, kDropout };

struct Event {
  EventKind kind = EventKind::kBuildUp;
  std::int64_t start = 0;
  std::int64_t end = 0;  // last minute affected
  double peak = 0;       // build-up: % vol added at the top; spike: the reading
  double rise = 0;       // build-up: minutes to the top
  double clear = 0;      // build-up: e-folding minutes of the clearing
};

Timestamp Minute(std::int64_t index) {
  return At("2024-12-27T00:00:00Z") + std::chrono::minutes(index);
}

double BuildUp(const Event& e, std::int64_t minute) {
  const double x = double(minute - e.start);
  if (x < 0 || minute > e.end) {
    return 0;
  }
  return x < e.rise ? e.peak * x / e.rise : e.peak * std::exp(-(x - e.rise) / e.clear);
}

class Sensor {
 public:
  Sensor(std::string region, std::size_t kind, Rng rng)
      : region_(std::move(region)), kind_(kind), rng_(rng) {
    base_ = rng_.Uniform(kSensors[kind].base_lo, kSensors[kind].base_hi);
  }

  // The reading at `minute`, or nothing while the sensor drops out. Draws the
  // same random numbers either way, so events do not shift the noise.
  std::optional<double> Read(std::int64_t minute) {
    drift_ = 0.995 * drift_ + Normal(rng_, 0, 0.004);
    double value = std::max(0.0, base_ + drift_ + Normal(rng_, 0, 0.01));
    for (const Event& e : events_) {
      value += e.kind == EventKind::kBuildUp ? BuildUp(e, minute) : 0;
    }
    for (const Event& e : events_) {
      if (minute < e.start || minute > e.end || e.kind == EventKind::kBuildUp) {
        continue;
      }
      if (e.kind == EventKind::kDropout) {
        return std::nullopt;
      }
      if (e.kind == EventKind::kStuck && minute == e.start) {
        stuck_ = value;
      }
      value = e.kind == EventKind::kStuck ? stuck_ : e.peak;
    }
    return value;
  }

  const std::string& region() const { return region_; }
  const char* indicator() const { return kSensors[kind_].indicator; }
  std::vector<Event>& events() { return events_; }

 private:
  std::string region_;
  std::size_t kind_;
  Rng rng_;
  double base_ = 0;
  double drift_ = 0;
  double stuck_ = 0;
  std::vector<Event> events_;
};

// Sensors are ordered mine by mine, face then return; `busy` marks the
// (sensor, slot) pairs already holding an event.
class Planner {
 public:
  Planner(ScenarioContext& context, std::vector<Sensor>& sensors)
      : context_(context),
        sensors_(sensors),
        busy_(sensors.size() * kSlots, false),
        rng_(context.seed, "mines/events") {}

  void BuildUp() {
    std::size_t mine = 0;
    std::int64_t slot = 0;
    do {
      mine = rng_.Below(std::size(kMines));
      slot = std::int64_t(rng_.Below(kSlots));
    } while (busy_[(2 * mine) * kSlots + slot] || busy_[(2 * mine + 1) * kSlots + slot]);
    Event face{.kind = EventKind::kBuildUp,
               .start = slot * kSlotMinutes + rng_.Between(60, 300),
               .peak = rng_.Uniform(1.0, 2.0),
               .rise = rng_.Uniform(30, 120),
               .clear = rng_.Uniform(10, 30)};
    for (std::size_t k = 0; k < kSensors.size(); ++k) {
      Event e = face;
      e.start += 5 * std::int64_t(k);  // the gas reaches the return airway later
      e.peak *= kSensors[k].build_up_share;
      e.end = e.start + std::int64_t(std::ceil(e.rise + e.clear * std::log(e.peak / 0.02)));
      Add(2 * mine + k, slot, e, "build-up", fmt::format("added_peak={:.2f}", e.peak));
    }
  }

  void Fault(EventKind kind) {
    std::size_t sensor = 0;
    std::int64_t slot = 0;
    do {
      sensor = rng_.Below(sensors_.size());
      slot = std::int64_t(rng_.Below(kSlots));
    } while (busy_[sensor * kSlots + slot]);
    Event e{.kind = kind, .start = slot * kSlotMinutes + rng_.Between(60, 300)};
    const char* detail = "dropout";
    if (kind == EventKind::kStuck) {
      e.end = e.start + rng_.Between(60, 180);
      detail = "stuck-at";
    } else if (kind == EventKind::kSpike) {
      e.end = e.start + rng_.Between(0, 2);
      e.peak = rng_.Uniform(3.0, 5.0);
      detail = "spike";
    } else {
      e.end = e.start + rng_.Between(15, 90);
    }
    Add(sensor, slot, e, "sensor-fault", detail);
  }

 private:
  void Add(std::size_t sensor, std::int64_t slot, const Event& e, std::string_view kind,
           std::string_view detail) {
    busy_[sensor * kSlots + slot] = true;
    sensors_[sensor].events().push_back(e);
    context_.labels->Add(sensors_[sensor].indicator(), sensors_[sensor].region(), Minute(e.start),
                         Minute(e.end), Frequency::kStream, kind, detail);
  }

  ScenarioContext& context_;
  std::vector<Sensor>& sensors_;
  std::vector<bool> busy_;
  Rng rng_;
};

std::string SiteCode(const Geography& geo, const Mine& mine) {
  return geo.regions[geo.districts[mine.district]].code + "-M1";
}

}  // namespace

void AddMineCatalogue(WorkspaceSpec& spec, Geography& geo) {
  spec.domains.push_back(
      {.id = "production-safety", .name = "Production safety", .cap_category = "Safety"});
  spec.policies.push_back({.id = "mine-gas",
                           .hazard = "methane",
                           .score_cut_points = {1.0, 2.0, 3.0, 4.0},
                           .demote_after = std::chrono::minutes(15),
                           .expire_after = std::chrono::hours(1),
                           .urgency = "Immediate",
                           .certainty = "Observed"});
  for (const SensorKind& s : kSensors) {
    spec.indicators.push_back({.id = s.indicator,
                               .name = s.name,
                               .domain = "production-safety",
                               .unit = "% vol",
                               .frequency = Frequency::kStream,
                               .direction = Direction::kHigherIsWorse,
                               .value_kind = ValueKind::kLevel,
                               .allowed_lateness = std::chrono::minutes(2),
                               .detectors = {Detector("threshold", {{"levels", "0.5,0.75,1,1.5"}}),
                                             Detector("anomaly", {{"learning_period", "720"}})},
                               .policy = "mine-gas"});
  }
  for (const Mine& mine : kMines) {
    geo.sites.push_back(geo.regions.size());
    geo.regions.push_back({.code = SiteCode(geo, mine),
                           .name = mine.name,
                           .parent = geo.regions[geo.districts[mine.district]].code});
  }
  spec.sources.push_back(FileSource("mine-sensors", "methane.csv"));
}

Status WriteMines(ScenarioContext& context, const Geography& geo) {
  std::vector<Sensor> sensors;
  for (const Mine& mine : kMines) {
    const std::string code = SiteCode(geo, mine);
    for (std::size_t k = 0; k < kSensors.size(); ++k) {
      sensors.emplace_back(code, k, Rng(context.seed, fmt::format("mines/{}/{}", code, k)));
    }
  }
  Planner planner(context, sensors);
  for (int i = 0; i < kBuildUps; ++i) {
    planner.BuildUp();
  }
  for (EventKind kind : {EventKind::kStuck, EventKind::kSpike, EventKind::kDropout}) {
    for (int i = 0; i < kFaultsPerKind; ++i) {
      planner.Fault(kind);
    }
  }
  VIGIL_ASSIGN_OR_RETURN(ObservationFile file,
                         ObservationFile::Create(context, "methane.csv", "mine-sensors"));
  for (std::int64_t minute = 0; minute < kMinutes; ++minute) {
    const std::string time = file.Time(Minute(minute), Frequency::kStream);
    for (Sensor& s : sensors) {
      if (const std::optional<double> value = s.Read(minute)) {
        file.Add(s.indicator(), s.region(), time, fmt::format("{:.3f}", *value));
      }
    }
  }
  context.observations += file.count();
  context.series += static_cast<std::int64_t>(sensors.size());
  return file.Close();
}

}  // namespace vigil::sim
