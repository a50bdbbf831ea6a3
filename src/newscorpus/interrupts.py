"""Signals: Ctrl-C and SIGTERM never cut a commit in half, and the exit says what happened.

``main`` installs ``raise_terminated`` for SIGTERM (and ``raise_interrupted`` for SIGINT), so
both signals unwind the stack through every ``finally`` (staging folders and locks are
released), and a second signal does not cut that unwinding short. A command wraps the steps that
must not be split, the commit of a build, in ``deferred_signals``: a signal that arrives inside
is held until the block ends and then acted on as if it had just arrived. Once a command has
changed what a user sees it says so with ``note_committed``, so that an interrupt after that
point is reported truthfully instead of as "nothing was changed".
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

HELD = (signal.SIGINT, signal.SIGTERM)
_committed: list[str] = []
_received: list[int] = []  # the signal that stopped this process, once it came


class Terminated(BaseException):  # named after the signal, like KeyboardInterrupt
    """SIGTERM, raised in the main thread: a BaseException, so no ``except Exception`` eats it."""


def raise_terminated(signum: int, frame: FrameType | None) -> None:
    """SIGTERM's handler: stop the command; a second signal no longer cuts its cleanup short."""
    _ignore_further(signum)
    raise Terminated


def raise_interrupted(signum: int, frame: FrameType | None) -> None:
    """SIGINT's handler, as Python's own but without breaking into the cleanup it starts."""
    _ignore_further(signum)
    raise KeyboardInterrupt


def received() -> int | None:
    """The signal that is stopping this process (through these handlers), if one came.

    Whatever exception the unwinding ends with, this is what stopped the command."""
    return _received[0] if _received else None


def _ignore_further(signum: int) -> None:
    """From the first signal on, the command is stopping: the ``finally`` blocks that remove
    its staging folder and release its lock must run to their end. A process that hangs then
    can still be killed (SIGKILL), and what it leaves is recovered by the next command."""
    _received.append(signum)
    for number in HELD:
        signal.signal(number, signal.SIG_IGN)


def install() -> None:
    """Install the handlers of ``main``: SIGINT and SIGTERM unwind the stack, once."""
    signal.signal(signal.SIGINT, raise_interrupted)
    signal.signal(signal.SIGTERM, raise_terminated)


def note_committed(what: str) -> None:
    """Record that the command has done ``what``, a phrase such as "committing the new corpus
    in corpus/": whatever stops the command from now on, that is done."""
    _committed.append(what)


def committed() -> list[str]:
    """What this process has put in place so far, in order."""
    return list(_committed)


def forget_committed() -> None:
    """Start afresh (tests run several commands in one process)."""
    _committed.clear()


def interrupted_message() -> str:
    """What an interrupted command tells the user about the state it leaves."""
    if not _committed:
        return "nothing was changed"
    return f"the command stopped after {done_so_far()}"


def done_so_far() -> str:
    """What the command has done, in order: "committing …; then writing …"."""
    return "; then ".join(_committed)


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then act on the first one that came.

    Python runs signal handlers in the main thread only, so outside it this is a no-op (the
    main thread is the one that would be interrupted)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        held.append(signum)

    # None: a handler installed from outside Python, which cannot be put back; the default is
    previous = {number: signal.signal(number, hold) or signal.SIG_DFL for number in HELD}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if held:
            _deliver(held[0], previous[held[0]])


def _deliver(signum: int, handler: object) -> None:
    """Act on a held signal as its own handler would have."""
    if callable(handler):
        handler(signum, None)
    elif handler == signal.SIG_DFL:
        signal.raise_signal(signum)
