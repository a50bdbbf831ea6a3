"""Bad input is a finding or a one-line message, never a hang, a torn record or a traceback.

Seeds that are not regular files (a FIFO, a device) are refused without waiting on them, and
a seed written to while it is read is refused rather than stored half-edited; a full disk or a
read-only corpus folder is "cannot write PATH: ...", exit 1, with the old corpus untouched.
The moments that matter (a seed replaced after the folder was listed, a file growing between
two reads) are made to happen exactly there, by a wrapper around the real command.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from articles import ARTICLES, Variant, render
from newscorpus.build import build
from newscorpus.oserrors import describe, reading, writing
from newscorpus.seeds import SeedUnreadable, read_regular, shown, unreadable_problem

TIMEOUT = 60  # a build that waits on a FIFO never ends: the test fails instead of hanging


def composed(count: int, start: int = 0) -> dict[str, bytes]:
    """``count`` distinct seeds, by name."""
    seeds = {}
    for i in range(start, start + count):
        data = render(ARTICLES[i % len(ARTICLES)], Variant()) + f"\nSeed number {i}.\n".encode()
        seeds[f"{i + 1:04d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"] = data
    return seeds


def write_seeds(folder: Path, seeds: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in seeds.items():
        (folder / name).write_bytes(data)
    return folder


def snapshot(folder: Path) -> dict[str, object]:
    """Everything under ``folder``, hidden entries included: kind and bytes of each."""
    entries: dict[str, object] = {}
    for directory, folders, files in os.walk(folder):
        for name in folders + files:
            path = Path(directory, name)
            mode = path.lstat().st_mode
            relative = path.relative_to(folder).as_posix()
            if stat.S_ISREG(mode):
                entries[relative] = path.read_bytes()
            elif stat.S_ISLNK(mode):
                entries[relative] = ("link", os.readlink(path))
            else:
                entries[relative] = stat.S_IFMT(mode)
    return entries


def old_corpus(tmp_path: Path) -> Path:
    """A corpus built from three seeds: what a failed command must leave as it was."""
    out = tmp_path / "corpus"
    result = build(write_seeds(tmp_path / "old-seeds", composed(3, start=900)), out, workers=1)
    assert result.ok, result.problems
    return out


def run_wrapped(
    prelude: str, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``newscorpus ARGS`` in a fresh interpreter that first runs ``prelude`` (the fault)."""
    script = f"{prelude}\nfrom newscorpus.cli import main\nmain()\n"
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def assert_clean_failure(done: subprocess.CompletedProcess[str], code: str) -> None:
    assert done.returncode == 1, done.stderr
    output = done.stdout + done.stderr
    assert code in output, output
    assert "Traceback" not in output and "internal error" not in output, output


# --- reading one file -------------------------------------------------------------------


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    for size in (0, 1, 4095, 4096, 65537):
        path = tmp_path / f"{size}.txt"
        data = os.urandom(size)
        path.write_bytes(data)
        assert read_regular(path) == data


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_a_seed_that_is_not_a_regular_file_is_refused_unread(tmp_path: Path, kind: str) -> None:
    """In a fresh interpreter with a time limit: opening a FIFO the usual way waits for a
    writer forever."""
    if kind == "fifo":
        path = tmp_path / "0001_00000000000000aa.txt"
        os.mkfifo(path)
    elif kind == "device":
        path = Path(os.devnull)
    else:
        path = tmp_path / "0001_00000000000000aa.txt"
        path.mkdir()
    script = (
        "import sys\n"
        "from newscorpus.seeds import SeedUnreadable, read_regular\n"
        "try:\n"
        "    read_regular(sys.argv[1])\n"
        "except SeedUnreadable as error:\n"
        "    print(error.code, error.strerror)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=TIMEOUT
    )
    assert done.returncode == 0, done.stderr
    expected = {"fifo": "a FIFO", "device": "a device", "folder": "a folder"}[kind]
    assert done.stdout.startswith(f"NC-SEED-015 {expected}"), done.stdout


def test_a_symbolic_link_is_never_followed(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_bytes(b"Title\n\nBody.\n")
    link = tmp_path / "0001_00000000000000aa.txt"
    link.symlink_to(target)
    with pytest.raises(OSError) as raised:
        read_regular(link)
    assert raised.value.errno == errno.ELOOP
    assert unreadable_problem(str(link), raised.value).code == "NC-SEED-002"


def _while_read(monkeypatch: pytest.MonkeyPatch, path: Path, change) -> None:
    """Run ``change(path)`` once, right after the first read of ``path``'s descriptor."""
    real_read = os.read
    wanted = os.path.realpath(path)
    done: list[bool] = []

    def read(fd: int, count: int) -> bytes:
        data = real_read(fd, count)
        if not done and os.readlink(f"/proc/self/fd/{fd}") == wanted:
            done.append(True)
            change(path)
        return data

    monkeypatch.setattr(os, "read", read)


def _append(path: Path) -> None:
    with open(path, "ab") as handle:
        handle.write(b"A paragraph added while the file was read.\n")


def _truncate(path: Path) -> None:
    os.truncate(path, 10)


def _rewrite_in_place(path: Path) -> None:
    """The same number of bytes, other ones: only the stat can tell."""
    data = path.read_bytes()
    with open(path, "r+b") as handle:
        handle.write(data.upper())
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))


@pytest.mark.parametrize("change", [_append, _truncate, _rewrite_in_place])
def test_a_file_that_changes_while_it_is_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change
) -> None:
    path = tmp_path / "0001_00000000000000aa.txt"
    path.write_bytes(render(ARTICLES[0], Variant()))
    _while_read(monkeypatch, path, change)
    with pytest.raises(SeedUnreadable) as raised:
        read_regular(path)
    assert raised.value.code == "NC-SEED-016"
    problem = unreadable_problem(str(path), raised.value)
    assert (problem.code, problem.file) == ("NC-SEED-016", shown(path))
    assert problem.hint.startswith("wait until")


def test_the_finding_names_the_sidecar_when_the_sidecar_is_at_fault(tmp_path: Path) -> None:
    seed = tmp_path / "0001_00000000000000aa.txt"
    sidecar = tmp_path / "0001_00000000000000aa.yaml"
    os.mkfifo(sidecar)
    error = SeedUnreadable("NC-SEED-015", "a FIFO (named pipe), not a regular file", str(sidecar))
    problem = unreadable_problem(str(seed), error)
    assert problem.file == shown(sidecar)


# --- the commands ---------------------------------------------------------------------------


def test_a_fifo_in_the_seeds_folder_is_a_finding(tmp_path: Path) -> None:
    out = old_corpus(tmp_path)
    before = snapshot(out)
    seeds = write_seeds(tmp_path / "seeds", composed(5))
    os.mkfifo(seeds / "0099_00000000000000ff.txt")
    done = run_wrapped("", "build", "--seeds", str(seeds), "--out", str(out), cwd=tmp_path)
    assert_clean_failure(done, "NC-SEED-015")
    assert "seeds/0099_00000000000000ff.txt: NC-SEED-015" in done.stderr
    assert "a FIFO" in done.stderr
    assert snapshot(out) == before
    checked = run_wrapped("", "validate", "--corpus", str(out), "--seeds", str(seeds), cwd=tmp_path)
    assert_clean_failure(checked, "NC-SEED-015")


# Replaces the seed named by $VICTIM with a FIFO once the build has listed the seeds folder.
SWAP_FOR_FIFO = """
import os
from newscorpus import build
listed = build.discover
def discover(folder):
    found = listed(folder)
    os.unlink(os.environ["VICTIM"])
    os.mkfifo(os.environ["VICTIM"])
    return found
build.discover = discover
"""


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_seed_replaced_by_a_fifo_after_listing_is_a_finding(tmp_path: Path, workers: str) -> None:
    out = old_corpus(tmp_path)
    before = snapshot(out)
    seeds = write_seeds(tmp_path / "seeds", composed(40))
    victim = sorted(seeds.iterdir())[7]
    done = run_wrapped(
        SWAP_FOR_FIFO,
        "build", "--seeds", str(seeds), "--out", str(out), "--workers", workers,
        env={"VICTIM": str(victim)},
        cwd=tmp_path,
    )  # fmt: skip
    assert_clean_failure(done, "NC-SEED-015")
    assert f"seeds/{victim.name}: NC-SEED-015 [seed-not-a-file] a FIFO" in done.stderr
    assert snapshot(out) == before


# Appends to the seed named by $VICTIM right after the build's first read of it.
APPEND_WHILE_READ = """
import os
victim = os.path.realpath(os.environ["VICTIM"])
real_read = os.read
appended = []
def read(fd, count):
    data = real_read(fd, count)
    if not appended and os.readlink(f"/proc/self/fd/{fd}") == victim:
        appended.append(True)
        with open(victim, "ab") as handle:
            handle.write(b"A paragraph added while the build read the file.\\n")
    return data
os.read = read
"""


@pytest.mark.parametrize("command", ["build", "validate"])
def test_a_seed_appended_to_while_it_is_read_is_not_stored(tmp_path: Path, command: str) -> None:
    out = old_corpus(tmp_path)
    seeds = write_seeds(tmp_path / "seeds", composed(5))  # distinct articles: no near-duplicates
    if command == "validate":  # a corpus that matches the seeds, until one of them grows
        assert build(seeds, out, workers=1).ok
    before = snapshot(out)
    victim = sorted(seeds.iterdir())[3]
    args = ["--seeds", str(seeds), "--workers", "1"]
    args += ["--out", str(out)] if command == "build" else ["--corpus", str(out)]
    done = run_wrapped(APPEND_WHILE_READ, command, *args, env={"VICTIM": str(victim)}, cwd=tmp_path)
    assert_clean_failure(done, "NC-SEED-016")
    finding = f"seeds/{victim.name}: NC-SEED-016 [seed-changed-while-read]"
    assert finding in done.stdout + done.stderr
    assert victim.read_bytes().endswith(b"while the build read the file.\n")  # it did grow
    assert snapshot(out) == before


# --- a full disk and a read-only corpus folder ----------------------------------------------


@contextlib.contextmanager
def small_filesystem(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` at ``where`` (the tests run as root, as CI does)."""
    where.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        check=True,
        capture_output=True,
    )
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True, capture_output=True)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_full_disk_is_a_message_and_the_old_corpus_stays(tmp_path: Path, workers: str) -> None:
    seeds = write_seeds(tmp_path / "seeds", composed(300))  # about 700 KB of records
    with small_filesystem(tmp_path / "disk", "256k") as disk:
        out = old_corpus(disk)
        before = snapshot(out)
        done = run_wrapped(
            "", "build", "--seeds", str(seeds), "--out", str(out), "--workers", workers
        )
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr
        assert done.stderr.startswith(f"newscorpus: cannot write {out}/"), done.stderr
        assert done.stderr.rstrip().endswith(": no space left on device"), done.stderr
        assert snapshot(out) == before


def test_a_read_only_corpus_folder_is_a_message_and_stays_as_it_was(tmp_path: Path) -> None:
    seeds = write_seeds(tmp_path / "seeds", composed(10))
    with small_filesystem(tmp_path / "disk", "4m") as disk:
        out = old_corpus(disk)
        before = snapshot(out)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        done = run_wrapped("", "build", "--seeds", str(seeds), "--out", str(out))
        assert done.returncode == 1, done.stderr
        assert done.stderr.startswith(f"newscorpus: cannot write {out}"), done.stderr
        assert done.stderr.rstrip().endswith(": read-only file system"), done.stderr
        assert snapshot(out) == before
        report = disk / "report.json"
        checked = run_wrapped("", "validate", "--corpus", str(out), "--json-report", str(report))
        assert checked.returncode == 1, checked.stderr
        assert f"newscorpus: cannot write {disk}" in checked.stderr, checked.stderr
        assert "Traceback" not in checked.stderr and not report.exists()


# --- how an error of the file system is worded ----------------------------------------------


def _raised(error: OSError, wrap: contextlib.AbstractContextManager[None] | None = None) -> OSError:
    try:
        with wrap or contextlib.nullcontext():
            raise error
    except OSError as caught:
        return caught
    raise AssertionError("not raised")


def test_an_error_of_the_file_system_says_what_could_not_be_done_to_which_file(
    tmp_path: Path,
) -> None:
    target = tmp_path / "corpus" / "data.jsonl"
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as a write to an open file has it
    assert describe(full) == "cannot write: no space left on device"
    named = _raised(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), writing(target))
    assert describe(named) == f"cannot write {target}: no space left on device"
    # a write that finds no folder: the error alone would read as a read
    lost = _raised(FileNotFoundError(errno.ENOENT, "No such file or directory", str(target)))
    assert describe(lost) == f"cannot read {target}: no such file or directory"
    lost = _raised(
        FileNotFoundError(errno.ENOENT, "No such file or directory", str(target)), writing("x")
    )
    assert describe(lost) == f"cannot write {target}: no such file or directory"
    temporary = str(tmp_path / ".data.jsonl.x1y2")
    beside = _raised(OSError(errno.EROFS, "Read-only file system", temporary), writing(target))
    assert describe(beside) == f"cannot write {temporary}: read-only file system"
    beside = _raised(
        OSError(errno.EROFS, "Read-only file system", temporary), writing(target, instead=True)
    )
    assert describe(beside) == f"cannot write {target}: read-only file system"
    failing = _raised(OSError(errno.EIO, os.strerror(errno.EIO)), reading(target))
    assert describe(failing) == f"cannot read {target}: input/output error"
    moved = OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(target), None, str(tmp_path / "b"))
    assert describe(moved).startswith(f"cannot move {target} to {tmp_path / 'b'}: ")
    assert describe(OSError(errno.ECONNRESET, "Connection reset by peer")) is None  # a bug
    long = OSError(errno.ENAMETOOLONG, "File name too long", "/" + "a" * 5000)
    assert len(describe(long)) < 300


def test_a_bug_is_still_an_internal_error(tmp_path: Path) -> None:
    prelude = (
        "import newscorpus.cli\n"
        "def broken():\n"
        "    raise ConnectionResetError(104, 'Connection reset by peer')\n"
        "newscorpus.cli.format_rule_list = broken\n"
    )
    done = run_wrapped(prelude, "validate", "--list-rules", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("newscorpus: internal error: ConnectionResetError")
    assert "Traceback" not in done.stderr
