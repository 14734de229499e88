#!/usr/bin/env python3
"""`achilles-cds audit population` end to end, with the real binary, over an export the generator wrote with
known answers (tests/population/generate_export.py):
- the figures (cohort, each measure's numerator and denominator, every month) equal the expected ones
  exactly, with one thread and with several; the bad lines are reported with file and line and skipped;
- text, csv, --patients rows (pseudonymous keys only: no Patient id in any output);
- measurereport: FHIR R4 MeasureReports (summary and subject-list) and config/measures/ Measures valid against
  the R4 JSON schema, their counts the same as the json report's;
- html: opened in headless Chromium at two widths, screenshot kept, every table figure and chart bar checked;
- bad invocations: a missing folder, one with no Condition file, an unknown format.

   population_test.py FHIR_SCHEMA_JSON"""
import base64
import csv
import glob
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "conformance"))
sys.path.insert(0, os.path.join(HERE, "..", "browser"))
from fhir_schema import FhirSchema  # noqa: E402
from rule_pages_test import BINARY, SHOTS, SOURCE, open_browser  # noqa: E402

PROBLEMS = []


def fail(msg):
    PROBLEMS.append(msg)
    print("FAIL", msg)


def run(args, expect_code=0):
    logs = os.environ.get("ACHILLES_SUITE_LOGS")
    p = subprocess.run([BINARY, "audit", "population"] + args + ["--config", os.path.join(SOURCE, "config")],
                       capture_output=True, text=True, timeout=240)
    if logs:
        with open(os.path.join(logs, f"cli.population.{os.getpid()}.{len(os.listdir(logs))}.log"), "w") as f:
            f.write(p.stderr)
    if p.returncode != expect_code:
        fail(f"{' '.join(args)} exited {p.returncode}, expected {expect_code}: {p.stderr.strip()[:400]}")
    return p


def figures(report):
    return {(m["measure"], m["group"]): (m["numerator"], m["denominator"],
                                         {x["month"]: {"numerator": x["numerator"], "denominator": x["denominator"]}
                                          for x in m["months"] if x["denominator"]})
            for m in report["measures"]}


def check_json(report, expected, where):
    if report["cohort"] != expected["cohort"]:
        fail(f"{where}: cohort {report['cohort']}, expected {expected['cohort']}")
    got = figures(report)
    for m in expected["measures"]:
        key = (m["measure"], m["group"])
        want = (m["numerator"], m["denominator"], m["months"])
        if got.get(key) != want:
            fail(f"{where}: {key} is {got.get(key, '(missing)')[:2]}, expected {want[:2]}"
                 + ("" if got.get(key, (0, 0))[:2] != want[:2] else " (months differ)"))
    inp = report["input"]
    if inp["linesSkipped"] != expected["linesSkipped"]:
        fail(f"{where}: {inp['linesSkipped']} lines skipped, expected {expected['linesSkipped']}")
    where_found = {(p["file"], p["line"]): p["problem"] for p in inp["problems"]}
    for (file, line), words in ((("Condition.ndjson", 2), "a Patient in a Condition file"),
                                (("MedicationRequest.ndjson.gz", 2), "not a JSON resource"),
                                (("ServiceRequest.003.ndjson.gz", None), "truncated")):
        hits = [p for (f, l), p in where_found.items() if f == file and (line is None or l == line) and words in p]
        if not hits:
            fail(f"{where}: no problem {words!r} reported at {file}:{line} (has {inp['problems']})")
    if sorted(inp["filesNotNeeded"]) != ["Encounter.ndjson", "Observation.ndjson", "Patient.ndjson"] and \
            sorted(inp["filesNotNeeded"]) != ["Encounter.ndjson", "Observation.ndjson"]:
        fail(f"{where}: files not needed {inp['filesNotNeeded']}")


HTML_PROBE = """JSON.stringify({
  title: document.title,
  tiles: Object.fromEntries(Array.from(document.querySelectorAll('.tile')).map(
      t => [t.dataset.metric, t.querySelector('.n').textContent])),
  rows: Object.fromEntries(Array.from(document.querySelectorAll('tr[data-measure]')).map(tr => [tr.dataset.measure,
      Object.fromEntries(Array.from(tr.querySelectorAll('td[data-col]')).map(td => [td.dataset.col, td.innerText.trim()]))])),
  charts: Object.fromEntries(Array.from(document.querySelectorAll('figure.trend')).map(f => [f.dataset.measure, {
    plot: (() => { const ls = Array.from(f.querySelectorAll('line')).map(l => l.getBoundingClientRect().top);
                   return Math.max(...ls) - Math.min(...ls); })(),
    scale: +(f.querySelectorAll('svg > text')[1] || {}).textContent,
    months: Array.from(f.querySelectorAll('g.month')).map(g => ({
      month: g.dataset.month, numerator: +g.dataset.numerator, denominator: +g.dataset.denominator,
      heights: Array.from(g.querySelectorAll('rect')).map(r => [r.getAttribute('class'), r.getBoundingClientRect().height]),
    })),
  }])),
  problems: document.querySelectorAll('tr.problem').length,
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  scripts: document.scripts.length,
  resources: performance.getEntriesByType('resource').map(r => r.name),
})"""


def check_html(page, path, expected, width):
    where = f"html at {width}px"
    page.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1, mobile=width < 500)
    page.call("Page.navigate", url="file://" + path)
    page.wait_event("Page.loadEventFired")
    seen = json.loads(page.evaluate(HTML_PROBE))
    if "Population audit" not in seen["title"]:
        fail(f"{where}: title {seen['title']!r}")
    if seen["tiles"].get("cohort") != str(expected["cohort"]):
        fail(f"{where}: cohort tile {seen['tiles'].get('cohort')!r}, expected {expected['cohort']}")
    if seen["tiles"].get("skipped") != str(expected["linesSkipped"]):
        fail(f"{where}: skipped tile {seen['tiles'].get('skipped')!r}")
    for m in expected["measures"]:
        key = f"{m['measure']}/{m['group']}"
        row = seen["rows"].get(key, {})
        if (row.get("numerator"), row.get("denominator")) != (str(m["numerator"]), str(m["denominator"])):
            fail(f"{where}: row {key} shows {row}, expected {m['numerator']}/{m['denominator']}")
        want_rate = f"{round(100 * m['numerator'] / m['denominator'])}%" if m["denominator"] else "–"
        if row.get("rate") != want_rate:
            fail(f"{where}: row {key} rate {row.get('rate')!r}, expected {want_rate}")
        chart = seen["charts"].get(key)
        if chart is None:
            fail(f"{where}: no chart for {key}")
            continue
        if len(chart["months"]) != 12:
            fail(f"{where}: {key} chart has {len(chart['months'])} months, expected the period's 12")
        unit = chart["plot"] / max(1, max(x["denominator"] for x in chart["months"]))
        for x in chart["months"]:
            want = m["months"].get(x["month"], {"numerator": 0, "denominator": 0})
            if (x["numerator"], x["denominator"]) != (want["numerator"], want["denominator"]):
                fail(f"{where}: {key} {x['month']} carries {x['numerator']}/{x['denominator']}, expected {want}")
            heights = dict((c if c == "none" else "numerator", h) for c, h in x["heights"])
            for part, n in (("none", want["denominator"]), ("numerator", want["numerator"])):
                if abs(heights.get(part, 0) - n * unit) > 1.0:
                    fail(f"{where}: {key} {x['month']} {part} bar {heights.get(part, 0):.1f}px for {n}")
    if seen["problems"] != 3:
        fail(f"{where}: {seen['problems']} problem rows, expected 3")
    if seen["scrollWidth"] > seen["innerWidth"]:
        fail(f"{where}: the page is {seen['scrollWidth']}px wide in a {seen['innerWidth']}px window")
    if seen["scripts"] or seen["resources"]:
        fail(f"{where}: scripts {seen['scripts']}, fetches {seen['resources']}")
    shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    with open(os.path.join(SHOTS, f"population-{width}.png"), "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def main():
    schema = FhirSchema(sys.argv[1])
    work = tempfile.mkdtemp(prefix="achilles-population-")
    export = os.path.join(work, "export")
    try:
        subprocess.run([sys.executable, os.path.join(HERE, "generate_export.py"), export, "--patients", "3000"],
                       check=True, capture_output=True)
        with open(os.path.join(export, "expected.json")) as f:
            expected = json.load(f)
        period = ["--from", expected["from"], "--to", expected["to"], "--today", expected["asOf"]]
        settings = os.path.join(work, "server.json")
        with open(settings, "w") as f:
            json.dump({"audit": {"dataDir": os.path.join(work, "data")}}, f)
        base = [export] + period + ["--settings", settings]

        reports = {}
        for jobs in ("1", "2", "3"):
            p = run(base + ["--format", "json", "--jobs", jobs])
            reports[jobs] = json.loads(p.stdout) if p.returncode == 0 else None
            if reports[jobs] is not None:
                check_json(reports[jobs], expected, f"json --jobs {jobs}")
            if "skipped" not in p.stderr:
                fail(f"--jobs {jobs}: stderr does not say lines were skipped: {p.stderr!r}")
        if reports["1"] and reports["2"]:
            for r in reports.values():
                r.pop("generatedAt", None)
            if reports["1"] != reports["2"] or reports["1"] != reports["3"]:
                fail("the report differs between --jobs 1, 2 and 3")
        report = reports["1"] or {"measures": []}

        # Patients: one row per cohort patient, keyed, no raw identifier anywhere in any output.
        rows_file = os.path.join(work, "patients.csv")
        p = run(base + ["--format", "csv", "--patients", rows_file])
        rows = list(csv.DictReader(open(rows_file)))
        if len(rows) != expected["cohort"]:
            fail(f"--patients wrote {len(rows)} rows, expected {expected['cohort']}")
        if any(not re.fullmatch(r"[0-9a-f]{64}", r["patient_key"]) for r in rows):
            fail("--patients: a key is not 64 hex digits")
        if len({r["patient_key"] for r in rows}) != len(rows):
            fail("--patients: keys are not distinct")
        col = {"achilles-physiotherapy-within-6-weeks/main": "physiotherapy_within_6_weeks",
               "achilles-escalation/missed": "missed_escalation", "achilles-imaging-confirmation/main": "imaging_confirmation"}
        for m in expected["measures"]:
            c = col.get(f"{m['measure']}/{m['group']}")
            if c and (sum(r[c] == "yes" for r in rows), sum(r[c] in ("yes", "no") for r in rows)) != (m["numerator"], m["denominator"]):
                fail(f"--patients column {c} does not add up to {m['numerator']}/{m['denominator']}")
        csv_rows = list(csv.DictReader(io.StringIO(p.stdout)))
        if sum(1 for r in csv_rows if r["month"] == "all") != 7:
            fail(f"csv report: {len(csv_rows)} rows, not one 'all' row per measure group")
        text = run(base).stdout
        if f"Cohort: {expected['cohort']} patients" not in text or "ServiceRequest.003.ndjson.gz" not in text:
            fail(f"text report lacks the cohort or the truncated file: {text[:300]!r}")

        # FHIR: MeasureReports and the configured Measures, valid R4, with the json report's counts.
        bundle = json.loads(run(base + ["--format", "measurereport", "--subject-lists"]).stdout or "{}")
        for e in schema.errors(bundle)[:5]:
            fail(f"measurereport bundle: {e}")
        measures = {}
        for path in sorted(glob.glob(os.path.join(SOURCE, "config", "measures", "*.json"))):
            with open(path) as f:
                m = json.load(f)
            for e in schema.errors(m)[:5]:
                fail(f"{os.path.basename(path)}: {e}")
            measures[m["url"]] = m
        if len(measures) != 6:
            fail(f"config/measures holds {len(measures)} Measures, expected 6")
        want = {(m["measure"], m["group"]): (m["numerator"], m["denominator"]) for m in expected["measures"]}
        summaries = [e["resource"] for e in bundle.get("entry", []) if e["resource"]["type"] == "summary"]
        lists = [e["resource"] for e in bundle.get("entry", []) if e["resource"]["type"] == "subject-list"]
        if len(summaries) != 6 or len(lists) != 6:
            fail(f"{len(summaries)} summary and {len(lists)} subject-list MeasureReports, expected 6 and 6")
        keys = {r["patient_key"] for r in rows}
        for mr in summaries + lists:
            measure = measures.get(mr["measure"])
            if measure is None:
                fail(f"MeasureReport {mr['id']} names {mr['measure']}, not a configured Measure")
                continue
            if mr["improvementNotation"] != measure["improvementNotation"]:
                fail(f"MeasureReport {mr['id']}: improvementNotation differs from its Measure's")
            groups = {g["code"]["coding"][0]["code"] for g in measure["group"]}
            contained = {c["id"]: c for c in mr.get("contained", [])}
            for g in mr["group"]:
                code = g["code"]["coding"][0]["code"]
                if code not in groups:
                    fail(f"MeasureReport {mr['id']}: group {code} is not in its Measure")
                counts = {p["code"]["coding"][0]["code"]: p for p in g["population"]}
                got = (counts["numerator"]["count"], counts["denominator"]["count"])
                if got != want.get((measure["id"], code)):
                    fail(f"MeasureReport {mr['id']} {code}: {got}, expected {want.get((measure['id'], code))}")
                if counts["initial-population"]["count"] != expected["cohort"]:
                    fail(f"MeasureReport {mr['id']}: initial population {counts['initial-population']['count']}")
                if mr["type"] == "subject-list":
                    for pop in ("numerator", "denominator"):
                        ref = counts[pop].get("subjectResults", {}).get("reference", "")[1:]
                        entries = contained.get(ref, {}).get("entry", [])
                        listed = {x["item"]["identifier"]["value"] for x in entries}
                        if len(entries) != counts[pop]["count"] or not listed <= keys:
                            fail(f"MeasureReport {mr['id']} {code} {pop}: list of {len(entries)} keys for "
                                 f"count {counts[pop]['count']}, or keys not among the cohort's")

        # HTML in Chromium.
        html = os.path.join(work, "population.html")
        run(base + ["--format", "html", "--out", html])
        chromium = shutil.which("chromium")
        if chromium is None:
            fail("chromium is not installed (run scripts/install-deps.sh)")
        else:
            os.makedirs(SHOTS, exist_ok=True)
            browser, page = open_browser(chromium, os.path.join(work, "chromium"))
            try:
                for width in (1100, 390):
                    check_html(page, html, expected, width)
            finally:
                browser.terminate()
                browser.wait(timeout=10)

        # No Patient id of the export in any output.
        ids = set()
        for path in glob.glob(os.path.join(export, "Condition.ndjson")):
            ids |= set(re.findall(r'"Patient/([^"]+)"', open(path).read()))
        outputs = [text, json.dumps(report), json.dumps(bundle), open(rows_file).read(), open(html).read()]
        leaked = [i for i in ids if any(i in o for o in outputs)]
        if not ids or leaked:
            fail(f"{len(leaked)} Patient ids appear in the outputs (of {len(ids)}): {leaked[:3]}")

        # Progress: on a terminal (util-linux `script` gives the run one), files, MB, MB/s and an ETA on
        # stderr; when stderr is not a terminal (every run above), none.
        if "ETA" in p.stderr or "MB/s" in p.stderr:
            fail(f"progress shown when stderr is not a terminal: {p.stderr!r}")
        cmd = " ".join([BINARY, "audit", "population"] + base + ["--config", os.path.join(SOURCE, "config"),
                                                                  "--out", os.path.join(work, "tty.txt")])
        tty = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, text=True, timeout=120)
        if not re.search(r"conditions: files \d+/\d+ · [\d.]+/[\d.]+ MB · [\d.]+ MB/s · ETA \d+:\d\d", tty.stdout):
            fail(f"no progress line on a terminal: {tty.stdout[-300:]!r}")

        # Bad invocations: the right exit code and a message naming the problem.
        p = run([os.path.join(work, "no-such-folder")] + period, expect_code=1)
        if "cannot list" not in p.stderr:
            fail(f"missing folder: {p.stderr!r}")
        empty = os.path.join(work, "empty")
        os.makedirs(empty)
        shutil.copy(os.path.join(export, "Procedure.ndjson"), empty)
        p = run([empty] + period + ["--settings", settings], expect_code=1)
        if "no Condition file" not in p.stderr:
            fail(f"no Condition file: {p.stderr!r}")
        p = run([export, "--format", "pdf"], expect_code=2)
        if "--format" not in p.stderr:
            fail(f"unknown format: {p.stderr!r}")
        p = run([export, "--jobs", "0"], expect_code=2)
        p = run([export, "--from", "2024-12-31", "--to", "2024-01-01"], expect_code=2)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"population_test: cohort {expected['cohort']}, {len(expected['measures'])} measure groups, "
          f"{len(PROBLEMS)} problem(s); screenshots in {SHOTS}")
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main())
