// The CDS services this project offers, in a fixed order (discovery output never reorders). Each service
// is defined in one file under cards/services/ together with its rule table.
//
//   for (const ServiceDefinition& s : Catalog()) Advertise(s.id, s.hook);
#pragma once

#include <string_view>
#include <vector>

#include "cards/hook.h"
#include "cards/rule_id.h"

namespace cds::cards {

struct RuleEntry {
  RuleId rule;
  // Skip this rule when one of these already fired in the same response: their card already offers
  // what this one would (alert fatigue: one physiotherapy suggestion per response).
  std::vector<RuleId> yields_to;
};

struct ServiceDefinition {
  std::string_view id;
  Hook hook;
  std::string_view title;
  std::string_view description;
  std::vector<RuleEntry> rules;  // in card order
};

const ServiceDefinition& PatientViewService();
const ServiceDefinition& OrderSelectService();
const ServiceDefinition& OrderSignService();

const std::vector<const ServiceDefinition*>& Catalog();
const ServiceDefinition* FindServiceDefinition(std::string_view id);

}  // namespace cds::cards
