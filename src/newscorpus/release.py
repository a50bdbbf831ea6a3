"""Making a release: work out what changed, refuse a bump too small for it, write it down.

A release is three steps: the permanent release file, a rebuild (so the manifest, data
package, Croissant file and card carry the new version), then the changelog entry. Each step
is atomic, and the release file, written first, holds everything the other two are made
from. So a release stopped between steps (a kill, a power cut) is *pending*: its file exists
but the manifest or the changelog does not show it yet, and running the same `release`
command again finishes it, reaching the very bytes an uninterrupted release writes. Ctrl-C
and SIGTERM wait until the steps are done.

A version number is given once: a number that git ever tagged or committed a release file
for, or that the changelog already has an entry for, is never released again.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newscorpus.build import build, check
from newscorpus.changelog import CHANGELOG, has_entry, insert_entry, release_entry
from newscorpus.corpus import DATA_DIR, iter_data_files, write_file
from newscorpus.interrupts import deferred_signals, note_committed
from newscorpus.lock import corpus_lock
from newscorpus.release_git import ReleaseHistory, release_history
from newscorpus.releases import (
    BUMPS,
    Change,
    Release,
    ReleaseError,
    base_version,
    bump,
    check_release_files,
    compare,
    current_records,
    latest_release,
    load_release,
    manifest_version,
    record_hashes,
    release_path,
    released_records,
    required_bump,
)
from newscorpus.retractions import Retraction, read_retractions
from newscorpus.schemas import current_schema_version
from newscorpus.seeds import shown
from newscorpus.versions import RELEASES_DIR

if TYPE_CHECKING:
    from newscorpus.build import Derive

_TEMPORARY = re.compile(
    rf"^\.(?:(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.json|{re.escape(CHANGELOG)})"
    r"\.[0-9a-z_]{6,}$"
)


@dataclass(frozen=True, slots=True)
class ReleasePlan:
    previous: Release | None
    version: str
    change: Change
    required: str
    hashes: dict[str, str]
    retractions: dict[str, Retraction]


@dataclass(frozen=True, slots=True)
class Released:
    """What a `release` run did: the release, and whether it finished an interrupted one."""

    release: Release
    change: Change
    path: Path
    finished: bool


_LATEST = object()


def plan_release(
    corpus: Path, seeds: Path, requested: str, previous: Any = _LATEST
) -> ReleasePlan:
    """Decide the next version, or raise ``ReleaseError`` saying why there is none.

    The release follows the latest one, or ``previous`` (a ``Release`` or None) when an
    unfinished release is made anew."""
    if previous is _LATEST:
        previous = latest_release(corpus)
    hashes = record_hashes(corpus)
    change = compare(previous.records if previous else {}, hashes)
    retractions = read_retractions(seeds)
    if isinstance(retractions, list):
        raise ReleaseError("; ".join(str(p) for p in retractions), retractions)
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


def version_taken(root: Path, version: str, history: ReleaseHistory | None) -> str | None:
    """Why ``version`` was already released (so can never be again), or None."""
    if history is not None and version in history.added:
        return f"git history holds its release file (commit {history.added[version][:12]})"
    if history is not None and history.tagged(version):
        return f"git has the tag v{version}"
    changelog = root / CHANGELOG
    if changelog.is_file() and has_entry(changelog.read_text(encoding="utf-8"), version):
        return f"{CHANGELOG} has an entry for it"
    return None


def write_release(corpus: Path, plan: ReleasePlan, date: str, *, anew: bool = False) -> Path:
    """Write the permanent release file for ``plan``; refuse to overwrite one, unless
    ``anew``: the file is an unfinished release's, never released, being made again."""
    path = release_path(corpus, plan.version)
    if not anew and (path.exists() or path.is_symlink()):
        raise ReleaseError(f"{shown(path)} already exists: releases are never rewritten")
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


def _sweep(root: Path, corpus: Path) -> None:
    """Remove the temporaries of a release killed while writing its file or the changelog
    (``write_file`` writes ``.<name>.<random>`` beside its file, then renames it into place).
    Only a release writes these two, and it holds the corpus lock, so none is in use."""
    folder = corpus / RELEASES_DIR
    found = list(folder.glob(".*.json.*")) if folder.is_dir() else []
    found += root.glob(f".{CHANGELOG}.*")
    for path in found:
        name = path.name
        if _TEMPORARY.match(name) and path.is_file() and not path.is_symlink():
            path.unlink()


def pending_release(root: Path, corpus: Path) -> Release | None:
    """The latest release when it is unfinished: its manifest or changelog step is missing."""
    latest = latest_release(corpus)
    if latest is None:
        return None
    changelog = root / CHANGELOG
    logged = changelog.is_file() and has_entry(
        changelog.read_text(encoding="utf-8"), latest.version
    )
    return None if logged and manifest_version(corpus) == latest.version else latest


def release_corpus(
    root: Path,
    seeds: Path,
    corpus: Path,
    kind: str,
    date: str | None,
    derive: Derive | None,
    *,
    redo: bool = False,
) -> Released:
    """Release the repository's built corpus as the next ``kind`` version, or finish the
    release a previous run began; with ``redo``, make that unfinished release anew from the
    corpus as it is now. ``root`` holds the changelog."""
    with corpus_lock(corpus, "newscorpus release"):
        _sweep(root, corpus)
        problems = check_release_files(corpus)
        if problems:
            raise ReleaseError("the release files need fixing first", problems)
        pending = pending_release(root, corpus)
        anew = None
        if pending is not None and redo:
            anew = _redoable(root, corpus, pending)
        elif pending is not None:
            return _finish(root, seeds, corpus, pending, kind, date, derive)
        elif redo:
            raise ReleaseError("--redo: there is no unfinished release to make anew")
        checked = check(seeds, corpus, derive=derive)
        if checked.problems or checked.stale:
            raise ReleaseError(
                "the corpus is not what the seeds produce: run `newscorpus build`, commit, "
                "and release again",
                checked.problems,
            )
        if anew is None:
            plan = plan_release(corpus, seeds, kind)
        else:
            plan = plan_release(corpus, seeds, kind, anew.previous)
            if plan.version != anew.release.version:
                raise ReleaseError(
                    f"--redo makes release {anew.release.version} anew, but --bump {kind} "
                    f"gives {plan.version}; rerun with the --bump that gives "
                    f"{anew.release.version}, or withdraw it by hand (delete "
                    f"{shown(release_path(corpus, anew.release.version))}, restore the "
                    "manifest from git) and release as usual"
                )
        taken = None if anew else version_taken(root, plan.version, release_history(corpus))
        if taken:
            raise ReleaseError(
                f"refused: version {plan.version} was released before ({taken}), and a "
                "version number is never used for other content; restore the release files "
                "from git (`git checkout -- corpus/releases/`) or release with a larger --bump"
            )
        before = released_records(corpus, plan.previous) if plan.previous else {}
        day = date or datetime.now(UTC).date().isoformat()
        with deferred_signals():
            path = write_release(corpus, plan, day, anew=anew is not None)
            release = load_release(corpus, plan.version)
            built = build(seeds, corpus, derive=derive)
            if not built.ok and anew is None:  # the seeds changed since the check
                path.unlink()
                raise ReleaseError("release withdrawn: nothing was written", built.problems)
            _complete(root, corpus, release, plan.previous, before)
        return Released(release, plan.change, path, finished=False)


@dataclass(frozen=True, slots=True)
class _Anew:
    release: Release  # the unfinished release
    previous: Release | None  # the release it follows


def _redoable(root: Path, corpus: Path, pending: Release) -> _Anew:
    """The unfinished release that ``--redo`` may make anew: one whose number was never
    given (no changelog entry, no commit of its file, no tag)."""
    history = release_history(corpus)
    changelog = root / CHANGELOG
    if changelog.is_file() and has_entry(changelog.read_text(encoding="utf-8"), pending.version):
        why = f"{CHANGELOG} has its entry"
    elif history is not None and pending.version in history.added:
        why = "git history holds its release file"
    elif history is not None and history.tagged(pending.version):
        why = f"git has the tag v{pending.version}"
    else:
        previous = load_release(corpus, pending.previous) if pending.previous else None
        return _Anew(pending, previous)
    raise ReleaseError(
        f"--redo: release {pending.version} cannot be made anew ({why}): its number is "
        "given; finish it as it was begun (put the seeds back as its release file holds them "
        "and run `newscorpus release` without --redo)"
    )


def _finish(
    root: Path,
    seeds: Path,
    corpus: Path,
    pending: Release,
    kind: str,
    date: str | None,
    derive: Derive | None,
) -> Released:
    """Complete the steps a stopped release left undone, if the corpus is still what its
    release file holds."""
    path = release_path(corpus, pending.version)
    previous = load_release(corpus, pending.previous) if pending.previous else None
    start = base_version(previous)
    started = next((k for k in BUMPS if bump(start, k) == pending.version), None)
    if started != kind or (date is not None and date != pending.date):
        again = f"`newscorpus release --bump {started or kind} --date {pending.date}`"
        raise ReleaseError(
            f"release {pending.version} ({shown(path)}) was begun and not finished: the "
            f"manifest or {CHANGELOG} does not show it yet. Finish it with {again}"
        )
    now = record_hashes(corpus)
    checked = check(seeds, corpus, derive=derive)
    if checked.problems:
        raise ReleaseError("the seeds do not build", checked.problems)
    data = (corpus / DATA_DIR).resolve()
    moved = [name for name in checked.stale if data in Path(name).resolve().parents]
    if now != pending.records or moved:
        change = compare(pending.records, now)
        raise ReleaseError(
            f"release {pending.version} ({shown(path)}) was begun and not finished, and the "
            f"{'seeds have' if now == pending.records else 'corpus has'} changed since "
            f"({len(change.added)} added, {len(change.changed)} changed, "
            f"{len(change.removed)} removed). To finish it as it was, put the seeds back as "
            "it holds them and run this command again. To make it anew from the corpus as it "
            f"is now: `newscorpus build`, then `newscorpus release --bump {kind} --redo`"
        )
    before = released_records(corpus, previous) if previous else {}
    with deferred_signals():
        built = build(seeds, corpus, derive=derive)
        if not built.ok:
            raise ReleaseError("the seeds no longer build", built.problems)
        _complete(root, corpus, pending, previous, before)
    return Released(pending, compare(previous.records if previous else {}, now), path, True)


def _complete(
    root: Path,
    corpus: Path,
    release: Release,
    previous: Release | None,
    before: dict[str, dict[str, Any]] | None,
) -> None:
    """The step after the rebuild: the changelog entry, written only where there is none, so
    that a release stopped after it is finished by a rebuild alone."""
    if record_hashes(corpus) != release.records:
        raise ReleaseError(
            f"the seeds changed while release {release.version} ran: run this command again "
            "to see what to do"
        )
    changelog = root / CHANGELOG
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else "# Changelog\n"
    if not has_entry(text, release.version):
        change = compare(previous.records if previous else {}, release.records)
        now = current_records(corpus, set(change.added) | set(change.changed))
        reasons = {i: release.retracted.get(i, "no reason recorded") for i in change.removed}
        entry = release_entry(release.version, release.date, change, now, before, reasons)
        write_file(changelog, insert_entry(text, entry).encode("utf-8"))
    note_committed(
        f"writing release {release.version} (its file, the manifest and its {CHANGELOG} entry)"
    )
