"""Recognising the header lines of a seed: the source line and the byline.

Both are judged on one line of text, with no context; ``layout`` decides where in a seed they
may stand. The byline test is deliberately strict, because a wrong "yes" eats a body paragraph
("By Tuesday, the troops had left.") while a wrong "no" only leaves a byline in the body, where
a reviewer sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_HEADER_CHARS = 300

_SOURCE = re.compile(
    r"^(?:(?:the|this)\s+(?:article|story|piece|report)\s+(?:was\s+)?)?"
    r"originally\s+(?:appeared|published|ran)\s+(?:in|on|at|by)\s+(?P<publisher>\S.*?)\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:By|BY|by)\s+(?P<names>\S.*?)\s*$")
# ", and", ", &", ",", " and ", " & " between names; the serial comma is optional.
_NAME_SEPARATOR = re.compile(r"\s*,\s*(?:(?:and|AND)\s+|&\s*)?|\s+(?:and|AND|&)\s+")
# Lowercase words that belong inside personal names in many languages.
_PARTICLES = frozenset(
    [
        "al",
        "bin",
        "binti",
        "bint",
        "d",
        "da",
        "das",
        "de",
        "del",
        "della",
        "den",
        "der",
        "di",
        "do",
        "dos",
        "du",
        "e",
        "el",
        "ibn",
        "la",
        "le",
        "lo",
        "st",
        "ten",
        "ter",
        "van",
        "von",
        "y",
        "zu",
    ]
)
# A byline names people or agencies, never a day or month ("By Tuesday, ...", "By March").
_NOT_NAMES = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "noon",
        "midnight",
    ]
)
# Abbreviations whose final period belongs to the name, not to the sentence.
_ABBREVIATIONS = frozenset(
    [
        "Inc.",
        "Co.",
        "Corp.",
        "Ltd.",
        "Bros.",
        "Jr.",
        "Sr.",
        "Ph.D.",
        "S.A.",
        "Esq.",
        "Intl.",
        "Cie.",
    ]
)


@dataclass(frozen=True, slots=True)
class Byline:
    """A byline as printed, and the names it lists in printed order."""

    printed: str
    authors: tuple[str, ...]


def strip_final_period(value: str) -> str:
    """Drop one sentence period, but keep the period of a final abbreviation or initial."""
    if value.endswith("..") or (value.endswith(".") and not _ends_with_abbreviation(value)):
        return value[:-1].rstrip()
    return value


def _ends_with_abbreviation(value: str) -> bool:
    last = value.rsplit(None, 1)[-1]
    if last in _ABBREVIATIONS:
        return True
    # An initial ("J.") or dotted acronym ("U.S.", "A.P."): letters each followed by a period.
    return re.fullmatch(r"(?:[^\W\d_]\.){1,4}", last) is not None


def match_source(line: str) -> str | None:
    """Return the publisher named by an "… originally appeared in X" line, or None."""
    if len(line) > MAX_HEADER_CHARS:
        return None
    match = _SOURCE.match(line.strip())
    if not match:
        return None
    publisher = strip_final_period(match.group("publisher"))
    return publisher or None


def _is_name(name: str) -> bool:
    tokens = name.split()
    if not 1 <= len(tokens) <= 7:
        return False
    if len(tokens) == 1 and tokens[0].lower().strip(".") in _NOT_NAMES:
        return False
    for token in tokens:
        letters = [c for c in token if c.isalpha()]
        if not letters:
            return False
        if token.lower() in _PARTICLES or token.split("-")[0].split("'")[0].lower() in _PARTICLES:
            continue
        if letters[0].islower():
            return False
    return not any(c.isdigit() for c in name)


def match_byline(line: str) -> Byline | None:
    """Return the byline if ``line`` is "By A", "By A and B", "By A, B and C", ... else None."""
    if len(line) > MAX_HEADER_CHARS:
        return None
    match = _BYLINE.match(line.strip())
    if not match:
        return None
    names_text = strip_final_period(match.group("names"))
    names = [n.strip() for n in _NAME_SEPARATOR.split(names_text)]
    if not names or not all(n and _is_name(n) for n in names):
        return None
    return Byline(printed=line.strip(), authors=tuple(names))
