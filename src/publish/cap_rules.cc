#include "publish/cap_rules.h"

#include <fmt/format.h>

#include <charconv>
#include <string>
#include <utility>

namespace vigil::publish {
namespace {

constexpr std::string_view kSpace = " \t\r\n";

class RuleChecker {
 public:
  void Error(const XmlElement& at, std::string message) {
    findings_.push_back(
        {FindingSeverity::kError, FindingKind::kRule, at.line, at.path, std::move(message)});
  }
  void Warning(const XmlElement& at, std::string message) {
    findings_.push_back(
        {FindingSeverity::kWarning, FindingKind::kRule, at.line, at.path, std::move(message)});
  }
  std::vector<CapFinding> Take() { return std::move(findings_); }

 private:
  std::vector<CapFinding> findings_;
};

std::vector<std::string_view> SplitOnSpace(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = text.find_first_not_of(kSpace);
  while (pos != std::string_view::npos) {
    const size_t end = std::min(text.find_first_of(kSpace, pos), text.size());
    out.push_back(text.substr(pos, end - pos));
    pos = text.find_first_not_of(kSpace, end);
  }
  return out;
}

// A plain decimal number ("-120.14", "25", "0.0"): no exponent, no inf or nan.
std::optional<double> ParseDecimal(std::string_view text) {
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    const std::optional<double> rest = ParseDecimal(text.substr(1));
    return (rest && text[0] == '-') ? std::optional<double>(-*rest) : rest;
  }
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  const auto all_digits = [](std::string_view s) {
    return s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if ((whole.empty() && fraction.empty()) || !all_digits(whole) || !all_digits(fraction)) {
    return std::nullopt;
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

struct Point {
  double lat = 0;
  double lon = 0;
  bool operator==(const Point&) const = default;
};

// Parses "lat,lon" in WGS 84 decimal degrees; on failure says why in `why`.
std::optional<Point> ParsePoint(std::string_view text, std::string& why) {
  const size_t comma = text.find(',');
  const std::optional<double> lat = ParseDecimal(text.substr(0, comma));
  const std::optional<double> lon =
      comma == std::string_view::npos ? std::nullopt : ParseDecimal(text.substr(comma + 1));
  if (!lat || !lon) {
    why =
        fmt::format("'{}' is not a coordinate pair 'latitude,longitude' in decimal degrees", text);
    return std::nullopt;
  }
  if (*lat < -90 || *lat > 90) {
    why = fmt::format("'{}': latitude {} is outside [-90, 90] (CAP writes latitude first)", text,
                      *lat);
    return std::nullopt;
  }
  if (*lon < -180 || *lon > 180) {
    why = fmt::format("'{}': longitude {} is outside [-180, 180]", text, *lon);
    return std::nullopt;
  }
  return Point{*lat, *lon};
}

void CheckPolygon(const XmlElement& polygon, RuleChecker& check) {
  const std::vector<std::string_view> pairs = SplitOnSpace(polygon.text);
  std::vector<Point> points;
  for (std::string_view pair : pairs) {
    std::string why;
    const std::optional<Point> point = ParsePoint(pair, why);
    if (!point) {
      check.Error(polygon, why);
      return;
    }
    points.push_back(*point);
  }
  if (points.size() < 4) {
    check.Error(polygon, fmt::format("a polygon needs at least 4 coordinate pairs, found {}",
                                     points.size()));
  } else if (points.front() != points.back()) {
    check.Error(polygon, fmt::format("polygon is not closed: the first pair '{}' and the last "
                                     "pair '{}' must be the same",
                                     pairs.front(), pairs.back()));
  }
}

void CheckCircle(const XmlElement& circle, RuleChecker& check) {
  const std::vector<std::string_view> parts = SplitOnSpace(circle.text);
  if (parts.size() != 2) {
    check.Error(circle, fmt::format("a circle is 'latitude,longitude radius' (radius in km), "
                                    "found '{}'",
                                    TrimXmlSpace(circle.text)));
    return;
  }
  std::string why;
  if (!ParsePoint(parts[0], why)) {
    check.Error(circle, why);
  }
  const std::optional<double> radius = ParseDecimal(parts[1]);
  if (!radius || *radius < 0) {
    check.Error(circle,
                fmt::format("circle radius '{}' is not a non-negative number of km", parts[1]));
  }
}

void CheckArea(const XmlElement& area, RuleChecker& check) {
  for (const XmlElement* polygon : area.Children("polygon")) {
    CheckPolygon(*polygon, check);
  }
  for (const XmlElement* circle : area.Children("circle")) {
    CheckCircle(*circle, check);
  }
  const XmlElement* ceiling = area.Child("ceiling");
  if (ceiling != nullptr && area.Child("altitude") == nullptr) {
    check.Error(*ceiling, "ceiling may only be used together with altitude");
  }
}

void CheckIdChars(const XmlElement* element, std::string_view field, RuleChecker& check) {
  if (element != nullptr) {
    const std::string problem = CapIdProblem(TrimXmlSpace(element->text), field);
    if (!problem.empty()) {
      check.Error(*element, problem);
    }
  }
}

// A time the schema accepted; the prose asks for "-00:00" for UTC.
std::optional<Timestamp> CheckTime(const XmlElement* element, RuleChecker& check) {
  if (element == nullptr) {
    return std::nullopt;
  }
  const std::string_view text = TrimXmlSpace(element->text);
  const std::optional<Timestamp> t = ParseCapTime(text);
  if (t && text.ends_with("+00:00")) {
    check.Warning(*element, fmt::format("'{}': CAP 1.2 writes UTC as -00:00, not +00:00", text));
  }
  return t;
}

void CheckReferences(const XmlElement& alert, RuleChecker& check) {
  const XmlElement* references = alert.Child("references");
  const std::vector<std::string_view> entries =
      references == nullptr ? std::vector<std::string_view>() : SplitOnSpace(references->text);
  const std::string msg_type = alert.ChildText("msgType");
  if (entries.empty() && msg_type != "Alert" && !msg_type.empty()) {
    check.Error(references != nullptr ? *references : alert,
                fmt::format("a message of type {} must list the message(s) it refers to in "
                            "references",
                            msg_type));
  }
  for (std::string_view entry : entries) {
    const size_t first = entry.find(',');
    const size_t second = first == std::string_view::npos ? first : entry.find(',', first + 1);
    const bool three_parts =
        second != std::string_view::npos && entry.find(',', second + 1) == std::string_view::npos;
    if (!three_parts || first == 0 || second == first + 1 ||
        !ParseCapTime(entry.substr(second + 1))) {
      check.Error(*references, fmt::format("reference '{}' is not 'sender,identifier,sent' with "
                                           "sent a CAP date-time such as "
                                           "2024-03-01T10:00:00-00:00",
                                           entry));
      continue;
    }
    for (const auto& [part, field] :
         {std::pair{entry.substr(0, first), "referenced sender"},
          std::pair{entry.substr(first + 1, second - first - 1), "referenced identifier"}}) {
      const std::string problem = CapIdProblem(part, field);
      if (!problem.empty()) {
        check.Error(*references, problem);
      }
    }
  }
}

void CheckScope(const XmlElement& alert, RuleChecker& check) {
  const std::string scope = alert.ChildText("scope");
  const XmlElement* restriction = alert.Child("restriction");
  const bool has_restriction = !alert.ChildText("restriction").empty();
  if (has_restriction && scope != "Restricted") {
    check.Error(*restriction, fmt::format("restriction is for scope Restricted, but scope is {}",
                                          scope.empty() ? "missing" : scope));
  }
  if (!has_restriction && scope == "Restricted") {
    check.Warning(*alert.Child("scope"),
                  "scope Restricted without a restriction saying who may "
                  "receive the message");
  }
  if (scope == "Private" && alert.ChildText("addresses").empty()) {
    check.Error(*alert.Child("scope"), "scope Private requires addresses listing the recipients");
  }
}

void CheckInfo(const XmlElement& info, std::optional<Timestamp> sent, RuleChecker& check) {
  const std::optional<Timestamp> effective = CheckTime(info.Child("effective"), check);
  const std::optional<Timestamp> onset = CheckTime(info.Child("onset"), check);
  const std::optional<Timestamp> expires = CheckTime(info.Child("expires"), check);
  if (expires) {
    const std::optional<Timestamp> start = onset ? onset : effective ? effective : sent;
    if (start && *expires < *start) {
      check.Warning(*info.Child("expires"),
                    fmt::format("expires is earlier than {}", onset       ? "onset"
                                                              : effective ? "effective"
                                                                          : "sent"));
    }
  }
  for (const XmlElement* area : info.Children("area")) {
    CheckArea(*area, check);
  }
}

}  // namespace

// identifier, sender and the parts of a reference: CAP 1.2 forbids spaces,
// commas and the XML-reserved '<' and '&' in them.
std::string CapIdProblem(std::string_view value, std::string_view field) {
  if (value.empty()) {
    return fmt::format("{} is empty", field);
  }
  const size_t bad = value.find_first_of(" \t\r\n,<&");
  if (bad == std::string_view::npos) {
    return {};
  }
  const char c = value[bad];
  const std::string shown = c == ','                 ? "a comma"
                            : (c == '<' || c == '&') ? fmt::format("'{}'", c)
                                                     : "whitespace";
  return fmt::format("{} '{}' contains {}; CAP 1.2 forbids spaces, commas, '<' and '&' here", field,
                     value, shown);
}

std::optional<Timestamp> ParseCapTime(std::string_view text) {
  const auto digits_at = [&](std::initializer_list<size_t> positions) {
    for (size_t p : positions) {
      if (text[p] < '0' || text[p] > '9') {
        return false;
      }
    }
    return true;
  };
  if (text.size() != 25 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || (text[19] != '+' && text[19] != '-') || text[22] != ':' ||
      !digits_at({0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 23, 24})) {
    return std::nullopt;
  }
  Result<Timestamp> t = ParseRfc3339(text);
  return t.ok() ? std::optional<Timestamp>(*t) : std::nullopt;
}

std::vector<CapFinding> CheckCapRules(const XmlElement& alert) {
  RuleChecker check;
  CheckIdChars(alert.Child("identifier"), "identifier", check);
  CheckIdChars(alert.Child("sender"), "sender", check);
  const std::optional<Timestamp> sent = CheckTime(alert.Child("sent"), check);
  CheckScope(alert, check);
  CheckReferences(alert, check);
  for (const XmlElement* info : alert.Children("info")) {
    CheckInfo(*info, sent, check);
  }
  return check.Take();
}

}  // namespace vigil::publish
