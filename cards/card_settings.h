// Card wording and suggestions as configured in config/cards.json (defaults shared by all rules) and in
// each config/rules/<id>.json, plus the builders rules use to turn settings and facts into a Card.
//
//   CardSettings s = CardSettings::Read(reader.Object("card"), RuleId::kEccentricRehab, cards_config, kSlots);
//   Card card = NewCard(RuleId::kEccentricRehab, s, Indicator::kInfo);
//   card.summary = FillTemplate(s.summary, {{"Side", "Left "}});
//   card.suggestions.push_back(CreateSuggestion(referral, facts, {"Condition/1"}, true));
#pragma once

#include <array>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cards/card.h"
#include "cards/config_reader.h"
#include "cards/facts.h"

namespace cds::cards {

// config/cards.json: the organisation named in every card's source, and this project's code systems.
// Days a card stays hidden after the clinician overrode it (or accepted its suggestion) for the same patient
// and the same trigger, per indicator (info, warning, critical); 0: shown again at once.
using SnoozeDays = std::array<int, 3>;
constexpr int kMaxSnoozeDays = 365;

struct CardsConfig {
  Source source;                       // label, url, icon (topic is per rule)
  std::string topic_system;            // Coding.system of source.topic; code = TopicCode(rule id)
  std::string override_reason_system;  // default Coding.system of override reasons
  SnoozeDays snooze_days{21, 7, 0};    // "snoozeDays": the defaults a rule's card may change

  static CardsConfig Read(ConfigReader r);
};

// A placeholder a configured text may use ("{drug}"), with the longest value it can be filled with: the
// summary is checked at load with every slot at its longest, so a filled summary is always < 140 characters.
struct Slot {
  std::string_view name;
  std::size_t max_code_points;
};

// The "card" object of a rule file.
struct CardSettings {
  std::string title;                // the rule's name, shown as source.topic.display
  std::string summary;              // a template (slots), checked < 140 characters at its longest
  std::string action;               // the one action sentence (a template)
  std::vector<std::string> points;  // the short list after it
  Source source;                    // the rule's own source, or the default, with topic filled
  std::vector<CodingValue> override_reasons;
  std::vector<Link> links;  // the evidence behind the advice: absolute links
  SnoozeDays snooze_days{};  // the defaults, or the rule's "snoozeDays"

  static CardSettings Read(ConfigReader r, RuleId id, const CardsConfig& global, std::initializer_list<Slot> slots);
};

// Reads a further summary template of a rule (e.g. "surgicalSummary"), checked like CardSettings::summary.
std::string ReadSummary(ConfigReader& r, std::string_view key, std::initializer_list<Slot> slots);
// Reads a further action sentence template (e.g. "surgicalAction").
std::string ReadAction(ConfigReader& r, std::string_view key, std::initializer_list<Slot> slots);

// "{name}" → value for every pair; text without slots is returned as is.
std::string FillTemplate(std::string_view text,
                         std::initializer_list<std::pair<std::string_view, std::string_view>> values);
// `text` cut to at most `max_code_points` code points, at a word boundary, with "…" when cut.
std::string Shorten(std::string_view text, std::size_t max_code_points);

// A suggestion that acts on a draft order; "{order}" in label/description is replaced by the order's name.
struct OrderSuggestionSettings {
  std::string label;
  std::string description;
  static OrderSuggestionSettings Read(ConfigReader r);
};

// A suggestion that creates an order (a ServiceRequest by default: every EHR accepts it; DeviceRequest where
// a site's EHR takes device orders) with a code from codes.md.
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
// How a card names an order: its label, else its resource type.
std::string OrderName(const OrderFact& order);

}  // namespace cds::cards
