// Card wording and suggestions as configured in config/cards.json (defaults shared by all rules) and in
// each config/rules/<id>.json, plus the builders rules use to turn settings and facts into a Card.
//
//   CardSettings s = CardSettings::Read(reader.Object("card"), RuleId::kEccentricRehab, cards_config);
//   Card card = NewCard(RuleId::kEccentricRehab, s, Indicator::kInfo);
//   card.suggestions.push_back(CreateSuggestion(referral, facts, {"Condition/1"}, true));
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cards/card.h"
#include "cards/config_reader.h"
#include "cards/facts.h"

namespace cds::cards {

// config/cards.json: the organisation named in every card's source, and this project's code systems.
struct CardsConfig {
  Source source;                       // label, url, icon (topic is per rule)
  std::string topic_system;            // Coding.system of source.topic; code = rule id
  std::string override_reason_system;  // default Coding.system of override reasons

  static CardsConfig Read(ConfigReader r);
};

// The "card" object of a rule file.
struct CardSettings {
  std::string title;    // the rule's name, shown as source.topic.display
  std::string summary;  // checked < 140 characters at load
  std::string detail;   // markdown appended after the generated "why" section
  Source source;        // the rule's own source, or the default, with topic filled
  std::vector<CodingValue> override_reasons;
  std::vector<Link> links;

  static CardSettings Read(ConfigReader r, RuleId id, const CardsConfig& global);
};

// A suggestion that acts on a draft order; "{order}" in label/description is replaced by the order's name.
struct OrderSuggestionSettings {
  std::string label;
  std::string description;
  static OrderSuggestionSettings Read(ConfigReader r);
};

// A suggestion that creates an order (ServiceRequest or DeviceRequest) with a code from codes.md.
struct ProposalSettings {
  std::string label;
  std::string description;
  OrderTemplate order;
  static ProposalSettings Read(ConfigReader r);
};

Card NewCard(RuleId id, const CardSettings& settings, Indicator indicator);
// A create action with a complete R4 resource for this patient; `condition_ids` become reasonReference.
Suggestion CreateSuggestion(const ProposalSettings& s, const Facts& facts, std::vector<std::string_view> condition_ids,
                            bool recommended);
// A delete action for a draft order (resourceId "Type/id"); nullopt when the order has no id to name.
std::optional<Suggestion> DeleteSuggestion(const OrderSuggestionSettings& s, const OrderFact& order);
// How a card names an order: its label, else its reference.
std::string OrderName(const OrderFact& order);
std::string FillOrder(std::string_view text, std::string_view order_name);

}  // namespace cds::cards
