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


def condition(cid, concept, clinical="active", verification="confirmed", onset=ONSET, side=None):
    r = {"resourceType": "Condition", "id": cid, "subject": {"reference": f"Patient/{PATIENT}"}, "code": concept}
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


def request(hook, conditions=(), service_requests=(), procedures=(), drafts=(), selections=None):
    context = {"userId": "Practitioner/prac-1", "patientId": PATIENT, "encounterId": "enc-1"}
    if hook != "patient-view":
        if selections is not None:
            context["selections"] = list(selections)
        context["draftOrders"] = {"resourceType": "Bundle", "type": "collection",
                                  "entry": [{"resource": r} for r in drafts]}

    def bundle(resources):
        return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]} if resources else None

    return {
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "hook": hook,
        "context": context,
        "prefetch": {
            "patient": {"resourceType": "Patient", "id": PATIENT, "gender": "female", "birthDate": "1975-06-15"},
            "conditions": bundle(conditions),
            "medications": None,
            "serviceRequests": bundle(service_requests),
            "procedures": bundle(procedures),
            "bmi": None,
        },
    }


SERVICES = {"patient-view": "achilles-patient-view", "order-select": "achilles-order-select", "order-sign": "achilles-order-sign"}


def steroid(indicator, *orders, referral=True):
    """The steroid-injection card: one delete per order, then the physiotherapy referral unless one exists."""
    suggestions = [f"delete {o}" for o in orders]
    if referral:
        suggestions.append(f"create ServiceRequest {SCT}|308447003")
    return {"rule": "steroid-injection", "indicator": indicator, "suggestions": suggestions}


REHAB = {"rule": "eccentric-rehab", "indicator": "info", "suggestions": [f"create ServiceRequest {SCT}|308447003"]}
ORTHO = f"create ServiceRequest {SCT}|183545006"
RUPTURE_REFERRAL = {"rule": "rupture-referral", "indicator": "warning", "suggestions": [ORTHO]}

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
case("steroid-depo-medrol-ankle-site-text", "Depo-Medrol (an SCD no list covers) injected at the ankle",
     "order-sign", [steroid("critical", "MedicationRequest/inj-1")], conditions=[tendinopathy()],
     drafts=[med("inj-1", DEPO_MEDROL, site=cc(text="Right ankle"))])
case("steroid-kenalog-scd-ankle-region-code", "Kenalog SCD recognised by name, site coded as the ankle region",
     "order-sign", [steroid("critical", "MedicationRequest/inj-1")],
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
case("steroid-rupture-at-the-achilles", "A steroid injection at a ruptured Achilles is still warned against",
     "order-sign", [steroid("critical", "MedicationRequest/inj-1")],
     conditions=[condition("rup-1", cc((SCT, "429513001", "Rupture of Achilles tendon")))],
     drafts=[med("inj-1", KENALOG, site=ACHILLES_SITE)])

case("steroid-unstated-site-with-rupture", "A local injection with no site in a patient with a ruptured Achilles",
     "order-sign", [steroid("warning", "MedicationRequest/inj-1")],
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

case("rehab-icd10cm-seventh-character", "S86.011A (strain of the right Achilles, initial encounter) is tendinopathy by family",
     "patient-view", [REHAB], conditions=[condition("ach-1", cc((ICD, "S86.011A", "Strain of right Achilles tendon, initial encounter")))])
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
case("rehab-on-order-sign-with-other-orders", "An unrelated order is being signed for a patient who has had no physiotherapy",
     "order-sign", [REHAB], conditions=[tendinopathy()], drafts=[XRAY])
case("rehab-yields-to-the-steroid-card", "The steroid card already offers the referral: one physiotherapy suggestion per response",
     "order-sign", [steroid("critical", "MedicationRequest/inj-1")], conditions=[tendinopathy()],
     drafts=[XRAY, med("inj-1", KENALOG, site=ACHILLES_SITE)])
case("rehab-knee-injection-does-not-silence-rehab", "A knee injection is not a steroid card, so the rehab prompt stands",
     "order-sign", [REHAB], conditions=[tendinopathy()], drafts=[med("inj-1", KENALOG, site=cc(text="Left knee"))])

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
