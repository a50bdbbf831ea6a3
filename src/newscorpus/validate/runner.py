"""Running every check and collecting the findings into one report.

Per data file (in parallel): strict JSON, the schema (jsonschema-rs; jsonschema explains the
failures), the record rules, shard placement, and a small summary per record. Across the
corpus (in the parent, on summaries only): unique ids, exact and near-duplicate texts, the
manifest. Seeds, when given, go through the same per-seed pipeline as the build.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson

from newscorpus.corpus import DATA_DIR, MANIFEST, iter_data_files, read_manifest
from newscorpus.problems import Problem, sorted_problems
from newscorpus.progress import progress
from newscorpus.releases import check_release_files
from newscorpus.rules import RULES
from newscorpus.schemas import current_schema_version, fast_validator
from newscorpus.seeds import shown
from newscorpus.validate.canonical import shape_defect, shape_is_canonical
from newscorpus.validate.jsonlines import RawLine, parse_line, read_lines
from newscorpus.validate.neardup import NearDuplicateIndex, signatures
from newscorpus.validate.record_rules import (
    RECORD_RULES,
    RecordContext,
    RecordFacts,
    explain_schema,
    sound_text,
)


@dataclass(slots=True)
class RecordSummary:
    """What the corpus-wide checks need of one record: a few hundred bytes."""

    id: str
    line: int
    text_sha256: bytes
    seed_file: str
    provenance: str  # seed sha256, plus "+" and the sidecar's sha256 when there is one
    minhash: Any
    language: str


@dataclass(slots=True)
class FileResult:
    path: Path
    bytes: int = 0
    sha256: str = ""
    lines: int = 0
    problems: list[Problem] = field(default_factory=list)
    records: list[RecordSummary] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FileTask:
    path: Path
    today: date
    near_duplicates: bool


@dataclass(slots=True)
class Report:
    problems: list[Problem]
    records: int
    files: int
    seeds: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        seeds = f" and {self.seeds} seed(s)" if self.seeds is not None else ""
        verdict = "no problems" if self.ok else f"{len(self.problems)} problem(s)"
        return f"validated {self.records} record(s) in {self.files} file(s){seeds}: {verdict}"


def _shard_prefix(path: Path) -> str | None:
    name = path.stem
    return name[len("shard-") :] if name.startswith("shard-") else None


def check_file(task: FileTask) -> FileResult:
    """Check one data file line by line (runs in a worker process).

    A sound line takes the fast path: orjson, the canonical-form comparison, jsonschema-rs and
    ``sound_text_digest``, with nothing built per record but its summary. Any line that fails
    any of them is checked again by the full rules, which say what is wrong; so a finding is
    never lost to the fast path, and the fast path never needs to explain itself.
    """
    result = FileResult(task.path)
    file = shown(task.path)
    digest = hashlib.sha256()

    def count(chunk: bytes) -> None:
        digest.update(chunk)
        result.bytes += len(chunk)

    today = task.today.isoformat()
    ctx = RecordContext(today=task.today)
    is_valid = fast_validator().is_valid
    prefix = _shard_prefix(task.path) or ""
    previous_id = ""
    texts: list[bytes] = []  # UTF-8, for the near-duplicate signatures
    with open(task.path, "rb") as handle:
        for raw in read_lines(handle, on_bytes=count):
            result.lines += 1
            data = raw.data
            try:
                record = orjson.loads(data)
            except orjson.JSONDecodeError:
                record = None
            if (
                type(record) is dict
                and raw.ending == b"\n"
                and orjson.dumps(record) == data
                and is_valid(record)
                and shape_is_canonical(record)
                and (sound := sound_text(record, today)) is not None
                and not _escaped_control(data)
                and record["id"].startswith(prefix)
                and record["id"] >= previous_id
            ):
                previous_id = record["id"]
                result.records.append(_summary(record, raw.number, sound[1]))
                if task.near_duplicates:
                    texts.append(sound[0])
                continue
            found, summary, utf8 = _check_line(raw, file, prefix, previous_id, ctx)
            if summary is not None:
                previous_id = summary.id
                result.records.append(summary)
                if task.near_duplicates:
                    texts.append(utf8)
            result.problems += found
    if task.near_duplicates:
        for summary, minhash in zip(result.records, signatures(texts), strict=True):
            summary.minhash = minhash
    result.sha256 = digest.hexdigest()
    return result


_TEXT_KEY = b',"text":"'
_AFTER_PARAGRAPHS = b'],"paragraph_count":'


def _escaped_control(line: bytes) -> bool:
    """Whether a canonical line escapes a control character (NC-JSON-005) outside the text and
    paragraphs, which ``sound_text`` has already found printable. Those two fields are most of
    the line, so this looks at the rest only: in canonical JSON a key with its quotes cannot
    occur inside a string, where every quote is escaped."""
    head = line.find(_TEXT_KEY)
    tail = line.rfind(_AFTER_PARAGRAPHS)
    if head < 0 or tail < head:
        return b"\\u00" in line
    return line.find(b"\\u00", 0, head) >= 0 or line.find(b"\\u00", tail) >= 0


def _summary(record: dict[str, Any], line: int, text_digest: bytes) -> RecordSummary:
    return RecordSummary(
        record["id"],
        line,
        text_digest,
        record["seed_file"],
        _provenance(record),
        None,
        record["language"],
    )


def _check_line(
    raw: RawLine, file: str, prefix: str, previous_id: str, ctx: RecordContext
) -> tuple[list[Problem], RecordSummary | None, bytes]:
    """Every finding on one line, by the full rules; and, if the record has a usable shape,
    its summary and its text in UTF-8 (for the near-duplicate signature)."""
    record, defects, canonical = parse_line(raw)
    found = [Problem(d.code, d.message, file, raw.number, d.path) for d in defects]
    summary, utf8 = None, b""
    if record is not None:
        if fast_validator().is_valid(record):
            facts = RecordFacts(record)
            found += _record_problems(facts, ctx, file, raw.number)
            summary = _summary(record, raw.number, facts.text_digest)
            utf8 = facts.utf8
            found += _placement(record["id"], prefix, previous_id, file, raw.number)
            if canonical and not found:
                defect = shape_defect(record)
                if defect is not None:
                    found.append(Problem("NC-JSON-011", defect[1], file, raw.number, defect[0]))
        else:
            found += [
                Problem("NC-REC-001", f.message, file, raw.number, f.path)
                for f in explain_schema(record)
            ]
        if not canonical and not found:
            found.append(Problem("NC-JSON-011", _form_defect(raw.ending), file, raw.number))
    return found, summary, utf8


def _provenance(record: dict[str, Any]) -> str:
    sidecar = record["sidecar_sha256"]
    return record["seed_sha256"] + (f"+{sidecar}" if sidecar else "")


def _form_defect(ending: bytes) -> str:
    if ending == b"\r\n":
        return "CRLF line ending; data files use LF"
    if ending == b"":
        return "no newline at the end of the file"
    return "not in canonical form (spacing, escapes or a repeated key differ from the build's)"


def _record_problems(facts: RecordFacts, ctx: RecordContext, file: str, line: int) -> list[Problem]:
    return [
        Problem(code, finding.message, file, line, finding.path)
        for code, rule in RECORD_RULES.items()
        for finding in rule(facts, ctx)
    ]


def _placement(
    record_id: str, prefix: str | None, previous: str, file: str, line: int
) -> list[Problem]:
    if prefix is not None and not record_id.startswith(prefix):
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


class CorpusChecks:
    """Checks across files (unique ids, exact and near-duplicate texts), fed each file's
    summaries as its worker finishes, so this work overlaps with the checking of later files.
    """

    def __init__(self, near_duplicates: bool) -> None:
        self.problems: list[Problem] = []
        self._first_id: dict[str, str] = {}
        self._first_text: dict[bytes, str] = {}
        self._located: list[tuple[str, RecordSummary]] = []
        self._near = NearDuplicateIndex() if near_duplicates else None

    def add(self, result: FileResult) -> None:
        file = shown(result.path)
        batch: list[RecordSummary] = []
        for summary in result.records:
            where = f"{file}:{summary.line}"
            if summary.id in self._first_id:
                self.problems.append(
                    Problem(
                        "NC-REC-002",
                        f"id {summary.id} already at {self._first_id[summary.id]}",
                        file,
                        summary.line,
                        ("id",),
                    )
                )
            else:
                self._first_id[summary.id] = where
            if summary.text_sha256 in self._first_text:
                self.problems.append(
                    Problem(
                        "NC-REC-009",
                        f"same text as the record at {self._first_text[summary.text_sha256]}",
                        file,
                        summary.line,
                        ("text",),
                    )
                )
                continue  # an exact copy is reported once, not again as a near-duplicate
            self._first_text[summary.text_sha256] = where
            if summary.minhash is not None:
                batch.append(summary)
        if self._near is not None and batch:
            self._near_duplicates(file, batch)

    def _near_duplicates(self, file: str, batch: list[RecordSummary]) -> None:
        self._located += [(file, summary) for summary in batch]
        for other, key, similarity in self._near.add([s.minhash for s in batch]):
            earlier_file, earlier = self._located[other]
            later_file, later = self._located[key]
            self.problems.append(
                Problem(
                    "NC-REC-010",
                    f"{similarity:.0%} similar to {earlier.id} at {earlier_file}:{earlier.line}",
                    later_file,
                    later.line,
                    ("text",),
                )
            )
        for summary in batch:
            summary.minhash = None  # the index keeps its own reference


def _manifest_problems(corpus: Path, results: list[FileResult]) -> list[Problem]:
    file = shown(corpus / MANIFEST)
    manifest = read_manifest(corpus)
    shape = (
        manifest is not None
        and isinstance(manifest.get("files"), list)
        and all(
            isinstance(f, dict) and {"path", "records", "bytes", "sha256"} <= set(f)
            for f in manifest["files"]
        )
    )
    if manifest is None or not shape:
        what = "missing or not JSON" if manifest is None else "lacks the files list"
        return [Problem("NC-MAN-001", f"manifest is {what}", file)]
    problems: list[Problem] = []
    listed = {f["path"]: f for f in manifest["files"]}
    actual = {f"{DATA_DIR}/{r.path.name}": r for r in results}
    for path in sorted(set(listed) - set(actual)):
        problems.append(Problem("NC-MAN-003", f"lists {path}, which does not exist", file))
    for path in sorted(set(actual) - set(listed)):
        problems.append(Problem("NC-MAN-003", f"does not list {path}", file))
    problems += _stray_files(corpus / DATA_DIR)
    for path in sorted(set(listed) & set(actual)):
        entry, result = listed[path], actual[path]
        for key, value in (
            ("bytes", result.bytes),
            ("sha256", result.sha256),
            ("records", result.lines),
        ):
            if entry[key] != value:
                problems.append(
                    Problem(
                        "NC-MAN-002",
                        f"{path}: {key} is {entry[key]} in the manifest, {value} on disk",
                        file,
                    )
                )
    total = sum(r.lines for r in results)
    if manifest.get("records") != total:
        problems.append(
            Problem(
                "NC-MAN-004",
                f"records is {manifest.get('records')}, the data files hold {total}",
                file,
            )
        )
    if manifest.get("schema_version") != current_schema_version():
        problems.append(
            Problem(
                "NC-MAN-004",
                f"schema_version is "
                f"{manifest.get('schema_version')}, records follow "
                f"{current_schema_version()}",
                file,
            )
        )
    languages = sorted({s.language for r in results for s in r.records})
    if manifest.get("languages") != languages:
        problems.append(
            Problem(
                "NC-MAN-004",
                f"languages is {manifest.get('languages')}, the records are in {languages}",
                file,
            )
        )
    return problems


def _stray_files(data: Path) -> list[Problem]:
    """Anything in the data folder that is not a regular ``.jsonl`` file is never read: say so."""
    if not data.is_dir():
        return []
    return [
        Problem(
            "NC-MAN-003",
            "not a data file: the data folder holds only `shard-*.jsonl` "
            "files written by the build",
            shown(path),
        )
        for path in sorted(data.iterdir())
        if path.suffix != ".jsonl" or path.is_symlink() or not path.is_file()
    ]


def _stale_problems(
    results: list[FileResult], seeds: dict[str, tuple[str, str]], present: set[str]
) -> list[Problem]:
    """Records whose seed is gone or changed, and sound seeds with no record.

    A seed with problems of its own is reported for those and not compared here.
    """
    problems: list[Problem] = []
    recorded: set[str] = set()
    for result in results:
        file = shown(result.path)
        for summary in result.records:
            recorded.add(summary.seed_file)
            seed = seeds.get(summary.seed_file)
            if seed is None and summary.seed_file in present:
                continue
            if seed is None:
                problems.append(
                    Problem(
                        "NC-REC-011",
                        f"no seed {summary.seed_file} in the seeds folder",
                        file,
                        summary.line,
                        ("seed_file",),
                    )
                )
            elif seed[1] != summary.provenance:
                problems.append(
                    Problem(
                        "NC-REC-011",
                        f"seed {seed[0]} or its sidecar changed since the record was built",
                        file,
                        summary.line,
                        ("seed_sha256",),
                    )
                )
    for name in sorted(set(seeds) - recorded):
        problems.append(Problem("NC-REC-011", "seed has no record in the corpus", seeds[name][0]))
    return problems


def select_problems(
    problems: Iterable[Problem], select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[Problem]:
    """Keep problems whose code or tag is selected (all when none is) and not ignored."""
    select, ignore = set(select), set(ignore)

    def names(problem: Problem) -> set[str]:
        return {problem.code, problem.name, *RULES[problem.code].tags}

    return [p for p in problems if (not select or names(p) & select) and not names(p) & ignore]


def validate(
    corpus: Path,
    seeds_dir: Path | None = None,
    *,
    workers: int | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    today: date | None = None,
) -> Report:
    """Run every check; return all findings, sorted, after ``select``/``ignore``."""
    select, ignore = list(select), list(ignore)
    near = select_problems([Problem("NC-REC-010", "", "")], select, ignore) != []
    today = today or datetime.now(UTC).date()
    files = iter_data_files(corpus)
    tasks = [FileTask(path, today, near) for path in files]
    workers = max(1, min(workers or os.cpu_count() or 1, len(tasks)))
    results: list[FileResult] = []
    across = CorpusChecks(near)
    with progress(total=len(tasks), desc="validate", unit="file") as bar, ExitStack() as stack:
        run = map if workers == 1 else stack.enter_context(ProcessPoolExecutor(workers)).map
        for result in run(check_file, tasks):
            results.append(result)
            across.add(result)
            bar.update()
    problems = [p for r in results for p in r.problems]
    problems += across.problems
    problems += _manifest_problems(corpus, results)
    problems += check_release_files(corpus)
    seed_count = None
    if seeds_dir is not None:
        # The seed checks load the whole build pipeline; a corpus-only run never needs it.
        from newscorpus.retractions import continuity_problems
        from newscorpus.validate.seeds_check import check_seeds

        seed_problems, clean, names = check_seeds(seeds_dir, workers or os.cpu_count() or 1)
        problems += seed_problems
        problems += _stale_problems(results, clean, names)
        ids = {summary.id for result in results for summary in result.records}
        problems += continuity_problems(seeds_dir, corpus, ids)
        seed_count = len(names)
    kept = sorted_problems(select_problems(problems, select, ignore))
    return Report(kept, sum(len(r.records) for r in results), len(files), seed_count)
