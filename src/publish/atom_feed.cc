#include "publish/atom_feed.h"

#include "publish/xml_writer.h"

namespace vigil::publish {
namespace {

constexpr const char* kAtomNamespace = "http://www.w3.org/2005/Atom";
constexpr const char* kCapNamespace = "urn:oasis:names:tc:emergency:cap:1.2";

void WriteLink(XmlWriter& w, const std::string& rel, const char* type, const std::string& href) {
  w.Start("link");
  w.Attribute("rel", rel);
  if (type != nullptr) {
    w.Attribute("type", type);
  }
  w.Attribute("href", href);
  w.End();
}

void WriteAuthor(XmlWriter& w, const std::string& name) {
  w.Start("author");
  w.Element("name", name);
  w.End();
}

void WriteEntry(XmlWriter& w, const FeedEntry& entry) {
  w.Start("entry");
  w.Element("id", entry.id);
  w.Element("title", entry.title);
  w.Element("updated", FormatCapTime(entry.updated));
  WriteAuthor(w, entry.author);
  w.OptionalElement("summary", entry.summary);
  WriteLink(w, "alternate", "application/cap+xml", entry.cap_url);
  w.OptionalElement("cap:event", entry.event);
  w.OptionalElement("cap:msgType", entry.msg_type);
  w.OptionalElement("cap:urgency", entry.urgency);
  w.OptionalElement("cap:severity", entry.severity);
  w.OptionalElement("cap:certainty", entry.certainty);
  if (entry.expires.has_value()) {
    w.Element("cap:expires", FormatCapTime(*entry.expires));
  }
  w.OptionalElement("cap:areaDesc", entry.area_desc);
  w.End();
}

}  // namespace

FeedEntry FeedEntryForCap(const CapAlert& alert, const std::string& cap_url) {
  FeedEntry entry{.id = cap_url,
                  .title = alert.identifier,
                  .updated = alert.sent,
                  .author = alert.sender,
                  .cap_url = cap_url,
                  .msg_type = CapMsgTypeName(alert.msg_type)};
  if (alert.infos.empty()) {
    return entry;
  }
  const CapInfo& info = alert.infos.front();
  entry.title = !info.headline.empty() ? info.headline : info.event;
  entry.author = !info.sender_name.empty() ? info.sender_name : alert.sender;
  entry.summary = info.description;
  entry.event = info.event;
  entry.severity = info.severity;
  entry.urgency = info.urgency;
  entry.certainty = info.certainty;
  entry.expires = info.expires;
  if (!info.areas.empty()) {
    entry.area_desc = info.areas.front().area_desc;
  }
  return entry;
}

std::string WriteAtomFeed(const FeedInput& feed) {
  XmlWriter w;
  w.Start("feed");
  w.Attribute("xmlns", kAtomNamespace);
  w.Attribute("xmlns:cap", kCapNamespace);
  w.Element("id", feed.id);
  w.Element("title", feed.title);
  w.Element("updated", FormatCapTime(feed.updated));
  WriteAuthor(w, feed.author);
  if (!feed.self_url.empty()) {
    WriteLink(w, "self", "application/atom+xml", feed.self_url);
  }
  for (const FeedEntry& entry : feed.entries) {
    WriteEntry(w, entry);
  }
  return w.Finish();
}

}  // namespace vigil::publish
