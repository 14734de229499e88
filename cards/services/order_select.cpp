// achilles-order-select: runs as orders are chosen; judges the orders named in context.selections.
#include "cards/catalog.h"

namespace cds::cards {

const ServiceDefinition& OrderSelectService() {
  static const ServiceDefinition kService{
      "achilles-order-select",
      Hook::kOrderSelect,
      "Achilles tendon order safety (order select)",
      "As orders are selected, warns against a corticosteroid injection into or near the Achilles tendon "
      "(rupture risk) and offers an eccentric-loading physiotherapy referral instead.",
      {
          {RuleId::kSteroidInjection, {}},
          {RuleId::kEccentricRehab, {RuleId::kSteroidInjection}},
      }};
  return kService;
}

}  // namespace cds::cards
