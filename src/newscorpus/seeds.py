"""Finding the seeds: which files in the seeds folder are articles, sidecars or mistakes.

Seeds are evidence, so this module only ever opens them for reading. A folder listing is
sorted before use: the order the file system returns names in must never reach the output.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from newscorpus.problems import Problem

# ``\Z``, not ``$``: Python's ``$`` also matches before a final line break, and a file name
# may end in one.
SEED_NAME = re.compile(r"^(?P<label>[0-9]+)_(?P<id>[0-9a-f]{16})\.txt\Z")
RETRACTIONS_FILE = "retractions.yaml"  # read by ``retractions``; not a seed or a sidecar
SIDECAR_NAME = re.compile(r"^(?P<label>[0-9]+)_(?P<id>[0-9a-f]{16})\.yaml\Z")


@dataclass(frozen=True, slots=True)
class SeedInput:
    """Everything ``make_record`` needs about one seed: names and bytes, no paths."""

    name: str
    data: bytes
    sidecar_name: str | None = None
    sidecar_data: bytes | None = None


def seed_id(name: str) -> str | None:
    """The id a seed file name carries (``<label>_<id>.txt``), or None for another name."""
    match = SEED_NAME.match(name)
    return match.group("id") if match else None


class SeedRef(NamedTuple):
    """A seed on disk: its name, its id, and its sidecar if it has one.

    A tuple, not a frozen dataclass: a build makes one per seed, 100,000 of them before any
    work starts, and a frozen dataclass costs five times as much to make."""

    name: str
    id: str
    path: str  # plain strings: a corpus has 100,000 seeds and a Path costs microseconds
    sidecar: str | None

    @property
    def sidecar_name(self) -> str | None:
        return os.path.basename(self.sidecar) if self.sidecar else None

    def load(self) -> SeedInput:
        """Read the seed and sidecar bytes (never following a link: see ``read_regular``)."""
        return SeedInput(
            name=self.name,
            data=read_regular(self.path),
            sidecar_name=self.sidecar_name,
            sidecar_data=read_regular(self.sidecar) if self.sidecar else None,
        )


@dataclass(frozen=True, slots=True)
class SeedSet:
    seeds: list[SeedRef]
    problems: list[Problem]


def seed_files(seeds: Iterable[SeedRef]) -> list[str]:
    """The files of ``seeds``, in order: each seed, then its sidecar if it has one."""
    return [path for seed in seeds for path in (seed.path, seed.sidecar) if path]


def read_regular(path: Path | str) -> bytes:
    """Read a file's bytes, refusing to follow a symbolic link that appeared since listing."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def shown(path: Path | str) -> str:
    """How a file is named in messages: relative to the working directory when inside it, so
    that CI annotations land on the right file; absolute otherwise."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def discover(seeds_dir: Path) -> SeedSet:
    """List the seeds folder and sort each entry into seeds, sidecars and problems.

    The listing keeps names only, with the type of the few entries that are not regular
    files: at 100,000 seeds, holding every ``DirEntry`` (a name, a path and a stat cache each)
    until the names are sorted was the largest transient allocation of a build."""
    problems: list[Problem] = []
    texts: dict[str, str] = {}  # seed name -> path
    sidecars: dict[str, str] = {}  # stem -> path
    regular: list[str] = []
    irregular: dict[str, str] = {}  # name -> "link", "folder" or "other"
    # DirEntry knows the type from the listing itself, without a stat.
    with os.scandir(seeds_dir) as scanned:
        for entry in scanned:
            if entry.is_file(follow_symlinks=False):
                regular.append(entry.name)
            elif entry.is_symlink():
                irregular[entry.name] = "link"
            else:
                irregular[entry.name] = "folder" if entry.is_dir() else "other"
    folder = os.path.join(os.fspath(seeds_dir), "")  # with its separator: + name is a path
    regular.sort()  # sorting strings, not entries by a key, at 100,000 names
    for name in regular:
        if name.startswith(".") or name == RETRACTIONS_FILE:
            continue  # .gitkeep and editor files are not seeds; retractions are read apart
        path = folder + name  # as DirEntry.path has it
        # the common case first, in one call: a seed's or a sidecar's name
        if SEED_NAME.match(name):
            texts[name] = path
        elif SIDECAR_NAME.match(name):
            sidecars[name[:-5]] = path
        elif name.endswith(".txt"):
            problems.append(
                Problem(
                    "NC-SEED-001", "file name is not `<number>_<16 lowercase hex>.txt`", shown(path)
                )
            )
        elif name.endswith((".yaml", ".yml")):
            problems.append(
                Problem(
                    "NC-SEED-001",
                    "sidecar name is not `<number>_<16 lowercase "
                    "hex>.yaml` (the same stem as its seed)",
                    shown(path),
                )
            )
        else:
            problems.append(
                Problem("NC-SEED-011", "not a seed (.txt) or sidecar (.yaml)", shown(path))
            )
    for name, kind in sorted(irregular.items()):
        if name.startswith(".") or name == RETRACTIONS_FILE:
            continue
        path = shown(folder + name)
        if kind == "link":
            problems.append(
                Problem("NC-SEED-002", "symbolic link; seeds must be regular files", path)
            )
        elif kind == "folder":
            problems.append(
                Problem("NC-SEED-011", "subfolder in the seeds folder; seeds/ is flat", path)
            )
        else:
            problems.append(Problem("NC-SEED-011", "not a regular file", path))
    del regular, irregular
    for stem, path in sidecars.items():
        if f"{stem}.txt" not in texts:
            problems.append(
                Problem("NC-SIDE-004", f"sidecar without a seed: no {stem}.txt", shown(path))
            )
    # a seed's name ends in its 16-character id and ".txt" (SEED_NAME matched it)
    seeds = [
        SeedRef(name, name[-20:-4], path, sidecars.get(name[:-4])) for name, path in texts.items()
    ]
    problems.extend(duplicate_id_problems(seeds))
    return SeedSet(seeds, problems)


def duplicate_id_problems(seeds: list[SeedRef]) -> list[Problem]:
    if len({seed.id for seed in seeds}) == len(seeds):
        return []  # the usual case, found in one set
    by_id: dict[str, list[SeedRef]] = defaultdict(list)
    for seed in seeds:
        by_id[seed.id].append(seed)
    problems = []
    for same in by_id.values():
        for seed in same[1:]:
            problems.append(
                Problem("NC-SEED-010", f"id already used by {same[0].name}", shown(seed.path))
            )
    return problems


def duplicate_content_problems(hashes: Iterable[tuple[str, str]]) -> list[Problem]:
    """Given (seed path, sha256 of its bytes) pairs, report every seed repeating another."""
    hashes = list(hashes)
    if len({digest for _, digest in hashes}) == len(hashes):
        return []  # the usual case, found in one set
    first: dict[str, str] = {}
    problems = []
    for path, digest in sorted(hashes):
        if digest in first:
            problems.append(
                Problem("NC-SEED-009", f"same bytes as {shown(first[digest])}", shown(path))
            )
        else:
            first[digest] = path
    return problems
