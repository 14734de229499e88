// BuildFacts: classify the record's conditions, the draft orders and the physiotherapy on record.
// Sources: ../shared/clinical/rules.md (what counts as tendinopathy, which injections matter),
// ../shared/clinical/codes.md (the value sets).
#include "cards/facts.h"

#include <array>
#include <initializer_list>

#include "fhir/condition.h"
#include "fhir/medication_request.h"
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

void ClassifyMedicationRequest(const fhir::MedicationRequest& mr, const Vocabulary& v, OrderFact& f) {
  const CodeableConcept med = mr.medication();
  const std::string_view ref_display = mr.medication_reference_display();
  f.label = med.label().empty() ? ref_display : med.label();
  f.corticosteroid = MatchConcept(med, *v.corticosteroid, f.type, f.id, "medication");
  if (!f.corticosteroid)
    f.corticosteroid = MatchText(ref_display, *v.corticosteroid, f.type, f.id, "medicationReference.display");
  // Route and site matter only for the drugs the rules judge by them; skip the text scans otherwise.
  if (!f.corticosteroid) return;

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
  auto in_product = [&](const ValueSet& vs) {
    auto e = MatchConcept(med, vs, f.type, f.id, "medication");
    return e ? e : MatchText(ref_display, vs, f.type, f.id, "medicationReference.display");
  };
  // Strongest first: a coded route; a route the prescriber wrote; the product's form ("Injectable
  // Suspension", "Oral Tablet", "cream"); a bare "inject…" in the text.
  ClassifyRoute(
      specific, [&](const ValueSet& vs) { return MatchConcept(route, vs, f.type, f.id, "dosageInstruction.route"); },
      f) ||
      ClassifyRoute(specific, in_texts, f) ||
      ClassifyRoute(std::array<RouteOption, 3>{{injection[0], specific[2], specific[3]}}, in_product, f) ||
      ClassifyRoute(injection, in_texts, f);
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
  f.physiotherapy = MatchConcept(code, *v.physiotherapy, f.type, f.id, "code");
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

void AddConditions(const Record& r, const Vocabulary& v, Facts& facts) {
  for (const fhir::Resource& res : r.of(DataKind::kConditions)) {
    const fhir::Condition c(res.node());
    const CodeableConcept code = c.code();
    ConditionFact f;
    f.id = c.id();
    auto e = MatchConcept(code, *v.rupture, "Condition", f.id, "code");
    if (e) {
      f.kind = ConditionKind::kRupture;
    } else if ((e = MatchConcept(code, *v.tendinopathy, "Condition", f.id, "code"))) {
      f.kind = ConditionKind::kTendinopathy;
    } else {
      continue;
    }
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

void AddCare(std::string_view type, std::string_view id, std::string_view date, bool drafted, const Evidence& e,
             Facts& facts) {
  CareFact care;
  care.type = type;
  care.id = id;
  care.date = fhir::FhirDate::Parse(date);
  care.drafted = drafted;
  care.evidence = e;
  facts.physiotherapy.push_back(care);
}

void AddPhysiotherapyOnRecord(const Record& r, const Vocabulary& v, Facts& facts) {
  for (const fhir::Resource& res : r.of(DataKind::kServiceRequests)) {
    const fhir::ServiceRequest sr(res.node());
    if (sr.status() == "entered-in-error" || sr.status() == "revoked") continue;
    if (auto e = MatchConcept(sr.code(), *v.physiotherapy, "ServiceRequest", sr.id(), "code")) {
      AddCare("ServiceRequest", sr.id(), sr.requested_on(), false, *e, facts);
    }
  }
  for (const fhir::Resource& res : r.of(DataKind::kProcedures)) {
    const fhir::Procedure p(res.node());
    if (p.status() == "entered-in-error" || p.status() == "not-done") continue;
    if (auto e = MatchConcept(p.code(), *v.physiotherapy, "Procedure", p.id(), "code")) {
      AddCare("Procedure", p.id(), p.performed(), false, *e, facts);
    }
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

const CareFact* Facts::PhysiotherapySinceOnset() const {
  const std::optional<fhir::Date> onset = TendinopathyOnset();
  for (const CareFact& care : physiotherapy) {
    if (!onset || !care.date || care.date->latest >= *onset) return &care;
  }
  return nullptr;
}

Facts BuildFacts(const Record& r, const Vocabulary& v) {
  Facts facts;
  facts.hook = r.hook;
  facts.today = r.today;
  facts.patient_id = r.patient_id;
  facts.user_id = r.user_id;
  facts.encounter_id = r.encounter_id;
  AddConditions(r, v, facts);
  AddPhysiotherapyOnRecord(r, v, facts);

  facts.orders.reserve(r.draft_orders.size());
  for (const fhir::Resource& res : r.draft_orders) {
    if (!IsLiveOrder(res.status())) continue;
    OrderFact f;
    f.type = res.resource_type();
    f.id = res.id();
    f.judged = r.hook == Hook::kOrderSign || IsSelected(r, f.type, f.id);
    if (f.type == "MedicationRequest") {
      ClassifyMedicationRequest(fhir::MedicationRequest(res.node()), v, f);
    } else if (f.type == "ServiceRequest") {
      ClassifyServiceOrProcedure(fhir::ServiceRequest(res.node()), v, f);
    } else if (f.type == "Procedure") {
      ClassifyServiceOrProcedure(fhir::Procedure(res.node()), v, f);
    }
    if (f.physiotherapy) AddCare(f.type, f.id, {}, true, *f.physiotherapy, facts);
    facts.orders.push_back(f);
  }
  return facts;
}

}  // namespace cds::cards
