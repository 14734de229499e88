#!/usr/bin/python3
"""The conformance checker must catch what it claims to: each broken response below fails for its reason."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = sys.argv.pop(1) if len(sys.argv) > 1 else ""

GOOD_CARD = {
    "uuid": "4e0a3a1e-3283-4575-ab82-028d55fe2719", "summary": "s", "indicator": "info", "source": {"label": "l"},
    "suggestions": [{"label": "x", "uuid": "e56e1945-20b3-4393-8503-a1a20fd73152", "actions": [
        {"type": "create", "description": "d", "resource": {
            "resourceType": "ServiceRequest", "status": "draft", "intent": "order",
            "subject": {"reference": "Patient/1"}}}]}],
    "selectionBehavior": "any",
}


def card(**changes):
    c = json.loads(json.dumps(GOOD_CARD))
    for k, v in changes.items():
        if v is None:
            c.pop(k, None)
        else:
            c[k] = v
    return c


def run(files):
    with tempfile.TemporaryDirectory() as d:
        for name, body in files.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(body if isinstance(body, str) else json.dumps(body))
        p = subprocess.run([sys.executable, os.path.join(HERE, "check_responses.py"), d, SCHEMA],
                           capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr


class Checker(unittest.TestCase):
    def assertFlags(self, body, reason, kind="cards-200"):
        code, out = run({f"{kind}-1-1.json": body})
        self.assertEqual(code, 1, out)
        self.assertIn(reason, out)

    def test_good_card_passes(self):
        code, out = run({"cards-200-1-1.json": {"cards": [GOOD_CARD]}})
        self.assertEqual(code, 0, out)

    def test_long_summary(self):
        self.assertFlags({"cards": [card(summary="x" * 140)]}, "must be < 140")

    def test_empty_optional_member(self):
        self.assertFlags({"cards": [card(detail="")]}, "optional members must be omitted")
        self.assertFlags({"cards": [card(links=[])]}, "optional members must be omitted")

    def test_suggestions_without_selection_behavior(self):
        self.assertFlags({"cards": [card(selectionBehavior=None)]}, "cds-resp-6")

    def test_at_most_one_with_two_recommended(self):
        s = dict(GOOD_CARD["suggestions"][0], isRecommended=True)
        self.assertFlags({"cards": [card(suggestions=[s, s], selectionBehavior="at-most-one")]}, "cds-resp-1")

    def test_delete_with_resource(self):
        s = {"label": "x", "actions": [{"type": "delete", "description": "d", "resource": {"resourceType": "Patient"}}]}
        self.assertFlags({"cards": [card(suggestions=[s])]}, "cds-resp-2")

    def test_action_without_description(self):
        s = {"label": "x", "actions": [{"type": "delete", "resourceId": "MedicationRequest/1"}]}
        self.assertFlags({"cards": [card(suggestions=[s])]}, "cds-resp-5")

    def test_override_reason_without_display(self):
        self.assertFlags({"cards": [card(overrideReasons=[{"system": "s", "code": "c"}])]}, "cds-resp-4")

    def test_app_context_on_absolute_link(self):
        link = {"label": "l", "url": "https://example.org", "type": "absolute", "appContext": "x"}
        self.assertFlags({"cards": [card(links=[link])]}, "cds-resp-3")

    def test_invalid_fhir_resource(self):
        bad = json.loads(json.dumps(GOOD_CARD))
        bad["suggestions"][0]["actions"][0]["resource"]["status"] = 7
        bad["suggestions"][0]["actions"][0]["resource"]["bogus"] = True
        self.assertFlags({"cards": [bad]}, "FHIR R4 schema")

    def test_error_must_be_an_operation_outcome(self):
        self.assertFlags({"error": "nope"}, "must be an OperationOutcome", kind="error-400")
        self.assertFlags({"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "invalid"}]},
                         "issue[0].diagnostics", kind="error-400")

    def test_feedback_answers_have_no_body(self):
        code, out = run({"feedback-200-1-1.json": ""})
        self.assertEqual(code, 0, out)
        self.assertFlags("{}", "a feedback answer with a body", kind="feedback-200")

    def test_metrics_prometheus_can_read(self):
        good = ("# HELP achilles_cards_total Cards\n# TYPE achilles_cards_total counter\n"
                "achilles_cards_total{rule=\"eccentric-rehab\",service=\"achilles-patient-view\"} 2\n")
        code, out = run({"metrics-200-1-1.json": good})
        self.assertEqual(code, 0, out)
        self.assertFlags("achilles_x{a=} 1\n", "Prometheus cannot parse it", kind="metrics-200")
        self.assertFlags("achilles_x_total 1\n", "has no HELP", kind="metrics-200")
        self.assertFlags(good.replace("eccentric-rehab", "Pat Smith"), "not a plain word or id", kind="metrics-200")
        self.assertFlags(good.replace("achilles_cards_total", "cards_total"), "not under the achilles_ prefix",
                         kind="metrics-200")

    def test_nothing_recorded_fails(self):
        code, out = run({})
        self.assertEqual(code, 1)
        self.assertIn("nothing to check", out)


if __name__ == "__main__":
    unittest.main()
