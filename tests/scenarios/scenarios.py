#!/usr/bin/python3
"""The clinical scenario table: each row is a full CDS Hooks request and the cards a clinician should see.

`scenarios.py write` turns the table into tests/data/scenarios/<name>.request.json (exactly what an EHR
would POST; `achilles-cds evaluate --service <service> --today <today> <file>` runs one) and
<name>.expected.json (service, today, the one-line clinical reason, and the expected cards: rule,
indicator, suggestions). `scenarios.py check` fails when the committed files differ from this table.
tests/scenarios/scenario_test.cpp runs every case in process, over HTTP and through `evaluate`.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data", "scenarios")
TODAY = "2026-11-28"

SCT = "http://snomed.info/sct"
ICD = "http://hl7.org/fhir/sid/icd-10-cm"
RX = "http://www.nlm.nih.gov/research/umls/rxnorm"
CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
LOINC = "http://loinc.org"
PATIENT = "pat-1"

# ---------------------------------------------------------------- resource builders


def cc(*codings, text=None):
    c = {}
    if codings:
        c["coding"] = [{"system": s, "code": k, "display": d} if d else {"system": s, "code": k} for s, k, d in codings]
    if text:
        c["text"] = text
    return c


# Four weeks before TODAY: past first-line care's start, short of the escalation threshold.
ONSET = "2026-10-31"


def condition(cid, concept, clinical="active", verification="confirmed", onset=ONSET, side=None, category=None,
              encounter=None, abated=None, subject=None):
    r = {"resourceType": "Condition", "id": cid, "subject": {"reference": subject or f"Patient/{PATIENT}"}, "code": concept}
    if category:
        r["category"] = [cc(("http://terminology.hl7.org/CodeSystem/condition-category", category, None))]
    if encounter:
        r["encounter"] = {"reference": f"Encounter/{encounter}"}
    if abated:
        r["abatementDateTime"] = abated
    if clinical:
        r["clinicalStatus"] = cc(("http://terminology.hl7.org/CodeSystem/condition-clinical", clinical, None))
    if verification:
        r["verificationStatus"] = cc(("http://terminology.hl7.org/CodeSystem/condition-ver-status", verification, None))
    if onset:
        r["onsetDateTime"] = onset
    if side:
        r["bodySite"] = [side]
    return r


def tendinopathy(cid="ach-1", **kw):
    return condition(cid, cc((ICD, "M76.62", "Achilles tendinitis, left leg")), **kw)


def med(mid, medication, route=None, site=None, dosage_text=None, status="draft"):
    r = {"resourceType": "MedicationRequest", "id": mid, "status": status, "intent": "order",
         "subject": {"reference": f"Patient/{PATIENT}"}, "medicationCodeableConcept": medication}
    dosage = {}
    if dosage_text:
        dosage["text"] = dosage_text
    if route:
        dosage["route"] = route
    if site:
        dosage["site"] = site
    if dosage:
        r["dosageInstruction"] = [dosage]
    return r


def service(sid, code, body_site=None, status="draft", authored=None, intent="order"):
    r = {"resourceType": "ServiceRequest", "id": sid, "status": status, "intent": intent,
         "subject": {"reference": f"Patient/{PATIENT}"}, "code": code}
    if body_site:
        r["bodySite"] = [body_site]
    if authored:
        r["authoredOn"] = authored
    return r


def procedure(pid, code, performed="2026-11-10", status="completed"):
    return {"resourceType": "Procedure", "id": pid, "status": status, "subject": {"reference": f"Patient/{PATIENT}"},
            "code": code, "performedDateTime": performed}


KENALOG = cc((RX, "1085728", "triamcinolone acetonide 40 MG/ML Injectable Suspension [Kenalog]"), text="Kenalog-40 injection")
DEPO_MEDROL = cc((RX, "1006429", "methylprednisolone acetate 40 MG/ML Injectable Suspension [Depo-Medrol]"))
TRIAMCINOLONE = cc((RX, "10759", "triamcinolone"))
PREDNISONE = cc((RX, "312617", "prednisone 5 MG Oral Tablet"))
DEXAMETHASONE_TABLET = cc((RX, "197582", "dexamethasone 4 MG Oral Tablet"))
ACHILLES_SITE = cc((SCT, "61352006", "Structure of Achilles tendon"))
ANKLE_SITE = cc((SCT, "344001", "Ankle region structure"))
PERITENDINOUS = cc((SCT, "419762003", "Peritendinous route"))
INTRALESIONAL = cc((SCT, "372466002", "Intralesional route"))
INTRA_ARTICULAR = cc((SCT, "12130007", "Intra-articular route"))
INTRAMUSCULAR = cc((SCT, "78421000", "Intramuscular route"))
INTRAVENOUS = cc((SCT, "47625008", "Intravenous route"))
ORAL = cc((SCT, "26643006", "Oral route"))
XRAY = service("xr-1", cc((LOINC, "37637-6", "XR Ankle 2 Views"), text="X-ray left ankle"))
PHYSIO_REFERRAL = service("pt-ref", cc((SCT, "308447003", "Referral to physiotherapist")), status="active", authored="2026-11-05")

# ---------------------------------------------------------------- requests


def bmi(oid, value, date, status="final"):
    return {"resourceType": "Observation", "id": oid, "status": status,
            "code": cc((LOINC, "39156-5", "Body mass index (BMI) [Ratio]")), "subject": {"reference": f"Patient/{PATIENT}"},
            "effectiveDateTime": date, "valueQuantity": {"value": value, "unit": "kg/m2", "system": "http://unitsofmeasure.org", "code": "kg/m2"}}


def request(hook, conditions=(), service_requests=(), procedures=(), drafts=(), selections=None, medications=(),
            observations=(), birth_date="1975-06-15", omit=()):
    context = {"userId": "Practitioner/prac-1", "patientId": PATIENT, "encounterId": "enc-1"}
    if hook != "patient-view":
        if selections is not None:
            context["selections"] = list(selections)
        context["draftOrders"] = {"resourceType": "Bundle", "type": "collection",
                                  "entry": [{"resource": r} for r in drafts]}

    def bundle(resources):
        return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]} if resources else None

    body = {
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "hook": hook,
        "context": context,
        "prefetch": {
            "patient": patient(birth_date),
            "conditions": bundle(conditions),
            "medications": bundle(medications),
            "serviceRequests": bundle(service_requests),
            "procedures": bundle(procedures),
            "bmi": bundle(observations),
        },
    }
    for key in omit:  # an EHR that did not (or could not) fetch this key, as the sandbox drops a refused one
        del body["prefetch"][key]
    return body


def patient(birth_date):
    p = {"resourceType": "Patient", "id": PATIENT, "gender": "female"}
    if birth_date:
        p["birthDate"] = birth_date
    return p


SERVICES = {"patient-view": "achilles-patient-view", "order-select": "achilles-order-select", "order-sign": "achilles-order-sign"}


def rec(suggestion):
    """A suggestion the card marks isRecommended."""
    return suggestion + " (recommended)"


def steroid(indicator, *orders, referral=True):
    """The steroid-injection card: one delete per order, then the physiotherapy referral unless one exists."""
    suggestions = [rec(f"delete {o}") for o in orders]
    if referral:
        suggestions.append(rec(f"create ServiceRequest {SCT}|308447003"))
    return {"rule": "steroid-injection", "indicator": indicator, "suggestions": suggestions}


PHYSIO = f"create ServiceRequest {SCT}|308447003"
REHAB = {"rule": "eccentric-rehab", "indicator": "info", "suggestions": [rec(PHYSIO)]}
ORTHO = f"create ServiceRequest {SCT}|183545006"
RUPTURE_REFERRAL = {"rule": "rupture-referral", "indicator": "warning", "suggestions": [rec(ORTHO)]}
ACUTE = {"rule": "acute-injury", "indicator": "warning", "suggestions": [rec(ORTHO)]}
IMAGING = {"rule": "imaging", "indicator": "info", "suggestions": [rec(f"create ServiceRequest {CPT}|76882")]}
WEIGHT = {"rule": "weight", "indicator": "info", "suggestions": []}


def fq(indicator, *orders):
    return {"rule": "fluoroquinolone", "indicator": indicator, "suggestions": [rec(f"delete {o}") for o in orders]}


def immobilisation(*orders, physio=True):
    s = [rec(f"delete {o}") for o in orders] + [rec(f"create ServiceRequest {HCPCS}|L3334")]
    if physio:
        s.append(rec(PHYSIO))
    return {"rule": "immobilisation", "indicator": "warning", "suggestions": s}


def escalation(surgical=False):
    """Before the surgical threshold the referral is offered; from it, recommended."""
    return {"rule": "escalation", "indicator": "info", "suggestions": [rec(ORTHO) if surgical else ORTHO]}

CASES = []


def case(name, reason, hook, expected, **kw):
    CASES.append((name, reason, hook, request(hook, **kw), expected))


# ------------------------------------------------ steroid-injection: fires

case("steroid-coded-kenalog-peritendinous-achilles", "Kenalog with a peritendinous route at the Achilles tendon: rupture risk",
     "order-select", [steroid("critical", "MedicationRequest/inj-1")], conditions=[tendinopathy()],
     drafts=[med("inj-1", KENALOG, route=PERITENDINOUS, site=ACHILLES_SITE)], selections=["MedicationRequest/inj-1"])
case("steroid-text-only-order-at-the-achilles", "A text-only order names triamcinolone and the left Achilles tendon",
     "order-sign", [steroid("critical", "MedicationRequest/inj-1")], conditions=[tendinopathy()],
     drafts=[med("inj-1", cc(text="Triamcinolone acetonide 40 mg injection"), dosage_text="Inject 40 mg into the left Achilles tendon once")])
case("steroid-depo-medrol-ankle-site-text", "Depo-Medrol at 'Right ankle': the ankle is not the Achilles, so the site-not-stated warning (tendinopathy on record)",
     "order-sign", [steroid("warning", "MedicationRequest/inj-1")], conditions=[tendinopathy()],
     drafts=[med("inj-1", DEPO_MEDROL, site=cc(text="Right ankle"))])
case("quiet-kenalog-ankle-region-code-no-diagnosis", "Kenalog coded at the ankle region with no Achilles disorder on record: the ankle is not the Achilles",
     "order-sign", [],
     drafts=[med("inj-1", cc((RX, "1085728", "triamcinolone acetonide 40 MG/ML Injectable Suspension [Kenalog]")), site=ANKLE_SITE)])
case("steroid-achilles-site-without-diagnosis", "An injection at the Achilles is critical even before a diagnosis is recorded",
     "order-sign", [steroid("critical", "MedicationRequest/inj-1")], drafts=[med("inj-1", TRIAMCINOLONE, route=INTRALESIONAL, site=ACHILLES_SITE)])
case("steroid-retrocalcaneal-bursa-celestone", "Celestone into the retrocalcaneal bursa sits against the Achilles tendon",
     "order-sign", [steroid("critical", "MedicationRequest/inj-1")], conditions=[tendinopathy()],
     drafts=[med("inj-1", cc(text="Celestone Soluspan 6 mg/mL"), route=cc((SCT, "372459003", "Intrabursal route")),
                 dosage_text="Inject into the left retrocalcaneal bursa")])
case("steroid-hcpcs-j3301-achilles", "HCPCS J3301 triamcinolone at the Achilles tendon",
     "order-sign", [steroid("critical", "MedicationRequest/inj-1")], conditions=[tendinopathy()],
     drafts=[med("inj-1", cc((HCPCS, "J3301", "Triamcinolone acetonide, per 10 mg")), site=ACHILLES_SITE)])
case("steroid-unstated-site-with-tendinopathy", "A local steroid injection with no site in a patient with Achilles tendinopathy",
     "order-sign", [steroid("warning", "MedicationRequest/inj-1")], conditions=[tendinopathy()],
     drafts=[med("inj-1", DEPO_MEDROL, route=INTRALESIONAL)])
case("steroid-cpt-20551-at-the-achilles", "CPT 20551 tendon insertion injection with the Achilles as body site",
     "order-sign", [steroid("critical", "ServiceRequest/proc-1")], conditions=[tendinopathy()],
     drafts=[service("proc-1", cc((CPT, "20551", "Injection single tendon origin/insertion")), body_site=ACHILLES_SITE)])
case("steroid-cpt-20550-unstated-with-tendinopathy", "CPT 20550 tendon sheath injection, site not stated, tendinopathy on record",
     "order-sign", [steroid("warning", "ServiceRequest/proc-1")], conditions=[tendinopathy()],
     drafts=[service("proc-1", cc((CPT, "20550", "Injection single tendon sheath/ligament/aponeurosis")))])
case("steroid-two-orders-one-card", "Two injection orders: one card naming both, a delete for each, the worst indicator",
     "order-sign", [steroid("critical", "MedicationRequest/inj-1", "MedicationRequest/inj-2")], conditions=[tendinopathy()],
     drafts=[med("inj-1", DEPO_MEDROL, route=INTRALESIONAL), med("inj-2", KENALOG, site=ACHILLES_SITE)])
case("steroid-only-the-selection-is-judged", "order-select judges the selected injection, not the X-ray drafted alongside",
     "order-select", [steroid("critical", "MedicationRequest/inj-1")], conditions=[tendinopathy()],
     drafts=[XRAY, med("inj-1", KENALOG, route=PERITENDINOUS, site=ACHILLES_SITE)], selections=["MedicationRequest/inj-1"])
case("steroid-physio-on-record-no-referral-suggestion", "Physiotherapy already referred: only the delete is offered",
     "order-sign", [steroid("critical", "MedicationRequest/inj-1", referral=False)], conditions=[tendinopathy()],
     service_requests=[PHYSIO_REFERRAL], drafts=[med("inj-1", KENALOG, site=ACHILLES_SITE)])
case("steroid-rupture-at-the-achilles", "A steroid injection at a ruptured Achilles is still warned against (no loading referral for a rupture)",
     "order-sign", [steroid("critical", "MedicationRequest/inj-1", referral=False)],
     conditions=[condition("rup-1", cc((SCT, "429513001", "Rupture of Achilles tendon")))],
     drafts=[med("inj-1", KENALOG, site=ACHILLES_SITE)])

case("steroid-unstated-site-with-rupture", "A local injection with no site in a patient with a ruptured Achilles",
     "order-sign", [steroid("warning", "MedicationRequest/inj-1", referral=False)],
     conditions=[condition("rup-1", cc((SCT, "429513001", "Rupture of Achilles tendon")))],
     drafts=[med("inj-1", DEPO_MEDROL, route=INTRALESIONAL)])

# ------------------------------------------------ steroid-injection: stays quiet

case("quiet-knee-injection", "Kenalog into the knee is clearly elsewhere; physiotherapy is under way",
     "order-sign", [], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("inj-1", KENALOG, route=INTRA_ARTICULAR, site=cc(text="Left knee joint"))])
case("quiet-shoulder-injection", "A subacromial shoulder injection is clearly elsewhere",
     "order-sign", [], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("inj-1", DEPO_MEDROL, site=cc(text="Right shoulder, subacromial space"))])
case("quiet-epidural-steroid", "A lumbar epidural steroid injection is not near the Achilles",
     "order-sign", [], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("inj-1", cc(text="Methylprednisolone acetate 80 mg"), route=cc(text="Epidural"),
                 dosage_text="L4-L5 interlaminar epidural injection")])
case("quiet-oral-prednisone", "Oral prednisone is not an injection",
     "order-sign", [], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("rx-1", PREDNISONE, route=ORAL, dosage_text="5 mg by mouth daily for 5 days")])
case("quiet-oral-prednisone-for-achilles-pain", "Oral prednisone mentioning the Achilles is still not an injection there",
     "order-sign", [], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("rx-1", PREDNISONE, dosage_text="5 mg by mouth daily for Achilles pain")])
case("quiet-oral-dexamethasone-tablet", "Dexamethasone tablets are oral",
     "order-sign", [], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL], drafts=[med("rx-1", DEXAMETHASONE_TABLET)])
case("quiet-topical-hydrocortisone-ankle", "Hydrocortisone cream on the ankle is topical",
     "order-sign", [], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("rx-1", cc(text="Hydrocortisone 1% cream"), site=cc(text="left ankle"))])
case("quiet-intramuscular-kenalog", "Intramuscular Kenalog without a site is systemic, not a tendon injection",
     "order-sign", [], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL], drafts=[med("inj-1", KENALOG, route=INTRAMUSCULAR)])
case("quiet-intravenous-solu-medrol", "IV Solu-Medrol is systemic",
     "order-sign", [], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("inj-1", cc(text="Solu-Medrol 125 mg"), route=INTRAVENOUS)])
case("quiet-unstated-site-no-tendinopathy", "An injection with no site and no Achilles diagnosis: the rule would only guess",
     "order-sign", [], drafts=[med("inj-1", DEPO_MEDROL, route=INTRALESIONAL)])
case("quiet-unstated-site-resolved-tendinopathy", "Resolved tendinopathy does not make an unstated site suspicious",
     "order-sign", [], conditions=[tendinopathy(clinical="resolved")], drafts=[med("inj-1", DEPO_MEDROL, route=INTRALESIONAL)])
case("quiet-unstated-site-refuted-tendinopathy", "A refuted diagnosis counts for nothing",
     "order-sign", [], conditions=[tendinopathy(verification="refuted")], drafts=[med("inj-1", DEPO_MEDROL, route=INTRALESIONAL)])
case("quiet-unstated-site-entered-in-error", "An entered-in-error diagnosis counts for nothing",
     "order-sign", [], conditions=[tendinopathy(verification="entered-in-error")], drafts=[med("inj-1", DEPO_MEDROL, route=INTRALESIONAL)])
case("quiet-prp-injection-achilles", "Platelet-rich plasma at the Achilles is not a corticosteroid",
     "order-sign", [], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[service("prp-1", cc((CPT, "0232T", "Platelet-rich plasma injection"), text="PRP injection left Achilles tendon"))])
case("quiet-unselected-injection", "order-select judges only the selection (the X-ray), not the injection drafted earlier",
     "order-select", [], drafts=[XRAY, med("inj-1", KENALOG, site=ACHILLES_SITE)], selections=["ServiceRequest/xr-1"])
case("quiet-cancelled-draft", "A cancelled draft order is no longer being signed",
     "order-sign", [], drafts=[med("inj-1", KENALOG, site=ACHILLES_SITE, status="cancelled")])
case("quiet-lower-leg-site-no-diagnosis", "'Lower limb from knee to ankle' does not place the needle at the tendon",
     "order-sign", [], drafts=[med("inj-1", KENALOG, site=cc((SCT, "30021000", "Structure of lower limb from knee to ankle")))])

# ------------------------------------------------ eccentric-rehab: fires

case("acute-strain-s86-011a-rule-out-rupture", "S86.011A (strain of the right Achilles, initial encounter) may be a rupture: Thompson test and urgent referral, no loading prompt",
     "patient-view", [ACUTE], conditions=[condition("ach-1", cc((ICD, "S86.011A", "Strain of right Achilles tendon, initial encounter")))])
case("rehab-snomed-code", "SNOMED CT 11654001 Achilles tendinitis", "patient-view", [REHAB],
     conditions=[condition("ach-1", cc((SCT, "11654001", "Achilles tendinitis")))])
case("rehab-text-only-tendinosis", "No code, only the words: Achilles tendinosis", "patient-view", [REHAB],
     conditions=[condition("ach-1", cc(text="Achilles tendinosis, left"))])
case("rehab-partial-tear-text", "A partial tear is tendinopathy, not rupture", "patient-view", [REHAB],
     conditions=[condition("ach-1", cc(text="Partial tear of the right Achilles tendon"))])
case("rehab-bilateral-one-card", "Both tendons affected: one card citing both conditions", "patient-view", [REHAB],
     conditions=[condition("ach-r", cc((ICD, "M76.61", "Achilles tendinitis, right leg"))), tendinopathy("ach-l")])
case("rehab-referral-before-onset-does-not-count", "A referral from an earlier episode predates this onset",
     "patient-view", [REHAB], conditions=[tendinopathy(onset="2026-09-01")],
     service_requests=[service("old-pt", cc((SCT, "308447003", "Referral to physiotherapist")), status="completed", authored="2024-02-01")])
case("rehab-recurrence", "A recurrence is active", "patient-view", [REHAB], conditions=[tendinopathy(clinical="recurrence")])
case("quiet-rehab-not-on-order-sign-by-default", "An unrelated order is being signed: the loading prompt belongs to the chart (alert fatigue)",
     "order-sign", [], conditions=[tendinopathy()], drafts=[XRAY])
case("rehab-yields-to-the-steroid-card", "The steroid card already offers the referral: one physiotherapy suggestion per response",
     "order-sign", [steroid("critical", "MedicationRequest/inj-1")], conditions=[tendinopathy()],
     drafts=[XRAY, med("inj-1", KENALOG, site=ACHILLES_SITE)])
case("quiet-knee-injection-no-rehab-on-order-screen", "A knee injection is not a steroid card, and the loading prompt is not shown on order screens",
     "order-sign", [], conditions=[tendinopathy()], drafts=[med("inj-1", KENALOG, site=cc(text="Left knee"))])

# ------------------------------------------------ eccentric-rehab: stays quiet

case("rupture-no-rehab-prompt-but-a-referral", "A complete rupture follows the surgical pathway: an orthopaedic referral, not eccentric loading",
     "patient-view", [RUPTURE_REFERRAL], conditions=[condition("rup-1", cc((SCT, "429513001", "Rupture of Achilles tendon")))])
case("quiet-referral-already-placed", "A physiotherapy referral since onset is on record", "patient-view", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL])
case("quiet-exercise-therapy-done", "Therapeutic exercise (CPT 97110) was performed since onset", "patient-view", [],
     conditions=[tendinopathy()], procedures=[procedure("ex-1", cc((CPT, "97110", "Therapeutic exercise")))])
case("quiet-resolved-tendinopathy", "Resolved: nothing to prompt", "patient-view", [], conditions=[tendinopathy(clinical="resolved")])
case("quiet-refuted-tendinopathy", "Refuted: nothing to prompt", "patient-view", [], conditions=[tendinopathy(verification="refuted")])
case("quiet-entered-in-error-tendinopathy", "Entered in error: nothing to prompt", "patient-view", [],
     conditions=[tendinopathy(verification="entered-in-error")])
case("quiet-no-conditions", "Nothing on the problem list", "patient-view", [])
case("quiet-patellar-tendinopathy", "Patellar tendinopathy is not Achilles", "patient-view", [],
     conditions=[condition("pat-t", cc(text="Patellar tendinopathy, right knee"))])
case("quiet-drafted-physio-referral", "The clinician is ordering the physiotherapy referral right now", "order-sign", [],
     conditions=[tendinopathy()], drafts=[service("pt-new", cc(text="Physiotherapy referral: eccentric loading programme"))])
case("quiet-peroneal-tendinitis-mislabelled-code", "M76.72 is peroneal tendinitis (codes.md: do not use)", "patient-view", [],
     conditions=[condition("per-1", cc((ICD, "M76.72", "Peroneal tendinitis, left leg")))])


# ------------------------------------------------ fluoroquinolone

CIPRO = cc((RX, "309309", "ciprofloxacin 500 MG Oral Tablet"))
LEVO_TEXT = cc(text="Levofloxacin 750 mg tablet, once daily for 7 days")
CIPRO_EYE = cc((RX, "2551", "ciprofloxacin"), text="Ciprofloxacin 0.3% ophthalmic solution")
OFLOX_EAR = cc(text="Ofloxacin 0.3% otic solution")
PRED_ACTIVE = med("pred-1", PREDNISONE, route=ORAL, status="active")
TRANSPLANT = condition("tx-1", cc((ICD, "Z94.0", "Kidney transplant status")), onset="2019-03-01")
RUPTURE = condition("rup-1", cc((SCT, "429513001", "Rupture of Achilles tendon")))

case("fq-cipro-with-tendinopathy", "Ciprofloxacin for a patient with Achilles tendinitis: tendon rupture risk (FDA boxed warning)",
     "order-sign", [fq("warning", "MedicationRequest/fq-1")], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("fq-1", CIPRO, route=ORAL)])
case("fq-levofloxacin-text-only", "A text-only levofloxacin order is recognised by name", "order-sign",
     [fq("warning", "MedicationRequest/fq-1")], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("fq-1", LEVO_TEXT)])
case("fq-age-61-is-over-60", "Born 1965-11-27: 61 today, over 60 — critical", "order-sign",
     [fq("critical", "MedicationRequest/fq-1")], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("fq-1", CIPRO)], birth_date="1965-11-27")
case("fq-age-60-is-not-over-60", "Born 1965-11-29: still 60 today — a warning, not critical", "order-sign",
     [fq("warning", "MedicationRequest/fq-1")], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("fq-1", CIPRO)], birth_date="1965-11-29")
case("fq-birth-year-only", "Birth year 1965 only: read as late as it allows (60), never over-stating the age", "order-sign",
     [fq("warning", "MedicationRequest/fq-1")], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("fq-1", CIPRO)], birth_date="1965")
case("fq-missing-birth-date", "No birth date: age is not a risk factor, the warning stands", "order-sign",
     [fq("warning", "MedicationRequest/fq-1")], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("fq-1", CIPRO)], birth_date=None)
case("fq-with-prednisone-on-record", "Already on oral prednisone: corticosteroid plus fluoroquinolone — critical", "order-sign",
     [fq("critical", "MedicationRequest/fq-1")], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     medications=[PRED_ACTIVE], drafts=[med("fq-1", CIPRO)])
case("fq-with-prednisone-drafted-alongside", "Prednisone is being ordered in the same session: critical", "order-select",
     [fq("critical", "MedicationRequest/fq-1")], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("pred-2", PREDNISONE, route=ORAL), med("fq-1", CIPRO)], selections=["MedicationRequest/fq-1"])
case("fq-kidney-transplant", "A kidney transplant recipient: critical", "order-sign", [fq("critical", "MedicationRequest/fq-1")],
     conditions=[tendinopathy(), TRANSPLANT], service_requests=[PHYSIO_REFERRAL], drafts=[med("fq-1", CIPRO)])
case("fq-steroid-and-over-60-critical", "Over 60 and on a systemic corticosteroid: critical", "order-sign",
     [fq("critical", "MedicationRequest/fq-1")], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     medications=[PRED_ACTIVE], drafts=[med("fq-1", CIPRO)], birth_date="1950-01-01")
case("fq-with-rupture", "A ruptured Achilles still gets the fluoroquinolone warning", "order-sign",
     [fq("warning", "MedicationRequest/fq-1")], conditions=[RUPTURE], drafts=[med("fq-1", CIPRO)])
case("fq-patient-view-active-prescription", "Opening the chart: an active ciprofloxacin for a patient with tendinopathy",
     "patient-view", [fq("warning")], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     medications=[med("fq-active", CIPRO, route=ORAL, status="active")])
case("fq-two-orders-one-card", "Two fluoroquinolone orders: one card, a delete for each", "order-sign",
     [fq("warning", "MedicationRequest/fq-1", "MedicationRequest/fq-2")], conditions=[tendinopathy()],
     service_requests=[PHYSIO_REFERRAL], drafts=[med("fq-1", CIPRO), med("fq-2", LEVO_TEXT)])
case("quiet-fq-eye-drops", "Ciprofloxacin eye drops are not covered by the warning", "order-sign", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL], drafts=[med("fq-1", CIPRO_EYE, dosage_text="1 drop in each eye 4 times a day")])
case("quiet-fq-ear-drops", "Ofloxacin otic drops are not covered by the warning", "order-sign", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL], drafts=[med("fq-1", OFLOX_EAR)])
case("quiet-fq-no-tendon-disease", "A fluoroquinolone for a patient without Achilles tendinopathy or rupture", "order-sign", [],
     drafts=[med("fq-1", CIPRO)], birth_date="1940-01-01")
case("quiet-fq-refuted-tendinopathy", "The tendinopathy was refuted", "order-sign", [],
     conditions=[tendinopathy(verification="refuted")], drafts=[med("fq-1", CIPRO)])
case("quiet-fq-stopped-prescription", "A stopped ciprofloxacin on record is not an active one", "patient-view", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL], medications=[med("fq-old", CIPRO, status="stopped")])
case("quiet-fq-not-selected", "order-select judges the X-ray the clinician selected, not the antibiotic drafted earlier",
     "order-select", [], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("fq-1", CIPRO), XRAY], selections=["ServiceRequest/xr-1"])

# ------------------------------------------------ immobilisation

BOOT = {"resourceType": "DeviceRequest", "id": "boot-1", "status": "draft", "intent": "order",
        "codeCodeableConcept": cc((HCPCS, "L4361", "Walking boot, pneumatic")), "subject": {"reference": f"Patient/{PATIENT}"}}
CAST = service("cast-1", cc((CPT, "29405", "Short leg cast")))

case("immobilisation-walking-boot", "A walking boot for tendinopathy: atrophy and deconditioning", "order-sign",
     [immobilisation("DeviceRequest/boot-1")], conditions=[tendinopathy()], drafts=[BOOT])
case("immobilisation-short-leg-cast", "A short leg cast (CPT 29405) for tendinopathy", "order-select",
     [immobilisation("ServiceRequest/cast-1")], conditions=[tendinopathy()], drafts=[CAST], selections=["ServiceRequest/cast-1"])
case("immobilisation-text-only-cam-walker", "A text-only 'CAM walker boot' order", "order-sign",
     [immobilisation("ServiceRequest/cam-1")], conditions=[tendinopathy()],
     drafts=[service("cam-1", cc(text="CAM walker boot, left, 4 weeks"))])
case("immobilisation-physio-already-under-way", "Physiotherapy under way: the heel lift, no second referral", "order-sign",
     [immobilisation("DeviceRequest/boot-1", physio=False)], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[BOOT])
case("quiet-boot-for-rupture", "A boot for a ruptured tendon is the rupture pathway", "order-sign", [],
     conditions=[RUPTURE], drafts=[BOOT])
case("quiet-boot-without-tendinopathy", "A boot for an ankle sprain, no Achilles diagnosis", "order-sign", [], drafts=[BOOT])

# ------------------------------------------------ rupture pathway

ORTHO_REFERRAL = service("ortho-1", cc((SCT, "183545006", "Referral to orthopedic service")), status="active", authored="2026-11-02")

case("rupture-text-only", "'Ruptured left Achilles tendon' in words only", "patient-view", [RUPTURE_REFERRAL],
     conditions=[condition("rup-1", cc(text="Ruptured left Achilles tendon"))])
case("rupture-laceration-icd10cm", "S86.022A laceration of the left Achilles tendon is a rupture", "patient-view",
     [RUPTURE_REFERRAL], conditions=[condition("rup-1", cc((ICD, "S86.022A", "Laceration of left Achilles tendon, initial encounter")))])
case("quiet-rupture-already-referred", "An orthopaedic referral since the rupture is on record", "patient-view", [],
     conditions=[RUPTURE], service_requests=[ORTHO_REFERRAL])
case("quiet-rupture-repaired", "The tendon was repaired (CPT 27650)", "patient-view", [],
     conditions=[RUPTURE], procedures=[procedure("rep-1", cc((CPT, "27650", "Primary repair of ruptured Achilles tendon")))])

# ------------------------------------------------ escalation

def tendinopathy_since(onset, cid="ach-1", **kw):
    return condition(cid, cc((ICD, "M76.62", "Achilles tendinitis, left leg")), onset=onset, **kw)


def physio_since(date):
    return service("pt-ref", cc((SCT, "308447003", "Referral to physiotherapist")), status="active", authored=date)


case("escalation-seven-weeks-not-yet", "55 days of physiotherapy: under the 8-week threshold", "patient-view", [],
     conditions=[tendinopathy_since("2026-09-01")], service_requests=[physio_since("2026-10-04")])
case("escalation-eight-weeks", "56 days of physiotherapy and still active: review progress; the referral is offered",
     "patient-view", [escalation()], conditions=[tendinopathy_since("2026-09-01")], service_requests=[physio_since("2026-10-03")])
case("escalation-eleven-weeks", "83 days of physiotherapy: still short of the surgical-referral threshold", "patient-view",
     [escalation()], conditions=[tendinopathy_since("2026-08-20")], service_requests=[physio_since("2026-09-06")])
case("escalation-twelve-weeks-surgical", "84 days of physiotherapy and still active: consider an orthopaedic opinion",
     "patient-view", [escalation(surgical=True)], conditions=[tendinopathy_since("2026-08-20")],
     service_requests=[physio_since("2026-09-05")])
case("quiet-escalation-fourteen-weeks-physio-last-week", "A 14-week-old tendinopathy referred to physiotherapy last week: one week of care, not a failure",
     "patient-view", [], conditions=[tendinopathy_since("2026-08-20")], service_requests=[physio_since("2026-11-21")])
case("escalation-without-conservative-care", "Ten weeks but no physiotherapy ever: eccentric loading comes first", "patient-view",
     [REHAB], conditions=[tendinopathy_since("2026-09-19")])
case("quiet-escalation-already-referred", "Sixteen weeks, already referred to orthopaedics", "patient-view", [],
     conditions=[tendinopathy_since("2026-08-08")], service_requests=[physio_since("2026-08-10"), ORTHO_REFERRAL])
case("quiet-escalation-missing-onset", "No onset and no recorded date: the weeks of care cannot be counted", "patient-view", [],
     conditions=[tendinopathy_since(None)], service_requests=[physio_since("2026-06-01")])
case("escalation-bilateral-longest-standing", "Both tendons: the left began 9 weeks ago, the right 3", "patient-view",
     [escalation()], conditions=[tendinopathy_since("2026-09-26", cid="ach-l"),
                                 condition("ach-r", cc((ICD, "M76.61", "Achilles tendinitis, right leg")), onset="2026-11-07")],
     service_requests=[physio_since("2026-09-28")])
case("escalation-partial-onset-month", "Onset 'September 2026': at least 59 days ago", "patient-view", [escalation()],
     conditions=[tendinopathy_since("2026-09")], service_requests=[physio_since("2026-09-30")])
case("quiet-escalation-partial-onset-recent-month", "Onset 'October 2026' could be 28 days ago: not claimed as 8 weeks",
     "patient-view", [], conditions=[tendinopathy_since("2026-10")], service_requests=[physio_since("2026-10-31")])

# ------------------------------------------------ imaging

US_DONE = service("us-1", cc((CPT, "76882", "Ultrasound extremity, limited")), status="completed", authored="2026-11-03")

case("imaging-provisional-diagnosis", "A provisional diagnosis, no imaging, no physiotherapy: confirm it, and start rehab",
     "patient-view", [IMAGING, REHAB], conditions=[tendinopathy(verification="provisional")])
case("imaging-differential-with-physio", "A differential diagnosis under physiotherapy: confirm it with ultrasound",
     "patient-view", [IMAGING], conditions=[tendinopathy(verification="differential")], service_requests=[PHYSIO_REFERRAL])
case("quiet-imaging-ultrasound-done", "An ultrasound of the extremity is on record", "patient-view", [],
     conditions=[tendinopathy(verification="provisional")], service_requests=[PHYSIO_REFERRAL, US_DONE])
case("quiet-imaging-mri-by-name", "'MRI left ankle' on record, in words", "patient-view", [],
     conditions=[tendinopathy(verification="unconfirmed")],
     service_requests=[PHYSIO_REFERRAL, service("mri-1", cc(text="MRI left ankle without contrast"), status="completed")])
case("quiet-imaging-confirmed", "A confirmed diagnosis needs no imaging prompt", "patient-view", [],
     conditions=[tendinopathy(verification="confirmed")], service_requests=[PHYSIO_REFERRAL])

# ------------------------------------------------ weight

case("weight-bmi-30", "Latest BMI exactly 30: weight loss reduces tendon load", "patient-view", [WEIGHT],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL], observations=[bmi("bmi-1", 30.0, "2026-10-15")])
case("quiet-weight-bmi-29-9", "Latest BMI 29.9: under the threshold", "patient-view", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL], observations=[bmi("bmi-1", 29.9, "2026-10-15")])
case("quiet-weight-bmi-too-old", "BMI 34 measured 366 days ago: too old to count", "patient-view", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL], observations=[bmi("bmi-1", 34, "2025-11-27")])
case("quiet-weight-latest-below", "BMI 33 last year, 28 now: only the latest counts", "patient-view", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     observations=[bmi("bmi-old", 33, "2026-02-01"), bmi("bmi-new", 28, "2026-11-01")])
case("weight-and-rehab-together", "BMI 31 and no physiotherapy yet: both prompts", "patient-view", [REHAB, WEIGHT],
     conditions=[tendinopathy()], observations=[bmi("bmi-1", 31, "2026-09-01")])
case("quiet-weight-preliminary-bmi", "A preliminary BMI is not a result", "patient-view", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL], observations=[bmi("bmi-1", 38, "2026-11-01", status="preliminary")])

# ------------------------------------------------ more exclusions

case("quiet-iv-dexamethasone", "IV dexamethasone is systemic, not an injection at the tendon", "order-sign", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("dex-1", cc((RX, "1812073", "dexamethasone Injection")), route=INTRAVENOUS)])
case("quiet-hip-intra-articular-triamcinolone", "An intra-articular hip injection is clearly elsewhere", "order-sign", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("inj-1", TRIAMCINOLONE, route=INTRA_ARTICULAR, site=cc(text="Right hip joint"))])
case("quiet-wrist-de-quervain-injection", "A de Quervain's injection at the wrist is clearly elsewhere", "order-sign", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[service("inj-1", cc((CPT, "20550", "Injection single tendon sheath/ligament/aponeurosis")), body_site=cc(text="Left wrist, first dorsal compartment"))])
case("quiet-fq-otic-route-text", "Ciprofloxacin with the route written as 'otic'", "order-sign", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL], drafts=[med("fq-1", cc((RX, "2551", "ciprofloxacin")), route=cc(text="Otic"))])
case("fq-resolved-tendinopathy-over-60-is-a-warning", "A tendinopathy resolved years ago: the label says avoid with a history of tendon disorders — a warning, not critical",
     "order-sign", [fq("warning", "MedicationRequest/fq-1")],
     conditions=[tendinopathy(clinical="resolved", onset="2019-05-01")], drafts=[med("fq-1", CIPRO)], birth_date="1950-01-01")
case("quiet-boot-resolved-tendinopathy", "A boot after the tendinopathy resolved", "order-sign", [],
     conditions=[tendinopathy(clinical="resolved")], drafts=[BOOT])
case("quiet-missing-clinical-status", "A tendinopathy without clinicalStatus does not count: the rules would only guess",
     "patient-view", [], conditions=[tendinopathy(clinical=None)])
case("quiet-weight-undated-bmi", "A BMI without a date cannot be placed in time", "patient-view", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     observations=[{k: v for k, v in bmi("bmi-1", 36, "2026-11-01").items() if k != "effectiveDateTime"}])
case("quiet-rupture-with-provisional-tendinopathy-referred", "A referred rupture: no imaging or rehab prompt on top",
     "patient-view", [], conditions=[RUPTURE, tendinopathy(verification="provisional")], service_requests=[ORTHO_REFERRAL])
case("quiet-fq-with-transplant-but-no-tendon-disease", "A transplant recipient on ciprofloxacin but no Achilles disease",
     "order-sign", [], conditions=[TRANSPLANT], drafts=[med("fq-1", CIPRO)])
case("quiet-intralesional-kenalog-keloid", "Intralesional Kenalog into a keloid scar is not a tendon injection", "order-sign", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("inj-1", KENALOG, route=INTRALESIONAL, dosage_text="Inject into keloid scar, left shoulder")])
case("imaging-unconfirmed-text-only", "'Suspected Achilles tendinosis', unconfirmed, in words only", "patient-view", [IMAGING],
     conditions=[condition("ach-1", cc(text="Suspected Achilles tendinosis"), verification="unconfirmed")],
     service_requests=[PHYSIO_REFERRAL])



# ------------------------------------------------ acute injury: rupture not excluded (codes.md, clinical safety review)

def acute(cid="inj-1", code="S86.012A", display="Strain of left Achilles tendon, initial encounter", **kw):
    return condition(cid, cc((ICD, code, display)), onset=kw.pop("onset", "2026-11-26"), **kw)


case("quiet-boot-for-an-acute-strain-s86-011a", "An ED-coded S86.011A with a walking boot: rupture is not excluded, so no advice against the boot",
     "order-sign", [], conditions=[acute(code="S86.011A", display="Strain of right Achilles tendon, initial encounter")],
     drafts=[BOOT])
case("acute-strain-left-patient-view", "S86.012A two days ago: examine for rupture (Thompson test), refer urgently", "patient-view",
     [ACUTE], conditions=[acute()])
case("acute-unspecified-injury-text-only", "'Achilles tendon injury' in words, three days ago: rupture not excluded", "patient-view",
     [ACUTE], conditions=[condition("inj-1", cc(text="Left Achilles tendon injury"), onset="2026-11-25")])
case("quiet-acute-subsequent-encounter", "S86.012D: a subsequent encounter, assessed already — no card, and no loading prompt", "patient-view",
     [], conditions=[acute(code="S86.012D", display="Strain of left Achilles tendon, subsequent encounter", onset="2026-10-01")])
case("quiet-acute-injury-already-referred", "An acute injury with an orthopaedic referral on record since", "patient-view", [],
     conditions=[acute()], service_requests=[service("ortho-1", cc((SCT, "183545006", "Referral to orthopedic service")), status="active", authored="2026-11-26")])
case("quiet-acute-sequela-no-prompt", "S86.012S: a sequela of an old injury is not an acute injury", "patient-view", [],
     conditions=[acute(code="S86.012S", display="Strain of left Achilles tendon, sequela", onset="2024-03-01")])
case("fq-acute-sequela-is-a-past-tendon-disorder", "Ciprofloxacin after an old Achilles strain (sequela): a past tendon disorder, a warning",
     "order-sign", [fq("warning", "MedicationRequest/fq-1")],
     conditions=[acute(code="S86.012S", display="Strain of left Achilles tendon, sequela", onset="2024-03-01")], drafts=[med("fq-1", CIPRO)])
case("acute-injury-no-loading-prompt-for-the-other-tendinopathy", "A fresh right strain beside a left tendinopathy: no loading prompt while a rupture is possible",
     "patient-view", [ACUTE], conditions=[acute(code="S86.011A", display="Strain of right Achilles tendon, initial encounter"), tendinopathy()])
case("steroid-at-an-acutely-injured-achilles", "Kenalog at an acutely injured Achilles: critical, and no loading referral",
     "order-sign", [steroid("critical", "MedicationRequest/inj-1", referral=False)], conditions=[acute()],
     drafts=[med("inj-1", KENALOG, site=ACHILLES_SITE)])
case("fq-with-an-acute-injury", "Levofloxacin for a patient with a fresh Achilles strain: the warning applies", "order-sign",
     [fq("warning", "MedicationRequest/fq-1")], conditions=[acute()], drafts=[med("fq-1", LEVO_TEXT)])
case("boot-for-the-other-leg-of-an-acute-injury", "A right strain and a left tendinopathy: a boot for the left leg is still prolonged immobilisation of the tendinopathy",
     "order-sign", [immobilisation("DeviceRequest/boot-l")],
     conditions=[acute(code="S86.011A", display="Strain of right Achilles tendon, initial encounter"), tendinopathy()],
     drafts=[{**BOOT, "id": "boot-l", "codeCodeableConcept": cc((HCPCS, "L4361", "Walking boot, pneumatic"), text="Walking boot, left")}])

# ------------------------------------------------ what counts (FHIR con-3, abatement, dates)

case("rehab-encounter-diagnosis-without-clinical-status", "Today's encounter diagnosis without clinicalStatus is current for this encounter (FHIR con-3)",
     "patient-view", [REHAB], conditions=[tendinopathy(clinical=None, category="encounter-diagnosis", encounter="enc-1")])
case("quiet-encounter-diagnosis-of-another-encounter", "An encounter diagnosis of another encounter, without clinicalStatus: its status is unknown",
     "patient-view", [], conditions=[tendinopathy(clinical=None, category="encounter-diagnosis", encounter="enc-2019")])
case("quiet-problem-list-item-without-clinical-status", "A problem-list item without clinicalStatus does not count (FHIR con-3 requires it)",
     "patient-view", [], conditions=[tendinopathy(clinical=None, category="problem-list-item")])
case("quiet-abated-tendinopathy", "An abatementDateTime in the past ends the condition", "patient-view", [],
     conditions=[tendinopathy(abated="2026-11-01")])
case("rehab-abatement-in-the-future", "An abatement date still to come does not end it", "patient-view", [REHAB],
     conditions=[tendinopathy(abated="2027-01-01")])
case("rehab-year-only-onset-this-year", "Onset '2026' (this year): never 'began -4 weeks ago'", "patient-view", [REHAB],
     conditions=[tendinopathy(onset="2026")])
case("fq-birth-date-in-the-future-is-unknown-age", "birthDate in the future is an implausible date: age unknown, a warning not critical",
     "order-sign", [fq("warning", "MedicationRequest/fq-1")], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("fq-1", CIPRO)], birth_date="2030-01-01")
case("fq-birth-year-0001-is-unknown-age", "birthDate 0001 would be age 2025: implausible, so age unknown and no critical card",
     "order-sign", [fq("warning", "MedicationRequest/fq-1")], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("fq-1", CIPRO)], birth_date="0001-01-01")
case("quiet-another-patients-tendinopathy", "A Condition about another patient in the prefetch must never fire a card", "patient-view", [],
     conditions=[tendinopathy(subject="Patient/someone-else")])

# ------------------------------------------------ codes from the clinical review

case("steroid-hcpcs-j1010-at-the-achilles", "HCPCS J1010 methylprednisolone acetate (replaced J1020/J1030/J1040 in 2024) at the Achilles",
     "order-sign", [steroid("critical", "ServiceRequest/inj-1")], conditions=[tendinopathy()],
     drafts=[service("inj-1", cc((HCPCS, "J1010", "Injection, methylprednisolone acetate, 1 mg")), body_site=ACHILLES_SITE)])
case("steroid-hcpcs-j1030-older-record", "HCPCS J1030 (methylprednisolone acetate 40 mg, used before 2024) with no site, tendinopathy on record",
     "order-sign", [steroid("warning", "MedicationRequest/inj-1")], conditions=[tendinopathy()],
     drafts=[med("inj-1", cc((HCPCS, "J1030", "Injection, methylprednisolone acetate, 40 mg")), route=INTRALESIONAL)])
case("rupture-spontaneous-m66-362", "M66.362 spontaneous rupture of flexor tendons, left lower leg: where a non-traumatic Achilles rupture is coded",
     "patient-view", [RUPTURE_REFERRAL], conditions=[condition("rup-1", cc((ICD, "M66.362", "Spontaneous rupture of flexor tendons, left lower leg")))])
case("rupture-icd9-727-67", "ICD-9-CM 727.67 nontraumatic rupture of the Achilles tendon", "patient-view", [RUPTURE_REFERRAL],
     conditions=[condition("rup-1", cc(("http://hl7.org/fhir/sid/icd-9-cm", "727.67", "Nontraumatic rupture of Achilles tendon")))])
case("rehab-epic-oid-code-systems", "Epic sends ICD-10-CM as urn:oid:2.16.840.1.113883.6.90", "patient-view", [REHAB],
     conditions=[condition("ach-1", cc(("urn:oid:2.16.840.1.113883.6.90", "M76.62", "Achilles tendinitis, left leg")))])
case("steroid-epic-oid-rxnorm-and-snomed-site", "RxNorm and SNOMED CT as OIDs (urn:oid:2.16.840.1.113883.6.88 / .6.96)",
     "order-sign", [steroid("critical", "MedicationRequest/inj-1")], conditions=[tendinopathy()],
     drafts=[med("inj-1", cc(("urn:oid:2.16.840.1.113883.6.88", "10759", "triamcinolone")),
                 site=cc(("urn:oid:2.16.840.1.113883.6.96", "61352006", "Structure of Achilles tendon")))])

# ------------------------------------------------ critical only where it is earned

case("quiet-tibiotalar-joint-injection", "An ankle (tibiotalar) joint injection is a stated other structure, not the Achilles",
     "order-sign", [], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("inj-1", KENALOG, route=INTRA_ARTICULAR, site=cc((SCT, "70258002", "Ankle joint structure"), text="Left ankle joint (tibiotalar)"))])
case("quiet-peroneal-tendon-sheath-injection", "A peroneal tendon-sheath injection is not the Achilles", "order-sign", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[service("inj-1", cc((CPT, "20550", "Injection single tendon sheath/ligament/aponeurosis")), body_site=cc(text="Left peroneal tendon sheath"))])
case("quiet-coded-gluteal-site-beats-dosage-text", "Kenalog IM with a coded gluteal site: the site wins over 'for Achilles pain' in the dosage text",
     "order-sign", [], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("inj-1", KENALOG, route=INTRAMUSCULAR, site=cc((SCT, "102291007", "Muscle of buttock"), text="Left gluteal"),
                 dosage_text="40 mg IM once for Achilles pain")])
case("quiet-dexamethasone-iontophoresis", "Dexamethasone iontophoresis at the Achilles is not an injection (JOSPT 2018)",
     "order-sign", [], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[med("ion-1", cc((RX, "371725", "dexamethasone Injectable Solution")),
                 dosage_text="4 mg/mL via iontophoresis to the left Achilles tendon, 6 sessions")])
case("quiet-iontophoresis-procedure-order", "CPT 97033 iontophoresis with dexamethasone: not an injection", "order-sign", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[service("ion-1", cc((CPT, "97033", "Iontophoresis"), text="Iontophoresis with dexamethasone, left Achilles"))])

# ------------------------------------------------ immobilisation means the Achilles

case("quiet-short-arm-cast-wrist-fracture", "A short-arm cast for a wrist fracture is not immobilisation of the Achilles", "order-sign", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[service("cast-1", cc((CPT, "29075", "Application, cast; elbow to finger (short arm)"), text="Short arm cast, right wrist fracture"))])
case("quiet-leg-cast-other-side-fracture", "A right short-leg cast for an ankle fracture; the tendinopathy is on the left", "order-sign", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[service("cast-1", cc((CPT, "29405", "Short leg cast")), body_site=cc((SCT, "24028007", "Right"), text="Right lower leg"))])
case("quiet-cast-for-a-fracture-reason", "A left short-leg cast whose reason is a fracture (reasonCode)", "order-sign", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[{**service("cast-1", cc((CPT, "29405", "Short leg cast"))), "reasonCode": [cc((ICD, "S82.62XA", "Displaced fracture of lateral malleolus of left fibula"))]}])
case("quiet-ankle-stirrup-brace", "An ankle stirrup brace is not a cast or walking boot", "order-sign", [],
     conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[{**BOOT, "id": "brace-1", "codeCodeableConcept": cc(text="Aircast Air-Stirrup ankle brace, left")}])
case("immobilisation-boot-for-the-tendinopathy", "A left walking boot whose reason is the left Achilles tendinopathy", "order-sign",
     [immobilisation("ServiceRequest/boot-1", physio=False)], conditions=[tendinopathy()], service_requests=[PHYSIO_REFERRAL],
     drafts=[{**service("boot-1", cc((HCPCS, "L4361", "Walking boot, pneumatic"), text="CAM walker boot, left")),
              "reasonReference": [{"reference": "Condition/ach-1"}]}])

# ------------------------------------------------ alert fatigue and imaging of the right site

case("quiet-empty-order-select", "An empty order-select (nothing selected yet) is silent", "order-select", [],
     conditions=[tendinopathy()], drafts=[], selections=[])
case("quiet-lisinopril-refill-order-sign", "A lisinopril refill for a patient with tendinopathy: no card on the order screen", "order-sign", [],
     conditions=[tendinopathy()], drafts=[med("rx-1", cc((RX, "314076", "lisinopril 10 MG Oral Tablet")), route=ORAL)])
case("imaging-shoulder-ultrasound-does-not-count", "An ultrasound of the shoulder (CPT 76882, shoulder body site) is not Achilles imaging",
     "patient-view", [IMAGING], conditions=[tendinopathy(verification="provisional")],
     service_requests=[PHYSIO_REFERRAL, service("us-sh", cc((CPT, "76882", "Ultrasound extremity, limited")), body_site=cc(text="Right shoulder"), status="completed", authored="2026-11-01")])

# ------------------------------------------------ what real EHRs send

case("rehab-sandbox-dropped-bmi-key", "The sandbox dropped the bmi key its FHIR server refused: the other rules still run",
     "patient-view", [REHAB], conditions=[tendinopathy()], omit=("bmi",))
case("rehab-referrals-not-sent-says-so", "No referrals or procedures sent: the loading prompt runs and says what it could not check",
     "patient-view", [REHAB], conditions=[tendinopathy()], omit=("serviceRequests", "procedures"))
EPIC_ID = ("eIdRHpjeEzbLS3ZcGmRmVZ8bbravWOED29hdNLJSFBrBdzDWOqd1a5MMIjQ874tKP8pBlftzNEoXvBpLw3-HLG.mXMk2EBbb0mQQchsUGub"
           "XTALDN6umdJmr2GnF3bS4FgSrc5ZsddJhasJiv.H11Qg8jd56-KfANXTJT48RrzudQ9sa5U10W1E6s2LoiBImg3")
case("steroid-epic-length-order-id", "An Epic order id of ~190 characters in selections: accepted, and the delete names it",
     "order-select", [steroid("critical", f"MedicationRequest/{EPIC_ID}")], conditions=[tendinopathy()],
     drafts=[med(EPIC_ID, KENALOG, route=PERITENDINOUS, site=ACHILLES_SITE)], selections=[f"MedicationRequest/{EPIC_ID}"])

# ------------------------------------------------ large, realistic records

def noise_conditions(n):
    problems = [("I10", "Essential (primary) hypertension"), ("E11.9", "Type 2 diabetes mellitus without complications"),
                ("J45.909", "Unspecified asthma, uncomplicated"), ("M17.11", "Unilateral primary osteoarthritis, right knee"),
                ("K21.9", "Gastro-esophageal reflux disease without esophagitis"), ("F41.1", "Generalized anxiety disorder")]
    return [condition(f"hx-{i}", cc((ICD, problems[i % len(problems)][0], problems[i % len(problems)][1])),
                      clinical="active" if i % 3 else "resolved", onset=f"20{10 + i % 15:02d}-0{1 + i % 9}-15") for i in range(n)]


def noise_meds(n):
    drugs = [("314076", "lisinopril 10 MG Oral Tablet"), ("861007", "metformin hydrochloride 500 MG Oral Tablet"),
             ("197361", "amlodipine 5 MG Oral Tablet"), ("617993", "amoxicillin 120 MG/ML / clavulanate potassium 8.58 MG/ML Oral Suspension")]
    return [med(f"rx-{i}", cc((RX, drugs[i % len(drugs)][0], drugs[i % len(drugs)][1])), route=ORAL, status="active") for i in range(n)]


def noise_services(n):
    tests = [("4548-4", "Hemoglobin A1c"), ("2093-3", "Cholesterol"), ("2823-3", "Potassium"), ("57021-8", "CBC W Auto Differential panel")]
    return [service(f"lab-{i}", cc((LOINC, tests[i % len(tests)][0], tests[i % len(tests)][1])), status="completed",
                    authored=f"2025-{1 + i % 12:02d}-10") for i in range(n)]


case("large-record-steroid-at-the-achilles", "Hundreds of resources: the one Kenalog injection at the Achilles is still found",
     "order-sign", [steroid("critical", "MedicationRequest/inj-1")],
     conditions=noise_conditions(240) + [tendinopathy()], medications=noise_meds(120), service_requests=noise_services(150),
     drafts=[med(f"draft-{i}", cc((RX, "314076", "lisinopril 10 MG Oral Tablet")), route=ORAL) for i in range(20)] +
            [med("inj-1", KENALOG, route=PERITENDINOUS, site=ACHILLES_SITE)],
     observations=[bmi(f"bmi-{i}", 24 + i % 3, f"2026-0{1 + i % 9}-01") for i in range(30)])
case("large-record-patient-view", "Hundreds of resources: tendinopathy without physiotherapy and an old obesity BMI",
     "patient-view", [REHAB], conditions=noise_conditions(300) + [tendinopathy()], medications=noise_meds(100),
     service_requests=noise_services(200), observations=[bmi("bmi-old", 33, "2024-05-01")])


def files():
    for name, reason, hook, body, expected in CASES:
        expected_doc = {"service": SERVICES[hook], "today": TODAY, "reason": reason, "cards": expected}
        yield (f"{name}.request.json", json.dumps(body, indent=2, ensure_ascii=False) + "\n",
               f"{name}.expected.json", json.dumps(expected_doc, indent=2, ensure_ascii=False) + "\n")


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "check"
    names = [c[0] for c in CASES]
    if len(names) != len(set(names)):
        sys.exit("duplicate scenario names")
    wanted = {}
    for req_name, req, exp_name, exp in files():
        wanted[req_name] = req
        wanted[exp_name] = exp
    if mode == "write":
        os.makedirs(OUT, exist_ok=True)
        for f in os.listdir(OUT):
            if f.endswith(".json") and f not in wanted:
                os.remove(os.path.join(OUT, f))
        for f, text in wanted.items():
            with open(os.path.join(OUT, f), "w", encoding="utf-8") as fh:
                fh.write(text)
        print(f"wrote {len(CASES)} scenarios to {os.path.normpath(OUT)}")
        return
    present = {f for f in os.listdir(OUT) if f.endswith(".json")} if os.path.isdir(OUT) else set()
    stale = sorted(present - set(wanted))
    differing = sorted(f for f, text in wanted.items() if not os.path.exists(os.path.join(OUT, f))
                       or open(os.path.join(OUT, f), encoding="utf-8").read() != text)
    if stale or differing:
        sys.exit(f"tests/data/scenarios is out of date with scenarios.py (run `tests/scenarios/scenarios.py write`): "
                 f"stale {stale[:5]}, differing {differing[:5]}")
    quiet = sum(1 for c in CASES if not c[4])
    print(f"{len(CASES)} scenarios up to date ({quiet} expect no card)")


if __name__ == "__main__":
    main()
