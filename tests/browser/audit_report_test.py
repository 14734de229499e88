#!/usr/bin/env python3
"""The adherence report as a quality analyst sees it: the real service serves GET /audit over a real SQLite
card log holding a hand-counted scenario, headless Chromium (Debian's `chromium`) renders it at a desktop and
a narrow width, and the checks are made on the rendered page through the Chrome DevTools Protocol:

- the headline tiles and every table cell carry the hand-counted numbers;
- each week's bar in each trend chart is drawn: segment heights in proportion to the accepted, overridden and
  no-response counts (measured on screen), the tallest bar filling the plot, the week's total on top;
- nothing fetched, no script, nothing wider than the window.

The scenario (period 2026-11-02 … 2026-11-22, three weeks from Mondays 11-02, 11-09, 11-16):
  eccentric-rehab  week 11-02: 5 issued (3 accepted, 1 overridden "already-exercising", 1 no response)
                   week 11-09: nothing
                   week 11-16: 4 issued (1 accepted, 2 overridden "patient-declines", 1 no response), 2 snoozed
  steroid-injection week 11-02: 2 issued, both overridden "site-not-achilles"
  every card a different patient: 11 issued to 11 patients; 4 accepted, 5 overridden, 2 no response, 2 snoozed.
Screenshots go to $ACHILLES_SCREENSHOTS (audit-report-<width>.png) for a person to look at.
"""
import base64
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rule_pages_test import BINARY, SHOTS, SOURCE, open_browser, start  # noqa: E402

WIDTHS = (1000, 360)

CARDS = []     # (uuid, issued_at, service, hook, rule, indicator, patient, withheld)
FEEDBACK = []  # (uuid, service, outcome, code, at)


def card(uuid, day, rule, outcome=None, code="", withheld=False):
    service, hook, indicator = (("achilles-order-sign", "order-sign", "critical") if rule == "steroid-injection"
                                else ("achilles-patient-view", "patient-view", "info"))
    CARDS.append((uuid, f"2026-11-{day:02d}T10:00:00Z", service, hook, rule, indicator, "p-" + uuid, int(withheld)))
    if outcome:
        FEEDBACK.append((uuid, service, outcome, code, f"2026-11-{day:02d}T10:05:00Z"))


for i, outcome in enumerate(["accepted"] * 3 + ["overridden", None]):
    card(f"e1-{i}", 2 + i, "eccentric-rehab", outcome, "already-exercising" if outcome == "overridden" else "")
for i, outcome in enumerate(["accepted", "overridden", "overridden", None]):
    card(f"e3-{i}", 16 + i, "eccentric-rehab", outcome, "patient-declines" if outcome == "overridden" else "")
card("e3-s0", 20, "eccentric-rehab", withheld=True)
card("e3-s1", 21, "eccentric-rehab", withheld=True)
card("s1-0", 3, "steroid-injection", "overridden", "site-not-achilles")
card("s1-1", 4, "steroid-injection", "overridden", "site-not-achilles")

EXPECTED_TILES = {"issued": 11, "patients": 11, "accepted": 4, "overridden": 5, "no-response": 2, "snoozed": 2}
EXPECTED_ROWS = {
    "eccentric-rehab": {"issued": 9, "patients": 9, "accepted": 4, "overridden": 3, "no-response": 2, "snoozed": 2,
                        "acceptance": "44%"},
    "steroid-injection": {"issued": 2, "patients": 2, "accepted": 0, "overridden": 2, "no-response": 0, "snoozed": 0,
                          "acceptance": "0%"},
}
EXPECTED_WEEKS = {  # week → (issued, accepted, overridden, no response, snoozed)
    "eccentric-rehab": {"2026-11-02": (5, 3, 1, 1, 0), "2026-11-09": (0, 0, 0, 0, 0), "2026-11-16": (4, 1, 2, 1, 2)},
    "steroid-injection": {"2026-11-02": (2, 0, 2, 0, 0), "2026-11-09": (0, 0, 0, 0, 0), "2026-11-16": (0, 0, 0, 0, 0)},
}

PROBE = """JSON.stringify({
  title: document.title,
  tiles: Object.fromEntries(Array.from(document.querySelectorAll('.tile')).map(
      t => [t.dataset.metric, t.querySelector('.n').textContent])),
  rows: Object.fromEntries(Array.from(document.querySelectorAll('tr[data-rule]')).map(tr => [tr.dataset.rule,
      Object.fromEntries(Array.from(tr.querySelectorAll('td[data-col]')).map(td => [td.dataset.col, td.innerText.trim()]))])),
  reasons: Object.fromEntries(Array.from(document.querySelectorAll('tr[data-rule]')).map(
      tr => [tr.dataset.rule, tr.querySelector('.reasons').innerText])),
  charts: Object.fromEntries(Array.from(document.querySelectorAll('figure.trend')).map(f => [f.dataset.rule, {
    plot: (() => { const ls = Array.from(f.querySelectorAll('line')).map(l => l.getBoundingClientRect().top);
                   return Math.max(...ls) - Math.min(...ls); })(),
    weeks: Array.from(f.querySelectorAll('g.week')).map(g => ({
      week: g.dataset.week, issued: +g.dataset.issued, accepted: +g.dataset.accepted,
      overridden: +g.dataset.overridden, none: +g.dataset.noResponse, snoozed: +g.dataset.snoozed,
      heights: Object.fromEntries(Array.from(g.querySelectorAll('rect')).map(
          r => [r.getAttribute('class'), r.getBoundingClientRect().height])),
      total: (g.querySelector('text.total') || {}).textContent || '',
    })),
  }])),
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  scripts: document.scripts.length,
  resources: performance.getEntriesByType('resource').map(r => r.name),
})"""


def check(seen, width):
    where = f"at {width}px"
    problems = []
    if "Guideline adherence" not in seen["title"]:
        problems.append(f"{where}: title {seen['title']!r}")
    for metric, n in EXPECTED_TILES.items():
        if seen["tiles"].get(metric) != str(n):
            problems.append(f"{where}: tile {metric} shows {seen['tiles'].get(metric)!r}, expected {n}")
    for rule, cols in EXPECTED_ROWS.items():
        for col, n in cols.items():
            if seen["rows"].get(rule, {}).get(col) != str(n):
                problems.append(f"{where}: {rule} {col} shows {seen['rows'].get(rule, {}).get(col)!r}, expected {n}")
    if "Patient declines physiotherapy (2)" not in seen["reasons"].get("eccentric-rehab", ""):
        problems.append(f"{where}: eccentric-rehab reasons {seen['reasons'].get('eccentric-rehab')!r}")
    if "Injection site is not the Achilles tendon (2)" not in seen["reasons"].get("steroid-injection", ""):
        problems.append(f"{where}: steroid-injection reasons {seen['reasons'].get('steroid-injection')!r}")
    for rule, weeks in EXPECTED_WEEKS.items():
        chart = seen["charts"].get(rule)
        if chart is None:
            problems.append(f"{where}: no chart for {rule}")
            continue
        drawn = {w["week"]: w for w in chart["weeks"]}
        if sorted(drawn) != sorted(weeks):
            problems.append(f"{where}: {rule} chart weeks {sorted(drawn)}")
            continue
        tallest = max(issued for issued, *_ in weeks.values())
        unit = chart["plot"] / tallest  # px per card: the tallest week fills the plot
        for week, (issued, accepted, overridden, none, snoozed) in weeks.items():
            w = drawn[week]
            if (w["issued"], w["accepted"], w["overridden"], w["none"], w["snoozed"]) != (issued, accepted, overridden, none, snoozed):
                problems.append(f"{where}: {rule} {week} carries {w}")
            for cls, n in (("accepted", accepted), ("overridden", overridden), ("none", none)):
                h = w["heights"].get(cls, 0)
                if abs(h - n * unit) > 1.0:
                    problems.append(f"{where}: {rule} {week} {cls} bar is {h:.1f}px for {n} (expected {n * unit:.1f})")
            if w["total"] != (str(issued) if issued else ""):
                problems.append(f"{where}: {rule} {week} total label {w['total']!r}, expected {issued}")
    if seen["scrollWidth"] > seen["innerWidth"]:
        problems.append(f"{where}: the page is {seen['scrollWidth']}px wide in a {seen['innerWidth']}px window")
    if seen["scripts"] or seen["resources"]:
        problems.append(f"{where}: scripts {seen['scripts']}, fetches {seen['resources']}")
    return problems


def main():
    chromium = shutil.which("chromium")
    if chromium is None:
        print("audit_report_test: chromium is not installed (run scripts/install-deps.sh)")
        return 1
    os.makedirs(SHOTS, exist_ok=True)
    work = tempfile.mkdtemp(prefix="achilles-report-")
    profile = os.path.join(work, "chromium")
    settings = os.path.join(work, "server.json")
    with open(settings, "w") as f:
        json.dump({"authentication": {"required": False}, "fhirFetch": {"enabled": False},
                   "audit": {"dataDir": os.path.join(work, "data"), "reportEndpoint": True}}, f)
    service = browser = None
    try:
        service, m = start([BINARY, "serve", "--port", "0", "--threads", "1", "--config", os.path.join(SOURCE, "config"),
                            "--settings", settings], r"listening on .*:(\d+)\s*$", "stdout")
        base = f"http://127.0.0.1:{m.group(1)}"
        # The service created and migrated the card log; the scenario goes in beside it (WAL: both may write).
        db = sqlite3.connect(os.path.join(work, "data", "audit.db"), timeout=10)
        db.executemany("INSERT INTO cards (card_uuid, issued_at, service, hook, hook_instance, rule, indicator, "
                       "suggestion_uuids, evidence, patient_key, user_key, encounter_key, trigger_key, withheld) "
                       "VALUES (?, ?, ?, ?, 'hi', ?, ?, '', '', ?, 'u', 'e', 't', ?)", CARDS)
        db.executemany("INSERT INTO feedback (card_uuid, service, outcome, accepted_suggestions, override_system, "
                       "override_code, has_comment, outcome_at, received_at) VALUES (?, ?, ?, '', 'x', ?, 0, ?, ?)",
                       [(u, s, o, c, at, at) for (u, s, o, c, at) in FEEDBACK])
        db.commit()
        db.close()
        browser, page = open_browser(chromium, profile)
        problems = []
        for width in WIDTHS:
            page.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1,
                      mobile=width < 500)
            page.call("Page.navigate", url=f"{base}/audit?from=2026-11-02&to=2026-11-22")
            page.wait_event("Page.loadEventFired")
            problems += check(json.loads(page.evaluate(PROBE)), width)
            shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
            with open(os.path.join(SHOTS, f"audit-report-{width}.png"), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        for p in problems:
            print("FAIL", p)
        print(f"audit_report_test: the report at {', '.join(map(str, WIDTHS))}px, {len(problems)} problem(s); "
              f"screenshots in {SHOTS}")
        return 1 if problems else 0
    finally:
        for proc in (browser, service):
            if proc is not None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
