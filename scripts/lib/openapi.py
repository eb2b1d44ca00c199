#!/usr/bin/env python3
"""docs/openapi.yaml is the source; the gateway serves it as JSON embedded from
Services/Gateway/Resources/openapi.json.

  openapi.py build   writes the JSON from the YAML
  openapi.py check   validates the YAML (OpenAPI 3.1) and fails if the JSON is not its current copy
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
        if not SERVED.exists() or SERVED.read_text() != rendered():
            print(f"{SERVED.relative_to(ROOT)} is not the current docs/openapi.yaml: run scripts/lib/openapi.py build", file=sys.stderr)
            return 1
        print("docs/openapi.yaml: valid OpenAPI 3.1, served copy current")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
