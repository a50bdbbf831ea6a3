"""Errors of the file system as messages: a full disk or a read-only folder is the user's to fix.

A command lets an ``OSError`` about a file go up to ``main``, which says in one line what
could not be done to which file and exits 1, instead of calling it an internal error. An error
raised by a write to an open file (a full disk on ``write`` or ``fsync``) carries no file name:
the code that writes names it with ``writing(path)``, which also settles whether it was a read
or a write where the error alone does not tell.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

# Errors that only a write can meet.
WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})
# Errors of the disk or file system that need no file name to be understood.
DISK_ERRORS = WRITE_ERRORS | {errno.EIO}
_ACTION = "newscorpus_action"  # set on the error; kept when a worker's error is pickled


@contextlib.contextmanager
def writing(path: Path | str, *, instead: bool = False) -> Iterator[None]:
    """Name ``path`` on any ``OSError`` of the block that names no file, as a write.

    ``instead``: name it even where the error names another file, for a block that writes
    ``path`` through a temporary file beside it, a name the user never chose."""
    try:
        yield
    except OSError as error:
        if instead:
            error.filename, error.filename2 = os.fspath(path), None
        _name(error, path, "write")
        raise


@contextlib.contextmanager
def reading(path: Path | str) -> Iterator[None]:
    """Name ``path`` on any ``OSError`` of the block that names no file, as a read."""
    try:
        yield
    except OSError as error:
        _name(error, path, "read")
        raise


def _name(error: OSError, path: Path | str, action: str) -> None:
    if error.filename is None:
        error.filename = os.fspath(path)
    if not hasattr(error, _ACTION):
        setattr(error, _ACTION, action)


def describe(error: OSError) -> str | None:
    """``cannot write PATH: no space left on device``; None for an error that is neither
    about a file nor about the disk (then it is a bug)."""
    reason = _reason(error)
    if error.filename is None:
        return f"cannot write: {reason}" if error.errno in DISK_ERRORS else None
    name = _shown(error.filename)
    if error.filename2 is not None:
        return f"cannot move {name} to {_shown(error.filename2)}: {reason}"
    return f"cannot {_action(error)} {name}: {reason}"


def _action(error: OSError) -> str:
    """Whether the failed call read or wrote, as far as can be told afterwards."""
    action = getattr(error, _ACTION, None)
    if action is not None:
        return str(action)
    if error.errno in WRITE_ERRORS:
        return "write"
    # A file that can be read now was not being read when the error came (a write into a
    # folder without the permission, say); a file that cannot be read, or is not there,
    # was most likely being read.
    try:
        readable = os.access(error.filename, os.R_OK, follow_symlinks=False)
    except (OSError, TypeError, ValueError):
        readable = False
    return "write" if readable and error.errno in (errno.EACCES, errno.EPERM) else "read"


def _reason(error: OSError) -> str:
    text = error.strerror or os.strerror(error.errno or 0)
    return text[:1].lower() + text[1:]


def _shown(name: object) -> str:
    from newscorpus.seeds import shown

    text = shown(os.fsdecode(name) if isinstance(name, str | bytes | os.PathLike) else str(name))
    # a name too long for the file system is too long for a message as well
    return text if len(text) <= _LONGEST else f"{text[:100]}…{text[-100:]}"


_LONGEST = 300
