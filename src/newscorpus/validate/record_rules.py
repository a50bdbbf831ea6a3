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

from newscorpus.record import seed_id
from newscorpus.schemas import load_record_schema


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

    The common case is cheap: a normalised paragraph has no whitespace but single spaces, so
    ``isprintable()`` plus a search for two spaces prove it (C speed), and its words are its
    spaces plus one. Only text that fails that test is split word by word.
    """

    __slots__ = ("_fast", "_flat_words", "record", "text_digest", "text_is_paragraphs")

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self.text_digest = hashlib.sha256(record["text"].encode("utf-8")).digest()
        text = record["text"]
        self.text_is_paragraphs = text == "\n\n".join(record["paragraphs"])
        # With paragraph breaks as spaces, normalised text is printable (no whitespace but
        # U+0020) and has no double space: two C-speed scans decide the common case.
        flat = text.replace("\n\n", " ") if self.text_is_paragraphs else ""
        self._fast = bool(flat) and flat.isprintable() and "  " not in flat
        self._flat_words = flat.count(" ") + 1 if self._fast else 0

    @property
    def word_count(self) -> int:
        if self._fast:
            return self._flat_words
        return len(self.record["text"].split())

    @property
    def whitespace_normalised(self) -> bool:
        if self._fast:
            return True
        return all(p == " ".join(p.split()) for p in self.record["paragraphs"])


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
    if not unicodedata.is_normalized("NFC", facts.record["text"]):
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
    """Every schema error of a failing record, most relevant first (jsonschema's ordering)."""
    from jsonschema.exceptions import relevance

    errors = sorted(_explaining_validator().iter_errors(record), key=relevance)
    return [
        Finding(
            error.message if len(error.message) < 300 else error.message[:300] + "…",
            tuple(error.absolute_path),
        )
        for error in errors
    ]
