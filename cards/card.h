// A CDS Hooks card as the rules produce it: plain values, no JSON, no uuids (hooks/card_writer.cpp gives
// every card and suggestion a fresh uuid and omits empty optional members when it writes the response).
//
//   Card card;
//   card.rule = RuleId::kEccentricRehab;
//   card.indicator = Indicator::kInfo;
//   card.summary = "Start eccentric loading physiotherapy";
#pragma once

#include <optional>
#include <string>
#include <vector>

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

// A complete R4 request resource for a `create` action: a ServiceRequest (referral) or a DeviceRequest.
enum class ProposalKind { kServiceRequest, kDeviceRequest };
struct ProposedOrder {
  ProposalKind kind = ProposalKind::kServiceRequest;
  CodingValue code;
  std::string text;                     // code.text: the order as a clinician reads it
  std::string subject;                  // "Patient/<id>"
  std::string encounter;                // "Encounter/<id>" or empty
  std::string requester;                // the user, when a Practitioner/PractitionerRole
  std::vector<std::string> reasons;     // reasonReference: "Condition/<id>"
  std::string note;
};

struct Action {
  ActionType type = ActionType::kCreate;
  std::string description;
  std::optional<ProposedOrder> resource;  // create
  std::string resource_id;                // delete: "MedicationRequest/<id>"
};

struct Suggestion {
  std::string label;
  bool recommended = false;
  std::vector<Action> actions;
};

struct Card {
  RuleId rule = RuleId::kSteroidInjection;
  std::string summary;  // < 140 characters
  std::string detail;   // GitHub-flavoured markdown; says why the card fired
  Indicator indicator = Indicator::kInfo;
  Source source;
  std::vector<Suggestion> suggestions;
  SelectionBehavior selection = SelectionBehavior::kAny;  // written only when there are suggestions
  std::vector<CodingValue> override_reasons;
  std::vector<Link> links;
};

}  // namespace cds::cards
