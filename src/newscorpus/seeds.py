"""Finding the seeds: which files in the seeds folder are articles, sidecars or mistakes.

Seeds are evidence, so this module only ever opens them for reading. A folder listing is
sorted before use: the order the file system returns names in must never reach the output.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from newscorpus.limits import MAX_SEED_BYTES, MAX_SIDECAR_BYTES
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
    path: str  # a plain string: one is made per seed, and a Path is much dearer to make
    sidecar: str | None

    @property
    def sidecar_name(self) -> str | None:
        return os.path.basename(self.sidecar) if self.sidecar else None

    def load(self) -> SeedInput:
        """Read the seed and sidecar bytes, each as one whole version of its file.

        Raises ``OSError``; ``SeedUnreadable`` (one of them) for a seed or sidecar that is
        not a regular file or changed while it was read (see ``read_regular``)."""
        return SeedInput(
            name=self.name,
            data=read_regular(self.path),
            sidecar_name=self.sidecar_name,
            sidecar_data=read_regular(self.sidecar, MAX_SIDECAR_BYTES) if self.sidecar else None,
        )


@dataclass(frozen=True, slots=True)
class SeedSet:
    seeds: list[SeedRef]
    problems: list[Problem]


def seed_files(seeds: Iterable[SeedRef]) -> list[str]:
    """The files of ``seeds``, in order: each seed, then its sidecar if it has one."""
    return [path for seed in seeds for path in (seed.path, seed.sidecar) if path]


# Never follow a link that appeared since the folder was listed, and never wait on opening a
# FIFO or a device that stands where a seed was listed: it is opened, found out by ``fstat``
# and refused. O_NOCTTY: a terminal opened by mistake does not become this process's own.
READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


class SeedUnreadable(OSError):
    """A seed or sidecar that was opened but cannot be taken as it is, with the rule it breaks.

    An ``OSError``, so every caller that already reports a file it cannot read reports this
    one too; ``unreadable_problem`` gives it its own code."""

    def __init__(self, code: str, message: str, path: str) -> None:
        super().__init__(errno.EINVAL, message, path)
        self.code = code

    def __reduce__(self) -> tuple[type[SeedUnreadable], tuple[str, str, str]]:
        return type(self), (self.code, self.strerror, self.filename)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a folder" if stat.S_ISDIR(mode) else "an unknown kind of file"


def _version(status: os.stat_result) -> tuple[int, int, int, int, int]:
    """What changes whenever a file's content does (to the clock's resolution: a rewrite of
    the same size within one tick of it leaves no trace in the stat)."""
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def read_regular(path: Path | str, limit: int = MAX_SEED_BYTES) -> bytes:
    """Read a file's bytes as one whole version of it, or its first ``limit + 1`` bytes when
    it holds more: enough for the caller to refuse it as over its limit, without loading a
    huge file whole.

    Refuses (``SeedUnreadable``) anything but a regular file: a symbolic link is never
    followed (``ELOOP``), a FIFO, device or socket is opened without waiting and refused
    unread. A file written to while it is read (its stat differs after the read from before
    it, or it held more or fewer bytes than its size) is refused too: what was read may be
    half of an edit."""
    name = os.fspath(path)
    fd = os.open(name, READ_FLAGS)
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise SeedUnreadable(
                "NC-SEED-015", f"{_kind(before.st_mode)}, not a regular file", name
            )
        # One byte past the size: a file that grew while it was read is caught by its length
        # even where the clock did not move; the read never holds more than that. Of a file
        # over the limit, one byte past the limit: its stat alone tells a change.
        expected = min(before.st_size, limit + 1)
        wanted = expected + 1 if before.st_size <= limit else expected
        chunks, got = [], 0
        while got < wanted and (chunk := os.read(fd, wanted - got)):
            chunks.append(chunk)
            got += len(chunk)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    if got != expected or _version(after) != _version(before):
        raise SeedUnreadable(
            "NC-SEED-016",
            f"the file changed while it was read ({before.st_size:,} bytes when opened, "
            f"{after.st_size:,} when read)",
            name,
        )
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _not_a_file(path: str) -> str:
    try:
        kind = _kind(os.lstat(path).st_mode)
    except OSError:  # gone since the listing
        kind = "no longer there"
    return f"{kind}, not a regular file"


def unreadable_problem(path: str, error: OSError) -> Problem:
    """The finding for a seed or sidecar that could not be read: ``path`` is the seed's, the
    error may name its sidecar."""
    where = shown(error.filename) if isinstance(error.filename, str) else shown(path)
    if isinstance(error, SeedUnreadable):
        return Problem(error.code, error.strerror or "cannot be read", where)
    code = "NC-SEED-002" if error.errno == errno.ELOOP else "NC-SEED-011"
    return Problem(code, f"cannot read: {error.strerror}", where)


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
            # .gitkeep and editor files are not seeds; retractions are read apart. A seed's
            # name behind the dot is a seed hidden from the build, not an editor's file.
            hidden = hidden_seed_problem(folder + name)
            if hidden is not None:
                problems.append(hidden)
            continue
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
            hidden = hidden_seed_problem(folder + name)
            if hidden is not None:
                problems.append(hidden)
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
            problems.append(Problem("NC-SEED-015", _not_a_file(folder + name), path))
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


def hidden_seed_problem(path: str) -> Problem | None:
    """NC-SEED-014 for a hidden file named as a seed or sidecar after its leading dots
    (``.001_0123456789abcdef.txt``): one a build would skip without a word. Editor files
    are other names (``.001_….txt.swp``, ``.#001_….txt``, macOS's ``._001_….txt``) and are
    left alone."""
    name = os.path.basename(path)
    visible = name.lstrip(".")
    if SEED_NAME.match(visible):
        kind = "seed"
    elif SIDECAR_NAME.match(visible):
        kind = "sidecar"
    else:
        return None
    return Problem(
        "NC-SEED-014",
        f"hidden {kind}: the name starts with a dot, so it is not built; its name without "
        f"the dot is {visible}",
        shown(path),
    )


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
