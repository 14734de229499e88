// achilles-order-sign: runs before orders are signed; judges every draft order.
#include "cards/catalog.h"

namespace cds::cards {

const ServiceDefinition& OrderSignService() {
  static const ServiceDefinition kService{
      "achilles-order-sign",
      Hook::kOrderSign,
      "Achilles tendon order safety (order sign)",
      "Before orders are signed, warns against harm to the Achilles tendon: a corticosteroid injection "
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
