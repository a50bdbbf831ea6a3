"""Releases: permanent files that say what each corpus version held, and the rules of bumping.

A release writes ``corpus/releases/<version>.json``: the version, the date, the record schema
version, every record id with the sha256 of its JSONL line, the retractions so far, and the
sha256 of the previous release file. The file is never edited again: it carries the sha256 of
its own content, each release chains to the one before, and in a git checkout the file must
still equal the version that first committed it. None is ever deleted: the one the manifest
names, one a later release chains to, and (in a checkout) one git ever committed must all be
in place (see ``release_git``). The corpus version in the manifest is always the latest
release's (see ``versions``).

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

from newscorpus.corpus import MANIFEST, iter_data_files, read_manifest
from newscorpus.problems import Problem
from newscorpus.release_git import ReleaseHistory, release_history
from newscorpus.seeds import shown
from newscorpus.versions import (
    RELEASES_DIR,
    SEMVER,
    UNRELEASED,
    parse_version,
    released_versions,
)

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
    """A release or diff cannot be made; the message says why and what to do.

    When the cause is bad input (an unreadable release file, a damaged data line) it carries
    the findings, so the command reports them like ``validate`` does: file, line, rule code."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    @classmethod
    def finding(cls, problem: Problem) -> ReleaseError:
        return cls("stopped: fix the problem above and run the command again", [problem])


def content_sha256(document: dict[str, Any]) -> str:
    """The sha256 of a release document without its own ``content_sha256`` key."""
    body = {k: v for k, v in document.items() if k != "content_sha256"}
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def release_path(corpus: Path, version: str) -> Path:
    return corpus / RELEASES_DIR / f"{version}.json"


def not_a_file(path: Path) -> str | None:
    """Why ``path`` cannot be a release file (a directory, a link...), or None if it can."""
    if path.is_symlink():
        target = "a dangling symbolic link" if not path.exists() else "a symbolic link"
        return f"{target}, not a regular file"
    if path.is_dir():
        return "a directory, not a regular file"
    if path.exists() and not path.is_file():
        return "not a regular file"
    return None


def load_release(corpus: Path, version: str) -> Release:
    path = release_path(corpus, version)
    wrong = not_a_file(path)
    if wrong:
        raise ReleaseError.finding(Problem("NC-REL-007", wrong, shown(path)))
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
        problem = Problem("NC-REL-002", f"cannot be read as a release file ({error})", shown(path))
        raise ReleaseError.finding(problem) from None


def latest_release(corpus: Path) -> Release | None:
    versions = released_versions(corpus)
    return load_release(corpus, versions[-1]) if versions else None


def iter_records(corpus: Path) -> Iterator[tuple[dict[str, Any], bytes]]:
    """(record, its line) for every record of the corpus; a damaged line is a finding."""
    for path in iter_data_files(corpus):
        with open(path, "rb") as handle:
            for number, line in enumerate(handle, start=1):
                body = line.rstrip(b"\n")
                yield parse_record(body, shown(path), number), body


def parse_record(line: bytes, file: str, number: int) -> dict[str, Any]:
    """One data line as a record with a string id, or a ``ReleaseError`` naming the line."""
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problem = Problem("NC-JSON-003", "the line is not valid UTF-8", file, number)
        else:
            problem = Problem("NC-JSON-001", f"the line is not JSON ({error})", file, number)
        raise ReleaseError.finding(problem) from None
    if not isinstance(record, dict):
        problem = Problem("NC-JSON-002", "the line is not a JSON object", file, number)
        raise ReleaseError.finding(problem)
    if not isinstance(record.get("id"), str):
        problem = Problem("NC-REC-001", "the record has no string id", file, number, ("id",))
        raise ReleaseError.finding(problem)
    return record


def record_hashes(corpus: Path) -> dict[str, str]:
    """id -> sha256 of its JSONL line, for every record of the corpus."""
    return {record["id"]: hashlib.sha256(line).hexdigest() for record, line in iter_records(corpus)}


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
    """Every release file is a readable regular file, unedited, chained to the one before it,
    and none is missing: not the one the manifest names, not one a later release chains to,
    not one git ever committed."""
    history = release_history(corpus)
    versions = released_versions(corpus)
    problems: list[Problem] = []
    wanted: dict[str, str] = {}  # missing version -> who names it
    previous: tuple[str, bytes] | None = None
    for version in versions:
        path = release_path(corpus, version)
        file = shown(path)
        wrong = not_a_file(path)
        if wrong:
            problems.append(Problem("NC-REL-007", wrong, file))
            previous = None
            continue
        try:
            data = path.read_bytes()
            raw = orjson.loads(data)
            load_release(corpus, version)
        except OSError as error:
            problems.append(Problem("NC-REL-002", f"cannot be read ({error.strerror})", file))
            previous = None
            continue
        except (orjson.JSONDecodeError, ReleaseError) as error:
            message = (
                error.problems[0].message
                if isinstance(error, ReleaseError)
                else f"cannot be read as a release file: not a whole JSON document ({error})"
            )
            problems.append(Problem("NC-REL-002", message, file))
            previous = (version, data)
            continue
        named = raw.get("previous")
        gap = isinstance(named, str) and SEMVER.match(named) and named not in versions
        if gap:
            wanted.setdefault(named, f"release {version} chains to it")
        if raw.get("content_sha256") != content_sha256(raw) or raw.get("version") != version:
            problems.append(
                Problem(
                    "NC-REL-001",
                    "the release file was edited after the "
                    "release: its content no longer matches its sha256",
                    file,
                )
            )
        elif not gap and previous and (
            named != previous[0]
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
        committed = history.first_bytes(version) if history else None
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
    declared = manifest_version(corpus)
    if declared is not None and declared != UNRELEASED and declared not in versions:
        wanted.setdefault(declared, f"{shown(corpus / MANIFEST)} names it as the corpus version")
    for version in sorted(history.added if history else (), key=parse_version):
        if version not in versions:
            wanted.setdefault(version, "git history holds it")
    for version in sorted(wanted, key=parse_version):
        problems.append(_missing(corpus, version, wanted[version], history))
    return problems


def manifest_version(corpus: Path) -> str | None:
    """The corpus version the manifest on disk names, if it names one (the manifest's own
    defects are the manifest checks' to report)."""
    try:
        manifest = read_manifest(corpus)
    except OSError:
        return None
    value = manifest.get("corpus_version") if manifest else None
    return value if isinstance(value, str) and SEMVER.match(value) else None


def _missing(corpus: Path, version: str, why: str, history: ReleaseHistory | None) -> Problem:
    if history and version in history.added:
        fix = f"restore it: `{history.restore_command(version)}`"
    else:
        fix = (
            "restore it from git or a copy of the repository; release files are never deleted, "
            "and its version number is never used again"
        )
    path = release_path(corpus, version)
    return Problem("NC-REL-006", f"release {version} is missing ({why}); {fix}", shown(path))


def released_records(corpus: Path, release: Release) -> dict[str, dict[str, Any]] | None:
    """The full records of a release, from the git commit that made it; None without git."""
    history = release_history(corpus)
    commit = history.added.get(release.version) if history else None
    if history is None or commit is None:
        return None
    prefix = "" if history.corpus == "." else f"{history.corpus}/"
    records: dict[str, dict[str, Any]] = {}
    for name in release.files:
        data = history.show(commit, f"{prefix}{name}")
        if data is None:
            return None
        label = f"{prefix}{name} in commit {commit[:12]}"
        for number, line in enumerate(data.splitlines(), start=1):
            record = parse_record(line, label, number)
            records[record["id"]] = record
    return records


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [name for name in new if old.get(name) != new.get(name)]


def current_records(corpus: Path, ids: set[str]) -> dict[str, dict[str, Any]]:
    """The records of the working corpus with the given ids."""
    return {record["id"]: record for record, _ in iter_records(corpus) if record["id"] in ids}


def base_version(release: Release | None) -> str:
    return release.version if release else UNRELEASED
