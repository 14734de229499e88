// BuildFacts: classify the record (patient, conditions, medications, care, BMI) and the draft orders.
// Sources: ../shared/clinical/rules.md (what counts as tendinopathy, which injections matter),
// ../shared/clinical/codes.md (the value sets).
#include "cards/facts.h"

#include <algorithm>
#include <array>
#include <initializer_list>

#include "fhir/condition.h"
#include "fhir/device_request.h"
#include "fhir/medication_request.h"
#include "fhir/observation.h"
#include "fhir/patient.h"
#include "fhir/procedure.h"
#include "fhir/service_request.h"

namespace cds::cards {
namespace {

using fhir::CodeableConcept;
using fhir::ValueSet;

std::optional<Evidence> MatchText(std::string_view text, const ValueSet& vs, std::string_view type, std::string_view id,
                                  std::string_view element) {
  if (text.empty()) return std::nullopt;
  auto m = vs.MatchName(text);
  if (!m) return std::nullopt;
  Evidence e;
  e.resource_type = type;
  e.resource_id = id;
  e.element = element;
  e.text = text;
  e.term = m->term;
  e.value_set = &vs;
  return e;
}

struct Text {
  std::string_view value;
  std::string_view element;
};

std::optional<Evidence> MatchTexts(std::initializer_list<Text> texts, const ValueSet& vs, std::string_view type,
                                   std::string_view id) {
  for (const Text& t : texts) {
    if (auto e = MatchText(t.value, vs, type, id, t.element)) return e;
  }
  return std::nullopt;
}

// A draft order that is no longer live is not judged (order-sign may also carry re-signed orders).
bool IsLiveOrder(std::string_view status) {
  return status != "entered-in-error" && status != "revoked" && status != "cancelled" && status != "completed";
}

bool IsSelected(const Record& r, std::string_view type, std::string_view id) {
  for (std::string_view s : r.selections) {
    if (s.size() == type.size() + 1 + id.size() && s.compare(0, type.size(), type) == 0 && s[type.size()] == '/' &&
        s.compare(type.size() + 1, id.size(), id) == 0) {
      return true;
    }
  }
  return false;
}

struct RouteOption {
  const ValueSet* value_set;
  RouteClass route;
};

// The first option (in order of specificity) whose value set `match` finds sets the route.
template <std::size_t N, class Match>
bool ClassifyRoute(const std::array<RouteOption, N>& options, Match match, OrderFact& f) {
  for (const RouteOption& o : options) {
    if (auto e = match(*o.value_set)) {
      f.route = o.route;
      f.route_evidence = e;
      return true;
    }
  }
  return false;
}

// Free text can name any route, or just say "inject…".
std::array<RouteOption, 5> TextRouteOptions(const Vocabulary& v) {
  return {{{v.route_local_injection, RouteClass::kLocalInjection},
           {v.route_systemic_injection, RouteClass::kSystemicInjection},
           {v.corticosteroid_injectable, RouteClass::kInjection},
           {v.route_oral, RouteClass::kOral},
           {v.route_topical, RouteClass::kTopical}}};
}

// One site class: the coded sites first, then the texts.
bool MatchSite(const ValueSet& vs, SiteClass cls, const CodeableConcept* sites, std::size_t n_sites,
               std::string_view site_element, std::initializer_list<Text> texts, std::string_view type,
               std::string_view id, OrderFact& f) {
  std::optional<Evidence> e;
  for (std::size_t i = 0; i < n_sites && !e; ++i) e = MatchConcept(sites[i], vs, type, id, site_element);
  if (!e) e = MatchTexts(texts, vs, type, id);
  if (!e) return false;
  f.site = cls;
  f.site_evidence = e;
  return true;
}

// The Achilles wins over any other site named: a site list "left ankle, knee" still puts a needle near the tendon.
void ClassifySite(const CodeableConcept* sites, std::size_t n_sites, std::string_view site_element,
                  std::initializer_list<Text> texts, const Vocabulary& v, std::string_view type, std::string_view id,
                  OrderFact& f) {
  MatchSite(*v.achilles_site, SiteClass::kAchilles, sites, n_sites, site_element, texts, type, id, f) ||
      MatchSite(*v.other_site, SiteClass::kElsewhere, sites, n_sites, site_element, texts, type, id, f);
}

enum DrugClass : unsigned { kCorticosteroids = 1, kFluoroquinolones = 2 };

// Classifies the drug (only the classes asked for), then its route, form and site when it is one of them.
void ClassifyMedicationRequest(const fhir::MedicationRequest& mr, const Vocabulary& v, OrderFact& f,
                               unsigned classes = kCorticosteroids | kFluoroquinolones) {
  const CodeableConcept med = mr.medication();
  const std::string_view ref_display = mr.medication_reference_display();
  f.label = med.label().empty() ? ref_display : med.label();
  auto in_product = [&](const ValueSet& vs) {
    auto e = MatchConcept(med, vs, f.type, f.id, "medication");
    return e ? e : MatchText(ref_display, vs, f.type, f.id, "medicationReference.display");
  };
  if (classes & kCorticosteroids) f.corticosteroid = in_product(*v.corticosteroid);
  if (!f.corticosteroid && (classes & kFluoroquinolones)) f.fluoroquinolone = in_product(*v.fluoroquinolone);
  // Route, form and site matter only for the drugs the rules judge by them; skip the text scans otherwise.
  if (!f.corticosteroid && !f.fluoroquinolone) return;

  // Dosage: take the first dosage carrying a route or site; EHRs send one for an injection.
  const std::size_t n = mr.dosage_count();
  fhir::Dosage dosage = n > 0 ? mr.dosage(0) : fhir::Dosage();
  for (std::size_t i = 0; i < n; ++i) {
    if (mr.dosage(i).route().present() || mr.dosage(i).site().present()) {
      dosage = mr.dosage(i);
      break;
    }
  }
  const std::string_view note = mr.note_count() > 0 ? mr.note(0) : std::string_view{};
  const CodeableConcept route = dosage.route();
  const std::array<RouteOption, 4> specific = {{{v.route_local_injection, RouteClass::kLocalInjection},
                                                {v.route_systemic_injection, RouteClass::kSystemicInjection},
                                                {v.route_oral, RouteClass::kOral},
                                                {v.route_topical, RouteClass::kTopical}}};
  const std::array<RouteOption, 1> injection = {{{v.corticosteroid_injectable, RouteClass::kInjection}}};
  auto in_texts = [&](const ValueSet& vs) {
    return MatchTexts({{route.label(), "dosageInstruction.route.text"},
                       {dosage.method().label(), "dosageInstruction.method"},
                       {dosage.text(), "dosageInstruction.text"},
                       {dosage.patient_instruction(), "dosageInstruction.patientInstruction"},
                       {note, "note"}},
                      vs, f.type, f.id);
  };
  // Eye and ear forms: in the product's name, the coded route, or what the prescriber wrote.
  f.eye_ear = in_product(*v.eye_ear);
  if (!f.eye_ear) f.eye_ear = MatchConcept(route, *v.eye_ear, f.type, f.id, "dosageInstruction.route");
  if (!f.eye_ear) f.eye_ear = in_texts(*v.eye_ear);
  // Strongest first: a coded route; a route the prescriber wrote; the product's form ("Injectable
  // Suspension", "Oral Tablet", "cream"); a bare "inject…" in the text.
  ClassifyRoute(
      specific, [&](const ValueSet& vs) { return MatchConcept(route, vs, f.type, f.id, "dosageInstruction.route"); },
      f) ||
      ClassifyRoute(specific, in_texts, f) ||
      ClassifyRoute(std::array<RouteOption, 3>{{injection[0], specific[2], specific[3]}}, in_product, f) ||
      ClassifyRoute(injection, in_texts, f);
  if (!f.corticosteroid) return;  // the site matters for injections only
  const CodeableConcept site = dosage.site();
  ClassifySite(&site, site.present() ? 1 : 0, "dosageInstruction.site",
               {{dosage.text(), "dosageInstruction.text"},
                {dosage.patient_instruction(), "dosageInstruction.patientInstruction"},
                {dosage.route().label(), "dosageInstruction.route.text"},
                {note, "note"},
                {med.text(), "medication.text"}},
               v, f.type, f.id, f);
}

template <class ServiceOrProcedure>
void ClassifyServiceOrProcedure(const ServiceOrProcedure& r, const Vocabulary& v, OrderFact& f) {
  const CodeableConcept code = r.code();
  f.label = code.label();
  const std::string_view note = r.note_count() > 0 ? r.note(0) : std::string_view{};
  f.tendon_injection = MatchConcept(code, *v.tendon_injection, f.type, f.id, "code");
  f.corticosteroid = MatchConcept(code, *v.corticosteroid, f.type, f.id, "code");
  if (!f.corticosteroid) f.corticosteroid = MatchText(note, *v.corticosteroid, f.type, f.id, "note");
  f.immobilisation = MatchConcept(code, *v.immobilisation, f.type, f.id, "code");
  if (!f.tendon_injection && !f.corticosteroid) return;  // route and site matter only for injections
  if (f.tendon_injection) {
    f.route = RouteClass::kLocalInjection;
    f.route_evidence = f.tendon_injection;
  } else {
    ClassifyRoute(
        TextRouteOptions(v),
        [&](const ValueSet& vs) {
          auto e = MatchConcept(code, vs, f.type, f.id, "code");
          return e ? e : MatchText(note, vs, f.type, f.id, "note");
        },
        f);
  }
  const fhir::CodeableConceptList list = r.body_sites();
  CodeableConcept sites[4];
  const std::size_t n = list.size() < 4 ? list.size() : 4;
  for (std::size_t i = 0; i < n; ++i) sites[i] = list[i];
  ClassifySite(sites, n, "bodySite",
               {{code.text(), "code.text"}, {code.label(), "code.coding.display"}, {note, "note"}}, v, f.type, f.id, f);
}

// The conditions of the given kinds, in this order of precedence.
void AddConditions(const Record& r, const Vocabulary& v, bool transplant, Facts& facts) {
  const std::pair<const ValueSet*, ConditionKind> kKinds[] = {
      // Rupture before tendinopathy: "Achilles tendon rupture" must not read as a tendon disorder to rehab.
      {v.rupture, ConditionKind::kRupture},
      {v.tendinopathy, ConditionKind::kTendinopathy},
      {v.transplant, ConditionKind::kTransplant},
  };
  const std::size_t kinds = transplant ? 3 : 2;
  for (const fhir::Resource& res : r.of(DataKind::kConditions)) {
    const fhir::Condition c(res.node());
    const CodeableConcept code = c.code();
    ConditionFact f;
    f.id = c.id();
    std::optional<Evidence> e;
    for (std::size_t k = 0; k < kinds && !e; ++k) {
      if ((e = MatchConcept(code, *kKinds[k].first, "Condition", f.id, "code"))) f.kind = kKinds[k].second;
    }
    if (!e) continue;
    f.evidence = *e;
    f.label = code.label();
    f.clinical_status = c.clinical_status();
    f.verification_status = c.verification_status();
    if (f.verification_status == "refuted" || f.verification_status == "entered-in-error") {
      f.excluded_because = f.verification_status == "refuted" ? "verificationStatus is refuted"
                                                              : "verificationStatus is entered-in-error";
    } else if (f.clinical_status.empty()) {
      f.excluded_because = "clinicalStatus is missing";
    } else if (f.clinical_status != "active" && f.clinical_status != "recurrence" && f.clinical_status != "relapse") {
      f.excluded_because = f.clinical_status == "resolved"    ? "clinicalStatus is resolved"
                           : f.clinical_status == "remission" ? "clinicalStatus is remission"
                                                              : "clinicalStatus is inactive";
    }
    f.counts = f.excluded_because.empty();
    f.onset = fhir::FhirDate::Parse(c.onset());
    facts.conditions.push_back(f);
  }
}

// Physiotherapy, an orthopaedic referral or repair, or ankle imaging, in a ServiceRequest / Procedure code.
void AddCare(std::string_view type, std::string_view id, const CodeableConcept& code, std::string_view date,
             bool drafted, const Vocabulary& v, FactNeeds needs, Facts& facts) {
  const std::pair<const ValueSet*, CareKind> kKinds[] = {
      {v.physiotherapy, CareKind::kPhysiotherapy},
      {NeedsFact(needs, FactKind::kOrthopaedicCare) ? v.orthopaedic : nullptr, CareKind::kOrthopaedic},
      {NeedsFact(needs, FactKind::kImagingCare) ? v.imaging : nullptr, CareKind::kImaging},
  };
  for (const auto& [vs, kind] : kKinds) {
    if (vs == nullptr) continue;  // no rule of this service reads it
    if (auto e = MatchConcept(code, *vs, type, id, "code")) {
      CareFact care;
      care.kind = kind;
      care.type = type;
      care.id = id;
      care.date = fhir::FhirDate::Parse(date);
      care.drafted = drafted;
      care.evidence = *e;
      facts.care.push_back(care);
    }
  }
}

void AddCareOnRecord(const Record& r, const Vocabulary& v, FactNeeds needs, Facts& facts) {
  for (const fhir::Resource& res : r.of(DataKind::kServiceRequests)) {
    const fhir::ServiceRequest sr(res.node());
    if (sr.status() == "entered-in-error" || sr.status() == "revoked") continue;
    AddCare("ServiceRequest", sr.id(), sr.code(), sr.requested_on(), false, v, needs, facts);
  }
  for (const fhir::Resource& res : r.of(DataKind::kProcedures)) {
    const fhir::Procedure p(res.node());
    if (p.status() == "entered-in-error" || p.status() == "not-done") continue;
    AddCare("Procedure", p.id(), p.code(), p.performed(), false, v, needs, facts);
  }
}

// Age in completed years. For a partial birth date ("1965", "1965-11") the latest day it allows is used,
// so the age is never over-stated.
void AddPatient(const Record& r, Facts& facts) {
  const auto& patients = r.of(DataKind::kPatient);
  if (patients.empty()) return;
  facts.birth_date = fhir::Patient(patients[0].node()).birth_date();
  if (auto birth = fhir::FhirDate::Parse(facts.birth_date)) facts.age = fhir::AgeInYears(birth->latest, facts.today);
}

// Active MedicationRequests on record of the given drug classes (skipping those already classified).
void AddMedicationsOnRecord(const Record& r, const Vocabulary& v, unsigned classes, Facts& facts) {
  for (const fhir::Resource& res : r.of(DataKind::kMedications)) {
    if (res.status() != "active") continue;  // the prefetch asks for active ones; an EHR may send more
    const std::string_view id = res.id();
    if (std::any_of(facts.medications.begin(), facts.medications.end(), [&](const OrderFact& m) { return m.id == id; }))
      continue;
    OrderFact f;
    f.type = "MedicationRequest";
    f.id = id;
    ClassifyMedicationRequest(fhir::MedicationRequest(res.node()), v, f, classes);
    if ((f.corticosteroid && f.systemic_corticosteroid()) || f.fluoroquinolone) facts.medications.push_back(f);
  }
}

void AddBmi(const Record& r, const Vocabulary& v, Facts& facts) {
  for (const fhir::Resource& res : r.of(DataKind::kBmiObservations)) {
    const fhir::Observation o(res.node());
    const std::string_view status = o.status();
    if (status != "final" && status != "amended" && status != "corrected") continue;
    const std::optional<double> value = o.value_quantity();
    if (!value) continue;
    auto e = MatchConcept(o.code(), *v.bmi, "Observation", o.id(), "code");
    if (!e) continue;
    facts.bmi.push_back(BmiFact{o.id(), *value, fhir::FhirDate::Parse(o.effective()), *e});
  }
}

}  // namespace

std::optional<Evidence> MatchConcept(const CodeableConcept& cc, const ValueSet& vs, std::string_view type,
                                     std::string_view id, std::string_view element) {
  if (!cc.present()) return std::nullopt;
  const std::size_t n = cc.coding_count();
  std::string_view system, code;
  for (std::size_t i = 0; i < n; ++i) {
    cc.SystemAndCode(i, system, code);
    if (vs.ContainsCode(system, code)) {
      Evidence e;
      e.resource_type = type;
      e.resource_id = id;
      e.element = element;
      e.system = system;
      e.code = code;
      e.display = cc.coding(i).display;
      e.value_set = &vs;
      return e;
    }
  }
  if (!vs.has_names()) return std::nullopt;
  const std::string_view text = cc.text();
  if (auto e = MatchText(text, vs, type, id, element)) return e;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view display = cc.coding(i).display;
    if (display == text) continue;  // EHRs often repeat the text as the display: scanned already
    if (auto e = MatchText(display, vs, type, id, element)) return e;
  }
  return std::nullopt;
}

bool Facts::HasActive(ConditionKind kind) const { return FirstActive(kind) != nullptr; }

const ConditionFact* Facts::FirstActive(ConditionKind kind) const {
  for (const ConditionFact& c : conditions) {
    if (c.kind == kind && c.counts) return &c;
  }
  return nullptr;
}

std::vector<std::string_view> Facts::ActiveIds(ConditionKind kind) const {
  std::vector<std::string_view> ids;
  for (const ConditionFact& c : conditions) {
    if (c.kind == kind && c.counts && !c.id.empty()) ids.push_back(c.id);
  }
  return ids;
}

std::optional<fhir::Date> Facts::TendinopathyOnset() const {
  std::optional<fhir::Date> onset;
  for (const ConditionFact& c : conditions) {
    if (c.kind != ConditionKind::kTendinopathy || !c.counts || !c.onset) continue;
    if (!onset || c.onset->earliest < *onset) onset = c.onset->earliest;
  }
  return onset;
}

const CareFact* Facts::CareSince(CareKind kind, std::optional<fhir::Date> since) const {
  for (const CareFact& c : care) {
    if (c.kind == kind && (!since || !c.date || c.date->latest >= *since)) return &c;
  }
  return nullptr;
}

Facts BuildFacts(const Record& r, const Vocabulary& v, FactNeeds needs) {
  Facts facts;
  facts.hook = r.hook;
  facts.today = r.today;
  facts.patient_id = r.patient_id;
  facts.user_id = r.user_id;
  facts.encounter_id = r.encounter_id;
  AddPatient(r, facts);
  AddCareOnRecord(r, v, needs, facts);
  AddBmi(r, v, facts);

  facts.orders.reserve(r.draft_orders.size());
  bool fluoroquinolone_to_judge = false;
  for (const fhir::Resource& res : r.draft_orders) {
    if (!IsLiveOrder(res.status())) continue;
    OrderFact f;
    f.type = res.resource_type();
    f.id = res.id();
    f.judged = r.hook == Hook::kOrderSign || IsSelected(r, f.type, f.id);
    if (f.type == "MedicationRequest") {
      ClassifyMedicationRequest(fhir::MedicationRequest(res.node()), v, f);
      fluoroquinolone_to_judge |= f.judged && f.fluoroquinolone;
    } else if (f.type == "ServiceRequest") {
      const fhir::ServiceRequest sr(res.node());
      ClassifyServiceOrProcedure(sr, v, f);
      AddCare(f.type, f.id, sr.code(), {}, true, v, needs, facts);
    } else if (f.type == "Procedure") {
      const fhir::Procedure p(res.node());
      ClassifyServiceOrProcedure(p, v, f);
      AddCare(f.type, f.id, p.code(), {}, true, v, needs, facts);
    } else if (f.type == "DeviceRequest") {
      const CodeableConcept code = fhir::DeviceRequest(res.node()).code();
      f.label = code.label();
      f.immobilisation = MatchConcept(code, *v.immobilisation, f.type, f.id, "codeCodeableConcept");
    }
    facts.orders.push_back(f);
  }

  // The fluoroquinolone rule judges active fluoroquinolones on record (patient-view) or the drafts; its risk
  // factors (systemic corticosteroids on record, transplant status) are read only when there is one to judge.
  const bool everything = NeedsFact(needs, FactKind::kEverything);
  bool risk_factors = everything;
  if (NeedsFact(needs, FactKind::kFluoroquinolones)) {
    if (r.hook == Hook::kPatientView) AddMedicationsOnRecord(r, v, kFluoroquinolones, facts);
    risk_factors |= fluoroquinolone_to_judge || !facts.medications.empty();
  }
  if (risk_factors) AddMedicationsOnRecord(r, v, kCorticosteroids | kFluoroquinolones, facts);
  AddConditions(r, v, risk_factors, facts);
  return facts;
}

}  // namespace cds::cards
