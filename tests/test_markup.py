"""A document file saved as a seed (a web page, an RTF or PDF file) is refused, not parsed."""

from __future__ import annotations

import pytest

from newscorpus.markup import refuse_document
from newscorpus.problems import SeedError
from newscorpus.record import Record, SeedInput, make_record

BODY = "\n\nA paragraph of the article, long enough to be one, with a full stop.\n"


@pytest.mark.parametrize(
    ("text", "what", "line"),
    [
        ("<!DOCTYPE html>\n<html><body><p>Headline</p></body></html>\n", "HTML", 1),
        ("<html lang='en'>\n<head><title>Headline</title></head>\n", "HTML", 1),
        ("<p>Headline</p>" + BODY, "HTML", 1),
        ("<!-- saved from url=(0042)https://example.org -->\n<html>\n", "HTML", 1),
        ("<meta charset='utf-8'/>" + BODY, "HTML", 1),
        ('\n\n  <div class="story">\n<h1>Headline</h1>\n', "HTML", 3),
        ("\r\n\r\n<html>\r\n", "HTML", 3),
        ("\u200b\n \u2060\n<html>\n", "HTML", 3),  # blank lines of zero-width characters
        ('<?xml version="1.0" encoding="UTF-8"?>\n<nitf><body/></nitf>\n', "XML", 1),
        ("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\n\\f0 Headline\\par\n}\n", "RTF", 1),
        ("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "PDF", 1),
        ('{"title": "Headline", "text": "Body."}\n', "JSON", 1),
        ('[\n  {"title": "Headline"}\n]\n', "JSON", 1),
    ],
)
def test_documents_are_refused_at_their_first_line(text: str, what: str, line: int) -> None:
    with pytest.raises(SeedError) as raised:
        refuse_document(text)
    assert raised.value.code == "NC-SEED-013"
    assert what in raised.value.message
    assert raised.value.line == line


@pytest.mark.parametrize(
    "text",
    [
        "<3 reasons the city loves its trams" + BODY,  # not a tag
        "5 < 6: a headline with a comparison" + BODY,
        "{Update} The council votes again" + BODY,
        "[Updated] The council votes again" + BODY,
        '["Quoted"] is not JSON' + BODY,
        "Percentages: %PDF of nothing" + BODY,
        "How to write <div> tags" + BODY + "<div>Quoted markup in the body</div>\n",
        "Headline\n\n<html> in the body is the body's business.\n",
        "<i>Hamlet</i> returns to the Globe" + BODY,  # stray inline markup, not a page
    ],
)
def test_articles_that_mention_markup_pass(text: str) -> None:
    refuse_document(text)  # raises on a refusal


def test_the_build_refuses_a_saved_web_page() -> None:
    page = b"<!DOCTYPE html>\n<html><head><title>Headline</title></head>\n<body><p>Text.</p>\n"
    found = make_record(SeedInput("001_00000000000000aa.txt", page))
    assert not isinstance(found, Record)
    assert [(p.code, p.file, p.line) for p in found] == [
        ("NC-SEED-013", "001_00000000000000aa.txt", 1)
    ]
