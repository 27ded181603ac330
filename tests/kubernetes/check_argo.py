"""Checks Argo Rollouts objects against a field reference, refusing any
field it does not list.

usage: check_argo.py FIELDS.yaml KUBERNETES_VERSION FILE...

FIELDS.yaml holds CustomResourceDefinitions (one document per kind, the
shape Argo Rollouts publishes its CRDs in). Every object schema that lists
`properties` and says nothing of `additionalProperties` (nor preserves
unknown fields) is closed: a field it does not list is an error, where the
API server would prune it without a word. `x-kubernetes-int-or-string` is
read as "an integer or a string". References to
`https://kubernetes.io/api/_definitions.json` resolve to the strict
definitions kubernetes-validate bundles for KUBERNETES_VERSION (such as
`1.31.0`). Prints one line per error; exits 1 when there is any, 2 on a
usage error.
"""

import importlib.resources
import json
import sys

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

DEFINITIONS = "https://kubernetes.io/api/_definitions.json"


def close(schema):
    """Closes every object schema under `schema`, in place."""
    if not isinstance(schema, dict):
        return
    if schema.get("x-kubernetes-int-or-string"):
        schema.setdefault("anyOf", [{"type": "integer"}, {"type": "string"}])
    if (
        "properties" in schema
        and "additionalProperties" not in schema
        and not schema.get("x-kubernetes-preserve-unknown-fields")
    ):
        schema["additionalProperties"] = False
    for key in ("properties", "$defs"):
        for child in schema.get(key, {}).values():
            close(child)
    for key in ("items", "additionalProperties"):
        close(schema.get(key))
    for key in ("anyOf", "allOf", "oneOf"):
        for child in schema.get(key, []):
            close(child)


def kubernetes_definitions(version):
    folder = importlib.resources.files("kubernetes_validate").joinpath(
        "kubernetes-json-schema", "v%s-local-strict" % version, "_definitions.json"
    )
    with folder.open(encoding="utf-8") as f:
        return json.load(f)


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    fields, version, files = argv[1], argv[2], argv[3:]
    with open(fields, encoding="utf-8") as f:
        crds = [d for d in yaml.safe_load_all(f) if d]
    schemas = {}
    for crd in crds:
        kind = crd["spec"]["names"]["kind"]
        for served in crd["spec"]["versions"]:
            schema = served["schema"]["openAPIV3Schema"]
            close(schema)
            schemas[(crd["spec"]["group"] + "/" + served["name"], kind)] = schema
    registry = Registry().with_resource(
        DEFINITIONS, Resource.from_contents(kubernetes_definitions(version))
    )
    errors = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            documents = [d for d in yaml.safe_load_all(f) if d is not None]
        if len(documents) != 1:
            print("%s: %d documents, not one" % (path, len(documents)))
            errors += 1
            continue
        document = documents[0]
        key = (document.get("apiVersion"), document.get("kind"))
        schema = schemas.get(key)
        if schema is None:
            print("%s: no field reference for %s %s" % (path, key[0], key[1]))
            errors += 1
            continue
        validator = Draft202012Validator(schema, registry=registry)
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
            where = ".".join(str(p) for p in error.absolute_path) or "(the object)"
            print("%s: %s: %s" % (path, where, error.message))
            errors += 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
