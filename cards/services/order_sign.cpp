// achilles-order-sign: runs before orders are signed; judges every draft order.
#include "cards/catalog.h"

namespace cds::cards {

const ServiceDefinition& OrderSignService() {
  static const ServiceDefinition kService{
      "achilles-order-sign",
      Hook::kOrderSign,
      "Achilles tendon order safety (order sign)",
      "Before orders are signed, warns against a corticosteroid injection into or near the Achilles tendon "
      "(rupture risk) and offers an eccentric-loading physiotherapy referral instead.",
      {
          {RuleId::kSteroidInjection, {}},
          {RuleId::kEccentricRehab, {RuleId::kSteroidInjection}},
      }};
  return kService;
}

}  // namespace cds::cards
