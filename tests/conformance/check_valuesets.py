#!/usr/bin/python3
"""Every configured value set is a valid FHIR R4 ValueSet (JSON schema) whose description names its source.

Usage: check_valuesets.py VALUESETS_DIR FHIR_SCHEMA_JSON
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fhir_schema import FhirSchema  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    directory, schema = sys.argv[1], FhirSchema(sys.argv[2])
    problems, n = [], 0
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".json"):
            continue
        n += 1
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            vs = json.load(f)
        problems += [f"{name}: {e}" for e in schema.errors(vs)]
        if vs.get("resourceType") != "ValueSet":
            problems.append(f"{name}: not a ValueSet")
        if "codes.md" not in vs.get("description", "") and "rules.md" not in vs.get("description", ""):
            problems.append(f"{name}: the description must name its source (codes.md)")
        if name != vs.get("id", "") + ".json":
            problems.append(f"{name}: file name must be <id>.json")
    print(f"checked {n} value sets against the FHIR R4 schema")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print("all valid")


if __name__ == "__main__":
    main()
