"""``newscorpus diff``: what changed between two releases, or a release and the working corpus.

Release files hold a hash per record, which says *whether* a record changed. Which fields
changed needs the records themselves: the working corpus has them, and a release's are read
from the git commit that made the release. Without git the diff still lists ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from newscorpus.releases import (
    Change,
    ReleaseError,
    changed_fields,
    check_release_files,
    compare,
    current_records,
    load_release,
    record_hashes,
    released_records,
)
from newscorpus.versions import SEMVER, released_versions

WORKING = "working"


@dataclass(frozen=True, slots=True)
class Diff:
    old: str
    new: str
    change: Change
    fields: dict[str, list[str] | None]  # changed id -> fields, or None when unknown
    titles: dict[str, str]


def _side(corpus: Path, label: str) -> tuple[dict[str, str], dict[str, dict[str, Any]] | None]:
    """(id -> record hash, id -> record or None) for a release or the working corpus."""
    if label == WORKING:
        return record_hashes(corpus), None
    if not SEMVER.match(label) or label not in released_versions(corpus):
        known = ", ".join(released_versions(corpus)) or "none yet"
        raise ReleaseError(f"no release {label!r} (releases: {known}; or `{WORKING}`)")
    release = load_release(corpus, label)
    records = released_records(corpus, release)
    if records is None:
        # Not in git (yet): the working corpus still has every record whose hash is unchanged.
        current = record_hashes(corpus)
        same = {i for i, h in release.records.items() if current.get(i) == h}
        records = current_records(corpus, same) if same == set(release.records) else None
    return release.records, records


def diff_versions(corpus: Path, old: str, new: str = WORKING) -> Diff:
    problems = check_release_files(corpus)
    if problems:  # a diff against a release that is not as released would mislead
        raise ReleaseError("the release files need fixing first", problems)
    old_hashes, old_records = _side(corpus, old)
    new_hashes, new_records = _side(corpus, new)
    change = compare(old_hashes, new_hashes)
    wanted = set(change.added) | set(change.changed)
    if new == WORKING:
        new_records = current_records(corpus, wanted | set(change.removed))
    fields: dict[str, list[str] | None] = {}
    for record_id in change.changed:
        if old_records is not None and new_records is not None:
            fields[record_id] = changed_fields(old_records[record_id], new_records[record_id])
        else:
            fields[record_id] = None
    titles = {}
    for source in (old_records or {}, new_records or {}):
        titles.update(
            {i: r["title"] for i, r in source.items() if i in wanted or i in change.removed}
        )
    return Diff(old, new, change, fields, titles)


def format_diff(diff: Diff, fmt: str) -> str:
    if fmt == "json":
        document = {
            "old": diff.old,
            "new": diff.new,
            "added": diff.change.added,
            "changed": [{"id": i, "fields": diff.fields[i]} for i in diff.change.changed],
            "removed": diff.change.removed,
        }
        return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"
    change = diff.change
    lines = [
        f"{diff.old} -> {diff.new}: {len(change.added)} added, {len(change.changed)} "
        f"changed, {len(change.removed)} removed"
    ]

    def title(record_id: str) -> str:
        return f"  {diff.titles[record_id]}" if record_id in diff.titles else ""

    lines += [f"+ {i}{title(i)}" for i in change.added]
    for record_id in change.changed:
        names = diff.fields[record_id]
        what = ", ".join(names) if names else "fields unknown: no git history of the release"
        lines.append(f"~ {record_id}{title(record_id)}  [{what}]")
    lines += [f"- {i}{title(i)}" for i in change.removed]
    return "\n".join(lines) + "\n"
