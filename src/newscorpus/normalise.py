"""Normalisation: one canonical form for text, and nothing more.

Unicode NFC, and whitespace folded to single spaces inside a paragraph. Quotes, dashes,
capitals, spelling and punctuation stay exactly as printed ("Meanwhile. the" stays): a corpus
that "fixes" its sources cannot be trusted as evidence.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence

PARAGRAPH_SEPARATOR = "\n\n"


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


def normalise_paragraphs(paragraphs: Sequence[str]) -> list[str]:
    """``normalise_text`` of each paragraph, with one test for the usual case that none
    needs it.

    The paragraphs joined by single spaces are tested once, as ``normalise_text`` tests one:
    when that passes, every paragraph is already normal. Each is printable and holds no
    double space, being part of the whole; none starts or ends with a space, which would make
    a double space at a join or an edge of the whole; and each is NFC, because a space is a
    stable character (it never composes or reorders with its neighbours), so the NFC of the
    whole is the NFC of its parts, joined. Otherwise each is normalised alone."""
    if _already_normal(" ".join(paragraphs)):
        return list(paragraphs)
    return [normalise_text(paragraph) for paragraph in paragraphs]


def join_paragraphs(paragraphs: tuple[str, ...] | list[str]) -> str:
    return PARAGRAPH_SEPARATOR.join(paragraphs)


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()
