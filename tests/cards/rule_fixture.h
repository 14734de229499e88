// Rule tests build facts in C++ (STYLE.md) and run the rule as configured in config/rules/<id>.json.
#pragma once

#include <memory>
#include <string>

#include "cards/facts.h"
#include "cards/rule.h"

namespace cds::test {

// The rule built from the shipped configuration.
std::unique_ptr<cards::Rule> ShippedRule(cards::RuleId id);

// Facts with a patient, for hook; add conditions and orders with the helpers below.
cards::Facts BaseFacts(cards::Hook hook);
cards::ConditionFact Tendinopathy(std::string_view id = "c1", bool counts = true);
cards::ConditionFact Rupture(std::string_view id = "r1");
cards::OrderFact SteroidOrder(std::string_view id, cards::RouteClass route, cards::SiteClass site);
cards::CareFact Physiotherapy(std::string_view id, bool drafted = false);
cards::CareFact Care(cards::CareKind kind, std::string_view id, std::string_view date);
cards::ConditionFact Transplant(std::string_view id = "tx-1");
// A fluoroquinolone order (draft and judged unless said otherwise); eye_ear makes it an eye/ear form.
cards::OrderFact FluoroquinoloneOrder(std::string_view id, bool eye_ear = false);
cards::OrderFact SystemicSteroid(std::string_view id);
cards::OrderFact ImmobilisingOrder(std::string_view id);
cards::BmiFact Bmi(std::string_view id, double value, std::string_view date);

}  // namespace cds::test
