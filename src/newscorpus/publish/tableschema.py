"""The Frictionless Table Schema of a record, from the record fields.

Table Schema can say less than JSON Schema, so each field keeps what its Table Schema type
supports (``required``, ``pattern``, lengths, bounds, ``enum``) and nothing approximate.
Frictionless reads JSONL keys by position, so the fields must be listed in key order, which
``record_fields`` guarantees.

Two details of frictionless-py 5 shape the output: a ``pattern`` is matched whole (it wraps it
in ``^…$`` itself), so the schema's own anchors are dropped; and the constraints of list items
go in ``arrayItem``, a frictionless extension that other readers ignore.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from newscorpus.publish.fields import Field

_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "date": "date",
}
# Constraints each Table Schema type accepts (besides `required`), from the specification.
_SUPPORTED = {
    "string": ("pattern", "minLength", "maxLength", "enum"),
    "integer": ("minimum", "maximum", "enum"),
    "number": ("minimum", "maximum", "enum"),
    "boolean": ("enum",),
    "date": ("minimum", "maximum", "enum"),
}


def table_schema(fields: Sequence[Field], primary_key: str) -> dict[str, Any]:
    """``{"fields": [...], "primaryKey": [...]}`` for the records."""
    return {"fields": [_field(f) for f in fields], "primaryKey": [primary_key]}


def _field(field: Field) -> dict[str, Any]:
    descriptor: dict[str, Any] = {"name": field.name}
    constraints: dict[str, Any] = {}
    if field.is_list:
        descriptor["type"] = "array"
        if "minItems" in field.constraints:
            constraints["minLength"] = field.constraints["minItems"]
        if "maxItems" in field.constraints:
            constraints["maxLength"] = field.constraints["maxItems"]
        descriptor["arrayItem"] = (
            {"type": "object"} if field.is_struct else _scalar(field, field.item_constraints)
        )
    elif field.is_struct:
        descriptor["type"] = "object"
    else:
        descriptor.update(_scalar(field, field.constraints))
        constraints.update(descriptor.pop("constraints", {}))
    if field.description:
        descriptor["description"] = field.description
    if not field.nullable:
        constraints = {"required": True, **constraints}
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def _scalar(field: Field, source: Mapping[str, Any]) -> dict[str, Any]:
    assert field.kind is not None
    descriptor: dict[str, Any] = {"type": _TYPES[field.kind]}
    if field.kind == "string" and field.format == "uri":
        descriptor["format"] = "uri"
    constraints: dict[str, Any] = {}
    for keyword in _SUPPORTED[field.kind]:
        if keyword == "enum" and "const" in source:
            constraints["enum"] = [source["const"]]
        elif keyword == "pattern" and "pattern" in source:
            constraints["pattern"] = _whole_match(source["pattern"])
        elif keyword in source:
            constraints[keyword] = source[keyword]
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def _whole_match(pattern: str) -> str:
    """A Table Schema pattern (matched against the whole value) for a JSON Schema pattern
    (searched anywhere): ``^X$`` becomes ``X``; an unanchored pattern may match anywhere."""
    if pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[1:-1]
    return f".*(?:{pattern}).*"
