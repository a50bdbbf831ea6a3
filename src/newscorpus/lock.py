"""One writer per corpus: an exclusive lock on ``<corpus>/.newscorpus.lock``.

Two builds of one corpus at once would each remove what the other counts on (its new data
files, its temporaries) and could leave an index that no longer describes the corpus. So a
command that writes a corpus holds this lock from start to end; a second one waits for it,
saying once whom it waits for. The lock is ``flock``'s: the kernel lets it go when its holder
exits, however it exits, so a killed build never leaves a corpus locked. The file stays (a
lock file removed while another process waits on it would let a third in beside it); while
the lock is held it names the holder, for the message.

Within one process the lock is re-entrant: ``release`` holds it around the build it runs.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from newscorpus.excerpt import printable

LOCK_FILE = ".newscorpus.lock"

_held: dict[Path, int] = {}  # corpus folder -> how many times this process holds its lock


@contextlib.contextmanager
def corpus_lock(out: Path, what: str) -> Iterator[None]:
    """Hold the lock of the corpus folder ``out`` (which must exist) for the block.

    ``what`` names the command for anyone who has to wait, e.g. "newscorpus build"."""
    key = out.resolve()
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    fd = _open(key / LOCK_FILE)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting = f"waiting for {_holder(fd)} to finish with {printable(str(out))}…"
            print(waiting, file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        _name_holder(fd, f"{os.getpid()} {what}\n")
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
            _name_holder(fd, "")  # the lock is free: the file names no holder
    finally:
        os.close(fd)  # lets the lock go


def _open(path: Path) -> int:
    """The lock file, opened without following a link and refused unless it is a regular
    file: the holder's name is written into it, and must never land in a file of the user's
    that a link (or a FIFO or device in its place) leads to."""
    from newscorpus.entries import RefusedEntry, kind_problem

    try:
        flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
        fd = os.open(path, flags, 0o666)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise RefusedEntry(path, "is a symbolic link") from None
        if error.errno == errno.EISDIR:
            raise RefusedEntry(path, "is not a regular file") from None
        raise
    refused = kind_problem(os.fstat(fd).st_mode, folder=False)
    if refused:
        os.close(fd)
        raise RefusedEntry(path, refused)
    return fd


def _name_holder(fd: int, text: str) -> None:
    """Say in the lock file who holds the lock. Only the waiting message reads it, so a full
    disk or a read-only file here must not stop the command that holds the lock."""
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        if text:
            os.pwrite(fd, text.encode(), 0)


def _holder(fd: int) -> str:
    """Who holds the lock, as its file says ("pid command"), for the waiting message."""
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    pid, _, what = text.partition(" ")
    if not pid.isdigit() or not what:
        return "another newscorpus command"
    return f"{what[:60]} (pid {pid})"
