#include "simulate/workspace.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>

namespace vigil::sim {
namespace {

// Double-quotes text that YAML would otherwise read as something else.
std::string Scalar(std::string_view text) {
  const bool plain =
      !text.empty() && text.find_first_of(":#{}[],&*!|>'\"%@`") == std::string_view::npos &&
      text.front() != ' ' && text.back() != ' ' && text.front() != '-' && text.front() != '?';
  if (plain) {
    return std::string(text);
  }
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
    }
    quoted += c;
  }
  return quoted + "\"";
}

// A detector parameter value: lists ("1,2,3") as YAML flow sequences.
std::string ParamValue(const std::string& value) {
  if (value.find(',') == std::string::npos) {
    return Scalar(value);
  }
  std::string list = "[";
  for (std::size_t pos = 0; pos <= value.size();) {
    const std::size_t comma = std::min(value.find(',', pos), value.size());
    list += (pos == 0 ? "" : ", ") + value.substr(pos, comma - pos);
    pos = comma + 1;
  }
  return list + "]";
}

std::string Ring(const std::vector<LonLat>& ring) {
  std::string text = "[[";
  for (std::size_t i = 0; i < ring.size(); ++i) {
    text += fmt::format("{}[{}, {}]", i == 0 ? "" : ", ", ring[i].lon, ring[i].lat);
  }
  return text + "]]";
}

void WriteDomains(std::string& out, const std::vector<Domain>& domains) {
  out += "\ndomains:\n";
  for (const Domain& d : domains) {
    out += fmt::format("  - id: {}\n    name: {}\n    cap_category: {}\n", d.id, Scalar(d.name),
                       d.cap_category);
  }
}

void WriteRegions(std::string& out, const std::vector<RegionSpec>& regions) {
  out += "\nregions:\n";
  for (const RegionSpec& r : regions) {
    out += fmt::format("  - code: {}\n    name: {}\n", r.code, Scalar(r.name));
    if (!r.parent.empty()) {
      out += fmt::format("    parent: {}\n", r.parent);
    }
    if (r.population) {
      out += fmt::format("    population: {}\n", *r.population);
    }
    if (!r.ring.empty()) {
      out +=
          fmt::format("    geometry:\n      type: Polygon\n      coordinates: {}\n", Ring(r.ring));
    }
  }
}

void WritePolicies(std::string& out, const std::vector<WarningPolicy>& policies) {
  static constexpr std::array<const char*, 4> kLevels = {"blue", "yellow", "orange", "red"};
  out += "\npolicies:\n";
  for (const WarningPolicy& p : policies) {
    std::string levels;
    for (std::size_t i = 0; i < kLevels.size(); ++i) {
      if (p.score_cut_points[i]) {
        levels +=
            fmt::format("{}{}: {}", levels.empty() ? "" : ", ", kLevels[i], *p.score_cut_points[i]);
      }
    }
    out += fmt::format(
        "  - id: {}\n    hazard: {}\n    levels: {{ {} }}\n    demote_after: {}\n"
        "    expire_after: {}\n    urgency: {}\n    certainty: {}\n",
        p.id, p.hazard, levels, FormatDuration(p.demote_after), FormatDuration(p.expire_after),
        p.urgency, p.certainty);
  }
}

void WriteDetectors(std::string& out, const std::vector<DetectorSpec>& detectors) {
  out += "    detectors:\n";
  for (const DetectorSpec& d : detectors) {
    out += fmt::format("      - method: {}\n", d.method);
    if (d.params.empty()) {
      continue;
    }
    std::string params;
    for (const DetectorParam& p : d.params) {
      params += fmt::format("{}{}: {}", params.empty() ? "" : ", ", p.name, ParamValue(p.value));
    }
    out += fmt::format("        params: {{ {} }}\n", params);
  }
}

void WriteIndicators(std::string& out, const std::vector<Indicator>& indicators) {
  out += "\nindicators:\n";
  for (const Indicator& i : indicators) {
    out += fmt::format(
        "  - id: {}\n    name: {}\n    domain: {}\n    unit: {}\n    frequency: {}\n"
        "    direction: {}\n    value_kind: {}\n    allowed_lateness: {}\n",
        i.id, Scalar(i.name), i.domain, Scalar(i.unit), FrequencyName(i.frequency),
        DirectionName(i.direction), ValueKindName(i.value_kind),
        FormatDuration(i.allowed_lateness));
    if (!i.policy.empty()) {
      out += fmt::format("    policy: {}\n", i.policy);
    }
    if (!i.detectors.empty()) {
      WriteDetectors(out, i.detectors);
    }
  }
}

void WriteSources(std::string& out, const std::vector<DataSource>& sources) {
  out += "\nsources:\n";
  for (const DataSource& s : sources) {
    out += fmt::format("  - id: {}\n    kind: {}\n    path: {}\n    format: {}\n", s.id, s.kind,
                       s.path, s.format);
  }
}

void WriteAgencies(std::string& out, const std::vector<Agency>& agencies) {
  if (agencies.empty()) {
    return;
  }
  out += "\nagencies:\n";
  for (const Agency& a : agencies) {
    out += fmt::format("  - id: {}\n    name: {}\n    regions: [{}]\n", a.id, Scalar(a.name),
                       fmt::join(a.regions, ", "));
    if (!a.domains.empty()) {
      out += fmt::format("    domains: [{}]\n", fmt::join(a.domains, ", "));
    }
    if (!a.escalate_to.empty()) {
      out += fmt::format("    escalate_to: {}\n", a.escalate_to);
    }
  }
}

}  // namespace

std::string WorkspaceYaml(const WorkspaceSpec& spec, std::string_view comment) {
  std::string out;
  for (std::size_t pos = 0; pos < comment.size();) {
    const std::size_t end = std::min(comment.find('\n', pos), comment.size());
    out += fmt::format("# {}\n", comment.substr(pos, end - pos));
    pos = end + 1;
  }
  out += fmt::format("workspace:\n  name: {}\n  sender: {}\n  language: {}\n",
                     Scalar(spec.info.name), spec.info.sender, spec.info.language);
  WriteDomains(out, spec.domains);
  WriteRegions(out, spec.regions);
  WritePolicies(out, spec.policies);
  WriteIndicators(out, spec.indicators);
  WriteSources(out, spec.sources);
  WriteAgencies(out, spec.agencies);
  return out;
}

DetectorSpec Detector(std::string method, std::vector<std::pair<std::string, std::string>> params) {
  DetectorSpec spec{.method = std::move(method)};
  for (auto& [name, value] : params) {
    spec.params.push_back({.name = std::move(name), .value = std::move(value)});
  }
  return spec;
}

}  // namespace vigil::sim
