"""Progress bars for long work that stay out of logs.

A bar is drawn only when standard error is a terminal, so CI logs and redirected output carry
no carriage-return noise. tqdm is imported only then: loading it costs about 50 ms, a fifth of
the start-up of a `validate` run in CI, where no bar is ever drawn.

A bar runs no monitor thread (tqdm's watchdog for bars left without updates, which ours never
are): a bar is made before the workers start, and a process with a thread must not fork them
(``workers.py``).
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any


class _Silent:
    """What a bar offers, doing nothing: the stand-in when nobody is watching."""

    def __enter__(self) -> _Silent:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: float = 1) -> None:
        return None

    def close(self) -> None:
        return None


def progress(total: int | None, desc: str, unit: str = "it", **options: Any) -> Any:
    """A tqdm bar on an interactive standard error, else a silent stand-in."""
    if not sys.stderr.isatty():
        return _Silent()
    return _bar_class()(total=total, desc=desc, unit=unit, leave=False, **options)


@cache
def _bar_class() -> type:
    """tqdm without its monitor thread; other bars in the process keep theirs."""
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0

    return Bar
