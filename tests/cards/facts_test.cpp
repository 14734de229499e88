// cards/facts.cpp: classification of conditions, draft orders and physiotherapy, from real JSON.
#include "cards/facts.h"

#include <gtest/gtest.h>

#include "fhir/parsed_json.h"
#include "tests/support/requests.h"
#include "tests/support/service_calls.h"

namespace cds::cards {
namespace {

using namespace cds::test;

// Owns parsed resources so their views stay valid while the facts are checked.
class FactsFixture : public ::testing::Test {
 protected:
  fhir::Resource Add(const std::string& json) {
    auto doc = fhir::ParsedJson::Parse(json);
    EXPECT_TRUE(doc.ok()) << json;
    docs_.push_back(std::move(*doc));
    return fhir::Resource(docs_.back().root());
  }
  Facts Build(Hook hook = Hook::kOrderSign) {
    record_.hook = hook;
    record_.today = TestToday();
    record_.patient_id = "pat-1";
    return BuildFacts(record_, ShippedEngine().vocabulary());
  }
  OrderFact OneOrder(const std::string& json, Hook hook = Hook::kOrderSign) {
    record_.draft_orders = {Add(json)};
    Facts f = Build(hook);
    EXPECT_EQ(f.orders.size(), 1u);
    return f.orders.empty() ? OrderFact{} : f.orders[0];
  }

  std::vector<fhir::ParsedJson> docs_;
  Record record_;
};

TEST_F(FactsFixture, ConditionsCountOnlyWhenActiveAndNotRefuted) {
  auto cond = [](const std::string& id, const std::string& clinical, const std::string& verification) {
    ConditionSpec s;
    s.id = id;
    s.code = Concept({Coding(kIcd10Cm, "M76.61", "Achilles tendinitis, right leg")});
    s.clinical = clinical;
    s.verification = verification;
    return Condition(s);
  };
  for (const auto& [clinical, verification, counts, because] :
       std::vector<std::tuple<std::string, std::string, bool, std::string>>{
           {"active", "", true, ""},
           {"recurrence", "confirmed", true, ""},
           {"relapse", "provisional", true, ""},
           {"resolved", "", false, "clinicalStatus is resolved"},
           {"inactive", "", false, "clinicalStatus is inactive"},
           {"remission", "", false, "clinicalStatus is remission"},
           {"active", "refuted", false, "verificationStatus is refuted"},
           {"active", "entered-in-error", false, "verificationStatus is entered-in-error"},
           {"", "", false, "clinicalStatus is missing"},
       }) {
    docs_.clear();
    record_.of(DataKind::kConditions) = {Add(cond("c1", clinical, verification))};
    Facts f = Build(Hook::kPatientView);
    ASSERT_EQ(f.conditions.size(), 1u);
    EXPECT_EQ(f.conditions[0].counts, counts) << clinical << "/" << verification;
    EXPECT_EQ(f.conditions[0].excluded_because, because);
    EXPECT_EQ(f.HasActive(ConditionKind::kTendinopathy), counts);
  }
}

TEST_F(FactsFixture, RuptureIsClassifiedBeforeTendinopathy) {
  ConditionSpec s;
  s.code = Concept({}, "Achilles tendon rupture, left");
  record_.of(DataKind::kConditions) = {Add(Condition(s)),
                                       Add(Condition("c2", kIcd10Cm, "S86.011A", "Strain of right Achilles tendon"))};
  Facts f = Build(Hook::kPatientView);
  ASSERT_EQ(f.conditions.size(), 2u);
  EXPECT_EQ(f.conditions[0].kind, ConditionKind::kRupture);
  EXPECT_TRUE(f.conditions[0].evidence.by_name());
  // codes.md: S86.011A (strain of the right Achilles tendon) is an acute injury, rupture not excluded.
  EXPECT_EQ(f.conditions[1].kind, ConditionKind::kAcuteInjury);
  EXPECT_EQ(f.conditions[1].evidence.code, "S86.011A");
  EXPECT_EQ(f.conditions[1].seventh, 'A');
  EXPECT_EQ(f.conditions[1].side, Side::kRight);
}

TEST_F(FactsFixture, UnrelatedConditionsAreNotFacts) {
  record_.of(DataKind::kConditions) = {Add(Condition("c1", kIcd10Cm, "M17.11", "Primary osteoarthritis, right knee"))};
  EXPECT_TRUE(Build(Hook::kPatientView).conditions.empty());
}

TEST_F(FactsFixture, OnsetUsesTheRulesOrderAndPartialDates) {
  record_.of(DataKind::kConditions) = {
      Add(Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg", "2026-09"))};
  Facts f = Build(Hook::kPatientView);
  ASSERT_TRUE(f.conditions[0].onset);
  EXPECT_EQ(f.conditions[0].onset->earliest.ToString(), "2026-09-01");
  EXPECT_EQ(f.TendinopathyOnset()->ToString(), "2026-09-01");
}

TEST_F(FactsFixture, CodedInjectionAtTheAchilles) {
  MedicationSpec m;
  m.medication = Concept({Coding(kRxNorm, "10759", "triamcinolone")});
  m.route = Concept({Coding(kSct, "419762003", "Peritendinous")});
  m.site = Concept({Coding(kSct, "61352006", "Structure of Achilles tendon")});
  OrderFact o = OneOrder(MedicationRequest(m));
  ASSERT_TRUE(o.corticosteroid);
  EXPECT_EQ(o.corticosteroid->code, "10759");
  EXPECT_EQ(o.route, RouteClass::kLocalInjection);
  EXPECT_EQ(o.site, SiteClass::kAchilles);
  EXPECT_EQ(o.site_evidence->element, "dosageInstruction.site");
  EXPECT_TRUE(o.judged);
}

TEST_F(FactsFixture, ProductNamesAndFreeTextAreRead) {
  MedicationSpec m;
  m.medication =
      Concept({Coding(kRxNorm, "1085728", "triamcinolone acetonide 40 MG/ML Injectable Suspension [Kenalog]")});
  m.dosage_text = "Inject 40 mg into the left retrocalcaneal bursa";
  OrderFact o = OneOrder(MedicationRequest(m));
  ASSERT_TRUE(o.corticosteroid);
  EXPECT_TRUE(o.corticosteroid->by_name());
  EXPECT_EQ(o.route, RouteClass::kInjection);  // "Injectable Suspension"
  EXPECT_EQ(o.site, SiteClass::kAchilles);     // "retrocalcaneal"
}

TEST_F(FactsFixture, AWrittenRouteBeatsTheProductForm) {
  MedicationSpec m;
  m.medication = Concept({}, "Kenalog-40 injection");
  m.dosage_text = "40 mg IM once";
  EXPECT_EQ(OneOrder(MedicationRequest(m)).route, RouteClass::kSystemicInjection);
}

TEST_F(FactsFixture, OralAndTopicalFormsAreNotInjections) {
  MedicationSpec oral;
  oral.medication = Concept({Coding(kRxNorm, "312617", "prednisone 5 MG Oral Tablet")});
  EXPECT_EQ(OneOrder(MedicationRequest(oral)).route, RouteClass::kOral);
  MedicationSpec cream;
  cream.medication = Concept({}, "Hydrocortisone 1% cream");
  cream.site = Concept({}, "left ankle");
  OrderFact o = OneOrder(MedicationRequest(cream));
  EXPECT_EQ(o.route, RouteClass::kTopical);
  EXPECT_EQ(o.site, SiteClass::kAnkleRegion);  // "ankle" is not the Achilles
  EXPECT_EQ(o.side, Side::kLeft);
  // Dexamethasone iontophoresis (an injectable solution driven through the skin) is not an injection.
  MedicationSpec ionto;
  ionto.medication = Concept({Coding(kRxNorm, "371725", "dexamethasone Injectable Solution")});
  ionto.dosage_text = "4 mg/mL via iontophoresis to the left Achilles tendon, 6 sessions";
  OrderFact i = OneOrder(MedicationRequest(ionto));
  EXPECT_EQ(i.route, RouteClass::kTopical);
  EXPECT_EQ(i.site, SiteClass::kAchilles);
}

TEST_F(FactsFixture, SitesElsewhereAndTheAchillesWinning) {
  MedicationSpec knee;
  knee.medication = Concept({}, "Depo-Medrol 40 mg/mL");
  knee.site = Concept({}, "Right knee");
  EXPECT_EQ(OneOrder(MedicationRequest(knee)).site, SiteClass::kElsewhere);
  MedicationSpec both;
  both.medication = Concept({}, "Depo-Medrol 40 mg/mL");
  both.site = Concept({}, "Right knee");
  both.dosage_text = "and left Achilles";
  EXPECT_EQ(OneOrder(MedicationRequest(both)).site, SiteClass::kAchilles);
  MedicationSpec lower_leg;
  lower_leg.medication = Concept({}, "Kenalog-40");
  lower_leg.site = Concept({Coding(kSct, "30021000", "Structure of lower limb from knee to ankle")});
  EXPECT_EQ(OneOrder(MedicationRequest(lower_leg)).site, SiteClass::kUnstated);
}

TEST_F(FactsFixture, TendonInjectionProcedureIsALocalInjection) {
  OrderFact o =
      OneOrder(ServiceRequest("sr1", Concept({Coding(kCpt, "20551", "Injection single tendon origin/insertion")}),
                              Concept({Coding(kSct, "61352006", "Structure of Achilles tendon")})));
  ASSERT_TRUE(o.tendon_injection);
  EXPECT_EQ(o.route, RouteClass::kLocalInjection);
  EXPECT_EQ(o.site, SiteClass::kAchilles);
  EXPECT_FALSE(o.corticosteroid);
}

TEST_F(FactsFixture, OrderSelectJudgesOnlyTheSelections) {
  record_.draft_orders = {Add(ServiceRequest("a", Concept({}, "x"))), Add(ServiceRequest("b", Concept({}, "y")))};
  record_.selections = {"ServiceRequest/b"};
  Facts f = Build(Hook::kOrderSelect);
  ASSERT_EQ(f.orders.size(), 2u);
  EXPECT_FALSE(f.orders[0].judged);
  EXPECT_TRUE(f.orders[1].judged);
}

TEST_F(FactsFixture, OrdersNoLongerLiveAreNotFacts) {
  record_.draft_orders = {Add(ServiceRequest("a", Concept({}, "x"), "", "entered-in-error")),
                          Add(ServiceRequest("b", Concept({}, "y"), "", "revoked"))};
  EXPECT_TRUE(Build().orders.empty());
}

TEST_F(FactsFixture, PhysiotherapySinceOnset) {
  record_.of(DataKind::kConditions) = {
      Add(Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg", "2026-09-01"))};
  record_.of(DataKind::kServiceRequests) = {Add(ServiceRequest(
      "old", Concept({Coding(kSct, "308447003", "Referral to physiotherapist")}), "", "completed", "2024-01-10"))};
  EXPECT_EQ(Build(Hook::kPatientView).PhysiotherapySinceOnset(), nullptr);  // an earlier episode's referral

  record_.of(DataKind::kProcedures) = {
      Add(Procedure("p1", Concept({Coding(kCpt, "97110", "Therapeutic exercise")}), "2026-10-01"))};
  Facts f = Build(Hook::kPatientView);
  ASSERT_NE(f.PhysiotherapySinceOnset(), nullptr);
  EXPECT_EQ(f.PhysiotherapySinceOnset()->id, "p1");
}

TEST_F(FactsFixture, RevokedReferralsAndNotDoneProceduresDoNotCount) {
  record_.of(DataKind::kServiceRequests) = {
      Add(ServiceRequest("r", Concept({Coding(kSct, "308447003", "Referral to physiotherapist")}), "", "revoked"))};
  record_.of(DataKind::kProcedures) = {Add(Procedure("p", Concept({}, "Physiotherapy session"), "", "not-done"))};
  EXPECT_TRUE(Build(Hook::kPatientView).care.empty());
}

TEST_F(FactsFixture, ADraftedReferralCountsAsPhysiotherapy) {
  record_.draft_orders = {Add(ServiceRequest("new", Concept({}, "Physiotherapy referral: eccentric loading")))};
  Facts f = Build();
  ASSERT_EQ(f.care.size(), 1u);
  EXPECT_EQ(f.care[0].kind, CareKind::kPhysiotherapy);
  EXPECT_TRUE(f.care[0].drafted);
}

TEST_F(FactsFixture, AgeUsesTheLatestDayAPartialBirthDateAllows) {
  for (const auto& [birth, age] : std::vector<std::pair<std::string, int>>{
           {"1965-11-28", 61}, {"1965-11-29", 60}, {"1965", 60}, {"1965-10", 61}, {"1966-01-01", 60}}) {
    docs_.clear();
    record_.of(DataKind::kPatient) = {Add(R"({"resourceType":"Patient","id":"pat-1","birthDate":")" + birth + "\"}")};
    Facts f = Build(Hook::kPatientView);
    ASSERT_TRUE(f.age) << birth;
    EXPECT_EQ(*f.age, age) << birth;
  }
  record_.of(DataKind::kPatient) = {Add(R"({"resourceType":"Patient","id":"pat-1"})")};
  EXPECT_FALSE(Build(Hook::kPatientView).age);
  record_.of(DataKind::kPatient).clear();
  EXPECT_FALSE(Build(Hook::kPatientView).age);
}

TEST_F(FactsFixture, TransplantStatusIsACondition) {
  record_.of(DataKind::kConditions) = {Add(Condition("tx", kIcd10Cm, "Z94.0", "Kidney transplant status")),
                                       Add(Condition("tx2", kSct, "0", "Lung transplant recipient"))};
  Facts f = Build(Hook::kPatientView);
  ASSERT_EQ(f.conditions.size(), 2u);
  EXPECT_EQ(f.conditions[0].kind, ConditionKind::kTransplant);
  EXPECT_TRUE(f.conditions[1].evidence.by_name());
  EXPECT_TRUE(f.HasActive(ConditionKind::kTransplant));
}

TEST_F(FactsFixture, ActiveMedicationsOnRecordAreClassified) {
  MedicationSpec cipro;
  cipro.id = "cipro";
  cipro.status = "active";
  cipro.medication = Concept({Coding(kRxNorm, "309309", "ciprofloxacin 500 MG Oral Tablet")});
  MedicationSpec drops = cipro;
  drops.id = "drops";
  drops.medication = Concept({Coding(kRxNorm, "2551", "ciprofloxacin")}, "Ciprofloxacin 0.3% ophthalmic solution");
  MedicationSpec stopped = cipro;
  stopped.id = "stopped";
  stopped.status = "stopped";
  MedicationSpec pred;
  pred.id = "pred";
  pred.status = "active";
  pred.medication = Concept({Coding(kRxNorm, "312617", "prednisone 5 MG Oral Tablet")});
  MedicationSpec lisinopril = pred;
  lisinopril.id = "acei";
  lisinopril.medication = Concept({Coding(kRxNorm, "314076", "lisinopril 10 MG Oral Tablet")});
  record_.of(DataKind::kMedications) = {Add(MedicationRequest(cipro)), Add(MedicationRequest(drops)),
                                        Add(MedicationRequest(stopped)), Add(MedicationRequest(pred)),
                                        Add(MedicationRequest(lisinopril))};
  Facts f = Build(Hook::kPatientView);
  ASSERT_EQ(f.medications.size(), 3u);  // the stopped one and the lisinopril are not facts
  EXPECT_TRUE(f.medications[0].systemic_fluoroquinolone());
  EXPECT_FALSE(f.medications[0].judged);
  EXPECT_TRUE(f.medications[1].fluoroquinolone);
  EXPECT_FALSE(f.medications[1].systemic_fluoroquinolone());  // an eye form
  EXPECT_TRUE(f.medications[2].systemic_corticosteroid());
}

TEST_F(FactsFixture, AnInjectionWithoutARouteIsNotAssumedSystemic) {
  MedicationSpec m;
  m.medication = Concept({}, "Kenalog-40 injection");
  EXPECT_FALSE(OneOrder(MedicationRequest(m)).systemic_corticosteroid());
  m.route = Concept({Coding(kSct, "78421000", "Intramuscular")});
  EXPECT_TRUE(OneOrder(MedicationRequest(m)).systemic_corticosteroid());
}

TEST_F(FactsFixture, BmiNeedsAFinalStatusAndAValue) {
  record_.of(DataKind::kBmiObservations) = {
      Add(Bmi("ok", 31.5, "2026-10-01")), Add(Bmi("amended", 29, "2026-09-01", "amended")),
      Add(Bmi("prelim", 40, "2026-10-02", "preliminary")),
      Add(R"({"resourceType":"Observation","id":"novalue","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"39156-5"}]}})"),
      Add(R"({"resourceType":"Observation","id":"weight","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"valueQuantity":{"value":90}})")};
  Facts f = Build(Hook::kPatientView);
  ASSERT_EQ(f.bmi.size(), 2u);
  EXPECT_EQ(f.bmi[0].id, "ok");
  EXPECT_DOUBLE_EQ(f.bmi[0].value, 31.5);
  EXPECT_EQ(f.bmi[1].id, "amended");
}

TEST_F(FactsFixture, CastsAndBootsAreRecognisedInEveryOrderType) {
  EXPECT_TRUE(OneOrder(R"({"resourceType":"DeviceRequest","id":"d","status":"draft","intent":"order",
      "codeCodeableConcept":{"coding":[{"system":"https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets","code":"L4361"}]}})")
                  .immobilisation);
  EXPECT_TRUE(OneOrder(ServiceRequest("s", Concept({Coding(kCpt, "29425", "Walking short leg cast")}))).immobilisation);
  EXPECT_TRUE(OneOrder(ServiceRequest("t", Concept({}, "CAM boot, left"))).immobilisation);
  EXPECT_FALSE(OneOrder(ServiceRequest("u", Concept({}, "Weather forecast review"))).immobilisation);
}

TEST_F(FactsFixture, OrthopaedicAndImagingCare) {
  record_.of(DataKind::kServiceRequests) = {
      Add(ServiceRequest("o", Concept({Coding(kSct, "183545006", "Referral to orthopedic service")}), "", "active",
                         "2026-11-01")),
      Add(ServiceRequest("u", Concept({Coding(kCpt, "76882", "Ultrasound extremity, limited")}), "", "completed",
                         "2026-10-01")),
      Add(ServiceRequest("m", Concept({}, "MRI left ankle"), "", "completed", "2026-10-05")),
      Add(ServiceRequest("x", Concept({}, "MRI brain"), "", "completed", "2026-10-05"))};
  Facts f = Build(Hook::kPatientView);
  ASSERT_EQ(f.care.size(), 3u);
  EXPECT_EQ(f.care[0].kind, CareKind::kOrthopaedic);
  EXPECT_EQ(f.care[1].kind, CareKind::kImaging);
  EXPECT_EQ(f.care[2].kind, CareKind::kImaging);
  EXPECT_EQ(f.CareSince(CareKind::kOrthopaedic, fhir::Date::FromYmd(2026, 11, 2)), nullptr);
  EXPECT_NE(f.CareSince(CareKind::kOrthopaedic, fhir::Date::FromYmd(2026, 11, 1)), nullptr);
}

}  // namespace
}  // namespace cds::cards
