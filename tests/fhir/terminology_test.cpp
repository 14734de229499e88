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
       {"achilles-tendinopathy", "achilles-acute-injury", "achilles-rupture", "ankle-region",
        "immobilisation-other-indication", "corticosteroid", "corticosteroid-injectable", "achilles-site",
        "injection-site-elsewhere", "route-local-injection", "route-systemic-injection", "route-oral", "route-topical",
        "tendon-injection-procedure", "physiotherapy"}) {
    EXPECT_NE(Shipped().Find(id), nullptr) << id;
  }
  EXPECT_EQ(Shipped().Find("nope"), nullptr);
  EXPECT_THROW(Shipped().Require("nope"), ConfigError);
}

TEST(ShippedValueSets, TendinopathyCoversCodesMd) {
  const ValueSet& vs = Shipped().Require("achilles-tendinopathy");
  for (const char* code : {"M76.60", "M76.61", "M76.62"}) EXPECT_TRUE(vs.ContainsCode(kIcd, code)) << code;
  EXPECT_TRUE(vs.ContainsCode("http://hl7.org/fhir/sid/icd-10", "M76.6"));
  EXPECT_TRUE(vs.ContainsCode("http://hl7.org/fhir/sid/icd-9-cm", "726.71"));
  EXPECT_TRUE(vs.ContainsCode(kSct, "11654001"));
  // codes.md: do NOT use S93.3, M76.72, M77.5; lacerations (S86.02x) are ruptures; and the S86.00/S86.01/
  // S86.09 injuries are acute injuries in which rupture is not excluded, never tendinopathy.
  for (const char* code : {"S93.3", "M76.72", "M77.5", "S86.021A", "M76.6", "S86.011A", "S86.001A", "S86.091D"})
    EXPECT_FALSE(vs.ContainsCode(kIcd, code)) << code;
  EXPECT_FALSE(vs.ContainsCode("http://hl7.org/fhir/sid/icd-10", "S86.0"));
  EXPECT_FALSE(vs.MatchName("Strain of right Achilles tendon"));
}

// codes.md: S86.00-/S86.01-/S86.09- with any 7th character, and WHO S86.0, are acute injuries.
TEST(ShippedValueSets, AcuteInjuryCoversEveryS860CodeAndSeventhCharacter) {
  const ValueSet& vs = Shipped().Require("achilles-acute-injury");
  for (const char* code : {"S86.001A", "S86.002D", "S86.009S", "S86.011A", "S86.012D", "S86.019S", "S86.091A",
                           "S86.092A", "S86.099S", "s86011a"}) {
    EXPECT_TRUE(vs.ContainsCode(kIcd, code)) << code;
  }
  EXPECT_TRUE(vs.ContainsCode("http://hl7.org/fhir/sid/icd-10", "S86.0"));
  for (const char* code : {"S86.021A", "M76.62", "S86.1"}) EXPECT_FALSE(vs.ContainsCode(kIcd, code)) << code;
  EXPECT_TRUE(vs.MatchName("Strain of left Achilles tendon, initial encounter"));
  EXPECT_TRUE(vs.MatchName("Achilles tendon injury"));
  EXPECT_FALSE(vs.MatchName("Achilles tendinopathy"));
}

// Epic sends code systems as OIDs: each is the canonical URI (fhir/code_system.cpp cites them).
TEST(ShippedValueSets, CodeSystemOidsAreTheCanonicalSystems) {
  EXPECT_TRUE(Shipped().Require("achilles-tendinopathy").ContainsCode("urn:oid:2.16.840.1.113883.6.90", "M76.62"));
  EXPECT_TRUE(Shipped().Require("achilles-tendinopathy").ContainsCode("urn:oid:2.16.840.1.113883.6.96", "11654001"));
  EXPECT_TRUE(Shipped().Require("achilles-tendinopathy").ContainsCode("urn:oid:2.16.840.1.113883.6.103", "726.71"));
  EXPECT_TRUE(Shipped().Require("achilles-tendinopathy").ContainsCode("urn:oid:2.16.840.1.113883.6.3", "M76.6"));
  EXPECT_TRUE(Shipped().Require("corticosteroid").ContainsCode("urn:oid:2.16.840.1.113883.6.88", "10759"));
  EXPECT_TRUE(Shipped().Require("corticosteroid").ContainsCode("urn:oid:2.16.840.1.113883.6.285", "J3301"));
  EXPECT_TRUE(Shipped().Require("corticosteroid").ContainsCode("http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "J3301"));
  EXPECT_TRUE(Shipped().Require("tendon-injection-procedure").ContainsCode("urn:oid:2.16.840.1.113883.6.12", "20551"));
  EXPECT_TRUE(Shipped().Require("bmi").ContainsCode("urn:oid:2.16.840.1.113883.6.1", "39156-5"));
  EXPECT_FALSE(Shipped().Require("achilles-tendinopathy").ContainsCode("urn:oid:2.16.840.1.113883.6.96", "M76.62"));
  EXPECT_FALSE(Shipped().Require("achilles-tendinopathy").ContainsCode("urn:oid:2.16.840.1.113883.6.999", "M76.62"));
}

// codes.md's corticosteroid J-codes (a clinical review's list, each verified: see the value set).
TEST(ShippedValueSets, CorticosteroidHcpcsCodes) {
  for (const char* vs : {"corticosteroid", "corticosteroid-injectable"}) {
    for (const char* code : {"J3301", "J3303", "J3304", "J1010", "J1020", "J1030", "J1040", "J1100", "J1094", "J0702",
                             "J1720"}) {
      EXPECT_TRUE(Shipped().Require(vs).ContainsCode("https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", code))
          << vs << " " << code;
    }
    EXPECT_FALSE(Shipped().Require(vs).ContainsCode("https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "J1200"));
  }
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
  // A non-traumatic Achilles rupture is coded M66.36- (flexor tendons, lower leg); ICD-9-CM 727.67.
  for (const char* code : {"M66.361", "M66.362", "M66.369"}) EXPECT_TRUE(vs.ContainsCode(kIcd, code)) << code;
  EXPECT_TRUE(vs.ContainsCode("http://hl7.org/fhir/sid/icd-9-cm", "727.67"));
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
  // "Ankle" is not the Achilles: the ankle region is its own value set, named ankle structures are elsewhere.
  EXPECT_FALSE(Shipped().Require("achilles-site").ContainsCode(kSct, "344001"));
  EXPECT_TRUE(Shipped().Require("ankle-region").ContainsCode(kSct, "344001"));
  EXPECT_FALSE(Shipped().Require("achilles-site").MatchName("left ankle"));
  EXPECT_TRUE(Shipped().Require("ankle-region").MatchName("left ankle"));
  for (const char* text : {"Left ankle joint", "tibiotalar joint", "right peroneal tendon sheath", "subtalar joint"}) {
    EXPECT_FALSE(Shipped().Require("ankle-region").MatchName(text)) << text;
    EXPECT_TRUE(Shipped().Require("injection-site-elsewhere").MatchName(text)) << text;
  }
  EXPECT_TRUE(Shipped().Require("injection-site-elsewhere").ContainsCode(kSct, "70258002"));  // ankle joint
  EXPECT_TRUE(Shipped().Require("achilles-site").MatchName("Left retrocalcaneal bursa"));
  // Iontophoresis drives the drug through the skin: not an injection.
  EXPECT_TRUE(Shipped().Require("route-topical").MatchName("Dexamethasone via iontophoresis to the left Achilles"));
  EXPECT_TRUE(Shipped().Require("route-topical").ContainsCode("http://www.ama-assn.org/go/cpt", "97033"));
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
