"""Publish, stopped at any moment or raced by a build or another publish, leaves whole output.

``publish`` is killed at each rename, exchange, unlink and removal it makes in turn (a fault
injected in a fresh interpreter that runs the command as a user does); after each kill
``hf/`` is exactly the old output or exactly the new, the zip too, and the next publish
finishes the job and leaves nothing behind. Also: a publish waits for a build of its corpus
(and a build for it), two publishes into one folder take turns, and a full disk is a message
that leaves the old output as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_commit import _new_seeds, _seeds

from conftest import run_cli
from newscorpus.build import build
from newscorpus.lock import LOCK_FILE, corpus_lock
from newscorpus.owned import PUBLISHED_LIST
from newscorpus.publish import command
from newscorpus.publish.command import publish

pytestmark = pytest.mark.publish

# The command line in this interpreter with a fault at the N-th call, in this process, of the
# functions that change what is in a folder (calls made inside a removal count as that one
# removal): SIGKILL, or a pause. ``noexchange``: as where names cannot be exchanged at once.
_FAULTY = """
import errno, os, shutil, signal, sys, time
mode, at, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
import newscorpus.cli
from newscorpus.publish import swap

parent, calls, depth = os.getpid(), [0], [0]


def faulty(name, real):
    def call(*args, **kwargs):
        if os.getpid() == parent and not depth[0]:
            calls[0] += 1
            with open(log, "a") as handle:
                handle.write(f"{calls[0]} {name} {args[0]}\\n")
            if calls[0] == at and mode.startswith("kill"):
                os.kill(parent, signal.SIGKILL)
            if calls[0] == at and mode == "pause":
                time.sleep(4)
        depth[0] += 1
        try:
            return real(*args, **kwargs)
        finally:
            depth[0] -= 1
    return call


for name in ("rename", "replace", "unlink", "rmdir"):
    setattr(os, name, faulty(name, getattr(os, name)))
shutil.rmtree = faulty("rmtree", shutil.rmtree)
exchange = swap.renameat2
if mode == "kill-noexchange":
    exchange = lambda first, second: errno.ENOSYS
swap.renameat2 = faulty("renameat2", exchange)
sys.argv = ["newscorpus", *sys.argv[4:]]
newscorpus.cli.main()
"""


def _faulty(mode: str, at: int, log: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _FAULTY, mode, str(at), str(log), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _publish(corpus: Path, out: Path) -> None:
    result = CliRunner().invoke(publish, ["--corpus", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output


def _hidden(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


def _check_output(out: Path) -> None:
    """The published folder reads whole: every file its manifest names, with the hash it
    gives, and the Parquet copy holds as many records; the zip holds the same data files."""
    import zipfile

    import pyarrow.parquet as pq

    hf = out / "hf"
    manifest = json.loads((hf / "corpus" / "manifest.json").read_bytes())
    for entry in manifest["files"]:
        data = (hf / "corpus" / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
    rows = sum(pq.read_metadata(p).num_rows for p in (hf / "parquet").glob("*.parquet"))
    assert rows == manifest["records"]
    (archive,) = out.glob("*.zip")
    with zipfile.ZipFile(archive) as package:
        assert package.testzip() is None
        for entry in manifest["files"]:
            assert (
                package.read(f"corpus/{entry['path']}")
                == (hf / "corpus" / entry["path"]).read_bytes()
            )


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A corpus published (the old output), then rebuilt from changed seeds: (corpus, old
    output, new output as a clean publish makes it)."""
    root = tmp_path_factory.mktemp("faults")
    seeds, corpus = root / "seeds", root / "corpus"
    _seeds(seeds, 6)
    assert build(seeds, corpus, workers=1).ok
    _publish(corpus, root / "old")
    _new_seeds(seeds)
    assert build(seeds, corpus, workers=1).ok
    _publish(corpus, root / "new")
    assert _tree(root / "old" / "hf") != _tree(root / "new" / "hf")
    return corpus, root / "old", root / "new"


@pytest.mark.parametrize("mode", ["kill", "kill-noexchange"])
def test_a_publish_killed_at_any_step_leaves_the_old_output_or_the_new(
    outputs: tuple[Path, Path, Path], tmp_path: Path, mode: str
) -> None:
    """Killed at the 1st, 2nd, ... change it makes to --out (until it runs to the end), hf/
    and the zip are each exactly the old output or the new; where names cannot be exchanged
    at once, an hf/ caught between its two renames is put back by the next publish. The next
    publish makes exactly the new output and leaves no staging folder or temporary."""
    corpus, old, new = outputs
    (zip_name,) = (p.name for p in new.glob("*.zip"))
    old_hf, new_hf = _tree(old / "hf"), _tree(new / "hf")
    old_zip, new_zip = (old / zip_name).read_bytes(), (new / zip_name).read_bytes()
    out = tmp_path / "out"
    kills, seen, missing = 0, set(), 0
    for at in range(1, 40):
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(old, out)
        log = tmp_path / f"calls-{at}.log"
        process = _faulty(mode, at, log, "publish", "--corpus", str(corpus), "--out", str(out))
        _, stderr = process.communicate(timeout=120)
        if process.returncode == 0:
            break
        assert process.returncode == -9, stderr
        kills += 1
        seen.add(log.read_text().splitlines()[-1].split()[1])
        if mode == "kill-noexchange" and not (out / "hf").exists():
            missing += 1  # killed between the two renames: the next publish puts it back
            with corpus_lock(out, "newscorpus publish"):
                command._recover(out)
        assert _tree(out / "hf") in (old_hf, new_hf), f"killed at call {at}: hf/ is a mix"
        assert (out / zip_name).read_bytes() in (old_zip, new_zip), at
        _publish(corpus, out)
        assert _tree(out / "hf") == new_hf, at
        assert (out / zip_name).read_bytes() == new_zip, at
        assert _hidden(out) == sorted([LOCK_FILE, PUBLISHED_LIST]), at
    else:
        pytest.fail("publish never ran to its end")
    assert kills >= 5 and {"replace", "rmtree", "renameat2"} <= seen, seen
    if mode == "kill-noexchange":
        assert missing == 1 and "rename" in seen
    assert _tree(out / "hf") == new_hf


def test_leftovers_that_publish_cannot_prove_it_wrote_are_kept(
    outputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """A folder named like publish's staging but not in its list, and a file of that name,
    are someone else's: publish leaves them."""
    corpus, old, new = outputs
    out = tmp_path / "out"
    shutil.copytree(old, out)
    (out / ".hf-0123456789ab").mkdir()
    (out / ".hf-0123456789ab" / "notes.txt").write_text("mine\n")
    (out / ".hf-old-0123456789ab").write_text("mine too\n")
    _publish(corpus, out)
    assert (out / ".hf-0123456789ab" / "notes.txt").read_text() == "mine\n"
    assert (out / ".hf-old-0123456789ab").read_text() == "mine too\n"
    assert _tree(out / "hf") == _tree(new / "hf")


def test_publishes_and_builds_of_one_corpus_take_turns(tmp_path: Path) -> None:
    """While builds edit and rebuild the corpus in a loop, every publish succeeds and its
    output reads whole (without the lock, a build removed the data files it was copying)."""
    seeds, corpus = tmp_path / "seeds", tmp_path / "corpus"
    _seeds(seeds, 6)
    assert build(seeds, corpus, workers=1).ok
    loop = (
        "import subprocess, sys\nfrom pathlib import Path\n"
        "victim = sorted(Path(sys.argv[1]).glob('*.txt'))[0]\n"
        "for i in range(6):\n"
        "    victim.write_bytes(victim.read_bytes() + f'\\nEdit number {i}.\\n'.encode())\n"
        "    done = subprocess.run([sys.executable, '-m', 'newscorpus', 'build', '--seeds',"
        " sys.argv[1], '--out', sys.argv[2]], capture_output=True, text=True)\n"
        "    assert done.returncode == 0, done.stderr\n"
    )
    builds = subprocess.Popen(
        [sys.executable, "-c", loop, str(seeds), str(corpus)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        published = 0
        while builds.poll() is None or published < 3:
            out = tmp_path / f"out-{published}"
            result = run_cli("publish", "--corpus", str(corpus), "--out", str(out), cwd=tmp_path)
            assert result.returncode == 0, result.stderr
            _check_output(out)
            published += 1
            assert published < 20
    finally:
        _, errors = builds.communicate(timeout=300)
    assert builds.returncode == 0, errors


def test_two_publishes_into_one_folder_take_turns(
    outputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """The second publish waits for the first, says so, and both succeed: the folder holds
    exactly what one publish writes."""
    corpus, _, new = outputs
    out = tmp_path / "out"
    args = ("publish", "--corpus", str(corpus), "--out", str(out))
    first = _faulty("pause", 2, tmp_path / "first.log", *args)
    lock = out / LOCK_FILE
    deadline = time.monotonic() + 120
    while not (lock.is_file() and lock.read_text().startswith(f"{first.pid} ")):
        assert time.monotonic() < deadline and first.poll() is None, "the first never ran"
        time.sleep(0.05)
    second = _faulty("none", 0, tmp_path / "second.log", *args)
    _, first_err = first.communicate(timeout=120)
    _, second_err = second.communicate(timeout=120)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert f"waiting for newscorpus publish (pid {first.pid}) to finish with {out}" in second_err
    assert _tree(out) == _tree(new)
    assert _hidden(out) == sorted([LOCK_FILE, PUBLISHED_LIST])


def test_a_full_disk_is_a_message_and_the_old_output_stays(
    outputs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """Room for one output but not for a second beside it: exit 1, "cannot write …: no
    space left on device", and the old output as it was, with no staging folder left."""
    from test_badinput import small_filesystem

    corpus, old, _ = outputs
    size = sum(p.stat().st_size for p in old.rglob("*") if p.is_file())
    with small_filesystem(tmp_path / "disk", f"{size * 3 // 2 // 1024 + 64}k") as disk:
        out = disk / "out"
        shutil.copytree(old, out)
        before = _tree(out)
        result = run_cli("publish", "--corpus", str(corpus), "--out", str(out), cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        # named as the user named it, relative to where publish ran
        assert result.stderr.startswith("newscorpus: cannot write disk/out/hf"), result.stderr
        assert result.stderr.rstrip().endswith(": no space left on device"), result.stderr
        assert _tree(out) == before
        assert _hidden(out) == sorted([LOCK_FILE, PUBLISHED_LIST])
