"""Prefetching input files: it asks for what it can, skips what it cannot, never blocks on a
strange file, and stays within its window."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscorpus.readahead import advise, read_ahead
from newscorpus.seeds import SeedRef, seed_files

linux = pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="no posix_fadvise here")


def _wait_for(condition: object, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.005)
    return False


@linux
def test_a_regular_file_is_asked_for(tmp_path: Path) -> None:
    seed = tmp_path / "1_00000000000000aa.txt"
    seed.write_text("Title\n\nBody.\n")
    assert advise(seed) is True
    assert seed.read_text() == "Title\n\nBody.\n"  # asking changes nothing


def test_what_cannot_be_opened_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("x")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    assert advise(tmp_path / "missing.txt") is False
    assert advise(tmp_path / "link.txt") is False  # a link is never followed


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_place_of_a_seed_does_not_block(tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer, unless asked not to."""
    fifo = tmp_path / "1_00000000000000aa.txt"
    os.mkfifo(fifo)
    thread = threading.Thread(target=advise, args=(fifo,), daemon=True)
    thread.start()
    thread.join(timeout=5)
    assert not thread.is_alive()


@linux
def test_it_stays_within_its_window(tmp_path: Path) -> None:
    paths = []
    for n in range(10):
        path = tmp_path / f"{n}.txt"
        path.write_text(str(n))
        paths.append(path)
    pulled: list[Path] = []

    def listed() -> Iterator[Path]:
        for path in paths:
            pulled.append(path)
            yield path

    with read_ahead(listed(), window=3) as ahead:
        # the fourth path is taken from the list, then the thread waits for room
        assert _wait_for(lambda: len(pulled) == 4)
        time.sleep(0.05)
        assert ahead.asked == 3 and len(pulled) == 4
        ahead.done(2)
        assert _wait_for(lambda: ahead.asked == 5)
        ahead.done(10)
        assert _wait_for(lambda: ahead.asked == 10)
    assert pulled == paths


def test_leaving_stops_a_waiting_thread(tmp_path: Path) -> None:
    """The body may end before the files are all read (a failure, a stop): the thread ends
    with it instead of waiting for room forever."""
    path = tmp_path / "a.txt"
    path.write_text("a")
    before = threading.active_count()
    with read_ahead([path] * 100, window=1):
        pass
    assert threading.active_count() == before


def test_seed_files_are_each_seed_then_its_sidecar() -> None:
    seeds = [
        SeedRef("1_a.txt", "a", "/s/1_a.txt", "/s/1_a.yaml"),
        SeedRef("2_b.txt", "b", "/s/2_b.txt", None),
    ]
    assert seed_files(seeds) == ["/s/1_a.txt", "/s/1_a.yaml", "/s/2_b.txt"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread priorities are Linux's")
def test_the_thread_runs_at_the_lowest_priority(tmp_path: Path) -> None:
    """On a warm cache the prefetch is wasted work: it must only take a core that would idle."""
    seen: list[int] = []
    path = tmp_path / "a.txt"
    path.write_text("a")

    def listed() -> Iterator[Path]:
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        yield path

    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    with read_ahead(listed(), window=4):
        assert _wait_for(lambda: bool(seen))
    assert seen == [19]
    # only that thread: the caller, which may be building in this very process, keeps its own
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine != 19
