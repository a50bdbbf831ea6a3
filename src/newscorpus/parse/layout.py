"""The layout of a seed: header lines, then body paragraphs.

The layout we receive::

    Title
    The article originally appeared in Publisher
    By Author and Author
    Title (again)
    Paragraph, paragraph, ...

with blank lines between the parts, and any header line possibly missing. Contributors vary it:
CRLF, trailing blanks, runs of blank lines, header lines with no blank line between them,
paragraphs hard-wrapped at a fixed width, or one paragraph per line with no blank lines at all.

The parser works on *segments*: runs of non-blank lines. Header lines are cut out of the
leading segments wherever they stand; the rest is body, less a source line set apart at its
very end ("This article originally appeared in X.", where some contributors paste it). Every
non-blank line ends up either in the body or in ``dropped`` with the reason, so the seed's text
is accounted for line by line.
Nothing is normalised here (that is ``normalise``'s job): lines are only stripped and joined.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from newscorpus.parse.headers import (
    MAX_HEADER_CHARS,
    Byline,
    is_plain_name,
    match_byline,
    match_source,
)
from newscorpus.problems import SeedError
from newscorpus.textform import INVISIBLE, WHITESPACE

# Hard wrapping is done at 60-80 columns, rarely up to 100; a longer line was never wrapped.
MAX_WRAP_WIDTH = 100
# A title is one short unit; anything longer is a paragraph.
MAX_TITLE_CHARS = 400
# A title that stands only after the source line and byline must be shorter still.
MAX_LATE_TITLE_CHARS = 200
_BY_PREFIX = re.compile(r"^(?:By|BY|by)\s")


class Line(NamedTuple):
    """A physical line of the seed, numbered from 1 (a tuple: seeds have many lines)."""

    number: int
    text: str


@dataclass(frozen=True, slots=True)
class DroppedLine:
    """A non-blank seed line that is not body text, and why."""

    line: int
    reason: str
    text: str


@dataclass(frozen=True, slots=True)
class Layout:
    """What the parser found in one seed, before normalisation."""

    title: str
    publisher: str | None
    byline: str | None
    authors: tuple[str, ...]
    paragraphs: tuple[str, ...]
    dropped: tuple[DroppedLine, ...]


# Hangul is written with spaces between words, so a line break there is one too; the CSS rule
# below leaves it out of the East Asian scripts whose breaks vanish.
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xFFA0, 0xFFDC))


def _unspaced(char: str) -> bool:
    """Whether ``char`` belongs to a script written without spaces between words (Chinese,
    Japanese, fullwidth forms): East Asian width F, W or H, Hangul and marks aside."""
    if char < "\u1100":  # nothing below the Hangul Jamo block is wide
        return False
    if unicodedata.east_asian_width(char) not in ("F", "W", "H"):
        return False
    if unicodedata.category(char) in ("Cn", "Mn", "Mc", "Me"):
        return False  # unassigned, or a mark that would attach across the break
    code = ord(char)
    return not any(low <= code <= high for low, high in _HANGUL)


def join_lines(lines: Sequence[Line]) -> str:
    """The stripped lines of one paragraph or title, as a reader reads them on one line.

    A line break is a space between words, except between two characters of a script written
    without spaces, where a wrapped line breaks inside a word: "植田和男総" and "裁" are
    "植田和男総裁", not "植田和男総 裁" (the rule of CSS Text 3 for segment breaks). Characters
    are only joined, never changed."""
    texts = [line.text.strip() for line in lines]
    joined = texts[0] if texts else ""
    for text in texts[1:]:
        if joined and text and _unspaced(joined[-1]) and _unspaced(text[0]):
            joined += text
        else:
            joined += " " + text
    return joined


@dataclass(slots=True)
class _Segment:
    block: int
    lines: list[Line]

    @property
    def joined(self) -> str:
        if len(self.lines) == 1:  # most paragraphs: one line, no join to build
            return self.lines[0].text.strip()
        return join_lines(self.lines)


def split_lines(text: str) -> list[Line]:
    """Physical lines, numbered from 1; CRLF and lone CR end a line like LF."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [Line(i, t) for i, t in enumerate(raw, start=1)]


# ``Line(number, text)`` runs a Python-level ``__new__``; the C constructor it calls makes the
# same tuple at a third of the cost, which counts at one call for every line of every seed.
_new_line = tuple.__new__


# What a blank line may hold: white space and invisible characters (textform.INVISIBLE).
_BLANK = WHITESPACE + INVISIBLE
# White space a seed may hold that JSON can only escape as ``\u00XX`` (VT, FF): in a line kept
# as it stands it becomes a space, as in body text.
_C0_SPACES = str.maketrans(dict.fromkeys("\x0b\x0c", " "))


def _blocks(text: str) -> list[_Segment]:
    """Runs of non-blank lines; blank lines (or lines of white space) separate them.

    One pass over the lines with ``str.isspace``, which is linear in any input (a line of a
    million spaces included) and twice as fast as the equivalent regular expression, whose
    Unicode classes cost a lookup per character.
    """
    if "\r" in text:  # most seeds have none: no two copies of the text to make
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[_Segment] = []
    run: list[Line] = []
    for number, line in enumerate(text.split("\n"), start=1):
        # strip stops at a line's first and last visible characters: a line of text costs two
        if line and not line.isspace() and line.strip(_BLANK):
            run.append(_new_line(Line, (number, line)))
        elif run:
            blocks.append(_Segment(len(blocks), run))
            run = []
    if run:
        blocks.append(_Segment(len(blocks), run))
    return blocks


def _is_header_line(text: str) -> bool:
    return match_source(text) is not None or match_byline(text) is not None


def _explode(segment: _Segment) -> list[_Segment]:
    """Cut header lines out of a segment, so each stands alone.

    A segment is kept whole only when no single line of it is a header line but the lines
    together are (a source line or byline hard-wrapped over two lines).
    """
    if len(segment.lines) == 1:
        return [segment]
    if not any(_is_header_line(line.text) for line in segment.lines):
        return [segment]
    parts: list[_Segment] = []
    run: list[Line] = []
    for line in segment.lines:
        if _is_header_line(line.text):
            if run:
                parts.append(_Segment(segment.block, run))
                run = []
            parts.append(_Segment(segment.block, [line]))
        else:
            run.append(line)
    if run:
        parts.append(_Segment(segment.block, run))
    return parts


def split_soft_paragraphs(lines: Sequence[Line]) -> list[list[Line]]:
    """Split lines that have no blank lines between them into paragraphs.

    A hard-wrapped paragraph was filled greedily: each line but the last is *full*, meaning the
    next line's first word (first character, in Chinese or Japanese) would not have fit on it.
    In a hard-wrapped text most lines are full, and a line that is not ends a paragraph (so
    does a line before a list item: "• …", "1. …"). When most lines are not full, or lines run
    longer than any wrap width, the text was never wrapped and each line is a paragraph.
    """
    if len(lines) < 2:
        return [list(lines)]
    texts = [line.text.strip() for line in lines]
    width = max(len(t) for t in texts)
    full = [
        len(previous) + _next_unit(previous, text) > width
        for previous, text in itertools.pairwise(texts)
    ]
    if width > MAX_WRAP_WIDTH or sum(full) * 2 < len(full):
        return [[line] for line in lines]
    paragraphs: list[list[Line]] = [[lines[0]]]
    for (previous, text), line, joins in zip(
        itertools.pairwise(texts), lines[1:], full, strict=True
    ):
        if joins and not _starts_item(previous, text):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return paragraphs


# A bullet opens a list item wherever it stands; a number ("1.", "2)") or an asterisk only
# after a line that ends a sentence or a lead-in, or another item: "am\n3. Oktober" in a
# wrapped German paragraph is a date, not a list.
_BULLET = re.compile(r"[\u2022\u25aa\u25e6\u2023\u25cf\u25a0]\s")
_NUMBERED = re.compile(r"(?:[0-9]{1,2}[.)]|\*)\s")
_ITEM_OPENERS = frozenset("\u2022\u25aa\u25e6\u2023\u25cf\u25a00123456789*")


def _starts_item(previous: str, text: str) -> bool:
    """Whether ``text`` (a stripped line) opens a list item, so it starts a paragraph even
    when ``previous`` looks full."""
    if text[:1] not in _ITEM_OPENERS:
        return False
    if _BULLET.match(text):
        return True
    return _NUMBERED.match(text) is not None and (
        previous.endswith((".", ":", ";", "!", "?")) or _NUMBERED.match(previous) is not None
    )


def _next_unit(previous: str, text: str) -> int:
    """What ``text`` would have added to ``previous`` had it not been wrapped: a space and its
    first word; in a script written without spaces, where a line may break between any two
    characters, its first character."""
    if previous and text and _unspaced(previous[-1]) and _unspaced(text[0]):
        return 1
    return 1 + len(text.split(None, 1)[0])


# Typographic and plain forms of one mark: a repeated title is often retyped with the other.
_PLAIN_MARKS = str.maketrans(
    "\u2018\u2019\u201b\u2032\u201c\u201d\u201e\u2033\u2010\u2011\u2012\u2013\u2014\u2015",
    "'" * 4 + '"' * 4 + "-" * 6,
)


def _fold(value: str) -> str:
    """Comparison key for a repeated title: case, spacing, the final period and curly or
    straight quotes and dashes do not matter."""
    folded = unicodedata.normalize("NFC", value).casefold().translate(_PLAIN_MARKS)
    return " ".join(folded.split()).rstrip(".")


def _doubled_prefix(lines: Sequence[Line]) -> int:
    """k when the first k lines are repeated by the next k (a title and its repeat), else 0."""
    for k in range(1, len(lines) // 2 + 1):
        head = join_lines(lines[:k])
        if len(head) > MAX_TITLE_CHARS:
            break
        if _fold(head) == _fold(join_lines(lines[k : 2 * k])):
            return k
    return 0


def _looks_like_late_title(segment: _Segment) -> bool:
    """A title found only after the source line or byline: one or two short lines.

    Titles end in anything ("… Why You Shouldn't Worry.") and need not hold spaces (Japanese),
    so only the length and the line count decide; a rejected byline is never a title.
    """
    text = segment.joined
    return (
        len(segment.lines) <= 2
        and len(text) <= MAX_LATE_TITLE_CHARS
        and _BY_PREFIX.match(text) is None
    )


class _HeaderScan:
    """Walks the leading segments and takes title, publisher and byline out of them."""

    def __init__(self) -> None:
        self.title: str | None = None
        self.publisher: str | None = None
        self.byline = None
        self.dropped: list[DroppedLine] = []

    def drop(self, segment: _Segment | Sequence[Line], reason: str) -> None:
        lines = segment.lines if isinstance(segment, _Segment) else segment
        self.dropped.extend(
            DroppedLine(line.number, reason, line.text.translate(_C0_SPACES)) for line in lines
        )

    def _header_goes_on(self, following: str | None) -> bool:
        """Whether the line after a candidate byline is itself a header line."""
        if following is None:
            return False
        if match_source(following) is not None:
            return True
        if self.title is None:
            # Title line missing: after the source line, a short line can only be the title.
            return (
                self.publisher is not None
                and len(following.strip()) <= MAX_LATE_TITLE_CHARS
                and _BY_PREFIX.match(following.strip()) is None
            )
        return _fold(following) == _fold(self.title)

    def take(
        self, segment: _Segment, seen_header: bool, following: str | None
    ) -> list[_Segment] | None:
        """Consume a header segment; return what remains of it for the body, or None.

        ``following`` is the first line after the segment, or None at the end of the seed.
        """
        text = segment.joined
        publisher = match_source(text)
        if publisher is not None:
            if self.publisher is None:
                self.publisher = publisher
                self.drop(segment, "publisher")
                return []
            if _fold(publisher) == _fold(self.publisher):
                self.drop(segment, "repeated-publisher")
                return []
            return None
        byline = match_byline(text)
        started = self.title is not None or self.publisher is not None
        if byline is not None and not started and following and _is_header_line(following):
            # "By Any Means Necessary" above the source line or byline stands where the title
            # stands: it is the title.
            byline = None
        elif byline is None and self.byline is None and started:
            # An unusual name ("bell hooks") passes in the header only: after the title or
            # source line, and either before another header line or beside ordinary names
            # ("By Ann Lee and bell hooks"). Never on the seed's first line.
            relaxed = match_byline(text, relaxed=True)
            if relaxed is not None and (
                self._header_goes_on(following)
                or (len(relaxed.authors) > 1 and any(map(is_plain_name, relaxed.authors)))
            ):
                byline = relaxed
        if byline is not None:
            if self.byline is None:
                self.byline = byline
                self.drop(segment, "byline")
                return []
            if byline.printed == self.byline.printed:
                self.drop(segment, "repeated-byline")
                return []
            last = self.dropped[-1]
            if (
                last.reason == "byline"
                and segment.lines[0].number == last.line + 1
                and all(len(name.split()) <= 4 for name in byline.authors)
            ):
                # "By Ann Lee" / "By Bo Chen" on the next line: one byline of two lines. The
                # field keeps the first line as printed; the authors are all the names. After
                # a blank line, "By Sunday Evening, Negotiators Had Agreed" is a standfirst.
                names = [a for a in byline.authors if a not in self.byline.authors]
                self.byline = Byline(self.byline.printed, (*self.byline.authors, *names))
                self.drop(segment, "byline")
                return []
            return None
        if self.title is None:
            return self._take_title(segment, seen_header, following is not None)
        return self._take_repeated_title(segment)

    def _take_title(
        self, segment: _Segment, seen_header: bool, more: bool
    ) -> list[_Segment] | None:
        if seen_header:
            if not more or not _looks_like_late_title(segment):
                return None
            self.title = segment.joined
            self.drop(segment, "title")
            return []
        repeated = _doubled_prefix(segment.lines)
        if repeated:
            # "Title\nTitle\n…": the title and its repeat with no blank line between them.
            self.title = join_lines(segment.lines[:repeated])
            self.drop(segment.lines[:repeated], "title")
            self.drop(segment.lines[repeated : 2 * repeated], "repeated-title")
            rest = segment.lines[2 * repeated :]
            return [_Segment(segment.block, rest)] if rest else []
        first, *rest = split_soft_paragraphs(segment.lines)
        title = join_lines(first)
        swallowed = not rest and not more and len(first) >= 3  # the title would be everything
        if (len(title) > MAX_TITLE_CHARS or swallowed) and len(
            segment.lines[0].text.strip()
        ) <= MAX_TITLE_CHARS:
            # A title nearly as long as the body's wrap width looks "full" and pulled the first
            # paragraph in: with no blank line anywhere, the first line alone is the title.
            first, rest = segment.lines[:1], split_soft_paragraphs(segment.lines[1:])
            title = join_lines(first)
        if len(title) > MAX_TITLE_CHARS:
            return None
        self.title = title
        self.drop(first, "title")
        return [_Segment(segment.block, lines) for lines in rest]

    def _take_repeated_title(self, segment: _Segment) -> list[_Segment] | None:
        assert self.title is not None
        key = _fold(self.title)
        for cut in range(1, len(segment.lines) + 1):
            head = join_lines(segment.lines[:cut])
            if len(head) > len(self.title) + 10:
                break
            if _fold(head) == key:
                self.drop(segment.lines[:cut], "repeated-title")
                rest = segment.lines[cut:]
                return [_Segment(segment.block, rest)] if rest else []
        return None


def _body_paragraphs(body: list[_Segment]) -> Iterator[str]:
    if len({segment.block for segment in body}) == 1:
        # No blank line anywhere in the body: line breaks are the only paragraph marks.
        lines = [line for segment in body for line in segment.lines]
        for paragraph in split_soft_paragraphs(lines):
            yield join_lines(paragraph)
        return
    for segment in body:
        if len(segment.lines) == 1:
            yield segment.joined
            continue
        # Blank lines mark the paragraphs; inside one block, a list item still starts anew.
        start = 0
        for at in range(1, len(segment.lines) + 1):
            if at == len(segment.lines) or _starts_item(
                segment.lines[at - 1].text.strip(), segment.lines[at].text.strip()
            ):
                yield join_lines(segment.lines[start:at])
                start = at


def _is_dek(scan: _HeaderScan, parts: list[_Segment], following: str | None) -> bool:
    """Whether ``parts`` are a standfirst (dek): one short paragraph right after the title,
    with a byline or source line after it ("Headline / A late-night vote ends months of
    talks / By Ann Lee"). It stays body text, as the first paragraph; reading past it lets the
    header lines below it be recognised. Only a strict byline counts after it, the test any
    body line must pass, so "By Tuesday, the troops had left." never makes one."""
    if scan.title is None or scan.byline is not None or scan.publisher is not None:
        return False
    if len(parts) != 1 or len(parts[0].lines) > 2 or len(parts[0].joined) > MAX_HEADER_CHARS:
        return False
    if following is None:
        return False
    return match_byline(following) is not None or match_source(following) is not None


def _take_footer_source(scan: _HeaderScan, body: list[_Segment]) -> list[_Segment]:
    """The body without a closing source line, which names the publisher as the header's does.

    Only a last paragraph of its own (a blank line before it), at most two lines long, that is
    a source line and nothing else, with a paragraph left above it; and only when it names no
    other publisher than the header's (then it is a repeat). A source line naming another
    outlet ("... originally appeared in the Post" under a Times header) says something else
    and stays in the body."""
    if len(body) < 2 or body[-1].block == body[-2].block or len(body[-1].lines) > 2:
        return body
    last = body[-1]
    publisher = match_source(last.joined, closing=True)
    if publisher is None:
        return body
    if scan.publisher is None:
        scan.publisher = publisher
        scan.drop(last, "publisher")
    elif _fold(publisher) == _fold(scan.publisher):
        scan.drop(last, "repeated-publisher")
    else:
        return body
    return body[:-1]


def _first_line(parts: list[_Segment], queue: list[_Segment]) -> str | None:
    for segment in (*parts, *queue[:1]):
        return segment.lines[0].text
    return None


def parse_layout(text: str) -> Layout:
    """Parse decoded seed text into header fields and body paragraphs, losing nothing."""
    queue = _blocks(text)
    if not queue:
        raise SeedError("NC-SEED-003", "seed holds only blank space")
    scan = _HeaderScan()
    body: list[_Segment] = []
    deks: list[_Segment] = []  # a standfirst between title and byline: body, read past
    seen_header = False
    while queue:
        head = queue.pop(0)
        parts = _explode(head)
        consumed = False
        for index, part in enumerate(parts):
            following = _first_line(parts[index + 1 :], queue)
            rest = scan.take(part, seen_header, following)
            if rest is None and not deks and _is_dek(scan, [part], following):
                deks.append(part)
                continue
            if rest is None:
                body = [part, *parts[index + 1 :]]
                break
            seen_header = seen_header or scan.publisher is not None or scan.byline is not None
            if rest and not deks and _is_dek(scan, rest, following):
                deks.extend(rest)
                continue
            if rest:
                body = [*rest, *parts[index + 1 :]]
                break
        else:
            consumed = True
        if not consumed:
            body.extend(queue)
            break
    body = [*deks, *body]
    if scan.title is None:
        first = scan.dropped[0].line if scan.dropped else (body[0].lines[0].number if body else 1)
        raise SeedError(
            "NC-SEED-007", "no title line: the seed does not start with a headline", first
        )
    if not body:
        raise SeedError(
            "NC-SEED-008",
            "no body paragraphs after the header lines",
            scan.dropped[-1].line if scan.dropped else 1,
        )
    body = _take_footer_source(scan, body)
    return Layout(
        title=scan.title,
        publisher=scan.publisher,
        byline=scan.byline.printed if scan.byline else None,
        authors=scan.byline.authors if scan.byline else (),
        paragraphs=tuple(_body_paragraphs(body)),
        dropped=tuple(sorted(scan.dropped, key=lambda d: d.line)),
    )
