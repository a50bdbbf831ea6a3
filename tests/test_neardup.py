"""The near-duplicate threshold: what it flags and what it leaves alone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from articles import ARTICLES
from newscorpus.validate.neardup import (
    NEAR_DUPLICATE_THRESHOLD,
    near_duplicate_pairs,
    sentences,
    signature,
)

BASE = "\n\n".join(p for article in ARTICLES for p in article.paragraphs)


def _pairs(*texts: str) -> list[tuple[int, int]]:
    return [(a, b) for a, b, _ in near_duplicate_pairs(signature(t) for t in texts)]


def test_threshold_is_documented_value() -> None:
    assert NEAR_DUPLICATE_THRESHOLD == 0.8


def test_lightly_edited_copy_is_flagged() -> None:
    edited = BASE.replace("Wednesday", "Thursday")
    assert _pairs(BASE, edited) == [(0, 1)]


def test_different_articles_are_not_flagged() -> None:
    texts = [" ".join(a.paragraphs) for a in ARTICLES]
    assert _pairs(*texts) == []


def test_half_rewritten_article_is_not_flagged() -> None:
    spans = BASE.split(". ")
    half = ". ".join(
        spans[: len(spans) // 2] + [f"New sentence {i}" for i in range(len(spans) // 2)]
    )
    assert _pairs(BASE, half) == []


def test_same_vocabulary_different_sentences_is_not_flagged() -> None:
    import random

    words = BASE.split()
    shuffled = []
    for seed in range(5):
        rng = random.Random(seed)
        picked = rng.sample(words, len(words))
        shuffled.append(". ".join(" ".join(picked[i : i + 12]) for i in range(0, len(picked), 12)))
    assert _pairs(*shuffled) == []


def test_pairs_are_deterministic() -> None:
    edited = BASE.replace("strike", "walkout")
    assert _pairs(BASE, edited, BASE + " extra") == _pairs(BASE, edited, BASE + " extra")


@given(st.lists(st.sampled_from([b"a", b"\xc3\xa9", b".", b" ", b"\n"]), max_size=40))
def test_sentences_are_the_text_cut_at_full_stops_and_line_breaks(parts: list[bytes]) -> None:
    """The spans hold no full stop or line break, and put back together with a full stop at
    each cut they give the text with its line breaks as full stops: nothing is lost or moved."""
    text = b"".join(parts)
    spans = sentences(text)
    if text.strip(b".\n"):
        assert b".".join(spans) == text.replace(b"\n", b".")
        assert not any(b"." in span or b"\n" in span for span in spans)
    else:
        assert spans == [text]


def test_sentences_cut_inside_abbreviations_and_numbers() -> None:
    text = b"The U.S. paid 3.5 million.\n\nIt rose."
    assert sentences(text) == [b"The U", b"S", b" paid 3", b"5 million", b"", b"", b"It rose", b""]


def test_texts_of_dots_alone_are_told_apart() -> None:
    assert _pairs(".", "...", "..\n\n..") == []


def test_similarity_is_the_signatures_estimate() -> None:
    """Confirming on the low 16 bits of each hash value gives rensa's own estimate."""
    edited = BASE.replace("Wednesday", "Thursday").replace("said", "told reporters", 1)
    [(_, _, similarity)] = near_duplicate_pairs([signature(BASE), signature(edited)])
    assert similarity == signature(BASE).jaccard(signature(edited))
    assert 0.8 <= similarity < 1
