"""The entries a build writes inside its ``--out``, checked before it writes any of them.

A build replaces, removes and writes into ``data/``, ``.cache/``, ``.staging/``,
``manifest.json`` and ``.newscorpus.lock``. Were one of them a symbolic link, the build would
write, or remove, files wherever it points, outside the folder the user gave; were one of the
wrong kind (a file where a folder belongs), the build would fail half-way with a message about
some other file. So each is looked at without following links, before the lock is taken and
anything is written, and one that is not what a build made ends the command.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from newscorpus.buildcache import CACHE_DIR
from newscorpus.corpus import DATA_DIR, MANIFEST, STAGING_DIR
from newscorpus.lock import LOCK_FILE
from newscorpus.seeds import shown

# Each entry, and whether it must be a folder (else a regular file).
ENTRIES = {DATA_DIR: True, CACHE_DIR: True, STAGING_DIR: True, MANIFEST: False, LOCK_FILE: False}


class RefusedEntry(SystemExit):
    """An entry of ``--out`` a build must not use: it ends whichever command runs the build
    with exit 1 and the message, before anything was written."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(
            f"newscorpus: {shown(path)} {why}; a build writes only its own files inside --out "
            "and never follows a link out of it. Move it out of the corpus folder (a build "
            "makes it anew) and build again; nothing was written"
        )


def check_entries(out: Path) -> None:
    """Raise ``RefusedEntry`` for the first entry of ``out`` that is a symbolic link or of
    the wrong kind; entries that are not there yet are fine."""
    for name, folder in ENTRIES.items():
        path = out / name
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue
        refused = kind_problem(mode, folder=folder)
        if refused:
            raise RefusedEntry(path, refused)


def kind_problem(mode: int, *, folder: bool) -> str | None:
    """Why an entry of this ``st_mode`` is not the folder or regular file a build makes."""
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if folder and not stat.S_ISDIR(mode):
        return "is not a folder"
    if not folder and not stat.S_ISREG(mode):
        return "is not a regular file"
    return None
