// Reading card settings and building cards from them.
#include "cards/card_settings.h"

namespace cds::cards {
namespace {

constexpr std::size_t kMaxSummary = 140;  // CDS Hooks: summary "less than 140 characters"

bool IsAbsoluteUrl(std::string_view url) {
  return (url.rfind("https://", 0) == 0 && url.size() > 8) || (url.rfind("http://", 0) == 0 && url.size() > 7);
}

Source ReadSource(ConfigReader r, const Source* fallback) {
  Source s;
  s.label = fallback != nullptr ? r.OptionalString("label", fallback->label) : r.String("label");
  s.url = r.OptionalString("url", fallback != nullptr ? fallback->url : "");
  s.icon = r.OptionalString("icon", fallback != nullptr ? fallback->icon : "");
  if (!s.url.empty() && !IsAbsoluteUrl(s.url)) r.Fail("url", "must be an absolute http(s) URL");
  if (!s.icon.empty() && !IsAbsoluteUrl(s.icon)) r.Fail("icon", "must be an absolute http(s) URL");
  r.Finish();
  return s;
}

CodingValue ReadCoding(ConfigReader r, const std::string& default_system) {
  CodingValue c;
  c.system = default_system.empty() ? r.String("system") : r.OptionalString("system", default_system);
  c.code = r.String("code");
  c.display = r.String("display");  // cds-resp-4: override reasons need a display; codes need one too
  r.Finish();
  return c;
}

// Every "{name}" in `text` must be one of `slots`; returns the text with each slot at its longest.
std::string CheckSlots(ConfigReader& r, std::string_view key, std::string_view text, std::initializer_list<Slot> slots) {
  std::string longest;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find('{', pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) r.Fail(key, "unclosed \"{\"");
    const std::string_view name = text.substr(open + 1, close - open - 1);
    const Slot* slot = nullptr;
    for (const Slot& s : slots) {
      if (s.name == name) slot = &s;
    }
    if (slot == nullptr) {
      std::string known;
      for (const Slot& s : slots) known.append(known.empty() ? "" : ", ").append("{").append(s.name).append("}");
      r.Fail(key, "unknown placeholder {" + std::string(name) + "}" +
                      (known.empty() ? " (this text takes none)" : " (this text takes " + known + ")"));
    }
    longest.append(text.substr(pos, open - pos)).append(slot->max_code_points, 'x');
    pos = close + 1;
  }
  if (pos < text.size()) longest.append(text.substr(pos));
  return longest;
}

}  // namespace

std::string ReadSummary(ConfigReader& r, std::string_view key, std::initializer_list<Slot> slots) {
  std::string summary = r.String(key);
  if (CodePoints(CheckSlots(r, key, summary, slots)) >= kMaxSummary) {
    r.Fail(key, "must be under 140 characters (CDS Hooks card.summary), with every placeholder at its longest");
  }
  return summary;
}

std::string ReadAction(ConfigReader& r, std::string_view key, std::initializer_list<Slot> slots) {
  std::string action = r.String(key);
  CheckSlots(r, key, action, slots);
  return action;
}

// "snoozeDays": {"info": 21, "warning": 7, "critical": 0}, each optional; what is not given stays as `days`
// had it.
SnoozeDays ReadSnoozeDays(ConfigReader& r, SnoozeDays days) {
  if (!r.Has("snoozeDays")) return days;
  ConfigReader o = r.Object("snoozeDays");
  for (Indicator i : {Indicator::kInfo, Indicator::kWarning, Indicator::kCritical}) {
    const std::string name(IndicatorName(i));
    if (o.Has(name)) days[static_cast<std::size_t>(i)] = o.Integer(name, 0, kMaxSnoozeDays);
  }
  o.Finish();
  return days;
}

CardsConfig CardsConfig::Read(ConfigReader r) {
  CardsConfig c;
  c.source = ReadSource(r.Object("source"), nullptr);
  c.topic_system = r.String("topicSystem");
  c.override_reason_system = r.String("overrideReasonSystem");
  c.snooze_days = ReadSnoozeDays(r, c.snooze_days);
  r.Finish();
  return c;
}

CardSettings CardSettings::Read(ConfigReader r, RuleId id, const CardsConfig& global, std::initializer_list<Slot> slots) {
  CardSettings s;
  s.title = r.String("title");
  s.summary = ReadSummary(r, "summary", slots);
  s.action = ReadAction(r, "action", slots);
  s.points = r.Strings("points");
  s.source = r.Has("source") ? ReadSource(r.Object("source"), &global.source) : global.source;
  s.source.topic = CodingValue{global.topic_system, TopicCode(id), s.title};
  for (ConfigReader& o : r.Objects("overrideReasons"))
    s.override_reasons.push_back(ReadCoding(o, global.override_reason_system));
  s.snooze_days = ReadSnoozeDays(r, global.snooze_days);
  for (ConfigReader& l : r.Objects("links")) {
    Link link;
    link.label = l.String("label");
    link.url = l.String("url");
    const std::string type = l.OptionalString("type", "absolute");
    if (type == "smart") {
      link.type = LinkType::kSmart;
    } else if (type != "absolute") {
      l.Fail("type", "must be \"absolute\" or \"smart\"");
    }
    link.app_context = l.OptionalString("appContext");
    if (!link.app_context.empty() && link.type != LinkType::kSmart)
      l.Fail("appContext", "only for smart links (cds-resp-3)");
    if (!IsAbsoluteUrl(link.url)) l.Fail("url", "must be an absolute http(s) URL");
    l.Finish();
    s.links.push_back(std::move(link));
  }
  r.Finish();
  return s;
}

OrderSuggestionSettings OrderSuggestionSettings::Read(ConfigReader r) {
  OrderSuggestionSettings s;
  s.label = r.String("label");
  s.description = r.String("description");
  r.Finish();
  return s;
}

ProposalSettings ProposalSettings::Read(ConfigReader r) {
  ProposalSettings s;
  s.label = r.String("label");
  s.description = r.String("description");
  const std::string type = r.String("resourceType");
  if (type == "DeviceRequest") {
    s.order.kind = ProposalKind::kDeviceRequest;
  } else if (type != "ServiceRequest") {
    r.Fail("resourceType", "must be \"ServiceRequest\" or \"DeviceRequest\"");
  }
  s.order.code = ReadCoding(r.Object("code"), "");
  s.order.text = r.String("text");
  s.order.note = r.OptionalString("note");
  s.order.priority = r.OptionalString("priority");
  if (!s.order.priority.empty() && s.order.priority != "routine" && s.order.priority != "urgent" &&
      s.order.priority != "asap" && s.order.priority != "stat") {
    r.Fail("priority", "must be one of routine, urgent, asap, stat (FHIR request-priority)");
  }
  r.Finish();
  return s;
}

Card NewCard(RuleId id, const CardSettings& s, Indicator indicator) {
  Card c;
  c.rule = id;
  c.settings = &s;
  c.summary = s.summary;
  c.indicator = indicator;
  return c;
}

Suggestion CreateSuggestion(const ProposalSettings& s, const Facts& facts, std::vector<std::string_view> condition_ids,
                            bool recommended) {
  ProposedOrder order;
  order.order = &s.order;
  order.patient_id = facts.patient_id;
  order.encounter_id = facts.encounter_id;
  // ServiceRequest/DeviceRequest.requester may be a Practitioner or PractitionerRole (the ordering user).
  if (facts.user_id.rfind("Practitioner/", 0) == 0 || facts.user_id.rfind("PractitionerRole/", 0) == 0) {
    order.requester = facts.user_id;
  }
  order.condition_ids = std::move(condition_ids);
  Suggestion sg;
  sg.label = s.label;
  sg.recommended = recommended;
  sg.actions.push_back(Action{ActionType::kCreate, s.description, std::move(order), {}, {}});
  return sg;
}

std::string OrderName(const OrderFact& order) {
  return order.label.empty() ? "the " + std::string(order.type) + " order" : Shorten(order.label, 60);
}

std::string FillTemplate(std::string_view text,
                         std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  std::string out;
  out.reserve(text.size() + 32);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find('{', pos);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(text.substr(pos, open - pos));
    const std::string_view name = text.substr(open + 1, close - open - 1);
    bool filled = false;
    for (const auto& [key, value] : values) {
      if (key == name) {
        out.append(value);
        filled = true;
        break;
      }
    }
    if (!filled) out.append(text.substr(open, close - open + 1));  // checked at load: cannot happen
    pos = close + 1;
  }
  if (pos < text.size()) out.append(text.substr(pos));
  return out;
}

std::string Shorten(std::string_view text, std::size_t max_code_points) {
  if (text.size() <= max_code_points || CodePoints(text) <= max_code_points) return std::string(text);
  // Keep max − 1 code points (room for the ellipsis), then back off to the last space.
  std::size_t bytes = 0, points = 0;
  while (bytes < text.size() && points < max_code_points - 1) {
    ++bytes;
    while (bytes < text.size() && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) ++bytes;
    ++points;
  }
  std::size_t cut = text.rfind(' ', bytes);
  if (cut == std::string_view::npos || cut < bytes / 2) cut = bytes;
  std::string out(text.substr(0, cut));
  while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == ';')) out.pop_back();
  return out + "…";
}

std::optional<Suggestion> DeleteSuggestion(const OrderSuggestionSettings& s, const OrderFact& order) {
  if (order.id.empty()) return std::nullopt;  // nothing the EHR could delete
  const std::string name = OrderName(order);
  Suggestion sg;
  sg.label = FillTemplate(s.label, {{"order", name}});
  sg.recommended = true;
  sg.actions.push_back(
      Action{ActionType::kDelete, FillTemplate(s.description, {{"order", name}}), std::nullopt, order.type, order.id});
  return sg;
}

}  // namespace cds::cards
