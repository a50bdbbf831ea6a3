"""Seeds that are a document file around the article, not its plain text: HTML, XML, JSON,
RTF, PDF.

A contributor who saves a web page as ``.txt``, or lets a word processor choose the format,
sends the article wrapped in markup. Read as plain text, such a file would pass: its first tag
would become the title and every other tag would stay in the body, so the record would not be
the article. It is refused instead, at its first line, with the way to get the text out.

Only the first non-blank line is looked at, the headline's place. A headline never starts with
a tag or a format's signature, while a body may quote markup (an article about the web), so a
body is never judged.
"""

from __future__ import annotations

import re

from newscorpus.problems import SeedError
from newscorpus.textform import INVISIBLE

# Lines end as the parser ends them: LF, CRLF or a lone CR.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Blank lines as the parser reads them: white space and invisible characters (textform.INVISIBLE).
_LEADING_BLANK_LINES = re.compile(rf"(?:(?:[^\S\r\n]|[{INVISIBLE}])*(?:\r\n|\r|\n))*")
# (signature at the start of the first non-blank line, what the file is)
_FORMATS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"%PDF-"),
        "a PDF file",
    ),
    (
        re.compile(r"\{\\rtf"),
        "an RTF document (a word processor's format)",
    ),
    (
        re.compile(r"\{\s*\"[^\"\n]*\"\s*:|\[\s*[\[{]"),  # {"title": …} or [{"title": …}]
        "a JSON file",
    ),
    (
        re.compile(r"<\?xml[\s?]", re.IGNORECASE),
        "an XML document",
    ),
    (
        # <!DOCTYPE html>, <!-- comment -->, or a tag that makes a page or a block of one:
        # "<html>", "<p class=…>". An inline tag ("<i>Hamlet</i> returns") is stray markup in
        # a headline, not a saved page, and is left as written.
        re.compile(
            r"<(?:!doctype\s|!--|(?:html|head|body|meta|link|script|style|title|div|article"
            r"|section|header|main|nav|p|h[1-6]|table|ul|ol|figure)(?:[\s>]|/>))",
            re.IGNORECASE,
        ),
        "an HTML document (a saved web page)",
    ),
)


def refuse_document(text: str) -> None:
    """Raise ``SeedError`` (NC-SEED-013) when the decoded seed is a document format."""
    blank = _LEADING_BLANK_LINES.match(text)
    start = blank.end() if blank else 0
    first = text[start : start + 200].lstrip()
    for signature, what in _FORMATS:
        if signature.match(first):
            line = len(_LINE_BREAK.findall(text, 0, start)) + 1
            shown = first.splitlines()[0] if first else ""
            shown = shown if len(shown) <= 40 else shown[:40] + "…"
            raise SeedError(
                "NC-SEED-013",
                f"seed is {what}, not the article as plain text: it starts {shown!r}",
                line,
            )
