// Detector methods and their parameters: the one table that `vigil validate`
// (catalogue detectors), `vigil detect --param` and the engine all read.
//
// Parameter values are text ("7", "0.001", "TRUE", "delta", "10,20,30,40"),
// as written in the catalogue or on the command line; names and defaults follow
// the control lists of the R package `surveillance` where a method exists there.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace vigil {

enum class DetectorShape {
  kStreaming,  // O(1) state per series, updated per observation
  kPeriodic,   // refit per closed period from history
};

enum class ParamType {
  kInt,            // whole number within [min, max]
  kDouble,         // finite number within [min, max]
  kBool,           // TRUE/FALSE, true/false, 1/0
  kChoice,         // one of `choices`
  kDoubleList,     // comma-separated numbers, each within [min, max]; up to `max_items`
  kOptionalInt,    // like kInt, or "NULL" meaning "not set" (surveillance's NULL defaults)
  kOptionalDouble  // like kDouble, or "NULL" meaning "not set" (e.g. cusum's m)
};

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kDouble;
  std::string default_value;  // text form; "NULL" for an unset optional
  double min = 0;
  double max = 0;
  std::vector<std::string> choices;
  int max_items = 0;
  std::string help;
};

struct MethodSpec {
  std::string name;  // "threshold", "ears-c1", ... as used by `vigil detect --method`
  DetectorShape shape = DetectorShape::kStreaming;
  std::string summary;
  std::vector<ParamSpec> params;
  const ParamSpec* FindParam(std::string_view param) const;
};

// Every method Vigil implements, in documentation order.
const std::vector<MethodSpec>& DetectorMethods();
// nullptr when unknown.
const MethodSpec* FindMethod(std::string_view name);
// "unknown detector 'x' (known: threshold, ears-c1, ...)".
Status UnknownMethod(std::string_view name);

// One problem with a given parameter list.
struct ParamProblem {
  int given_index = -1;  // index into the given list; -1 for a required parameter left out
  Status status;
};

// Parsed parameter values of one method: defaults overlaid with what was given.
class ParamSet {
 public:
  // Checks every name and value against the spec. The error names the parameter,
  // the value, and the allowed range or choices.
  static Result<ParamSet> Parse(const MethodSpec& method,
                                const std::vector<std::pair<std::string, std::string>>& given);
  // Every problem Parse would find, in order (unknown names, bad values, missing
  // required parameters), for reports that list them all; empty when Parse succeeds.
  static std::vector<ParamProblem> Check(
      const MethodSpec& method, const std::vector<std::pair<std::string, std::string>>& given);

  double GetDouble(std::string_view name) const;
  int GetInt(std::string_view name) const;
  bool GetBool(std::string_view name) const;
  bool IsSet(std::string_view name) const;  // false for kOptionalInt/kOptionalDouble left at NULL
  const std::string& GetText(std::string_view name) const;
  std::vector<double> GetList(std::string_view name) const;
  // Every parameter with its effective text value, for evidence in signals.
  const std::map<std::string, std::string, std::less<>>& values() const { return values_; }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

// Validates one parameter's text against its spec: "parameter 'alpha' of ears-c1
// must be a number in [1e-12, 0.5], got '1.5'".
Status CheckParamValue(const MethodSpec& method, const ParamSpec& spec, std::string_view value);

}  // namespace vigil
