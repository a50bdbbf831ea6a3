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

Workers never outlive their command. On Linux each asks the kernel to kill it the moment its
parent dies, however the parent dies (SIGKILL included). Ctrl-C in a terminal reaches every
process of the group, and so may SIGTERM: the workers ignore both and leave them to the
parent, which stops them. A pool left by an exception or a signal drops its queued tasks and
kills its workers instead of waiting for them to finish.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.context import BaseContext
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_STOPPING = {signal.SIGINT, signal.SIGTERM}


class WorkerPool(ProcessPoolExecutor):
    """A process pool whose workers die with this process and stop at once when it fails."""

    def __init__(self, workers: int, mp_context: BaseContext | None = None) -> None:
        super().__init__(
            max_workers=workers,
            mp_context=mp_context,
            initializer=_start_worker,
            initargs=(_parent_of_workers(mp_context),),
        )

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """Submit as the pool does, with SIGINT and SIGTERM held meanwhile: the pool starts its
        workers here, and a worker must not meet one before ``_start_worker`` has said what it
        does with them (it would run this process's handler, and die with a traceback). A
        signal that comes meanwhile is acted on as soon as this returns."""
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
        try:
            return super().submit(fn, *args, **kwargs)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if exc_type is None:
            self.shutdown(wait=True)
        else:
            self.stop()
        return False

    def stop(self) -> None:
        """Drop the tasks not yet started and kill the workers, without waiting for the tasks
        they run: after an error or a signal nothing they would make is wanted, and a worker
        still writing must not outlive the cleanup of the folder it writes into."""
        # Python 3.14 has ``kill_workers`` for this; before it, the pool's own table of them.
        processes = list((getattr(self, "_processes", None) or {}).values())
        manager = getattr(self, "_executor_manager_thread", None)
        self.shutdown(wait=False, cancel_futures=True)  # forgets the thread: hence ``manager``
        for process in processes:
            process.kill()
        for process in processes:
            process.join()
        # The pool's own thread winds up once it has seen them go. It must be done before the
        # interpreter exits: the exit wakes it through a pipe it may be closing at that very
        # moment, and prints the error of that race.
        if manager is not None:
            manager.join(timeout=30)


def _parent_of_workers(context: BaseContext | None) -> int | None:
    """The process whose death a worker must not outlive, when it is this one.

    A forkserver worker is the child of the server process, which itself exits when this
    process has gone."""
    method = (context or multiprocessing.get_context()).get_start_method()
    return None if method == "forkserver" else os.getpid()


def _start_worker(parent: int | None) -> None:
    """The first thing each worker does: die with its parent, and leave signals to it.

    Ctrl-C, or a service manager stopping the command, signals every process of the group:
    the parent alone acts on it, and stops the workers itself (``WorkerPool.stop``); a worker
    that died on its own would only make the parent report a broken pool instead."""
    for number in _STOPPING:
        signal.signal(number, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)  # held since the fork (``submit``)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # A parent that died before the request above took effect sent no signal: its orphan
    # has been handed to another process by now.
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def process_pool(workers: int) -> WorkerPool:
    """A pool of ``workers`` processes, forked when that is safe (see the module's docstring).

    With fork, the pool starts all its workers at the first task, before its own management
    thread: create it, then submit to it before starting any thread."""
    return WorkerPool(workers, start_context())


def forked_pool(workers: int) -> WorkerPool | None:
    """A pool of ``workers`` forked processes, or None where forking is not safe.

    Its workers are copies of this process as it is when the first task is submitted: what it
    holds then, they can read without anything being pickled."""
    context = start_context()
    return None if context is None else WorkerPool(workers, context)


def start_context() -> BaseContext | None:
    """The fork context on Linux while this process runs one thread; else None (the default)."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return None
