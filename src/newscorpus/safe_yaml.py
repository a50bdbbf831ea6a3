"""Strict, safe YAML for the files people write by hand (sidecars, the retractions list).

PyYAML's safe loader, narrowed further:

* no tags, anchors or aliases (an alias bomb is refused before it is expanded);
* a key may not repeat (PyYAML would silently keep the last one);
* every plain scalar stays a string, except ``null``/``~``/empty and ``true``/``false``:
  YAML 1.1 would turn ``language: no`` into ``False`` and ``published: 2022-01-06`` into a
  ``date``, and the schema, not the parser, decides what a value means.

Defects are raised as ``YamlDefect`` with a kind and a line; callers map kinds to rule codes.
"""

from __future__ import annotations

import re
from typing import Any

import yaml


class YamlDefect(Exception):
    """What is wrong with a YAML file: ``kind`` is syntax, unsafe or duplicate."""

    def __init__(self, kind: str, message: str, line: int | None) -> None:
        super().__init__(message)
        self.kind, self.message, self.line = kind, message, line


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


def _check_events(data: str) -> None:
    """Refuse anchors, aliases and explicit tags before anything is composed or expanded."""
    for event in yaml.parse(data, Loader=_StrictLoader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise YamlDefect("unsafe", f"alias *{event.anchor} is not allowed", line)
        if getattr(event, "anchor", None):
            raise YamlDefect("unsafe", f"anchor &{event.anchor} is not allowed", line)
        tag = getattr(event, "tag", None)
        if tag and tag not in _DEFAULT_TAGS and tag != "!":
            raise YamlDefect("unsafe", f"tag {tag} is not allowed", line)


def _check_duplicates(node: yaml.Node) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key, value in node.value:
            if key.value in seen:
                raise YamlDefect(
                    "duplicate", f"key {key.value!r} appears twice", key.start_mark.line + 1
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


def line_of(lines: dict[tuple[Any, ...], int], path: tuple[Any, ...]) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def load_yaml(data: bytes, max_bytes: int) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Parse a small hand-written YAML file strictly: ``(value, line of each path)``."""
    if len(data) > max_bytes:
        raise YamlDefect("syntax", f"file is {len(data):,} bytes, over {max_bytes:,}", None)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise YamlDefect(
            "syntax",
            f"not UTF-8 (byte 0x{data[error.start]:02X} at offset {error.start})",
            data.count(b"\n", 0, error.start) + 1,
        ) from None
    try:
        _check_events(text)
        node = yaml.compose(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise YamlDefect("syntax", f"YAML syntax: {error.problem or error}", line) from None
    except yaml.YAMLError as error:
        raise YamlDefect("syntax", f"YAML syntax: {error}", None) from None
    except RecursionError:
        raise YamlDefect("syntax", "YAML nested too deeply", None) from None
    if node is None:
        return None, {}
    _check_duplicates(node)
    loader = _StrictLoader("")
    try:
        value = loader.construct_document(node)
    finally:
        loader.dispose()
    return value, _node_lines(node)
