#!/usr/bin/env python3
"""validate-json.py SCHEMA FILE: validate FILE against an OCI JSON schema,
resolving the schema's relative $refs (defs.json, config-linux.json, ...)."""
import json
import pathlib
import sys

import jsonschema


def main():
    schema_path = pathlib.Path(sys.argv[1]).resolve()
    with open(schema_path) as f:
        schema = json.load(f)
    with open(sys.argv[2]) as f:
        document = json.load(f)
    resolver = jsonschema.RefResolver(base_uri=schema_path.as_uri(), referrer=schema)
    validator = jsonschema.Draft4Validator(schema, resolver=resolver)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    for error in errors:
        path = "/".join(str(p) for p in error.path)
        print(f"{sys.argv[2]}: {path}: {error.message}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
