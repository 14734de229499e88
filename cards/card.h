// A CDS Hooks card as the rules produce it: no JSON, no uuids (hooks/card_writer.cpp gives every card and
// suggestion a fresh uuid and omits empty optional members when it writes the response). What is
// configured (source, override reasons, links, proposed orders) is referenced, not copied: a card lives
// only while its response is written, and the engine's settings outlive it.
//
// The text is for a clinician reading it in five seconds: the summary names the drug or device and the
// side; the detail opens with one line of what was found, in clinical words, then one action sentence,
// then a short list, then at most one "Based on:" line. Provenance (resource ids, codes, value sets) is in
// `evidence`, for `explain` and the card log, never in the clinician's text.
//
//   Card card = NewCard(RuleId::kEccentricRehab, settings, Indicator::kInfo);
//   card.summary = FillTemplate(settings.summary, {{"Side", "Left "}});
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cards/evidence.h"
#include "cards/rule_id.h"

namespace cds::cards {

enum class Indicator { kInfo, kWarning, kCritical };
enum class SelectionBehavior { kAtMostOne, kAny };
enum class ActionType { kCreate, kDelete };
enum class LinkType { kAbsolute, kSmart };

std::string_view IndicatorName(Indicator i);
std::optional<Indicator> ParseIndicator(std::string_view name);

struct CodingValue {
  std::string system;
  std::string code;
  std::string display;
};

struct Link {
  std::string label;
  std::string url;
  LinkType type = LinkType::kAbsolute;
  std::string app_context;  // SMART links only (cds-resp-3)
};

struct Source {
  std::string label;
  std::string url;
  std::string icon;
  CodingValue topic;  // code = rule id, so EHR analytics and the audit can group cards by rule
};

// What a proposed order is, as configured: a ServiceRequest (referral) or DeviceRequest with a code from
// codes.md. Lives in the engine's settings; cards point at it.
enum class ProposalKind { kServiceRequest, kDeviceRequest };
struct OrderTemplate {
  ProposalKind kind = ProposalKind::kServiceRequest;
  CodingValue code;
  std::string text;  // code.text: the order as a clinician reads it
  std::string note;
  std::string priority;  // R4 request priority ("urgent"); empty = routine, not written
};

// A complete R4 request resource for a `create` action: the configured order for this patient.
// Views point into the request and the engine's settings, both alive while the response is written.
struct ProposedOrder {
  const OrderTemplate* order = nullptr;
  std::string_view patient_id;                  // subject: Patient/<id>
  std::string_view encounter_id;                // encounter: Encounter/<id>, when known
  std::string_view requester;                   // the user, when a Practitioner/PractitionerRole reference
  std::vector<std::string_view> condition_ids;  // reasonReference: Condition/<id>
};

struct Action {
  ActionType type = ActionType::kCreate;
  std::string description;
  std::optional<ProposedOrder> resource;  // create
  std::string_view resource_type;         // delete: resourceId = <resource_type>/<resource_id>
  std::string_view resource_id;
};

struct Suggestion {
  std::string label;
  bool recommended = false;
  std::vector<Action> actions;
};

struct CardSettings;  // card_settings.h: the configured summary, source, override reasons, links

struct Card {
  RuleId rule = RuleId::kSteroidInjection;
  const CardSettings* settings = nullptr;  // never null in a card a rule returns
  std::string summary;                     // < 140 characters: a configured summary, its slots filled
  std::string detail;                      // the whole markdown detail (cards/detail.h builds it)
  Indicator indicator = Indicator::kInfo;
  std::vector<Suggestion> suggestions;
  SelectionBehavior selection = SelectionBehavior::kAny;  // written only when there are suggestions
  std::vector<Evidence> evidence;  // what made it fire (resources, codings, value sets): explain, card log
};

}  // namespace cds::cards
