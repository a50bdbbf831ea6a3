"""``newscorpus build``: deterministic, atomic, checked, and loud about bad seeds."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from articles import ARTICLES, Variant, render
from conftest import FIRST_SEED, REPO, run_cli
from newscorpus import build as build_module
from newscorpus.build import build, check
from newscorpus.buildcache import CACHE_DIR, INDEX, entry_fields, entry_sha256, seed_entry
from newscorpus.corpus import MANIFEST, STAGING_DIR, assign_shards, read_manifest
from newscorpus.lock import LOCK_FILE


def _tree(folder: Path) -> dict[str, bytes]:
    """Every output file; the build cache index and the lock file (never committed) are not
    output."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and ".cache" not in p.relative_to(folder).parts
        and p.name != LOCK_FILE
    }


def _shard(out: Path, prefix: str) -> Path:
    [path] = (out / "data").glob(f"shard-{prefix}-*.jsonl")
    return path


def _assert_as_built_from_nothing(seeds: Path, out: Path, tmp_path: Path) -> None:
    """The corpus in ``out`` is, byte for byte, what a build of ``seeds`` into an empty folder
    writes."""
    clean = tmp_path / "clean"
    build(seeds, clean, workers=1)
    assert _tree(out) == _tree(clean)


def _composed(n: int) -> dict[str, bytes]:
    """n distinct seeds whose ids spread over the shards."""
    seeds = {}
    for i in range(n):
        article = ARTICLES[i % len(ARTICLES)]
        data = render(article, Variant()) + f"\nSeed number {i}.\n".encode()
        seeds[f"{i + 1:03d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"] = data
    return seeds


def test_build_writes_sorted_jsonl_and_manifest(
    seed_dir: Callable[..., Path], tmp_path: Path
) -> None:
    seeds = seed_dir(_composed(4))
    result = run_cli("build", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["records"] == 5
    lines = [
        line
        for f in manifest["files"]
        for line in (tmp_path / "out" / f["path"]).read_bytes().splitlines(keepends=True)
    ]
    ids = [json.loads(line)["id"] for line in lines]
    assert ids == sorted(ids) and len(ids) == 5
    assert all(line.endswith(b"\n") and not line.endswith(b"\r\n") for line in lines)
    keys = [list(json.loads(line)) for line in lines]
    assert all(k == keys[0] for k in keys)


def test_same_bytes_from_any_directory_and_file_order(tmp_path: Path) -> None:
    outputs = []
    for attempt, order in enumerate((1, -1)):
        seeds = tmp_path / f"seeds{attempt}"
        seeds.mkdir()
        for name, data in list(_composed(6).items())[::order]:  # files created in other orders
            (seeds / name).write_bytes(data)
        shutil.copy(FIRST_SEED, seeds)
        cwd = tmp_path if attempt == 0 else seeds
        out = tmp_path / f"out{attempt}"
        assert run_cli("build", "--seeds", str(seeds), "--out", str(out), cwd=cwd).returncode == 0
        outputs.append(_tree(out))
    assert outputs[0] == outputs[1]


def test_rebuild_is_byte_identical_and_check_passes(
    seed_dir: Callable[..., Path], tmp_path: Path
) -> None:
    seeds, out = seed_dir(_composed(3)), tmp_path / "out"
    build(seeds, out, workers=1)
    first = _tree(out)
    build(seeds, out, workers=2)
    assert _tree(out) == first
    assert check(seeds, out).stale == []


def test_check_names_the_changed_file(seed_dir: Callable[..., Path], tmp_path: Path) -> None:
    seeds, out = seed_dir(), tmp_path / "out"
    build(seeds, out)
    shard = _shard(out, "0")
    data = bytearray(shard.read_bytes())
    data[100] ^= 0x01  # one bit of one byte
    shard.write_bytes(bytes(data))
    result = run_cli("build", "--check", "--seeds", str(seeds), "--out", str(out))
    assert result.returncode == 1
    assert f"data/{shard.name}" in result.stderr and "newscorpus build" in result.stderr


def test_check_annotates_for_github(seed_dir: Callable[..., Path], tmp_path: Path) -> None:
    """In CI, `build --check --format github` puts each finding on its file in the pull request:
    a stale data file, and a seed that does not build."""
    seeds, out = seed_dir(), tmp_path / "out"
    build(seeds, out)
    shard = _shard(out, "0")
    shard.write_bytes(shard.read_bytes().replace(b'"title":"', b'"title":"X', 1))
    stale = run_cli(
        "build", "--check", "--format", "github", "--seeds", str(seeds), "--out", str(out)
    )
    assert stale.returncode == 1
    line = next(x for x in stale.stdout.splitlines() if x.startswith("::error "))
    assert "file=" in line and shard.name in line and "newscorpus build" in line
    (seeds / "009_00000000000000ee.txt").write_bytes(b"Just a title\n")
    broken = run_cli(
        "build", "--check", "--format", "github", "--seeds", str(seeds), "--out", str(out)
    )
    assert broken.returncode == 1
    assert any(
        x.startswith("::error file=") and "009_00000000000000ee.txt" in x and "NC-SEED-" in x
        for x in broken.stdout.splitlines()
    )


def test_check_passes_on_the_repository() -> None:
    result = run_cli("build", "--check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("001_00000000000000aa.txt", b"", "NC-SEED-003"),
        ("001_00000000000000aa.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NC-SEED-004"),
        ("001_00000000000000aa.txt", b"Just a title\n", "NC-SEED-008"),
        ("001_00000000000000aa.txt", b"Title\n\n\x81\x8d body\n", "NC-SEED-005"),
        ("001_00000000000000aa.txt", FIRST_SEED.read_bytes(), "NC-SEED-009"),
        ("001_0ef69f8f189c5c30.txt", render(ARTICLES[0], Variant()), "NC-SEED-010"),
        ("000_0ef69f8f189c5c30.yaml", b"url: [broken\n", "NC-SIDE-001"),
        ("001_00000000000000aa.yaml", b"url: https://a.org/x\n", "NC-SIDE-004"),
        ("notes.md", b"hello", "NC-SEED-011"),
        ("Article.txt", b"hello", "NC-SEED-001"),
    ],
)
def test_bad_seed_fails_the_build_and_writes_nothing(
    seed_dir: Callable[..., Path], tmp_path: Path, name: str, content: bytes, code: str
) -> None:
    out = tmp_path / "out"
    build(seed_dir(), out)
    before = _tree(out)
    seeds = seed_dir({name: content})
    result = run_cli("build", "--seeds", str(seeds), "--out", str(out))
    assert result.returncode == 1
    assert code in result.stderr and name in result.stderr
    assert "Traceback" not in result.stderr
    assert _tree(out) == before


def test_symlinked_seed_is_refused(seed_dir: Callable[..., Path], tmp_path: Path) -> None:
    seeds = seed_dir()
    os.symlink(FIRST_SEED, seeds / "002_00000000000000bb.txt")
    result = run_cli("build", "--seeds", str(seeds), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "NC-SEED-002" in result.stderr
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_failure_mid_write_leaves_the_previous_corpus(
    seed_dir: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds, out = seed_dir(_composed(40)), tmp_path / "out"
    build(seeds, out, workers=1)
    shutil.rmtree(out / ".cache")  # no shard may be reused: every shard is written again
    before = _tree(out)
    (seeds / "999_00000000000000ff.txt").write_bytes(render(ARTICLES[1], Variant()))
    calls = {"n": 0}
    real = build_module.write_data_file

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "write_data_file", failing)
    with pytest.raises(OSError):
        build(seeds, out, workers=1)
    assert _tree(out) == before
    assert not (out / STAGING_DIR).exists()


@pytest.mark.parametrize("workers", [1, 2])
def test_every_file_is_durable_before_it_is_put_in_place(
    seed_dir: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """A crash just after the commit must not leave an empty manifest or data file: each file
    is fsynced under its temporary name before a rename puts it in place (the files named
    through /proc), by this process, also when workers wrote them; so is the data folder,
    before the manifest that names its new files."""
    seeds, out = seed_dir(_composed(20)), tmp_path / "out"
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync " + os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    def replace(source: str, target: str) -> None:
        events.append(f"rename {source} {target}")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    build(seeds, out, workers=workers)
    staging = out / STAGING_DIR
    written = sorted((out / "data").iterdir())
    assert len(written) > 3
    for target in [*written, out / MANIFEST]:
        staged = staging / (
            f"{target.name.rsplit('-', 1)[0]}.jsonl.partial"
            if target.parent.name == "data"
            else f"{target.name}.partial"
        )
        renamed = events.index(f"rename {staged} {target}")
        assert f"fsync {staged}" in events[:renamed]
    commit = events.index(f"rename {staging / 'manifest.json.partial'} {out / MANIFEST}")
    assert f"fsync {out / 'data'}" in events[:commit]
    assert all(not e.startswith("rename") or "/data/" not in e for e in events[commit:])


def test_a_failed_flush_leaves_the_previous_corpus(
    seed_dir: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shards are flushed by the parent after the workers wrote them; a disk error there stops
    the build before anything is swapped in."""
    seeds, out = seed_dir(_composed(20)), tmp_path / "out"
    build(seeds, out, workers=2)
    shutil.rmtree(out / ".cache")
    before = _tree(out)
    (seeds / "999_00000000000000ff.txt").write_bytes(render(ARTICLES[1], Variant()))

    def failing(path: Path) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(build_module, "fsync_file", failing)
    with pytest.raises(OSError):
        build(seeds, out, workers=2)
    assert _tree(out) == before
    assert not (out / STAGING_DIR).exists()


@pytest.mark.parametrize("batch", [2, 3, 64])
def test_seeds_made_together_are_each_as_made_alone(
    seed_dir: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """``make_lines`` makes records in batches (languages detected back to back): each outcome
    is the one ``make_line`` gives the seed alone, in order, whether the seed builds, fails,
    or cannot be read, wherever the batches are cut."""
    from newscorpus.build import make_line, make_lines
    from newscorpus.seeds import SeedRef, discover

    monkeypatch.setattr(build_module, "BATCH", batch)

    folder = seed_dir(_composed(6))
    (folder / "900_00000000000000aa.txt").write_bytes(b"\n\n\n")  # no title: a problem
    seeds = list(discover(folder).seeds)
    gone = SeedRef("901_00000000000000bb.txt", "00000000000000bb", str(folder / "gone.txt"), None)
    seeds.insert(2, gone)
    together = make_lines((seed, None) for seed in seeds)
    monkeypatch.setattr(build_module, "BATCH", 1)
    alone = [make_line(seed) for seed in seeds]
    assert together == alone
    assert [o.line is not None for o in together].count(False) == 2
    assert together[2].problems[0].code == "NC-SEED-011"


def test_a_corpus_of_the_older_names_is_rebuilt_under_the_new(
    seed_dir: Callable[..., Path], tmp_path: Path
) -> None:
    """A corpus built when data files were named ``shard-<prefix>.jsonl`` becomes, by one
    build, what a build from nothing writes: the files its manifest named are removed once
    the new manifest is in place, and a stray file it never named is left alone."""
    seeds, out = seed_dir(_composed(10)), tmp_path / "out"
    build(seeds, out, workers=1)
    manifest = read_manifest(out)
    assert manifest is not None
    for entry in manifest["files"]:
        old = entry["path"].rsplit("-", 1)[0] + ".jsonl"
        (out / entry["path"]).rename(out / old)
        entry["path"] = old
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    shutil.rmtree(out / CACHE_DIR)
    (out / "data" / "notes.txt").write_text("mine")
    build(seeds, out, workers=1)
    assert (out / "data" / "notes.txt").read_text() == "mine"
    (out / "data" / "notes.txt").unlink()
    _assert_as_built_from_nothing(seeds, out, tmp_path)


def test_shards_split_deterministically_by_id() -> None:
    ids = [f"{i:016x}"[::-1] for i in range(100)]
    shards = assign_shards(ids, limit=10)
    assert sorted(i for members in shards.values() for i in members) == sorted(ids)
    assert all(len(m) <= 10 for m in shards.values())
    assert all(i.startswith(prefix) for prefix, m in shards.items() for i in m)
    assert shards == assign_shards(list(reversed(ids)), limit=10)
    assert list(shards) == sorted(shards)


def test_build_works_from_a_regular_install_location(tmp_path: Path) -> None:
    """The schema ships inside the package; nothing is read relative to the working dir."""
    result = run_cli(
        "build", "--seeds", str(REPO / "seeds"), "--out", str(tmp_path / "o"), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr


def test_incremental_build_reuses_unchanged_shards(
    seed_dir: Callable[..., Path], tmp_path: Path
) -> None:
    seeds, out = seed_dir(_composed(60)), tmp_path / "out"
    first = build(seeds, out, workers=1)
    assert first.reused == 0 and len(first.manifest.files) > 3
    again = build(seeds, out, workers=1)
    assert again.reused == len(first.manifest.files)
    changed = sorted(seeds.glob("0*.txt"))[5]
    changed.write_bytes(changed.read_bytes() + b"\nA new closing paragraph.\n")
    incremental = build(seeds, out, workers=2)
    assert incremental.reused == len(first.manifest.files) - 1
    _assert_as_built_from_nothing(seeds, out, tmp_path)


def _one_seed_changed_since_an_hour(seeds: Path, tmp_path: Path) -> tuple[Path, Path, int, Path]:
    """Seeds an hour old, built into ``out`` (so the cache trusts their stat), then one of them
    given a new paragraph: (seeds, out, the number of shards, the changed seed)."""
    out = tmp_path / "out"
    an_hour_ago = seeds.stat().st_mtime_ns - 3_600_000_000_000
    for path in seeds.iterdir():
        os.utime(path, ns=(an_hour_ago, an_hour_ago))
    first = build(seeds, out, workers=1)
    assert first.manifest is not None
    changed = sorted(seeds.glob("0*.txt"))[5]
    changed.write_bytes(changed.read_bytes() + b"\nA new closing paragraph.\n")
    return seeds, out, len(first.manifest.files), changed


def test_unchanged_shards_are_cleared_by_stat_without_a_worker(
    seed_dir: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seeds older than the cache index are trusted by their stat: only the changed seed's
    shard is built again, and the result is what a build from nothing writes."""
    seeds, out, shards, changed = _one_seed_changed_since_an_hour(seed_dir(_composed(60)), tmp_path)
    built: list[str] = []
    real = build_module.build_shard

    def counted(task: build_module.ShardTask) -> build_module.ShardResult:
        built.append(task.prefix)
        return real(task)

    monkeypatch.setattr(build_module, "build_shard", counted)
    incremental = build(seeds, out, workers=1)
    assert incremental.reused == shards - 1
    assert len(built) == 1 and changed.stem.split("_")[1].startswith(built[0])
    _assert_as_built_from_nothing(seeds, out, tmp_path)


_FORKED_REBUILD = """
import json, sys
from pathlib import Path
from newscorpus import build as b

forked, built = [], []
reuse, build_shard = b._reuse_unchanged_forked, b.build_shard
b._reuse_unchanged_forked = lambda *args: forked.append(1) or reuse(*args)
b.build_shard = lambda task: built.append(task.prefix) or build_shard(task)
result = b.build(Path(sys.argv[1]), Path(sys.argv[2]), workers=2)
print(json.dumps([len(forked), result.reused, built, result.ok]))
"""


def test_forked_workers_clear_unchanged_shards_by_stat(
    seed_dir: Callable[..., Path], tmp_path: Path
) -> None:
    """On Linux the stat checks of an incremental build are shared by forked workers (in a
    fresh interpreter, as a command runs: no thread yet). Only the changed seed's shard is
    built again, and the corpus is what a build from nothing writes."""
    seeds, out, shards, changed = _one_seed_changed_since_an_hour(seed_dir(_composed(60)), tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", _FORKED_REBUILD, str(seeds), str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    forked, reused, built, ok = json.loads(done.stdout)
    assert forked == (1 if sys.platform.startswith("linux") else 0)
    assert ok and reused == shards - 1
    assert len(built) == 1 and changed.stem.split("_")[1].startswith(built[0])
    _assert_as_built_from_nothing(seeds, out, tmp_path)


def test_an_edited_sidecar_is_seen_by_the_stat_cache(
    seed_dir: Callable[..., Path], tmp_path: Path
) -> None:
    """A seed whose sidecar changes is built again even when the seed itself is trusted by
    its stat; the output is what a build from nothing writes."""
    seeds, out = seed_dir(_composed(30)), tmp_path / "out"
    seed = sorted(seeds.glob("0*.txt"))[7]
    sidecar = seed.with_suffix(".yaml")
    sidecar.write_text("topics: [harbour]\n")
    an_hour_ago = seeds.stat().st_mtime_ns - 3_600_000_000_000
    for path in seeds.iterdir():
        os.utime(path, ns=(an_hour_ago, an_hour_ago))
    first = build(seeds, out, workers=1)
    assert build(seeds, out, workers=1).reused == len(first.manifest.files)
    sidecar.write_text("topics: [harbour, strike]\n")
    incremental = build(seeds, out, workers=1)
    assert incremental.reused == len(first.manifest.files) - 1
    _assert_as_built_from_nothing(seeds, out, tmp_path)
    assert b'"strike"' in b"".join(v for k, v in _tree(out).items() if k.startswith("data/"))


def test_an_index_from_another_version_is_no_cache(
    seed_dir: Callable[..., Path], tmp_path: Path
) -> None:
    """An index in another layout (here, each seed's fields as a list) is set aside, never
    trusted and never a crash: every shard is built again."""
    seeds, out = seed_dir(_composed(10)), tmp_path / "out"
    build(seeds, out, workers=1)
    index = out / CACHE_DIR / INDEX
    document = json.loads(index.read_text())
    for shard in document["shards"].values():
        shard["seeds"] = {name: entry.split(" ") for name, entry in shard["seeds"].items()}
    index.write_text(json.dumps(document))
    before = _tree(out)
    result = build(seeds, out, workers=1)
    assert result.ok and result.reused == 0
    assert _tree(out) == before


def test_a_seed_entry_keeps_its_four_fields() -> None:
    with_sidecar = seed_entry("12:34:56", "ab" * 32, "7:8:9", "cd" * 32)
    assert entry_fields(with_sidecar) == ("12:34:56", "ab" * 32, "7:8:9", "cd" * 32)
    assert entry_sha256(with_sidecar) == "ab" * 32
    alone = seed_entry("12:34:56", "ab" * 32, None, None)
    assert entry_fields(alone) == ("12:34:56", "ab" * 32, None, None)


def test_hand_edited_shard_is_never_reused(seed_dir: Callable[..., Path], tmp_path: Path) -> None:
    seeds, out = seed_dir(_composed(10)), tmp_path / "out"
    build(seeds, out, workers=1)
    before = _tree(out)
    shard = sorted((out / "data").glob("*.jsonl"))[0]
    shard.write_bytes(shard.read_bytes().replace(b'"word_count":', b'"word_count":9', 1))
    assert check(seeds, out).stale == [str(shard)]
    result = build(seeds, out, workers=1)
    assert result.reused == len(result.manifest.files) - 1
    assert _tree(out) == before


def test_code_change_invalidates_every_shard(
    seed_dir: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds, out = seed_dir(_composed(10)), tmp_path / "out"
    build(seeds, out, workers=1)
    monkeypatch.setattr(build_module, "code_fingerprint", lambda: "another version of the code")
    assert build(seeds, out, workers=1).reused == 0


def test_check_trusts_no_file_stat(seed_dir: Callable[..., Path], tmp_path: Path) -> None:
    """An edit that keeps a seed's size, inode and mtime fools a stat cache; --check hashes."""
    seeds, out = seed_dir(_composed(3)), tmp_path / "out"
    seed = sorted(seeds.glob("0*.txt"))[0]
    an_hour_ago = seed.stat().st_mtime_ns - 3_600_000_000_000
    os.utime(seed, ns=(an_hour_ago, an_hour_ago))
    build(seeds, out, workers=1)
    data = bytearray(seed.read_bytes())
    position = data.index(b"Harbour") if b"Harbour" in data else len(data) - 3
    data[position] ^= 0x20  # same size: one letter's case
    with open(seed, "r+b") as handle:  # in place: same inode
        handle.write(bytes(data))
    os.utime(seed, ns=(an_hour_ago, an_hour_ago))
    assert check(seeds, out).stale != []
