// Facts for rule tests.
#include "tests/cards/rule_fixture.h"

#include "cards/config_reader.h"
#include "fhir/parsed_json.h"
#include "tests/support/files.h"
#include "tests/support/service_calls.h"

namespace cds::test {

using namespace cds::cards;

std::unique_ptr<Rule> ShippedRule(RuleId id) {
  auto cards_doc = fhir::ParsedJson::ReadFile(ConfigDir() + "/cards.json");
  const CardsConfig cards = CardsConfig::Read(ConfigReader(cards_doc->root(), "cards.json"));
  const std::string file = ConfigDir() + "/rules/" + std::string(RuleIdName(id)) + ".json";
  auto doc = fhir::ParsedJson::ReadFile(file);
  ConfigReader r(doc->root(), file);
  r.String("rule");
  r.Strings("services");
  return SpecFor(id).create(r, cards);
}

Facts BaseFacts(Hook hook) {
  Facts f;
  f.hook = hook;
  f.today = TestToday();
  f.patient_id = "pat-1";
  f.user_id = "Practitioner/example";
  return f;
}

ConditionFact Tendinopathy(std::string_view id, bool counts) {
  ConditionFact c;
  c.kind = ConditionKind::kTendinopathy;
  c.id = id;
  c.label = "Achilles tendinitis, left leg";
  c.clinical_status = counts ? "active" : "resolved";
  c.counts = counts;
  c.excluded_because = counts ? "" : "clinicalStatus is resolved";
  c.onset = fhir::FhirDate::Parse("2026-09-01");
  c.evidence.resource_type = "Condition";
  c.evidence.resource_id = id;
  c.evidence.element = "code";
  c.evidence.system = "http://hl7.org/fhir/sid/icd-10-cm";
  c.evidence.code = "M76.62";
  c.evidence.display = "Achilles tendinitis, left leg";
  c.evidence.value_set = ShippedEngine().vocabulary().tendinopathy;
  return c;
}

ConditionFact Rupture(std::string_view id) {
  ConditionFact c = Tendinopathy(id);
  c.kind = ConditionKind::kRupture;
  c.label = "Rupture of Achilles tendon";
  c.evidence.system = "http://snomed.info/sct";
  c.evidence.code = "429513001";
  c.evidence.value_set = ShippedEngine().vocabulary().rupture;
  return c;
}

OrderFact SteroidOrder(std::string_view id, RouteClass route, SiteClass site) {
  OrderFact o;
  o.type = "MedicationRequest";
  o.id = id;
  o.label = "Kenalog-40 injection";
  o.judged = true;
  Evidence e;
  e.resource_type = o.type;
  e.resource_id = id;
  e.element = "medication";
  e.text = o.label;
  e.term = "kenalog*";
  e.value_set = ShippedEngine().vocabulary().corticosteroid;
  o.corticosteroid = e;
  o.route = route;
  o.site = site;
  if (site != SiteClass::kUnstated) {
    Evidence s = e;
    s.element = "dosageInstruction.site";
    s.text = site == SiteClass::kAchilles ? "left Achilles tendon" : "right knee";
    s.term = site == SiteClass::kAchilles ? "achilles" : "knee";
    s.value_set = site == SiteClass::kAchilles ? ShippedEngine().vocabulary().achilles_site
                                               : ShippedEngine().vocabulary().other_site;
    o.site_evidence = s;
  }
  return o;
}

CareFact Physiotherapy(std::string_view id, bool drafted) {
  CareFact c;
  c.kind = CareKind::kPhysiotherapy;
  c.type = "ServiceRequest";
  c.id = id;
  c.drafted = drafted;
  c.date = fhir::FhirDate::Parse("2026-10-01");
  c.evidence.resource_type = "ServiceRequest";
  c.evidence.resource_id = id;
  c.evidence.system = "http://snomed.info/sct";
  c.evidence.code = "308447003";
  c.evidence.value_set = ShippedEngine().vocabulary().physiotherapy;
  return c;
}

}  // namespace cds::test
