// fhir/terminology.cpp and the shipped value sets built from ../shared/clinical/codes.md.
#include "fhir/terminology.h"

#include <gtest/gtest.h>

#include "fhir/result.h"
#include "tests/support/files.h"

namespace cds::fhir {
namespace {

constexpr char kIcd[] = "http://hl7.org/fhir/sid/icd-10-cm";
constexpr char kSct[] = "http://snomed.info/sct";
constexpr char kRx[] = "http://www.nlm.nih.gov/research/umls/rxnorm";

const Terminology& Shipped() {
  static const Terminology t = Terminology::LoadDirectory(test::ConfigDir() + "/valuesets");
  return t;
}

TEST(Terminology, LoadsEveryShippedValueSet) {
  for (const char* id :
       {"achilles-tendinopathy", "achilles-rupture", "corticosteroid", "corticosteroid-injectable", "achilles-site",
        "injection-site-elsewhere", "route-local-injection", "route-systemic-injection", "route-oral", "route-topical",
        "tendon-injection-procedure", "physiotherapy"}) {
    EXPECT_NE(Shipped().Find(id), nullptr) << id;
  }
  EXPECT_EQ(Shipped().Find("nope"), nullptr);
  EXPECT_THROW(Shipped().Require("nope"), ConfigError);
}

TEST(ShippedValueSets, TendinopathyCoversCodesMdAndItsSeventhCharacters) {
  const ValueSet& vs = Shipped().Require("achilles-tendinopathy");
  for (const char* code :
       {"M76.60", "M76.61", "M76.62", "S86.001A", "S86.011A", "S86.012D", "S86.019S", "S86.091A", "S86.099S"}) {
    EXPECT_TRUE(vs.ContainsCode(kIcd, code)) << code;
  }
  EXPECT_TRUE(vs.ContainsCode("http://hl7.org/fhir/sid/icd-10", "M76.6"));
  EXPECT_TRUE(vs.ContainsCode("http://hl7.org/fhir/sid/icd-9-cm", "726.71"));
  EXPECT_TRUE(vs.ContainsCode(kSct, "11654001"));
  // codes.md: do NOT use S93.3, M76.72, M77.5; and lacerations (S86.02x) are ruptures.
  for (const char* code : {"S93.3", "M76.72", "M77.5", "S86.021A", "M76.6"})
    EXPECT_FALSE(vs.ContainsCode(kIcd, code)) << code;
}

TEST(ShippedValueSets, TendinopathyNamesCoverWhatCodesDoNot) {
  const ValueSet& vs = Shipped().Require("achilles-tendinopathy");
  for (const char* text :
       {"Achilles tendinopathy", "achilles tendinosis (left)", "Insertional Achilles tendinitis",
        "Microtears of the Achilles tendon", "Partial tear of Achilles tendon", "Achilles tendon partial rupture"}) {
    EXPECT_TRUE(vs.MatchName(text)) << text;
  }
  for (const char* text : {"Complete rupture of Achilles tendon", "Patellar tendinopathy", "Ankle sprain"}) {
    EXPECT_FALSE(vs.MatchName(text)) << text;
  }
}

TEST(ShippedValueSets, RuptureIsItsOwnPathway) {
  const ValueSet& vs = Shipped().Require("achilles-rupture");
  EXPECT_TRUE(vs.ContainsCode(kSct, "429513001"));
  EXPECT_TRUE(vs.ContainsCode(kIcd, "S86.021A"));
  EXPECT_TRUE(vs.ContainsCode(kIcd, "M66.862"));
  EXPECT_TRUE(vs.MatchName("Ruptured Achilles tendon"));
  EXPECT_TRUE(vs.MatchName("Complete tear of left Achilles"));
  EXPECT_FALSE(vs.MatchName("Partial rupture of the Achilles tendon"));
  EXPECT_FALSE(vs.ContainsCode(kIcd, "S93.3"));
}

TEST(ShippedValueSets, CorticosteroidsByCodeAndByNameButNotNsaids) {
  const ValueSet& vs = Shipped().Require("corticosteroid");
  for (const char* code :
       {"10759", "6902", "1514", "3264", "5492", "8638", "8640", "2878", "4452", "22396", "1743703", "312617"}) {
    EXPECT_TRUE(vs.ContainsCode(kRx, code)) << code;
  }
  EXPECT_TRUE(vs.ContainsCode("https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "J3301"));
  for (const char* text : {"Kenalog-40 40 MG/ML Injectable Suspension", "DEPO-MEDROL 80 mg/mL", "Celestone Soluspan",
                           "Decadron 4 mg", "Solu-Cortef", "triamcinolone acetonide", "steroid injection"}) {
    EXPECT_TRUE(vs.MatchName(text)) << text;
  }
  for (const char* text : {"ibuprofen 400 mg", "non-steroidal anti-inflammatory", "Ciprofloxacin 500 MG Oral Tablet"}) {
    EXPECT_FALSE(vs.MatchName(text)) << text;
  }
  EXPECT_FALSE(vs.ContainsCode(kRx, "5640"));  // ibuprofen
}

TEST(ShippedValueSets, SitesAndRoutes) {
  EXPECT_TRUE(Shipped().Require("achilles-site").ContainsCode(kSct, "61352006"));
  EXPECT_TRUE(Shipped().Require("achilles-site").ContainsCode(kSct, "344001"));
  EXPECT_FALSE(Shipped().Require("achilles-site").ContainsCode(kSct, "30021000"));  // lower leg: ambiguous
  EXPECT_TRUE(Shipped().Require("achilles-site").MatchName("left Achilles tendon"));
  EXPECT_TRUE(Shipped().Require("injection-site-elsewhere").MatchName("Right knee joint"));
  EXPECT_TRUE(Shipped().Require("injection-site-elsewhere").MatchName("Lumbar epidural"));
  EXPECT_FALSE(Shipped().Require("injection-site-elsewhere").MatchName("left Achilles tendon"));
  EXPECT_TRUE(Shipped().Require("route-local-injection").ContainsCode(kSct, "419762003"));
  EXPECT_TRUE(Shipped()
                  .Require("route-local-injection")
                  .ContainsCode("http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration", "IARTINJ"));
  EXPECT_TRUE(Shipped().Require("route-systemic-injection").ContainsCode(kSct, "78421000"));
  EXPECT_TRUE(Shipped().Require("route-oral").MatchName("prednisone 5 MG Oral Tablet"));
  EXPECT_TRUE(Shipped().Require("route-topical").MatchName("hydrocortisone 1% cream"));
  EXPECT_TRUE(Shipped().Require("tendon-injection-procedure").ContainsCode("http://www.ama-assn.org/go/cpt", "20551"));
  EXPECT_TRUE(Shipped().Require("physiotherapy").ContainsCode(kSct, "308447003"));
  EXPECT_TRUE(Shipped().Require("physiotherapy").MatchName("Eccentric loading programme"));
}

TEST(Terminology, DuplicateIdsAndBadFilesStopLoading) {
  test::TempDir dir;
  test::WriteFile(
      dir.Join("a.json"),
      R"({"resourceType":"ValueSet","id":"x","url":"u","compose":{"include":[{"system":"s","concept":[{"code":"1"}]}]}})");
  test::WriteFile(
      dir.Join("b.json"),
      R"({"resourceType":"ValueSet","id":"x","url":"u2","compose":{"include":[{"system":"s","concept":[{"code":"2"}]}]}})");
  try {
    Terminology::LoadDirectory(dir.path());
    FAIL() << "duplicate id accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("b.json"), std::string::npos) << e.what();
  }
  test::TempDir broken;
  test::WriteFile(broken.Join("c.json"), "{not json");
  try {
    Terminology::LoadDirectory(broken.path());
    FAIL() << "malformed file accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("c.json"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Terminology::LoadDirectory("/nonexistent"), ConfigError);
}

}  // namespace
}  // namespace cds::fhir
