"""Property-based: no text crashes the parser, and no body word is ever lost or changed."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newscorpus.normalise import normalise_body, normalise_text
from newscorpus.parse import parse_layout
from newscorpus.parse.layout import _unspaced, join_lines, split_lines
from newscorpus.problems import SeedError
from newscorpus.record import Record, SeedInput, make_record
from newscorpus.textform import INVISIBLE

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


def _blank(line: str) -> bool:
    """A line of white space and invisible characters is a blank line (README, "Seeds"): it
    holds no body word, whatever its length."""
    return all(char.isspace() or char in INVISIBLE for char in line)


def _body_tokens_from_raw(text: str, dropped_lines: set[int]) -> list[tuple[str, bool, bool]]:
    """(token, first on its line, last on its line) for every body token of the seed."""
    tokens = []
    for line in split_lines(text):
        if line.number in dropped_lines or _blank(line.text):
            continue
        words = line.text.split()
        tokens += [(w, i == 0, i == len(words) - 1) for i, w in enumerate(words)]
    return tokens


def _same_words(body: list[str], raw: list[tuple[str, bool, bool]]) -> bool:
    """Whether ``body`` is the raw tokens in order, each whole, except that a token ending
    one line and the next starting the following line may make one word when both sides are
    of a script written without spaces (CJK: ``join_lines``)."""
    at = 0
    for word in body:
        if at >= len(raw):
            return False
        joined, _, last = raw[at]
        at += 1
        while (
            joined != word
            and word.startswith(joined)
            and at < len(raw)
            and last
            and raw[at][1]
            and _unspaced(joined[-1])
            and _unspaced(raw[at][0][0])
        ):
            joined, last = joined + raw[at][0], raw[at][2]
            at += 1
        if joined != word:
            return False
    return at == len(raw)


def _check_accounting(text: str) -> None:
    try:
        layout = parse_layout(text)
    except SeedError:
        return
    dropped = {d.line for d in layout.dropped}
    body = [token for paragraph in layout.paragraphs for token in paragraph.split()]
    assert _same_words(body, _body_tokens_from_raw(text, dropped))
    lines = {line.number: line.text for line in split_lines(text)}
    # kept as it stands, but for VT and FF, a space there as in body text
    kept = {n: t.replace("\x0b", " ").replace("\x0c", " ") for n, t in lines.items()}
    assert all(kept[d.line] == d.text for d in layout.dropped)
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
    raw = [
        (unicodedata.normalize("NFC", token), first, last)
        for token, first, last in _body_tokens_from_raw(text.removeprefix("\ufeff"), dropped)
    ]
    assert _same_words(made.text.split(), raw)
    assert made.word_count == len(made.text.split())


PARAGRAPH_PIECES = st.sampled_from(
    ["a", "é", "e", "\u0301", "\u0327", " ", "  ", "\t", "\u00a0", "\n", "\u1100", "\u1161",
     "\u11a8", "\uac00", "\u212b", "\u0958", "\x07", "\u200b", "\u3000", "字"]
)  # fmt: skip


@settings(max_examples=500)
@example(["a\n\nb"])  # a blank line inside a paragraph looks like a join of two
@given(st.lists(st.lists(PARAGRAPH_PIECES, max_size=8).map("".join), max_size=6))
def test_paragraphs_normalise_as_each_would_alone(paragraphs: list[str]) -> None:
    """The one test of the joined body never spares a paragraph that needs normalising:
    combining marks, Hangul jamo, line breaks and white space at the edges included; and the
    body is the normal paragraphs joined by a blank line."""
    normal, body = normalise_body(paragraphs)
    assert normal == [normalise_text(p) for p in paragraphs]
    assert body == "\n\n".join(normal)


def test_wrapped_chinese_and_japanese_lines_join_without_a_space() -> None:
    text = (
        "見出し\n\n日銀の植田和男総\n裁は会見で、為\n替介入について述べた。\n\n"
        "A wrapped English\nparagraph stays spaced.\n\n한국어 문장이\n이어집니다.\n"
    )
    layout = parse_layout(text)
    assert layout.paragraphs == (
        "日銀の植田和男総裁は会見で、為替介入について述べた。",
        "A wrapped English paragraph stays spaced.",
        "한국어 문장이 이어집니다.",
    )


def test_join_lines_keeps_a_space_at_a_script_change_and_before_a_mark() -> None:
    lines = split_lines("東京\nTokyo\nか\n\u3099")
    assert join_lines(lines) == "東京 Tokyo か \u3099"


def test_chinese_paragraphs_one_per_line_stay_apart() -> None:
    paragraphs = (
        "前三季度，全国居民人均可支配收入实际增长5.9%。",
        "国家统计局周三公布的数据显示，第三季度国内生产总值同比增长4.9%。",
        "分析人士认为，经济回升向好。",
        "多家国际机构近期上调了对中国全年经济增长的预测，国际货币基金组织预计今年增长5%左右。",
    )
    assert parse_layout("标题\n" + "\n".join(paragraphs) + "\n").paragraphs == paragraphs
