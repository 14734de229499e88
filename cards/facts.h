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

// Achilles tendon conditions, and transplant status (a fluoroquinolone risk factor). kAcuteInjury is an
// ICD-10-CM S86.00-/S86.01-/S86.09- (or WHO S86.0) injury: rupture is not excluded (codes.md).
enum class ConditionKind { kTendinopathy, kAcuteInjury, kRupture, kTransplant };

// Which leg. kUnknown when nothing says; kBoth for "bilateral".
enum class Side : uint8_t { kUnknown, kLeft, kRight, kBoth };
std::string_view SideWord(Side side);  // "left", "right", "both", ""
// False only when both sides are known and different (a right-leg cast is not for a left tendinopathy).
inline bool MaySameSide(Side a, Side b) {
  return a == Side::kUnknown || b == Side::kUnknown || a == Side::kBoth || b == Side::kBoth || a == b;
}

struct ConditionFact {
  ConditionKind kind = ConditionKind::kTendinopathy;
  std::string_view id;
  std::string_view label;
  std::string_view clinical_status;
  std::string_view verification_status;
  // rules.md: clinicalStatus active/recurrence/relapse (or an encounter diagnosis of this encounter without
  // one, FHIR con-3), verificationStatus not refuted/entered-in-error, not abated, not a sequela.
  bool counts = false;
  // A tendon disorder in the past: resolved, inactive, in remission, abated or a sequela (never refuted or
  // entered in error). Fluoroquinolone labels (Warnings 5.2): avoid with a history of tendon disorders.
  bool history = false;
  std::string_view excluded_because;  // why it does not count; empty when it counts
  std::optional<fhir::FhirDate> onset;
  std::optional<fhir::FhirDate> abatement;  // abatementDateTime / abatementPeriod.end, as given
  std::string onset_note;  // why an onset given in the data was not used ("" when it was, or none was given)
  Side side = Side::kUnknown;
  char seventh = 0;  // ICD-10-CM injury 7th character: 'A' initial, 'D' subsequent, 'S' sequela; 0 when none
  Evidence evidence;
};

// How a medication is given, strongest evidence first: a coded route, then the product's form, then text.
enum class RouteClass {
  kUnknown,
  kLocalInjection,     // intralesional, peritendinous, intratendinous, intra-articular, intrabursal, …
  kInjection,          // an injectable form or "inject…" text, route not stated
  kSystemicInjection,  // intramuscular, intravenous, subcutaneous
  kOral,
  kTopical,            // includes iontophoresis: the drug is driven through the skin, not injected
};
// Where: the Achilles tendon itself (or its bursa); the ankle region without a structure; a structure
// that is clearly elsewhere (including the ankle joint and the peroneal tendons); or not stated.
enum class SiteClass { kUnstated, kAchilles, kAnkleRegion, kElsewhere };
// What an order is for, from reasonCode / reasonReference / its text.
enum class ReasonClass { kNotStated, kTendinopathy, kInjury, kOther };

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
  std::optional<Evidence> escalation;        // a PRP injection or Achilles tendon surgery (ServiceRequest, Procedure)
  // Route, site, side and reason are classified only for corticosteroids, fluoroquinolones, tendon
  // injections and immobilisation (else kUnknown/kUnstated): no rule reads them for anything else.
  RouteClass route = RouteClass::kUnknown;
  std::optional<Evidence> route_evidence;
  SiteClass site = SiteClass::kUnstated;
  std::optional<Evidence> site_evidence;
  Side side = Side::kUnknown;
  ReasonClass reason = ReasonClass::kNotStated;
  std::optional<Evidence> reason_evidence;
  bool names_achilles = false;  // its site, reason or text is about the Achilles tendon (FactKind::kOrderTopics)
  // When it was ordered or done (authoredOn, performed, occurrence): only for orders on record
  // (Record::every_order); a draft is now.
  std::optional<fhir::FhirDate> date;
  fhir::Resource resource;      // the order itself (reasons are resolved once the conditions are known)

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
  DataNeeds unavailable = 0;              // record data the EHR did not send (Record::unavailable)
  std::string_view birth_date;            // Patient.birthDate as sent ("" when absent)
  std::optional<int> age;                 // completed years today; the latest possible birth day of a partial date
  std::string age_note;                   // why a birth date that was sent is not used ("" otherwise)
  std::vector<ConditionFact> conditions;  // every Achilles / transplant Condition, counted or not
  std::vector<OrderFact> orders;          // every live draft order
  // Active fluoroquinolones and systemic corticosteroids on record, and transplant conditions: built only
  // when a fluoroquinolone is there to judge (FactKind::kFluoroquinolones), or for explain.
  std::vector<OrderFact> medications;
  std::vector<CareFact> care;  // physiotherapy, orthopaedic and imaging, on record or drafted
  std::vector<BmiFact> bmi;    // BMI observations with a value, final/amended/corrected
  // Resources that would have been facts but are about another patient (their subject is not
  // context.patientId): ignored, counted for the log. Another patient's record never fires a card.
  std::size_t other_patient = 0;

  bool Unavailable(DataKind k) const { return Needs(unavailable, k); }
  bool HasActive(ConditionKind kind) const;
  // The first counting condition of that kind, or nullptr.
  const ConditionFact* FirstActive(ConditionKind kind) const;
  // A counting acute injury or rupture: rupture is possible, so no loading prompt and no advice against
  // immobilisation (codes.md). Null when none.
  const ConditionFact* InjuryNotExcluded() const;
  // The first counting tendon condition (tendinopathy, then acute injury, then rupture), or nullptr.
  const ConditionFact* ActiveTendonDisorder() const;
  // The first tendon condition of the past (ConditionFact::history), or nullptr.
  const ConditionFact* PastTendonDisorder() const;
  // Ids of every counting condition of that kind: the reasonReference of a proposed order.
  std::vector<std::string_view> ActiveIds(ConditionKind kind) const;
  // The side of the counting conditions of that kind (kBoth when both legs, kUnknown when none says).
  Side ActiveSide(ConditionKind kind) const;
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
  kOrderTopics,       // whether each order under review is about the Achilles (its reason, site or name)
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

// The side a text names ("left", "right", "bilateral"/"both"), or kUnknown.
Side SideInText(std::string_view text);

}  // namespace cds::cards
