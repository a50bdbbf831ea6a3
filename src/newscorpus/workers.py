"""Worker processes for the commands that use every core: started by fork where that is safe.

``build``, ``build --check`` and ``validate`` hand their files to a pool of processes. How a
worker starts decides what a command costs before any work is done. A forked worker is a
copy of the parent, with the checking and building code already imported. A worker started
by forkserver or spawn imports it again: 0.15 to 0.2 s more for every command, a third of a
`validate` of 1,000 records. Python 3.14 made forkserver the default on Linux, because forking
a process that runs threads can deadlock the child on a lock one of them held.

These commands fork before any thread of theirs starts: the read-ahead thread and the fsync
thread pool start after the workers exist, and progress bars run no monitor thread. So on
Linux the pool forks, as it always did before 3.14, whenever the process still has a single
thread at that point. A process that already runs threads (newscorpus called as a library from
an application that has them) gets the platform's default start method instead. On macOS, where
the system libraries are not safe to fork, the default (spawn) is kept.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, forked when that is safe (see the module's docstring).

    With fork, the pool starts all its workers at the first task, before its own management
    thread: create it, then submit to it before starting any thread."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=start_context())


def forked_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` forked processes, or None where forking is not safe.

    Its workers are copies of this process as it is when the first task is submitted: what it
    holds then, they can read without anything being pickled."""
    context = start_context()
    return None if context is None else ProcessPoolExecutor(workers, mp_context=context)


def start_context() -> BaseContext | None:
    """The fork context on Linux while this process runs one thread; else None (the default)."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return None
