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

from jsonschema import Draft202012Validator
from jsonschema.exceptions import relevance

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


Check = Callable[[dict[str, Any], RecordContext], Iterator[Finding]]


def check_id_matches_seed(record: dict[str, Any], ctx: RecordContext) -> Iterator[Finding]:
    expected = seed_id(record["seed_file"])
    if expected != record["id"]:
        yield Finding(f"id {record['id']} but seed_file {record['seed_file']}", ("id",))


def check_text_is_paragraphs(record: dict[str, Any], ctx: RecordContext) -> Iterator[Finding]:
    if record["text"] != "\n\n".join(record["paragraphs"]):
        yield Finding("text is not the paragraphs joined by one blank line", ("text",))


def check_text_hash(record: dict[str, Any], ctx: RecordContext) -> Iterator[Finding]:
    actual = hashlib.sha256(record["text"].encode("utf-8")).hexdigest()
    if actual != record["text_sha256"]:
        yield Finding(
            f"text_sha256 is {record['text_sha256'][:12]}…, the text hashes to {actual[:12]}…",
            ("text_sha256",),
        )


def check_counts(record: dict[str, Any], ctx: RecordContext) -> Iterator[Finding]:
    text = record["text"]
    counts = {
        "paragraph_count": len(record["paragraphs"]),
        "word_count": len(text.split()),
        "char_count": len(text),
    }
    for field, actual in counts.items():
        if record[field] != actual:
            yield Finding(f"{field} is {record[field]}, the text has {actual}", (field,))


def check_normalised(record: dict[str, Any], ctx: RecordContext) -> Iterator[Finding]:
    text = record["text"]
    # Normalised text has one space between words and "\n\n" between paragraphs, so the
    # separators alone predict the word count; any other whitespace breaks the equality.
    separators = text.count(" ") + text.count("\n\n") + 1
    if separators != len(text.split()) or "\n\n\n" in text:
        yield Finding(
            "text has whitespace other than single spaces and paragraph breaks", ("text",)
        )
    if not unicodedata.is_normalized("NFC", text):
        yield Finding("text is not in Unicode NFC", ("text",))


def check_not_future(record: dict[str, Any], ctx: RecordContext) -> Iterator[Finding]:
    published = record["published"]
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
def _explaining_validator() -> Draft202012Validator:
    schema = load_record_schema()
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def explain_schema(record: Any) -> list[Finding]:
    """Every schema error of a failing record, most relevant first (jsonschema's ordering)."""
    errors = sorted(_explaining_validator().iter_errors(record), key=relevance)
    return [
        Finding(
            error.message if len(error.message) < 300 else error.message[:300] + "…",
            tuple(error.absolute_path),
        )
        for error in errors
    ]
