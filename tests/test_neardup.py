"""The near-duplicate threshold: what it flags and what it leaves alone."""

from __future__ import annotations

from articles import ARTICLES

from newscorpus.validate.neardup import (
    NEAR_DUPLICATE_THRESHOLD,
    near_duplicate_pairs,
    signature,
)

BASE = " ".join(ARTICLES[0].paragraphs + ARTICLES[2].paragraphs)


def _pairs(*texts: str) -> list[tuple[int, int]]:
    return [(a, b) for a, b, _ in near_duplicate_pairs(
        (i, signature(t.split())) for i, t in enumerate(texts))]


def test_threshold_is_documented_value() -> None:
    assert NEAR_DUPLICATE_THRESHOLD == 0.8


def test_lightly_edited_copy_is_flagged() -> None:
    edited = BASE.replace("Wednesday", "Thursday").replace("third", "fourth")
    assert _pairs(BASE, edited) == [(0, 1)]


def test_different_articles_are_not_flagged() -> None:
    texts = [" ".join(a.paragraphs) for a in ARTICLES]
    assert _pairs(*texts) == []


def test_half_rewritten_article_is_not_flagged() -> None:
    words = BASE.split()
    half = " ".join(words[: len(words) // 2] + [f"new{i}" for i in range(len(words) // 2)])
    assert _pairs(BASE, half) == []


def test_pairs_are_deterministic() -> None:
    edited = BASE.replace("strike", "walkout")
    assert _pairs(BASE, edited, BASE + " extra") == _pairs(BASE, edited, BASE + " extra")
