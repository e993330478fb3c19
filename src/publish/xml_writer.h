// A small streaming XML writer over libxml2's xmlTextWriter, shared by the
// CAP and Atom writers. Internal to publish/; no libxml2 type shows here.
//
// Text and attribute values are escaped and made safe for XML 1.0 (see
// SanitizeXmlText). libxml2 only fails here when memory runs out, which the
// rest of the program cannot survive either, so the calls return nothing.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace vigil::publish {

// `text` with every character XML 1.0 cannot carry removed (C0 controls other
// than tab, newline and carriage return, U+FFFE, U+FFFF) and every byte that is
// not part of valid UTF-8 replaced with U+FFFD.
std::string SanitizeXmlText(std::string_view text);

class XmlWriter {
 public:
  // Starts a UTF-8 document, indented by two spaces.
  XmlWriter();
  ~XmlWriter();
  XmlWriter(const XmlWriter&) = delete;
  XmlWriter& operator=(const XmlWriter&) = delete;

  void Start(std::string_view name);
  void Attribute(std::string_view name, std::string_view value);
  void End();
  // <name>text</name>, written even when `text` is empty.
  void Element(std::string_view name, std::string_view text);
  // Element() when `text` is not empty; nothing otherwise.
  void OptionalElement(std::string_view name, std::string_view text);
  // Closes every open element and returns the document.
  std::string Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::publish
