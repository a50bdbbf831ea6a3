"""Reading data lines in blocks: boundaries, endings and over-long lines."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newscorpus.validate import jsonlines
from newscorpus.validate.jsonlines import parse_line, read_lines


@pytest.fixture(autouse=True)
def _small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonlines, "_BLOCK", 7)
    monkeypatch.setattr(jsonlines, "MAX_LINE_BYTES", 20)


def _lines(data: bytes) -> list[tuple[int, bytes, bytes, int]]:
    seen = bytearray()
    out = [
        (r.number, r.data, r.ending, r.too_long)
        for r in read_lines(io.BytesIO(data), on_bytes=seen.extend)
    ]
    assert bytes(seen) == data  # every byte passes through on_bytes, once
    return out


def test_lines_across_block_boundaries() -> None:
    assert _lines(b"first line\nsecond\r\nthird") == [
        (1, b"first line", b"\n", 0),
        (2, b"second", b"\r\n", 0),
        (3, b"third", b"", 0),
    ]


def test_over_long_lines_are_counted_not_kept() -> None:
    data = b"short\n" + b"x" * 50 + b"\nafter\n" + b"y" * 30
    assert _lines(data) == [
        (1, b"short", b"\n", 0),
        (2, b"", b"\n", 51),
        (3, b"after", b"\n", 0),
        (4, b"", b"", 30),
    ]


def _reference(data: bytes) -> list[tuple[int, bytes, bytes, int]]:
    """The lines as the plainest reading of the format has them (MAX_LINE_BYTES is 20 here)."""
    *lines, last = data.split(b"\n")
    out = []
    for number, line in enumerate(lines, 1):
        if len(line) > 20:
            out.append((number, b"", b"\n", len(line) + 1))
        elif line.endswith(b"\r"):
            out.append((number, line[:-1], b"\r\n", 0))
        else:
            out.append((number, line, b"\n", 0))
    if last:
        too_long = len(last) > 20
        out.append((len(lines) + 1, b"" if too_long else last, b"", len(last) if too_long else 0))
    return out


@given(
    st.lists(st.sampled_from([b"a", b"\xc3\xa9", b"\r", b"\n", b"\r\n", b"x" * 15]), max_size=30),
    st.integers(min_value=1, max_value=12),
)
def test_lines_are_the_same_whatever_the_block_size(parts: list[bytes], block: int) -> None:
    data = b"".join(parts)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonlines, "_BLOCK", block)
        assert _lines(data) == _reference(data)


def test_empty_file_has_no_lines() -> None:
    assert _lines(b"") == []


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b'{"a":1,"a":2}', "NC-JSON-007"),
        (b'{"a":NaN}', "NC-JSON-006"),
        (b'{"a":1} x', "NC-JSON-008"),
        (b"[1]", "NC-JSON-002"),
        (b'{"a":"\x00"}', "NC-JSON-005"),
        (b'{"a":"\\u0000"}', "NC-JSON-005"),
        (b'\xef\xbb\xbf{"a":1}', "NC-JSON-004"),
        (b'{"a":"\xff"}', "NC-JSON-003"),
        (b'{"a":"\\ud800"}', "NC-JSON-003"),
        (b"[" * 2000 + b"]" * 2000, "NC-JSON-009"),
        (b'{"a":', "NC-JSON-001"),
        (b"   ", "NC-JSON-011"),
    ],
)
def test_each_defect_has_its_code(data: bytes, code: str) -> None:
    _, defects, _ = parse_line(jsonlines.RawLine(1, data, b"\n"))
    assert [d.code for d in defects] == [code]
