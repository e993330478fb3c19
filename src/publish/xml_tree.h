// A read-only element tree of an XML document, with the line and path of
// every element, so CAP rules can be checked without libxml2 types. Internal
// to publish/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil::publish {

struct XmlElement {
  std::string ns;    // namespace URI; empty when none
  std::string name;  // local name
  std::string path;  // "/alert/info[2]/area": an index where a name repeats among siblings
  int line = 0;
  std::string text;  // the element's own character data, concatenated
  std::vector<XmlElement> children;

  // The first child named `name` (any namespace), or nullptr.
  const XmlElement* Child(std::string_view child_name) const;
  // All children named `name`, in document order.
  std::vector<const XmlElement*> Children(std::string_view child_name) const;
  // The text of Child(name) with surrounding whitespace removed; empty when absent.
  std::string ChildText(std::string_view child_name) const;
};

// `text` without leading and trailing XML whitespace.
std::string_view TrimXmlSpace(std::string_view text);

}  // namespace vigil::publish
