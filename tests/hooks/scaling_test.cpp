// Every step is linear (or n log n) in the request's size. These requests took 84 s (50,000 draft orders
// and selections) and 2.2 s (4,000 active medications) when a list was scanned once per element of another;
// this test binary has a ctest TIMEOUT, so a quadratic step fails it. Time per KB is measured, as figures,
// by bench/scaling_bench.cpp.
#include <gtest/gtest.h>

#include "tests/support/requests.h"
#include "tests/support/service_calls.h"

namespace cds::test {
namespace {

const std::string kTendinopathy = Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg");

TEST(Scaling, FiftyThousandDraftOrdersAndSelections) {
  std::vector<std::string> drafts, selections;
  for (int i = 0; i < 50000; ++i) {
    const std::string id = "o" + std::to_string(i);
    drafts.push_back(ServiceRequest(id, Concept({}, "Potassium")));
    selections.push_back("ServiceRequest/" + id);
  }
  const std::string body = OrderSelect(drafts, selections, WithConditions({kTendinopathy}));
  EXPECT_GT(body.size(), 2'000'000u);
  CallResult r = CallService("achilles-order-select", body);
  EXPECT_EQ(r.status, 200) << r.body.substr(0, 300);
}

TEST(Scaling, ManyActiveMedicationsOnPatientView) {
  Prefetch p = WithConditions({kTendinopathy});
  for (int i = 0; i < 20000; ++i) {
    MedicationSpec m;
    m.id = "rx" + std::to_string(i);
    m.status = "active";
    m.medication = Concept({}, i % 2 ? "Ciprofloxacin 500 mg tablet" : "Prednisone 5 mg tablet by mouth");
    p.medications.push_back(MedicationRequest(m));
  }
  CallResult r = CallService("achilles-patient-view", PatientView(p));
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"code\":\"fluoroquinolone\""), std::string::npos);
  EXPECT_LT(r.body.size(), 20000u) << "the card names a few of the orders, not all of them";
}

TEST(Scaling, ManyFluoroquinoloneOrdersOnOrderSign) {
  std::vector<std::string> drafts;
  for (int i = 0; i < 20000; ++i) {
    MedicationSpec m;
    m.id = "fq" + std::to_string(i);
    m.medication = Concept({}, "Levofloxacin 750 mg tablet");
    drafts.push_back(MedicationRequest(m));
  }
  Prefetch p = WithConditions({kTendinopathy});
  for (int i = 0; i < 5000; ++i) {
    MedicationSpec m;
    m.id = "pred" + std::to_string(i);
    m.status = "active";
    m.medication = Concept({}, "Prednisone 5 mg tablet by mouth");
    p.medications.push_back(MedicationRequest(m));
  }
  CallResult r = CallService("achilles-order-sign", OrderSign(drafts, p));
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("\"indicator\":\"critical\""), std::string::npos);
}

// A large object's member names are checked for duplicates by sorting, not pairwise.
TEST(Scaling, AnObjectWithManyMembers) {
  std::string ext = "{";
  for (int i = 0; i < 100000; ++i) ext += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  ext += "}";
  std::string body = PatientView(WithConditions({kTendinopathy}));
  body.insert(1, "\"extension\":" + ext + ",");
  EXPECT_EQ(CallService("achilles-patient-view", body).status, 200);
}

}  // namespace
}  // namespace cds::test
