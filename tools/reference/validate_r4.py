#!/usr/bin/env python3
"""Validate FHIR R4 JSON files with fhir.resources 6.4.0, an implementation independent of Iris.

fhir.resources 6.4.0 is the last release whose models are FHIR R4 (4.0.1); later releases
are R4B and R5. It checks structure and types: required elements, cardinality, choice types
(`value[x]`: one at a time), primitive formats (dates, ids, …) and unknown elements (an R5
field is an error). It does not check terminology bindings, references or FHIRPath
invariants.

    python3 -m venv VENV
    VENV/bin/pip install "fhir.resources==6.4.0" "pydantic[email]<2"
    VENV/bin/python tools/reference/validate_r4.py [--jobs N] PATH...

`cargo xtask test` builds that virtual environment under /var/cache/iris/fhirgen/ and passes
its Python to the tests as IRIS_FHIR_R4_PYTHON (iris_tests::fhir::validate_r4 runs this).

A PATH is a file or a directory (its *.json and *.ndjson files, recursively, sorted, hidden
names skipped). A .json
file holds a Bundle (the Bundle is validated without its entries' resources, then every entry
resource on its own) or a single resource; a .ndjson file holds one resource per line.

Output: one JSON line per file, in the order given,
    {"file": PATH, "resources": N, "errors": [{"index": I, "resourceType": T, "error": E}]}
N counts entry resources (not the Bundle) or NDJSON lines. I is the 0-based entry index, or
the 0-based line index in NDJSON, or null for the Bundle itself or the whole file. E lists
pydantic's error locations and types, [{"loc": [...], "type": "..."}], and never a value from
the data (the messages, which can quote values, are left out).

Exit status: 0 when every resource is valid, 1 when any is not, 2 on a usage error.
"""

import argparse
import json
import os
import sys
from multiprocessing import Pool

import fhir.resources
from fhir.resources import get_fhir_model_class
from pydantic import ValidationError

if fhir.resources.__fhir_version__ != "4.0.1":
    sys.exit(f"validate_r4.py needs fhir.resources 6.4.0 (FHIR 4.0.1), "
             f"found FHIR {fhir.resources.__fhir_version__}")


def model_for(resource_type):
    """The R4 model of a resource type, or None for a name that is not one."""
    if not isinstance(resource_type, str):
        return None
    try:
        return get_fhir_model_class(resource_type)
    except (KeyError, ValueError, AttributeError, ImportError):
        return None


def check(resource, index):
    """The error record of one resource, or None when it is valid."""
    if not isinstance(resource, dict):
        return {"index": index, "resourceType": None,
                "error": [{"loc": [], "type": "type_error.dict"}]}
    rt = resource.get("resourceType")
    model = model_for(rt)
    if model is None:
        return {"index": index, "resourceType": None,
                "error": [{"loc": ["resourceType"], "type": "value_error.unknown_resource_type"}]}
    try:
        model.parse_obj(resource)
        return None
    except ValidationError as e:
        return {"index": index, "resourceType": rt,
                "error": [{"loc": [str(x) if not isinstance(x, int) else x for x in err["loc"]],
                           "type": err["type"]} for err in e.errors()]}
    except Exception as e:  # a validator that raised something else: still no values
        return {"index": index, "resourceType": rt,
                "error": [{"loc": [], "type": f"exception.{type(e).__name__}"}]}


def validate_json(path):
    with open(path, "rb") as f:
        try:
            doc = json.load(f)
        except (ValueError, UnicodeDecodeError):
            return 0, [{"index": None, "resourceType": None,
                        "error": [{"loc": [], "type": "json.invalid"}]}]
    errors = []
    if isinstance(doc, dict) and doc.get("resourceType") == "Bundle":
        entries = doc.get("entry")
        if not isinstance(entries, list):
            entries = []
        resources = []
        shell_entries = []
        for entry in entries:
            if isinstance(entry, dict) and "resource" in entry:
                resources.append((len(shell_entries), entry["resource"]))
                entry = {k: v for k, v in entry.items() if k != "resource"}
            shell_entries.append(entry)
        shell = dict(doc)
        if isinstance(doc.get("entry"), list):
            shell["entry"] = shell_entries
        err = check(shell, None)
        if err:
            errors.append(err)
        for index, resource in resources:
            err = check(resource, index)
            if err:
                errors.append(err)
        return len(resources), errors
    err = check(doc, None)
    return 1, [err] if err else []


def validate_ndjson(path):
    errors = []
    n = 0
    with open(path, "rb") as f:
        for index, line in enumerate(f):
            if not line.strip():
                continue
            n += 1
            try:
                resource = json.loads(line)
            except (ValueError, UnicodeDecodeError):
                errors.append({"index": index, "resourceType": None,
                               "error": [{"loc": [], "type": "json.invalid"}]})
                continue
            err = check(resource, index)
            if err:
                errors.append(err)
    return n, errors


def validate(path):
    try:
        if path.endswith(".ndjson"):
            n, errors = validate_ndjson(path)
        else:
            n, errors = validate_json(path)
    except OSError as e:
        n, errors = 0, [{"index": None, "resourceType": None,
                         "error": [{"loc": [], "type": f"os_error.{type(e).__name__}"}]}]
    line = json.dumps({"file": path, "resources": n, "errors": errors}, ensure_ascii=False)
    return not errors, line


def expand(paths):
    for p in paths:
        if os.path.isdir(p):
            found = []
            for dirpath, dirs, names in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found.extend(os.path.join(dirpath, n) for n in names
                             if n.endswith((".json", ".ndjson")) and not n.startswith("."))
            yield from sorted(found)
        else:
            yield p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("paths", nargs="+", help="files or directories")
    args = ap.parse_args()
    files = list(expand(args.paths))
    if not files:
        ap.error("no .json or .ndjson files found")
    jobs = max(1, min(args.jobs, len(files)))
    ok = True

    def report(results):
        nonlocal ok
        for valid, line in results:
            ok &= valid
            print(line, flush=True)

    if jobs == 1:
        report(map(validate, files))
    else:
        with Pool(jobs) as pool:
            report(pool.imap(validate, files))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
