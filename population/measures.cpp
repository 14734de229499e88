// Each measure is the live rules' judgement applied on the day the order was given: the patient's
// conditions are re-read as they stood then (begun, not yet abated), and the same concept functions decide.
#include "population/measures.h"

#include <algorithm>
#include <initializer_list>
#include <limits>

#include "cards/concepts.h"
#include "cards/record.h"

namespace cds::population {
namespace {

using cards::CareFact;
using cards::CareKind;
using cards::ConditionFact;
using cards::ConditionKind;
using cards::Facts;
using cards::OrderFact;
using fhir::Date;

// Whether a condition stood on day `d`: begun, not abated, and one the rules count (active now) or a
// tendon disorder of the past (resolved, inactive, abated). A resolved condition with no abatement date
// has no known end: it counts as standing (the export cannot tell when it resolved). Refuted,
// entered-in-error and status-less ones never stand; nor a sequela.
bool StoodOn(const ConditionFact& c, Date d) {
  if (!c.counts && !c.history) return false;
  if (c.seventh == 'S') return false;
  if (!c.onset || c.onset->earliest > d) return false;
  return !(c.abatement && c.abatement->earliest <= d);
}

// The facts as they stood on day `d`: the same conditions, each counting only if it stood then.
Facts AsOn(const Facts& facts, Date d) {
  Facts at = facts;
  at.today = d;
  for (ConditionFact& c : at.conditions) {
    c.counts = StoodOn(c, d);
    if (!c.counts && c.excluded_because.empty()) c.excluded_because = "had not begun, or had ended, on that day";
  }
  return at;
}

// Whether a condition of one of these kinds stood on day `d`.
bool AnyStood(const Facts& facts, std::initializer_list<ConditionKind> kinds, Date d) {
  for (const ConditionFact& c : facts.conditions) {
    if (std::find(kinds.begin(), kinds.end(), c.kind) != kinds.end() && StoodOn(c, d)) return true;
  }
  return false;
}

// The first care of that kind dated on or after `since`; undated care cannot be placed and does not count.
std::optional<Date> FirstCareSince(const Facts& facts, CareKind kind, Date since) {
  std::optional<Date> first;
  for (const CareFact& c : facts.care) {
    if (c.kind != kind || !c.date || c.date->latest < since) continue;
    const Date d = c.date->earliest < since ? since : c.date->earliest;
    if (!first || d < *first) first = d;
  }
  return first;
}

Outcome Met(bool met) { return met ? Outcome::kMet : Outcome::kNotMet; }

}  // namespace

const std::array<MeasureDef, kMeasureCount>& MeasureDefs() {
  static const std::array<MeasureDef, kMeasureCount> defs = {{
      {MeasureId::kPhysiotherapyInTime, "achilles-physiotherapy-within-6-weeks", "main", "physiotherapy_within_6_weeks",
       "Physiotherapy or loading programme within 6 weeks of onset",
       "a physiotherapy or exercise-therapy referral or procedure dated within 6 weeks of onset",
       "cohort patients with at least 6 weeks of follow-up", true},
      {MeasureId::kSteroidInjection, "achilles-steroid-injection", "main", "steroid_injection",
       "Corticosteroid injection at or near the Achilles after onset",
       "a corticosteroid or tendon injection after onset that the steroid-injection rule would have flagged "
       "(site the Achilles, or the ankle or no site with the tendon disorder standing)",
       "all cohort patients", false},
      {MeasureId::kFluoroquinolone, "achilles-fluoroquinolone", "main", "fluoroquinolone",
       "Systemic fluoroquinolone while the tendinopathy was active",
       "a systemic fluoroquinolone (not an eye or ear form) ordered while the tendinopathy stood",
       "all cohort patients", false},
      {MeasureId::kImmobilisation, "achilles-immobilisation", "main", "immobilisation",
       "Cast or walking boot for tendinopathy",
       "a cast or walking boot after onset for the tendinopathy's leg, not for an injury or another indication",
       "all cohort patients", false},
      {MeasureId::kPrematureEscalation, "achilles-escalation", "premature", "premature_escalation",
       "Premature escalation: PRP or surgery before the weeks of conservative care",
       "PRP or Achilles surgery after onset but before the escalation rule's weeks of physiotherapy (no injury "
       "in which rupture is possible at the time)",
       "all cohort patients", false},
      {MeasureId::kMissedEscalation, "achilles-escalation", "missed", "missed_escalation",
       "Missed escalation: no orthopaedic referral past the surgical-prompt weeks",
       "no orthopaedic referral or repair on record since onset",
       "cohort patients still active past the escalation rule's surgical-referral weeks of physiotherapy", false},
      {MeasureId::kImagingConfirmation, "achilles-imaging-confirmation", "main", "imaging_confirmation",
       "Provisional diagnoses confirmed by ultrasound or MRI",
       "an ultrasound or MRI of the ankle dated on or after onset",
       "cohort patients whose tendinopathy is provisional, differential or unconfirmed", true},
  }};
  return defs;
}

std::optional<Date> CohortOnset(const Facts& facts) {
  std::optional<Date> onset;
  for (const ConditionFact& c : facts.conditions) {
    if (c.kind != ConditionKind::kTendinopathy || (!c.counts && !c.history) || !c.onset) continue;
    if (!onset || c.onset->earliest < *onset) onset = c.onset->earliest;
  }
  return onset;
}

PatientOutcome EvaluatePatient(const std::vector<fhir::Resource>& resources, std::string_view patient_id,
                               const cards::Vocabulary& vocabulary, const MeasureInputs& in) {
  cards::Record r;
  r.hook = cards::Hook::kOrderSign;  // every order is judged
  r.today = in.as_of;
  r.patient_id = patient_id;
  r.every_order = true;
  for (const fhir::Resource& res : resources) {
    const std::string_view type = res.resource_type();
    if (type == "Condition") {
      r.of(cards::DataKind::kConditions).push_back(res);
      continue;
    }
    if (type == "ServiceRequest") r.of(cards::DataKind::kServiceRequests).push_back(res);
    if (type == "Procedure") r.of(cards::DataKind::kProcedures).push_back(res);
    if (type == "MedicationRequest" || type == "ServiceRequest" || type == "Procedure" || type == "DeviceRequest")
      r.draft_orders.push_back(res);
  }
  const Facts facts = cards::BuildFacts(r, vocabulary, cards::kAllFacts);

  PatientOutcome out;
  const std::optional<Date> onset = CohortOnset(facts);
  if (!onset) return out;
  out.in_cohort = true;
  out.onset = *onset;
  auto& o = out.outcome;

  // 1. Within the window, counted only once the window has passed.
  const Date window_end{onset->days + in.weeks_to_physiotherapy * 7};
  const std::optional<Date> physio = FirstCareSince(facts, CareKind::kPhysiotherapy, *onset);
  o[Index(MeasureId::kPhysiotherapyInTime)] =
      window_end > in.as_of ? Outcome::kExcluded : Met(physio && *physio <= window_end);

  // 2–5a: the orders after onset, each judged as the rules would have on its day.
  bool steroid = false, fluoroquinolone = false, immobilised = false, premature = false;
  // Without physiotherapy, conservative care never began: any escalation is premature, none is missed.
  const Date surgical_due{physio ? physio->days + in.thresholds.weeks_surgical * 7 : std::numeric_limits<int32_t>::max()};
  for (const OrderFact& order : facts.orders) {
    if (!order.date || order.date->latest < *onset) continue;  // undated orders cannot be placed
    const Date day = order.date->earliest < *onset ? *onset : order.date->earliest;
    if (order.corticosteroid || order.tendon_injection || order.immobilisation) {
      const Facts then = AsOn(facts, day);
      const cards::InjectionVerdict v = cards::JudgeSteroidInjection(order);
      steroid |= v == cards::InjectionVerdict::kAtAchilles ||
                 (v == cards::InjectionVerdict::kSiteNotStated && then.ActiveTendonDisorder() != nullptr);
      immobilised |= order.immobilisation && cards::ImmobilisedTendinopathy(order, then, nullptr) != nullptr;
    }
    fluoroquinolone |= order.systemic_fluoroquinolone() && AnyStood(facts, {ConditionKind::kTendinopathy}, day);
    premature |= order.escalation && day < surgical_due &&
                 !AnyStood(facts, {ConditionKind::kAcuteInjury, ConditionKind::kRupture}, day);
  }
  o[Index(MeasureId::kSteroidInjection)] = Met(steroid);
  o[Index(MeasureId::kFluoroquinolone)] = Met(fluoroquinolone);
  o[Index(MeasureId::kImmobilisation)] = Met(immobilised);
  o[Index(MeasureId::kPrematureEscalation)] = Met(premature);

  // 5b. Past the surgical-referral weeks of physiotherapy and still active at the end of follow-up.
  const bool still_active = facts.FirstActive(ConditionKind::kTendinopathy) != nullptr;
  o[Index(MeasureId::kMissedEscalation)] =
      physio && surgical_due <= in.as_of && still_active
          ? Met(!FirstCareSince(facts, CareKind::kOrthopaedic, *onset))
          : Outcome::kExcluded;

  // 6. Provisional, differential or unconfirmed tendinopathy (rules.md imaging), then imaged.
  bool provisional = false;
  for (const ConditionFact& c : facts.conditions) {
    if (c.kind != ConditionKind::kTendinopathy || (!c.counts && !c.history)) continue;
    provisional |= c.verification_status == "provisional" || c.verification_status == "differential" ||
                   c.verification_status == "unconfirmed";
  }
  o[Index(MeasureId::kImagingConfirmation)] =
      provisional ? Met(FirstCareSince(facts, CareKind::kImaging, *onset).has_value()) : Outcome::kExcluded;
  return out;
}

}  // namespace cds::population
