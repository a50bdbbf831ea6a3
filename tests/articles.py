"""Articles composed for the tests, and a renderer for every layout variant we accept.

The first seed alone cannot show that the parser generalises; these articles vary what real
news varies: quotes, dashes, non-Latin names, one-sentence paragraphs, a paragraph that starts
with "By", numbers, and a headline that ends in a question mark.
"""

from __future__ import annotations

import itertools
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    title: str
    publisher: str | None
    authors: tuple[str, ...]
    paragraphs: tuple[str, ...]


ARTICLES = (
    Article(
        "Harbour cranes idle as dock workers strike for a third day",
        "The Maritime Courier",
        ("Ingrid Solberg",),
        (
            "Container ships queued outside the port on Wednesday as a strike by dock workers "
            "entered its third day, with unions saying talks had “gone nowhere”.",
            "By Tuesday evening, more than 40 vessels were waiting at anchor, according to the "
            "harbour master’s office — twice the usual number for the season.",
            "“We are not asking for the moon,” said union spokesperson Marta Quiroga. “We are "
            "asking for the shifts we were promised in 2019.”",
            "The port authority did not respond to requests for comment.",
        ),
    ),
    Article(
        "Can a city run on rain? Inside Chennai's water experiment",
        "Down To Earth",
        ("Priya Raghavan", "Arjun Mehta"),
        (
            "Rooftop tanks, recharge wells and a law that made both compulsory: for two decades "
            "Chennai has tried to catch the monsoon before it runs into the sea.",
            "Officials say groundwater levels in some wards rose by 6 metres between 2003 and "
            "2008; critics say enforcement lapsed soon after.",
            "Residents of Mylapore describe a patchwork. Some buildings maintain their systems "
            "carefully. others have paved over the recharge pits entirely.",
        ),
    ),
    Article(
        "Zürich-based lab reports faster battery recycling method",
        "Swissinfo",
        ("Léa Müller", "Tomás de la Cruz", "Ole-Johan Dahl"),
        (
            "Researchers at a Zürich laboratory say they have cut the energy needed to recover "
            "lithium from spent batteries by almost a third.",
            "The method, described in a paper published on Monday, uses a lower-temperature "
            "leaching step; the team has filed for a patent.",
            "Independent experts cautioned that lab results often fail to scale. "
            "“Show me a tonne, not a gram,” one said.",
            "By 2030, the European Union expects demand for recycled lithium to grow sharply.",
        ),
    ),
    Article(
        "Election commission delays results in two districts",
        None,
        ("Staff Reporter",),
        (
            "The election commission said late on Sunday that results in two northern districts "
            "would be delayed by at least 48 hours while ballots are recounted.",
            "Turnout nationwide was 61.4 per cent, slightly below the last vote.",
        ),
    ),
    Article(
        "Farmers turn to drones to spray crops as labour grows scarce",
        "Nikkei Asia",
        (),
        (
            "In the rice fields of Niigata, the hum of rotors has replaced the sound of "
            "backpack sprayers.",
            "Agricultural drone registrations in Japan have risen tenfold since 2017, the farm "
            "ministry says, as the average age of farmers passes 68.",
            "“My son works in Tokyo,” said one grower, 74. “The drone does not complain.”",
            "Regulators are now drafting rules for flights beyond the operator’s line of sight.",
            "Critics worry about drift onto neighbouring organic plots.",
        ),
    ),
    Article(
        "Museum returns bronze heads looted in 1897",
        "Associated Press",
        ("Kwame Asante", "Emily O'Brien"),
        (
            "A European museum on Thursday handed back two bronze heads taken by British "
            "soldiers from Benin City in 1897, in a ceremony attended by the Oba's envoy.",
            "“This is not a gift,” the envoy said. “It is a return.”",
            'The museum\'s director called the restitution "overdue" and said a further 20 '
            "objects were under review.",
        ),
    ),
)


@dataclass(frozen=True)
class Variant:
    source: str | None = "The article originally appeared in {}"
    source_period: bool = False
    byline: str = "and"  # "and", "&", "serial", "plain"
    repeat_title: bool = True
    newline: str = "\n"
    bom: bool = False
    trailing_spaces: bool = False
    extra_blanks: bool = False
    wrap: int | None = None
    blank_lines: bool = True  # False: no blank line anywhere, one line per part

    def describe(self) -> str:
        return "-".join(f"{k}={v!r}" for k, v in self.__dict__.items())


def _byline(authors: tuple[str, ...], style: str) -> str | None:
    if not authors:
        return None
    if len(authors) == 1:
        return f"By {authors[0]}"
    if style == "&":
        return "By " + ", ".join(authors[:-1]) + " & " + authors[-1]
    if style == "serial" and len(authors) > 2:
        return "By " + ", ".join(authors[:-1]) + ", and " + authors[-1]
    return "By " + ", ".join(authors[:-1]) + " and " + authors[-1]


def render(article: Article, v: Variant) -> bytes:
    parts: list[str] = [article.title]
    if v.source and article.publisher:
        parts.append(v.source.format(article.publisher) + ("." if v.source_period else ""))
    byline = _byline(article.authors, v.byline)
    if byline:
        parts.append(byline)
    if v.repeat_title:
        parts.append(article.title)
    body = list(article.paragraphs)
    if v.wrap:
        body = ["\n".join(textwrap.wrap(p, v.wrap, break_on_hyphens=False)) for p in body]
    parts.extend(body)
    separator = "\n\n" if v.blank_lines else "\n"
    if v.extra_blanks and v.blank_lines:
        separator = "\n\n  \n\n"
    text = separator.join(parts) + "\n"
    if v.trailing_spaces:
        text = "\n".join(line + "  " for line in text.split("\n"))
    text = text.replace("\n", v.newline)
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if v.bom else data


VARIANTS = [
    Variant(),
    Variant(source="This article originally appeared in {}", source_period=True),
    Variant(source="The article originally appeared in {}", source_period=True, byline="&"),
    Variant(source=None, byline="serial"),
    Variant(repeat_title=False, byline="plain"),
    Variant(newline="\r\n", bom=True, trailing_spaces=True),
    Variant(extra_blanks=True, trailing_spaces=True),
    Variant(wrap=72),
    Variant(wrap=60, newline="\r\n", repeat_title=False),
    Variant(blank_lines=False),
    Variant(blank_lines=False, repeat_title=False, source=None),
]

CASES = list(itertools.product(range(len(ARTICLES)), range(len(VARIANTS))))
