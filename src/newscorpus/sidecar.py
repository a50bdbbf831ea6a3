"""Sidecars: the metadata a seed's text cannot carry, read strictly.

A sidecar ``<stem>.yaml`` beside a seed gives its url, published date, language, rights, topics
and corrections. It is read with ``safe_yaml`` (no tags, anchors, aliases or repeated keys;
plain scalars stay strings, so ``language: no`` is Norwegian and dates stay text). The shape is
checked against ``schema/sidecar.schema.json``; every defect names its key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from newscorpus.problems import Problem
from newscorpus.safe_yaml import YamlDefect, line_of, load_yaml, node_lines
from newscorpus.schemas import (
    load_sidecar_schema,
    pattern_message,
    rs_error_message,
    rs_only_errors,
)

MAX_SIDECAR_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Correction:
    """A sidecar's correction of a header field, kept in the record beside the original."""

    field: str
    value: str | list[str]
    reason: str


@dataclass(frozen=True, slots=True)
class Sidecar:
    """The validated content of one sidecar; every key is optional."""

    url: str | None = None
    published: str | None = None
    language: str | None = None
    copyright_holder: str | None = None
    rights: str | None = None
    topics: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = field(default=())


_CODES = {"syntax": "NC-SIDE-001", "unsafe": "NC-SIDE-005", "duplicate": "NC-SIDE-006"}


@cache
def _fast_validator() -> Any:
    """jsonschema-rs: decides in microseconds that a sidecar is valid, the common case."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(load_sidecar_schema(), validate_formats=True)


@cache
def _validator() -> Any:
    """jsonschema, for its messages, when a sidecar is invalid."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        load_sidecar_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _schema_problems(value: Any, name: str, lines: dict[tuple[Any, ...], int]) -> list[Problem]:
    problems = []
    errors = sorted(_validator().iter_errors(value), key=lambda e: list(map(str, e.path)))
    # One bad value, one finding: a value that breaks its pattern is not also told its format.
    patterned = {tuple(e.absolute_path) for e in errors if e.validator == "pattern"}
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator == "format" and path in patterned:
            continue
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            for key in extra:
                problems.append(
                    Problem(
                        "NC-SIDE-002",
                        f"unknown key {key!r}",
                        name,
                        line_of(lines, (*path, key)),
                        (*path, key),
                    )
                )
            continue
        where = "/".join(map(str, path)) or "sidecar"
        message = (
            pattern_message(error.instance, error.validator_value)
            if error.validator == "pattern"
            else error.message
        )
        problems.append(
            Problem(
                "NC-SIDE-003",
                f"{where}: {message}",
                name,
                line_of(lines, path) if path else None,
                path,
            )
        )
    return problems


def _strict_problems(
    value: Any, name: str, lines: dict[tuple[Any, ...], int], named: set[tuple[Any, ...]]
) -> list[Problem]:
    problems = []
    for error in rs_only_errors(_fast_validator().iter_errors(value), named):
        path = tuple(error.instance_path)
        where = "/".join(map(str, path)) or "sidecar"
        message = f"{where}: {rs_error_message(error)}"
        problems.append(
            Problem("NC-SIDE-003", message, name, line_of(lines, path) if path else None, path)
        )
    return problems


def read_sidecar(data: bytes, name: str) -> Sidecar | list[Problem]:
    """Parse and check one sidecar; return it, or every problem found in it."""
    try:
        value, node = load_yaml(data, MAX_SIDECAR_BYTES)
    except YamlDefect as defect:
        return [Problem(_CODES[defect.kind], defect.message, name, defect.line)]
    if value is None:
        value = {}
    if not _fast_validator().is_valid(value):
        lines = node_lines(node)
        # jsonschema reads patterns with Python's ``re``, JSON Schema with ECMA-262 (whose
        # ``\\s`` takes U+FEFF too): what only jsonschema-rs finds joins its findings.
        problems = _schema_problems(value, name, lines)
        return problems + _strict_problems(value, name, lines, {p.path for p in problems})
    published = value.get("published")
    today = datetime.now(UTC).date().isoformat()
    if published is not None and published > today:
        # validate refuses such a record (NC-REC-007); say so here, at the line to fix
        lines = node_lines(node)
        return [
            Problem(
                "NC-SIDE-003",
                f"published: {published} is after today ({today}); give the date the article "
                "was published, or leave the key out",
                name,
                line_of(lines, ("published",)),
                ("published",),
            )
        ]
    rights = value.get("rights") or {}
    return Sidecar(
        url=value.get("url"),
        published=value.get("published"),
        language=value.get("language"),
        copyright_holder=rights.get("holder"),
        rights=rights.get("statement"),
        topics=tuple(value.get("topics") or ()),
        corrections=tuple(
            Correction(c["field"], c["value"], c["reason"]) for c in value.get("corrections") or ()
        ),
    )
