// The resource views (fhir/*.h): what rules read, and tolerance of what EHRs actually send.
#include <gtest/gtest.h>

#include "fhir/bundle.h"
#include "fhir/condition.h"
#include "fhir/medication_request.h"
#include "fhir/observation.h"
#include "fhir/parsed_json.h"
#include "fhir/patient.h"
#include "fhir/procedure.h"
#include "fhir/service_request.h"

namespace cds::fhir {
namespace {

ParsedJson Parse(const char* text) {
  auto doc = ParsedJson::Parse(text);
  EXPECT_TRUE(doc.ok());
  return std::move(*doc);
}

TEST(Condition, ReadsStatusCodeAndOnsetInRulesOrder) {
  auto doc = Parse(R"({"resourceType":"Condition","id":"c1",
    "clinicalStatus":{"coding":[{"system":"other","code":"x"},{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
    "verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"provisional"}]},
    "code":{"coding":[{"system":"s","code":"c","display":"Disp"}],"text":"Text"},
    "onsetPeriod":{"start":"2026-01-02"},"recordedDate":"2026-02-01"})");
  Condition c(doc.root());
  EXPECT_EQ(c.id(), "c1");
  EXPECT_EQ(c.clinical_status(), "active");  // the coding from the condition-clinical system wins
  EXPECT_EQ(c.verification_status(), "provisional");
  EXPECT_EQ(c.code().label(), "Text");
  EXPECT_EQ(c.code().coding(0).display, "Disp");
  EXPECT_EQ(c.onset(), "2026-01-02");  // onsetPeriod.start before recordedDate
}

TEST(Condition, OnsetFallsBackToRecordedDate) {
  auto doc = Parse(R"({"resourceType":"Condition","recordedDate":"2026-02-01"})");
  EXPECT_EQ(Condition(doc.root()).onset(), "2026-02-01");
  auto none = Parse(R"({"resourceType":"Condition"})");
  EXPECT_EQ(Condition(none.root()).onset(), "");
  EXPECT_EQ(Condition(none.root()).clinical_status(), "");
}

TEST(MedicationRequest, ReadsAContainedMedication) {
  auto doc = Parse(R"({"resourceType":"MedicationRequest","id":"m",
    "contained":[{"resourceType":"Medication","id":"med1","code":{"text":"Kenalog-40"}}],
    "medicationReference":{"reference":"#med1","display":"Kenalog"},
    "dosageInstruction":[{"text":"inject","route":{"text":"peritendinous"},"site":{"text":"left Achilles"}}]})");
  MedicationRequest mr(doc.root());
  EXPECT_EQ(mr.medication().label(), "Kenalog-40");
  EXPECT_EQ(mr.medication_reference_display(), "Kenalog");
  ASSERT_EQ(mr.dosage_count(), 1u);
  EXPECT_EQ(mr.dosage(0).route().text(), "peritendinous");
  EXPECT_EQ(mr.dosage(0).site().text(), "left Achilles");
}

TEST(MedicationRequest, AnUnresolvableReferenceIsAnEmptyMedication) {
  auto doc = Parse(R"({"resourceType":"MedicationRequest","medicationReference":{"reference":"Medication/123"}})");
  EXPECT_FALSE(MedicationRequest(doc.root()).medication().present());
}

TEST(ServiceRequestAndProcedure, ReadCodeSiteAndDate) {
  auto sr = Parse(
      R"({"resourceType":"ServiceRequest","code":{"text":"PT"},"bodySite":[{"text":"ankle"}],"occurrenceDateTime":"2026-05-01"})");
  ServiceRequest s(sr.root());
  EXPECT_EQ(s.code().text(), "PT");
  EXPECT_EQ(s.body_sites().size(), 1u);
  EXPECT_EQ(s.body_sites()[0].text(), "ankle");
  EXPECT_EQ(s.requested_on(), "2026-05-01");
  auto p = Parse(R"({"resourceType":"Procedure","performedPeriod":{"start":"2026-04-01"}})");
  EXPECT_EQ(Procedure(p.root()).performed(), "2026-04-01");
}

TEST(Observation, ReadsAQuantity) {
  auto doc = Parse(
      R"({"resourceType":"Observation","valueQuantity":{"value":31.2,"unit":"kg/m2"},"effectiveDateTime":"2026-01-01"})");
  Observation o(doc.root());
  EXPECT_DOUBLE_EQ(*o.value_quantity(), 31.2);
  EXPECT_EQ(o.effective(), "2026-01-01");
}

TEST(Bundle, YieldsEntryResourcesAndToleratesEmptyEntries) {
  auto doc = Parse(
      R"({"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Patient","birthDate":"1960-01-01"}},{}]})");
  Bundle b(doc.root());
  EXPECT_EQ(b.type(), "searchset");
  ASSERT_EQ(b.entry_count(), 2u);
  EXPECT_EQ(Patient(b.entry(0).node()).birth_date(), "1960-01-01");
  EXPECT_FALSE(b.entry(1).present());
}

TEST(Resource, ReadsNotes) {
  auto doc = Parse(R"({"resourceType":"ServiceRequest","note":[{"text":"first"},{"text":"second"}]})");
  Resource r(doc.root());
  ASSERT_EQ(r.note_count(), 2u);
  EXPECT_EQ(r.note(1), "second");
}

}  // namespace
}  // namespace cds::fhir
