// Card serialisation per CDS Hooks 2.0.1 §Card attributes and the 3.0 ballot invariants cds-resp-1..6.
#include "hooks/card_writer.h"

#include <cstring>

#include "cards/card_settings.h"
#include "hooks/json_writer.h"
#include "hooks/uuid.h"

namespace cds::hooks {
namespace {

using namespace cds::cards;

void WriteUuid(JsonWriter& w) {
  char id[36];
  NewUuid(id);
  Key(w, "uuid");
  w.String(std::string_view(id, 36));
}

void WriteCoding(JsonWriter& w, const CodingValue& c) {
  w.StartObject();
  OptionalMember(w, "system", c.system);
  OptionalMember(w, "code", c.code);
  OptionalMember(w, "display", c.display);
  w.EndObject();
}

// {"reference": "<type>/<id>"}, composed without allocating.
void WriteReference(JsonWriter& w, std::string_view key, std::string_view type, std::string_view id) {
  if (id.empty()) return;
  char buf[160];
  const std::size_t n = type.size() + 1 + id.size();
  if (n > sizeof buf) return;  // ids are validated FHIR ids (≤ 64 characters): cannot happen
  std::memcpy(buf, type.data(), type.size());
  buf[type.size()] = '/';
  std::memcpy(buf + type.size() + 1, id.data(), id.size());
  Key(w, key);
  w.StartObject();
  Member(w, "reference", std::string_view(buf, n));
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
    for (std::string_view id : p.condition_ids) {
      w.StartObject();
      Key(w, "reference");
      std::string ref;
      ref.reserve(10 + id.size());
      ref.append("Condition/").append(id);
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

// The generated "why" followed by the configured text, as one string (joined in a reused buffer).
void WriteDetail(JsonWriter& w, const Card& c) {
  thread_local std::string joined;
  joined.assign(c.detail).append(c.settings->detail);
  while (!joined.empty() && (joined.back() == '\n' || joined.back() == ' ')) joined.pop_back();
  OptionalMember(w, "detail", joined);
}

void WriteCard(JsonWriter& w, const Card& c) {
  const CardSettings& s = *c.settings;
  w.StartObject();
  WriteUuid(w);
  Member(w, "summary", c.summary);
  WriteDetail(w, c);
  Member(w, "indicator", IndicatorName(c.indicator));
  Key(w, "source");
  w.StartObject();
  Member(w, "label", s.source.label);
  OptionalMember(w, "url", s.source.url);
  OptionalMember(w, "icon", s.source.icon);
  if (!s.source.topic.code.empty()) {
    Key(w, "topic");
    WriteCoding(w, s.source.topic);
  }
  w.EndObject();
  if (!c.suggestions.empty()) {
    Key(w, "suggestions");
    w.StartArray();
    for (const Suggestion& sg : c.suggestions) {
      w.StartObject();
      Member(w, "label", sg.label);
      WriteUuid(w);
      if (sg.recommended) {
        Key(w, "isRecommended");
        w.Bool(true);
      }
      if (!sg.actions.empty()) {
        Key(w, "actions");
        w.StartArray();
        for (const Action& a : sg.actions) WriteAction(w, a);
        w.EndArray();
      }
      w.EndObject();
    }
    w.EndArray();
    // cds-resp-6: suggestions need selectionBehavior.
    Member(w, "selectionBehavior", c.selection == SelectionBehavior::kAny ? "any" : "at-most-one");
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

void WriteCardsResponse(const std::vector<Card>& cards, std::string& out) {
  JsonWriter w(out);
  w.StartObject();
  Key(w, "cards");
  w.StartArray();
  for (const Card& c : cards) WriteCard(w, c);
  w.EndArray();
  w.EndObject();
}

}  // namespace cds::hooks
