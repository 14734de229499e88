// Reading card settings and building cards from them.
#include "cards/card_settings.h"

namespace cds::cards {
namespace {

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

}  // namespace

CardsConfig CardsConfig::Read(ConfigReader r) {
  CardsConfig c;
  c.source = ReadSource(r.Object("source"), nullptr);
  c.topic_system = r.String("topicSystem");
  c.override_reason_system = r.String("overrideReasonSystem");
  r.Finish();
  return c;
}

CardSettings CardSettings::Read(ConfigReader r, RuleId id, const CardsConfig& global) {
  CardSettings s;
  s.title = r.String("title");
  s.summary = r.String("summary");
  if (CodePoints(s.summary) >= 140) r.Fail("summary", "must be under 140 characters (CDS Hooks card.summary)");
  s.detail = r.OptionalString("detail");
  s.source = r.Has("source") ? ReadSource(r.Object("source"), &global.source) : global.source;
  s.source.topic = CodingValue{global.topic_system, std::string(RuleIdName(id)), s.title};
  for (ConfigReader& o : r.Objects("overrideReasons"))
    s.override_reasons.push_back(ReadCoding(o, global.override_reason_system));
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
  return order.label.empty() ? Reference(order.type, order.id) : std::string(order.label);
}

std::string FillOrder(std::string_view text, std::string_view order_name) {
  static constexpr std::string_view kToken = "{order}";
  std::string out;
  out.reserve(text.size() + order_name.size());
  std::size_t pos = 0;
  for (std::size_t hit = text.find(kToken); hit != std::string_view::npos; hit = text.find(kToken, pos)) {
    out.append(text.substr(pos, hit - pos)).append(order_name);
    pos = hit + kToken.size();
  }
  out.append(text.substr(pos));
  return out;
}

std::optional<Suggestion> DeleteSuggestion(const OrderSuggestionSettings& s, const OrderFact& order) {
  if (order.id.empty()) return std::nullopt;  // nothing the EHR could delete
  const std::string name = OrderName(order);
  Suggestion sg;
  sg.label = FillOrder(s.label, name);
  sg.recommended = true;
  sg.actions.push_back(Action{ActionType::kDelete, FillOrder(s.description, name), std::nullopt, order.type, order.id});
  return sg;
}

}  // namespace cds::cards
