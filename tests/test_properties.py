"""Property-based: no text crashes the parser, and no body word is ever lost or changed."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscorpus.normalise import normalise_paragraphs, normalise_text
from newscorpus.parse import parse_layout
from newscorpus.parse.layout import split_lines
from newscorpus.problems import SeedError
from newscorpus.record import Record, SeedInput, make_record

HEADERISH = st.sampled_from(
    [
        "The article originally appeared in The Daily Planet",
        "This article originally appeared in Le Monde.",
        "By Lois Lane",
        "By Lois Lane and Clark Kent",
        "By Tuesday, it was over.",
        "By",
        "BY X",
        "Headline",
        "",
        "   ",
        "\t",
        "Meanwhile. the end",
        "“Quoted,” she said.",
    ]
)
LINES = st.lists(st.one_of(HEADERISH, st.text(max_size=120)), max_size=25)
NEWLINES = st.sampled_from(["\n", "\r\n", "\r", "\n\n"])


@st.composite
def seed_texts(draw: st.DrawFn) -> str:
    lines = draw(LINES)
    return "".join(line + draw(NEWLINES) for line in lines)


def _body_tokens_from_raw(text: str, dropped_lines: set[int]) -> list[str]:
    return [
        token
        for line in split_lines(text)
        if line.number not in dropped_lines
        for token in line.text.split()
    ]


def _check_accounting(text: str) -> None:
    try:
        layout = parse_layout(text)
    except SeedError:
        return
    dropped = {d.line for d in layout.dropped}
    body = [token for paragraph in layout.paragraphs for token in paragraph.split()]
    assert body == _body_tokens_from_raw(text, dropped)
    lines = {line.number: line.text for line in split_lines(text)}
    assert all(lines[d.line] == d.text for d in layout.dropped)
    assert layout.paragraphs and all(p.strip() for p in layout.paragraphs)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(seed_texts())
def test_layout_accounts_for_every_token(text: str) -> None:
    _check_accounting(text)


@settings(max_examples=300)
@given(st.text())
def test_arbitrary_text_never_crashes(text: str) -> None:
    _check_accounting(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), seed_texts().map(lambda t: t.encode("utf-8"))))
def test_make_record_never_raises_and_keeps_every_body_word(data: bytes) -> None:
    made = make_record(SeedInput("001_0123456789abcdef.txt", data))
    if not isinstance(made, Record):
        assert made and all(p.code.startswith("NC-") for p in made)
        return
    text = data.decode(made.seed_encoding.replace("windows-1252", "cp1252"))
    dropped = {d.line for d in made.dropped_lines}
    raw = _body_tokens_from_raw(text.removeprefix("\ufeff"), dropped)
    expected = unicodedata.normalize("NFC", " ".join(raw)).split()
    assert made.text.split() == expected
    assert made.word_count == len(expected)


PARAGRAPH_PIECES = st.sampled_from(
    ["a", "é", "e", "\u0301", "\u0327", " ", "  ", "\t", "\u00a0", "\n", "\u1100", "\u1161",
     "\u11a8", "\uac00", "\u212b", "\u0958", "\x07", "\u200b", "\u3000", "字"]
)  # fmt: skip


@settings(max_examples=500)
@given(st.lists(st.lists(PARAGRAPH_PIECES, max_size=8).map("".join), max_size=6))
def test_paragraphs_normalise_as_each_would_alone(paragraphs: list[str]) -> None:
    """The one test of the joined paragraphs never spares a paragraph that needs normalising:
    combining marks, Hangul jamo and white space at the edges included."""
    assert normalise_paragraphs(paragraphs) == [normalise_text(p) for p in paragraphs]
