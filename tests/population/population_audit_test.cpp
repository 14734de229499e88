// population/measures.cpp and population/population_audit.cpp: each measure's definition on hand-written
// records (the figures over a generated export are checked by population_test.py), and the parallel reading
// of one large file giving the same cohort and problem line numbers as reading it whole.
#include "population/population_audit.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "cards/engine.h"
#include "fhir/parsed_json.h"
#include "population/measures.h"
#include "tests/support/files.h"

namespace cds::population {
namespace {

using fhir::Date;

const cards::Engine& Shipped() {
  static const std::shared_ptr<const cards::Engine> engine = cards::Engine::Load(test::ConfigDir());
  return *engine;
}

Date D(const char* iso) { return *Date::ParseIso(iso); }

// One patient's resources, written as FHIR JSON; "P" stands for the patient's reference.
class Patient {
 public:
  Patient& Add(std::string json) {
    for (std::size_t at; (at = json.find("\"P\"")) != std::string::npos;) json.replace(at, 3, "\"Patient/p1\"");
    auto doc = fhir::ParsedJson::Parse(json);
    EXPECT_TRUE(doc) << json;
    docs_.push_back(std::make_unique<fhir::ParsedJson>(std::move(*doc)));
    resources_.emplace_back(docs_.back()->root());
    return *this;
  }
  // An active, confirmed left Achilles tendinitis (M76.62) with onset 2024-03-01, unless told otherwise.
  Patient& Tendinopathy(const std::string& extra = "", const std::string& clinical = "active",
                        const std::string& verification = "confirmed") {
    return Add(R"({"resourceType":"Condition","id":"c1","subject":{"reference":"P"},)"
               R"("clinicalStatus":{"coding":[{"code":")" + clinical + R"("}]},"verificationStatus":{"coding":[{"code":")" +
               verification + R"("}]},)"
               R"("code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M76.62"}]},)"
               R"("onsetDateTime":"2024-03-01")" + extra + "}");
  }
  Patient& Order(const std::string& type, const std::string& body, const std::string& date) {
    const std::string when = type == "Procedure" ? "performedDateTime" : "authoredOn";
    return Add(R"({"resourceType":")" + type + R"(","id":"o)" + std::to_string(resources_.size()) +
               R"(","status":"completed","intent":"order","subject":{"reference":"P"},)" + body + R"(,")" + when +
               R"(":")" + date + "\"}");
  }
  PatientOutcome Evaluate(const char* as_of = "2025-06-30", const cards::Engine& engine = Shipped()) const {
    MeasureInputs in;
    in.as_of = D(as_of);
    in.thresholds = cards::LoadEscalationThresholds(test::ConfigDir());
    return EvaluatePatient(resources_, "p1", engine.vocabulary(), in);
  }

 private:
  std::vector<std::unique_ptr<fhir::ParsedJson>> docs_;
  std::vector<fhir::Resource> resources_;
};

Outcome Of(const PatientOutcome& o, MeasureId m) { return o.outcome[Index(m)]; }

const std::string kCipro = R"("medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"197511"}]})";
const std::string kPhysio = R"("code":{"coding":[{"system":"http://snomed.info/sct","code":"308447003"}]})";
const std::string kPrp = R"("code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"0232T"}]})";

TEST(PopulationMeasures, OnsetIsTheConditionsOrItsRecordedDate) {
  Patient p;
  p.Add(R"({"resourceType":"Condition","subject":{"reference":"P"},"clinicalStatus":{"coding":[{"code":"active"}]},)"
        R"("code":{"text":"Left Achilles tendinopathy"},"recordedDate":"2024-05-02T10:00:00Z"})");
  const PatientOutcome o = p.Evaluate();
  ASSERT_TRUE(o.in_cohort);
  EXPECT_EQ(o.onset, D("2024-05-02"));
}

TEST(PopulationMeasures, EnteredInErrorOrRefutedIsNoCohort) {
  Patient p;
  p.Tendinopathy().Add(R"({"resourceType":"Condition","subject":{"reference":"P"},)"
                       R"("verificationStatus":{"coding":[{"code":"entered-in-error"}]},)"
                       R"("code":{"text":"Achilles tendinitis"},"onsetDateTime":"2023-01-01"})");
  EXPECT_EQ(p.Evaluate().onset, D("2024-03-01"));  // the one in error does not move the onset
  Patient q;
  q.Add(R"({"resourceType":"Condition","subject":{"reference":"P"},"clinicalStatus":{"coding":[{"code":"active"}]},)"
        R"("verificationStatus":{"coding":[{"code":"refuted"}]},"code":{"text":"Achilles tendinitis"},)"
        R"("onsetDateTime":"2024-03-01"})");
  EXPECT_FALSE(q.Evaluate().in_cohort);
}

TEST(PopulationMeasures, PhysiotherapyOnDay42IsInTimeAndDay43IsNot) {
  Patient in_time, late, early_window;
  in_time.Tendinopathy().Order("ServiceRequest", kPhysio, "2024-04-12");  // 42 days
  late.Tendinopathy().Order("ServiceRequest", kPhysio, "2024-04-13");
  EXPECT_EQ(Of(in_time.Evaluate(), MeasureId::kPhysiotherapyInTime), Outcome::kMet);
  EXPECT_EQ(Of(late.Evaluate(), MeasureId::kPhysiotherapyInTime), Outcome::kNotMet);
  // Six weeks have not passed by the end of follow-up: not yet in the denominator.
  early_window.Tendinopathy();
  EXPECT_EQ(Of(early_window.Evaluate("2024-04-01"), MeasureId::kPhysiotherapyInTime), Outcome::kExcluded);
}

TEST(PopulationMeasures, FluoroquinoloneCountsOnlyWhileTheTendinopathyStood) {
  Patient during, before, after, otic;
  during.Tendinopathy(R"(,"abatementDateTime":"2024-09-01")", "resolved")
      .Order("MedicationRequest", kCipro, "2024-06-01");
  before.Tendinopathy().Order("MedicationRequest", kCipro, "2024-02-01");
  after.Tendinopathy(R"(,"abatementDateTime":"2024-09-01")", "resolved")
      .Order("MedicationRequest", kCipro, "2024-10-01");
  otic.Tendinopathy().Order("MedicationRequest",
                            R"("medicationCodeableConcept":{"text":"ciprofloxacin 0.3% otic solution"})", "2024-06-01");
  EXPECT_EQ(Of(during.Evaluate(), MeasureId::kFluoroquinolone), Outcome::kMet);
  EXPECT_EQ(Of(before.Evaluate(), MeasureId::kFluoroquinolone), Outcome::kNotMet);
  EXPECT_EQ(Of(after.Evaluate(), MeasureId::kFluoroquinolone), Outcome::kNotMet);
  EXPECT_EQ(Of(otic.Evaluate(), MeasureId::kFluoroquinolone), Outcome::kNotMet);
}

TEST(PopulationMeasures, SteroidInjectionIsJudgedAsTheLiveRuleJudgesIt) {
  const std::string kenalog = R"("medicationCodeableConcept":{"text":"Kenalog-40 injectable suspension"},)"
                              R"("dosageInstruction":[{"route":{"coding":[{"system":"http://snomed.info/sct","code":"419762003"}]},)";
  Patient achilles, knee, oral;
  achilles.Tendinopathy().Order("MedicationRequest", kenalog + R"("site":{"text":"left Achilles tendon"}}])", "2024-04-01");
  knee.Tendinopathy().Order("MedicationRequest", kenalog + R"("site":{"text":"right knee"}}])", "2024-04-01");
  oral.Tendinopathy().Order("MedicationRequest",
                            R"("medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"312617"}]})",
                            "2024-04-01");
  EXPECT_EQ(Of(achilles.Evaluate(), MeasureId::kSteroidInjection), Outcome::kMet);
  EXPECT_EQ(Of(knee.Evaluate(), MeasureId::kSteroidInjection), Outcome::kNotMet);
  EXPECT_EQ(Of(oral.Evaluate(), MeasureId::kSteroidInjection), Outcome::kNotMet);
}

TEST(PopulationMeasures, BootForTheOtherLegOrAnInjuryIsNotImmobilisingTheTendinopathy) {
  const std::string boot = R"("codeCodeableConcept":{"coding":[{"system":"https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets","code":"L4360"}]},)";
  Patient same, other, injury;
  same.Tendinopathy().Order("DeviceRequest", boot + R"("note":[{"text":"left leg"}])", "2024-04-01");
  other.Tendinopathy().Order("DeviceRequest", boot + R"("note":[{"text":"right leg"}])", "2024-04-01");
  injury.Tendinopathy()
      .Add(R"({"resourceType":"Condition","subject":{"reference":"P"},"clinicalStatus":{"coding":[{"code":"active"}]},)"
           R"("code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"S86.012A"}]},"onsetDateTime":"2024-03-31"})")
      .Order("DeviceRequest", boot + R"("note":[{"text":"left leg"}])", "2024-04-01");
  EXPECT_EQ(Of(same.Evaluate(), MeasureId::kImmobilisation), Outcome::kMet);
  EXPECT_EQ(Of(other.Evaluate(), MeasureId::kImmobilisation), Outcome::kNotMet);
  EXPECT_EQ(Of(injury.Evaluate(), MeasureId::kImmobilisation), Outcome::kNotMet);
}

TEST(PopulationMeasures, EscalationAgainstTheRulesWeeksOfPhysiotherapy) {
  // config/rules/escalation.json: 12 weeks of physiotherapy before a surgical referral.
  Patient premature, in_time, none, referred;
  premature.Tendinopathy().Order("ServiceRequest", kPhysio, "2024-03-10").Order("Procedure", kPrp, "2024-06-01");
  in_time.Tendinopathy().Order("ServiceRequest", kPhysio, "2024-03-10").Order("Procedure", kPrp, "2024-06-02");
  none.Tendinopathy().Order("Procedure", kPrp, "2024-04-01");
  EXPECT_EQ(Of(premature.Evaluate(), MeasureId::kPrematureEscalation), Outcome::kMet);  // day 83
  EXPECT_EQ(Of(in_time.Evaluate(), MeasureId::kPrematureEscalation), Outcome::kNotMet);  // day 84
  EXPECT_EQ(Of(none.Evaluate(), MeasureId::kPrematureEscalation), Outcome::kMet);
  // Missed: still active past the 12 weeks with no orthopaedic referral; referred: not missed.
  EXPECT_EQ(Of(in_time.Evaluate(), MeasureId::kMissedEscalation), Outcome::kMet);
  referred.Tendinopathy().Order("ServiceRequest", kPhysio, "2024-03-10").Order(
      "ServiceRequest", R"("code":{"text":"Referral to orthopaedics"})", "2024-07-01");
  EXPECT_EQ(Of(referred.Evaluate(), MeasureId::kMissedEscalation), Outcome::kNotMet);
  EXPECT_EQ(Of(none.Evaluate(), MeasureId::kMissedEscalation), Outcome::kExcluded);  // conservative care never began
}

TEST(PopulationMeasures, ImagingOnlyForAProvisionalDiagnosis) {
  Patient provisional, confirmed;
  provisional.Tendinopathy("", "active", "provisional")
      .Order("ServiceRequest", R"("code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"76882"}]})", "2024-03-05");
  confirmed.Tendinopathy();
  EXPECT_EQ(Of(provisional.Evaluate(), MeasureId::kImagingConfirmation), Outcome::kMet);
  EXPECT_EQ(Of(confirmed.Evaluate(), MeasureId::kImagingConfirmation), Outcome::kExcluded);
}

// One definition (issue 10 §2): the value set the live rule reads is the one the audit reads. Without
// ciprofloxacin in config/valuesets/fluoroquinolone.json, the measure no longer counts it either.
TEST(PopulationMeasures, AValueSetChangeChangesTheMeasure) {
  test::ConfigCopy config;
  config.Edit("valuesets/fluoroquinolone.json", "\"code\": \"197511\"", "\"code\": \"0000000\"");
  config.Edit("valuesets/fluoroquinolone.json", "ciprofloxacin|", "");
  const auto edited = cards::Engine::Load(config.path());
  Patient p;
  p.Tendinopathy().Order("MedicationRequest", kCipro, "2024-06-01");
  EXPECT_EQ(Of(p.Evaluate(), MeasureId::kFluoroquinolone), Outcome::kMet);
  // The same record, judged with the edited configuration: neither the live rule's vocabulary nor the measure
  // knows the drug any more.
  EXPECT_FALSE(edited->vocabulary().fluoroquinolone->ContainsCode("http://www.nlm.nih.gov/research/umls/rxnorm", "197511"));
  EXPECT_EQ(Of(p.Evaluate("2025-06-30", *edited), MeasureId::kFluoroquinolone), Outcome::kNotMet);
}

// A large file read in parts by two threads: the same cohort and the same problem line numbers.
TEST(PopulationAudit, PartsOfALargeFileReadLikeTheWholeFile) {
  test::TempDir dir;
  std::string conditions;
  for (int i = 0; i < 400; ++i) {
    if (i == 123) conditions += "{\"resourceType\":\"Condition\",\n";  // line 124 is broken
    conditions += R"({"resourceType":"Condition","subject":{"reference":"Patient/p)" + std::to_string(i) +
                  R"("},"clinicalStatus":{"coding":[{"code":"active"}]},"code":{"text":"Achilles tendinitis"},)"
                  R"("onsetDateTime":"2024-0)" + std::to_string(1 + i % 9) + "-15\"}\n";
  }
  test::WriteFile(dir.Join("Condition.ndjson"), conditions);
  PopulationOptions whole;
  whole.dir = dir.path();
  whole.from = D("2024-01-01");
  whole.to = D("2024-12-31");
  MeasureInputs in;
  in.as_of = D("2025-06-30");
  auto a = RunPopulationAudit(whole, Shipped().vocabulary(), in);
  PopulationOptions parts = whole;
  parts.jobs = 2;
  parts.part_bytes = 1000;
  auto b = RunPopulationAudit(parts, Shipped().vocabulary(), in);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->cohort.size(), 400u);
  EXPECT_EQ(b->cohort.size(), 400u);
  ASSERT_EQ(b->input.problems.size(), 1u);
  EXPECT_EQ(b->input.problems[0].line, 124u);
  EXPECT_EQ(a->input.problems[0].line, 124u);
  EXPECT_EQ(a->input.lines, b->input.lines);
}

}  // namespace
}  // namespace cds::population
