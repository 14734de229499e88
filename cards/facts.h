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

enum class ConditionKind { kTendinopathy, kRupture };

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

struct OrderFact {
  std::string_view type;  // resourceType
  std::string_view id;
  std::string_view label;  // what the clinician ordered, as written
  bool judged = false;     // order-select: named in selections; order-sign: every live draft order
  std::optional<Evidence> corticosteroid;
  std::optional<Evidence> tendon_injection;  // CPT 20550/20551 or a named tendon injection
  // Route and site are classified only for corticosteroids and tendon injections (else kUnknown/kUnstated).
  RouteClass route = RouteClass::kUnknown;
  std::optional<Evidence> route_evidence;
  SiteClass site = SiteClass::kUnstated;
  std::optional<Evidence> site_evidence;
  std::optional<Evidence> physiotherapy;
};

// Physiotherapy / exercise therapy already on record or being ordered now.
struct CareFact {
  std::string_view type;
  std::string_view id;
  std::optional<fhir::FhirDate> date;
  bool drafted = false;  // one of this request's draft orders
  Evidence evidence;
};

struct Facts {
  Hook hook = Hook::kPatientView;
  fhir::Date today;
  std::string_view patient_id;
  std::string_view user_id;
  std::string_view encounter_id;
  std::vector<ConditionFact> conditions;  // every tendinopathy / rupture Condition, counted or not
  std::vector<OrderFact> orders;          // every live draft order
  std::vector<CareFact> physiotherapy;

  bool HasActive(ConditionKind kind) const;
  // The first counting condition of that kind, or nullptr.
  const ConditionFact* FirstActive(ConditionKind kind) const;
  // Ids of every counting condition of that kind: the reasonReference of a proposed order.
  std::vector<std::string_view> ActiveIds(ConditionKind kind) const;
  // Earliest onset among counting tendinopathy conditions (nullopt when none has a date).
  std::optional<fhir::Date> TendinopathyOnset() const;
  // Physiotherapy on record or drafted since the tendinopathy began: a referral from an earlier episode
  // does not count. Undated care, or an unknown onset, counts (never nag on a guess).
  const CareFact* PhysiotherapySinceOnset() const;
};

Facts BuildFacts(const Record& record, const Vocabulary& vocabulary);

// Concept membership with evidence: a coding in the value set, else its names in text or a display.
std::optional<Evidence> MatchConcept(const fhir::CodeableConcept& cc, const fhir::ValueSet& vs, std::string_view type,
                                     std::string_view id, std::string_view element);

}  // namespace cds::cards
