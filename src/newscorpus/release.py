"""Making a release: work out what changed, refuse a bump too small for it, write it down.

``plan_release`` compares the built corpus with the latest release and decides the new
version; ``write_release`` writes the permanent release file. The command line then rebuilds
(so the manifest, data package, Croissant file and card carry the new version) and prepends
the changelog entry from ``changelog``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from newscorpus.corpus import iter_data_files, write_file
from newscorpus.releases import (
    BUMPS,
    Change,
    Release,
    ReleaseError,
    base_version,
    bump,
    compare,
    latest_release,
    record_hashes,
    release_path,
    required_bump,
)
from newscorpus.retractions import Retraction, read_retractions
from newscorpus.schemas import current_schema_version


@dataclass(frozen=True, slots=True)
class ReleasePlan:
    previous: Release | None
    version: str
    change: Change
    required: str
    hashes: dict[str, str]
    retractions: dict[str, Retraction]


def plan_release(corpus: Path, seeds: Path, requested: str) -> ReleasePlan:
    """Decide the next version, or raise ``ReleaseError`` saying why there is none."""
    previous = latest_release(corpus)
    hashes = record_hashes(corpus)
    change = compare(previous.records if previous else {}, hashes)
    retractions = read_retractions(seeds)
    if isinstance(retractions, list):
        raise ReleaseError("; ".join(str(p) for p in retractions))
    unexplained = [i for i in change.removed if i not in retractions]
    if unexplained:
        raise ReleaseError(
            f"{len(unexplained)} released record(s) disappeared without a retraction: "
            f"{', '.join(unexplained[:5])}; restore their seeds, or add them to "
            "seeds/retractions.yaml with a reason"
        )
    required = required_bump(
        change, previous.schema_version if previous else None, current_schema_version()
    )
    if required is None:
        raise ReleaseError(
            f"nothing to release: the corpus is what release {base_version(previous)} holds"
        )
    if BUMPS.index(requested) < BUMPS.index(required):
        if required == "major":
            why = f"{len(change.removed)} record(s) removed or a breaking schema change"
        elif required == "minor":
            why = f"{len(change.added)} record(s) added"
        else:
            why = f"{len(change.changed)} record(s) changed"
        raise ReleaseError(
            f"refused: {why} since {base_version(previous)} call for at least a {required} "
            f"release; --bump {requested} is too small (use --bump {required})"
        )
    version = bump(base_version(previous), requested)
    return ReleasePlan(previous, version, change, required, hashes, retractions)


def write_release(corpus: Path, plan: ReleasePlan, date: str) -> Path:
    """Write the permanent release file for ``plan``; refuse to overwrite one."""
    path = release_path(corpus, plan.version)
    if path.exists():
        raise ReleaseError(f"{path} already exists: releases are never rewritten")
    previous = plan.previous
    retracted = dict(previous.retracted) if previous else {}
    retracted.update({i: plan.retractions[i].reason for i in plan.change.removed})
    release = Release(
        version=plan.version,
        date=date,
        schema_version=current_schema_version(),
        previous=previous.version if previous else None,
        previous_sha256=(
            hashlib.sha256(release_path(corpus, previous.version).read_bytes()).hexdigest()
            if previous
            else None
        ),
        files=[p.relative_to(corpus).as_posix() for p in iter_data_files(corpus)],
        records=plan.hashes,
        retracted=retracted,
    )
    write_file(path, release.to_json())
    return path
