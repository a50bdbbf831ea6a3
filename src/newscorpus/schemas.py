"""Where the JSON Schemas live, and which record schema is current.

``schema/`` at the repository root is the one copy people edit. A wheel carries it as
``newscorpus/schema`` (see ``pyproject.toml``), so an installed ``newscorpus`` finds it without
the repository; an editable install reads the repository's folder directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson

from newscorpus.excerpt import excerpt

_RECORD_NAME = re.compile(r"^record-(\d+)\.(\d+)\.(\d+)\.schema\.json$")


@cache
def schema_dir() -> Path:
    packaged = Path(__file__).parent / "schema"  # where the wheel puts it
    if packaged.is_dir():
        return packaged
    source = Path(__file__).resolve().parents[2] / "schema"
    if source.is_dir():
        return source
    raise FileNotFoundError("newscorpus: the schema folder is missing from this installation")


def record_schema_versions() -> list[str]:
    """Every released record schema version, oldest first."""
    found = []
    for path in schema_dir().iterdir():
        match = _RECORD_NAME.match(path.name)
        if match:
            found.append(tuple(int(g) for g in match.groups()))
    return [".".join(map(str, v)) for v in sorted(found)]


@cache
def current_schema_version() -> str:
    return record_schema_versions()[-1]


@cache
def load_record_schema(version: str | None = None) -> dict[str, Any]:
    version = version or current_schema_version()
    return orjson.loads((schema_dir() / f"record-{version}.schema.json").read_bytes())


@cache
def load_sidecar_schema() -> dict[str, Any]:
    return orjson.loads((schema_dir() / "sidecar.schema.json").read_bytes())


def record_fields(version: str | None = None) -> list[str]:
    """The record's keys in their fixed order: the order of the schema's ``properties``."""
    return list(load_record_schema(version)["properties"])


@cache
def fast_validator(version: str | None = None) -> jsonschema_rs.Validator:
    """jsonschema-rs for the bulk pass on the record schema."""
    return compile_validator(load_record_schema(version))


# What the schema asks of each paragraph, and what the fast paths prove of it besides.
PARAGRAPH_PATTERN = "^\\S(.*\\S)?$"


@cache
def bulk_validator() -> jsonschema_rs.Validator:
    """jsonschema-rs on the record schema without the paragraphs' pattern and minimum length,
    for the fast paths only, where something cheaper proves both: ``sound_text`` when
    ``validate`` reads a data line, ``textform.is_folded_body`` when the build checks its own
    record.

    That pattern is the most expensive part of the schema (a regex pass over every paragraph,
    half of the validator's time), and the text's own pass already covers the same characters:
    a text that is the paragraphs joined by blank lines, with exactly that many line breaks, and
    that is words of non-space characters (``\\S`` to JSON Schema as to Python) with single
    spaces between them, has no paragraph that is empty, holds a line break, or starts or ends
    with white space. The keywords are dropped only while they are exactly these; property
    tests check that a record passing this and either proof passes the whole schema."""
    schema = load_record_schema()
    items = schema["properties"]["paragraphs"].get("items", {})
    if items.get("pattern") != PARAGRAPH_PATTERN or items.get("minLength", 1) > 1:
        return fast_validator()
    lighter = {key: value for key, value in items.items() if key not in ("pattern", "minLength")}
    properties = dict(schema["properties"])
    properties["paragraphs"] = {**properties["paragraphs"], "items": lighter}
    return compile_validator({**schema, "properties": properties})


def compile_validator(schema: dict[str, Any]) -> jsonschema_rs.Validator:
    """jsonschema-rs as every record check uses it: formats checked, patterns on the linear
    regex engine."""
    return jsonschema_rs.validator_for(
        schema, validate_formats=True, pattern_options=jsonschema_rs.RegexOptions()
    )


# The schemas' patterns that people meet when writing a sidecar or fixing a record, in words.
_PATTERN_WORDS = {
    "^\\S(.*\\S)?$": "one line, with no white space at either end",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "a date written YYYY-MM-DD",
    "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$": "a BCP 47 language tag such as en or pt-BR",
    "^(und|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$": "a BCP 47 language tag such as en or pt-BR",
    "^https?://[^\\s]+$": "an http or https URL with no spaces",
    "^https?://\\S+$": "an http or https URL with no spaces",
}


def pattern_message(value: object, pattern: str) -> str:
    """A pattern failure worth reading: the value cut short, with invisible characters such as
    U+FEFF written as escapes (``repr``), where the libraries print the whole paragraph as is
    and a long one hides both the culprit and the pattern; and the pattern in words when it is
    one of the common ones."""
    shown = excerpt(value)
    words = _PATTERN_WORDS.get(pattern)
    return f"{shown} does not match {pattern!r}" + (f" ({words})" if words else "")


def rs_error_message(error: jsonschema_rs.ValidationError) -> str:
    """jsonschema-rs's message for ``error``, with ``pattern_message`` for a pattern, and the
    value it opens with (in JSON, whole and as it is) replaced by its ``excerpt``."""
    if type(error.kind).__name__ == "Pattern":
        return pattern_message(error.instance, error.kind.pattern)
    try:
        quoted = orjson.dumps(error.instance).decode()
    except TypeError:
        return error.message
    return _with_excerpt(error.message, quoted, error.instance)


def error_message(error: Any) -> str:
    """jsonschema's message for ``error`` (a ``jsonschema.ValidationError``), with
    ``pattern_message`` for a pattern and the value it opens with (its ``repr``) replaced by
    its ``excerpt``: a text over ``maxLength`` is not quoted whole."""
    if error.validator == "pattern":
        return pattern_message(error.instance, error.validator_value)
    return _with_excerpt(error.message, repr(error.instance), error.instance)


def _with_excerpt(message: str, quoted: str, value: object) -> str:
    if message.startswith(quoted):
        return excerpt(value) + message[len(quoted) :]
    return message


def rs_only_errors(
    errors: Iterable[jsonschema_rs.ValidationError], named: set[tuple[Any, ...]]
) -> list[jsonschema_rs.ValidationError]:
    """jsonschema-rs's errors that jsonschema may not report: with none named, all of them;
    else the pattern and format errors at paths jsonschema named nothing at.

    The two disagree where jsonschema departs from JSON Schema: it runs patterns on Python's
    ``re`` (whose ``\\s`` misses U+FEFF, whose ``$`` passes a final line break) and skips the
    formats it has no checker for. Errors are reported all at once, so these join its own."""
    errors = list(errors)
    if not named:
        return errors
    return [
        error
        for error in errors
        if type(error.kind).__name__ in ("Pattern", "Format")
        and tuple(error.instance_path) not in named
    ]


# The schema keywords that constrain a value: each is a rule a record can break, so each gets
# its own failing test fixture (scripts/make_record_fixtures.py, tests/test_schema.py).
CONSTRAINT_KEYWORDS = (
    "type",
    "const",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "format",
    "minItems",
    "maxItems",
    "uniqueItems",
    "required",
    "additionalProperties",
)


def constraint_locations(node: dict[str, Any], path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every constraint of a schema as its keyword path, e.g. ("properties", "id", "pattern")."""
    found = [(*path, k) for k in CONSTRAINT_KEYWORDS if k in node]
    for name, sub in node.get("properties", {}).items():
        found += constraint_locations(sub, (*path, "properties", name))
    if "items" in node:
        found += constraint_locations(node["items"], (*path, "items"))
    return found
