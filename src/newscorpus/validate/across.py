"""The checks across data files: unique ids, exact and near-duplicate texts, the manifest,
and (with the seeds) records whose seed is gone or changed.

They run in the parent on the workers' columnar summaries, file by file as each worker
finishes, so this work overlaps with the checking of later files.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from newscorpus.corpus import DATA_DIR, MANIFEST, read_manifest
from newscorpus.excerpt import excerpt
from newscorpus.problems import Problem
from newscorpus.schemas import current_schema_version
from newscorpus.seeds import shown
from newscorpus.validate.datafile import FileResult, Summaries
from newscorpus.validate.jsonlines import read_lines
from newscorpus.validate.neardup import (
    NEAR_DUPLICATE_THRESHOLD,
    NUM_BANDS,
    NearDuplicateIndex,
    jaccard,
    sentences,
)


class CorpusChecks:
    """Unique ids, exact duplicate texts and near-duplicates, fed one file's results at a time.

    Memory is what limits this at scale, so a record is kept as little as possible: its id
    and its text's hash as dictionary keys pointing at one int, its position in the corpus;
    the file and line of a position sit in two flat arrays. About 110 bytes a record, and 100
    more for the near-duplicate index (its band keys and a position)."""

    def __init__(self, near_duplicates: bool) -> None:
        self.problems: list[Problem] = []
        self._first_id: dict[str, int] = {}
        self._first_text: dict[bytes, int] = {}
        self._files: list[str] = []
        self._file_of = array("I")  # position -> index into _files
        self._line_of = array("I")  # position -> line
        self._id_of: list[str] = []  # position -> id (the same str objects as the dict keys)
        self._near_position = array("I")  # near-duplicate key -> position
        self._near = NearDuplicateIndex() if near_duplicates else None
        self._paths: list[Path] = []  # file index -> the file, to read candidates' texts again

    def _where(self, position: int) -> str:
        return f"{self._files[self._file_of[position]]}:{self._line_of[position]}"

    def add(self, result: FileResult) -> None:
        file = shown(result.path)
        self._files.append(file)
        self._paths.append(result.path)
        s = result.summaries
        start = len(self._id_of)
        self._file_of.extend([len(self._files) - 1] * len(s))
        self._line_of.extend(s.lines)
        self._id_of += s.ids
        positions = range(start, start + len(s))
        # The common case in a few C calls: no id and no text of this file seen before, or
        # twice in it. Otherwise the loop below finds each repeat and the position it repeats.
        ids = dict(zip(s.ids, positions, strict=True))
        texts = dict(zip(s.text_sha256, positions, strict=True))
        if (
            len(ids) == len(texts) == len(s)
            and self._first_id.keys().isdisjoint(ids)
            and self._first_text.keys().isdisjoint(texts)
        ):
            self._first_id.update(ids)
            self._first_text.update(texts)
            self._index_near(s, range(len(s)))
            return
        batch: list[int] = []  # offsets in this file of records to index for near-duplicates
        for offset, (record_id, text_sha256) in enumerate(zip(s.ids, s.text_sha256, strict=True)):
            position, line = start + offset, s.lines[offset]
            first = self._first_id.setdefault(record_id, position)
            if first != position:
                message = f"id {record_id} already at {self._where(first)}"
                self.problems.append(Problem("NC-REC-002", message, file, line, ("id",)))
            first = self._first_text.setdefault(text_sha256, position)
            if first != position:
                message = f"same text as the record at {self._where(first)}"
                self.problems.append(Problem("NC-REC-009", message, file, line, ("text",)))
                continue  # an exact copy is reported once, not again as a near-duplicate
            batch.append(offset)
        self._index_near(s, batch)

    def _index_near(self, s: Summaries, batch: Sequence[int]) -> None:
        """Index the records at ``batch`` (offsets in the file) for near-duplicates."""
        start = len(self._id_of) - len(s)
        if self._near is not None and s.band_keys:
            keys = s.band_keys
            if len(batch) != len(s):
                keys = array("q")
                for offset in batch:
                    keys += s.band_keys[offset * NUM_BANDS : (offset + 1) * NUM_BANDS]
            self._near.add(keys)
            self._near_position.extend([start + offset for offset in batch])
        s.band_keys = array("q")  # the index keeps what it needs

    def finish(self) -> None:
        """Confirm the near-duplicate candidates on their texts, once every file is in: each
        record is reported once, against the earliest candidate that reaches the threshold.

        Each data file holding a candidate is read once more, and only its candidates' lines
        are parsed; a text is kept as the sorted hashes of its sentences, 8 bytes each. A
        sound corpus has next to no candidates, so this is next to free."""
        if self._near is None:
            return
        near, at = self._near, self._near_position
        # Two passes over the candidates, made as they are read, never kept: the first says
        # which lines to read, the second compares them.
        wanted: dict[int, set[int]] = {}  # file index -> lines
        for later, earlier in near.candidates():
            for key in (later, *earlier):
                position = at[key]
                wanted.setdefault(self._file_of[position], set()).add(self._line_of[position])
        if not wanted:
            self._near = NearDuplicateIndex()  # let the keys go
            return
        # The texts read, in (file, line) order as one number each; the sorted sentence hashes
        # of the i-th are hashes[offsets[i]:offsets[i + 1]]: flat arrays, no object per text.
        keys, offsets, hashes = array("Q"), array("Q", [0]), array("q")
        for index, lines in sorted(wanted.items()):
            found = _sentence_hashes(self._paths[index], lines)
            for line in sorted(found):
                keys.append(index << 32 | line)
                hashes.extend(found[line])
                offsets.append(len(hashes))
        del wanted

        def sentences_at(position: int) -> set[int] | None:
            key = self._file_of[position] << 32 | self._line_of[position]
            i = bisect_left(keys, key)
            if i == len(keys) or keys[i] != key:
                return None
            return set(hashes[offsets[i] : offsets[i + 1]])

        candidates = (
            (at[later], [at[key] for key in earlier]) for later, earlier in near.candidates()
        )
        for later, earlier in candidates:
            b = sentences_at(later)
            for first in earlier:
                a = sentences_at(first)
                if a is None or b is None:  # the file changed or went while being checked
                    shown_score = "perhaps"
                elif (score := jaccard(a, b)) >= NEAR_DUPLICATE_THRESHOLD:
                    shown_score = f"{score:.0%}"
                else:
                    continue
                self.problems.append(
                    Problem(
                        "NC-REC-010",
                        f"{shown_score} similar to {self._id_of[first]} at {self._where(first)}",
                        self._files[self._file_of[later]],
                        self._line_of[later],
                        ("text",),
                    )
                )
                break
        self._near = NearDuplicateIndex()  # let the keys go


def _sentence_hashes(path: Path, lines: set[int]) -> dict[int, array[int]]:
    """The sorted hashes of the sentences of the texts on ``lines`` of a data file (Python's
    own 64-bit hash, the same within one process: two distinct sentences share one with odds
    of one in 2**64)."""
    found: dict[int, array[int]] = {}
    try:
        with open(path, "rb") as handle:
            for raw in read_lines(handle):
                if raw.number not in lines:
                    continue
                try:
                    record = orjson.loads(raw.data)
                except orjson.JSONDecodeError:
                    continue
                if type(record) is dict and type(text := record.get("text")) is str:
                    hashes = set(map(hash, sentences(text.encode("utf-8"))))
                    found[raw.number] = array("q", sorted(hashes))
    except OSError:
        pass
    return found


# The type of each field of a manifest's file entry, and of the manifest's own fields.
_ENTRY_FIELDS: dict[str, type] = {"path": str, "records": int, "bytes": int, "sha256": str}
_TOP_FIELDS: dict[str, type] = {
    "corpus_version": str,
    "schema_version": str,
    "records": int,
    "languages": list,
}
_KINDS = {str: "a string", int: "a whole number", list: "a list", dict: "an object"}


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if type(value) is bool:
        return "true or false"
    return _KINDS.get(type(value), "a number" if isinstance(value, float) else type(value).__name__)


def _shown_value(value: object) -> str:
    """A manifest's value in a message: as it is when short and plain (a path, a digest, a
    count), else an excerpt."""
    text = str(value)
    if type(value) in (str, int, list) and len(text) <= 80 and text.isprintable():
        return text
    return excerpt(value)


def _shape_problems(manifest: dict[str, Any], file: str) -> list[Problem]:
    """Every field of the manifest of the wrong type: the build writes each as the schema of
    the manifest says, so any other is a hand edit or damage, and nothing else can be checked
    against a manifest that does not say what it means."""
    problems = []

    def wrong(where: str, value: object, wanted: type) -> None:
        message = f"{where} is {_kind(value)} ({excerpt(value)}), not {_KINDS[wanted]}"
        problems.append(Problem("NC-MAN-001", message, file))

    for key, wanted in _TOP_FIELDS.items():
        if key in manifest and type(manifest[key]) is not wanted:
            wrong(key, manifest[key], wanted)
    languages = manifest.get("languages")
    if type(languages) is list and not all(type(x) is str for x in languages):
        problems.append(Problem("NC-MAN-001", "languages holds a value that is not a string", file))
    files = manifest.get("files")
    if type(files) is not list:
        problems.append(Problem("NC-MAN-001", "manifest lacks the files list", file))
        return problems
    for index, entry in enumerate(files):
        if type(entry) is not dict:
            wrong(f"files[{index}]", entry, dict)
            continue
        for key, wanted in _ENTRY_FIELDS.items():
            if key not in entry:
                problems.append(Problem("NC-MAN-001", f"files[{index}] lacks {key}", file))
            elif type(entry[key]) is not wanted:
                wrong(f"files[{index}].{key}", entry[key], wanted)
    return problems


def manifest_problems(
    corpus: Path, results: list[FileResult], manifest: dict[str, Any] | None = None
) -> list[Problem]:
    """The manifest against the data files checked (``manifest``: the one already read, so
    that the files and the manifest they are held to come from the same moment)."""
    file = shown(corpus / MANIFEST)
    manifest = manifest if manifest is not None else read_manifest(corpus)
    if manifest is None:
        return [Problem("NC-MAN-001", "manifest is missing or not JSON", file)]
    shape = _shape_problems(manifest, file)
    if shape:
        return shape
    problems: list[Problem] = []
    listed: dict[str, dict[str, Any]] = {}
    for entry in manifest["files"]:
        if entry["path"] in listed:
            message = f"lists {_shown_value(entry['path'])} twice"
            problems.append(Problem("NC-MAN-003", message, file))
        listed[entry["path"]] = entry
    actual = {f"{DATA_DIR}/{r.path.name}": r for r in results}
    for path in sorted(set(listed) - set(actual)):
        problems.append(
            Problem("NC-MAN-003", f"lists {_shown_value(path)}, which does not exist", file)
        )
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
                        f"{path}: {key} is {_shown_value(entry[key])} in the manifest, "
                        f"{value} on disk",
                        file,
                    )
                )
    total = sum(r.lines for r in results)
    if manifest.get("records") != total:
        problems.append(
            Problem(
                "NC-MAN-004",
                f"records is {_shown_value(manifest.get('records'))}, the data files hold {total}",
                file,
            )
        )
    if manifest.get("schema_version") != current_schema_version():
        problems.append(
            Problem(
                "NC-MAN-004",
                f"schema_version is "
                f"{_shown_value(manifest.get('schema_version'))}, records follow "
                f"{current_schema_version()}",
                file,
            )
        )
    languages = sorted({language for r in results for language in r.languages})
    if manifest.get("languages") != languages:
        problems.append(
            Problem(
                "NC-MAN-004",
                f"languages is {_shown_value(manifest.get('languages'))}, "
                f"the records are in {languages}",
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


def stale_problems(
    results: list[FileResult], seeds: dict[str, tuple[str, str]], present: set[str]
) -> list[Problem]:
    """Records whose seed is gone or changed, and sound seeds with no record.

    A seed with problems of its own is reported for those and not compared here.
    """
    problems: list[Problem] = []
    recorded: set[str] = set()
    for result in results:
        file = shown(result.path)
        s = result.summaries
        for seed_file, line, provenance in zip(s.seed_files, s.lines, s.provenance, strict=True):
            recorded.add(seed_file)
            seed = seeds.get(seed_file)
            if seed is None and seed_file in present:
                continue
            if seed is None:
                problems.append(
                    Problem(
                        "NC-REC-011",
                        f"no seed {seed_file} in the seeds folder",
                        file,
                        line,
                        ("seed_file",),
                    )
                )
            elif seed[1] != provenance:
                problems.append(
                    Problem(
                        "NC-REC-011",
                        f"seed {seed[0]} or its sidecar changed since the record was built",
                        file,
                        line,
                        ("seed_sha256",),
                    )
                )
    for name in sorted(set(seeds) - recorded):
        problems.append(Problem("NC-REC-011", "seed has no record in the corpus", seeds[name][0]))
    return problems
