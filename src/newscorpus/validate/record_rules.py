"""Rules on one record that a JSON Schema cannot express.

Each rule is a small generator ``check(record, ctx)`` yielding ``Finding``s; the runner stamps
the code, file and line. The rules assume the record already passed the schema, so types are
known; a record that fails the schema is explained by ``explain_schema`` instead.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from newscorpus.schemas import (
    error_message,
    fast_validator,
    load_record_schema,
    rs_error_message,
    rs_only_errors,
)
from newscorpus.seeds import seed_id
from newscorpus.textform import folded, folded_nfc


@dataclass(frozen=True, slots=True)
class Finding:
    message: str
    path: tuple[str | int, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordContext:
    """What a record rule may know besides the record: today's date, for the date rule."""

    today: date


class RecordFacts:
    """Values several rules and the corpus summary need, each computed at most once.

    The common case is cheap: a normalised paragraph is printable (no whitespace but U+0020)
    with no double space, which ``isprintable()`` and one search prove at C speed, and its
    words are its spaces plus one. Text that fails that test is split word by word.
    """

    __slots__ = ("_words", "record", "text_digest", "text_is_paragraphs", "utf8")

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        text, paragraphs = record["text"], record["paragraphs"]
        self.utf8 = text.encode("utf-8")
        self.text_digest = hashlib.sha256(self.utf8).digest()
        self.text_is_paragraphs = text == "\n\n".join(paragraphs)
        self._words: int | None = None
        if self.text_is_paragraphs and all(p.isprintable() and "  " not in p for p in paragraphs):
            self._words = sum(p.count(" ") for p in paragraphs) + len(paragraphs)

    @property
    def word_count(self) -> int:
        return self._words if self._words is not None else len(self.record["text"].split())

    @property
    def whitespace_normalised(self) -> bool:
        if self._words is not None:
            return True
        return all(p == " ".join(p.split()) for p in self.record["paragraphs"])

    @property
    def nfc(self) -> bool:
        return self.record["text"].isascii() or unicodedata.is_normalized(
            "NFC", self.record["text"]
        )


def sound_text(
    record: dict[str, Any], today: str, *, joined: bool = False
) -> tuple[bytes, bytes] | None:
    """The record's text in UTF-8 and its sha256, if the record passes every rule in
    ``RECORD_RULES``; else None (then the rules themselves run, to say what is wrong).

    Almost every record in a corpus is sound, and this is the path they take: the same tests as
    the rules, as a handful of whole-string operations in C with no generator, finding or
    facts object per record. It assumes the record passed ``bulk_validator`` (types), and it
    proves what that leaves out of the schema. A property test holds it to the rules' and the
    schema's verdict on mutated records. ``joined`` says the caller made ``text`` by joining
    the paragraphs, so that comparison is skipped.
    """
    text, paragraphs = record["text"], record["paragraphs"]
    count = len(paragraphs)
    utf8 = text.encode("utf-8")
    if (
        (not joined and text != "\n\n".join(paragraphs))
        # with the join, the only line breaks are the separators: no paragraph holds one
        # (counted in UTF-8, where a space or line break is one byte and is never part of
        # another character's bytes: a little faster than counting in the str)
        or utf8.count(b"\n") != 2 * (count - 1)
        # words, single spaces between them, a blank line between paragraphs; and NFC
        or not (folded_nfc(text) or (folded(text) and unicodedata.is_normalized("NFC", text)))
    ):
        return None
    # then the words are the spaces plus one per paragraph
    digest = sound_body(record, today, (utf8, count, len(text), utf8.count(b" ")))
    return None if digest is None else (utf8, digest)


def sound_body(
    record: dict[str, Any], today: str, body: tuple[bytes, int, int, int]
) -> bytes | None:
    """The text's sha256, if a record whose body was proven in one pass (``validate.onepass``:
    ``body`` is the text in UTF-8 and its paragraphs, characters and spaces) passes every rule
    in ``RECORD_RULES``; else None.

    The pass has proven what ``sound_text`` proves of the text and the paragraphs themselves
    (the join, the words and single spaces, NFC); what is left, here for both, is the fields
    that describe them, the id and the date."""
    utf8, paragraphs, characters, spaces = body
    digest = hashlib.sha256(utf8).digest()
    published = record["published"]
    if (
        digest.hex() != record["text_sha256"]
        or record["paragraph_count"] != paragraphs
        or record["char_count"] != characters
        or record["word_count"] != spaces + paragraphs
        or seed_id(record["seed_file"]) != record["id"]
        or (published is not None and published > today)
    ):
        return None
    return digest


Check = Callable[[RecordFacts, RecordContext], Iterator[Finding]]


def check_id_matches_seed(facts: RecordFacts, ctx: RecordContext) -> Iterator[Finding]:
    record = facts.record
    if seed_id(record["seed_file"]) != record["id"]:
        yield Finding(f"id {record['id']} but seed_file {record['seed_file']}", ("id",))


def check_text_is_paragraphs(facts: RecordFacts, ctx: RecordContext) -> Iterator[Finding]:
    if not facts.text_is_paragraphs:
        yield Finding("text is not the paragraphs joined by one blank line", ("text",))


def check_text_hash(facts: RecordFacts, ctx: RecordContext) -> Iterator[Finding]:
    claimed, actual = facts.record["text_sha256"], facts.text_digest.hex()
    if actual != claimed:
        yield Finding(
            f"text_sha256 is {claimed[:12]}…, the text hashes to {actual[:12]}…",
            ("text_sha256",),
        )


def check_counts(facts: RecordFacts, ctx: RecordContext) -> Iterator[Finding]:
    record = facts.record
    counts = {
        "paragraph_count": len(record["paragraphs"]),
        "word_count": facts.word_count,
        "char_count": len(record["text"]),
    }
    for field, actual in counts.items():
        if record[field] != actual:
            yield Finding(f"{field} is {record[field]}, the text has {actual}", (field,))


def check_normalised(facts: RecordFacts, ctx: RecordContext) -> Iterator[Finding]:
    if not facts.whitespace_normalised:
        yield Finding("a paragraph has whitespace other than single spaces", ("paragraphs",))
    if not facts.nfc:
        yield Finding("text is not in Unicode NFC", ("text",))


def check_not_future(facts: RecordFacts, ctx: RecordContext) -> Iterator[Finding]:
    published = facts.record["published"]
    if published is not None and published > ctx.today.isoformat():
        yield Finding(
            f"published {published} is after today ({ctx.today.isoformat()})", ("published",)
        )


# code -> rule, in the order they run. Codes are stamped here, never inside a rule.
RECORD_RULES: dict[str, Check] = {
    "NC-REC-003": check_id_matches_seed,
    "NC-REC-004": check_text_is_paragraphs,
    "NC-REC-005": check_text_hash,
    "NC-REC-006": check_counts,
    "NC-REC-012": check_normalised,
    "NC-REC-007": check_not_future,
}


@cache
def _explaining_validator() -> Any:
    """jsonschema, for its messages; imported only when a record fails the fast pass."""
    from jsonschema import Draft202012Validator

    schema = load_record_schema()
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def explain_schema(record: Any) -> list[Finding]:
    """Every schema error of a failing record, most relevant first (jsonschema's ordering).

    jsonschema runs patterns on Python's ``re``, where JSON Schema means ECMA-262: its ``\\s``
    also matches U+FEFF, so a paragraph that starts with one fails the bulk pass and passes
    jsonschema. What only jsonschema-rs finds is added (``rs_only_errors``): a record the bulk
    pass refused is never let through for want of words, and nothing waits for a second run."""
    from jsonschema.exceptions import relevance

    errors = sorted(_explaining_validator().iter_errors(record), key=relevance)
    found = [(error_message(error), tuple(error.absolute_path)) for error in errors]
    named = {path for _, path in found}
    found += [
        (rs_error_message(error), tuple(error.instance_path))
        for error in rs_only_errors(fast_validator().iter_errors(record), named)
    ]
    return [
        Finding(message if len(message) < 300 else message[:300] + "…", path)
        for message, path in found
    ]
