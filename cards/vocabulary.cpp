// Binding value-set ids to the typed vocabulary.
#include "cards/vocabulary.h"

namespace cds::cards {

Vocabulary Vocabulary::From(const fhir::Terminology& t) {
  Vocabulary v;
  v.tendinopathy = &t.Require("achilles-tendinopathy");
  v.acute_injury = &t.Require("achilles-acute-injury");
  v.rupture = &t.Require("achilles-rupture");
  v.corticosteroid = &t.Require("corticosteroid");
  v.corticosteroid_injectable = &t.Require("corticosteroid-injectable");
  v.achilles_site = &t.Require("achilles-site");
  v.ankle_region = &t.Require("ankle-region");
  v.other_site = &t.Require("injection-site-elsewhere");
  v.route_local_injection = &t.Require("route-local-injection");
  v.route_systemic_injection = &t.Require("route-systemic-injection");
  v.route_oral = &t.Require("route-oral");
  v.route_topical = &t.Require("route-topical");
  v.tendon_injection = &t.Require("tendon-injection-procedure");
  v.physiotherapy = &t.Require("physiotherapy");
  v.fluoroquinolone = &t.Require("fluoroquinolone");
  v.eye_ear = &t.Require("eye-ear-form");
  v.transplant = &t.Require("transplant-status");
  v.orthopaedic = &t.Require("orthopaedic-referral");
  v.imaging = &t.Require("ankle-imaging");
  v.immobilisation = &t.Require("immobilisation");
  v.other_indication = &t.Require("immobilisation-other-indication");
  v.bmi = &t.Require("bmi");
  v.escalation_procedure = &t.Require("achilles-escalation-procedure");
  return v;
}

}  // namespace cds::cards
