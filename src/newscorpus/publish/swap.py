"""Swapping two folders in one step, so that a killed publish never leaves ``hf/`` missing.

Linux's ``renameat2(..., RENAME_EXCHANGE)`` swaps two names atomically: at every instant the
published folder is the old one or the new one. Where the C library, the kernel or the file
system lacks it, ``exchange`` says so and the caller falls back to two renames, whose gap a
later publish repairs.
"""

from __future__ import annotations

import ctypes
import errno
import os
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# What renameat2 answers where the kernel or the file system cannot exchange names.
_UNSUPPORTED = frozenset({errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP})


def _renameat2() -> object | None:
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    except OSError:
        return None


_CALL = _renameat2()


def renameat2(first: Path, second: Path) -> int:
    """The system call itself: 0, or the errno it failed with (``ENOSYS`` without it)."""
    if _CALL is None:
        return errno.ENOSYS
    result = _CALL(  # type: ignore[operator]
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return 0 if result == 0 else ctypes.get_errno()


def exchange(first: Path, second: Path) -> bool:
    """Swap the two existing folders' names atomically; False where that cannot be done here.

    Any other failure (a missing folder, a full disk) is an ``OSError`` naming ``first``."""
    code = renameat2(first, second)
    if code == 0:
        return True
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), os.fspath(first), None, os.fspath(second))
