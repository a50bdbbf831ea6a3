"""The fast path of `validate` never passes a record the full rules would refuse.

``sound_text`` is what nearly every record goes through; the rules in ``RECORD_RULES`` run only
when it says no. If it said yes to a record the rules refuse, a broken record would pass
unseen, so records are mutated at random in the ways the rules look for (whitespace of every
kind, decomposed accents, invisible characters, counts and hashes, dates, ids) and, for each
one that still passes the schema, the two verdicts are compared. The fast path may say no to
a sound record only for the one documented reason: a control character in its text.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict
from datetime import date

import orjson
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from articles import ARTICLES, Variant, render
from newscorpus.nfc_safe import NFC_SAFE_WORD_CHARACTERS
from newscorpus.normalise import normalise_text
from newscorpus.record import Record, SeedInput, make_record
from newscorpus.schemas import bulk_validator, fast_validator
from newscorpus.textform import WHITESPACE, folded_nfc, is_folded_body, is_normal_body
from newscorpus.validate.canonical import shape_defect, shape_is_canonical
from newscorpus.validate.datafile import _loads_joining
from newscorpus.validate.record_rules import (
    RECORD_RULES,
    RecordContext,
    RecordFacts,
    sound_text,
)

TODAY = date(2026, 6, 1)
PIECES = st.sampled_from(
    [" ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u2009", "\u3000", "\u200b", "\u00ad", "\x1c",
     "\u0301", "e\u0301", "é", "“", "—", "a", "Word", ".", "\r", "\u2028", "\ufeff",
     "\x01", "\x7f", "\x08"]
)  # fmt: skip


def _records() -> list[dict]:
    made = []
    for index, article in enumerate(ARTICLES[:4]):
        data = render(article, Variant())
        name = f"{index:03d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"
        record = make_record(SeedInput(name, data))
        assert isinstance(record, Record)
        made.append(orjson.loads(orjson.dumps(asdict(record))))
    return made


BASES = _records()


def rules_pass(record: dict) -> bool:
    facts, ctx = RecordFacts(record), RecordContext(today=TODAY)
    return not [f for rule in RECORD_RULES.values() for f in rule(facts, ctx)]


def _refresh(record: dict, fields: set[str]) -> None:
    """Recompute some derived fields so a mutation reaches the deeper tests."""
    text = record["text"]
    if "text" in fields:
        record["text"] = text = "\n\n".join(record["paragraphs"])
    if "hash" in fields:
        record["text_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if "counts" in fields:
        record["paragraph_count"] = len(record["paragraphs"])
        record["char_count"] = len(text)
        record["word_count"] = len(text.split())


# Mutations of the base records, in the ways the rules look for: pieces of text put into the
# paragraphs, some derived fields recomputed (or not), and one field nudged off its value.
EDITS = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0), PIECES), max_size=4)
REFRESH = st.sets(st.sampled_from(["text", "hash", "counts"]))
NUDGES = st.sampled_from(["none", "words", "published", "id", "text-only", "chars"])


def mutated(base: int, edits: list[tuple[int, int, str]], refresh: set[str], nudge: str) -> dict:
    """A copy of ``BASES[base]`` with ``edits`` made, ``refresh`` recomputed and ``nudge``."""
    record = orjson.loads(orjson.dumps(BASES[base]))
    paragraphs = record["paragraphs"]
    for which, where, piece in edits:
        index = which % len(paragraphs)
        paragraph = paragraphs[index]
        cut = where % (len(paragraph) + 1)
        paragraphs[index] = paragraph[:cut] + piece + paragraph[cut:]
    _refresh(record, refresh)
    if nudge == "words":
        record["word_count"] += 1
    elif nudge == "published":
        record["published"] = "2026-06-02"
    elif nudge == "id":
        record["id"] = "0" * 16
    elif nudge == "text-only":
        record["text"] += " x"
    elif nudge == "chars":
        record["char_count"] += 1
    return record


MUTATED = st.builds(mutated, st.sampled_from(range(len(BASES))), EDITS, REFRESH, NUDGES)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MUTATED)
def test_fast_path_agrees_with_the_rules(record: dict) -> None:
    # The fast path is the lighter schema, then sound_text: together they must mean the whole
    # schema and every rule (the lighter schema admits the bad paragraphs the full one refuses).
    assume(bulk_validator().is_valid(record))
    fast = sound_text(record, TODAY.isoformat())
    rules = rules_pass(record) and fast_validator().is_valid(record)
    if fast is None:
        # The fast path may be cautious on two things only: control characters, which the
        # rules allow but the full check of the line must see (NC-JSON-005), and U+FEFF, which
        # it keeps out of words so that a word is \\S to JSON Schema too.
        control = any((ord(c) < 0x20 and c != "\n") or c in "\x7f\ufeff" for c in record["text"])
        assert not rules or control
    else:
        assert rules
        assert fast == (
            record["text"].encode("utf-8"),
            hashlib.sha256(record["text"].encode("utf-8")).digest(),
        )


def test_bulk_validator_leaves_out_only_the_paragraph_pattern() -> None:
    """The fast path saves the paragraphs' regex pass, and nothing else of the schema."""
    record = orjson.loads(orjson.dumps(BASES[0]))
    record["paragraphs"][0] = " " + record["paragraphs"][0]
    assert bulk_validator().is_valid(record) and not fast_validator().is_valid(record)
    assert sound_text(record, TODAY.isoformat()) is None
    for field, value in [("language", 5), ("id", "xyz"), ("paragraphs", ["ok", 3])]:
        assert not bulk_validator().is_valid({**BASES[0], field: value})


# One-character strings of every kind the paragraph pattern cares about: ECMA-262 white space,
# Python's, line terminators, controls, format characters, and ordinary letters.
PARAGRAPH_CHARS = st.sampled_from(
    [" ", "a", "Ж", "漢", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0",
     "\u1680", "\u2000", "\u200a", "\u200b", "\u2028", "\u2029", "\u202f", "\u205f",
     "\u3000", "\ufeff", "\u00ad", "\x00", "\x7f", "\U0001f600", "\u0301"]
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.text(PARAGRAPH_CHARS, max_size=6) | st.text(max_size=6), max_size=4))
@example(["a\n\nb"])
@example(["a", "b\n\nc"])
def test_a_folded_body_implies_the_paragraph_pattern(paragraphs: list[str]) -> None:
    """The build proves the paragraphs' pattern with ``is_folded_body`` instead of the regex
    per paragraph: whatever it accepts, the schema's own pattern and minimum length accept."""
    paragraphs = paragraphs or ["x"]
    record = {**BASES[0], "paragraphs": paragraphs}
    if is_folded_body("\n\n".join(paragraphs), paragraphs) and bulk_validator().is_valid(record):
        assert fast_validator().is_valid(record), paragraphs


def test_a_folded_body_refuses_what_the_pattern_refuses() -> None:
    for paragraph in ["", " a", "a ", "a\nb", "a\n\nb", "\ufeffa", "a\u2028b", "\xa0a", "a  b"]:
        paragraphs = ["fine", paragraph]
        assert not is_folded_body("\n\n".join(paragraphs), paragraphs), paragraph
    paragraphs = ["Un café, s'il vous plaît.", "漢字 and Ж"]
    assert is_folded_body("\n\n".join(paragraphs), paragraphs)
    assert not is_folded_body("Un café, s'il vous plaît.", paragraphs)  # not their join


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.text(PARAGRAPH_CHARS, max_size=6) | st.text(max_size=6), max_size=4))
@example(["a\n\nb"])  # a blank line inside a paragraph looks like a join
@example(["a", "b\n\nc"])
@example(["e\u0301"])  # folded but not NFC
def test_a_normal_body_needs_no_normalising(paragraphs: list[str]) -> None:
    """The normaliser leaves a body that ``is_normal_body`` accepts untouched: each of its
    paragraphs is exactly what ``normalise_text`` would make of it."""
    if is_normal_body("\n\n".join(paragraphs), len(paragraphs)):
        assert [normalise_text(p) for p in paragraphs] == paragraphs


def test_sound_records_take_the_fast_path() -> None:
    for record in BASES:
        assert rules_pass(record)
        assert sound_text(record, TODAY.isoformat()) is not None


def _float_count(record: dict) -> dict:
    return {**record, "word_count": float(record["word_count"])}


def _float_line(record: dict) -> dict:
    first = {**record["dropped_lines"][0], "line": float(record["dropped_lines"][0]["line"])}
    return {**record, "dropped_lines": [first, *record["dropped_lines"][1:]]}


def _root_key_order(record: dict) -> dict:
    return dict(reversed(record.items()))


def _item_key_order(record: dict) -> dict:
    first = dict(reversed(record["dropped_lines"][0].items()))
    return {**record, "dropped_lines": [first, *record["dropped_lines"][1:]]}


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (_float_count, ("word_count",)),
        (_float_line, ("dropped_lines", 0, "line")),
        (_root_key_order, ()),
        (_item_key_order, ("dropped_lines", 0)),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_shape_defects_are_seen_by_both_checks(edit, where) -> None:  # type: ignore[no-untyped-def]
    record = orjson.loads(orjson.dumps(BASES[0]))
    assert record["dropped_lines"], "the base record needs a dropped line"
    assert shape_is_canonical(record) and shape_defect(record) is None
    record = edit(record)
    assert fast_validator().is_valid(record)  # the schema cannot see it...
    assert not shape_is_canonical(record)  # ...the fast check can...
    defect = shape_defect(record)  # ...and the slow one says where
    assert defect is not None and defect[0] == where


def test_whitespace_list_is_pythons() -> None:
    """The fast path's pattern lists exactly the characters ``str.isspace`` accepts."""
    import sys

    assert [c for c in range(sys.maxunicode + 1) if chr(c).isspace()] == [
        ord(c) for c in WHITESPACE
    ]


def test_nfc_safe_table_is_sound() -> None:
    """Every character the fast path takes as NFC-safe is, under this Python's Unicode: not
    white space or U+FEFF (so it is a word character too), combining class 0, its own NFC, and
    never the second half of a composition. Then a text of them passes the NFC quick check.
    A failure means the table is stale: python scripts/make_nfc_table.py"""
    import sys

    seconds = {*range(0x1161, 0x1176), *range(0x11A8, 0x11C3)}  # Hangul, composed by rule
    for code in range(sys.maxunicode + 1):
        mapping = unicodedata.decomposition(chr(code))
        if mapping and not mapping.startswith("<") and len(mapping.split()) == 2:
            seconds.add(int(mapping.split()[1], 16))
    previous = -1
    for low, high in NFC_SAFE_WORD_CHARACTERS:
        assert previous < low <= high, "ranges are sorted and disjoint"
        previous = high
        for code in range(low, high + 1):
            char = chr(code)
            assert not char.isspace() and code != 0xFEFF and code >= 0x20, hex(code)
            assert unicodedata.combining(char) == 0, hex(code)
            assert unicodedata.normalize("NFC", char) == char, hex(code)
            assert code not in seconds, hex(code)


@given(st.lists(st.sampled_from("aé€ß„“ЖΩ漢字かカ한 ñ\u0301\u0300\u1161\u212b\u0958"), max_size=30))
def test_one_pass_nfc_agrees_with_unicodedata(chars: list[str]) -> None:
    """A text the one-pass check calls NFC is NFC; the others are left to unicodedata."""
    text = " ".join("".join(chars).split())
    assume(text)
    if folded_nfc(text):
        assert unicodedata.is_normalized("NFC", text)


TEXT_PIECES = st.sampled_from(['","paragraphs":["', ',"text":"', "\n\n", "\\", '"', "x", "é", " "])


@given(
    base=st.sampled_from(BASES),
    text_extra=st.lists(TEXT_PIECES, max_size=4),
    title_extra=st.lists(TEXT_PIECES, max_size=3),
    at=st.integers(min_value=0),
)
def test_text_made_from_paragraphs_only_when_the_line_is_that(
    base: dict, text_extra: list[str], title_extra: list[str], at: int
) -> None:
    """``_loads_joining`` reads the text off the paragraphs, not off the line. The fast path
    trusts it only when the line is the canonical form of what it returned, and then it must
    be exactly what the line holds, whatever the text and title contain."""
    record = dict(base)
    text = record["text"]
    cut = at % (len(text) + 1)
    record["text"] = text[:cut] + "".join(text_extra) + text[cut:]
    record["title"] = record["title"] + "".join(title_extra)
    line = orjson.dumps(record)
    parsed, joined = _loads_joining(line, orjson.loads)
    if orjson.dumps(parsed) == line:
        assert parsed == record
    if record["text"] == "\n\n".join(record["paragraphs"]):
        assert joined and parsed == record  # a sound text is never parsed twice


def test_lines_without_a_list_of_paragraphs_are_parsed_in_full() -> None:
    for paragraphs in (["a", 3], "a", None):
        record = {**BASES[0], "paragraphs": paragraphs}
        line = orjson.dumps(record)
        assert _loads_joining(line, orjson.loads) == (record, False)
    assert _loads_joining(b"[1]", orjson.loads) == ([1], False)
