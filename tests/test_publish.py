"""Round trips: every published route hands back exactly the records of the JSONL corpus.

One small repository is built in a temporary folder (several shards, sidecars with dates,
topics, corrections and rights; records with a null publisher and no authors), with its derived
files at its root and a release, then published. Each route is read back value for value:
``load_dataset`` on the root and on ``hf/``, frictionless on the data package and the zip,
mlcroissant on ``croissant.json``. Offline, with a fresh cache for every load.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from articles import ARTICLES, VARIANTS, render
from conftest import REPO, run_cli
from newscorpus import build as build_module
from newscorpus.corpus import DataFile, Manifest, assign_shards
from newscorpus.lock import LOCK_FILE
from newscorpus.owned import PUBLISHED_LIST, is_generated
from newscorpus.publish.command import publish
from newscorpus.publish.derived import derived_files
from newscorpus.publish.push import UploadPlan, plan_upload, push
from newscorpus.publish.source import PublishError, load_manifest
from newscorpus.releases import Release
from newscorpus.workspace import GENERATED

pytestmark = pytest.mark.publish

# Whatever the caller's environment says: no test here may reach the Hub.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"

RELEASE = ("1.0.0", "2025-01-15")
SIDECARS = {
    0: "url: https://example.org/news/2021/03/04/ports\npublished: 2021-03-04\n"
    "topics: [economy, ports]\n",
    1: "published: 2020-02-29\nlanguage: en-GB\n"
    "rights:\n  holder: Example Syndicate\n  statement: Reproduced with permission for research.\n",
    2: "corrections:\n  - field: title\n    value: A corrected headline\n"
    "    reason: the seed's title line has a typo\n",
    5: "published: 1999-12-31\ncorrections:\n  - field: authors\n"
    "    value: [Kwame Asante, Emily O'Brien, Ama Mensah]\n"
    "    reason: the byline left out the third author\n",
    7: "topics: [farming]\n",
}


@dataclass(frozen=True)
class Published:
    root: Path
    out: Path
    manifest: Manifest
    records: list[dict[str, Any]]


def _write_seeds(folder: Path, count: int, sidecars: dict[int, str]) -> None:
    folder.mkdir(parents=True)
    for i in range(count):
        data = render(ARTICLES[i % len(ARTICLES)], VARIANTS[i % len(VARIANTS)])
        data += f"\nSeed number {i}.\n".encode()
        stem = f"{i:03d}_{hashlib.sha256(data).hexdigest()[:16]}"
        (folder / f"{stem}.txt").write_bytes(data)
        if i in sidecars:
            (folder / f"{stem}.yaml").write_text(sidecars[i])


def _build_repo(root: Path, count: int, sidecars: dict[int, str], release: bool) -> Manifest:
    """A repository layout in ``root``: README, seeds, corpus and its derived files."""
    _write_seeds(root / "seeds", count, sidecars)
    shutil.copyfile(REPO / "README.md", root / "README.md")
    if release:
        (root / "corpus" / "releases").mkdir(parents=True)
        release_file = Release(RELEASE[0], RELEASE[1], "1.0.0", None, None, [], {})
        (root / "corpus" / "releases" / f"{RELEASE[0]}.json").write_bytes(release_file.to_json())
    result = build_module.build(
        root / "seeds", root / "corpus", workers=1, derive=lambda m: derived_files(root, m)
    )
    assert result.ok, result.problems
    assert result.manifest is not None
    return result.manifest


def _read_jsonl(root: Path, manifest: Manifest) -> list[dict[str, Any]]:
    return [
        orjson.loads(line)
        for f in manifest.files
        for line in (root / "corpus" / f.path).read_bytes().splitlines()
    ]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    root = tmp_path_factory.mktemp("repo")
    with pytest.MonkeyPatch.context() as patch:  # small shards: exercise a multipart corpus
        patch.setattr(build_module, "assign_shards", functools.partial(assign_shards, limit=3))
        manifest = _build_repo(root, 14, SIDECARS, release=True)
    result = CliRunner().invoke(
        publish, ["--corpus", str(root / "corpus"), "--out", str(root / "out")]
    )
    assert result.exit_code == 0, result.output
    return Published(root, root / "out", manifest, _read_jsonl(root, manifest))


@pytest.fixture(scope="module")
def unreleased(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-record, so one-shard, repository never released (version 0.0.0)."""
    root = tmp_path_factory.mktemp("unreleased")
    _build_repo(root, 1, {0: "published: 2022-01-06\n"}, release=False)
    return root


def test_fixture_exercises_what_can_go_wrong(published: Published) -> None:
    records = published.records
    assert len(published.manifest.files) > 1
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    assert any(r["published"] for r in records) and any(r["published"] is None for r in records)
    assert any(r["publisher"] is None for r in records)
    assert any(r["authors"] == [] for r in records)
    assert any(r["corrections"] for r in records) and any(r["topics"] for r in records)
    assert {c["field"] for r in records for c in r["corrections"]} == {"title", "authors"}


# --- derived files -----------------------------------------------------------------------


def test_build_writes_the_derived_files_at_the_root(published: Published) -> None:
    root = published.root
    expected = derived_files(root, published.manifest)
    assert sorted(p.name for p in expected) == [
        "LICENSE.md",
        "README.md",
        "croissant.json",
        "datapackage.json",
    ]
    assert sorted(derived_files(root, published.manifest, GENERATED)) == sorted(
        root / name for name in GENERATED
    )
    for path, data in expected.items():
        assert path.read_bytes() == data, path.name  # stable: a rerun gives the same bytes
        assert is_generated(path, data), path.name  # and marked, so a build may replace it
    for name in ("datapackage.json", "croissant.json"):  # validated below with the marker
        assert orjson.loads(expected[root / name])["generatedBy"].startswith("newscorpus build")
    readme = (root / "README.md").read_text()
    assert readme.startswith("---\npretty_name: newscorpus\n")
    assert '- config_name: "default"' in readme
    assert "## Seeds" in readme and "| `published` | date" in readme  # human text kept, table made
    assert readme.count("<!-- fields:start -->") == 1


def test_derived_files_use_the_release_date_and_only_the_manifest(
    published: Published, unreleased: Path
) -> None:
    package = orjson.loads((published.root / "datapackage.json").read_bytes())
    croissant = orjson.loads((published.root / "croissant.json").read_bytes())
    assert package["version"] == croissant["version"] == RELEASE[0]
    assert package["created"] == f"{RELEASE[1]}T00:00:00Z"
    assert croissant["datePublished"] == RELEASE[1]
    assert "created" not in orjson.loads((unreleased / "datapackage.json").read_bytes())
    # No data file is read: a manifest naming files that do not exist still derives.
    ghost = Manifest("0.0.0", "1.0.0", 1, [DataFile("data/shard-ghost.jsonl", 1, 10, "0" * 64)])
    files = derived_files(published.root, ghost)
    assert b"shard-ghost.jsonl" in files[published.root / "datapackage.json"]


# --- Hugging Face --------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A loaded value in JSON terms; a date must come back as a date, not a timestamp."""
    if isinstance(value, datetime.datetime):
        raise AssertionError(f"a timestamp came back where a date was stored: {value!r}")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _load(path: Path, cache: Path) -> list[dict[str, Any]]:
    import datasets

    loaded = datasets.load_dataset(str(path), cache_dir=str(cache))
    assert list(loaded) == ["train"]
    return [_plain(row) for row in loaded["train"]]


def test_load_dataset_on_the_repository_root(published: Published, tmp_path: Path) -> None:
    assert _load(published.root, tmp_path / "cache") == published.records


def test_load_dataset_on_the_hf_folder(published: Published, tmp_path: Path) -> None:
    hf = published.out / "hf"
    assert _load(hf, tmp_path / "cache") == published.records
    assert sorted(p.name for p in (hf / "parquet").iterdir()) == ["train-00000-of-00001.parquet"]
    shards = sorted(p.name for p in (hf / "corpus" / "data").iterdir())
    assert shards == sorted(f.path.rsplit("/", 1)[1] for f in published.manifest.files)


def test_parquet_rolls_over_files_and_keeps_order_and_types(
    published: Published, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    from newscorpus.publish import parquet
    from newscorpus.publish.derived import manifest_fields

    monkeypatch.setattr(parquet, "RECORDS_PER_FILE", 5)
    monkeypatch.setattr(parquet, "ROW_GROUP_RECORDS", 2)
    lines = [orjson.dumps(r) for r in published.records]
    fields = manifest_fields(published.manifest)
    paths = parquet.write_parquet(lines, fields, len(lines), tmp_path)
    assert [p.name for p in paths] == [f"train-0000{i}-of-00003.parquet" for i in range(3)]
    assert [pq.ParquetFile(p).metadata.num_row_groups for p in paths] == [3, 3, 2]
    rows = [_plain(row) for p in paths for row in pq.read_table(p).to_pylist()]
    assert rows == published.records
    with pytest.raises(PublishError, match="data files hold others"):
        parquet.write_parquet(lines, fields, len(lines) - 1, tmp_path / "short")


def test_load_dataset_checks_the_record_count(published: Published, tmp_path: Path) -> None:
    import datasets

    copy = tmp_path / "repo"
    shutil.copytree(published.root / "corpus", copy / "corpus")
    shutil.copyfile(published.root / "README.md", copy / "README.md")
    shard = copy / "corpus" / published.manifest.files[0].path
    shard.write_bytes(b"".join(shard.read_bytes().splitlines(keepends=True)[1:]))
    with pytest.raises(datasets.exceptions.NonMatchingSplitsSizesError):
        _load(copy, tmp_path / "cache")


# --- Frictionless ------------------------------------------------------------------------


def _frictionless_rows(descriptor: Path) -> list[dict[str, Any]]:
    from frictionless import Package

    package = Package(str(descriptor))
    return [_plain(row.to_dict()) for row in package.get_resource("records").read_rows()]


def test_frictionless_cli_validates_the_root_package(published: Published) -> None:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", "datapackage.json"],
        cwd=published.root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "VALID" in done.stdout and "INVALID" not in done.stdout


def test_frictionless_reads_every_record(published: Published) -> None:
    assert _frictionless_rows(published.root / "datapackage.json") == published.records


def test_frictionless_validates_the_zip(published: Published) -> None:
    from frictionless import validate

    archive = published.out / f"newscorpus-{RELEASE[0]}.zip"
    report = validate(str(archive))
    assert report.valid, report.flatten(["type", "note"])
    assert len(report.tasks) == 1 + len(published.manifest.files)


def test_frictionless_catches_a_changed_byte(published: Published, tmp_path: Path) -> None:
    from frictionless import validate

    shutil.copytree(published.root / "corpus", tmp_path / "corpus")
    shutil.copyfile(published.root / "datapackage.json", tmp_path / "datapackage.json")
    shard = tmp_path / "corpus" / published.manifest.files[-1].path
    data = bytearray(shard.read_bytes())
    at = data.index(b'"text":"') + 8
    data[at] = ord("X") if data[at] != ord("X") else ord("Y")  # same length, still valid JSON
    shard.write_bytes(bytes(data))
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert ["hash-count"] in report.flatten(["type"])


def test_frictionless_validates_a_one_shard_package(unreleased: Path) -> None:
    from frictionless import validate

    package = orjson.loads((unreleased / "datapackage.json").read_bytes())
    assert len(package["resources"]) == 1 and package["resources"][0]["hash"]
    report = validate(str(unreleased / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


# --- Croissant ---------------------------------------------------------------------------


def _croissant_value(value: Any) -> Any:
    import pandas as pd

    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, pd.Timestamp):
        assert value == value.normalize(), f"a date came back with a time: {value!r}"
        return value.date().isoformat()
    if isinstance(value, dict):
        return {k.rsplit("/", 1)[-1]: _croissant_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_croissant_value(v) for v in value]
    return value


def test_mlcroissant_validates_and_loads_every_record(published: Published) -> None:
    import mlcroissant as mlc

    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "mlcroissant"),
            "validate",
            "--jsonld",
            str(published.root / "croissant.json"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    dataset = mlc.Dataset(jsonld=str(published.root / "croissant.json"))
    rows = [_croissant_value(dict(r)) for r in dataset.records(record_set="records")]
    assert rows == published.records


# --- the publish command -----------------------------------------------------------------


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_publish_is_byte_identical_on_every_run(published: Published, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        publish, ["--corpus", str(published.root / "corpus"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert _tree(tmp_path) == _tree(published.out)
    hidden = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert hidden == sorted([LOCK_FILE, PUBLISHED_LIST])  # no staging folder or temporary is left
    assert (tmp_path / LOCK_FILE).read_bytes() == b""  # free: it names no holder
    listed = orjson.loads((tmp_path / PUBLISHED_LIST).read_bytes())["hf"]
    assert listed == sorted(_tree(tmp_path / "hf"))  # exactly what it wrote in hf/


def test_publish_refuses_a_corpus_changed_after_its_build(
    published: Published, tmp_path: Path
) -> None:
    shutil.copytree(published.root / "corpus", tmp_path / "corpus")
    shard = tmp_path / "corpus" / published.manifest.files[0].path
    shard.write_bytes(shard.read_bytes().replace(b'"language":"en"', b'"language":"de"', 1))
    out = tmp_path / "out"
    result = CliRunner().invoke(publish, ["--corpus", str(tmp_path / "corpus"), "--out", str(out)])
    assert result.exit_code == 1
    assert "does not match manifest.json" in result.output and "newscorpus build" in result.output
    assert "Traceback" not in result.output
    assert not (out / "hf").exists() and not list(out.glob(".hf-*"))


def test_publish_without_a_corpus_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    args = ["--corpus", str(tmp_path / "corpus"), "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(publish, args)
    assert result.exit_code == 1
    assert "run `newscorpus build` first" in result.output


# --- what publish owns -------------------------------------------------------------------


def _publish_cli(corpus: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("publish", "--corpus", str(corpus), "--out", str(out), cwd=out.parent)


@pytest.mark.parametrize("stranger", ["notes.txt", "corpus/data/mine.jsonl", ".git/config"])
def test_publish_refuses_files_it_did_not_write_in_hf(
    published: Published, tmp_path: Path, stranger: str
) -> None:
    out = tmp_path / "dist"
    shutil.copytree(published.out, out)
    (out / "hf" / stranger).parent.mkdir(parents=True, exist_ok=True)
    (out / "hf" / stranger).write_bytes(b"not publish's\n")
    before = _tree(tmp_path)
    result = _publish_cli(published.root / "corpus", out)
    assert result.returncode == 1, result.stderr
    assert f"holds files that publish did not write ({stranger})" in result.stderr
    assert "Traceback" not in result.stderr
    assert _tree(tmp_path) == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == sorted(
        [LOCK_FILE, PUBLISHED_LIST]
    )


def test_publish_refuses_an_hf_folder_it_never_wrote(published: Published, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    (out / "hf").mkdir(parents=True)
    (out / "hf" / "README.md").write_text("# my dataset\n")
    before = _tree(tmp_path)
    result = _publish_cli(published.root / "corpus", out)
    assert result.returncode == 1 and "(README.md)" in result.stderr
    assert _tree(tmp_path) == before
    (out / "hf" / "README.md").unlink()  # an empty hf/ holds nothing to lose
    assert _publish_cli(published.root / "corpus", out).returncode == 0


def test_publish_replaces_its_own_output_and_keeps_the_rest_of_out(
    published: Published, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    (out / "newscorpus-0.9.0.zip").write_bytes(b"an older download of mine")
    assert _publish_cli(published.root / "corpus", out).returncode == 0
    stale = out / "hf" / "corpus" / "data" / "gone.jsonl"  # as if a shard left the corpus
    stale.write_bytes(b"")
    listing = orjson.loads((out / PUBLISHED_LIST).read_bytes())
    listing["hf"].append("corpus/data/gone.jsonl")
    (out / PUBLISHED_LIST).write_bytes(orjson.dumps(listing))
    again = _publish_cli(published.root / "corpus", out)
    assert again.returncode == 0, again.stderr
    assert not stale.exists()
    assert (out / "notes.txt").read_text() == "mine\n"
    assert (out / "newscorpus-0.9.0.zip").read_bytes() == b"an older download of mine"
    assert _tree(out / "hf") == _tree(published.out / "hf")


def test_publish_replaces_no_zip_and_no_list_it_did_not_write(
    published: Published, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    mine = out / f"newscorpus-{RELEASE[0]}.zip"
    mine.write_bytes(b"PK my own archive")
    before = _tree(tmp_path)
    result = _publish_cli(published.root / "corpus", out)
    assert result.returncode == 1 and f"{mine} is in the way" in result.stderr
    assert _tree(tmp_path) == before
    mine.unlink()
    (out / PUBLISHED_LIST).write_text('{"my": "settings"}\n')
    before = _tree(tmp_path)
    result = _publish_cli(published.root / "corpus", out)
    assert result.returncode == 1 and "is not the file list publish writes" in result.stderr
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("inside", [".", "hf"])
def test_publish_into_the_corpus_folder_is_refused(
    published: Published, tmp_path: Path, inside: str
) -> None:
    corpus = tmp_path / "repo" / "corpus"
    shutil.copytree(published.root / "corpus", corpus)
    before = _tree(tmp_path)
    out = corpus if inside == "." else corpus.parent
    if inside == "hf":  # --out DIR whose hf/ would be the corpus itself
        corpus = corpus.rename(corpus.parent / "hf")
        before = _tree(tmp_path)
    result = run_cli("publish", "--corpus", str(corpus), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 2 and "overlaps the corpus folder" in result.stderr
    assert _tree(tmp_path) == before


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_published_files_get_the_umasks_modes(
    published: Published, tmp_path: Path, umask: int
) -> None:
    old = os.umask(umask)
    try:
        result = _publish_cli(published.root / "corpus", tmp_path / "dist")
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    for path in [tmp_path / "dist", *(tmp_path / "dist").rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        want = (0o777 if path.is_dir() else 0o666) & ~umask
        assert mode == want, f"{path.relative_to(tmp_path)}: {mode:o}, not {want:o}"


def test_readers_see_the_manifests_files_only(published: Published, tmp_path: Path) -> None:
    """A data file the manifest does not name (a build that has not committed yet) is read by
    no route: not by load_dataset on the root, not into hf/ or the zip."""
    import zipfile

    root = tmp_path / "repo"
    shutil.copytree(published.root / "corpus", root / "corpus")
    for name in ("README.md", "datapackage.json", "croissant.json", "LICENSE.md"):
        shutil.copyfile(published.root / name, root / name)
    first = (root / "corpus" / published.manifest.files[0].path).read_bytes()
    (root / "corpus" / "data" / "shard-f-0123456789abcdef.jsonl").write_bytes(first)
    assert _load(root, tmp_path / "cache") == published.records
    out = tmp_path / "dist"
    assert _publish_cli(root / "corpus", out).returncode == 0
    assert sorted((out / "hf" / "corpus" / "data").iterdir()) == sorted(
        out / "hf" / "corpus" / f.path for f in published.manifest.files
    )
    with zipfile.ZipFile(out / f"newscorpus-{RELEASE[0]}.zip") as archive:
        names = [n for n in archive.namelist() if n.startswith("corpus/data/")]
    assert names == [f"corpus/{f.path}" for f in published.manifest.files]
    for card in (root / "README.md", out / "hf" / "README.md"):
        front = card.read_text().split("\n---\n", 1)[0]
        assert "*" not in front, card  # every data file by name, never a glob


def test_dry_run_lists_the_upload_and_the_tag(published: Published, tmp_path: Path) -> None:
    args = ["--corpus", str(published.root / "corpus"), "--out", str(tmp_path)]
    result = CliRunner().invoke(publish, [*args, "--push", "org/newscorpus", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "to dataset org/newscorpus" in result.output
    assert f"tag the commit {RELEASE[0]}" in result.output
    assert "  README.md  " in result.output
    assert "  parquet/train-00000-of-00001.parquet  " in result.output


def test_dry_run_needs_push(tmp_path: Path) -> None:
    result = CliRunner().invoke(publish, ["--out", str(tmp_path), "--dry-run"])
    assert result.exit_code == 2


def test_an_unreleased_corpus_is_not_pushed(unreleased: Path, tmp_path: Path) -> None:
    args = ["--corpus", str(unreleased / "corpus"), "--out", str(tmp_path)]
    result = CliRunner().invoke(publish, [*args, "--push", "org/newscorpus", "--dry-run"])
    assert result.exit_code == 1
    assert "0.0.0 is not released" in result.output
    assert list(tmp_path.iterdir()) == []  # refused before anything was written


def test_a_push_needs_a_token(
    published: Published, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    args = ["--corpus", str(published.root / "corpus"), "--out", str(tmp_path)]
    result = CliRunner().invoke(publish, [*args, "--push", "org/newscorpus"])
    assert result.exit_code == 1
    assert "set HF_TOKEN" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_failed_push_is_a_message_not_a_traceback(
    published: Published, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Offline mode (set by conftest) makes huggingface_hub refuse before any connection.
    monkeypatch.setenv("HF_TOKEN", "hf_test_token_never_sent")
    args = ["--corpus", str(published.root / "corpus"), "--out", str(tmp_path)]
    result = CliRunner().invoke(publish, [*args, "--push", "org/newscorpus"])
    assert result.exit_code == 1
    assert "the push failed: OfflineModeIsEnabled" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # sys.exit(1), not an escaped error


def test_bad_repository_ids_are_refused(published: Published) -> None:
    with pytest.raises(PublishError, match="ORG/NAME"):
        plan_upload(published.out / "hf", "no-slash", RELEASE[0], RELEASE[1])


class _Ref:
    def __init__(self, name: str) -> None:
        self.name = name


class _Refs:
    def __init__(self, tags: list[str]) -> None:
        self.tags = [_Ref(t) for t in tags]


class _Commit:
    oid = "c0ffee"
    commit_url = "https://huggingface.co/datasets/org/newscorpus/commit/c0ffee"


class FakeHub:
    """Records the calls a push makes; answers like the Hub would."""

    def __init__(self, tags: list[str]) -> None:
        self.tags = tags
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def list_repo_refs(self, repo_id: str, **kwargs: Any) -> _Refs:
        self.calls.append(("list_repo_refs", {"repo_id": repo_id, **kwargs}))
        return _Refs(self.tags)

    def create_repo(self, repo_id: str, **kwargs: Any) -> None:
        self.calls.append(("create_repo", {"repo_id": repo_id, **kwargs}))

    def upload_folder(self, **kwargs: Any) -> _Commit:
        self.calls.append(("upload_folder", kwargs))
        return _Commit()

    def create_tag(self, repo_id: str, **kwargs: Any) -> None:
        self.calls.append(("create_tag", {"repo_id": repo_id, **kwargs}))


def _plan(published: Published) -> UploadPlan:
    return plan_upload(published.out / "hf", "org/newscorpus", RELEASE[0], RELEASE[1])


def test_push_mirrors_the_folder_then_tags_that_commit(published: Published) -> None:
    hub = FakeHub(tags=["0.9.0"])
    url = push(_plan(published), hub)
    assert url.endswith("/commit/c0ffee")
    assert [name for name, _ in hub.calls] == [
        "list_repo_refs",
        "create_repo",
        "upload_folder",
        "create_tag",
    ]
    upload, tag = hub.calls[2][1], hub.calls[3][1]
    assert upload["folder_path"] == published.out / "hf"
    assert upload["repo_type"] == "dataset" and upload["delete_patterns"] == "*"
    assert (tag["tag"], tag["revision"], tag["repo_type"]) == (RELEASE[0], "c0ffee", "dataset")


def test_push_stops_before_uploading_when_the_tag_exists(published: Published) -> None:
    hub = FakeHub(tags=[RELEASE[0]])
    with pytest.raises(PublishError, match="already has the tag"):
        push(_plan(published), hub)
    assert [name for name, _ in hub.calls] == ["list_repo_refs"]


def test_manifest_errors_are_publish_errors(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"corpus_version": "1.0.0", "files": 3}')
    with pytest.raises(PublishError, match="malformed"):
        load_manifest(tmp_path)
