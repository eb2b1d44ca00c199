#!/usr/bin/env python3
"""docs/openapi.yaml is the source; the gateway serves it as JSON embedded from
Services/Gateway/Resources/openapi.json.

  openapi.py build   writes the JSON from the YAML
  openapi.py check   validates the YAML (OpenAPI 3.1), holds it to the platform's rules (below) and
                     fails if the JSON is not its current copy

The rules, each what a client (and schemathesis) would otherwise meet undocumented: an operation
that takes any input documents 400; one behind a bearer token documents 401 and 429; one on an
/admin path 403.
"""
import json
import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCE = ROOT / "docs" / "openapi.yaml"
SERVED = ROOT / "Services" / "Gateway" / "Resources" / "openapi.json"


def rendered() -> str:
    return json.dumps(yaml.safe_load(SOURCE.read_text()), indent=1, ensure_ascii=False) + "\n"


def broken_rules(document) -> list:
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            statuses = operation.get("responses", {})
            secured = operation.get("security", document.get("security")) not in (None, [])
            required = {
                "400": bool(operation.get("parameters") or operations.get("parameters") or "requestBody" in operation),
                "401": secured, "429": secured,
                "403": secured and path.startswith("/api/v1/admin/"),
            }
            found += [f"{method.upper()} {path} does not document {status}" for status, needed in required.items() if needed and status not in statuses]
    return found


def main(command: str) -> int:
    if command == "build":
        SERVED.write_text(rendered())
        print(f"wrote {SERVED.relative_to(ROOT)}")
        return 0
    if command == "check":
        from openapi_spec_validator import validate
        from openapi_spec_validator.readers import read_from_filename

        document, _ = read_from_filename(str(SOURCE))
        validate(document)
        if broken := broken_rules(document):
            print("\n".join(broken), file=sys.stderr)
            return 1
        if not SERVED.exists() or SERVED.read_text() != rendered():
            print(f"{SERVED.relative_to(ROOT)} is not the current docs/openapi.yaml: run scripts/lib/openapi.py build", file=sys.stderr)
            return 1
        print("docs/openapi.yaml: valid OpenAPI 3.1, served copy current")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
