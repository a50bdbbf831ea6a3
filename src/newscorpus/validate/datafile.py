"""One data file, checked line by line in a worker: every finding, and a summary per record.

A sound line takes a fast path. Where the C accelerator is built, its text and paragraphs are
proven in one pass over the line's bytes and the rest of it is parsed and checked alone
(``onepass``). Otherwise, or where that proves nothing: orjson, the canonical-form comparison,
jsonschema-rs (less the paragraphs' pattern, which ``sound_text`` proves), the canonical shape
and ``sound_text``, with nothing built per record but its summary's entries. Any line that
fails them is checked again by the full rules, which say what is wrong; so a finding is never
lost to a fast path, and a fast path never needs to explain itself.

What goes back to the parent is small and columnar: lists pickle in a few C calls, where one
object per record would cost more to send than to check.
"""

from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from newscorpus.corpus import shard_prefix
from newscorpus.problems import Problem
from newscorpus.schemas import bulk_validator, fast_validator
from newscorpus.seeds import shown
from newscorpus.validate.canonical import shape_defect, shape_is_canonical
from newscorpus.validate.jsonlines import RawLine, parse_line, read_lines
from newscorpus.validate.neardup import NUM_BANDS, band_keys
from newscorpus.validate.onepass import PARAGRAPHS_END, TEXT_END, TEXT_KEY, one_pass
from newscorpus.validate.record_rules import (
    RECORD_RULES,
    RecordContext,
    RecordFacts,
    explain_schema,
    sound_text,
)


@dataclass(slots=True)
class Summaries:
    """What the corpus-wide checks need of a file's records, column by column."""

    ids: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    text_sha256: list[bytes] = field(default_factory=list)
    # the next two only when the seeds are checked too (FileTask.provenance), else empty
    seed_files: list[str] = field(default_factory=list)
    # the seed's sha256, plus "+" and the sidecar's sha256 when there is one
    provenance: list[str] = field(default_factory=list)
    # NUM_BANDS a record (neardup.band_keys), empty when near-duplicates are off
    band_keys: array[int] = field(default_factory=lambda: array("q"))

    def add(self, record: dict[str, Any], line: int, text_sha256: bytes) -> None:
        self.ids.append(record["id"])
        self.lines.append(line)
        self.text_sha256.append(text_sha256)

    def add_provenance(self, record: dict[str, Any]) -> None:
        self.seed_files.append(record["seed_file"])
        sidecar = record["sidecar_sha256"]
        self.provenance.append(record["seed_sha256"] + (f"+{sidecar}" if sidecar else ""))

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(slots=True)
class FileResult:
    path: Path
    bytes: int = 0
    sha256: str = ""
    lines: int = 0
    problems: list[Problem] = field(default_factory=list)
    summaries: Summaries = field(default_factory=Summaries)
    languages: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class FileTask:
    path: Path
    today: date
    near_duplicates: bool
    provenance: bool = False  # summarise each record's seed, for the checks against the seeds


def check_files(tasks: list[FileTask]) -> list[FileResult]:
    """Check a batch of data files in one worker (one round trip through the pool).

    The near-duplicate band keys of the whole batch are made in one call: rensa spends
    0.14 ms a call before its first text, as much as checking two records, and a corpus of
    small shards has hundreds of files."""
    checked = [_check_file(task) for task in tasks]
    texts = [text for _, file_texts in checked for text in file_texts or ()]
    keys = band_keys(texts) if texts else array("q")
    start = 0
    for result, file_texts in checked:
        if file_texts is not None:
            end = start + len(file_texts) * NUM_BANDS
            result.summaries.band_keys = keys[start:end]
            start = end
    return [result for result, _ in checked]


def check_file(task: FileTask) -> FileResult:
    """Check one data file line by line (runs in a worker process). A file that cannot be
    read (its permissions, or gone since the listing) is a finding, not a crash."""
    return check_files([task])[0]


def _check_file(task: FileTask) -> tuple[FileResult, list[bytes] | None]:
    """A file's result, and its texts in UTF-8 for the band keys (None when near-duplicates
    are not checked)."""
    try:
        return _check_readable_file(task)
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        result = FileResult(task.path, problems=[Problem("NC-JSON-001", message, shown(task.path))])
        return result, [] if task.near_duplicates else None


def _check_readable_file(task: FileTask) -> tuple[FileResult, list[bytes] | None]:
    result = FileResult(task.path)
    summaries = result.summaries
    digest = hashlib.sha256()

    def count(chunk: bytes) -> None:
        digest.update(chunk)
        result.bytes += len(chunk)

    today = task.today.isoformat()
    # Names used once a line are bound here: at a hundred-odd microseconds a record, the
    # lookups of a plain loop would cost a few percent.
    is_valid = bulk_validator().is_valid
    loads, dumps, decode_error = orjson.loads, orjson.dumps, orjson.JSONDecodeError
    add, languages, near = summaries.add, result.languages, task.near_duplicates
    provenance = summaries.add_provenance if task.provenance else None
    prefix = _shard_prefix(task.path)
    previous_id = ""
    number = 0
    texts: list[bytes] = []  # UTF-8, for the near-duplicate band keys
    # the text and paragraphs proven in one pass over the line, where the accelerator is built
    onepass = one_pass()
    prove = onepass.prove if onepass is not None else None

    def accept(record: dict[str, Any], digest: bytes, utf8: bytes) -> None:
        add(record, number, digest)
        if provenance:
            provenance(record)
        languages.add(record["language"])
        if near:
            texts.append(utf8)

    with open(task.path, "rb") as handle:
        for raw in read_lines(handle, on_bytes=count):
            number, data, ending, _ = raw
            if (
                prove is not None
                and ending == b"\n"
                and (proven := prove(data, today)) is not None
                and (record_id := proven[0]["id"]).startswith(prefix)
                and record_id >= previous_id
            ):
                previous_id = record_id
                accept(*proven)
                continue
            try:
                record, joined = _loads_joining(data, loads)
            except decode_error:
                record, joined = None, False
            if (
                type(record) is dict
                and ending == b"\n"
                and dumps(record) == data
                and is_valid(record)
                and shape_is_canonical(record)
                and (sound := sound_text(record, today, joined=joined)) is not None
                and not _escaped_control(data)
                and (record_id := record["id"]).startswith(prefix)
                and record_id >= previous_id
            ):
                previous_id = record_id
                accept(record, sound[1], sound[0])
                continue
            found, facts = _check_line(raw, task, prefix, previous_id)
            if facts is not None:
                previous_id = facts.record["id"]
                accept(facts.record, facts.text_digest, facts.utf8)
            result.problems += found
    result.lines = number  # lines are numbered from 1, one by one
    result.sha256 = digest.hexdigest()
    return result, texts if near else None


def _loads_joining(line: bytes, loads: Any) -> tuple[Any, bool]:
    """What a line parses to, with its text made from the paragraphs rather than read from the
    line; and whether it was.

    A record holds its text twice, as ``text`` and as ``paragraphs``, and making Python strings
    of it is most of the cost of parsing. So the text's span is cut out of the line, the rest
    is parsed, and ``text`` is set to the paragraphs joined by a blank line: what a sound record
    holds. Nothing is taken on trust. The fast path accepts a line only if it is the canonical
    serialisation of what this returns (``dumps(record) == line``), and that holds only if the
    span cut out was exactly the joined paragraphs. A line without the two keys in that order,
    or whose paragraphs are not a list of strings, is parsed in full."""
    head = line.find(TEXT_KEY)
    tail = line.find(TEXT_END, head) if head >= 0 else -1
    if tail < 0:
        return loads(line), False
    record = loads(line[: head + len(TEXT_KEY)] + line[tail:])
    try:
        record["text"] = "\n\n".join(record["paragraphs"])
    except (TypeError, KeyError):  # not an object, or paragraphs not a list of strings
        return loads(line), False
    return record, True


def _escaped_control(line: bytes) -> bool:
    """Whether a canonical line escapes a control character (NC-JSON-005) outside the text and
    paragraphs, which ``sound_text`` has already found free of them. Those two fields are most
    of the line, so this looks at the rest only: in canonical JSON a key with its quotes cannot
    occur inside a string, where every quote is escaped."""
    head = line.find(TEXT_KEY)
    tail = line.rfind(PARAGRAPHS_END)
    if head < 0 or tail < head:
        return b"\\u00" in line
    return line.find(b"\\u00", 0, head) >= 0 or line.find(b"\\u00", tail) >= 0


def _check_line(
    raw: RawLine, task: FileTask, prefix: str, previous_id: str
) -> tuple[list[Problem], RecordFacts | None]:
    """Every finding on one line, by the full rules; and, for a record with a usable shape
    (it passed the schema), its facts, so it is summarised like any other."""
    file = shown(task.path)
    record, defects, canonical = parse_line(raw)
    found = [Problem(d.code, d.message, file, raw.number, d.path) for d in defects]
    if record is None:
        return found, None
    if not fast_validator().is_valid(record):
        found += [
            Problem("NC-REC-001", f.message, file, raw.number, f.path)
            for f in explain_schema(record)
        ]
        if not canonical and not found:
            found.append(Problem("NC-JSON-011", _form_defect(raw.ending), file, raw.number))
        return found, None
    facts = RecordFacts(record)
    ctx = RecordContext(today=task.today)
    found += [
        Problem(code, finding.message, file, raw.number, finding.path)
        for code, rule in RECORD_RULES.items()
        for finding in rule(facts, ctx)
    ]
    found += _placement(record["id"], prefix, previous_id, file, raw.number)
    if canonical and not found:
        defect = shape_defect(record)
        if defect is not None:
            found.append(Problem("NC-JSON-011", defect[1], file, raw.number, defect[0]))
    if not canonical and not found:
        found.append(Problem("NC-JSON-011", _form_defect(raw.ending), file, raw.number))
    return found, facts


def _shard_prefix(path: Path) -> str:
    """The id prefix a shard's records share ("" for a data file not named as a shard)."""
    return shard_prefix(path.name)


def _form_defect(ending: bytes) -> str:
    if ending == b"\r\n":
        return "CRLF line ending; data files use LF"
    if ending == b"":
        return "no newline at the end of the file"
    return "not in canonical form (spacing, escapes or a repeated key differ from the build's)"


def _placement(record_id: str, prefix: str, previous: str, file: str, line: int) -> list[Problem]:
    if not record_id.startswith(prefix):
        return [
            Problem(
                "NC-REC-008",
                f"id {record_id} does not belong in shard {prefix!r}",
                file,
                line,
                ("id",),
            )
        ]
    if previous and record_id < previous:  # an equal id is NC-REC-002's to report
        return [
            Problem(
                "NC-REC-008",
                f"id {record_id} is not after the previous id {previous}",
                file,
                line,
                ("id",),
            )
        ]
    return []
