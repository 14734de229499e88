// Builders for CDS Hooks request JSON in tests: small, explicit, and readable next to the assertion.
//
//   std::string body = PatientView({Condition("c1", kIcd10Cm, "M76.62", "Achilles tendinitis, left leg")});
#pragma once

#include <string>
#include <vector>

namespace cds::test {

inline constexpr char kSct[] = "http://snomed.info/sct";
inline constexpr char kIcd10Cm[] = "http://hl7.org/fhir/sid/icd-10-cm";
inline constexpr char kRxNorm[] = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr char kCpt[] = "http://www.ama-assn.org/go/cpt";
inline constexpr char kHookInstance[] = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea";

std::string Quote(const std::string& s);  // a JSON string literal
std::string Coding(const std::string& system, const std::string& code, const std::string& display = "");
// A CodeableConcept; codings may be empty (text only), text may be empty (codes only).
std::string Concept(const std::vector<std::string>& codings, const std::string& text = "");

struct ConditionSpec {
  std::string id = "c1";
  std::string code;  // a CodeableConcept JSON
  std::string clinical = "active";
  std::string verification;  // "" = absent
  std::string onset;         // "" = absent
};
std::string Condition(const ConditionSpec& spec);
// Shorthand: an active, coded Condition.
std::string Condition(const std::string& id, const std::string& system, const std::string& code,
                      const std::string& display, const std::string& onset = "");

struct MedicationSpec {
  std::string id = "m1";
  std::string medication;  // a CodeableConcept JSON
  std::string route;       // CodeableConcept JSON or ""
  std::string site;        // CodeableConcept JSON or ""
  std::string dosage_text;
  std::string status = "draft";
};
std::string MedicationRequest(const MedicationSpec& spec);

std::string ServiceRequest(const std::string& id, const std::string& code, const std::string& body_site = "",
                           const std::string& status = "draft", const std::string& authored = "");
std::string Procedure(const std::string& id, const std::string& code, const std::string& performed = "",
                      const std::string& status = "completed");
std::string Bmi(const std::string& id, double value, const std::string& date, const std::string& status = "final");

std::string Bundle(const std::vector<std::string>& resources, const std::string& type = "searchset");

struct Prefetch {
  std::vector<std::string> conditions;
  std::vector<std::string> service_requests;
  std::vector<std::string> procedures;
  std::vector<std::string> medications;  // active MedicationRequests on record
  std::vector<std::string> bmi;          // Observations
  std::string patient = R"({"resourceType":"Patient","id":"pat-1","birthDate":"1975-06-15"})";
};
std::string PrefetchJson(const Prefetch& p);
// The common case: a record with these conditions and nothing else.
inline Prefetch WithConditions(std::vector<std::string> conditions) {
  Prefetch p;
  p.conditions = std::move(conditions);
  return p;
}

std::string PatientView(const Prefetch& p);
std::string OrderSign(const std::vector<std::string>& draft_orders, const Prefetch& p);
std::string OrderSelect(const std::vector<std::string>& draft_orders, const std::vector<std::string>& selections,
                        const Prefetch& p);

}  // namespace cds::test
