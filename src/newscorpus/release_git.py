"""What git remembers of the release files: which were ever committed, and their first bytes.

A committed release file is evidence: it is never edited, deleted or reused for other content.
The working tree alone cannot show a file that was deleted, or a version number that was
released and then forgotten, so the release checks ask the history. Outside a git checkout (a
copied corpus, a build into a fresh folder) there is no history and nothing to ask.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from newscorpus.seeds import shown
from newscorpus.versions import RELEASES_DIR, SEMVER

_COMMIT = re.compile(r"^[0-9a-f]{40,64}$")


def git(cwd: Path, *args: str) -> bytes | None:
    """The standard output of a git command, or None when git fails or is not installed."""
    import subprocess  # only when there is a checkout to ask: not at every start-up

    try:
        result = subprocess.run(
            ["git", "--literal-pathspecs", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


@dataclass(frozen=True, slots=True)
class ReleaseHistory:
    """The release files a checkout's history ever added, by version."""

    root: Path  # the top of the checkout
    corpus: str  # the corpus folder relative to ``root``, posix ("." at the top)
    added: dict[str, str]  # version -> the commit that first added its release file

    @property
    def folder(self) -> str:
        """The releases folder, relative to the top of the checkout."""
        return RELEASES_DIR if self.corpus == "." else f"{self.corpus}/{RELEASES_DIR}"

    def relative(self, version: str) -> str:
        """The release file of ``version``, relative to the top of the checkout."""
        return f"{self.folder}/{version}.json"

    def first_bytes(self, version: str) -> bytes | None:
        """The release file as the commit that added it holds it."""
        commit = self.added.get(version)
        return None if commit is None else self.show(commit, self.relative(version))

    def show(self, commit: str, relative: str) -> bytes | None:
        """A file (relative to the top of the checkout) as ``commit`` holds it."""
        return git(self.root, "show", f"{commit}:{relative}")

    def restore_command(self, version: str) -> str:
        """The command that puts a deleted release file back as it was committed."""
        path = shown(self.root / self.relative(version))
        return f"git checkout {self.added[version][:12]} -- {path}"

    def tagged(self, version: str) -> bool:
        """Whether the checkout has the tag ``v<version>`` that a release is published under."""
        found = git(self.root, "tag", "--list", f"v{version}")
        return bool(found and found.strip())


def _in_checkout(folder: Path) -> bool:
    """A cheap look for a ``.git`` above ``folder``, so that no git runs outside a checkout."""
    if os.environ.get("GIT_DIR"):
        return True
    return any((parent / ".git").exists() for parent in (folder, *folder.parents))


def release_history(corpus: Path) -> ReleaseHistory | None:
    """The history of ``corpus``'s release files, or None outside a git checkout."""
    corpus = corpus.resolve()
    start = next((p for p in (corpus, *corpus.parents) if p.is_dir()), None)
    if start is None or not _in_checkout(start):
        return None
    top = git(start, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    root = Path(os.fsdecode(top.strip())).resolve()
    try:
        inside = corpus.relative_to(root).as_posix()
    except ValueError:
        return None
    history = ReleaseHistory(root, inside, {})
    folder = history.folder
    log = git(
        root, "log", "--diff-filter=A", "--no-renames", "--format=%H", "--name-only", "--", folder
    )
    if log is None:
        return history
    commit = None
    for line in os.fsdecode(log).splitlines():
        if _COMMIT.match(line):
            commit = line
            continue
        directory, _, name = line.rpartition("/")
        version = name.removesuffix(".json")
        if commit and directory == folder and name.endswith(".json") and SEMVER.match(version):
            history.added[version] = commit  # the log runs newest first: the last is the first
    return history
