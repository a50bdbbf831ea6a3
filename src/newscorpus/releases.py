"""Releases: permanent files that say what each corpus version held, and the rules of bumping.

A release writes ``corpus/releases/<version>.json``: the version, the date, the record schema
version, every record id with the sha256 of its JSONL line, the retractions so far, and the
sha256 of the previous release file. The file is never edited again: it carries the sha256 of
its own content, each release chains to the one before, and in a git checkout the file must
still equal the version that first committed it. The corpus version in the manifest is always
the latest release's (see ``versions``).

Bumps follow the Data Package version recipe: a patch corrects existing records or metadata,
a minor adds records, a major removes records or changes the schema in a way old records do
not follow. ``required_bump`` works out the least a change needs; a smaller bump is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from newscorpus.corpus import iter_data_files
from newscorpus.problems import Problem
from newscorpus.seeds import shown
from newscorpus.versions import RELEASES_DIR, UNRELEASED, parse_version, released_versions

BUMPS = ("patch", "minor", "major")


@dataclass(frozen=True, slots=True)
class Release:
    version: str
    date: str
    schema_version: str
    previous: str | None
    previous_sha256: str | None
    files: list[str]
    records: dict[str, str]  # id -> sha256 of the record's JSONL line
    retracted: dict[str, str] = field(default_factory=dict)  # id -> reason, all so far

    def document(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "date": self.date,
            "schema_version": self.schema_version,
            "previous": self.previous,
            "previous_sha256": self.previous_sha256,
            "record_count": len(self.records),
            "files": self.files,
            "records": dict(sorted(self.records.items())),
            "retracted": dict(sorted(self.retracted.items())),
        }

    def to_json(self) -> bytes:
        document = self.document()
        document["content_sha256"] = content_sha256(document)
        return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


@dataclass(frozen=True, slots=True)
class Change:
    """What differs between two sets of record hashes."""

    added: list[str]
    changed: list[str]
    removed: list[str]

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


class ReleaseError(Exception):
    """A release or diff cannot be made; the message says why and what to do."""


def content_sha256(document: dict[str, Any]) -> str:
    """The sha256 of a release document without its own ``content_sha256`` key."""
    body = {k: v for k, v in document.items() if k != "content_sha256"}
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def release_path(corpus: Path, version: str) -> Path:
    return corpus / RELEASES_DIR / f"{version}.json"


def load_release(corpus: Path, version: str) -> Release:
    path = release_path(corpus, version)
    try:
        raw = orjson.loads(path.read_bytes())
        return Release(
            raw["version"],
            raw["date"],
            raw["schema_version"],
            raw["previous"],
            raw["previous_sha256"],
            list(raw["files"]),
            dict(raw["records"]),
            dict(raw["retracted"]),
        )
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise ReleaseError(f"{shown(path)} cannot be read as a release file ({error})") from None


def latest_release(corpus: Path) -> Release | None:
    versions = released_versions(corpus)
    return load_release(corpus, versions[-1]) if versions else None


def iter_record_lines(corpus: Path) -> Iterator[tuple[str, bytes]]:
    """(path relative to the corpus, line without newline) for every record, in id order."""
    for path in iter_data_files(corpus):
        relative = path.relative_to(corpus).as_posix()
        with open(path, "rb") as handle:
            for line in handle:
                yield relative, line.rstrip(b"\n")


def record_hashes(corpus: Path) -> dict[str, str]:
    """id -> sha256 of its JSONL line, for every record of the corpus."""
    hashes: dict[str, str] = {}
    for _, line in iter_record_lines(corpus):
        record_id = orjson.loads(line)["id"]
        hashes[record_id] = hashlib.sha256(line).hexdigest()
    return hashes


def compare(old: dict[str, str], new: dict[str, str]) -> Change:
    return Change(
        added=sorted(set(new) - set(old)),
        changed=sorted(i for i in set(old) & set(new) if old[i] != new[i]),
        removed=sorted(set(old) - set(new)),
    )


def required_bump(change: Change, old_schema: str | None, new_schema: str) -> str | None:
    """The smallest bump the change needs, or None when there is nothing to release."""
    if change.removed or (
        old_schema and parse_version(new_schema)[0] != parse_version(old_schema)[0]
    ):
        return "major"
    if change.added:
        return "minor"
    if change.changed or (old_schema and old_schema != new_schema):
        return "patch"
    return None


def bump(version: str, kind: str) -> str:
    major, minor, patch = parse_version(version)
    if kind == "major":
        return f"{major + 1}.0.0"
    if kind == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def check_release_files(corpus: Path) -> list[Problem]:
    """Every release file is readable, unedited and chained to the one before it."""
    problems: list[Problem] = []
    previous: tuple[str, bytes] | None = None
    for version in released_versions(corpus):
        path = release_path(corpus, version)
        file = shown(path)
        data = path.read_bytes()
        try:
            raw = orjson.loads(data)
            load_release(corpus, version)
        except (orjson.JSONDecodeError, ReleaseError) as error:
            problems.append(Problem("NC-REL-002", str(error), file))
            previous = (version, data)
            continue
        if raw.get("content_sha256") != content_sha256(raw) or raw.get("version") != version:
            problems.append(
                Problem(
                    "NC-REL-001",
                    "the release file was edited after the "
                    "release: its content no longer matches its sha256",
                    file,
                )
            )
        elif previous and (
            raw.get("previous") != previous[0]
            or raw.get("previous_sha256") != hashlib.sha256(previous[1]).hexdigest()
        ):
            problems.append(
                Problem(
                    "NC-REL-001",
                    f"the chain to release {previous[0]} is "
                    "broken: an earlier release file was edited",
                    file,
                )
            )
        committed = _first_committed(path)
        if committed is not None and committed != data:
            problems.append(
                Problem(
                    "NC-REL-001",
                    "differs from the version first committed "
                    "to git: release files are never edited",
                    file,
                )
            )
        previous = (version, data)
    return problems


def _git(cwd: Path, *args: str) -> bytes | None:
    import subprocess  # only when there are release files to compare: not at every start-up

    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def _first_committed(path: Path) -> bytes | None:
    """The bytes of ``path`` in the commit that added it, when it is tracked by git."""
    folder = path.parent
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    relative = path.resolve().relative_to(Path(top.decode().strip()).resolve()).as_posix()
    commits = _git(folder, "log", "--diff-filter=A", "--format=%H", "--", relative)
    if not commits or not commits.split():
        return None
    first = commits.split()[-1].decode()
    return _git(folder, "show", f"{first}:{relative}")


def released_records(corpus: Path, release: Release) -> dict[str, dict[str, Any]] | None:
    """The full records of a release, from the git commit that made it; None without git."""
    path = release_path(corpus, release.version)
    top = _git(path.parent, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    root = Path(top.decode().strip()).resolve()
    relative = path.resolve().relative_to(root).as_posix()
    commits = _git(root, "log", "--diff-filter=A", "--format=%H", "--", relative)
    if not commits or not commits.split():
        return None
    commit = commits.split()[-1].decode()
    corpus_relative = corpus.resolve().relative_to(root).as_posix()
    records: dict[str, dict[str, Any]] = {}
    for name in release.files:
        data = _git(root, "show", f"{commit}:{corpus_relative}/{name}")
        if data is None:
            return None
        for line in data.splitlines():
            record = orjson.loads(line)
            records[record["id"]] = record
    return records


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [name for name in new if old.get(name) != new.get(name)]


def current_records(corpus: Path, ids: set[str]) -> dict[str, dict[str, Any]]:
    """The records of the working corpus with the given ids."""
    found: dict[str, dict[str, Any]] = {}
    for _, line in iter_record_lines(corpus):
        record = orjson.loads(line)
        if record["id"] in ids:
            found[record["id"]] = record
    return found


def base_version(release: Release | None) -> str:
    return release.version if release else UNRELEASED
