"""The record schema read once into a small typed tree that every published description uses.

Hugging Face features, the Frictionless Table Schema, the Croissant fields and the field table
of the docs must never disagree with ``schema/record-<version>.schema.json``. Each of them is
a plain function of the tree built here, so a schema change reaches all four at the next build
and nothing is maintained twice.

The tree only admits what every target can express exactly: a property has one JSON type
(``["string", "null"]`` counts as a nullable string), objects appear as items of arrays or as
properties, and ``format: date`` marks a calendar date. Anything else is refused with the
property's path instead of being mapped approximately.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Scalar = Literal["string", "integer", "number", "boolean", "date"]
SCALARS: tuple[Scalar, ...] = ("string", "integer", "number", "boolean", "date")

# JSON Schema keywords kept on a leaf; each target picks the ones it can state.
_CONSTRAINTS = ("const", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum")
_ARRAY_CONSTRAINTS = ("minItems", "maxItems", "uniqueItems")


class SchemaShapeError(ValueError):
    """The JSON Schema uses a construct the published formats cannot carry exactly."""


@dataclass(frozen=True, slots=True)
class Field:
    """One property of the record, or of an object inside an array of the record.

    ``kind`` is the scalar type of the value, or of each item when ``is_list``; it is None
    for an object (``children`` then holds its properties, in schema order).
    """

    name: str
    description: str
    kind: Scalar | None
    nullable: bool = False
    is_list: bool = False
    children: tuple[Field, ...] = ()
    constraints: Mapping[str, Any] = field(default_factory=dict)
    item_constraints: Mapping[str, Any] = field(default_factory=dict)
    format: str | None = None

    @property
    def is_struct(self) -> bool:
        return self.kind is None


def record_fields(schema: Mapping[str, Any]) -> tuple[Field, ...]:
    """The record's fields in key order, from the JSON Schema of a record."""
    return _object_fields(schema, ())


def _object_fields(node: Mapping[str, Any], path: tuple[str, ...]) -> tuple[Field, ...]:
    properties = node.get("properties")
    if node.get("type") != "object" or not isinstance(properties, Mapping):
        raise SchemaShapeError(f"{_where(path)}: expected an object with properties")
    required = set(node.get("required", ()))
    missing = [name for name in properties if name not in required]
    if missing:
        # Arrow and Frictionless need every key in every record; an optional key would load
        # as a surprise column. The schema makes every key required; keep it that way.
        raise SchemaShapeError(f"{_where(path)}: properties not required: {', '.join(missing)}")
    return tuple(_field(name, spec, (*path, name)) for name, spec in properties.items())


def _field(name: str, spec: Mapping[str, Any], path: tuple[str, ...]) -> Field:
    json_type, nullable = _single_type(spec, path)
    description = str(spec.get("description", "")).strip()
    if json_type == "array":
        items = spec.get("items")
        if not isinstance(items, Mapping):
            raise SchemaShapeError(f"{_where(path)}: an array needs one `items` schema")
        item_type, item_nullable = _single_type(items, (*path, "items"))
        if item_nullable:
            raise SchemaShapeError(f"{_where(path)}: array items may not be null")
        array_constraints = {k: spec[k] for k in _ARRAY_CONSTRAINTS if k in spec}
        if item_type == "object":
            return Field(
                name,
                description,
                None,
                nullable,
                is_list=True,
                children=_object_fields(items, path),
                constraints=array_constraints,
            )
        return Field(
            name,
            description,
            _scalar(item_type, items, (*path, "items")),
            nullable,
            is_list=True,
            constraints=array_constraints,
            item_constraints={k: items[k] for k in _CONSTRAINTS if k in items},
            format=items.get("format"),
        )
    if json_type == "object":
        return Field(name, description, None, nullable, children=_object_fields(spec, path))
    return Field(
        name,
        description,
        _scalar(json_type, spec, path),
        nullable,
        constraints={k: spec[k] for k in _CONSTRAINTS if k in spec},
        format=spec.get("format"),
    )


def _single_type(spec: Mapping[str, Any], path: tuple[str, ...]) -> tuple[str, bool]:
    declared = spec.get("type")
    types = [declared] if isinstance(declared, str) else list(declared or [])
    nullable = "null" in types
    rest = [t for t in types if t != "null"]
    if len(rest) != 1:
        raise SchemaShapeError(
            f"{_where(path)}: needs exactly one type besides null, got {declared!r}"
        )
    return rest[0], nullable


def _scalar(json_type: str, spec: Mapping[str, Any], path: tuple[str, ...]) -> Scalar:
    if json_type == "string" and spec.get("format") == "date":
        return "date"
    if json_type in ("string", "integer", "number", "boolean"):
        return json_type  # type: ignore[return-value]
    raise SchemaShapeError(f"{_where(path)}: unsupported type {json_type!r}")


def _where(path: tuple[str, ...]) -> str:
    return "/".join(path) or "(record)"
