#include "engine/warning_scale_testing.h"

#include <fmt/format.h>

#include <array>
#include <iterator>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "config/config.h"
#include "ingest/input.h"
#include "ingest/record_reader.h"
#include "sqlite/sqlite_store.h"
#include "warn/event_json.h"

namespace vigil::warning_scale {
namespace {

constexpr std::array<const char*, kIndicators> kIndicatorIds = {"cases", "admissions",
                                                                "lab-positives", "absences"};
constexpr int kDistrictsPerProvince = 100;
// Normal values (4 to 6) are below blue; an outbreak's 100 is orange.
constexpr const char* kLevels = "[20, 40, 80, 160]";
constexpr int kOutbreakValue = 100;

const std::int64_t kFirstDay =
    PeriodIndex(*ParseRfc3339("2024-03-01T00:00:00Z"), Frequency::kDaily);

std::string Province(int province) { return fmt::format("XA-{:03}", province); }
std::string ProvinceAgency(int province) { return fmt::format("province-{:03}-health", province); }
std::string District(int district) {
  return fmt::format("{}-{:02}", Province(district / kDistrictsPerProvince),
                     district % kDistrictsPerProvince);
}

std::string CatalogueYaml(const Scenario& s) {
  const int provinces = (s.districts + kDistrictsPerProvince - 1) / kDistrictsPerProvince;
  std::string yaml =
      "workspace:\n  name: Warning scale\ndomains:\n  - { id: health, cap_category: Health }\n"
      "regions:\n  - { code: XA }\n";
  auto out = std::back_inserter(yaml);
  for (int p = 0; p < provinces; ++p) {
    fmt::format_to(out, "  - {{ code: {}, parent: XA }}\n", Province(p));
  }
  for (int d = 0; d < s.districts; ++d) {
    fmt::format_to(out, "  - {{ code: {}, parent: {} }}\n", District(d),
                   Province(d / kDistrictsPerProvince));
  }
  yaml += "policies:\n  - { id: outbreak, hazard: infectious-disease }\nindicators:\n";
  for (const char* id : kIndicatorIds) {
    fmt::format_to(out,
                   "  - {{ id: {}, domain: health, frequency: daily, policy: outbreak, detectors: "
                   "[{{ method: threshold, params: {{ levels: {} }} }}] }}\n",
                   id, kLevels);
  }
  yaml += "agencies:\n";
  for (int p = 0; p < provinces; ++p) {
    fmt::format_to(out,
                   "  - {{ id: {}, regions: [{}], escalate_to: national-health, channels: "
                   "[{{ kind: webhook, target: \"https://{}.example.org/vigil\" }}] }}\n",
                   ProvinceAgency(p), Province(p), ProvinceAgency(p));
  }
  yaml +=
      "  - { id: national-health, regions: [XA], channels: [{ kind: webhook, target: "
      "\"https://national.example.org/vigil\" }] }\n";
  return yaml;
}

bool InOutbreak(const Scenario& s, int district, int day) {
  return s.HasOutbreak(district) && day >= s.normal_days && day < s.days();
}

std::string DayCsv(const Scenario& s, int day) {
  std::string csv = "indicator,region,time,value\n";
  const std::string date =
      FormatEventTime(PeriodStart(kFirstDay + day, Frequency::kDaily), Frequency::kDaily);
  auto out = std::back_inserter(csv);
  for (int d = 0; d < s.districts; ++d) {
    const std::string region = District(d);
    for (int i = 0; i < kIndicators; ++i) {
      const int value = InOutbreak(s, d, day) ? kOutbreakValue : 4 + (d + day + i) % 3;
      fmt::format_to(out, "{},{},{},{}\n", kIndicatorIds[i], region, date, value);
    }
  }
  return csv;
}

// Active warnings in `state`, and how many of them are on outbreak districts.
std::pair<std::int64_t, std::int64_t> CountActive(
    const warn::State& state, const std::unordered_set<std::string>& outbreak_regions) {
  std::int64_t active = 0;
  std::int64_t on_outbreaks = 0;
  for (const auto& [key, cell] : state.cells) {
    if (cell.warning && cell.warning->active()) {
      ++active;
      on_outbreaks += outbreak_regions.contains(key.region) ? 1 : 0;
    }
  }
  return {active, on_outbreaks};
}

struct IssuedWarning {
  std::string region;
  std::string agency;
};

// The log's events counted into `c`; the warnings issued, by id.
std::unordered_map<std::string, IssuedWarning> CountEvents(const std::vector<warn::Event>& events,
                                                           Counts& c) {
  std::unordered_map<std::string, IssuedWarning> issued;
  for (const warn::Event& e : events) {
    ++c.events;
    c.evidence_events += e.kind == warn::EventKind::kEvidence ? 1 : 0;
    if (e.kind == warn::EventKind::kIssued) {
      ++c.issued_events;
      issued[e.warning.id] = {e.key.region, e.warning.agency};
    }
  }
  return issued;
}

// Counts the outbox into `c`. A notification id is
// "<warning id>#<event seq>/<kind>/<agency>/<channel index>" (notify/outbox.h).
void CountOutbox(const std::vector<OutboxItem>& items, const Catalogue& catalogue,
                 const std::unordered_map<std::string, IssuedWarning>& warnings,
                 const std::unordered_set<std::string>& outbreak_regions, Counts& c) {
  std::unordered_set<std::string> ids;
  std::unordered_map<std::string, int> issued;  // "<warning id>#<agency>/<channel>"
  for (const OutboxItem& item : items) {
    ++c.outbox_items;
    c.repeated_ids += ids.insert(item.notification_id).second ? 0 : 1;
    const auto w = warnings.find(item.warning_id);
    c.items_without_outbreak +=
        w == warnings.end() || !outbreak_regions.contains(w->second.region) ? 1 : 0;
    const std::string_view id = item.notification_id;
    const std::string_view tail = id.substr(id.find('#') + 1);  // seq/kind/agency/channel
    const std::string_view after_seq = tail.substr(tail.find('/') + 1);
    const size_t kind_end = after_seq.find('/');
    if (after_seq.substr(0, kind_end) == "issued") {
      ++c.issued_items;
      ++issued[fmt::format("{}#{}", item.warning_id, after_seq.substr(kind_end + 1))];
    }
  }
  for (const auto& [id, w] : warnings) {
    const Agency* agency = catalogue.FindAgency(w.agency);
    const size_t channels = agency == nullptr ? 0 : agency->channels.size();
    for (size_t ch = 0; ch < channels; ++ch) {
      const auto it = issued.find(fmt::format("{}#{}/{}", id, w.agency, ch));
      c.issued_not_once += it == issued.end() || it->second != 1 ? 1 : 0;
      if (it != issued.end()) {
        issued.erase(it);
      }
    }
  }
  c.issued_not_once += static_cast<std::int64_t>(issued.size());
}

}  // namespace

Pipeline::Pipeline(const Scenario& scenario)
    : scenario_(scenario), clock_(PeriodStart(kFirstDay, Frequency::kDaily)) {}

Pipeline::~Pipeline() = default;

Result<std::unique_ptr<Pipeline>> Pipeline::Open(const Scenario& scenario,
                                                 const std::filesystem::path& dir) {
  std::unique_ptr<Pipeline> pipeline(new Pipeline(scenario));
  VIGIL_ASSIGN_OR_RETURN(pipeline->catalogue_,
                         LoadCatalogueText(CatalogueYaml(scenario), "workspace.yaml"));
  VIGIL_ASSIGN_OR_RETURN(pipeline->store_, OpenSqliteStore(dir / "vigil.db", SqliteOptions{}));
  VIGIL_ASSIGN_OR_RETURN(pipeline->stage_, WarningStage::Open(pipeline->catalogue_,
                                                              *pipeline->store_, pipeline->clock_));
  VIGIL_ASSIGN_OR_RETURN(
      pipeline->detection_,
      IngestDetection::Open(pipeline->catalogue_, *pipeline->store_, pipeline->stage_.get()));
  return pipeline;
}

Result<IngestSummary> Pipeline::IngestDay(int day) {
  const std::string csv = DayCsv(scenario_, day);
  clock_.Set(PeriodStart(kFirstDay + day + 1, Frequency::kDaily));
  StringSource source(csv);
  InputBuffer buffer(source);
  const std::string name = fmt::format("day-{}.csv", day);
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<RecordReader> reader, OpenCsvRecordReader(buffer, name));
  Ingestor ingestor(catalogue_, *store_, clock_, detection_.get());
  IngestListener listener;
  return ingestor.Ingest(*reader, {name, "sim"}, {}, listener);
}

Result<Counts> Pipeline::Count() {
  std::unordered_set<std::string> outbreak_regions;
  for (int d = 0; d < scenario_.districts; ++d) {
    if (scenario_.HasOutbreak(d)) {
      outbreak_regions.insert(District(d));
    }
  }
  Counts c;
  const auto [active, on_outbreaks] = CountActive(stage_->state(), outbreak_regions);
  c.active = active;
  c.active_without_outbreak = active - on_outbreaks;
  c.outbreaks_without_warning = scenario_.outbreaks() - on_outbreaks;

  VIGIL_ASSIGN_OR_RETURN(const std::vector<WarningEventRecord> records,
                         store_->ReadWarningEvents({}));
  std::vector<warn::Event> events;
  for (const WarningEventRecord& record : records) {
    VIGIL_ASSIGN_OR_RETURN(warn::Event e, warn::DecodeEvent(record.body));
    events.push_back(std::move(e));
  }
  const warn::State replayed = warn::Replay(events);
  c.replay_matches = replayed == stage_->state();
  c.active_replayed = CountActive(replayed, outbreak_regions).first;
  const std::unordered_map<std::string, IssuedWarning> warnings = CountEvents(events, c);

  VIGIL_ASSIGN_OR_RETURN(const std::vector<OutboxItem> items, store_->ReadOutbox({}));
  CountOutbox(items, catalogue_, warnings, outbreak_regions, c);
  return c;
}

}  // namespace vigil::warning_scale
