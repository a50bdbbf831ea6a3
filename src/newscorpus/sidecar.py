"""Sidecars: the metadata a seed's text cannot carry, read strictly.

A sidecar ``<stem>.yaml`` beside a seed gives its url, published date, language, rights, topics
and corrections. It is read with ``safe_yaml`` (no tags, anchors, aliases or repeated keys;
plain scalars stay strings, so ``language: no`` is Norwegian and dates stay text). The shape is
checked against ``schema/sidecar.schema.json``; every defect names its key.

Two things a schema pattern cannot say well are checked here, before the schema: a URL with
a user name or password in it (``https://user:pass@host/``: a secret published with the
corpus, NC-SIDE-008), and characters that show nothing or reorder what a reader sees
(U+200B, U+202E...: NC-SIDE-009). The message names the key, the position and the code point,
never the character itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from newscorpus.excerpt import excerpt, printable
from newscorpus.limits import MAX_SIDECAR_BYTES
from newscorpus.problems import Problem
from newscorpus.safe_yaml import YamlDefect, line_of, load_yaml, node_lines
from newscorpus.schemas import (
    error_message,
    load_sidecar_schema,
    rs_error_message,
    rs_only_errors,
)


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

# Refused in every sidecar string: controls but tab and line breaks (a YAML escape such as
# "\x0b" makes one; the data line would escape it, which validate refuses), and the format
# characters (category Cf) that show nothing or steer the bidirectional algorithm: the soft
# hyphen, the Arabic letter mark, the Mongolian vowel separator, the zero-width space, the
# marks and embeddings and isolates of U+200E-U+200F, U+202A-U+202E and U+2066-U+2069, the
# word joiner and invisible operators, the deprecated U+206A-U+206F, U+FEFF, the interlinear
# annotation controls and the tag characters (which can spell out hidden text).
_UNSEEN = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f"
)
# Kept in names, titles and statements: the zero-width non-joiner and joiner (U+200C, U+200D)
# are part of how words are spelt in Persian, the Indic scripts and emoji sequences, and the
# record keeps them in text from the seeds; and the format characters of particular scripts
# that show as signs (Arabic and Syriac number signs, Egyptian hieroglyph, shorthand and
# musical format controls). A URL holds no format character at all.
_REFUSED = re.compile(f"[{_UNSEEN}]")
_REFUSED_IN_URL = re.compile(f"[{_UNSEEN}\\u200c\\u200d\\u0600-\\u0605\\u06dd\\u070f\\u08e2]")


def _strings(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, bool]]:
    """Every string of a parsed sidecar with its path, and whether it is a key (whose path is
    its own)."""
    if isinstance(value, str):
        yield path, value, False
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield (*path, key), key, True
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _hygiene_problems(value: Any, name: str, node: Any) -> list[Problem]:
    """Credentials in the URL (NC-SIDE-008) and unseen characters anywhere (NC-SIDE-009)."""
    found: list[tuple[str, str, tuple[Any, ...]]] = []
    for path, text, is_key in _strings(value):
        refused = _REFUSED_IN_URL if path == ("url",) and not is_key else _REFUSED
        match = refused.search(text)
        if match is not None:
            message = _unseen_message(path, text, match.start(), is_key)
            found.append(("NC-SIDE-009", message, path))
    url = value.get("url") if isinstance(value, dict) else None
    if isinstance(url, str) and (netloc := _netloc(url)) is not None and "@" in netloc:
        host = netloc.rpartition("@")[2]
        found.append(
            (
                "NC-SIDE-008",
                f"url: holds a user name or password before the host {host[:60]!r} "
                "(`user:password@`); give the public address of the article",
                ("url",),
            )
        )
    if not found:
        return []
    lines = node_lines(node)
    return [Problem(code, text, name, line_of(lines, path), path) for code, text, path in found]


def _netloc(url: str) -> str | None:
    try:
        return urlsplit(url).netloc
    except ValueError:  # a malformed address: the schema says what is wrong with it
        return None


def _unseen_message(path: tuple[Any, ...], text: str, at: int, is_key: bool) -> str:
    char = text[at]
    what = unicodedata.name(char, "a control character")
    if is_key:
        where = printable("/".join(map(str, path[:-1])) or "sidecar")
        holder = f"{where}: the key {excerpt(text)}"
    else:
        holder = printable("/".join(map(str, path)) or "sidecar")  # a key on the way may hold one
        holder += ":"
    return (
        f"{holder} holds the invisible character U+{ord(char):04X} ({what}) at character "
        f"{at + 1} of {len(text)}; delete it (it shows nothing, or reorders the text around it)"
    )


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
        message = error_message(error)
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
    hygiene = _hygiene_problems(value, name, node)
    if hygiene or not _fast_validator().is_valid(value):
        lines = node_lines(node)
        # jsonschema reads patterns with Python's ``re``, JSON Schema with ECMA-262 (whose
        # ``\\s`` takes U+FEFF too): what only jsonschema-rs finds joins its findings.
        problems = _schema_problems(value, name, lines)
        problems += _strict_problems(value, name, lines, {p.path for p in problems})
        # a key or value already refused for what it holds is not also told its form
        flagged = {p.path for p in hygiene}
        return hygiene + [p for p in problems if p.path not in flagged]
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
