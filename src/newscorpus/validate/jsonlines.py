"""Strict JSON Lines: every defect of a data line is a finding, never a crash or a hang.

The fast path is orjson plus one comparison: a line is accepted only if it equals the canonical
serialisation of what it parses to. That single test proves there are no duplicate keys (orjson
keeps the last silently), no stray spaces and no escapes we would not write. It cannot see key
order or ``3.0`` for an integer (``dumps`` keeps both as they came): ``canonical`` checks those
against the schema. Only a line that fails goes through the slow path, which finds out exactly
what is wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, NamedTuple

import orjson

from newscorpus.limits import MAX_LINE_BYTES, in_megabytes

BOM = b"\xef\xbb\xbf"
_RAW_CONTROL = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]")
_ESCAPED_CONTROL = re.compile(rb"(?<!\\)(?:\\\\)*\\u00(?:[01][0-9a-fA-F]|7[fF])")
_BLOCK = 4 * 1024 * 1024


class RawLine(NamedTuple):
    """One physical line of a data file, without its line ending (a tuple: one is made for
    every line of the corpus, and a frozen dataclass costs twice as much to make)."""

    number: int
    data: bytes
    ending: bytes  # b"\n", b"\r\n" or b"" (no final newline)
    too_long: int = 0  # the length of a line cut at MAX_LINE_BYTES, else 0


@dataclass(frozen=True, slots=True)
class LineDefect:
    code: str
    message: str
    path: tuple[str | int, ...] = ()


def read_lines(handle: IO[bytes], on_bytes: Any = None) -> Iterator[RawLine]:
    """Yield the lines of a binary file, reading it in blocks.

    Memory holds one block and at most one line of up to ``MAX_LINE_BYTES``: a longer line is
    counted and skipped, not kept. ``on_bytes`` sees every byte read, so a caller can hash the
    file in the same pass.
    """
    number = 0
    pending = b""  # the start of a line whose end has not been read yet
    skipped = 0  # length so far of a line too long to keep, or 0
    while block := handle.read(_BLOCK):
        if on_bytes:
            on_bytes(block)
        if skipped:
            end = block.find(b"\n")
            if end < 0:
                skipped += len(block)
                continue
            number += 1
            yield RawLine(number, b"", b"\n", too_long=skipped + end + 1)
            skipped, block = 0, block[end + 1 :]
        if pending:
            block = pending + block
        # find() looks for one byte with memchr, where split() compares byte by byte: on lines
        # of ten kilobytes this loop is twice as fast, for the same lines
        start, find = 0, block.find
        while (end := find(b"\n", start)) >= 0:
            number += 1
            if end - start > MAX_LINE_BYTES:
                yield RawLine(number, b"", b"\n", too_long=end - start + 1)
            elif end > start and block[end - 1] == 13:  # b"\r"
                yield RawLine(number, block[start : end - 1], b"\r\n")
            else:
                yield RawLine(number, block[start:end], b"\n")
            start = end + 1
        pending = block[start:]
        if len(pending) > MAX_LINE_BYTES:
            skipped, pending = len(pending), b""
    if skipped:
        yield RawLine(number + 1, b"", b"", too_long=skipped)
    elif pending:
        yield RawLine(number + 1, pending, b"")


def parse_line(line: RawLine) -> tuple[dict[str, Any] | None, list[LineDefect], bool]:
    """Parse one data line strictly.

    Returns the object (or None when it cannot be used), the defects, and whether the line is
    in canonical form. A non-canonical line that is otherwise sound is still returned, so its
    record is checked too; the caller decides whether to report the form.
    """
    if line.too_long:
        return (
            None,
            [
                LineDefect(
                    "NC-JSON-010",
                    f"line is {line.too_long:,} bytes, over the "
                    f"{in_megabytes(MAX_LINE_BYTES)} limit ({MAX_LINE_BYTES:,} bytes)",
                )
            ],
            False,
        )
    data = line.data
    if not data.strip():
        return None, [LineDefect("NC-JSON-011", "blank line")], False
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        return None, [_explain(data, str(error))], False
    if not isinstance(value, dict):
        kind = type(value).__name__.replace("NoneType", "null").replace("dict", "object")
        return None, [LineDefect("NC-JSON-002", f"line holds a JSON {kind}, not an object")], False
    canonical = line.ending == b"\n" and orjson.dumps(value) == data
    if not canonical:
        duplicate = _duplicate_key(data)
        if duplicate is not None:
            return None, [duplicate], False
    escaped = _ESCAPED_CONTROL.search(data) if b"\\u00" in data else None
    if escaped:
        control = escaped.group()[-6:].decode()
        return value, [LineDefect("NC-JSON-005", f"escaped control character {control}")], canonical
    return value, [], canonical


def _explain(data: bytes, orjson_message: str) -> LineDefect:
    """Say precisely why orjson refused a line."""
    if data.startswith(BOM):
        return LineDefect("NC-JSON-004", "line starts with a UTF-8 byte-order mark")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return LineDefect(
            "NC-JSON-003",
            f"invalid UTF-8: byte 0x{data[error.start]:02X} at column {error.start + 1}",
        )
    if "depth" in orjson_message or "recursion" in orjson_message:
        return LineDefect("NC-JSON-009", "nested deeper than 1,000 levels")
    control = _RAW_CONTROL.search(data)
    if control:
        return LineDefect(
            "NC-JSON-005",
            f"raw control character U+{control.group()[0]:04X} at column {control.start() + 1}",
        )
    if "surrogate" in orjson_message:
        return LineDefect("NC-JSON-003", f"invalid Unicode escape: {orjson_message}")
    try:
        json.loads(text, parse_constant=_refuse_constant)
    except _ConstantError as error:
        return LineDefect("NC-JSON-006", f"{error.args[0]} is not JSON")
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":
            return LineDefect(
                "NC-JSON-008", f"content after the JSON value at column {error.colno}"
            )
        return LineDefect("NC-JSON-001", f"{error.msg} at column {error.colno}")
    except RecursionError:
        return LineDefect("NC-JSON-009", "nested too deeply")
    return LineDefect("NC-JSON-001", orjson_message)


class _ConstantError(ValueError):
    pass


def _refuse_constant(name: str) -> None:
    raise _ConstantError(name)


class _DuplicateKey(ValueError):
    pass


def _duplicate_key(data: bytes) -> LineDefect | None:
    """Find a repeated key in any object of the line, with its JSON path."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                raise _DuplicateKey(key)
            seen[key] = value
        return seen

    try:
        json.loads(data, object_pairs_hook=pairs)
    except _DuplicateKey as error:
        return LineDefect(
            "NC-JSON-007",
            f"key {error.args[0]!r} appears twice in one object",
            (str(error.args[0]),),
        )
    except (ValueError, RecursionError):
        return None
    return None
