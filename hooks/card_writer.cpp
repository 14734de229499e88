// Card serialisation per CDS Hooks 2.0.1 §Card attributes and the 3.0 ballot invariants cds-resp-1..6.
#include "hooks/card_writer.h"

#include <cstring>

#include "cards/card_settings.h"
#include "hooks/json_writer.h"
#include "hooks/uuid.h"

namespace cds::hooks {
namespace {

using namespace cds::cards;

// A fresh uuid, written; kept in `*kept` when the card log wants it.
// Cards get time-ordered uuids (the card log's key), suggestions random ones.
void WriteUuid(JsonWriter& w, std::string* kept, bool time_ordered = false) {
  char id[36];
  if (time_ordered) {
    NewTimeOrderedUuid(id);
  } else {
    NewUuid(id);
  }
  Key(w, "uuid");
  w.String(std::string_view(id, 36));
  if (kept != nullptr) kept->assign(id, 36);
}

void WriteCoding(JsonWriter& w, const CodingValue& c) {
  w.StartObject();
  OptionalMember(w, "system", c.system);
  OptionalMember(w, "code", c.code);
  OptionalMember(w, "display", c.display);
  w.EndObject();
}

// {"reference": "<type>/<id>"}, composed in a reused buffer (ids EHRs send can be hundreds of characters).
void WriteReference(JsonWriter& w, std::string_view key, std::string_view type, std::string_view id) {
  if (id.empty()) return;
  thread_local std::string ref;
  ref.assign(type).append("/").append(id);
  Key(w, key);
  w.StartObject();
  Member(w, "reference", ref);
  w.EndObject();
}

// A draft ServiceRequest / DeviceRequest: status draft, intent order (the clinician signs it in the EHR).
void WriteProposal(JsonWriter& w, const ProposedOrder& p) {
  const OrderTemplate& o = *p.order;
  const bool device = o.kind == ProposalKind::kDeviceRequest;
  w.StartObject();
  Member(w, "resourceType", device ? "DeviceRequest" : "ServiceRequest");
  Member(w, "status", "draft");
  Member(w, "intent", "order");
  Key(w, device ? "codeCodeableConcept" : "code");
  w.StartObject();
  Key(w, "coding");
  w.StartArray();
  WriteCoding(w, o.code);
  w.EndArray();
  OptionalMember(w, "text", o.text);
  w.EndObject();
  OptionalMember(w, "priority", o.priority);
  WriteReference(w, "subject", "Patient", p.patient_id);
  WriteReference(w, "encounter", "Encounter", p.encounter_id);
  if (!p.requester.empty()) {
    Key(w, "requester");
    w.StartObject();
    Member(w, "reference", p.requester);
    w.EndObject();
  }
  if (!p.condition_ids.empty()) {
    Key(w, "reasonReference");
    w.StartArray();
    thread_local std::string ref;
    for (std::string_view id : p.condition_ids) {
      w.StartObject();
      Key(w, "reference");
      ref.assign("Condition/").append(id);
      w.String(ref);
      w.EndObject();
    }
    w.EndArray();
  }
  if (!o.note.empty()) {
    Key(w, "note");
    w.StartArray();
    w.StartObject();
    Member(w, "text", o.note);
    w.EndObject();
    w.EndArray();
  }
  w.EndObject();
}

void WriteAction(JsonWriter& w, const Action& a) {
  w.StartObject();
  Member(w, "type", a.type == ActionType::kCreate ? "create" : "delete");
  Member(w, "description", a.description);  // cds-resp-5
  if (a.type == ActionType::kDelete) {
    // cds-resp-2: delete names the resource, carries none.
    Key(w, "resourceId");
    std::string id;
    id.reserve(a.resource_type.size() + 1 + a.resource_id.size());
    id.append(a.resource_type).append("/").append(a.resource_id);
    w.String(id);
  } else if (a.resource) {
    Key(w, "resource");
    WriteProposal(w, *a.resource);
  }
  w.EndObject();
}

// The detail without its trailing blank lines.
void WriteDetail(JsonWriter& w, const Card& c) {
  std::string_view d = c.detail;
  while (!d.empty() && (d.back() == '\n' || d.back() == ' ')) d.remove_suffix(1);
  OptionalMember(w, "detail", d);
}

bool Allowed(const Action& a, const EhrProfile* profile) {
  if (profile == nullptr) return true;
  if (a.type == ActionType::kDelete) return profile->AllowsDelete(a.resource_type);
  if (!a.resource) return true;
  return profile->AllowsCreate(a.resource->order->kind == ProposalKind::kDeviceRequest ? "DeviceRequest"
                                                                                        : "ServiceRequest");
}

// The actions of a suggestion the EHR can carry (all of them, without a profile).
std::vector<const Action*> Shown(const Suggestion& sg, const EhrProfile* profile) {
  std::vector<const Action*> out;
  for (const Action& a : sg.actions) {
    if (!Allowed(a, profile)) continue;
    if (profile != nullptr && profile->max_actions_per_suggestion != 0 &&
        out.size() == profile->max_actions_per_suggestion)
      break;
    out.push_back(&a);
  }
  return out;
}

void WriteSource(JsonWriter& w, const Card& c, const ResponseOptions& options) {
  const CardSettings& s = *c.settings;
  Key(w, "source");
  w.StartObject();
  Member(w, "label", s.source.label);
  if (!s.source.url.empty()) {
    Member(w, "url", s.source.url);
  } else if (!options.rule_page_base.empty()) {
    thread_local std::string url;
    url.assign(options.rule_page_base).append("/rules/").append(RuleIdName(c.rule));
    Member(w, "url", url);
  }
  OptionalMember(w, "icon", s.source.icon);
  if (!s.source.topic.code.empty()) {
    Key(w, "topic");
    WriteCoding(w, s.source.topic);
  }
  w.EndObject();
}

void WriteCard(JsonWriter& w, const Card& c, const ResponseOptions& options, IssuedUuids* issued) {
  const CardSettings& s = *c.settings;
  w.StartObject();
  WriteUuid(w, issued != nullptr ? &issued->card : nullptr, /*time_ordered=*/true);
  Member(w, "summary", c.summary);
  WriteDetail(w, c);
  Member(w, "indicator", IndicatorName(c.indicator));
  WriteSource(w, c, options);
  bool any_suggestion = false;
  for (const Suggestion& sg : c.suggestions) {
    const std::vector<const Action*> actions = Shown(sg, options.profile);
    if (actions.empty() && !sg.actions.empty()) continue;  // nothing left the EHR can carry
    if (!any_suggestion) {
      Key(w, "suggestions");
      w.StartArray();
      any_suggestion = true;
    }
    w.StartObject();
    Member(w, "label", sg.label);
    std::string* kept = nullptr;
    if (issued != nullptr) kept = &issued->suggestions.emplace_back();
    WriteUuid(w, kept);
    if (sg.recommended) {
      Key(w, "isRecommended");
      w.Bool(true);
    }
    if (!actions.empty()) {
      Key(w, "actions");
      w.StartArray();
      for (const Action* a : actions) WriteAction(w, *a);
      w.EndArray();
    }
    w.EndObject();
  }
  if (any_suggestion) {
    w.EndArray();
    // cds-resp-6: suggestions need selectionBehavior.
    const bool any = c.selection == SelectionBehavior::kAny ||
                     (options.profile != nullptr && options.profile->selection_any_only);
    Member(w, "selectionBehavior", any ? "any" : "at-most-one");
  }
  if (!s.override_reasons.empty()) {
    Key(w, "overrideReasons");
    w.StartArray();
    for (const CodingValue& r : s.override_reasons) WriteCoding(w, r);
    w.EndArray();
  }
  if (!s.links.empty()) {
    Key(w, "links");
    w.StartArray();
    for (const Link& l : s.links) {
      w.StartObject();
      Member(w, "label", l.label);
      Member(w, "url", l.url);
      Member(w, "type", l.type == LinkType::kSmart ? "smart" : "absolute");
      OptionalMember(w, "appContext", l.app_context);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace

void WriteCardsResponse(const std::vector<Card>& cards, const ResponseOptions& options, std::string& out,
                        std::vector<IssuedUuids>* issued) {
  JsonWriter w(out);
  w.StartObject();
  Key(w, "cards");
  w.StartArray();
  if (issued != nullptr) issued->assign(cards.size(), IssuedUuids{});
  for (std::size_t i = 0; i < cards.size(); ++i) WriteCard(w, cards[i], options, issued != nullptr ? &(*issued)[i] : nullptr);
  w.EndArray();
  w.EndObject();
}

}  // namespace cds::hooks
