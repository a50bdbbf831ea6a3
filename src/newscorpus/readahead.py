"""Ask the kernel to read input files from disk ahead of the workers that parse them.

A seed is a small file, read once. While the page cache holds it (a seeds folder just written
or read), reading it costs microseconds. Once the kernel has let it go (after a reboot, or
when files left idle are reclaimed), every read waits for the disk, one small file at a time,
and the worker's core idles meanwhile: a build of 20,000 articles of 8.5 KB took 11 to 14 s
from a cold cache and 9 s from a warm one. A thread of the parent process walks the files in
the order the workers take them and calls ``posix_fadvise(WILLNEED)`` on each, which queues
the read and returns, so the disk works through a deep queue while both cores parse: the cold
build then takes the warm one's time.

The thread stays at most a window of files ahead of what the workers have finished, so the
files it fetches are still in memory when they are read, on a machine with little of it.

On a warm cache it is wasted work: an open, an fadvise and a close, 6 µs a file, taken from
the workers' cores. So on Linux the thread runs at the lowest priority: it gets a core when
one would idle, which is exactly when the workers wait for the disk.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from newscorpus.seeds import READ_FLAGS

# Opened as ``seeds.read_regular`` opens a seed: never following a link, never waiting on a
# FIFO that stands where a file was listed. The worker that reads the file reports either.
_FLAGS = READ_FLAGS


def advise(path: str | Path) -> bool:
    """Ask for a file to be read into the page cache; whether the kernel was asked. A file
    that cannot be opened is skipped: this only prefetches, and whoever reads the file says
    what is wrong with it."""
    fadvise = getattr(os, "posix_fadvise", None)
    if fadvise is None:  # not on macOS or Windows: reads just wait for the disk there
        return False
    try:
        fd = os.open(path, _FLAGS)
    except OSError:
        return False
    try:
        fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


class ReadAhead:
    """Prefetches files in order, at most ``window`` files past those the caller has said it
    is done with (``done``)."""

    def __init__(self, paths: Iterable[str | Path], window: int) -> None:
        self._paths = paths
        self._window = window
        self._done = 0
        self._stopped = False
        self._changed = threading.Condition()
        self.asked = 0  # files the kernel was asked for

    def done(self, files: int) -> None:
        """Say that ``files`` more of the paths, in order, have been read."""
        with self._changed:
            self._done += files
            self._changed.notify()

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify()

    def run(self) -> None:
        """Prefetch every path, waiting whenever the window is full; return once all are
        asked for or ``stop`` is called."""
        if sys.platform.startswith("linux"):
            with suppress(OSError):  # a container may forbid it: then it runs as it is
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        for position, path in enumerate(self._paths):
            with self._changed:
                while not self._stopped and position >= self._done + self._window:
                    self._changed.wait()
                if self._stopped:
                    return
            self.asked += advise(path)


@contextmanager
def read_ahead(paths: Iterable[str | Path], window: int) -> Iterator[ReadAhead]:
    """Prefetch ``paths`` in a background thread while the body runs, and stop with it.

    Start it after any process pool has forked its workers: a process with a second thread
    should not fork."""
    ahead = ReadAhead(paths, window)
    thread = threading.Thread(target=ahead.run, name="newscorpus-read-ahead", daemon=True)
    thread.start()
    try:
        yield ahead
    finally:
        ahead.stop()
        thread.join()
