"""Deterministic synthetic seeds for benchmarks: 3-6 KB, mixed Unicode, every layout variant.

The text is drawn from a vocabulary of English, accented, Cyrillic, Greek and CJK words with
curly quotes and dashes, so that decoding, NFC, language identification and hashing do the work
they do on real news. Layouts rotate through the variants the parser accepts: missing header
lines, "This"/"The", final periods, "&"/serial-comma bylines, CRLF, BOM, trailing blanks, blank
runs, hard wrapping and Windows-1252. The same N always yields the same bytes.
"""

from __future__ import annotations

import hashlib
import random
import textwrap
from pathlib import Path

WORDS = (
    "the of and to in a is that for on said with was as by at from government minister "
    "police city report officials people week year market election court percent company "
    "workers union strike talks deal prices energy water climate school hospital border "
    "council vote parliament economy bank growth trade exports farmers drought flood storm "
    "crisis agreement protest security troops ceasefire investigation spokesperson statement "
    "Monday Tuesday Wednesday Thursday Friday residents villagers scientists researchers "
    "café naïve résumé São Paulo Zürich München Kraków Łódź Ærø Ångström señor façade "
    "Москва правительство выборы Αθήνα κυβέρνηση 北京 政府 東京 経済 "
    "“quoted” ‘single’ — – … €5 £3 ¥100 2022 1,200 3.5 48 per cent"
).split()
FIRST = "Anna Björn Chen Dmitri Elena Farah Giorgos Hana Ibrahim Jana Kofi Léa Mateus Nadia".split()
LAST = "Ruiz Sørensen Nakamura O'Brien van Dijk de la Cruz Kowalski Ahmed Müller Ferreira".split()
OUTLETS = [
    "The Daily Ledger",
    "Le Quotidien",
    "Nord Zeitung",
    "The Harbour Times",
    "Diário do Sul",
    "Reuters",
    "The Economic Times",
    "Asahi Weekly",
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words) + rng.choice([".", ".", ".", "?", "!"])


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))


def _byline(rng: random.Random, style: int) -> str:
    names = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 3))]
    if len(names) == 1:
        return f"By {names[0]}"
    joiner = [" and ", " & ", ", and "][style % 3]
    return (
        "By "
        + ", ".join(names[:-1])
        + (joiner if len(names) > 2 or style % 3 != 2 else " and ")
        + names[-1]
    )


def render_seed(index: int) -> bytes:
    """Seed number ``index``: its bytes depend on nothing but ``index``."""
    rng = random.Random(index)
    variant = index % 12
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 11))).capitalize()
    paragraphs = []
    size = rng.randint(3000, 5600)
    while sum(len(p) for p in paragraphs) < size:
        paragraphs.append(_paragraph(rng))
    header = [title]
    if variant not in (3, 7):
        source = [
            "The article originally appeared in {}",
            "This article originally appeared in {}.",
        ][variant % 2].format(rng.choice(OUTLETS))
        header.append(source)
    if variant not in (5,):
        header.append(_byline(rng, variant))
    if variant not in (4, 9):
        header.append(title)
    if variant in (6, 10):
        paragraphs = [textwrap.fill(p, 72) for p in paragraphs]
    separator = "\n\n  \n\n" if variant == 8 else "\n\n"
    text = separator.join(header + paragraphs) + "\n"
    if variant == 11:
        text = "\n".join(line + "  " for line in text.split("\n"))
    if variant in (2, 9):
        text = text.replace("\n", "\r\n")
    if variant == 1:
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if variant == 7:
        try:
            return text.encode("cp1252")
        except UnicodeEncodeError:
            return text.encode("utf-8")
    return text.encode("utf-8")


def write_seeds(folder: Path, count: int) -> Path:
    """Write ``count`` seeds into ``folder`` (reused when it already holds exactly those)."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / f".complete-{count}"
    if marker.exists():
        return folder
    for index in range(count):
        data = render_seed(index)
        name = f"{index:06d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"
        (folder / name).write_bytes(data)
    marker.write_text("")
    return folder
