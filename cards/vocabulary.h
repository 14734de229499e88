// The value sets the facts are built from, resolved by id once at start-up (typed: no string lookups on
// the request path). Each id names a file's ValueSet.id in config/valuesets/.
#pragma once

#include "fhir/terminology.h"

namespace cds::cards {

struct Vocabulary {
  const fhir::ValueSet* tendinopathy = nullptr;               // achilles-tendinopathy
  const fhir::ValueSet* acute_injury = nullptr;               // achilles-acute-injury (S86.00/S86.01/S86.09)
  const fhir::ValueSet* rupture = nullptr;                    // achilles-rupture
  const fhir::ValueSet* corticosteroid = nullptr;             // corticosteroid
  const fhir::ValueSet* corticosteroid_injectable = nullptr;  // corticosteroid-injectable (forms)
  const fhir::ValueSet* achilles_site = nullptr;              // achilles-site (the tendon and its bursa)
  const fhir::ValueSet* ankle_region = nullptr;               // ankle-region (the ankle, no structure named)
  const fhir::ValueSet* other_site = nullptr;                 // injection-site-elsewhere
  const fhir::ValueSet* route_local_injection = nullptr;      // route-local-injection
  const fhir::ValueSet* route_systemic_injection = nullptr;   // route-systemic-injection
  const fhir::ValueSet* route_oral = nullptr;                 // route-oral
  const fhir::ValueSet* route_topical = nullptr;              // route-topical (includes iontophoresis)
  const fhir::ValueSet* tendon_injection = nullptr;           // tendon-injection-procedure
  const fhir::ValueSet* physiotherapy = nullptr;              // physiotherapy
  const fhir::ValueSet* fluoroquinolone = nullptr;            // fluoroquinolone
  const fhir::ValueSet* eye_ear = nullptr;                    // eye-ear-form
  const fhir::ValueSet* transplant = nullptr;                 // transplant-status
  const fhir::ValueSet* orthopaedic = nullptr;                // orthopaedic-referral
  const fhir::ValueSet* imaging = nullptr;                    // ankle-imaging
  const fhir::ValueSet* immobilisation = nullptr;             // immobilisation
  const fhir::ValueSet* other_indication = nullptr;           // immobilisation-other-indication
  const fhir::ValueSet* bmi = nullptr;                        // bmi
  const fhir::ValueSet* escalation_procedure = nullptr;       // achilles-escalation-procedure (PRP, surgery)

  // Throws ConfigError naming the first missing value set.
  static Vocabulary From(const fhir::Terminology& terminology);
};

}  // namespace cds::cards
