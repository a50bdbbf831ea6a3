"""Write one failing record fixture per constraint of the record schema, and the valid ones.

Each constraint of ``schema/record-<version>.schema.json`` (a ``type``, ``pattern``,
``maxLength``, ``required``, ...) gets ``tests/fixtures/records/invalid/<location>.json``: a
valid record changed so that it breaks exactly that constraint and nothing else. The test suite
checks that every constraint has its fixture and that each fixture fails with exactly its
location, under both validators newscorpus uses. Rerun after a schema change:

    python scripts/make_record_fixtures.py
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from newscorpus.schemas import constraint_locations, current_schema_version, load_record_schema

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "records"
SAMPLES: list[Any] = [12345, "text", None, [], {}, 1.5, True]


def base_records() -> dict[str, dict[str, Any]]:
    """Valid records: the first seed's, one with every optional value filled, one minimal."""
    first = json.loads((ROOT / "corpus" / "data" / "shard-0.jsonl").read_text().splitlines()[0])
    full = copy.deepcopy(first)
    full.update(
        url="https://example.org/news/2022/01/06/csto",
        published="2022-01-06",
        language="en",
        language_source="sidecar",
        topics=["kazakhstan", "security"],
        sidecar_file="000_0ef69f8f189c5c30.yaml",
        sidecar_sha256="0" * 64,
        corrections=[
            {
                "field": "title",
                "original": ["Old title"],
                "corrected": [first["title"]],
                "reason": "typo in the seed",
            }
        ],
    )
    minimal = copy.deepcopy(first)
    minimal.update(
        publisher=None,
        authors=[],
        byline=None,
        copyright_holder=None,
        dropped_lines=[{"line": 1, "reason": "title", "text": first["title"]}],
    )
    return {"first-seed": first, "all-optional-filled": full, "no-publisher-no-byline": minimal}


def _instance_path(location: tuple[str, ...]) -> list[str | int]:
    path: list[str | int] = []
    for i, part in enumerate(location[:-1]):
        if location[i - 1 : i] == ("properties",) and part != "properties":
            path.append(part)
        elif part == "items":
            path.append(0)
    return path


def _get(document: Any, path: list[str | int]) -> Any:
    for part in path:
        document = document[part]
    return document


def _set(document: Any, path: list[str | int], value: Any) -> None:
    _get(document, path[:-1])[path[-1]] = value


def _candidates(keyword: str, sub: dict[str, Any], current: Any) -> list[Any]:
    if keyword == "type":
        return SAMPLES
    if keyword in ("const", "enum"):
        return ["not-an-allowed-value"]
    if keyword == "pattern":
        return [
            " padded ",
            "UPPERCASE0123456",
            "two\nlines",
            "By",
            "ftp://example.org/x",
            "2022-1-6",
            "no",
            "zz-",
            "x" * 64 + "g",
            "plain",
        ]
    if keyword == "minLength":
        return ["", "x" * (sub["minLength"] - 1), "By"]
    if keyword == "maxLength":
        n = sub["maxLength"]
        return [
            "x" * (n + 1),
            "By " + "x" * n,
            "https://e.org/" + "x" * n,
            "a" * (n + 1),
            "1_" + "0" * 16 + "x" * n + ".txt",
        ]
    if keyword == "minimum":
        return [sub["minimum"] - 1]
    if keyword == "format":
        return ["2022-02-30", "https://exa mple.org", "https://[oops/x"]
    if keyword == "minItems":
        return [[]]
    if keyword == "maxItems":
        item = current[0] if current else "x"
        many = [copy.deepcopy(item) for _ in range(sub["maxItems"] + 1)]
        if all(isinstance(i, str) for i in many):
            many = [f"{item}{i}" for i in range(len(many))]
        return [many]
    if keyword == "uniqueItems":
        return [[current[0], current[0]]]
    return []


def errors_of(validator: Draft202012Validator, instance: Any) -> set[str]:
    """The schema locations an instance breaks, as slash-joined paths."""
    return {"/".join(map(str, e.schema_path)) for e in validator.iter_errors(instance)}


def invalid_for(
    location: tuple[str, ...],
    schema: dict[str, Any],
    base: dict[str, Any],
    validator: Draft202012Validator,
) -> Any:
    keyword = location[-1]
    sub = _get(schema, list(location[:-1]))
    path = _instance_path(location)
    target = "/".join(location)
    if keyword in ("required", "additionalProperties"):
        candidate = copy.deepcopy(base)
        holder = _get(candidate, path)
        if keyword == "required":
            del holder[sub["required"][0]]
        else:
            holder["unexpected"] = 1
        return candidate
    for value in _candidates(keyword, sub, _get(base, path)):
        candidate = copy.deepcopy(base)
        if path:
            _set(candidate, path, value)
        else:
            candidate = value
        if errors_of(validator, candidate) == {target}:
            return candidate
    # `type` beside `const`/`enum`: any other type breaks both, so both are expected there.
    for value in _candidates(keyword, sub, _get(base, path)):
        candidate = copy.deepcopy(base)
        _set(candidate, path, value)
        found = errors_of(validator, candidate)
        if target in found and {f.rsplit("/", 1)[0] for f in found} == {target.rsplit("/", 1)[0]}:
            return candidate
    raise SystemExit(f"no fixture found for {target}: add a candidate value")


def main() -> int:
    schema = load_record_schema()
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    bases = base_records()
    (OUT / "valid").mkdir(parents=True, exist_ok=True)
    (OUT / "invalid").mkdir(parents=True, exist_ok=True)
    for old in [*(OUT / "valid").glob("*.json"), *(OUT / "invalid").glob("*.json")]:
        old.unlink()
    for name, record in bases.items():
        (OUT / "valid" / f"{name}.json").write_text(
            json.dumps(record, indent=2, ensure_ascii=False) + "\n"
        )
    for location in constraint_locations(schema):
        record = invalid_for(location, schema, bases["all-optional-filled"], validator)
        name = ".".join(p for p in location if p != "properties") or "root"
        (OUT / "invalid" / f"{name}.json").write_text(
            json.dumps(record, indent=2, ensure_ascii=False) + "\n"
        )
    print(
        f"schema {current_schema_version()}: {len(bases)} valid and "
        f"{len(constraint_locations(schema))} invalid fixtures in {OUT.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
