#!/usr/bin/env python3
"""Searches every log line the suite's service instances wrote (tests/support/suite_log.h) for what must
never be logged: patient, encounter and user identifiers, access tokens, patients' names, identifiers and
contact details, and notes, all taken from the requests the suite sends (tests/data), plus the values the
C++ tests plant, and anything shaped like a JWT or a bearer token.

   check_logs.py LOG_DIR TESTS_DIR

Fails when a value is found (naming file and line, never printing the line), and, after a whole-suite run
(every test binary of tests/CMakeLists.txt left its file), when the folder does not hold lines of every kind
of process the suite runs (a search over nothing proves nothing)."""
import glob
import json
import os
import re
import sys

# Planted by the C++ tests (tests/cli_test.cpp, tests/hooks/*): distinctive, so only a leak can log them.
PLANTED = ["SECRET-TOKEN-123", "SECRET-JWT-456", "pt-51c9d2", "cond-7f3a9e"]
# Each origin a kind of process that writes the service's log lines (file names: ORIGIN.PID.N.log).
ORIGINS = {"in-process": "test binaries' in-process servers", "serve": "spawned servers",
           "cli": "command-line runs", "browser": "the browser tests' servers"}
SHAPES = [re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),  # a JWT (its header is base64url "{")
          re.compile(r"Bearer\s+[A-Za-z0-9._~+/-]{8,}")]


def distinctive(value):
    """Long enough, and with a digit or a separator, that only a leak puts it in a log line."""
    return isinstance(value, str) and len(value) >= 5 and re.search(r"[0-9\-_ ]", value) is not None


def walk_resource(r, out):
    if not isinstance(r, dict):
        return
    if r.get("resourceType") == "Bundle":
        for e in r.get("entry") or []:
            walk_resource((e or {}).get("resource"), out)
        return
    if r.get("resourceType") == "Patient":
        for n in r.get("name") or []:
            out.update(v for v in [n.get("text"), n.get("family")] + list(n.get("given") or []) if isinstance(v, str))
        for key in ("identifier", "telecom"):
            out.update(i.get("value") for i in r.get(key) or [] if distinctive(i.get("value")))
    for n in r.get("note") or []:
        if distinctive((n or {}).get("text")):
            out.add(n["text"])
    if distinctive(r.get("id")) and re.search(r"\d", r["id"]):
        out.add(r["id"])


def secrets_from(tests_dir):
    out = set(PLANTED)
    for path in glob.glob(os.path.join(tests_dir, "data", "**", "*.json"), recursive=True):
        try:
            with open(path) as f:
                d = json.load(f)
        except (ValueError, UnicodeDecodeError):
            continue
        if not isinstance(d, dict) or "hook" not in d:
            continue
        ctx = d.get("context") or {}
        for key in ("patientId", "encounterId", "userId"):
            v = ctx.get(key)
            v = v.split("/")[-1] if isinstance(v, str) else v
            if distinctive(v) or (isinstance(v, str) and re.search(r"\d", v)):
                out.add(v)
        token = (d.get("fhirAuthorization") or {}).get("access_token")
        if isinstance(token, str):
            out.add(token)
        for r in (d.get("prefetch") or {}).values():
            walk_resource(r, out)
        for r in ((ctx.get("draftOrders") or {}).get("entry") or []):
            walk_resource((r or {}).get("resource"), out)
    return sorted(v for v in out if isinstance(v, str) and len(v) >= 4)


def matcher(secrets):
    words = "|".join(re.escape(s) for s in sorted(secrets, key=len, reverse=True))
    # Whole values only: "pat-1" must not match inside "pat-12", nor an id inside a longer word.
    return re.compile(r"(?<![A-Za-z0-9])(?:" + words + r")(?![A-Za-z0-9])")


def find(lines, word, shapes=SHAPES):
    for n, line in enumerate(lines, 1):
        m = word.search(line)
        if m:
            return n, m.group(0)
        for s in shapes:
            if s.search(line):
                return n, "a token"
    return None


def main():
    log_dir, tests_dir = sys.argv[1], sys.argv[2]
    secrets = secrets_from(tests_dir)
    word = matcher(secrets)
    # The search itself must be able to fail: a line that leaks must be caught.
    assert find(["2026-11-28T12:00:00Z info patient pat-1 seen"], word) == (1, "pat-1"), "the matcher is broken"
    assert find(['{"event":"refused","status":400}'], word) is None, "the matcher flags a clean line"

    problems, lines_by_origin, files, binaries = [], {}, 0, set()
    for path in sorted(glob.glob(os.path.join(log_dir, "*.log"))):
        origin = os.path.basename(path).split(".")[0]
        if origin == "in-process":
            binaries.add(os.path.basename(path).split(".")[1])
        origin = "browser" if origin.endswith("_test") else origin  # rule_pages_test.py.PID.NS.log
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
        files += 1
        lines_by_origin[origin] = lines_by_origin.get(origin, 0) + len(lines)
        hit = find(lines, word)
        if hit:
            problems.append(f"{os.path.basename(path)} line {hit[0]}: holds {hit[1]!r}")
    with open(os.path.join(tests_dir, "CMakeLists.txt")) as f:
        suite = set(re.findall(r"^achilles_test\((\w+)", f.read(), re.M))
    whole = suite <= binaries
    for origin, words in ORIGINS.items():
        if whole and lines_by_origin.get(origin, 0) == 0:
            problems.append(f"no log lines from {words} ({origin}.*.log): the suite's logs were not collected")
    if not whole:
        print(f"check_logs: a partial run ({len(binaries & suite)} of {len(suite)} test binaries): searched what "
              "there is; every kind of process is required only after the whole suite")
    for p in problems:
        print("FAIL", p)
    total = sum(lines_by_origin.values())
    print(f"check_logs: {total} lines in {files} files ({', '.join(f'{k} {v}' for k, v in sorted(lines_by_origin.items()))}); "
          f"searched for {len(secrets)} values from the suite's requests and token shapes; {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
