#include "publish/cap_validate.h"

#include <fmt/format.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <string>
#include <unordered_map>

#include "publish/cap_rules.h"
#include "publish/cap_xsd.h"
#include "publish/xml_tree.h"

namespace vigil::publish {
namespace {

constexpr std::string_view kCapNamespace = "urn:oasis:names:tc:emergency:cap:1.2";

struct DocFree {
  void operator()(xmlDocPtr doc) const { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

std::string Str(const xmlChar* s) { return s == nullptr ? "" : reinterpret_cast<const char*>(s); }

// "/alert/info[2]/area": the index is written where the name repeats among siblings.
std::string NodePath(xmlNodePtr node) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE) {
    return "/";
  }
  int index = 1;
  int same = 1;
  for (xmlNodePtr s = node->prev; s != nullptr; s = s->prev) {
    if (s->type == XML_ELEMENT_NODE && xmlStrEqual(s->name, node->name)) {
      ++index, ++same;
    }
  }
  for (xmlNodePtr s = node->next; s != nullptr; s = s->next) {
    same += (s->type == XML_ELEMENT_NODE && xmlStrEqual(s->name, node->name)) ? 1 : 0;
  }
  const std::string parent = node->parent != nullptr && node->parent->type == XML_ELEMENT_NODE
                                 ? NodePath(node->parent)
                                 : "";
  return parent + "/" + Str(node->name) + (same > 1 ? fmt::format("[{}]", index) : "");
}

// Collects libxml2's errors as findings, at most `limit` of them.
struct ErrorSink {
  FindingKind kind = FindingKind::kXml;
  std::vector<CapFinding> findings;
  size_t limit = SIZE_MAX;
  size_t dropped = 0;
};

std::string CleanMessage(const char* message) {
  std::string text = message == nullptr ? "unknown error" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  const std::string ns = fmt::format("{{{}}}", kCapNamespace);
  for (size_t at = text.find(ns); at != std::string::npos; at = text.find(ns, at)) {
    text.erase(at, ns.size());
  }
  return text;
}

void OnError(void* context, xmlErrorPtr error) {
  auto* sink = static_cast<ErrorSink*>(context);
  if (error == nullptr || error->level == XML_ERR_WARNING) {
    return;
  }
  if (sink->findings.size() >= sink->limit) {
    ++sink->dropped;
    return;
  }
  auto* node = static_cast<xmlNodePtr>(error->node);
  const bool element = node != nullptr && node->type == XML_ELEMENT_NODE;
  const int line = error->line > 0 ? error->line
                   : element       ? static_cast<int>(xmlGetLineNo(node))
                                   : 0;
  sink->findings.push_back({FindingSeverity::kError, sink->kind, line,
                            element ? NodePath(node) : "/", CleanMessage(error->message)});
}

// A DOCTYPE may declare entities (XXE, "billion laughs"): stop at the
// declaration itself, before anything in it is read.
void OnDoctype(void* context, const xmlChar*, const xmlChar*, const xmlChar*) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(context);
  auto* sink = static_cast<ErrorSink*>(ctxt->_private);
  sink->findings.push_back({FindingSeverity::kError, FindingKind::kXml, xmlSAX2GetLineNumber(ctxt),
                            "/",
                            "DOCTYPE declarations are not allowed in CAP messages (they can "
                            "declare entities); remove it"});
  xmlStopParser(ctxt);
}

// The document, or nullptr with the reasons in `sink`.
DocPtr Parse(std::string_view xml, ErrorSink& sink) {
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (ctxt == nullptr) {
    sink.findings.push_back({FindingSeverity::kError, FindingKind::kXml, 0, "/", "out of memory"});
    return nullptr;
  }
  ctxt->sax->internalSubset = OnDoctype;
  ctxt->_private = &sink;
  xmlSetStructuredErrorFunc(&sink, OnError);
  const size_t before = sink.findings.size();
  DocPtr doc(xmlCtxtReadMemory(ctxt, xml.data(),
                               static_cast<int>(std::min<size_t>(xml.size(), INT_MAX)), nullptr,
                               nullptr, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES));
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  const bool well_formed = ctxt->wellFormed != 0 && sink.findings.size() == before;
  xmlFreeParserCtxt(ctxt);
  if (!well_formed) {
    if (sink.findings.size() == before) {
      sink.findings.push_back(
          {FindingSeverity::kError, FindingKind::kXml, 0, "/", "not a well-formed XML document"});
    }
    return nullptr;
  }
  return doc;
}

// The compiled CAP schema, built once from the embedded XSD and never freed.
xmlSchemaPtr CapSchema() {
  static const xmlSchemaPtr schema = [] {
    xmlInitParser();
    const std::string_view xsd = CapXsdText();
    xmlSchemaParserCtxtPtr parser =
        xmlSchemaNewMemParserCtxt(xsd.data(), static_cast<int>(xsd.size()));
    xmlSchemaPtr compiled = xmlSchemaParse(parser);
    xmlSchemaFreeParserCtxt(parser);
    return compiled;
  }();
  return schema;
}

std::vector<CapFinding> ValidateSchema(xmlDocPtr doc) {
  ErrorSink sink{.kind = FindingKind::kSchema, .limit = kMaxSchemaFindings};
  xmlSchemaValidCtxtPtr valid = xmlSchemaNewValidCtxt(CapSchema());
  xmlSchemaSetValidStructuredErrors(valid, OnError, &sink);
  const int rc = xmlSchemaValidateDoc(valid, doc);
  xmlSchemaFreeValidCtxt(valid);
  if (rc != 0 && sink.findings.empty()) {
    sink.findings.push_back({FindingSeverity::kError, FindingKind::kSchema, 0, "/",
                             "does not match the CAP 1.2 schema"});
  }
  if (sink.dropped > 0) {
    sink.findings.push_back({FindingSeverity::kError, FindingKind::kSchema, 0, "/",
                             fmt::format("{} more schema errors not listed", sink.dropped)});
  }
  return sink.findings;
}

XmlElement ToTree(xmlNodePtr node, const std::string& path) {
  XmlElement element{.ns = node->ns != nullptr ? Str(node->ns->href) : "",
                     .name = Str(node->name),
                     .path = path,
                     .line = static_cast<int>(xmlGetLineNo(node))};
  std::unordered_map<std::string, int> totals;
  for (xmlNodePtr c = node->children; c != nullptr; c = c->next) {
    totals[Str(c->name)] += c->type == XML_ELEMENT_NODE ? 1 : 0;
  }
  std::unordered_map<std::string, int> seen;
  for (xmlNodePtr c = node->children; c != nullptr; c = c->next) {
    if (c->type == XML_TEXT_NODE) {
      element.text += Str(c->content);
    } else if (c->type == XML_ELEMENT_NODE) {
      const std::string name = Str(c->name);
      const int index = ++seen[name];
      const std::string suffix = totals[name] > 1 ? fmt::format("[{}]", index) : "";
      element.children.push_back(ToTree(c, path + "/" + name + suffix));
    }
  }
  return element;
}

}  // namespace

const char* FindingSeverityName(FindingSeverity severity) {
  return severity == FindingSeverity::kError ? "error" : "warning";
}

size_t CapValidation::ErrorCount() const {
  return std::count_if(findings.begin(), findings.end(),
                       [](const CapFinding& f) { return f.severity == FindingSeverity::kError; });
}

size_t CapValidation::WarningCount() const { return findings.size() - ErrorCount(); }

CapValidation ValidateCap(std::string_view xml) {
  CapSchema();  // initialises libxml2 before the first parse
  CapValidation result;
  ErrorSink sink;
  DocPtr doc = Parse(xml, sink);
  if (doc == nullptr) {
    result.findings = std::move(sink.findings);
    return result;
  }
  result.findings = ValidateSchema(doc.get());
  xmlNodePtr root = xmlDocGetRootElement(doc.get());
  const XmlElement tree = ToTree(root, "/" + Str(root->name));
  if (tree.name != "alert" || tree.ns != kCapNamespace) {
    result.findings.push_back(
        {FindingSeverity::kError, FindingKind::kSchema, tree.line, tree.path,
         fmt::format("the root element must be <alert> in namespace {}", kCapNamespace)});
  } else {
    std::vector<CapFinding> rules = CheckCapRules(tree);
    result.findings.insert(result.findings.end(), rules.begin(), rules.end());
  }
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [](const CapFinding& a, const CapFinding& b) { return a.line < b.line; });
  return result;
}

}  // namespace vigil::publish
