// Card serialisation per CDS Hooks 2.0.1 §Card attributes and the 3.0 ballot invariants cds-resp-1..6.
#include "hooks/card_writer.h"

#include "hooks/json_writer.h"
#include "hooks/uuid.h"

namespace cds::hooks {
namespace {

using namespace cds::cards;

void WriteUuid(JsonWriter& w) {
  char id[36];
  NewUuid(id);
  Key(w, "uuid");
  w.String(id, 36);
}

void WriteCoding(JsonWriter& w, const CodingValue& c) {
  w.StartObject();
  OptionalMember(w, "system", c.system);
  OptionalMember(w, "code", c.code);
  OptionalMember(w, "display", c.display);
  w.EndObject();
}

void WriteReference(JsonWriter& w, std::string_view key, std::string_view reference) {
  if (reference.empty()) return;
  Key(w, key);
  w.StartObject();
  Member(w, "reference", reference);
  w.EndObject();
}

// A draft ServiceRequest / DeviceRequest: status draft, intent order (the clinician signs it in the EHR).
void WriteProposal(JsonWriter& w, const ProposedOrder& p) {
  const bool device = p.kind == ProposalKind::kDeviceRequest;
  w.StartObject();
  Member(w, "resourceType", device ? "DeviceRequest" : "ServiceRequest");
  Member(w, "status", "draft");
  Member(w, "intent", "order");
  Key(w, device ? "codeCodeableConcept" : "code");
  w.StartObject();
  Key(w, "coding");
  w.StartArray();
  WriteCoding(w, p.code);
  w.EndArray();
  OptionalMember(w, "text", p.text);
  w.EndObject();
  WriteReference(w, "subject", p.subject);
  WriteReference(w, "encounter", p.encounter);
  WriteReference(w, "requester", p.requester);
  if (!p.reasons.empty()) {
    Key(w, "reasonReference");
    w.StartArray();
    for (const std::string& r : p.reasons) {
      w.StartObject();
      Member(w, "reference", r);
      w.EndObject();
    }
    w.EndArray();
  }
  if (!p.note.empty()) {
    Key(w, "note");
    w.StartArray();
    w.StartObject();
    Member(w, "text", p.note);
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
    Member(w, "resourceId", a.resource_id);  // cds-resp-2: delete names the resource, carries none
  } else if (a.resource) {
    Key(w, "resource");
    WriteProposal(w, *a.resource);
  }
  w.EndObject();
}

void WriteCard(JsonWriter& w, const Card& c) {
  w.StartObject();
  WriteUuid(w);
  Member(w, "summary", c.summary);
  OptionalMember(w, "detail", c.detail);
  Member(w, "indicator", IndicatorName(c.indicator));
  Key(w, "source");
  w.StartObject();
  Member(w, "label", c.source.label);
  OptionalMember(w, "url", c.source.url);
  OptionalMember(w, "icon", c.source.icon);
  if (!c.source.topic.code.empty()) {
    Key(w, "topic");
    WriteCoding(w, c.source.topic);
  }
  w.EndObject();
  if (!c.suggestions.empty()) {
    Key(w, "suggestions");
    w.StartArray();
    for (const Suggestion& s : c.suggestions) {
      w.StartObject();
      Member(w, "label", s.label);
      WriteUuid(w);
      if (s.recommended) {
        Key(w, "isRecommended");
        w.Bool(true);
      }
      if (!s.actions.empty()) {
        Key(w, "actions");
        w.StartArray();
        for (const Action& a : s.actions) WriteAction(w, a);
        w.EndArray();
      }
      w.EndObject();
    }
    w.EndArray();
    // cds-resp-6: suggestions need selectionBehavior.
    Member(w, "selectionBehavior", c.selection == SelectionBehavior::kAny ? "any" : "at-most-one");
  }
  if (!c.override_reasons.empty()) {
    Key(w, "overrideReasons");
    w.StartArray();
    for (const CodingValue& r : c.override_reasons) WriteCoding(w, r);
    w.EndArray();
  }
  if (!c.links.empty()) {
    Key(w, "links");
    w.StartArray();
    for (const Link& l : c.links) {
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
  out.clear();
  StringOutput os(out);
  JsonWriter w(os);
  w.StartObject();
  Key(w, "cards");
  w.StartArray();
  for (const Card& c : cards) WriteCard(w, c);
  w.EndArray();
  w.EndObject();
}

}  // namespace cds::hooks
