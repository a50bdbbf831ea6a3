"""Normalisation: one canonical form for text, and nothing more.

Unicode NFC, and whitespace folded to single spaces inside a paragraph. Quotes, dashes,
capitals, spelling and punctuation stay exactly as printed ("Meanwhile. the" stays): a corpus
that "fixes" its sources cannot be trusted as evidence.
"""

from __future__ import annotations

import hashlib
import unicodedata

PARAGRAPH_SEPARATOR = "\n\n"


def normalise_text(value: str) -> str:
    """NFC, with every run of whitespace folded to one space and the ends trimmed."""
    # Most paragraphs are already normal: printable means no whitespace but U+0020, so with no
    # double or edge space and NFC already true there is nothing to do (all checks in C).
    if (
        value.isprintable()
        and "  " not in value
        and not value.startswith(" ")
        and not value.endswith(" ")
        and unicodedata.is_normalized("NFC", value)
    ):
        return value
    return " ".join(unicodedata.normalize("NFC", value).split())


def join_paragraphs(paragraphs: tuple[str, ...] | list[str]) -> str:
    return PARAGRAPH_SEPARATOR.join(paragraphs)


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()
