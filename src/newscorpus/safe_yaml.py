"""Strict, safe YAML for the files people write by hand (sidecars, the retractions list).

PyYAML's safe loader, narrowed further:

* no explicit tags and no aliases (an alias bomb is refused before it is expanded);
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


# libyaml's parser when PyYAML was built with it (about 20 times faster), else pure Python.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_Base):  # type: ignore[valid-type,misc]
    """The safe loader with strings for every plain scalar but null and booleans."""


_StrictLoader.yaml_implicit_resolvers = {}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

# The only tags a node may carry, by kind: what implicit resolution gives plain YAML.
_TAGS_OF: dict[type, frozenset[str]] = {
    yaml.ScalarNode: frozenset(
        {"tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"}
    ),
    yaml.MappingNode: frozenset({"tag:yaml.org,2002:map"}),
    yaml.SequenceNode: frozenset({"tag:yaml.org,2002:seq"}),
}


def _check_node(node: yaml.Node, seen: set[int]) -> None:
    """Refuse aliases, explicit tags, repeated keys and U+FEFF in a scalar, walking the
    composed graph once.

    Composing does not expand aliases: an alias is the same node object met a second time,
    so an alias bomb is refused at its first repetition, before anything is constructed.
    """
    stack = [node]
    while stack:
        current = stack.pop()
        line = current.start_mark.line + 1
        if id(current) in seen:
            raise YamlDefect("unsafe", "anchors and aliases (&name, *name) are not allowed", line)
        seen.add(id(current))
        if current.tag not in _TAGS_OF[type(current)]:
            raise YamlDefect("unsafe", f"tag {current.tag} is not allowed here", line)
        if isinstance(current, yaml.ScalarNode) and "\ufeff" in current.value:
            # Written as the escape "\ufeff" (a raw one is refused before parsing): invisible,
            # white space to JSON Schema but not to Python, so it would get past the checks
            # here and break the record at build time, far from this line.
            raise YamlDefect(
                "syntax",
                f"the value at column {current.start_mark.column + 1} holds a byte-order mark "
                "U+FEFF (an invisible character, here from the escape \\ufeff); delete it",
                line,
            )
        if isinstance(current, yaml.MappingNode):
            keys: set[Any] = set()
            for key, value in current.value:
                if key.value in keys:
                    raise YamlDefect(
                        "duplicate", f"key {key.value!r} appears twice", key.start_mark.line + 1
                    )
                keys.add(key.value)
                stack.extend((key, value))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def node_lines(node: yaml.Node | None, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], int]:
    """The line of every key and list item, by its path, so a problem can point at it."""
    if node is None:
        return {}
    lines: dict[tuple[Any, ...], int] = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines.update(node_lines(value, (*path, str(key.value))))
            lines[(*path, str(key.value))] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(node_lines(item, (*path, index)))
    return lines


def line_of(lines: dict[tuple[Any, ...], int], path: tuple[Any, ...]) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def load_yaml(data: bytes, max_bytes: int) -> tuple[Any, yaml.Node | None]:
    """Parse a small hand-written YAML file strictly: ``(value, composed node)``.

    The node is for ``node_lines``, which callers need only when they have a problem to point
    at, so the common, valid case skips that walk."""
    if len(data) > max_bytes:
        raise YamlDefect("syntax", f"file is over {max_bytes:,} bytes", None)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise YamlDefect(
            "syntax",
            f"not UTF-8 (byte 0x{data[error.start]:02X} at offset {error.start})",
            data.count(b"\n", 0, error.start) + 1,
        ) from None
    inner_bom = text.find("\ufeff")  # one at the very start is gone with utf-8-sig
    if inner_bom >= 0:
        before = text[:inner_bom]
        raise YamlDefect(
            "syntax",
            f"byte-order mark U+FEFF at column {inner_bom - before.rfind(chr(10))}, inside the "
            "file (left by joining or pasting files); delete it",
            before.count("\n") + 1,
        )
    try:
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
        return None, None
    _check_node(node, set())
    loader = _StrictLoader("")
    try:
        value = loader.construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError) as error:
        raise YamlDefect("syntax", f"YAML value: {error}", node.start_mark.line + 1) from None
    finally:
        loader.dispose()
    return value, node
