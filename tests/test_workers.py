"""Worker pools fork where that is safe, and give the same results however they start."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.context import BaseContext
from pathlib import Path

import psutil
import pytest
from test_build import _composed, _tree

from newscorpus import workers
from newscorpus.build import build
from newscorpus.problems import Problem
from newscorpus.validate import validate


def test_a_single_threaded_process_forks_its_workers_on_linux() -> None:
    """In a fresh interpreter, as a command starts (this test process may run threads)."""
    script = (
        "from newscorpus.workers import start_context\n"
        "context = start_context()\n"
        "print(context.get_start_method() if context else None)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    expected = "fork" if sys.platform.startswith("linux") else "None"
    assert done.stdout.strip() == expected


def test_a_process_running_threads_keeps_the_default_start_method() -> None:
    """Forking a process with threads can deadlock the child: then the pool starts its
    workers the platform's way (forkserver on Linux from Python 3.14)."""
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert workers.start_context() is None
    finally:
        release.set()
        thread.join()


@pytest.mark.parametrize(
    "method", [m for m in ("spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]
)
def test_the_same_corpus_and_findings_whatever_starts_the_workers(
    method: str,
    seed_dir: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker started afresh inherits nothing from the parent: whatever it needs must travel
    with its task. The corpus and the findings are those of forked workers."""
    seeds = seed_dir(_composed(40))
    bad = seeds / "041_00000000000000aa.txt"
    bad.write_bytes(b"\xff\xfe not an article\n")
    forked, started = tmp_path / "forked", tmp_path / "started"
    forked_failure = build(seeds, forked, workers=2)
    bad.unlink()
    build(seeds, forked, workers=2)
    forked_report = validate(forked, workers=2)

    asked: list[str] = []

    def other() -> BaseContext:
        asked.append(method)
        return multiprocessing.get_context(method)

    monkeypatch.setattr(workers, "start_context", other)
    bad.write_bytes(b"\xff\xfe not an article\n")
    failure = build(seeds, started, workers=2)
    assert failure.problems and _findings(failure.problems, started) == _findings(
        forked_failure.problems, forked
    )
    bad.unlink()
    build(seeds, started, workers=2)
    assert _tree(started) == _tree(forked)
    report = validate(started, workers=2)
    assert report.records == forked_report.records == 41
    # the composed seeds share most of their sentences: near-duplicates, found across workers
    assert report.problems and _findings(report.problems, started) == _findings(
        forked_report.problems, forked
    )
    assert len(asked) == 3  # both builds and the validate went through the pool


def _findings(problems: list[Problem], root: Path) -> list[tuple[str, str, str, int | None]]:
    """Problems with the corpus folder's name taken out of their files and messages."""
    name = str(root)
    return [
        (p.code, p.file.replace(name, "<root>"), p.message.replace(name, "<root>"), p.line)
        for p in problems
    ]


# --- workers never outlive their command --------------------------------------------------

# Each task marks the worker that runs it (a file named by its pid), then sleeps: once there
# are two marks, both workers are running a task.
_TASK = """
import os, time
from pathlib import Path


def mark_and_sleep(folder):
    Path(folder, str(os.getpid())).touch()
    time.sleep(60)
"""

_ORPHANED = """
import os, signal, sys, time
from newscorpus.workers import WorkerPool
import multiprocessing
sys.path.insert(0, sys.argv[2])
from task import mark_and_sleep
marks = os.path.join(sys.argv[2], "marks")
pool = WorkerPool(2, multiprocessing.get_context(sys.argv[1]))
futures = [pool.submit(mark_and_sleep, marks) for _ in range(4)]
deadline = time.monotonic() + 30
while len(os.listdir(marks)) < 2 and time.monotonic() < deadline:
    time.sleep(0.02)
print(*sorted(int(name) for name in os.listdir(marks)), flush=True)
print(*sorted(p.pid for p in pool._processes.values()), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize(
    "method", [m for m in ("fork", "spawn") if m in multiprocessing.get_all_start_methods()]
)
def test_workers_die_with_a_parent_that_is_killed(method: str, tmp_path: Path) -> None:
    """SIGKILL gives the parent no moment to stop its workers: the kernel kills them."""
    (tmp_path / "task.py").write_text(_TASK)
    (tmp_path / "marks").mkdir()
    done = subprocess.run(
        [sys.executable, "-c", _ORPHANED, method, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    marked, started = done.stdout.splitlines()
    pids = [int(pid) for pid in started.split()]
    assert len(pids) == 2 and marked == started  # both workers were running a task
    deadline = time.monotonic() + 5
    while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in pids if _running(pid)] == []


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_worker_whose_parent_is_already_gone_exits_at_once() -> None:
    """The parent may die between the fork and the worker's request to die with it: the
    worker then sees another parent, and exits instead of running on."""
    context = multiprocessing.get_context("fork")
    orphan = context.Process(target=workers._start_worker, args=(os.getppid(),))
    orphan.start()
    orphan.join(10)
    assert orphan.exitcode == 1
    child = context.Process(target=workers._start_worker, args=(os.getpid(),))
    child.start()
    child.join(10)
    assert child.exitcode == 0


def _signalled_self(task: int) -> int:
    os.kill(os.getpid(), signal.SIGINT)
    os.kill(os.getpid(), signal.SIGTERM)
    return task


def test_workers_leave_ctrl_c_and_sigterm_to_their_parent() -> None:
    """A terminal's Ctrl-C (or a service manager's SIGTERM) reaches the whole group: a worker
    that died of it would make the parent report a broken pool, with a traceback of its own."""
    with workers.process_pool(2) as pool:
        assert list(pool.map(_signalled_self, range(8))) == list(range(8))


def test_a_pool_left_by_an_exception_stops_its_workers_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(RuntimeError), workers.process_pool(2) as pool:
        list(pool.map(time.sleep, [0.01] * 2))  # the workers are up
        processes = list(pool._processes.values())
        pool.map(time.sleep, [30] * 8)
        raise RuntimeError("a problem in the parent")
    assert time.monotonic() - started < 10  # not the 2 minutes of the queued tasks
    assert [p.pid for p in processes if p.is_alive()] == []
