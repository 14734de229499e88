// Facts: what is true about this patient and these orders, built once per request from the Record and
// the vocabulary. Each fact keeps the evidence that made it true. Missing data is an empty fact, never
// an error, so rules never fail.
//
//   Facts f = BuildFacts(record, vocabulary);
//   for (const OrderFact& o : f.orders) if (o.judged && o.corticosteroid) ...
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cards/evidence.h"
#include "cards/hook.h"
#include "cards/record.h"
#include "cards/vocabulary.h"
#include "fhir/date.h"

namespace cds::cards {

enum class ConditionKind { kTendinopathy, kRupture, kTransplant };

struct ConditionFact {
  ConditionKind kind = ConditionKind::kTendinopathy;
  std::string_view id;
  std::string_view label;
  std::string_view clinical_status;
  std::string_view verification_status;
  // rules.md: clinicalStatus active/recurrence/relapse and verificationStatus not refuted/entered-in-error.
  bool counts = false;
  std::string_view excluded_because;  // why it does not count; empty when it counts
  std::optional<fhir::FhirDate> onset;
  Evidence evidence;
};

// How a medication is given, strongest evidence first: a coded route, then the product's form, then text.
enum class RouteClass {
  kUnknown,
  kLocalInjection,     // intralesional, peritendinous, intratendinous, intra-articular, intrabursal, …
  kInjection,          // an injectable form or "inject…" text, route not stated
  kSystemicInjection,  // intramuscular, intravenous, subcutaneous
  kOral,
  kTopical,
};
enum class SiteClass { kUnstated, kAchilles, kElsewhere };

// A draft order, or an active MedicationRequest on record (then `judged` is false).
struct OrderFact {
  std::string_view type;  // resourceType
  std::string_view id;
  std::string_view label;  // what the clinician ordered, as written
  bool judged = false;     // order-select: named in selections; order-sign: every live draft order
  std::optional<Evidence> corticosteroid;
  std::optional<Evidence> fluoroquinolone;
  std::optional<Evidence> eye_ear;           // an ophthalmic or otic form or route
  std::optional<Evidence> immobilisation;    // a cast or walking boot
  std::optional<Evidence> tendon_injection;  // CPT 20550/20551 or a named tendon injection
  // Route and site are classified only for corticosteroids, fluoroquinolones and tendon injections (else
  // kUnknown/kUnstated): no rule reads them for anything else.
  RouteClass route = RouteClass::kUnknown;
  std::optional<Evidence> route_evidence;
  SiteClass site = SiteClass::kUnstated;
  std::optional<Evidence> site_evidence;

  // Taken by mouth or injected systemically (not a local injection, topical, eye or ear form). A route
  // the data does not state is not assumed.
  bool systemic_corticosteroid() const {
    return corticosteroid && !eye_ear && (route == RouteClass::kOral || route == RouteClass::kSystemicInjection);
  }
  bool systemic_fluoroquinolone() const { return fluoroquinolone && !eye_ear; }
};

enum class CareKind { kPhysiotherapy, kOrthopaedic, kImaging };

// Care already on record or being ordered now: physiotherapy / exercise therapy, an orthopaedic referral or
// repair, ultrasound / MRI of the ankle.
struct CareFact {
  CareKind kind = CareKind::kPhysiotherapy;
  std::string_view type;
  std::string_view id;
  std::optional<fhir::FhirDate> date;
  bool drafted = false;  // one of this request's draft orders
  Evidence evidence;
};

// A body mass index observation (LOINC 39156-5) with a value.
struct BmiFact {
  std::string_view id;
  double value = 0;
  std::optional<fhir::FhirDate> date;
  Evidence evidence;
};

struct Facts {
  Hook hook = Hook::kPatientView;
  fhir::Date today;
  std::string_view patient_id;
  std::string_view user_id;
  std::string_view encounter_id;
  std::string_view birth_date;            // Patient.birthDate as sent ("" when absent)
  std::optional<int> age;                 // completed years today; the latest possible birth day of a partial date
  std::vector<ConditionFact> conditions;  // every tendinopathy / rupture / transplant Condition, counted or not
  std::vector<OrderFact> orders;          // every live draft order
  // Active fluoroquinolones and systemic corticosteroids on record, and transplant conditions: built only
  // when a fluoroquinolone is there to judge (FactKind::kFluoroquinolones), or for explain.
  std::vector<OrderFact> medications;
  std::vector<CareFact> care;  // physiotherapy, orthopaedic and imaging, on record or drafted
  std::vector<BmiFact> bmi;    // BMI observations with a value, final/amended/corrected

  bool HasActive(ConditionKind kind) const;
  // The first counting condition of that kind, or nullptr.
  const ConditionFact* FirstActive(ConditionKind kind) const;
  // Ids of every counting condition of that kind: the reasonReference of a proposed order.
  std::vector<std::string_view> ActiveIds(ConditionKind kind) const;
  // Earliest onset among counting tendinopathy conditions (nullopt when none has a date).
  std::optional<fhir::Date> TendinopathyOnset() const;
  // Care of that kind dated on or after `since` (undated care, or no `since`, counts: never nag on a guess).
  const CareFact* CareSince(CareKind kind, std::optional<fhir::Date> since) const;
  // Physiotherapy on record or drafted since the tendinopathy began: a referral from an earlier episode
  // does not count.
  const CareFact* PhysiotherapySinceOnset() const { return CareSince(CareKind::kPhysiotherapy, TendinopathyOnset()); }
};

// Facts only some rules read. A rule declares them (Rule::facts()) and a service builds them only when one
// of its rules does, as it asks for prefetch data only when a rule reads it.
enum class FactKind : uint8_t {
  kFluoroquinolones,  // active fluoroquinolones on record; with a fluoroquinolone to judge, its risk factors
                      // (systemic corticosteroids on record, transplant status)
  kOrthopaedicCare,   // orthopaedic referrals and repairs on record
  kImagingCare,       // ultrasound / MRI on record
  kEverything,        // explain: every fact, whether or not a rule will read it
};
using FactNeeds = uint32_t;
constexpr FactNeeds NeedFact(FactKind k) { return FactNeeds{1} << static_cast<unsigned>(k); }
constexpr bool NeedsFact(FactNeeds set, FactKind k) { return (set & NeedFact(k)) != 0; }
inline constexpr FactNeeds kAllFacts = ~FactNeeds{0};

Facts BuildFacts(const Record& record, const Vocabulary& vocabulary, FactNeeds needs = kAllFacts);

// Concept membership with evidence: a coding in the value set, else its names in text or a display.
std::optional<Evidence> MatchConcept(const fhir::CodeableConcept& cc, const fhir::ValueSet& vs, std::string_view type,
                                     std::string_view id, std::string_view element);

}  // namespace cds::cards
