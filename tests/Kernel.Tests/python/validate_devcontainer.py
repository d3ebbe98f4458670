"""Validates a dev container configuration (plain JSON: the caller has already removed JSONC's comments) against the
dev container schema committed in tests/Kernel.Tests/reference/ (JSON Schema draft 2019-09; python3-jsonschema).

    /usr/bin/python3 validate_devcontainer.py <schema.json> <devcontainer.json>

Exit 0: valid. Exit 1: invalid; every error is printed, one a line, as "<path in the file>: <message>". Exit 2: the
files cannot be read or the schema is not a valid draft 2019-09 schema."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is missing; run 'apt-get install python3-jsonschema'.", file=sys.stderr)
    sys.exit(2)


def load(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"cannot read the {what} {path}: {e}", file=sys.stderr)
        sys.exit(2)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema = load(argv[1], "schema")
    instance = load(argv[2], "dev container configuration")
    validator_class = jsonschema.Draft201909Validator
    declared = schema.get("$schema", "")
    if "2019-09" not in declared:
        print(f"the schema declares {declared!r}, not draft 2019-09, which this validator applies.", file=sys.stderr)
        return 2
    try:
        validator_class.check_schema(schema)
    except jsonschema.SchemaError as e:
        print(f"the schema is not a valid draft 2019-09 schema: {e.message}", file=sys.stderr)
        return 2
    errors = list(validator_class(schema).iter_errors(instance))
    for line in sorted(set(describe(errors))):
        print(line)
    return 1 if errors else 0


def describe(errors):
    """One line per error. A oneOf over the kinds of configuration (image, Dockerfile, Compose) fails as a whole when
    one property is wrong; what says why is the deepest error among its alternatives, so those are printed instead."""
    def leaves(error):
        if error.context:
            for inner in error.context:
                yield from leaves(inner)
        else:
            yield error
    for error in errors:
        found = list(leaves(error))
        depth = max(len(e.absolute_path) for e in found)
        for e in (found if depth > 0 else [error]):
            if len(e.absolute_path) == depth:
                message = e.message if len(e.message) <= 300 else e.message[:300] + "..."
                yield "/" + "/".join(str(p) for p in e.absolute_path) + ": " + message


if __name__ == "__main__":
    sys.exit(main(sys.argv))
