"""Ctrl-C, SIGTERM and SIGKILL in the middle of a build: the right exit, no traceback, no worker
left behind, and the corpus folder exactly as it was.

Each build runs in a session of its own, as a command started from a terminal runs in a
process group of its own: "no process of the build remains" is then "no process of that
group remains", whatever its workers are called.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from test_badinput import composed, old_corpus, snapshot, write_seeds

from newscorpus import interrupts

SEEDS = 3000  # a build of a second or more: long enough to be stopped in the middle


@pytest.fixture(scope="module")
def many_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds of a build the workers take a while over (only read, so shared)."""
    return write_seeds(tmp_path_factory.mktemp("many") / "seeds", composed(SEEDS))


def _group(pgid: int) -> list[psutil.Process]:
    """The live processes of process group ``pgid`` (a zombie has already stopped)."""
    alive = []
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) == pgid and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
        except (ProcessLookupError, psutil.NoSuchProcess):
            continue
    return alive


def _wait_for_workers(build: subprocess.Popen[str], count: int = 2) -> list[psutil.Process]:
    """The build's worker processes, once it has started them: the build is then at work."""
    parent = psutil.Process(build.pid)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = parent.children()
        if len(children) >= count:
            return children
        assert build.poll() is None, build.communicate()
        time.sleep(0.01)
    raise AssertionError("the build started no workers")


def _gone_within(processes: list[psutil.Process], seconds: float) -> list[psutil.Process]:
    """Those of ``processes`` still running after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        alive = [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


@contextlib.contextmanager
def _started_build(seeds: Path, out: Path) -> Iterator[subprocess.Popen[str]]:
    """``newscorpus build --workers 2`` in a session of its own; whatever of it is left at the
    end (only if the test failed) is killed, so that no test leaves processes behind."""
    command = ["build", "--seeds", str(seeds), "--out", str(out), "--workers", "2"]
    build = subprocess.Popen(
        [sys.executable, "-m", "newscorpus", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        yield build
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)
        build.wait(timeout=60)
        for stream in (build.stdout, build.stderr):
            if stream is not None:
                stream.close()


@pytest.mark.parametrize(
    ("how", "code", "said"),
    [
        ("SIGINT to the group", 130, "interrupted"),  # Ctrl-C: the terminal signals them all
        ("SIGINT", 130, "interrupted"),
        ("SIGTERM", 143, "terminated"),
        ("SIGTERM to the group", 143, "terminated"),
    ],
)
def test_a_signal_mid_build_stops_it_cleanly(
    many_seeds: Path, tmp_path: Path, how: str, code: int, said: str
) -> None:
    out = old_corpus(tmp_path)
    before = snapshot(out)
    with _started_build(many_seeds, out) as build:
        workers = _wait_for_workers(build)
        number = signal.SIGINT if how.startswith("SIGINT") else signal.SIGTERM
        if how.endswith("group"):
            os.killpg(build.pid, number)
        else:
            build.send_signal(number)
        build.wait(timeout=60)
        assert _gone_within(workers, 5) == []
        stdout, stderr = build.communicate(timeout=60)
    assert build.returncode == code, stderr
    assert stderr.strip() == f"{said}: nothing was changed", stderr  # no traceback, no "Aborted!"
    assert stdout == ""
    assert _group(build.pid) == []
    assert snapshot(out) == before


def test_killing_the_build_kills_its_workers(many_seeds: Path, tmp_path: Path) -> None:
    """SIGKILL leaves the parent no moment to stop them: the kernel does."""
    with _started_build(many_seeds, tmp_path / "corpus") as build:
        workers = _wait_for_workers(build)
        build.kill()
        build.wait(timeout=60)  # not communicate: a worker left behind holds the pipes open
        assert _gone_within(workers, 5) == []
        assert _group(build.pid) == []


def test_a_signal_during_the_commit_waits_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside ``deferred_signals`` a signal is held, and acted on as the block ends."""
    monkeypatch.setattr(interrupts, "_committed", [])
    reached = []
    with pytest.raises(KeyboardInterrupt), interrupts.deferred_signals():
        signal.raise_signal(signal.SIGINT)
        reached.append("after the signal")
        interrupts.note_committed("committing the new corpus in corpus/")
    assert reached == ["after the signal"]
    assert interrupts.interrupted_message() == (
        "the command stopped after committing the new corpus in corpus/"
    )
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_held_sigterm_is_acted_on_by_the_handler_main_installs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    previous = signal.signal(signal.SIGTERM, interrupts.raise_terminated)
    try:
        with pytest.raises(interrupts.Terminated), interrupts.deferred_signals():
            with interrupts.deferred_signals():  # nested: held until the outer block ends
                signal.raise_signal(signal.SIGTERM)
            assert signal.getsignal(signal.SIGTERM) is not interrupts.raise_terminated
        # once stopping, further signals no longer break into the cleanup
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, signal.default_int_handler)


def test_nothing_committed_is_nothing_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interrupts, "_committed", [])
    assert interrupts.interrupted_message() == "nothing was changed"


# --- the command line's own exits -------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newscorpus", *args], capture_output=True, text=True, timeout=60
    )


def test_usage_errors_help_and_version_keep_their_exits() -> None:
    wrong = _cli("build", "--workers", "0")
    assert wrong.returncode == 2
    assert "Error: Invalid value for '--workers'" in wrong.stderr
    assert _cli("no-such-command").returncode == 2
    shown = _cli("--help")
    assert (shown.returncode, shown.stdout.startswith("Usage: ")) == (0, True)
    version = _cli("--version")
    assert (version.returncode, version.stdout.startswith("newscorpus, version ")) == (0, True)


def test_a_closed_pipe_on_standard_output_is_no_traceback() -> None:
    """`newscorpus validate --list-rules | head -1`, with the reader gone before anything is
    written: every write meets a closed pipe."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "newscorpus", "validate", "--list-rules"],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(writer)
    assert done.returncode == 1
    assert done.stderr == ""
