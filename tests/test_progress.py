"""Progress bars: drawn on a terminal, absent from logs and pipes."""

from __future__ import annotations

import io
import threading

import pytest

from newscorpus.progress import progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    with progress(total=3, desc="validate", unit="file") as bar:
        for _ in range(3):
            bar.update()
    assert err.getvalue() == ""


def test_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    err = _Terminal()
    monkeypatch.setattr("sys.stderr", err)
    with progress(total=3, desc="validate", unit="file") as bar:
        for _ in range(3):
            bar.update()
    assert "validate" in err.getvalue() and "/3" in err.getvalue()


def test_a_bar_starts_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bar is made before the workers fork, and a process running a thread must not fork
    (workers.py): tqdm's monitor thread stays off."""
    monkeypatch.setattr("sys.stderr", _Terminal())
    with progress(total=3, desc="build", unit="seed") as bar:
        bar.update()
        assert "tqdm_monitor" not in {thread.name for thread in threading.enumerate()}
