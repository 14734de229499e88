// BuildFacts: classify the record (patient, conditions, medications, care, BMI) and the draft orders.
// Sources: ../shared/clinical/rules.md (what counts as tendinopathy, which injections matter),
// ../shared/clinical/codes.md (the value sets). Every step is linear in the size of the record: sets are
// looked up by sorting or hashing, never by scanning one list for each element of another.
#include "cards/facts.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <unordered_map>
#include <utility>

#include "fhir/code_system.h"
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

constexpr int kMaxPlausibleAge = 130;  // an older age is a data error (birthDate 0001), not a risk factor

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

// An order on record that happened (Record::every_order): given, done or under way. Never signed (draft),
// withdrawn (cancelled, revoked), not done, or recorded by mistake: not.
bool Happened(std::string_view status) {
  return status != "entered-in-error" && status != "revoked" && status != "cancelled" && status != "not-done" &&
         status != "draft";
}

// context.selections as (type, id) pairs, sorted: each draft order is then looked up in log time.
using TypeId = std::pair<std::string_view, std::string_view>;
std::vector<TypeId> SortedSelections(const Record& r) {
  std::vector<TypeId> out;
  out.reserve(r.selections.size());
  for (std::string_view s : r.selections) {
    const std::size_t slash = s.find('/');
    if (slash != std::string_view::npos) out.emplace_back(s.substr(0, slash), s.substr(slash + 1));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Is the resource about this patient? One naming no patient is kept (a patient-scoped search returned
// it); a Patient resource must be this patient. Checked only for resources that would become facts, so
// the cost is paid for the few that matter, not for the whole record.
bool OfThisPatient(const fhir::Resource& r, std::string_view patient_id, Facts& facts) {
  const std::string_view subject = r.subject_reference();
  if (subject.empty() || fhir::ReferenceIs(subject, "Patient", patient_id)) return true;
  ++facts.other_patient;
  return false;
}

// ---------------------------------------------------------------- laterality

bool IsWordAt(std::string_view lower, std::size_t pos, std::string_view word) {
  auto word_char = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  return lower.compare(pos, word.size(), word) == 0 && (pos == 0 || !word_char(lower[pos - 1])) &&
         (pos + word.size() == lower.size() || !word_char(lower[pos + word.size()]));
}

Side Combine(Side a, Side b) {
  if (a == Side::kUnknown) return b;
  if (b == Side::kUnknown || a == b) return a;
  return Side::kBoth;
}

// ICD-10-CM puts the side in the code: M76.61 right / M76.62 left, S86.011A right / S86.012A left,
// M66.361 right / M66.362 left (ICD-10-CM tabular list; 0 or 9 is "unspecified").
Side SideOfIcd10Cm(std::string_view code) {
  char norm[16];
  std::size_t n = 0;
  for (char c : code) {
    if (c == '.') continue;
    if (n == sizeof norm) return Side::kUnknown;
    norm[n++] = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  }
  const std::string_view c(norm, n);
  struct Family {
    std::string_view prefix;
    std::size_t position;
  };
  static constexpr Family kFamilies[] = {{"M766", 4}, {"S860", 5}, {"M6636", 5}, {"M6686", 5}};
  for (const Family& f : kFamilies) {
    if (c.size() > f.position && c.compare(0, f.prefix.size(), f.prefix) == 0) {
      return c[f.position] == '1' ? Side::kRight : c[f.position] == '2' ? Side::kLeft : Side::kUnknown;
    }
  }
  return Side::kUnknown;
}

// SNOMED CT laterality qualifiers (codes.md): 7771000 left, 24028007 right, 51440002 right and left.
Side SideOfCoding(std::string_view system, std::string_view code) {
  system = fhir::CanonicalSystem(system);
  if (system == fhir::kIcd10Cm) return SideOfIcd10Cm(code);
  if (system == fhir::kSnomed) {
    if (code == "7771000") return Side::kLeft;
    if (code == "24028007") return Side::kRight;
    if (code == "51440002") return Side::kBoth;
  }
  return Side::kUnknown;
}

Side SideOf(const CodeableConcept& cc) {
  Side side = Side::kUnknown;
  std::string_view system, code;
  for (std::size_t i = 0; i < cc.coding_count(); ++i) {
    cc.SystemAndCode(i, system, code);
    side = Combine(side, SideOfCoding(system, code));
  }
  if (side != Side::kUnknown) return side;
  side = SideInText(cc.text());
  for (std::size_t i = 0; i < cc.coding_count() && side == Side::kUnknown; ++i) side = SideInText(cc.coding(i).display);
  return side;
}

// ---------------------------------------------------------------- routes and sites

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

// Free text can name any route, or just say "inject…". Topical (which includes iontophoresis) is read before
// the bare "inject…": "dexamethasone injection solution by iontophoresis" is not an injection.
std::array<RouteOption, 5> TextRouteOptions(const Vocabulary& v) {
  return {{{v.route_local_injection, RouteClass::kLocalInjection},
           {v.route_systemic_injection, RouteClass::kSystemicInjection},
           {v.route_topical, RouteClass::kTopical},
           {v.corticosteroid_injectable, RouteClass::kInjection},
           {v.route_oral, RouteClass::kOral}}};
}

// The site one concept or text names. The Achilles first; then the ankle region, whose value set excludes
// texts naming a specific ankle structure (the ankle joint, the peroneal tendons), which are elsewhere.
template <class Match>
SiteClass SiteIn(const Vocabulary& v, Match match, std::optional<Evidence>& e) {
  if ((e = match(*v.achilles_site))) return SiteClass::kAchilles;
  if ((e = match(*v.ankle_region))) return SiteClass::kAnkleRegion;
  if ((e = match(*v.other_site))) return SiteClass::kElsewhere;
  return SiteClass::kUnstated;
}

// Rank for combining several sites an order lists: the closest to the tendon wins (a list "left ankle, knee"
// may still put a needle near it).
int Rank(SiteClass s) {
  switch (s) {
    case SiteClass::kAchilles: return 3;
    case SiteClass::kAnkleRegion: return 2;
    case SiteClass::kElsewhere: return 1;
    case SiteClass::kUnstated: return 0;
  }
  return 0;
}

// Site classification. The explicit site element (dosage.site, bodySite) comes first: a coded site there
// that is the Achilles or clearly elsewhere decides (a coded gluteal IM site wins over "Achilles pain" in the
// dosage text). Otherwise the free texts are read: one naming the Achilles makes it the Achilles; an
// explicit ankle-region site stays so; else what the texts name.
void ClassifySite(const CodeableConcept* sites, std::size_t n_sites, std::string_view site_element,
                  std::initializer_list<Text> texts, const Vocabulary& v, std::string_view type, std::string_view id,
                  OrderFact& f) {
  SiteClass explicit_site = SiteClass::kUnstated;
  std::optional<Evidence> explicit_evidence;
  bool coded = false;
  for (std::size_t i = 0; i < n_sites; ++i) {
    std::optional<Evidence> e;
    const SiteClass s =
        SiteIn(v, [&](const ValueSet& vs) { return MatchConcept(sites[i], vs, type, id, site_element); }, e);
    if (Rank(s) > Rank(explicit_site)) {
      explicit_site = s;
      explicit_evidence = e;
      coded = sites[i].coding_count() > 0;
    }
  }
  auto decide = [&](SiteClass s, std::optional<Evidence> e) {
    f.site = s;
    f.site_evidence = std::move(e);
  };
  if (explicit_site == SiteClass::kAchilles || (explicit_site == SiteClass::kElsewhere && coded))
    return decide(explicit_site, explicit_evidence);
  std::optional<Evidence> text_evidence;
  SiteClass text_site = SiteClass::kUnstated;
  for (const Text& t : texts) {
    std::optional<Evidence> e;
    const SiteClass s = SiteIn(v, [&](const ValueSet& vs) { return MatchText(t.value, vs, type, id, t.element); }, e);
    if (Rank(s) > Rank(text_site)) {
      text_site = s;
      text_evidence = e;
    }
  }
  if (text_site == SiteClass::kAchilles) return decide(text_site, text_evidence);
  if (explicit_site != SiteClass::kUnstated) return decide(explicit_site, explicit_evidence);
  decide(text_site, text_evidence);
}

Side SideOfTexts(std::initializer_list<std::string_view> texts) {
  Side side = Side::kUnknown;
  for (std::string_view t : texts) side = Combine(side, SideInText(t));
  return side;
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
  f.side = Combine(SideOf(site), SideOfTexts({dosage.text(), dosage.patient_instruction(), note}));
}

// The first four body sites of a request or procedure (an order lists one or two).
struct Sites {
  CodeableConcept list[4];
  std::size_t n = 0;
  explicit Sites(const fhir::CodeableConceptList& l) : n(l.size() < 4 ? l.size() : 4) {
    for (std::size_t i = 0; i < n; ++i) list[i] = l[i];
  }
  Side side() const {
    Side s = Side::kUnknown;
    for (std::size_t i = 0; i < n; ++i) s = Combine(s, SideOf(list[i]));
    return s;
  }
};

template <class ServiceOrProcedure>
void ClassifyServiceOrProcedure(const ServiceOrProcedure& r, const Vocabulary& v, OrderFact& f) {
  const CodeableConcept code = r.code();
  f.label = code.label();
  const std::string_view note = r.note_count() > 0 ? r.note(0) : std::string_view{};
  f.tendon_injection = MatchConcept(code, *v.tendon_injection, f.type, f.id, "code");
  f.corticosteroid = MatchConcept(code, *v.corticosteroid, f.type, f.id, "code");
  if (!f.corticosteroid) f.corticosteroid = MatchText(note, *v.corticosteroid, f.type, f.id, "note");
  f.immobilisation = MatchConcept(code, *v.immobilisation, f.type, f.id, "code");
  f.escalation = MatchConcept(code, *v.escalation_procedure, f.type, f.id, "code");
  if (!f.tendon_injection && !f.corticosteroid && !f.immobilisation) return;  // route and site: injections, casts
  if (f.tendon_injection) {
    f.route = RouteClass::kLocalInjection;
    f.route_evidence = f.tendon_injection;
  } else if (f.corticosteroid) {
    ClassifyRoute(
        TextRouteOptions(v),
        [&](const ValueSet& vs) {
          auto e = MatchConcept(code, vs, f.type, f.id, "code");
          return e ? e : MatchText(note, vs, f.type, f.id, "note");
        },
        f);
  }
  const Sites sites(r.body_sites());
  ClassifySite(sites.list, sites.n, "bodySite",
               {{code.text(), "code.text"}, {code.label(), "code.coding.display"}, {note, "note"}}, v, f.type, f.id, f);
  f.side = Combine(sites.side(), SideOfTexts({code.text(), code.label(), note}));
}

void ClassifyDeviceRequest(const fhir::DeviceRequest& d, const Vocabulary& v, OrderFact& f) {
  const CodeableConcept code = d.code();
  f.label = code.label();
  f.immobilisation = MatchConcept(code, *v.immobilisation, f.type, f.id, "codeCodeableConcept");
  if (!f.immobilisation) return;
  const std::string_view note = d.note_count() > 0 ? d.note(0) : std::string_view{};
  // R4 DeviceRequest has no bodySite: the site and side are in the device's name or the note.
  ClassifySite(nullptr, 0, "", {{code.label(), "codeCodeableConcept"}, {note, "note"}}, v, f.type, f.id, f);
  f.side = SideOfTexts({code.label(), note});
}

// ---------------------------------------------------------------- conditions

// A concept's text and first displays, each lower-cased once: a Condition is matched against several value
// sets whose name patterns share their first group, and that group is then looked for once per text.
class ConceptTexts {
 public:
  explicit ConceptTexts(const CodeableConcept& cc) : cc_(cc) {}
  // The i-th text to read by name (0 = text, then displays that differ from it); nullptr past the end.
  fhir::LowerText* at(std::size_t i) {
    if (i >= kMax) return nullptr;
    if (!built_[i]) {
      built_[i] = true;
      const std::string_view t = Source(i);
      if (!t.empty()) lower_[i].emplace(t);
    }
    return lower_[i] ? &*lower_[i] : nullptr;
  }
  static constexpr std::size_t kMax = 4;

 private:
  std::string_view Source(std::size_t i) const {
    if (i == 0) return cc_.text();
    if (i - 1 >= cc_.coding_count()) return {};
    const std::string_view display = cc_.coding(i - 1).display;
    return display == cc_.text() ? std::string_view{} : display;  // scanned already as the text
  }
  const CodeableConcept& cc_;
  bool built_[kMax] = {};
  std::optional<fhir::LowerText> lower_[kMax];
};

// The first coding of `cc` in the value set, as evidence.
std::optional<Evidence> MatchCoding(const CodeableConcept& cc, const ValueSet& vs, std::string_view type,
                                    std::string_view id, std::string_view element) {
  std::string_view system, code;
  for (std::size_t i = 0, n = cc.coding_count(); i < n; ++i) {
    cc.SystemAndCode(i, system, code);
    if (!vs.ContainsCode(system, code)) continue;
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
  return std::nullopt;
}

// MatchConcept, reading names through `texts` (codes first, then the text, then the displays).
std::optional<Evidence> MatchConceptShared(const CodeableConcept& cc, ConceptTexts& texts, const ValueSet& vs,
                                           std::string_view type, std::string_view id, std::string_view element) {
  if (!cc.present()) return std::nullopt;
  if (auto e = MatchCoding(cc, vs, type, id, element)) return e;
  if (!vs.has_names()) return std::nullopt;
  for (std::size_t i = 0; i < ConceptTexts::kMax; ++i) {
    fhir::LowerText* t = texts.at(i);
    if (t == nullptr) {
      if (i > 0 && i >= cc.coding_count()) break;
      continue;
    }
    if (auto m = vs.MatchName(*t)) {
      Evidence e;
      e.resource_type = type;
      e.resource_id = id;
      e.element = element;
      e.text = t->original();
      e.term = m->term;
      e.value_set = &vs;
      return e;
    }
  }
  return std::nullopt;
}

struct ConditionKindSet {
  const ValueSet* value_set;
  ConditionKind kind;
};

// The 7th character of an ICD-10-CM injury code (S…): A initial encounter, D subsequent, S sequela.
char SeventhCharacter(const Evidence& e) {
  if (fhir::CanonicalSystem(e.system) != fhir::kIcd10Cm) return 0;
  std::size_t n = 0;
  char last = 0;
  for (char c : e.code) {
    if (c == '.') continue;
    ++n;
    last = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  }
  const char first = e.code.empty() ? 0 : e.code[0];
  if ((first != 'S' && first != 's') || n != 7) return 0;
  return last == 'A' || last == 'D' || last == 'S' ? last : 0;
}

std::optional<fhir::FhirDate> PlausibleOnset(std::string_view text, fhir::Date today, std::string& note) {
  auto onset = fhir::FhirDate::Parse(text);
  if (!onset) return onset;
  if (onset->earliest > today) {
    note = "onset " + onset->earliest.ToString() + " is in the future: its duration is unknown";
    return std::nullopt;
  }
  // A partial date of this month or year ("2026") cannot have begun after today.
  if (onset->latest > today) onset->latest = today;
  return onset;
}

// The conditions of the given kinds, in this order of precedence.
void AddConditions(const Record& r, const Vocabulary& v, bool transplant, Facts& facts) {
  const ConditionKindSet kKinds[] = {
      // Rupture before tendinopathy: "Achilles tendon rupture" must not read as a tendon disorder to rehab;
      // an acute injury (S86.0x, "strain of Achilles tendon") before tendinopathy for the same reason.
      {v.rupture, ConditionKind::kRupture},
      {v.acute_injury, ConditionKind::kAcuteInjury},
      {v.tendinopathy, ConditionKind::kTendinopathy},
      {v.transplant, ConditionKind::kTransplant},
  };
  const std::size_t kinds = transplant ? 4 : 3;
  for (const fhir::Resource& res : r.of(DataKind::kConditions)) {
    const fhir::Condition c(res.node());
    const CodeableConcept code = c.code();
    ConditionFact f;
    f.id = c.id();
    ConceptTexts texts(code);
    std::optional<Evidence> e;
    for (std::size_t k = 0; k < kinds && !e; ++k) {
      if ((e = MatchConceptShared(code, texts, *kKinds[k].value_set, "Condition", f.id, "code")))
        f.kind = kKinds[k].kind;
    }
    if (!e || !OfThisPatient(res, r.patient_id, facts)) continue;
    f.evidence = *e;
    f.label = code.label();
    f.clinical_status = c.clinical_status();
    f.verification_status = c.verification_status();
    f.seventh = SeventhCharacter(f.evidence);
    f.side = SideOf(code);
    const fhir::CodeableConceptList body_sites = c.body_sites();
    for (std::size_t i = 0; i < body_sites.size() && i < 4; ++i) f.side = Combine(f.side, SideOf(body_sites[i]));
    const auto abated = fhir::FhirDate::Parse(c.abatement());
    f.abatement = abated;
    const bool active_status =
        f.clinical_status == "active" || f.clinical_status == "recurrence" || f.clinical_status == "relapse";
    if (f.verification_status == "refuted" || f.verification_status == "entered-in-error") {
      f.excluded_because = f.verification_status == "refuted" ? "verificationStatus is refuted"
                                                              : "verificationStatus is entered-in-error";
    } else if (abated && abated->earliest <= r.today) {
      f.excluded_because = "abatementDateTime is in the past: the condition has ended";
      f.history = true;
    } else if (f.seventh == 'S') {
      f.excluded_because = "7th character S: a sequela (late effect) of the injury, not the injury itself";
      f.history = true;
    } else if (f.clinical_status.empty()) {
      // FHIR con-3 requires clinicalStatus only for problem-list items: an encounter diagnosis without one is
      // current for its encounter (this one, or one the request cannot tell apart from this one).
      const std::string_view enc = c.encounter();
      const bool this_encounter =
          enc.empty() || r.encounter_id.empty() || fhir::ReferenceIs(enc, "Encounter", r.encounter_id);
      if (!c.has_category("encounter-diagnosis")) {
        f.excluded_because = "clinicalStatus is missing";
      } else if (!this_encounter) {
        f.excluded_because = "an encounter diagnosis of another encounter, without clinicalStatus";
      }
    } else if (!active_status) {
      f.excluded_because = f.clinical_status == "resolved"    ? "clinicalStatus is resolved"
                           : f.clinical_status == "remission" ? "clinicalStatus is remission"
                                                              : "clinicalStatus is inactive";
      f.history = true;
    }
    f.counts = f.excluded_because.empty();
    f.onset = PlausibleOnset(c.onset(), r.today, f.onset_note);
    facts.conditions.push_back(std::move(f));
  }
}

// What each order is for: a reasonReference to one of the Achilles conditions, a reasonCode, or words such
// as "fracture" in its text. Injury (rupture not excluded) outranks tendinopathy, which outranks another
// indication.
void ClassifyReasons(const Vocabulary& v, bool topics, Facts& facts) {
  std::unordered_map<std::string_view, ConditionKind> kind_of;
  kind_of.reserve(facts.conditions.size());
  for (const ConditionFact& c : facts.conditions) {
    if (!c.id.empty()) kind_of.emplace(c.id, c.kind);
  }
  auto rank = [](ReasonClass r) {
    switch (r) {
      case ReasonClass::kInjury: return 3;
      case ReasonClass::kTendinopathy: return 2;
      case ReasonClass::kOther: return 1;
      case ReasonClass::kNotStated: return 0;
    }
    return 0;
  };
  auto from_kind = [](ConditionKind k) {
    return k == ConditionKind::kTendinopathy ? ReasonClass::kTendinopathy
           : k == ConditionKind::kTransplant ? ReasonClass::kOther
                                             : ReasonClass::kInjury;
  };
  for (OrderFact& o : facts.orders) {
    // Only the immobilisation rule reads reasons, and only eccentric-rehab on an order hook reads topics.
    if (!o.immobilisation && !(topics && o.judged)) continue;
    const fhir::Resource& res = o.resource;
    auto consider = [&](ReasonClass r, std::optional<Evidence> e) {
      if (rank(r) > rank(o.reason)) {
        o.reason = r;
        o.reason_evidence = std::move(e);
      }
    };
    for (std::size_t i = 0, n = res.reason_reference_count(); i < n; ++i) {
      const std::string_view ref = res.reason_reference(i);
      const std::size_t at = ref.rfind("Condition/");
      const std::string_view id = at == std::string_view::npos ? std::string_view{} : ref.substr(at + 10);
      auto it = kind_of.find(id);
      consider(it == kind_of.end() ? ReasonClass::kOther : from_kind(it->second), std::nullopt);
    }
    const fhir::CodeableConceptList codes = res.reason_codes();
    for (std::size_t i = 0; i < codes.size() && i < 4; ++i) {
      const CodeableConcept cc = codes[i];
      if (auto e = MatchConcept(cc, *v.rupture, o.type, o.id, "reasonCode")) {
        consider(ReasonClass::kInjury, e);
      } else if (auto a = MatchConcept(cc, *v.acute_injury, o.type, o.id, "reasonCode")) {
        consider(ReasonClass::kInjury, a);
      } else if (auto t = MatchConcept(cc, *v.tendinopathy, o.type, o.id, "reasonCode")) {
        consider(ReasonClass::kTendinopathy, t);
      } else if (cc.present()) {
        consider(ReasonClass::kOther, MatchConcept(cc, *v.other_indication, o.type, o.id, "reasonCode"));
      }
    }
    if (o.reason == ReasonClass::kNotStated && o.immobilisation) {
      const std::string_view note = res.note_count() > 0 ? res.note(0) : std::string_view{};
      if (auto e = MatchTexts({{o.label, "code"}, {note, "note"}}, *v.other_indication, o.type, o.id))
        consider(ReasonClass::kOther, e);
    }
    if (topics) {
      o.names_achilles = o.site == SiteClass::kAchilles || o.reason == ReasonClass::kTendinopathy ||
                         o.reason == ReasonClass::kInjury || v.achilles_site->MatchName(o.label).has_value();
    }
  }
}

// ---------------------------------------------------------------- care, patient, medications, BMI

// Physiotherapy, an orthopaedic referral or repair, or ankle imaging, in a ServiceRequest / Procedure code.
// Imaging whose site or name is clearly elsewhere (an ultrasound of the shoulder, CPT 76882 with a shoulder
// body site) is not imaging of the Achilles.
void AddCare(std::string_view type, std::string_view id, const CodeableConcept& code,
             const fhir::CodeableConceptList& body_sites, std::string_view date, const fhir::Resource* on_record,
             const Vocabulary& v, FactNeeds needs, Facts& facts) {
  const bool drafted = on_record == nullptr;
  bool checked = drafted;  // drafts were checked once, up front
  const std::pair<const ValueSet*, CareKind> kKinds[] = {
      {v.physiotherapy, CareKind::kPhysiotherapy},
      {NeedsFact(needs, FactKind::kOrthopaedicCare) ? v.orthopaedic : nullptr, CareKind::kOrthopaedic},
      {NeedsFact(needs, FactKind::kImagingCare) ? v.imaging : nullptr, CareKind::kImaging},
  };
  for (const auto& [vs, kind] : kKinds) {
    if (vs == nullptr) continue;  // no rule of this service reads it
    if (auto e = MatchConcept(code, *vs, type, id, "code")) {
      if (kind == CareKind::kImaging) {
        const Sites sites(body_sites);
        bool elsewhere = !v.achilles_site->MatchName(code.label()) && v.other_site->MatchName(code.label());
        for (std::size_t i = 0; i < sites.n && !elsewhere; ++i) {
          elsewhere = !MatchConcept(sites.list[i], *v.achilles_site, type, id, "bodySite") &&
                      !MatchConcept(sites.list[i], *v.ankle_region, type, id, "bodySite") &&
                      MatchConcept(sites.list[i], *v.other_site, type, id, "bodySite");
        }
        if (elsewhere) continue;
      }
      if (!checked) {
        if (!OfThisPatient(*on_record, facts.patient_id, facts)) return;
        checked = true;
      }
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
    AddCare("ServiceRequest", sr.id(), sr.code(), sr.body_sites(), sr.requested_on(), &res, v, needs, facts);
  }
  for (const fhir::Resource& res : r.of(DataKind::kProcedures)) {
    const fhir::Procedure p(res.node());
    if (p.status() == "entered-in-error" || p.status() == "not-done") continue;
    AddCare("Procedure", p.id(), p.code(), p.body_sites(), p.performed(), &res, v, needs, facts);
  }
}

// Age in completed years. For a partial birth date ("1965", "1965-11") the latest day it allows is used,
// so the age is never over-stated. A birth date in the future, or one giving an age over 130, is a data
// error: the age is unknown.
void AddPatient(const Record& r, Facts& facts) {
  const auto& patients = r.of(DataKind::kPatient);
  if (patients.empty()) return;
  if (patients[0].id() != facts.patient_id) {  // another patient's age must not raise a risk
    ++facts.other_patient;
    return;
  }
  facts.birth_date = fhir::Patient(patients[0].node()).birth_date();
  const auto birth = fhir::FhirDate::Parse(facts.birth_date);
  if (!birth) return;
  if (birth->earliest > facts.today) {
    facts.age_note = "birthDate " + std::string(facts.birth_date) + " is in the future: age unknown";
    return;
  }
  const int age = fhir::AgeInYears(birth->latest > facts.today ? facts.today : birth->latest, facts.today);
  if (age > kMaxPlausibleAge) {
    facts.age_note = "birthDate " + std::string(facts.birth_date) + " gives an implausible age: age unknown";
    return;
  }
  facts.age = age;
}

// Active MedicationRequests on record of the given drug classes: the fluoroquinolones, and the systemic
// corticosteroids. `done` marks (by position in the record) the ones a first pass already took, so a
// second pass for another class is linear and never adds one twice.
void AddMedicationsOnRecord(const Record& r, const Vocabulary& v, unsigned classes, std::vector<bool>& done,
                            Facts& facts) {
  const auto& meds = r.of(DataKind::kMedications);
  done.resize(meds.size(), false);
  for (std::size_t i = 0; i < meds.size(); ++i) {
    const fhir::Resource& res = meds[i];
    if (done[i] || res.status() != "active") continue;  // the prefetch asks for active ones; an EHR may send more
    OrderFact f;
    f.type = "MedicationRequest";
    f.id = res.id();
    f.resource = res;
    ClassifyMedicationRequest(fhir::MedicationRequest(res.node()), v, f, classes);
    if (!f.systemic_corticosteroid() && !f.fluoroquinolone) continue;
    done[i] = true;  // taken, or counted once as another patient's
    if (OfThisPatient(res, facts.patient_id, facts)) facts.medications.push_back(std::move(f));
  }
}

void AddBmi(const Record& r, const Vocabulary& v, Facts& facts) {
  for (const fhir::Resource& res : r.of(DataKind::kBmiObservations)) {
    const fhir::Observation o(res.node());
    const std::string_view status = o.status();
    if (status != "final" && status != "amended" && status != "corrected") continue;
    const std::optional<double> value = o.value_quantity();
    if (!value || *value <= 0 || *value > 200) continue;  // no value, or an implausible one
    auto e = MatchConcept(o.code(), *v.bmi, "Observation", o.id(), "code");
    if (!e || !OfThisPatient(res, facts.patient_id, facts)) continue;
    auto date = fhir::FhirDate::Parse(o.effective());
    if (date && date->earliest > facts.today) date.reset();  // a measurement from the future cannot be placed
    facts.bmi.push_back(BmiFact{o.id(), *value, date, *e});
  }
}

}  // namespace

std::string_view SideWord(Side side) {
  switch (side) {
    case Side::kLeft: return "left";
    case Side::kRight: return "right";
    case Side::kBoth: return "both";
    case Side::kUnknown: return "";
  }
  return "";
}

Side SideInText(std::string_view text) {
  if (text.empty()) return Side::kUnknown;
  char stack[256];
  std::string heap;
  char* lower = stack;
  if (text.size() > sizeof stack) {
    heap.resize(text.size());
    lower = heap.data();
  }
  for (std::size_t i = 0; i < text.size(); ++i) lower[i] = fhir::LowerAscii(text[i]);
  const std::string_view t(lower, text.size());
  Side side = Side::kUnknown;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == 'l' && IsWordAt(t, i, "left")) side = Combine(side, Side::kLeft);
    if (c == 'r' && IsWordAt(t, i, "right")) side = Combine(side, Side::kRight);
    if ((c == 'b' && (IsWordAt(t, i, "bilateral") || IsWordAt(t, i, "both")))) side = Side::kBoth;
  }
  return side;
}

std::optional<Evidence> MatchConcept(const CodeableConcept& cc, const ValueSet& vs, std::string_view type,
                                     std::string_view id, std::string_view element) {
  if (!cc.present()) return std::nullopt;
  const std::size_t n = cc.coding_count();
  if (auto e = MatchCoding(cc, vs, type, id, element)) return e;
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

const ConditionFact* Facts::InjuryNotExcluded() const {
  const ConditionFact* c = FirstActive(ConditionKind::kAcuteInjury);
  return c != nullptr ? c : FirstActive(ConditionKind::kRupture);
}

const ConditionFact* Facts::ActiveTendonDisorder() const {
  for (ConditionKind k : {ConditionKind::kTendinopathy, ConditionKind::kAcuteInjury, ConditionKind::kRupture}) {
    if (const ConditionFact* c = FirstActive(k)) return c;
  }
  return nullptr;
}

const ConditionFact* Facts::PastTendonDisorder() const {
  for (const ConditionFact& c : conditions) {
    if (c.kind != ConditionKind::kTransplant && c.history) return &c;
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

Side Facts::ActiveSide(ConditionKind kind) const {
  Side side = Side::kUnknown;
  bool unknown = false;
  for (const ConditionFact& c : conditions) {
    if (c.kind != kind || !c.counts) continue;
    if (c.side == Side::kUnknown) unknown = true;
    side = Combine(side, c.side);
  }
  return unknown ? Side::kUnknown : side;  // one condition without a side: the side is not known
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
  facts.unavailable = r.unavailable;
  AddPatient(r, facts);
  AddCareOnRecord(r, v, needs, facts);
  AddBmi(r, v, facts);

  const std::vector<TypeId> selected = r.hook == Hook::kOrderSelect ? SortedSelections(r) : std::vector<TypeId>{};
  facts.orders.reserve(r.draft_orders.size());
  bool fluoroquinolone_to_judge = false;
  for (const fhir::Resource& res : r.draft_orders) {
    const bool keep = r.every_order ? Happened(res.status()) : IsLiveOrder(res.status());
    if (!keep || !OfThisPatient(res, r.patient_id, facts)) continue;
    OrderFact f;
    f.type = res.resource_type();
    f.id = res.id();
    f.resource = res;
    f.judged = r.hook == Hook::kOrderSign || std::binary_search(selected.begin(), selected.end(), TypeId{f.type, f.id});
    std::string_view date;
    if (f.type == "MedicationRequest") {
      const fhir::MedicationRequest mr(res.node());
      ClassifyMedicationRequest(mr, v, f);
      fluoroquinolone_to_judge |= f.judged && f.fluoroquinolone;
      date = mr.authored_on();
    } else if (f.type == "ServiceRequest") {
      const fhir::ServiceRequest sr(res.node());
      ClassifyServiceOrProcedure(sr, v, f);
      if (!r.every_order) AddCare(f.type, f.id, sr.code(), sr.body_sites(), {}, nullptr, v, needs, facts);
      date = sr.requested_on();
    } else if (f.type == "Procedure") {
      const fhir::Procedure p(res.node());
      ClassifyServiceOrProcedure(p, v, f);
      if (!r.every_order) AddCare(f.type, f.id, p.code(), p.body_sites(), {}, nullptr, v, needs, facts);
      date = p.performed();
    } else if (f.type == "DeviceRequest") {
      const fhir::DeviceRequest d(res.node());
      ClassifyDeviceRequest(d, v, f);
      date = d.authored_on();
    }
    if (r.every_order) f.date = fhir::FhirDate::Parse(date);
    facts.orders.push_back(std::move(f));
  }

  // The fluoroquinolone rule judges active fluoroquinolones on record (patient-view) or the drafts; its risk
  // factors (systemic corticosteroids on record, transplant status) are read only when there may be one to
  // judge.
  const bool everything = NeedsFact(needs, FactKind::kEverything);
  std::vector<bool> done;
  if (NeedsFact(needs, FactKind::kFluoroquinolones) && r.hook == Hook::kPatientView)
    AddMedicationsOnRecord(r, v, kFluoroquinolones, done, facts);
  const bool risk_factors = everything || fluoroquinolone_to_judge || !facts.medications.empty();
  if (risk_factors) AddMedicationsOnRecord(r, v, kCorticosteroids | kFluoroquinolones, done, facts);
  AddConditions(r, v, risk_factors, facts);
  ClassifyReasons(v, NeedsFact(needs, FactKind::kOrderTopics), facts);
  return facts;
}

}  // namespace cds::cards
