"""Normalisation: one canonical form for text, and nothing more.

Unicode NFC, and whitespace folded to single spaces inside a paragraph. Quotes, dashes,
capitals, spelling and punctuation stay exactly as printed ("Meanwhile. the" stays): a corpus
that "fixes" its sources cannot be trusted as evidence.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence

from newscorpus.textform import PARAGRAPH_SEPARATOR, is_normal_body


def _already_normal(value: str) -> bool:
    """Whether ``normalise_text`` would return ``value`` unchanged, tested in C: printable
    means no whitespace but U+0020, so with no double or edge space and NFC already true
    there is nothing to do. Most paragraphs are already normal."""
    return (
        value.isprintable()
        and "  " not in value
        and not value.startswith(" ")
        and not value.endswith(" ")
        and unicodedata.is_normalized("NFC", value)
    )


def normalise_text(value: str) -> str:
    """NFC, with every run of whitespace folded to one space and the ends trimmed."""
    if _already_normal(value):
        return value
    return " ".join(unicodedata.normalize("NFC", value).split())


def normalise_body(paragraphs: Sequence[str]) -> tuple[list[str], str]:
    """``normalise_text`` of each paragraph, and the body they make joined by a blank line;
    with one test for the usual case that none needs it.

    The paragraphs are joined once and the body tested in one pass (``is_normal_body``): when
    it passes, every paragraph is already normal, and the body is the one the record keeps, its
    UTF-8 already made for the hash and the serialisation. Otherwise each paragraph is
    normalised alone and joined again."""
    body = PARAGRAPH_SEPARATOR.join(paragraphs)
    if is_normal_body(body, len(paragraphs)):
        return list(paragraphs), body
    normal = [normalise_text(paragraph) for paragraph in paragraphs]
    return normal, PARAGRAPH_SEPARATOR.join(normal)


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()
