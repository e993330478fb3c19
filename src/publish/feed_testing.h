// Test support: an Atom feed read back with libxml2's XPath, for the tests of
// the feed writer and of the published index feed.
#pragma once

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <memory>
#include <string>

namespace vigil::publish {

struct FeedDoc {
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc{nullptr, xmlFreeDoc};

  // The string value of an XPath expression over the feed (prefixes a: Atom, cap: CAP).
  std::string Eval(const char* xpath) const {
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc.get());
    xmlXPathRegisterNs(ctx, BAD_CAST "a", BAD_CAST "http://www.w3.org/2005/Atom");
    xmlXPathRegisterNs(ctx, BAD_CAST "cap", BAD_CAST "urn:oasis:names:tc:emergency:cap:1.2");
    xmlXPathObjectPtr result = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
    xmlChar* text = result == nullptr ? nullptr : xmlXPathCastToString(result);
    std::string out = text == nullptr ? "<no result>" : reinterpret_cast<const char*>(text);
    xmlFree(text);
    xmlXPathFreeObject(result);
    xmlXPathFreeContext(ctx);
    return out;
  }
};

// The parsed document; `doc` is null when `xml` is not well-formed.
inline FeedDoc ReadFeed(const std::string& xml) {
  FeedDoc d;
  d.doc.reset(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                            XML_PARSE_NONET | XML_PARSE_NOERROR));
  return d;
}

}  // namespace vigil::publish
