// The population audit's measures: what happened to one patient of the cohort, judged with the live
// rules' own facts, value sets, thresholds and judgements (cards/facts.h, cards/concepts.h), so a change to
// either changes both. One PatientOutcome per patient whose Achilles tendinopathy began in the period.
//
//   MeasureInputs in{as_of, LoadEscalationThresholds("config")};
//   PatientOutcome o = EvaluatePatient(resources, "pat-1", vocabulary, in);
//   if (o.in_cohort && o.outcome[Index(MeasureId::kFluoroquinolone)] == Outcome::kMet) ...
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cards/facts.h"
#include "cards/rules/escalation.h"
#include "cards/vocabulary.h"
#include "fhir/date.h"
#include "fhir/resource.h"

namespace cds::population {

// Issue 10's six measures; the fifth (escalation) has two groups, premature and missed.
enum class MeasureId : uint8_t {
  kPhysiotherapyInTime,   // 1. physiotherapy / loading referral or therapy within 6 weeks of onset
  kSteroidInjection,      // 2. corticosteroid injection at or near the Achilles after onset
  kFluoroquinolone,       // 3. systemic fluoroquinolone while the tendinopathy was active
  kImmobilisation,        // 4. cast or walking boot for the tendinopathy (not an injury)
  kPrematureEscalation,   // 5a. PRP or surgery before the escalation rule's weeks of conservative care
  kMissedEscalation,      // 5b. no orthopaedic referral past those weeks, still active
  kImagingConfirmation,   // 6. provisional diagnosis confirmed by ultrasound or MRI
};
inline constexpr std::size_t kMeasureCount = 7;
inline constexpr std::size_t Index(MeasureId m) { return static_cast<std::size_t>(m); }

struct MeasureDef {
  MeasureId id;
  std::string_view measure;      // the FHIR Measure's id in config/measures/
  std::string_view group;        // its group's code: "premature" / "missed" for measure 5, else "main"
  std::string_view column;       // the --patients column
  std::string_view title;        // what a quality analyst reads
  std::string_view numerator;    // in words
  std::string_view denominator;  // in words: stated with every figure
  bool higher_is_better;
};
const std::array<MeasureDef, kMeasureCount>& MeasureDefs();

// kExcluded: not in this measure's denominator (too little follow-up, no provisional diagnosis, …).
enum class Outcome : uint8_t { kExcluded, kNotMet, kMet };

struct MeasureInputs {
  fhir::Date as_of;                         // the day the export describes: follow-up ends here
  cards::EscalationThresholds thresholds;   // the escalation rule's weeks (config/rules/escalation.json)
  int weeks_to_physiotherapy = 6;           // measure 1's window (issue 10: "within 6 weeks of onset")
};

struct PatientOutcome {
  bool in_cohort = false;        // a tendinopathy with a usable onset (then `onset` is set)
  fhir::Date onset;              // earliest onset of the tendinopathy (rules.md: onset, else recordedDate)
  std::array<Outcome, kMeasureCount> outcome{};
};

// The tendinopathy's onset for the cohort: the earliest onset of a tendinopathy Condition that is not
// refuted or entered in error (resolved ones too: the tendinopathy began then). nullopt when none is dated.
std::optional<fhir::Date> CohortOnset(const cards::Facts& facts);

// Judges one patient's record: Conditions, MedicationRequests, ServiceRequests, Procedures and
// DeviceRequests (other types are ignored). The resources must stay alive during the call.
PatientOutcome EvaluatePatient(const std::vector<fhir::Resource>& resources, std::string_view patient_id,
                               const cards::Vocabulary& vocabulary, const MeasureInputs& in);

}  // namespace cds::population
