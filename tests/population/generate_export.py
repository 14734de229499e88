#!/usr/bin/env python3
"""Writes a realistic FHIR Bulk Data export with known answers for `achilles-cds audit population`.

   generate_export.py OUT_DIR [--patients N] [--seed S] [--filler-mb MB] [--no-bad-input] [--plain]

Deterministic (fixed seed). Most patients have no tendon disease; the rest carry the coding variety real
data has: ICD-10-CM (with injury 7th characters), SNOMED CT, text only, product codes recognised by name,
entered-in-error, refuted and resolved conditions, bilateral disease, partial dates, onsetPeriod and
recordedDate onsets, gzip and split files. Each cohort patient's care is drawn at random and its outcome on
every measure is decided by construction, written to OUT_DIR/expected.json (with the period and follow-up
day the audit must be run with) — the audit must reproduce it exactly. Bad input (unless --no-bad-input): a
malformed line, a Patient in a Condition file, and a truncated gzip file holding no cohort data.
--filler-mb adds patients without tendon disease until the export holds about that many MB (benchmarks)."""
import argparse
import datetime
import gzip
import json
import os
import random

PERIOD = ("2024-01-01", "2024-12-31")
AS_OF = "2025-12-31"
WEEKS_SURGICAL = 12  # config/rules/escalation.json weeksOfPhysiotherapyBeforeSurgicalReferral
MEASURES = ["physiotherapy", "steroid", "fluoroquinolone", "immobilisation", "premature", "missed", "imaging"]
KEYS = {"physiotherapy": ("achilles-physiotherapy-within-6-weeks", "main"),
        "steroid": ("achilles-steroid-injection", "main"), "fluoroquinolone": ("achilles-fluoroquinolone", "main"),
        "immobilisation": ("achilles-immobilisation", "main"), "premature": ("achilles-escalation", "premature"),
        "missed": ("achilles-escalation", "missed"), "imaging": ("achilles-imaging-confirmation", "main")}
ICD = "http://hl7.org/fhir/sid/icd-10-cm"
SCT = "http://snomed.info/sct"
CPT = "http://www.ama-assn.org/go/cpt"
RXN = "http://www.nlm.nih.gov/research/umls/rxnorm"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
DAY0 = datetime.date(2000, 1, 1)


def day(s):
    return (datetime.date.fromisoformat(s) - DAY0).days


def iso(d):
    return (DAY0 + datetime.timedelta(days=d)).isoformat()


def cc(text=None, *codings):
    c = {"coding": [{"system": s, "code": k, "display": d} for s, k, d in codings]} if codings else {}
    if text:
        c["text"] = text
    return c


def status(system_kind, code):
    return {"coding": [{"system": f"http://terminology.hl7.org/CodeSystem/{system_kind}", "code": code}]}


class Export:
    def __init__(self, rnd):
        self.rnd = rnd
        self.files = {}  # type -> list of lines
        self.n = 0
        self.size = 0  # bytes of the lines so far

    def add(self, resource):
        self.n += 1
        resource["id"] = f"{resource['resourceType'][:3].lower()}-{self.n}"
        resource.setdefault("meta", {"lastUpdated": "2025-12-31T10:00:00Z",
                                     "source": "#bulk-export-" + str(self.rnd.randrange(10**6))})
        line = json.dumps(resource, separators=(",", ":"))
        self.size += len(line) + 1
        self.files.setdefault(resource["resourceType"], []).append(line)
        return resource["id"]

    def flush(self, out_dir):
        """Appends the lines held so far to Type.900.ndjson files (filler: never all in memory)."""
        for rtype, lines in self.files.items():
            with open(os.path.join(out_dir, f"{rtype}.900.ndjson"), "a") as f:
                f.write("\n".join(lines) + "\n")
        self.files = {}


def condition(x, pid, code, onset=None, clinical="active", verification="confirmed", abatement=None,
              onset_as="onsetDateTime", category="problem-list-item", body_site=None):
    r = {"resourceType": "Condition", "subject": {"reference": f"Patient/{pid}"}, "code": code,
         "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                   "code": category}]}]}
    if clinical:
        r["clinicalStatus"] = status("condition-clinical", clinical)
    if verification:
        r["verificationStatus"] = status("condition-ver-status", verification)
    if onset is not None:
        if onset_as == "onsetPeriod":
            r["onsetPeriod"] = {"start": iso(onset)}
        elif onset_as == "recordedDate":
            r["recordedDate"] = iso(onset) + "T09:30:00Z"
        else:
            r["onsetDateTime"] = iso(onset)
    if abatement is not None:
        r["abatementDateTime"] = iso(abatement)
    if body_site:
        r["bodySite"] = [cc(body_site)]
    return x.add(r)


def service_request(x, pid, code, when, status_="completed", body_site=None, reason=None):
    r = {"resourceType": "ServiceRequest", "status": status_, "intent": "order", "subject": {"reference": f"Patient/{pid}"},
         "code": code, "authoredOn": iso(when) + "T11:00:00+01:00",
         "requester": {"reference": "Practitioner/dr-" + str(x.rnd.randrange(300))}}
    if body_site:
        r["bodySite"] = [cc(body_site)]
    if reason:
        r["reasonCode"] = [cc(reason)]
    return x.add(r)


def procedure(x, pid, code, when, body_site=None, status_="completed"):
    r = {"resourceType": "Procedure", "status": status_, "subject": {"reference": f"Patient/{pid}"}, "code": code,
         "performedDateTime": iso(when) + "T14:00:00Z"}
    if body_site:
        r["bodySite"] = [cc(body_site)]
    return x.add(r)


def medication(x, pid, med, when, route=None, site=None, text=None, status_="completed"):
    dosage = {}
    if route:
        dosage["route"] = route
    if site:
        dosage["site"] = cc(site)
    if text:
        dosage["text"] = text
    r = {"resourceType": "MedicationRequest", "status": status_, "intent": "order",
         "subject": {"reference": f"Patient/{pid}"}, "medicationCodeableConcept": med,
         "authoredOn": iso(when) + "T10:15:00Z"}
    if dosage:
        r["dosageInstruction"] = [dosage]
    return x.add(r)


def device(x, pid, code, when, note=None, reason=None):
    r = {"resourceType": "DeviceRequest", "status": "completed", "intent": "order",
         "subject": {"reference": f"Patient/{pid}"}, "codeCodeableConcept": code, "authoredOn": iso(when)}
    if note:
        r["note"] = [{"text": note}]
    if reason:
        r["reasonCode"] = [cc(reason)]
    return x.add(r)


CIPRO = cc("ciprofloxacin 500 MG Oral Tablet", (RXN, "197511", "ciprofloxacin 500 MG Oral Tablet"))
CIPRO_OTIC = cc("Ciprofloxacin 0.3% otic solution, 4 drops in the left ear", )
LEVO_BY_NAME = cc("Levaquin (levofloxacin) 750 mg tablet", (RXN, "999999", "Levaquin 750 MG Oral Tablet"))
KENALOG = cc("Kenalog-40 (triamcinolone acetonide) 40 mg/mL injectable suspension")
PERITENDINOUS = cc(None, (SCT, "419762003", "Peritendinous route"))
INTRA_ARTICULAR = cc(None, (SCT, "12130007", "Intra-articular route"))
PHYSIO_CODES = [cc("Referral to physiotherapist", (SCT, "308447003", "Referral to physiotherapist")),
                cc("Physiotherapy: eccentric loading programme"),
                cc(None, (CPT, "97110", "Therapeutic exercise"))]
ORTHO = cc("Referral to orthopedic service", (SCT, "183545006", "Referral to orthopedic service"))
ULTRASOUND = cc("Ultrasound extremity, limited", (CPT, "76882", "Ultrasound extremity, limited"))
PRP = cc("PRP injection", (CPT, "0232T", "Injection(s), platelet rich plasma"))
DEBRIDEMENT = cc("Achilles tendon debridement")
BOOT = cc("Walking boot", (HCPCS, "L4360", "Walking boot, pneumatic"))


def tendinopathy_code(rnd):
    """(CodeableConcept, side) with the coding variety of real records."""
    k = rnd.randrange(7)
    if k == 0:
        return cc(None, (ICD, "M76.61", "Achilles tendinitis, right leg")), "right"
    if k == 1:
        return cc(None, (ICD, "M76.62", "Achilles tendinitis, left leg")), "left"
    if k == 2:
        return cc("Achilles tendinitis", (ICD, "M76.60", "Achilles tendinitis, unspecified leg")), None
    if k == 3:
        return cc(None, (SCT, "11654001", "Achilles tendinitis")), None
    if k == 4:
        return cc("Left Achilles tendinopathy with microtears"), "left"
    if k == 5:
        return cc("Bilateral Achilles tendinosis"), "both"
    return cc("Tendinopathy of right Achilles tendon (partial tear)"), "right"


def noise(x, rnd, pid, year_start, cohort=False):
    """What most records hold: nothing tendon-related, or things that only look like it. A cohort patient's
    noise holds no fluoroquinolone and no physiotherapy (those are drawn, with their dates, by the caller)."""
    for _ in range(rnd.randrange(1, 4)):
        code = rnd.choice([cc(None, (ICD, "I10", "Essential hypertension")),
                           cc(None, (ICD, "E11.9", "Type 2 diabetes mellitus without complications")),
                           cc(None, (ICD, "M72.2", "Plantar fascial fibromatosis")),
                           cc(None, (ICD, "M76.72", "Peroneal tendinitis, left leg")),
                           cc("Patellar tendinitis"),
                           cc(None, (ICD, "S93.401A", "Sprain of unspecified ligament of right ankle, initial"))])
        condition(x, pid, code, year_start + rnd.randrange(700))
    for _ in range(rnd.randrange(0, 3)):
        med = rnd.choice([cc("amoxicillin 500 MG Oral Capsule", (RXN, "308191", "amoxicillin 500 MG Oral Capsule")),
                          cc("ibuprofen 400 MG Oral Tablet") if cohort else CIPRO, cc("prednisone 5 MG Oral Tablet", (RXN, "312617", "prednisone 5 MG Oral Tablet")),
                          cc("ibuprofen 400 MG Oral Tablet", (RXN, "197805", "ibuprofen 400 MG Oral Tablet"))])
        medication(x, pid, med, year_start + rnd.randrange(700))
    if rnd.random() < 0.3 and not cohort:
        service_request(x, pid, cc("Physiotherapy for knee pain"), year_start + rnd.randrange(700))
    if rnd.random() < 0.2:
        x.add({"resourceType": "Observation", "status": "final", "subject": {"reference": f"Patient/{pid}"},
               "code": cc(None, ("http://loinc.org", "39156-5", "Body mass index")),
               "valueQuantity": {"value": round(rnd.uniform(19, 38), 1), "unit": "kg/m2"},
               "effectiveDateTime": iso(year_start + rnd.randrange(700))})
    x.add({"resourceType": "Encounter", "status": "finished", "subject": {"reference": f"Patient/{pid}"},
           "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
           "period": {"start": iso(year_start + rnd.randrange(700))}})


def cohort_patient(x, rnd, pid, onset, expect):
    """One patient whose tendinopathy began in the period; returns their outcome per measure (None: not in
    that measure's denominator)."""
    as_of = day(AS_OF)
    code, side = tendinopathy_code(rnd)
    resolved = rnd.random() < 0.25
    abatement = onset + rnd.randrange(200, 330) if resolved else None
    verification = rnd.choice(["confirmed"] * 7 + ["provisional"] * 2 + ["unconfirmed", "differential"])
    onset_as = rnd.choice(["onsetDateTime"] * 7 + ["onsetPeriod", "onsetPeriod", "recordedDate"])
    condition(x, pid, code, onset, clinical="resolved" if resolved else "active", verification=verification,
              abatement=abatement, onset_as=onset_as)
    if rnd.random() < 0.05:  # the same diagnosis recorded twice, once in error, with an earlier date
        condition(x, pid, code, onset - 30, verification="entered-in-error")
    out = {m: False for m in MEASURES}

    # 1. physiotherapy: none, within 6 weeks, or late.
    physio = None
    k = rnd.random()
    if k < 0.5:
        physio = onset + rnd.randrange(0, 43)
    elif k < 0.75:
        physio = onset + rnd.randrange(43, 120)
    if physio is not None:
        code_ = rnd.choice(PHYSIO_CODES)
        if rnd.random() < 0.5:
            service_request(x, pid, code_, physio)
        else:
            procedure(x, pid, code_, physio)
    out["physiotherapy"] = physio is not None and physio <= onset + 42

    # 2. corticosteroid injection: at the Achilles after onset, a site not stated, the knee, or before onset.
    k = rnd.random()
    when = onset + rnd.randrange(1, 60)
    if k < 0.06:
        medication(x, pid, KENALOG, when, route=PERITENDINOUS, site=f"{side or ''} Achilles tendon".strip())
        out["steroid"] = True
    elif k < 0.09:
        procedure(x, pid, cc(None, (CPT, "20551", "Injection(s); single tendon origin/insertion")), when,
                  body_site="Achilles tendon insertion")
        out["steroid"] = True
    elif k < 0.11:
        medication(x, pid, KENALOG, when, route=PERITENDINOUS)  # site not stated, tendinopathy standing
        out["steroid"] = True
    elif k < 0.15:
        medication(x, pid, KENALOG, when, route=INTRA_ARTICULAR, site="right knee")
    elif k < 0.18:
        medication(x, pid, KENALOG, onset - rnd.randrange(30, 300), route=PERITENDINOUS, site="Achilles tendon")

    # 3. fluoroquinolone: systemic while standing; otic; before onset; after the tendinopathy ended.
    k = rnd.random()
    if k < 0.07:
        medication(x, pid, CIPRO, onset + rnd.randrange(1, 150))
        out["fluoroquinolone"] = True
    elif k < 0.10:
        medication(x, pid, LEVO_BY_NAME, onset + rnd.randrange(1, 150))
        out["fluoroquinolone"] = True
    elif k < 0.14:
        medication(x, pid, CIPRO_OTIC, onset + rnd.randrange(1, 150))
    elif k < 0.18:
        medication(x, pid, CIPRO, onset - rnd.randrange(10, 300))
    elif k < 0.22 and resolved:
        medication(x, pid, CIPRO, abatement + rnd.randrange(1, 30))

    # 4. cast or walking boot: for the tendinopathy's leg; the other leg; a fracture; an injury on that leg.
    injury = False
    k = rnd.random()
    when = onset + rnd.randrange(0, 60)
    if k < 0.05:
        device(x, pid, BOOT, when, note=f"{side} leg" if side in ("left", "right") else None)
        out["immobilisation"] = True
    elif k < 0.08 and side in ("left", "right"):
        device(x, pid, BOOT, when, note=("right" if side == "left" else "left") + " leg")
    elif k < 0.11:
        device(x, pid, BOOT, when, reason="Fracture of ankle")
    elif k < 0.13 and side in ("left", "right"):
        injury = True  # rupture not excluded on that leg: the boot belongs to the injury pathway
        letter = "1" if side == "right" else "2"
        condition(x, pid, cc(None, (ICD, f"S86.01{letter}A", f"Strain of {side} Achilles tendon, initial encounter")),
                  when - 1)
        device(x, pid, BOOT, when, note=f"{side} leg")

    # 5a. PRP or surgery: before the weeks of physiotherapy (premature), or after them.
    if not injury and rnd.random() < 0.07:
        what = PRP if rnd.random() < 0.7 else DEBRIDEMENT
        if physio is None:
            procedure(x, pid, what, onset + rnd.randrange(10, 100))
            out["premature"] = True
        elif rnd.random() < 0.5:
            procedure(x, pid, what, physio + rnd.randrange(0, WEEKS_SURGICAL * 7))
            out["premature"] = True
        else:
            procedure(x, pid, what, physio + rnd.randrange(WEEKS_SURGICAL * 7, WEEKS_SURGICAL * 7 + 100))

    # 5b. still active past the surgical-referral weeks of physiotherapy: referred, or missed.
    in_missed = physio is not None and physio + WEEKS_SURGICAL * 7 <= as_of and not resolved
    if physio is not None and rnd.random() < 0.5:
        service_request(x, pid, ORTHO, physio + rnd.randrange(85, 150))
        out["missed"] = False
    else:
        out["missed"] = in_missed
    if physio is None and rnd.random() < 0.1:
        service_request(x, pid, ORTHO, onset + rnd.randrange(30, 200))

    # 6. imaging for a provisional diagnosis.
    provisional = verification in ("provisional", "unconfirmed", "differential")
    if rnd.random() < (0.5 if provisional else 0.2):
        service_request(x, pid, ULTRASOUND, onset + rnd.randrange(0, 60), body_site=f"{side or ''} Achilles tendon".strip())
        out["imaging"] = provisional
    outcome = dict(out)
    outcome["missed"] = out["missed"] if in_missed else None
    outcome["imaging"] = out["imaging"] if provisional else None
    noise(x, rnd, pid, onset - 365, cohort=True)
    expect(onset, outcome)


def not_in_cohort(x, rnd, pid):
    """Tendon records that must not enter the cohort."""
    k = rnd.randrange(6)
    code, _ = tendinopathy_code(rnd)
    if k == 0:  # began before the period
        condition(x, pid, code, day("2023-01-01") + rnd.randrange(360))
    elif k == 1:
        condition(x, pid, code, day(PERIOD[0]) + rnd.randrange(360), verification="entered-in-error")
    elif k == 2:
        condition(x, pid, code, day(PERIOD[0]) + rnd.randrange(360), verification="refuted")
    elif k == 3:  # no clinicalStatus on a problem-list item: the rules do not count it
        condition(x, pid, code, day(PERIOD[0]) + rnd.randrange(360), clinical=None)
    elif k == 4:  # an acute injury (7th character A) and a sequela (S): not tendinopathy
        condition(x, pid, cc(None, (ICD, "S86.011A", "Strain of right Achilles tendon, initial encounter")),
                  day(PERIOD[0]) + rnd.randrange(360))
        condition(x, pid, cc(None, (ICD, "S86.011S", "Strain of right Achilles tendon, sequela")),
                  day(PERIOD[0]) + rnd.randrange(360))
    else:  # a rupture
        condition(x, pid, cc(None, (ICD, "S86.021A", "Laceration of right Achilles tendon, initial encounter")),
                  day(PERIOD[0]) + rnd.randrange(360))
    # Care that would count for a cohort patient.
    medication(x, pid, CIPRO, day(PERIOD[0]) + rnd.randrange(400))
    device(x, pid, BOOT, day(PERIOD[0]) + rnd.randrange(400))
    noise(x, rnd, pid, day("2023-01-01"))


def write(out_dir, x, bad_input, plain=False):
    os.makedirs(out_dir, exist_ok=True)
    for f in os.listdir(out_dir):
        if ".ndjson" in f:
            os.remove(os.path.join(out_dir, f))
    for rtype, lines in x.files.items():
        if plain:
            parts = [(f"{rtype}.ndjson", lines)]
        elif rtype in ("Condition", "ServiceRequest") and len(lines) > 10:  # split files, one of them gzip
            half = len(lines) // 2
            parts = [(f"{rtype}.ndjson", lines[:half]), (f"{rtype}.002.ndjson.gz", lines[half:])]
        elif rtype == "MedicationRequest":
            parts = [(f"{rtype}.ndjson.gz", lines)]
        else:
            parts = [(f"{rtype}.ndjson", lines)]
        for name, part in parts:
            text = "\n".join(part) + "\n"
            if bad_input and name.startswith("MedicationRequest.ndjson"):
                text = text.replace("\n", '\n{"resourceType":"MedicationRequest","status":\n', 1)  # line 2
            if bad_input and name == "Condition.ndjson":
                text = text.replace("\n", '\n{"resourceType":"Patient","id":"stray","birthDate":"1970-01-01"}\n', 1)
            path = os.path.join(out_dir, name)
            if name.endswith(".gz"):
                with gzip.open(path, "wt", compresslevel=1) as f:
                    f.write(text)
            else:
                with open(path, "w") as f:
                    f.write(text)
    if bad_input and not plain:  # a gzip cut short: only records of patients outside the cohort
        rnd = random.Random(7)
        lines = []
        for i in range(200):
            lines.append(json.dumps({"resourceType": "ServiceRequest", "id": f"trunc-{i}", "status": "completed",
                                     "intent": "order", "subject": {"reference": f"Patient/outside-{i}"},
                                     "code": PHYSIO_CODES[0], "authoredOn": iso(day(PERIOD[0]) + rnd.randrange(300))}))
        data = gzip.compress(("\n".join(lines) + "\n").encode(), compresslevel=6)
        with open(os.path.join(out_dir, "ServiceRequest.003.ndjson.gz"), "wb") as f:
            f.write(data[: len(data) * 2 // 3])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--patients", type=int, default=3000)
    p.add_argument("--seed", type=int, default=20261201)
    p.add_argument("--cohort-share", type=float, default=0.08)
    p.add_argument("--filler-mb", type=float, default=0)
    p.add_argument("--no-bad-input", action="store_true")
    p.add_argument("--plain", action="store_true", help="no gzip file (benchmarks compare with wc -l)")
    a = p.parse_args()
    rnd = random.Random(a.seed)
    x = Export(rnd)
    totals = {m: [0, 0] for m in MEASURES}
    months = {m: {} for m in MEASURES}
    cohort = [0]

    def expect(onset, outcome):
        cohort[0] += 1
        month = iso(onset)[:7]
        for m, v in outcome.items():
            if v is None:
                continue
            t = months[m].setdefault(month, [0, 0])
            totals[m][1] += 1
            t[1] += 1
            if v:
                totals[m][0] += 1
                t[0] += 1

    start, end = day(PERIOD[0]), day(PERIOD[1])
    for i in range(a.patients):
        pid = f"p{rnd.getrandbits(40):010x}"
        k = rnd.random()
        if k < a.cohort_share:
            cohort_patient(x, rnd, pid, start + rnd.randrange(end - start + 1), expect)
        elif k < a.cohort_share * 1.6:
            not_in_cohort(x, rnd, pid)
        else:
            noise(x, rnd, pid, day("2023-01-01"))
    write(a.out, x, not a.no_bad_input, a.plain)
    # Filler: patients without tendon disease, streamed to Type.900.ndjson until the export is big enough.
    filler, size = Export(rnd), x.size
    filler.n = x.n  # ids stay unique
    patients = a.patients
    while size + filler.size < a.filler_mb * 1e6:
        noise(filler, rnd, f"f{rnd.getrandbits(40):010x}", day("2023-01-01"))
        patients += 1
        if sum(len(v) for v in filler.files.values()) > 200000:
            filler.flush(a.out)
    filler.flush(a.out)
    size += filler.size
    expected = {"from": PERIOD[0], "to": PERIOD[1], "asOf": AS_OF, "patients": patients, "cohort": cohort[0],
                "linesSkipped": 2 if not a.no_bad_input else 0,
                "measures": [{"measure": KEYS[m][0], "group": KEYS[m][1], "numerator": totals[m][0],
                              "denominator": totals[m][1],
                              "months": {k: {"numerator": v[0], "denominator": v[1]} for k, v in sorted(months[m].items())}}
                             for m in MEASURES]}
    with open(os.path.join(a.out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print(f"generate_export: {patients} patients, cohort {cohort[0]}, {x.n + filler.n} resources, "
          f"{size / 1e6:.1f} MB in {a.out}")


if __name__ == "__main__":
    main()
