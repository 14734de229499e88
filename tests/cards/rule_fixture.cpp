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

CareFact Care(CareKind kind, std::string_view id, std::string_view date) {
  CareFact c = Physiotherapy(id);
  c.kind = kind;
  c.date = fhir::FhirDate::Parse(date);
  c.evidence.value_set = kind == CareKind::kOrthopaedic ? ShippedEngine().vocabulary().orthopaedic
                         : kind == CareKind::kImaging   ? ShippedEngine().vocabulary().imaging
                                                        : ShippedEngine().vocabulary().physiotherapy;
  return c;
}

ConditionFact Transplant(std::string_view id) {
  ConditionFact c = Tendinopathy(id);
  c.kind = ConditionKind::kTransplant;
  c.label = "Kidney transplant status";
  c.evidence.code = "Z94.0";
  c.evidence.value_set = ShippedEngine().vocabulary().transplant;
  return c;
}

namespace {

Evidence NameEvidence(std::string_view type, std::string_view id, std::string_view text, std::string_view term,
                      const fhir::ValueSet* vs) {
  Evidence e;
  e.resource_type = type;
  e.resource_id = id;
  e.element = "medication";
  e.text = text;
  e.term = term;
  e.value_set = vs;
  return e;
}

}  // namespace

OrderFact FluoroquinoloneOrder(std::string_view id, bool eye_ear) {
  OrderFact o;
  o.type = "MedicationRequest";
  o.id = id;
  o.label = eye_ear ? "Ciprofloxacin 0.3% eye drops" : "Ciprofloxacin 500 mg tablet";
  o.judged = true;
  o.fluoroquinolone = NameEvidence(o.type, id, o.label, "ciprofloxacin", ShippedEngine().vocabulary().fluoroquinolone);
  o.route = RouteClass::kOral;
  if (eye_ear) {
    o.route = RouteClass::kTopical;
    o.eye_ear = NameEvidence(o.type, id, o.label, "eye drop", ShippedEngine().vocabulary().eye_ear);
  }
  return o;
}

OrderFact SystemicSteroid(std::string_view id) {
  OrderFact o;
  o.type = "MedicationRequest";
  o.id = id;
  o.label = "Prednisone 5 mg tablet";
  o.corticosteroid = NameEvidence(o.type, id, o.label, "prednisone", ShippedEngine().vocabulary().corticosteroid);
  o.route = RouteClass::kOral;
  return o;
}

OrderFact ImmobilisingOrder(std::string_view id) {
  OrderFact o;
  o.type = "DeviceRequest";
  o.id = id;
  o.label = "Walking boot";
  o.judged = true;
  o.immobilisation = NameEvidence(o.type, id, o.label, "walking boot", ShippedEngine().vocabulary().immobilisation);
  return o;
}

BmiFact Bmi(std::string_view id, double value, std::string_view date) {
  BmiFact b;
  b.id = id;
  b.value = value;
  b.date = fhir::FhirDate::Parse(date);
  b.evidence.resource_type = "Observation";
  b.evidence.resource_id = id;
  b.evidence.system = "http://loinc.org";
  b.evidence.code = "39156-5";
  b.evidence.value_set = ShippedEngine().vocabulary().bmi;
  return b;
}

}  // namespace cds::test
