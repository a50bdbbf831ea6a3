"""Version numbers: semantic versions of the corpus, read from its release files."""

from __future__ import annotations

import re
from pathlib import Path

import orjson

SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
UNRELEASED = "0.0.0"
RELEASES_DIR = "releases"


def parse_version(value: str) -> tuple[int, int, int]:
    match = SEMVER.match(value)
    if not match:
        raise ValueError(f"not a version MAJOR.MINOR.PATCH: {value!r}")
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


def released_versions(corpus_dir: Path) -> list[str]:
    """Versions with a release file under ``corpus_dir/releases``, oldest first."""
    folder = corpus_dir / RELEASES_DIR
    if not folder.is_dir():
        return []
    found = [p.stem for p in folder.glob("*.json") if SEMVER.match(p.stem)]
    return sorted(found, key=parse_version)


def corpus_version(corpus_dir: Path) -> str:
    """The corpus's version: its latest release, or 0.0.0 for a corpus never released."""
    versions = released_versions(corpus_dir)
    return versions[-1] if versions else UNRELEASED


def release_date(corpus_dir: Path, version: str) -> str | None:
    """The date (YYYY-MM-DD) a version was released, from its release file; None if unreleased.

    Published metadata (``created``, ``datePublished``) uses this date, never the build's clock,
    so that rebuilding a release reproduces it byte for byte.
    """
    path = corpus_dir / RELEASES_DIR / f"{version}.json"
    if path.is_symlink() or not path.is_file():
        return None
    try:
        value = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None  # the release checks report the file
    date = value.get("date") if isinstance(value, dict) else None
    return date if isinstance(date, str) else None
