"""What the canonical-form comparison cannot see: key order and integers written as 3.0.

A data line is canonical when it is byte for byte what the build writes. Comparing it with
``orjson.dumps`` of its own value proves the spacing, the escapes and that no key repeats, but
``dumps`` keeps the order the keys came in, and writes a float as a float: a line with its keys
shuffled, or with ``"word_count":412.0`` (an integer as far as JSON Schema is concerned), would
pass. The build writes every object's keys in the schema's ``properties`` order and integers
without a fraction; this module checks both, with the schema as the only source of the shapes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from newscorpus.schemas import load_record_schema

Path = tuple[str, ...]  # keys from the record's root; "*" stands for every item of an array


def _objects(node: dict[str, Any], path: Path = ()) -> Iterator[tuple[Path, tuple[str, ...]]]:
    """(path, key order) of every object the schema describes with ``properties``."""
    properties = node.get("properties")
    if properties:
        yield path, tuple(properties)
        for name, sub in properties.items():
            yield from _objects(sub, (*path, name))
    if "items" in node:
        yield from _objects(node["items"], (*path, "*"))


def _integers(node: dict[str, Any], path: Path = ()) -> Iterator[Path]:
    """The path of every value the schema types as an integer."""
    if node.get("type") == "integer":
        yield path
    for name, sub in node.get("properties", {}).items():
        yield from _integers(sub, (*path, name))
    if "items" in node:
        yield from _integers(node["items"], (*path, "*"))


_SCHEMA = load_record_schema()
_KEY_ORDERS = tuple(_objects(_SCHEMA))
_INTEGERS = tuple(_integers(_SCHEMA))
_ROOT_ORDER = dict(_KEY_ORDERS)[()]
_ROOT_INTEGERS = tuple(p[0] for p in _INTEGERS if len(p) == 1)
# Arrays of objects right under the root: (array key, that object's key order, its integers).
_ITEMS = tuple(
    (path[0], order, tuple(p[2] for p in _INTEGERS if p[:2] == path))
    for path, order in _KEY_ORDERS
    if len(path) == 2 and path[1] == "*"
)
_QUICK = len(_KEY_ORDERS) == 1 + len(_ITEMS) and len(_INTEGERS) == len(_ROOT_INTEGERS) + sum(
    len(i[2]) for i in _ITEMS
)


def shape_is_canonical(record: dict[str, Any]) -> bool:
    """True when the keys are in the build's order and every integer is written as one.

    For records that passed the schema (every key present, every value of its type). The
    quick loops cover the record schema's shape: the root and arrays of objects under it; a
    schema that nests deeper is checked by the general walk in ``shape_defect``."""
    if not _QUICK:
        return shape_defect(record) is None
    if tuple(record) != _ROOT_ORDER:
        return False
    for name in _ROOT_INTEGERS:
        if type(record[name]) is not int:
            return False
    for array, order, integers in _ITEMS:
        for item in record[array]:
            if tuple(item) != order:
                return False
            for name in integers:
                if type(item[name]) is not int:
                    return False
    return True


def shape_defect(record: dict[str, Any]) -> tuple[tuple[str | int, ...], str] | None:
    """(JSON path, message) of the first key-order or integer defect, or None."""
    for path, order in _KEY_ORDERS:
        for where, value in _at(record, path, ()):
            if isinstance(value, dict):
                expected = [key for key in order if key in value]
                if list(value) != expected:
                    # the first key out of place (the keys are the schema's, as it passed)
                    pairs = [(a, e) for a, e in zip(value, expected, strict=False) if a != e]
                    what = (
                        f"key {pairs[0][0]!r} stands where {pairs[0][1]!r} belongs"
                        if pairs
                        else "the keys are not the schema's"
                    )
                    return where, f"{what}; the build writes the keys in the schema's order"
    for path in _INTEGERS:
        for where, value in _at(record, path, ()):
            if type(value) is float:
                return where, f"{value!r} where the build writes an integer, with no fraction"
    return None


def _at(value: Any, path: Path, where: tuple[str | int, ...]) -> Iterator[tuple[Any, Any]]:
    """(concrete path, value) for every value at ``path`` that exists in ``value``."""
    if not path:
        yield where, value
    elif path[0] == "*":
        for index, item in enumerate(value if isinstance(value, list) else ()):
            yield from _at(item, path[1:], (*where, index))
    elif isinstance(value, dict) and path[0] in value:
        yield from _at(value[path[0]], path[1:], (*where, path[0]))
