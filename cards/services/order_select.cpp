// achilles-order-select: runs as orders are chosen; judges the orders named in context.selections.
#include "cards/catalog.h"

namespace cds::cards {

const ServiceDefinition& OrderSelectService() {
  static const ServiceDefinition kService{
      "achilles-order-select",
      Hook::kOrderSelect,
      "Achilles tendon order safety (order select)",
      "As orders are selected, warns against harm to the Achilles tendon: a corticosteroid injection "
      "at the tendon, a fluoroquinolone in a patient with tendinopathy or rupture, a cast or walking boot for "
      "tendinopathy; and offers the better order (physiotherapy, a heel lift) as a suggestion.",
      {
          {RuleId::kSteroidInjection, {}},
          {RuleId::kFluoroquinolone, {}},
          {RuleId::kImmobilisation, {}},
          // The steroid and immobilisation cards already offer the physiotherapy referral.
          {RuleId::kEccentricRehab, {RuleId::kSteroidInjection, RuleId::kImmobilisation}},
      }};
  return kService;
}

}  // namespace cds::cards
