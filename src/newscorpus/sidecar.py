"""Sidecars: the metadata a seed's text cannot carry, read strictly.

A sidecar ``<stem>.yaml`` beside a seed gives its url, published date, language, rights, topics
and corrections. It is parsed with PyYAML's safe loader, narrowed further:

* no tags, anchors or aliases (an alias bomb is refused before it is expanded);
* a key may not repeat (PyYAML would silently keep the last one);
* every plain scalar stays a string, except ``null``/``~``/empty and ``true``/``false``:
  YAML 1.1 would turn ``language: no`` into ``False`` and ``published: 2022-01-06`` into a
  ``date``, and the schema, not the parser, decides what a value means.

The shape is checked against ``schema/sidecar.schema.json``; every defect names its key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from newscorpus.problems import Problem
from newscorpus.schemas import load_sidecar_schema

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


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with strings for every plain scalar but null and booleans."""


_StrictLoader.yaml_implicit_resolvers = {}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

_DEFAULT_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
}


class _SidecarDefect(Exception):
    def __init__(self, code: str, message: str, line: int | None) -> None:
        super().__init__(message)
        self.code, self.message, self.line = code, message, line


def _check_events(data: str) -> None:
    """Refuse anchors, aliases and explicit tags before anything is composed or expanded."""
    for event in yaml.parse(data, Loader=_StrictLoader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise _SidecarDefect("NC-SIDE-005", f"alias *{event.anchor} is not allowed", line)
        if getattr(event, "anchor", None):
            raise _SidecarDefect("NC-SIDE-005", f"anchor &{event.anchor} is not allowed", line)
        tag = getattr(event, "tag", None)
        if tag and tag not in _DEFAULT_TAGS and tag != "!":
            raise _SidecarDefect("NC-SIDE-005", f"tag {tag} is not allowed", line)


def _check_duplicates(node: yaml.Node) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key, value in node.value:
            if key.value in seen:
                raise _SidecarDefect(
                    "NC-SIDE-006", f"key {key.value!r} appears twice", key.start_mark.line + 1
                )
            seen.add(key.value)
            _check_duplicates(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicates(item)


def _node_lines(node: yaml.Node, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], int]:
    """The line of every key and list item, by its path, so a problem can point at it."""
    lines: dict[tuple[Any, ...], int] = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines.update(_node_lines(value, (*path, str(key.value))))
            lines[(*path, str(key.value))] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_node_lines(item, (*path, index)))
    return lines


def _line_of(lines: dict[tuple[Any, ...], int], path: tuple[Any, ...]) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _load(data: bytes) -> tuple[Any, dict[tuple[Any, ...], int]]:
    if len(data) > MAX_SIDECAR_BYTES:
        raise _SidecarDefect("NC-SIDE-001", f"sidecar is {len(data):,} bytes, over 64 KB", None)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _SidecarDefect(
            "NC-SIDE-001",
            f"not UTF-8 (byte 0x{data[error.start]:02X} at offset {error.start})",
            data.count(b"\n", 0, error.start) + 1,
        ) from None
    try:
        _check_events(text)
        node = yaml.compose(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise _SidecarDefect(
            "NC-SIDE-001", f"YAML syntax: {error.problem or error}", line
        ) from None
    except yaml.YAMLError as error:
        raise _SidecarDefect("NC-SIDE-001", f"YAML syntax: {error}", None) from None
    except RecursionError:
        raise _SidecarDefect("NC-SIDE-001", "YAML nested too deeply", None) from None
    if node is None:
        return {}, {}
    _check_duplicates(node)
    loader = _StrictLoader("")
    try:
        value = loader.construct_document(node)
    finally:
        loader.dispose()
    return value, _node_lines(node)


@cache
def _validator() -> Any:
    """jsonschema (imported on first use: most seeds have no sidecar) with format checking."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        load_sidecar_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _schema_problems(value: Any, name: str, lines: dict[tuple[Any, ...], int]) -> list[Problem]:
    problems = []
    for error in sorted(_validator().iter_errors(value), key=lambda e: list(map(str, e.path))):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            for key in extra:
                problems.append(
                    Problem(
                        "NC-SIDE-002",
                        f"unknown key {key!r}",
                        name,
                        _line_of(lines, (*path, key)),
                        (*path, key),
                    )
                )
            continue
        where = "/".join(map(str, path)) or "sidecar"
        problems.append(
            Problem(
                "NC-SIDE-003",
                f"{where}: {error.message}",
                name,
                _line_of(lines, path) if path else None,
                path,
            )
        )
    return problems


def read_sidecar(data: bytes, name: str) -> Sidecar | list[Problem]:
    """Parse and check one sidecar; return it, or every problem found in it."""
    try:
        value, lines = _load(data)
    except _SidecarDefect as defect:
        return [Problem(defect.code, defect.message, name, defect.line)]
    problems = _schema_problems(value, name, lines)
    if problems:
        return problems
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
