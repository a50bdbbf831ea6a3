"""A data line's text and paragraphs checked in one pass over its bytes, by a C accelerator.

A record carries its body twice, as ``text`` and as ``paragraphs``, and in pure Python most of
what checking a line costs is making strings of both, encoding the text back to UTF-8, and the
passes of a pattern and two counts over it: about 130 µs of a 10 KB line, where parsing the
line and hashing its text take 55. ``_onepass.c`` walks the two serialised fields side by side
instead and proves what those passes prove: both are in canonical form, the text is the
paragraphs joined by a blank line, and every paragraph is words of NFC-safe characters with
single spaces. It hands back the text in UTF-8 and its counts. The rest of the line (about a
tenth of it) is parsed and checked as before, with the text and paragraphs left empty. A
record then costs about 70 µs, the near-duplicate keys of its sentences included.

The accelerator is optional. It is built with the package where a C compiler is at hand
(``scripts/build_hook.py``); without it ``CHECKER`` is None and the pure-Python fast path does
the same work. It never refuses a line: a line it cannot prove goes on to that path, and to
the full rules, which say what is wrong. Property tests hold its verdicts to theirs.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import orjson

from newscorpus.nfc_safe import NFC_SAFE_WORD_CHARACTERS
from newscorpus.schemas import PARAGRAPH_PATTERN, compile_validator, load_record_schema
from newscorpus.validate.canonical import shape_is_canonical
from newscorpus.validate.record_rules import sound_body

try:
    from newscorpus.validate._onepass import Checker
except ImportError:  # not built: no C compiler where the package was installed
    CHECKER = None
else:
    CHECKER = Checker(NFC_SAFE_WORD_CHARACTERS)

# The bytes around the body in a canonical line, whose keys stand in the schema's order: from
# the text's opening quote to the first paragraph's, and from the last paragraph's closing quote.
TEXT_KEY = b',"text":"'
TEXT_END = b'","paragraphs":["'
PARAGRAPHS_END = b'"],"paragraph_count":'
# what stands between the text's opening quote and "],"paragraph_count": once both are empty
_EMPTY_BODY = b'","paragraphs":['

# (where the text's characters start, where the paragraphs' end): what ``Checker.check`` needs
Spans = tuple[int, int]


def cut_body(line: bytes) -> tuple[bytes, Spans] | None:
    """The line with its text and paragraphs emptied, and where their characters start and
    end; None for a line without the keys around them.

    The text's key is sought from the start of the line and the paragraph count's from its
    end, so the text and the paragraphs themselves (nine tenths of the line) are not searched;
    ``Checker.check`` finds the text's closing quote as it goes. The searches need not be right
    about a line that is not canonical: a span they get wrong holds a quote that is not the
    `","` between two paragraphs, which the check refuses, and the emptied line must itself be
    canonical JSON. A line that passes both is the canonical serialisation of the emptied
    record with those two fields put back."""
    head = line.find(TEXT_KEY)
    if head < 0:
        return None
    text_start = head + len(TEXT_KEY)
    paragraphs_end = line.rfind(PARAGRAPHS_END, text_start)
    if paragraphs_end < 0:
        return None
    rest = line[:text_start] + _EMPTY_BODY + line[paragraphs_end + 1 :]
    return rest, (text_start, paragraphs_end)


# (the record with its text and paragraphs empty, the text's sha256, the text in UTF-8)
Proven = tuple[dict[str, Any], bytes, bytes]


class OnePass:
    """The one-pass proof of a data line, with what it needs bound once (``one_pass``)."""

    def __init__(self, checker: Any, rest_valid: Any, most_characters: int) -> None:
        self._check = checker.check
        self._rest_valid = rest_valid
        self._most_characters = most_characters

    def prove(self, line: bytes, today: str) -> Proven | None:
        """The record of a line (text and paragraphs left empty), its text's sha256 and the
        text in UTF-8, if the line (without its newline) is the canonical serialisation of a
        record that passes the schema and every rule in ``RECORD_RULES``; else None, and the
        pure-Python paths take the line.

        What is left to the caller: the line's ending and the record's place in its shard."""
        cut = cut_body(line)
        if cut is None:
            return None
        rest, spans = cut
        try:
            record = orjson.loads(rest)
        except orjson.JSONDecodeError:
            return None
        if (
            type(record) is dict
            and orjson.dumps(record) == rest
            and (body := self._check(line, spans[0], TEXT_END, spans[1])) is not None
            and body[2] <= self._most_characters
            and self._rest_valid(record)
            and shape_is_canonical(record)
            and (digest := sound_body(record, today, body)) is not None
            # the body holds no escape but \" \\ and its blank lines; the rest, none of a
            # control character (NC-JSON-005), and most often no backslash at all
            and (b"\\" not in rest or b"\\u00" not in rest)
        ):
            return record, digest, body[0]
        return None


@cache
def one_pass() -> OnePass | None:
    """The one-pass proof, or None where the accelerator is not built or the schema asks of
    the body more than the pass proves (``rest_validator``)."""
    if CHECKER is None:
        return None
    lighter = rest_validator()
    return None if lighter is None else OnePass(CHECKER, *lighter)


@cache
def rest_validator() -> tuple[Any, int] | None:
    """jsonschema-rs on the record schema with ``text`` and ``paragraphs`` asked only to be a
    string and an array, and the most characters the text may hold; None when the schema asks
    of them anything the one pass does not prove (then the accelerator is not used).

    What the pass proves of a body, the two keywords' whole content here: a text of at least
    one character (a paragraph is at least one word), at most ``maxLength`` of them (the count
    it returns, compared by the caller), and at least one paragraph, each a non-empty string
    that neither starts nor ends with white space nor holds a line break (the paragraph
    pattern): words of non-space characters with single spaces between them are that."""
    schema = load_record_schema()
    properties = schema["properties"]
    text = _without_notes(properties["text"])
    paragraphs = _without_notes(properties["paragraphs"])
    expected_paragraphs = {
        "type": "array",
        "minItems": 1,
        "items": {"type": "string", "minLength": 1, "pattern": PARAGRAPH_PATTERN},
    }
    limit = text.get("maxLength")
    if (
        paragraphs != expected_paragraphs
        or text != {"type": "string", "minLength": 1, "maxLength": limit}
        or type(limit) is not int
    ):
        return None
    lighter = {
        **schema,
        "properties": {**properties, "text": {"type": "string"}, "paragraphs": {"type": "array"}},
    }
    return compile_validator(lighter).is_valid, limit


def _without_notes(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k not in ("description", "title", "examples")}
