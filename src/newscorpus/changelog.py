"""The changelog entry of a release, generated, with room for a human summary.

The entry follows Keep a Changelog: ``## [X.Y.Z] - YYYY-MM-DD``, then the human summary (a
comment to replace), the records added, changed (with the fields that changed, when the
previous release's records can be read from git) and removed (with the retraction reason),
then whatever the ``[Unreleased]`` section held, which the release ships.
"""

from __future__ import annotations

import re
from typing import Any

from newscorpus.releases import Change

CHANGELOG = "CHANGELOG.md"  # at the root of the corpus repository
_UNRELEASED = re.compile(r"^## \[Unreleased\][^\n]*\n", re.MULTILINE)
_NEXT_SECTION = re.compile(r"^## \[", re.MULTILINE)


def has_entry(changelog: str, version: str) -> bool:
    """Whether the changelog has a release entry ``## [version]``."""
    return re.search(rf"^## \[{re.escape(version)}\]", changelog, re.MULTILINE) is not None


def _title(record: dict[str, Any] | None) -> str:
    return f": {record['title']}" if record else ""


def release_entry(
    version: str,
    date: str,
    change: Change,
    now: dict[str, dict[str, Any]],
    before: dict[str, dict[str, Any]] | None,
    reasons: dict[str, str],
) -> str:
    """The Markdown of one release entry, without the ``[Unreleased]`` notes."""
    lines = [
        f"## [{version}] - {date}",
        "",
        "<!-- Summary: replace this line with what the release means for users. -->",
        "",
    ]
    if change.added:
        lines += [f"### Added records ({len(change.added)})", ""]
        lines += [f"- `{i}`{_title(now.get(i))}" for i in change.added] + [""]
    if change.changed:
        lines += [f"### Changed records ({len(change.changed)})", ""]
        for record_id in change.changed:
            fields = ""
            if before is not None and record_id in before and record_id in now:
                names = [n for n in now[record_id] if before[record_id].get(n) != now[record_id][n]]
                fields = f" (fields: {', '.join(names)})"
            lines.append(f"- `{record_id}`{_title(now.get(record_id))}{fields}")
        lines.append("")
    if change.removed:
        lines += [f"### Removed records ({len(change.removed)})", ""]
        lines += [
            f"- `{i}`: retracted, {reasons.get(i, 'no reason recorded')}" for i in change.removed
        ] + [""]
    return "\n".join(lines)


def insert_entry(changelog: str, entry: str) -> str:
    """Put ``entry`` first among the releases, moving the ``[Unreleased]`` notes into it."""
    match = _UNRELEASED.search(changelog)
    if match is None:
        head, rest = changelog.rstrip("\n") + "\n\n", ""
        return f"{head}## [Unreleased]\n\n{entry}\n{rest}"
    following = _NEXT_SECTION.search(changelog, match.end())
    end = following.start() if following else len(changelog)
    notes = changelog[match.end() : end].strip("\n")
    shipped = f"{entry}\n{notes}\n\n" if notes else f"{entry}\n"
    return f"{changelog[: match.end()]}\n{shipped}{changelog[end:]}".rstrip("\n") + "\n"
