#!/usr/bin/python3
"""Checks every response the test suite recorded (tests/support/recorder.h).

Cards: the CDS Hooks 2.0 card rules in ../shared/cds-hooks/spec.md (checklist 2, 7, 8) and the 3.0 ballot
invariants cds-resp-1..6; every resource inside a suggestion must validate against the FHIR R4 JSON schema.
Errors: every non-2xx body is an OperationOutcome that validates against the schema and says what was wrong.
Discovery: the service list's required members.

Usage: check_responses.py RESPONSES_DIR FHIR_SCHEMA_JSON
"""
import html.parser
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fhir_schema import FhirSchema  # noqa: E402

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# A relative reference Type/id. The id as EHRs make them (hooks/hook_request.h IsEhrId): Epic's order ids
# are ~190 characters, longer than FHIR's 64, and never hold a path character.
REFERENCE = re.compile(r"^[A-Z][A-Za-z]+/[A-Za-z0-9\-._~+=:]{1,512}$")
ABSOLUTE = re.compile(r"^https?://\S+$")


def empty_values(value, path):
    """Optional members are omitted, never null, "", [] or {} (spec.md checklist 2)."""
    if value is None or value == "" or value == [] or value == {}:
        yield f"{path} is empty ({json.dumps(value)}): optional members must be omitted"
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from empty_values(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from empty_values(v, f"{path}[{i}]")


def check_card(card, where, schema, counts):
    problems = list(empty_values(card, where))
    if not isinstance(card.get("uuid"), str) or not UUID.match(card["uuid"]):
        problems.append(f"{where}.uuid is not a UUID")
    summary = card.get("summary")
    if not isinstance(summary, str) or not summary:
        problems.append(f"{where}.summary is required")
    elif len(summary) >= 140:
        problems.append(f"{where}.summary has {len(summary)} characters (must be < 140)")
    if card.get("indicator") not in ("info", "warning", "critical"):
        problems.append(f"{where}.indicator {card.get('indicator')!r} is not info|warning|critical")
    if "detail" in card and not isinstance(card["detail"], str):
        problems.append(f"{where}.detail must be markdown text")
    source = card.get("source")
    if not isinstance(source, dict) or not isinstance(source.get("label"), str) or not source["label"]:
        problems.append(f"{where}.source.label is required")
    else:
        for key in ("url", "icon"):
            if key in source and not ABSOLUTE.match(source[key]):
                problems.append(f"{where}.source.{key} is not an absolute URL")
        topic = source.get("topic")
        if topic is not None and not (isinstance(topic, dict) and topic.get("system") and topic.get("code")):
            problems.append(f"{where}.source.topic must be a Coding with system and code")
    suggestions = card.get("suggestions")
    if suggestions is not None:
        behavior = card.get("selectionBehavior")
        if behavior not in ("at-most-one", "any"):
            problems.append(f"{where}: cds-resp-6: suggestions need selectionBehavior at-most-one|any, got {behavior!r}")
        recommended = sum(1 for s in suggestions if s.get("isRecommended") is True)
        if behavior == "at-most-one" and recommended > 1:
            problems.append(f"{where}: cds-resp-1: at-most-one with {recommended} recommended suggestions")
        for i, s in enumerate(suggestions):
            sw = f"{where}.suggestions[{i}]"
            if not isinstance(s.get("label"), str) or not s["label"]:
                problems.append(f"{sw}.label is required")
            if "uuid" in s and not UUID.match(str(s["uuid"])):
                problems.append(f"{sw}.uuid is not a UUID")
            if "isRecommended" in s and not isinstance(s["isRecommended"], bool):
                problems.append(f"{sw}.isRecommended must be a boolean")
            for j, a in enumerate(s.get("actions", [])):
                aw = f"{sw}.actions[{j}]"
                if a.get("type") not in ("create", "update", "delete"):
                    problems.append(f"{aw}.type {a.get('type')!r} is not create|update|delete")
                if not isinstance(a.get("description"), str) or not a["description"]:
                    problems.append(f"{aw}: cds-resp-5: actions need a description")
                if a.get("type") == "delete":
                    if "resource" in a:
                        problems.append(f"{aw}: cds-resp-2: delete carries no resource")
                    if not isinstance(a.get("resourceId"), str) or not REFERENCE.match(a["resourceId"]):
                        problems.append(f"{aw}: cds-resp-2: delete needs resourceId Type/id, got {a.get('resourceId')!r}")
                else:
                    resource = a.get("resource")
                    if not isinstance(resource, dict):
                        problems.append(f"{aw}: {a.get('type')} needs a resource")
                    else:
                        counts["resources"] += 1
                        problems += [f"{aw}.resource: FHIR R4 schema: {e}" for e in schema.errors(resource)]
    elif "selectionBehavior" in card:
        problems.append(f"{where}.selectionBehavior without suggestions")
    for i, reason in enumerate(card.get("overrideReasons", [])):
        if not reason.get("display"):
            problems.append(f"{where}.overrideReasons[{i}]: cds-resp-4: needs a display")
        if not reason.get("code") or not reason.get("system"):
            problems.append(f"{where}.overrideReasons[{i}] needs system and code")
    for i, link in enumerate(card.get("links", [])):
        lw = f"{where}.links[{i}]"
        if not link.get("label") or not ABSOLUTE.match(str(link.get("url", ""))):
            problems.append(f"{lw} needs a label and an absolute url")
        if link.get("type") not in ("absolute", "smart"):
            problems.append(f"{lw}.type must be absolute|smart")
        if "appContext" in link and link.get("type") != "smart":
            problems.append(f"{lw}: cds-resp-3: appContext only for smart links")
    return problems


def check_cards(body, where, schema, counts):
    if not isinstance(body, dict) or not isinstance(body.get("cards"), list):
        return [f"{where}: a service response is {{\"cards\": [...]}}"]
    problems = []
    for key in body:
        if key not in ("cards", "systemActions"):
            problems.append(f"{where}: unexpected member {key!r}")
    for i, card in enumerate(body["cards"]):
        counts["cards"] += 1
        problems += check_card(card, f"{where}.cards[{i}]", schema, counts)
    return problems


def check_error(body, where, status, schema):
    if not isinstance(body, dict) or body.get("resourceType") != "OperationOutcome":
        return [f"{where}: a {status} body must be an OperationOutcome"]
    problems = [f"{where}: FHIR R4 schema: {e}" for e in schema.errors(body)]
    issues = body.get("issue") or []
    if not issues or not issues[0].get("diagnostics"):
        problems.append(f"{where}: the OperationOutcome must say what was wrong (issue[0].diagnostics)")
    return problems


def check_discovery(body, where):
    problems = list(empty_values(body, where))
    services = body.get("services") if isinstance(body, dict) else None
    if not isinstance(services, list) or not services:
        return problems + [f"{where}: discovery is {{\"services\": [...]}}"]
    ids = set()
    for i, s in enumerate(services):
        for key in ("hook", "description", "id"):
            if not isinstance(s.get(key), str) or not s[key]:
                problems.append(f"{where}.services[{i}].{key} is required")
        if (s.get("id"), s.get("hook")) in ids:
            problems.append(f"{where}.services[{i}]: duplicate id/hook")
        ids.add((s.get("id"), s.get("hook")))
        for key, template in (s.get("prefetch") or {}).items():
            if not isinstance(template, str):
                problems.append(f"{where}.services[{i}].prefetch.{key} must be a query string")
    return problems


class _Page(html.parser.HTMLParser):
    VOID = {"meta", "br", "img", "link", "hr", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.links, self.problems = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs).get("href", ""))
        if tag == "script":
            self.problems.append("a <script> in a rule page")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else '(nothing)'}>")
        else:
            self.stack.pop()


def check_metrics(text, name):
    """A scrape Prometheus can read: its parser takes every line, each family has HELP and TYPE, and no
    label value looks like an identifier or a token (values come from fixed sets: ids, words, numbers)."""
    from prometheus_client.parser import text_string_to_metric_families
    problems = []
    try:
        families = list(text_string_to_metric_families(text))
    except Exception as e:  # the parser raises ValueError and others on a malformed line
        return [f"{name}: Prometheus cannot parse it: {e}"]
    if not families:
        problems.append(f"{name}: no metric families")
    for f in families:
        if not f.name.startswith("achilles_"):
            problems.append(f"{name}: {f.name} is not under the achilles_ prefix")
        if not f.documentation:
            problems.append(f"{name}: {f.name} has no HELP")
        for sample in f.samples:
            for label, value in sample.labels.items():
                if label in ("le", "compiler", "version"):
                    continue
                if not re.fullmatch(r"[a-z0-9_.-]{0,64}", value):
                    problems.append(f"{name}: {sample.name} label {label}={value!r} is not a plain word or id")
    return problems


def check_page(text, name):
    """A rule page (GET /rules/{id}): well-formed HTML whose every link is an absolute http(s) URL."""
    if not text.startswith("<!doctype html>"):
        return [f"{name}: not an HTML page"]
    p = _Page()
    p.feed(text)
    problems = [f"{name}: {x}" for x in p.problems]
    if p.stack:
        problems.append(f"{name}: unclosed <{p.stack[-1]}>")
    problems += [f"{name}: link {h!r} is not an absolute URL (no dead '#' links)" for h in p.links if not ABSOLUTE.match(h)]
    return problems


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    directory, schema_path = sys.argv[1], sys.argv[2]
    schema = FhirSchema(schema_path)
    files = sorted(os.listdir(directory)) if os.path.isdir(directory) else []
    if not files:
        sys.exit(f"no responses recorded in {directory}: the suite produced nothing to check")
    counts = {"responses": 0, "cards": 0, "resources": 0, "errors": 0, "discovery": 0, "pages": 0, "feedback": 0,
              "reports": 0, "metrics": 0}
    problems = []
    for name in files:
        kind, status = name.split("-")[0], int(name.split("-")[1])
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            text = f.read()
        if kind == "page":
            counts["pages"] += 1
            problems += check_page(text, name)
            continue
        if kind == "report":  # GET /audit (one self-contained HTML file) or /audit/report.json
            counts["reports"] += 1
            if text.startswith("<!doctype html>"):
                if "<script" in text or "src=" in text or "http" in text:
                    problems.append(f"{name}: the HTML report fetches or runs something")
            else:
                try:
                    if "total" not in json.loads(text):
                        problems.append(f"{name}: a JSON report without totals")
                except ValueError as e:
                    problems.append(f"{name}: a report that is neither HTML nor JSON: {e}")
            continue
        if kind == "metrics":  # GET /metrics: Prometheus text exposition, read by Prometheus's own parser
            counts["metrics"] += 1
            problems += check_metrics(text, name)
            continue
        if kind == "feedback":  # recorded feedback is answered 200 with no body
            counts["feedback"] += 1
            if text != "":
                problems.append(f"{name}: a feedback answer with a body")
            continue
        try:
            body = json.loads(text)
        except ValueError as e:
            problems.append(f"{name}: not JSON: {e}")
            continue
        counts["responses"] += 1
        if kind == "cards":
            problems += check_cards(body, name, schema, counts)
        elif kind == "error":
            counts["errors"] += 1
            problems += check_error(body, name, status, schema)
        elif kind == "discovery":
            counts["discovery"] += 1
            problems += check_discovery(body, name)
    print(f"checked {counts['responses']} responses: {counts['cards']} cards, {counts['resources']} suggested resources "
          f"(FHIR R4 schema), {counts['errors']} OperationOutcomes, {counts['discovery']} discovery documents, "
          f"{counts['pages']} rule pages, {counts['feedback']} feedback answers, {counts['reports']} reports, "
          f"{counts['metrics']} metrics pages")
    if problems:
        print(f"{len(problems)} problems:")
        for p in problems[:200]:
            print("  " + p)
        sys.exit(1)
    print("all conform")


if __name__ == "__main__":
    main()
