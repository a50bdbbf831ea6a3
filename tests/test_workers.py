"""Worker pools fork where that is safe, and give the same results however they start."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.context import BaseContext
from pathlib import Path

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
