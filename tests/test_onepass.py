"""The one-pass proof of a data line never accepts what the pure-Python checks refuse.

``validate`` tries the C accelerator first (``newscorpus.validate.onepass``); what it cannot
prove goes on to the pure-Python fast path and the full rules. So it may refuse a sound line,
but a line it accepts must be one the rules and the whole schema accept, and what it returns
must be that line's record and text. Records are mutated as in ``test_fast_path`` (whitespace
of every kind, decomposed accents, counts, hashes, dates, ids), and lines byte by byte (quotes,
backslashes, escapes, broken UTF-8), and each verdict is compared with the pure-Python one.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from newscorpus.nfc_safe import NFC_SAFE_WORD_CHARACTERS
from newscorpus.schemas import fast_validator
from newscorpus.validate import onepass
from newscorpus.validate.datafile import FileTask, check_file
from newscorpus.validate.onepass import CHECKER, cut_body, one_pass
from newscorpus.validate.record_rules import sound_text
from test_fast_path import BASES, MUTATED, TODAY, rules_pass

NFC_SAFE = frozenset(
    code for low, high in NFC_SAFE_WORD_CHARACTERS for code in range(low, high + 1)
)


def test_the_accelerator_is_built() -> None:
    """The package builds it wherever a C compiler is at hand, CI included; without it
    `validate` takes 1.4 times as long. Rebuild: python -m pip install -e . (needs a C compiler)."""
    assert CHECKER is not None, "newscorpus.validate._onepass is not built"
    assert one_pass() is not None, "the record schema asks of the body more than the pass proves"


def _prove(line: bytes) -> Any:
    proof = one_pass()
    assert proof is not None
    return proof.prove(line, TODAY.isoformat())


def _restored(record: dict[str, Any], utf8: bytes) -> dict[str, Any]:
    """The record a proven line holds: its text and paragraphs put back."""
    text = utf8.decode("utf-8")
    return {**record, "text": text, "paragraphs": text.split("\n\n")}


def test_sound_records_are_proven_in_one_pass() -> None:
    for record in BASES:
        line = orjson.dumps(record)
        proven = _prove(line)
        assert proven is not None
        found, digest, utf8 = proven
        assert _restored(found, utf8) == record
        assert digest == hashlib.sha256(record["text"].encode()).digest()
        assert found["text"] == "" and found["paragraphs"] == []


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MUTATED)
def test_one_pass_agrees_with_the_rules(record: dict[str, Any]) -> None:
    line = orjson.dumps(record)
    proven = _prove(line)
    if proven is not None:
        # accepted: the whole schema and every rule accept it, and it is what the line holds
        assert fast_validator().is_valid(record) and rules_pass(record)
        found, digest, utf8 = proven
        assert _restored(found, utf8) == record
        assert digest == hashlib.sha256(record["text"].encode("utf-8")).digest()
    elif fast_validator().is_valid(record) and sound_text(record, TODAY.isoformat()):
        # refused what the pure-Python fast path accepts: only for a character outside the
        # table of NFC-safe ones (the pure-Python path asks unicodedata about those)
        assert any(ord(c) not in NFC_SAFE and c not in " \n" for c in record["text"])
        assert unicodedata.is_normalized("NFC", record["text"])


BYTES = st.sampled_from(
    [b'"', b"\\", b",", b'","', b"\\n", b"\\n\\n", b'\\"', b"\\\\", b"\\u00e9", b"\\/",
     b"\\t", b" ", b"  ", b"x", b"\xc3\xa9", b"\xc3", b"\xc0\x80", b"\xed\xa0\x80",
     b"\xf4\x90\x80\x80", b"\xe0\x80\xaf", b"\xf0\x80\x80\xaf", b"\xff", b"\x01",
     b"\x7f", b"]", b"[", b"{", b"}", b":",
     b'"],"paragraph_count":', b'","paragraphs":["', b',"text":"', b"\xe2\x80\x9c"]
)  # fmt: skip


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(range(len(BASES))),
    edits=st.lists(
        st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=3), BYTES),
        min_size=1,
        max_size=3,
    ),
    body_only=st.booleans(),
)
@example(base=0, edits=[(10**6, 0, b'","')], body_only=True)  # a paragraph split in two
@example(base=0, edits=[(10**6, 0, b"\\n\\n")], body_only=True)
def test_a_proven_line_is_canonical_whatever_its_bytes(
    base: int, edits: list[tuple[int, int, bytes]], body_only: bool
) -> None:
    """Bytes put into a sound line, or taken out of it: whatever the one pass accepts parses
    (with orjson, strictly) to the record it returns, and is that record's canonical form."""
    original = line = orjson.dumps(BASES[base])
    # most edits land in the text or the paragraphs, where the pass reads
    start = original.index(b',"text":"') + len(b',"text":"')
    end = original.index(b'"],"paragraph_count":')
    for at, drop, piece in edits:
        at = min(start + at % (end - start), len(line)) if body_only else at % len(line)
        line = line[:at] + piece + line[at + drop :]
    assume(line != original)
    proven = _prove(line)
    if proven is not None:
        found, digest, utf8 = proven
        parsed = orjson.loads(line)
        assert parsed == _restored(found, utf8)
        assert orjson.dumps(parsed) == line
        assert fast_validator().is_valid(parsed) and rules_pass(parsed)
        assert digest == hashlib.sha256(utf8).digest()


def _check(text: bytes, paragraphs: bytes) -> Any:
    """``Checker.check`` of a line holding exactly these serialised text and paragraphs."""
    line = b'{"id":"x","text":"' + text + b'","paragraphs":["' + paragraphs
    line += b'"],"paragraph_count":1}'
    cut = cut_body(line)
    assert cut is not None and CHECKER is not None
    start, end = cut[1]
    return CHECKER.check(line, start, b'","paragraphs":["', end)


@pytest.mark.parametrize(
    ("text", "paragraphs", "expected"),
    [
        (b"a b", b"a b", (b"a b", 1, 3, 1)),
        (b"a\\n\\nb c", b'a","b c', (b"a\n\nb c", 2, 6, 1)),
        (b'say \\"hi\\"', b'say \\"hi\\"', (b'say "hi"', 1, 8, 1)),
        (b"a\\\\b", b"a\\\\b", (b"a\\b", 1, 3, 0)),
        (b"a\\\\", b"a\\\\", (b"a\\", 1, 2, 0)),  # an escaped backslash before the end
        (b'\\"a\\"', b'\\"a\\"', (b'"a"', 1, 3, 0)),
        (b'a\\\\\\"', b'a\\\\\\"', (b'a\\"', 1, 3, 0)),  # a backslash, then a quote
        ("Ж 漢字 😀".encode(), "Ж 漢字 😀".encode(), ("Ж 漢字 😀".encode(), 1, 6, 2)),
    ],
)
def test_check_returns_the_text_and_its_counts(
    text: bytes, paragraphs: bytes, expected: tuple[bytes, int, int, int]
) -> None:
    assert _check(text, paragraphs) == expected


@pytest.mark.parametrize(
    ("text", "paragraphs"),
    [
        (b"", b""),  # no paragraph
        (b"a\\n\\n", b'a","'),  # an empty paragraph
        (b" a", b" a"),  # a space first
        (b"a ", b"a "),  # a space last
        (b"a  b", b"a  b"),  # two spaces
        (b"a\\n\\n b", b'a"," b'),  # a space after the blank line
        (b"a\\nb", b"a\\nb"),  # a line break inside a paragraph
        (b"a\\n\\nb", b"a\\n\\nb"),  # a blank line inside a paragraph
        (b"a b", b'a","b'),  # the text is not the join
        (b"a c", b"a b"),  # nor the same words
        (b"a1234b", b'a","b'),  # nor the paragraphs with a blank line between them
        (b"a\\n\\nb", b"a b"),
        (b"ab", b"a"),  # the text is longer
        (b"a", b"ab"),  # the paragraphs are longer
        (b"\\u00e9", b"\\u00e9"),  # an escape the build never writes
        (b"a\\/b", b"a\\/b"),
        (b"a\\tb", b"a\\tb"),
        (b"a\x01b", b"a\x01b"),  # a raw control character
        (b"a\x7fb", b"a\x7fb"),  # DEL: not a word character
        (b'a"b', b'a"b'),  # a raw quote
        (b"a\\", b"a\\"),  # a lone backslash at the end
        (b'a","paragraphs":["a', b"a"),  # the text ends early, at a quote of its own
        (b"\xc0\x80", b"\xc0\x80"),  # overlong
        (b"\xe0\x80\xaf", b"\xe0\x80\xaf"),  # "/" in three bytes, overlong
        (b"\xf0\x80\x80\xaf", b"\xf0\x80\x80\xaf"),  # "/" in four
        (b"\xed\xa0\x80", b"\xed\xa0\x80"),  # a surrogate
        (b"\xf4\x90\x80\x80", b"\xf4\x90\x80\x80"),  # above U+10FFFF
        (b"\xc3", b"\xc3"),  # cut short
        (b"\xff", b"\xff"),
        ("e\u0301".encode(), "e\u0301".encode()),  # a combining mark: left to unicodedata
        ("a\u00a0b".encode(), "a\u00a0b".encode()),  # white space other than the space
        ("a\ufeffb".encode(), "a\ufeffb".encode()),  # U+FEFF, white space to JSON Schema
    ],
)
def test_check_leaves_everything_else_unproven(text: bytes, paragraphs: bytes) -> None:
    assert _check(text, paragraphs) is None


def test_check_needs_the_paragraphs_key_right_after_the_text() -> None:
    assert CHECKER is not None
    between = b'","paragraphs":["'
    for line in (
        b'{"text":"a","paragraphX":["a"],"paragraph_count":1}',  # as long, another key
        b'{"text":"a","paragraph":["a"],"paragraph_count":1}',
    ):
        end = line.rindex(b'"],"paragraph_count":')
        assert CHECKER.check(line, 9, between, end) is None
    line = b'{"text":"a","paragraphs":["a"],"paragraph_count":1}'
    assert CHECKER.check(line, 9, between, line.rindex(b'"],')) == (b"a", 1, 1, 0)


def test_check_refuses_spans_outside_the_line() -> None:
    assert CHECKER is not None
    with pytest.raises(ValueError):
        CHECKER.check(b"abc", 2, b'","', 1)
    with pytest.raises(ValueError):
        CHECKER.check(b"abc", 0, b'","', 4)


def test_the_table_must_make_quote_and_backslash_word_characters() -> None:
    assert CHECKER is not None
    with pytest.raises(ValueError):
        type(CHECKER)([(0x41, 0x5A)])
    with pytest.raises(ValueError):
        type(CHECKER)([(0x5A, 0x41)])


def test_the_pass_is_off_when_the_schema_asks_more_of_the_body(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pass stands in for the schema's keywords on ``text`` and ``paragraphs`` only while
    they are exactly what it proves; a schema that asks more turns it off."""
    schema = orjson.loads(orjson.dumps(onepass.load_record_schema()))
    assert onepass.rest_validator.__wrapped__() is not None
    stricter = [
        ("text", {"type": "string", "minLength": 1, "maxLength": 10, "pattern": "^a"}),
        ("paragraphs", {"type": "array", "minItems": 2, "items": {"type": "string"}}),
    ]
    for key, node in stricter:
        changed = {**schema, "properties": {**schema["properties"], key: node}}
        monkeypatch.setattr(onepass, "load_record_schema", lambda changed=changed: changed)
        assert onepass.rest_validator.__wrapped__() is None


def test_text_longer_than_the_schema_allows_is_left_to_the_schema() -> None:
    lighter = onepass.rest_validator()
    assert lighter is not None
    line = orjson.dumps(BASES[0])
    assert onepass.OnePass(CHECKER, lighter[0], len(BASES[0]["text"])).prove(line, "2026-06-01")
    assert (
        onepass.OnePass(CHECKER, lighter[0], len(BASES[0]["text"]) - 1).prove(line, "2026-06-01")
        is None
    )


def test_both_paths_give_the_same_results(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A data file of sound and broken lines: findings, summaries and digests are the same
    whether the one pass runs or not."""
    lines = [orjson.dumps(r) for r in BASES]
    broken = dict(BASES[1], word_count=BASES[1]["word_count"] + 1)
    lines[1] = orjson.dumps(broken)
    lines.append(orjson.dumps(dict(BASES[2], text=BASES[2]["text"] + " x")))
    ordered = sorted(lines, key=lambda line: orjson.loads(line)["id"])
    path = tmp_path / "shard-.jsonl"
    path.write_bytes(b"\n".join(ordered) + b"\n")
    task = FileTask(path, date(2026, 6, 1), near_duplicates=True)
    fast = check_file(task)
    monkeypatch.setattr("newscorpus.validate.datafile.one_pass", lambda: None)
    slow = check_file(task)
    assert fast.problems == slow.problems and len(fast.problems) >= 2
    assert fast.summaries == slow.summaries
    assert (fast.sha256, fast.bytes, fast.lines) == (slow.sha256, slow.bytes, slow.lines)
