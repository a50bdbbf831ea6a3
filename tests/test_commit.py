"""The commit of a build: whenever it is stopped, a reader sees the old corpus or the new one.

The build is killed at each rename, unlink and removal it makes in turn (a fault injected in
a fresh interpreter that runs the command as a user does), and after each kill the corpus is
read as readers read it: through the manifest, and through the data package at the root of
the corpus repository. Also: one build at a time holds a corpus, and a cache index that does
not describe what is on disk is never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from articles import ARTICLES, Variant, render
from conftest import REPO, run_cli
from newscorpus.build import CommittedButIncomplete, build
from newscorpus.buildcache import CACHE_DIR, INDEX
from newscorpus.corpus import DATA_DIR, MANIFEST, STAGING_DIR, shard_name
from newscorpus.lock import LOCK_FILE

# Runs the command line in this interpreter with a fault at the N-th call, in this process
# only (not its workers), of the functions that change what is in a folder: SIGKILL. Every
# call is logged, so a test can say where the kill landed.
_FAULTY = """
import os, shutil, signal, sys
mode, at, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
import newscorpus.build
import newscorpus.cli

parent, calls = os.getpid(), [0]


def faulty(name, real):
    def call(*args, **kwargs):
        if os.getpid() == parent:
            calls[0] += 1
            with open(log, "a") as handle:
                handle.write(f"{calls[0]} {name} {args[0]}\\n")
            if calls[0] == at and mode == "kill":
                os.kill(parent, signal.SIGKILL)
        return real(*args, **kwargs)
    return call


for name in ("rename", "replace", "unlink", "link", "rmdir"):
    setattr(os, name, faulty(name, getattr(os, name)))
shutil.rmtree = faulty("rmtree", shutil.rmtree)
sys.argv = ["newscorpus", *sys.argv[4:]]
newscorpus.cli.main()
"""

GENERATED = ("README.md", "LICENSE.md", "datapackage.json", "croissant.json", "docs/rules.md")


def _seeds(folder: Path, count: int, salt: str = "") -> dict[str, bytes]:
    """``count`` composed seeds whose ids spread over the shards, written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for i in range(count):
        data = render(ARTICLES[i % len(ARTICLES)], Variant()) + f"\nSeed {i}{salt}.\n".encode()
        name = f"{i + 1:03d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"
        (folder / name).write_bytes(data)
        written[name] = data
    return written


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _corpus_tree(corpus: Path) -> dict[str, bytes]:
    """The corpus as committed: everything but the cache index and the lock file."""
    return {
        name: data
        for name, data in _files(corpus).items()
        if not name.startswith(f"{CACHE_DIR}/") and name != LOCK_FILE
    }


def _read_through_manifest(corpus: Path) -> tuple[bytes, list[bytes]]:
    """What a reader of the manifest sees: the manifest and the records of the files it
    names, each file checked against it."""
    raw = (corpus / MANIFEST).read_bytes()
    manifest = json.loads(raw)
    lines: list[bytes] = []
    for entry in manifest["files"]:
        data = (corpus / entry["path"]).read_bytes()
        assert len(data) == entry["bytes"], entry["path"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
        assert data.count(b"\n") == entry["records"], entry["path"]
        lines += data.splitlines(keepends=True)
    assert manifest["records"] == len(lines)
    return raw, lines


def _check_data_package(repo: Path) -> None:
    """Every data file the root datapackage.json names exists, with the hash it gives."""
    package = json.loads((repo / "datapackage.json").read_bytes())
    named = 0
    for resource in package["resources"]:
        paths = resource.get("path")
        paths = paths if isinstance(paths, list) else [paths]
        for path in paths:
            if isinstance(path, str) and path.startswith(f"corpus/{DATA_DIR}/"):
                named += 1
                data = (repo / path).read_bytes()
                if len(paths) == 1 and "hash" in resource:
                    assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"
    assert named


def _repository(root: Path, seeds: int, salt: str = "") -> Path:
    """A corpus repository: its config, and a seeds folder."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "newscorpus.toml", root / "newscorpus.toml")
    _seeds(root / "seeds", seeds, salt)
    return root


def _build_in(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_cli("build", *args, cwd=repo)
    assert result.returncode == 0, result.stderr
    return result


def _faulty(mode: str, at: int, log: Path, *args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _FAULTY, mode, str(at), str(log), *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )


def _run_script(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run one of the scripts above (the command line with a change injected) to its end."""
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )


def _new_seeds(seeds: Path) -> None:
    """The change the killed build makes: a seed edited, one removed, two added."""
    names = sorted(seeds.glob("*.txt"))
    names[1].write_bytes(names[1].read_bytes() + b"\nA new closing paragraph.\n")
    names[3].unlink()
    for i, article in enumerate(ARTICLES[:2]):
        data = render(article, Variant()) + f"\nAdded seed {i}.\n".encode()
        (seeds / f"{900 + i}_{hashlib.sha256(data).hexdigest()[:16]}.txt").write_bytes(data)


def test_a_build_killed_at_any_step_leaves_the_old_corpus_or_the_new(tmp_path: Path) -> None:
    """Killed at the 1st, 2nd, ... rename or unlink of the build (until it runs to the end),
    the corpus reads as exactly the old one or exactly the new one, through the manifest and
    through the data package; the seeds are untouched; a build that then fails keeps it; and
    the next build makes exactly the new corpus, leaving nothing behind."""
    pristine = _repository(tmp_path / "pristine", 6)
    _build_in(pristine)
    old = _read_through_manifest(pristine / "corpus")
    _new_seeds(pristine / "seeds")
    seeds = _files(pristine / "seeds")
    clean = tmp_path / "clean"
    shutil.copytree(pristine, clean, ignore=shutil.ignore_patterns("corpus", *GENERATED))
    _build_in(clean)
    new = _read_through_manifest(clean / "corpus")
    assert new != old
    repo = tmp_path / "repo"
    kills, seen = 0, set()
    for at in range(1, 100):
        shutil.rmtree(repo, ignore_errors=True)
        shutil.copytree(pristine, repo, symlinks=True)
        log = tmp_path / f"calls-{at}.log"
        process = _faulty("kill", at, log, "build", cwd=repo)
        _, stderr = process.communicate(timeout=300)
        if process.returncode == 0:
            break
        assert process.returncode == -9, stderr
        kills += 1
        seen.add(log.read_text().splitlines()[-1].split()[1])
        view = _read_through_manifest(repo / "corpus")
        assert view in (old, new), f"killed at call {at}: neither the old corpus nor the new"
        _check_data_package(repo)
        assert _files(repo / "seeds") == seeds
        # A build that fails now (a bad seed) keeps what is there.
        bad = repo / "seeds" / "950_00000000000000aa.txt"
        bad.write_bytes(b"Just a title\n")
        assert not build(repo / "seeds", repo / "corpus", workers=1).ok
        assert _read_through_manifest(repo / "corpus") == view
        _check_data_package(repo)
        bad.unlink()
        # And the next build makes the new corpus exactly, with no leftovers.
        _build_in(repo)
        assert _corpus_tree(repo / "corpus") == _corpus_tree(clean / "corpus"), at
        assert not (repo / "corpus" / STAGING_DIR).exists()
        for name in GENERATED:
            assert (repo / name).read_bytes() == (clean / name).read_bytes(), (at, name)
        assert _files(repo / "seeds") == seeds
    else:
        pytest.fail("the build never ran to its end")
    assert kills >= 8 and {"replace", "unlink", "rmtree"} <= seen
    assert _corpus_tree(repo / "corpus") == _corpus_tree(clean / "corpus")


def test_a_first_build_killed_at_any_step_leaves_no_corpus_or_the_new(tmp_path: Path) -> None:
    """Into an empty --out: killed before the commit, there is no manifest (and validate says
    so rather than reading the leftovers as a corpus); killed after it, the corpus is whole."""
    seeds = tmp_path / "seeds"
    _seeds(seeds, 3)
    clean = tmp_path / "clean"
    build(seeds, clean, workers=1)
    new = _read_through_manifest(clean)
    out = tmp_path / "out"
    for at in range(1, 100):
        shutil.rmtree(out, ignore_errors=True)
        log = tmp_path / f"calls-{at}.log"
        process = _faulty(
            "kill", at, log, "build", "--seeds", str(seeds), "--out", str(out), cwd=tmp_path
        )
        _, stderr = process.communicate(timeout=300)
        if process.returncode == 0:
            break
        assert process.returncode == -9, stderr
        if (out / MANIFEST).exists():
            assert _read_through_manifest(out) == new
        else:
            checked = run_cli("validate", "--corpus", str(out))
            assert checked.returncode == 1 and "NC-MAN-001" in checked.stdout + checked.stderr
        assert run_cli("build", "--seeds", str(seeds), "--out", str(out)).returncode == 0
        assert _corpus_tree(out) == _corpus_tree(clean)
    else:
        pytest.fail("the build never ran to its end")


def test_validate_ignores_the_leftovers_of_a_stopped_build(tmp_path: Path) -> None:
    """A data file the manifest does not name but whose bytes match its name is left by a
    build stopped before its commit: validate passes and says so; `build --check` reports it
    (it must not be committed); the next build removes it. Any other unlisted file is a
    finding."""
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    _seeds(seeds, 4)
    build(seeds, out, workers=1)
    data = b"".join(sorted((out / DATA_DIR).glob("*.jsonl"))[0].read_bytes().splitlines(True)[:1])
    leftover = out / shard_name("0", hashlib.sha256(data).hexdigest())
    leftover.write_bytes(data)
    checked = run_cli("validate", "--corpus", str(out))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "1 leftover file(s) of an interrupted build ignored" in checked.stdout + checked.stderr
    stale = run_cli("build", "--check", "--seeds", str(seeds), "--out", str(out))
    assert stale.returncode == 1 and leftover.name in stale.stderr
    assert run_cli("build", "--seeds", str(seeds), "--out", str(out)).returncode == 0
    assert not leftover.exists()
    forged = out / shard_name("0", "0" * 64)  # named like a build's file, but not its bytes
    forged.write_bytes(data)
    checked = run_cli("validate", "--corpus", str(out))
    assert checked.returncode == 1 and "NC-MAN-003" in checked.stdout + checked.stderr


# Runs `newscorpus build` paused inside the lock: once it holds it, it makes the file
# sys.argv[1] and waits until the file sys.argv[2] appears.
_PAUSED_IN_THE_LOCK = """
import os, sys, time
from pathlib import Path
import newscorpus.build
import newscorpus.cli

real, inside, go_on = newscorpus.build.build_into, Path(sys.argv[1]), Path(sys.argv[2])


def build_into(*args, **kwargs):
    inside.touch()
    deadline = time.monotonic() + 120
    while not go_on.exists():
        assert time.monotonic() < deadline, "never released"
        time.sleep(0.02)
    return real(*args, **kwargs)


newscorpus.build.build_into = build_into
sys.argv = ["newscorpus", *sys.argv[3:]]
newscorpus.cli.main()
"""


def _wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not path.exists():
        assert time.monotonic() < deadline and process.poll() is None, "the build never ran"
        time.sleep(0.02)


def test_two_builds_of_one_corpus_take_turns(tmp_path: Path) -> None:
    """Started while the first holds the lock, the second build waits for it, says so, and
    both succeed; the corpus validates and is what one build writes."""
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    _seeds(seeds, 8)
    args = ("build", "--seeds", str(seeds), "--out", str(out))
    inside, go_on = tmp_path / "inside", tmp_path / "go-on"
    first = subprocess.Popen(
        [sys.executable, "-c", _PAUSED_IN_THE_LOCK, str(inside), str(go_on), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for(inside, first)
    second = subprocess.Popen(
        [sys.executable, "-m", "newscorpus", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert second.stderr is not None
    waiting = second.stderr.readline()  # printed before it blocks on the lock
    go_on.touch()
    _, first_err = first.communicate(timeout=300)
    _, second_err = second.communicate(timeout=300)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert waiting == f"waiting for newscorpus build (pid {first.pid}) to finish with {out}…\n"
    assert "waiting" not in first_err
    checked = run_cli(
        "validate", "--corpus", str(out), "--seeds", str(seeds), "--ignore", "NC-REC-010"
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    clean = tmp_path / "clean"
    build(seeds, clean, workers=1)
    assert _corpus_tree(out) == _corpus_tree(clean)


# Holds the lock of the corpus folder sys.argv[1] as a build would, until killed.
_HOLDER = """
import sys, time
from pathlib import Path
from newscorpus.lock import corpus_lock
with corpus_lock(Path(sys.argv[1]), "newscorpus build"):
    print("held", flush=True)
    time.sleep(600)
"""


def _hold_the_lock(out: Path) -> subprocess.Popen[str]:
    """Another process holding the lock of ``out``, returned once it holds it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(out)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    if holder.stdout.readline() != "held\n":
        holder.kill()
        holder.wait()
        raise AssertionError("the holder never took the lock")
    return holder


def test_the_lock_is_re_entrant_and_free_after_a_kill(tmp_path: Path) -> None:
    """A build inside a command that holds the lock (``release``) does not wait for itself;
    a killed holder's lock is free at once."""
    from newscorpus.lock import corpus_lock

    seeds, out = tmp_path / "seeds", tmp_path / "out"
    _seeds(seeds, 3)
    out.mkdir()
    with corpus_lock(out, "newscorpus release"):
        assert build(seeds, out, workers=1).ok
        assert (out / LOCK_FILE).read_text() == f"{os.getpid()} newscorpus release\n"
    assert (out / LOCK_FILE).read_text() == ""
    holder = _hold_the_lock(out)
    holder.kill()
    holder.wait()
    started = time.monotonic()
    result = run_cli("build", "--seeds", str(seeds), "--out", str(out))
    assert result.returncode == 0 and "waiting" not in result.stderr
    assert time.monotonic() - started < 60


def test_a_build_waiting_for_the_lock_can_be_interrupted(tmp_path: Path) -> None:
    """Ctrl-C while waiting for another build stops the waiting one (exit 130, nothing
    changed), and the holder is not disturbed."""
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    _seeds(seeds, 3)
    build(seeds, out, workers=1)
    before = _corpus_tree(out)
    holder = _hold_the_lock(out)
    try:
        waiting = subprocess.Popen(
            [sys.executable, "-m", "newscorpus", "build", "--seeds", str(seeds), "--out", str(out)],
            stderr=subprocess.PIPE,
            text=True,
        )
        assert waiting.stderr is not None
        line = waiting.stderr.readline()
        assert line.startswith(f"waiting for newscorpus build (pid {holder.pid})"), line
        waiting.send_signal(signal.SIGINT)
        rest = waiting.stderr.read()
        assert waiting.wait(timeout=60) == 130
        assert "interrupted: nothing was changed" in rest and "Traceback" not in rest
        assert holder.poll() is None
    finally:
        holder.kill()
        holder.wait()
    assert _corpus_tree(out) == before


def _built(tmp_path: Path, count: int = 12) -> tuple[Path, Path, Path]:
    """Seeds an hour old (so that the cache trusts their stat), built into ``out``, and the
    same seeds built into a second folder: (seeds, out, clean)."""
    seeds, out, clean = tmp_path / "seeds", tmp_path / "out", tmp_path / "clean"
    _seeds(seeds, count)
    an_hour_ago = time.time_ns() - 3_600_000_000_000
    for path in seeds.iterdir():
        os.utime(path, ns=(an_hour_ago, an_hour_ago))
    assert build(seeds, out, workers=1).ok
    assert build(seeds, clean, workers=1).ok
    return seeds, out, clean


def test_a_data_file_edited_behind_the_cache_is_never_reused(tmp_path: Path) -> None:
    """An edit that keeps the file's size, inode and mtime still changes its ctime: the build
    hashes the file, finds it changed, and builds its shard again."""
    seeds, out, clean = _built(tmp_path)
    shard = sorted((out / DATA_DIR).glob("*.jsonl"))[0]
    stat = shard.stat()
    data = bytearray(shard.read_bytes())
    position = data.index(b'"title":"') + 9
    data[position] ^= 0x20  # one letter's case: same size
    with open(shard, "r+b") as handle:  # in place: same inode
        handle.write(bytes(data))
    os.utime(shard, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result = build(seeds, out, workers=1)
    assert result.ok and result.reused == len(result.manifest.files) - 1
    assert _corpus_tree(out) == _corpus_tree(clean)


def test_an_index_of_another_corpus_is_no_cache(tmp_path: Path) -> None:
    """The index of another corpus (another manifest) is ignored: nothing is reused."""
    seeds, out, clean = _built(tmp_path)
    other = tmp_path / "other"
    _seeds(other / "seeds", 12, salt=" of another corpus")
    build(other / "seeds", other / "corpus", workers=1)
    shutil.copy(other / "corpus" / CACHE_DIR / INDEX, out / CACHE_DIR / INDEX)
    result = build(seeds, out, workers=1)
    assert result.ok and result.reused == 0
    assert _corpus_tree(out) == _corpus_tree(clean)
    assert build(seeds, out, workers=1).reused == len(result.manifest.files)


def test_an_index_that_lies_about_the_data_files_is_no_cache(tmp_path: Path) -> None:
    """An index with the right manifest digest whose entries point a shard at another file
    (one that holds the bytes its name gives, but another shard's records) is ignored."""
    seeds, out, clean = _built(tmp_path)
    index_path = out / CACHE_DIR / INDEX
    index = json.loads(index_path.read_bytes())
    first, second = sorted(index["shards"])[:2]
    wrong = index["shards"][second]
    planted = out / shard_name(first, wrong["sha256"])
    shutil.copy(out / shard_name(second, wrong["sha256"]), planted)
    stamp = planted.stat()
    index["shards"][first].update(
        sha256=wrong["sha256"],
        bytes=wrong["bytes"],
        records=wrong["records"],
        stamp=f"{stamp.st_size}:{stamp.st_mtime_ns}:{stamp.st_ctime_ns}:{stamp.st_ino}",
    )
    index_path.write_bytes(json.dumps(index).encode())
    result = build(seeds, out, workers=1)
    assert result.ok and result.reused == 0
    assert _corpus_tree(out) == _corpus_tree(clean)


def test_a_build_stopped_after_its_commit_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk error after the manifest is in place is no "nothing was changed": the error
    says the corpus was committed, what could not be written and what to run; the corpus
    reads whole, and the next build finishes the job."""
    import newscorpus.build as build_module

    seeds, out = tmp_path / "seeds", tmp_path / "out"
    _seeds(seeds, 6)
    build(seeds, out, workers=1)
    _new_seeds(seeds)
    target = tmp_path / "description.json"

    def failing(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(build_module, "write_file", failing)
    with pytest.raises(CommittedButIncomplete) as raised:
        build(seeds, out, workers=1, derive=lambda manifest: {target: b"{}\n"})
    message = str(raised.value)
    assert message.startswith(f"the corpus in {out} was built and committed, but {target}")
    assert "No space left on device" in message and "run `newscorpus build` again" in message
    assert isinstance(raised.value, OSError)
    monkeypatch.undo()
    view = _read_through_manifest(out)
    clean = tmp_path / "clean"
    build(seeds, clean, workers=1)
    assert view == _read_through_manifest(clean)
    build(seeds, out, workers=1)
    assert _corpus_tree(out) == _corpus_tree(clean)


@pytest.mark.parametrize("stop", [KeyboardInterrupt, OSError])
def test_a_build_stopped_before_its_commit_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: type[BaseException]
) -> None:
    """Stopped once its new data files are in ``data/`` but before the manifest names them
    (Ctrl-C, or a disk error), the build takes them out again: every file of the corpus
    folder, the cache index included, is as it was."""
    import newscorpus.build as build_module

    seeds, out = tmp_path / "seeds", tmp_path / "out"
    _seeds(seeds, 6)
    build(seeds, out, workers=1)
    _new_seeds(seeds)
    before = _files(out)

    def stopped(path: Path) -> None:
        assert any(name not in before for name in _files(out))  # new files were put in place
        raise stop()

    monkeypatch.setattr(build_module, "fsync_dir", stopped)
    with pytest.raises(stop):
        build(seeds, out, workers=1)
    assert _files(out) == before


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (lambda m: m["files"][0].update(path=["data", "x.jsonl"]), "files[0].path is a list"),
        (lambda m: m["files"][0].update(path=7), "files[0].path is a whole number (7)"),
        (lambda m: m["files"][0].update(records="3"), "files[0].records is a string ('3')"),
        (lambda m: m["files"][0].update(sha256=None), "files[0].sha256 is null"),
        (lambda m: m["files"].append("data/x.jsonl"), "is a string ('data/x.jsonl'), not an"),
        (lambda m: m.update(records=[1] * 10_000), "records is a list ([1, 1, 1"),
        (lambda m: m.update(languages=[None]), "languages holds a value that is not a string"),
        (lambda m: m.update(files={"a": 1}), "manifest lacks the files list"),
    ],
)
def test_a_manifest_of_wrong_types_is_a_finding(tmp_path: Path, change, shown: str) -> None:  # type: ignore[no-untyped-def]
    """Whatever a manifest holds, validate reports NC-MAN-001 with a short excerpt of the
    value, never a traceback."""
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    _seeds(seeds, 3)
    build(seeds, out, workers=1)
    manifest = json.loads((out / MANIFEST).read_bytes())
    change(manifest)
    (out / MANIFEST).write_text(json.dumps(manifest))
    result = run_cli("validate", "--corpus", str(out))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "NC-MAN-001" in output and shown in output, output
    assert "Traceback" not in output and "internal error" not in output
    assert all(len(line) < 600 for line in output.splitlines())
    rebuilt = run_cli("build", "--seeds", str(seeds), "--out", str(out))
    assert rebuilt.returncode == 0, rebuilt.stderr


def _tree_of(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder``, links as their targets, without following them."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[name] = path.read_bytes()
        else:
            found[name] = "/"
    return found


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_kept(tmp_path: Path) -> None:
    """The lock file is opened without following a link: a link in its place is exit 1
    naming it, and the file it points to keeps its bytes."""
    seeds, out = tmp_path / "seeds", tmp_path / "corpus"
    _seeds(seeds, 2)
    build(seeds, out, workers=1)
    (out / LOCK_FILE).unlink()
    user = tmp_path / "user.txt"
    user.write_bytes(b"the user's own words\n")
    (out / LOCK_FILE).symlink_to(user)
    before = _tree_of(out)
    result = run_cli("build", "--seeds", "seeds", "--out", "corpus", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "corpus/.newscorpus.lock is a symbolic link" in result.stderr
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert user.read_bytes() == b"the user's own words\n"
    assert _tree_of(out) == before


def test_the_lock_refuses_a_link_even_when_called_directly(tmp_path: Path) -> None:
    """``corpus_lock`` itself (used by ``release`` too) never writes through a link or into
    a FIFO."""
    from newscorpus.entries import RefusedEntry
    from newscorpus.lock import corpus_lock

    user = tmp_path / "user.txt"
    user.write_bytes(b"keep\n")
    link = tmp_path / "a"
    link.mkdir()
    (link / LOCK_FILE).symlink_to(user)
    with pytest.raises(RefusedEntry, match="is a symbolic link"), corpus_lock(link, "x"):
        pass
    assert user.read_bytes() == b"keep\n"
    fifo = tmp_path / "b"
    fifo.mkdir()
    os.mkfifo(fifo / LOCK_FILE)
    with pytest.raises(RefusedEntry, match="is not a regular file"), corpus_lock(fifo, "x"):
        pass


def test_the_holders_name_is_best_effort(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk when the lock file names its holder does not stop the build."""
    import newscorpus.lock as lock_module

    def full(fd: int, data: bytes, offset: int) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(lock_module.os, "pwrite", full)
    seeds, out = tmp_path / "seeds", tmp_path / "corpus"
    _seeds(seeds, 2)
    assert build(seeds, out, workers=1).ok
    monkeypatch.undo()
    assert (out / MANIFEST).is_file()


@pytest.mark.parametrize(
    ("name", "make", "why"),
    [
        (DATA_DIR, "link", "is a symbolic link"),
        (CACHE_DIR, "link", "is a symbolic link"),
        (STAGING_DIR, "link", "is a symbolic link"),
        (MANIFEST, "link", "is a symbolic link"),
        (MANIFEST, "folder", "is not a regular file"),
        (DATA_DIR, "file", "is not a folder"),
        (CACHE_DIR, "file", "is not a folder"),
        (STAGING_DIR, "file", "is not a folder"),
        (LOCK_FILE, "folder", "is not a regular file"),
    ],
)
def test_an_entry_of_the_corpus_that_is_a_link_or_of_the_wrong_kind_is_refused(
    tmp_path: Path, name: str, make: str, why: str
) -> None:
    """No entry a build writes in --out is followed out of it or misused: exit 1 naming it
    and saying what to do, before anything is written, wherever the link points."""
    seeds, out = tmp_path / "seeds", tmp_path / "corpus"
    _seeds(seeds, 4)
    build(seeds, out, workers=1)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(out / DATA_DIR, elsewhere / DATA_DIR)
    (elsewhere / "manifest.json").write_bytes((out / MANIFEST).read_bytes())
    (elsewhere / "notes.txt").write_bytes(b"the user's\n")
    entry = out / name
    if entry.is_dir():
        shutil.rmtree(entry)
    elif entry.exists():
        entry.unlink()
    if make == "link":
        entry.symlink_to(elsewhere / name if name in (DATA_DIR, MANIFEST) else elsewhere)
    elif make == "folder":
        entry.mkdir()
    else:
        entry.write_bytes(b"")
    _new_seeds(seeds)
    before, outside = _tree_of(out), _tree_of(elsewhere)
    result = run_cli("build", "--seeds", "seeds", "--out", "corpus", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert f"newscorpus: corpus/{name} {why}" in result.stderr
    assert "Move it out of the corpus folder" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert _tree_of(out) == before
    assert _tree_of(elsewhere) == outside


def test_staging_cleanup_never_follows_a_link(tmp_path: Path) -> None:
    """Even where a link sits at the staging folder (called below the command's checks),
    the link is removed, and the folder it points to is left whole."""
    from newscorpus.corpus import staging

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_bytes(b"keep\n")
    root = tmp_path / "root"
    root.mkdir()
    (root / STAGING_DIR).symlink_to(elsewhere)
    with staging(root) as scratch:
        assert scratch.is_dir() and not scratch.is_symlink()
    assert not (root / STAGING_DIR).exists()
    assert (elsewhere / "keep.txt").read_bytes() == b"keep\n"


def test_an_out_that_is_a_link_to_a_folder_builds_there_unless_it_leads_to_the_seeds(
    tmp_path: Path,
) -> None:
    """--out given as a link is the folder it leads to: the build writes there (the link
    stays a link), and a link to the seeds folder is the usage error of --out = --seeds."""
    seeds = tmp_path / "seeds"
    written = _seeds(seeds, 3)
    (tmp_path / "real").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    result = run_cli("build", "--seeds", "seeds", "--out", "linked", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "linked").is_symlink() and (tmp_path / "real" / MANIFEST).is_file()
    (tmp_path / "to-seeds").symlink_to(seeds)
    result = run_cli("build", "--seeds", "seeds", "--out", "to-seeds", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "is the seeds folder" in result.stderr
    assert _files(seeds) == written


@pytest.mark.parametrize("out", ["afile", "afile/x", "afile/x/y"])
def test_an_out_that_is_or_lies_in_a_file_is_a_usage_error(tmp_path: Path, out: str) -> None:
    """--out through a file is a usage error saying --out must be a folder; the file stays."""
    _seeds(tmp_path / "seeds", 1)
    (tmp_path / "afile").write_bytes(b"mine\n")
    result = run_cli("build", "--seeds", "seeds", "--out", out, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "cannot read" not in result.stderr
    said = result.stderr
    assert "--out" in said and ("must be a folder" in said or "is a file" in said), said
    assert (tmp_path / "afile").read_bytes() == b"mine\n"


# Runs `newscorpus build` with a file of the user's written into the repository while the
# build runs: after the first check of the generated files, before the commit.
_WRITES_DURING_BUILD = """
import sys
from pathlib import Path
import newscorpus.build
import newscorpus.cli

real, target = newscorpus.build.build_into, Path(sys.argv[1])


def build_into(*args, **kwargs):
    result = real(*args, **kwargs)
    target.write_bytes(b"the user's own licence\\n")
    return result


newscorpus.build.build_into = build_into
sys.argv = ["newscorpus", "build"]
newscorpus.cli.main()
"""


def test_a_file_of_the_users_put_in_place_during_the_build_is_kept(tmp_path: Path) -> None:
    """The generated files are checked again inside the lock, just before the commit: one of
    the user's that appeared while the build ran is refused (exit 1) and kept, and the old
    corpus stays."""
    repo = _repository(tmp_path / "repo", 4)
    _build_in(repo)
    (repo / "LICENSE.md").unlink()
    before = _corpus_tree(repo / "corpus")
    _new_seeds(repo / "seeds")
    result = _run_script(_WRITES_DURING_BUILD, "LICENSE.md", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert "LICENSE.md: was not generated by newscorpus" in result.stderr
    assert "nothing was written" in result.stderr
    assert (repo / "LICENSE.md").read_bytes() == b"the user's own licence\n"
    assert _corpus_tree(repo / "corpus") == before


# Runs `newscorpus build`, sending it SIGINT as the new manifest is renamed into place.
_INTERRUPTED_AT_COMMIT = """
import os, signal, sys
import newscorpus.cli

real = os.replace


def replace(source, target, *args, **kwargs):
    result = real(source, target, *args, **kwargs)
    if str(target).endswith("manifest.json"):
        os.kill(os.getpid(), signal.SIGINT)
    return result


os.replace = replace
sys.argv = ["newscorpus", "build"]
newscorpus.cli.main()
"""


def test_an_interrupt_at_the_commit_says_what_was_done(tmp_path: Path) -> None:
    """Ctrl-C as the manifest is renamed waits for the steps after the commit, then says
    that the corpus was committed and its generated files brought up to date: all true."""
    repo = _repository(tmp_path / "repo", 4)
    _build_in(repo)
    _new_seeds(repo / "seeds")
    result = _run_script(_INTERRUPTED_AT_COMMIT, cwd=repo)
    assert result.returncode == 130, result.stderr
    assert result.stderr.strip() == (
        "interrupted: the command stopped after committing the new corpus in corpus and "
        "bringing its generated files up to date"
    )
    checked = _build_in(repo, "--check")
    assert "is up to date" in checked.stdout
