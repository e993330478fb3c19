#include "publish/xml_writer.h"

#include <libxml/xmlwriter.h>

namespace vigil::publish {
namespace {

const xmlChar* Chars(const std::string& s) { return reinterpret_cast<const xmlChar*>(s.c_str()); }

// Length of the UTF-8 sequence starting at `text[i]` and its code point, or 0
// when the bytes there are not a valid, shortest-form sequence.
size_t DecodeUtf8(std::string_view text, size_t i, char32_t& cp) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char first_byte = byte(i);
  size_t len = 0;
  char32_t min = 0;
  if (first_byte < 0x80) {
    cp = first_byte;
    return 1;
  } else if ((first_byte & 0xE0) == 0xC0) {
    len = 2, cp = first_byte & 0x1F, min = 0x80;
  } else if ((first_byte & 0xF0) == 0xE0) {
    len = 3, cp = first_byte & 0x0F, min = 0x800;
  } else if ((first_byte & 0xF8) == 0xF0) {
    len = 4, cp = first_byte & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > text.size()) {
    return 0;
  }
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return 0;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
  return (cp < min || cp > 0x10FFFF || surrogate) ? 0 : len;
}

}  // namespace

std::string SanitizeXmlText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const size_t len = DecodeUtf8(text, i, cp);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
      continue;
    }
    const bool allowed =
        cp >= 0x20 ? (cp != 0xFFFE && cp != 0xFFFF) : (cp == '\t' || cp == '\n' || cp == '\r');
    if (allowed) {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

struct XmlWriter::Impl {
  xmlBufferPtr buffer = nullptr;
  xmlTextWriterPtr writer = nullptr;
};

XmlWriter::XmlWriter() : impl_(std::make_unique<Impl>()) {
  impl_->buffer = xmlBufferCreate();
  impl_->writer = xmlNewTextWriterMemory(impl_->buffer, 0);
  xmlTextWriterSetIndent(impl_->writer, 1);
  xmlTextWriterSetIndentString(impl_->writer, reinterpret_cast<const xmlChar*>("  "));
  xmlTextWriterStartDocument(impl_->writer, nullptr, "UTF-8", nullptr);
}

XmlWriter::~XmlWriter() {
  xmlFreeTextWriter(impl_->writer);
  xmlBufferFree(impl_->buffer);
}

void XmlWriter::Start(std::string_view name) {
  xmlTextWriterStartElement(impl_->writer, Chars(std::string(name)));
}

void XmlWriter::Attribute(std::string_view name, std::string_view value) {
  xmlTextWriterWriteAttribute(impl_->writer, Chars(std::string(name)),
                              Chars(SanitizeXmlText(value)));
}

void XmlWriter::End() { xmlTextWriterEndElement(impl_->writer); }

void XmlWriter::Element(std::string_view name, std::string_view text) {
  xmlTextWriterWriteElement(impl_->writer, Chars(std::string(name)), Chars(SanitizeXmlText(text)));
}

void XmlWriter::OptionalElement(std::string_view name, std::string_view text) {
  if (!text.empty()) {
    Element(name, text);
  }
}

std::string XmlWriter::Finish() {
  xmlTextWriterEndDocument(impl_->writer);
  xmlTextWriterFlush(impl_->writer);
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(impl_->buffer)),
                     static_cast<size_t>(xmlBufferLength(impl_->buffer)));
}

}  // namespace vigil::publish
