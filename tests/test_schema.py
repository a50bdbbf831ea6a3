"""The record schema: valid itself, in step with ``Record``, and every constraint tested."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from pathlib import Path

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator

from newscorpus.record import Record
from newscorpus.schemas import (
    constraint_locations,
    current_schema_version,
    load_record_schema,
    load_sidecar_schema,
)

FIXTURES = Path(__file__).parent / "fixtures" / "records"
SCHEMA = load_record_schema()
STRICT = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
FAST = jsonschema_rs.validator_for(SCHEMA, validate_formats=True)


def _location_of(fixture: Path) -> str:
    parts = fixture.stem.split(".")
    out: list[str] = []
    for i, part in enumerate(parts):
        is_keyword = i == len(parts) - 1
        out.append(part if is_keyword or part == "items" else f"properties/{part}")
    return "/".join(out)


@pytest.mark.parametrize("schema", [SCHEMA, load_sidecar_schema()], ids=["record", "sidecar"])
def test_schemas_are_valid_2020_12(schema: dict) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_carries_its_version_and_documents_every_property() -> None:
    version = current_schema_version()
    assert SCHEMA["$id"].endswith(version)
    assert SCHEMA["properties"]["schema_version"]["const"] == version
    assert SCHEMA["additionalProperties"] is False
    assert SCHEMA["required"] == list(SCHEMA["properties"])
    undocumented = [
        name for name, sub in SCHEMA["properties"].items() if not sub.get("description")
    ]
    assert undocumented == []


def _json_types(annotation: object) -> set[str]:
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        return set().union(*(_json_types(a) for a in typing.get_args(annotation)))
    if annotation is type(None):
        return {"null"}
    if origin is list:
        return {"array"}
    return {str: {"string"}, int: {"integer"}}[annotation]  # type: ignore[index]


def test_record_dataclass_and_schema_agree() -> None:
    hints = typing.get_type_hints(Record)
    fields = [f.name for f in dataclasses.fields(Record)]
    assert fields == list(SCHEMA["properties"]), "same fields, same order"
    for name in fields:
        declared = SCHEMA["properties"][name].get("type", "string")
        declared = {declared} if isinstance(declared, str) else set(declared)
        assert _json_types(hints[name]) == declared, name


def test_every_constraint_has_a_failing_fixture() -> None:
    covered = {_location_of(f) for f in (FIXTURES / "invalid").glob("*.json")}
    wanted = {"/".join(location) for location in constraint_locations(SCHEMA)}
    assert len(wanted) > 90  # the walk finds the constraints (103 in schema 1.0.0)
    assert wanted - covered == set(), "run scripts/make_record_fixtures.py"


@pytest.mark.parametrize(
    "fixture", sorted((FIXTURES / "invalid").glob("*.json")), ids=lambda p: p.stem
)
def test_invalid_fixture_breaks_exactly_its_constraint(fixture: Path) -> None:
    instance = json.loads(fixture.read_text())
    found = {"/".join(map(str, e.schema_path)) for e in STRICT.iter_errors(instance)}
    target = _location_of(fixture)
    assert target in found
    assert {f.rsplit("/", 1)[0] for f in found} == {target.rsplit("/", 1)[0]}
    assert not FAST.is_valid(instance), "the fast validator used by build must agree"


@pytest.mark.parametrize(
    "fixture", sorted((FIXTURES / "valid").glob("*.json")), ids=lambda p: p.stem
)
def test_valid_fixtures_pass_both_validators(fixture: Path) -> None:
    instance = json.loads(fixture.read_text())
    assert list(STRICT.iter_errors(instance)) == []
    assert FAST.is_valid(instance)


def test_schema_examples_are_valid() -> None:
    assert SCHEMA["examples"]
    for example in SCHEMA["examples"]:
        assert list(STRICT.iter_errors(example)) == []
