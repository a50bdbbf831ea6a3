"""Listing the seeds folder: what counts as a seed's name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIRST_SEED, run_cli
from newscorpus.seeds import discover, seed_id

ID = "0123456789abcdef"


def test_a_name_ending_in_a_line_break_is_not_a_seed(tmp_path: Path) -> None:
    """Python's ``$`` matches before a final line break; a seed's name must end at ".txt"."""
    (tmp_path / f"001_{ID}.txt").write_bytes(b"text")
    (tmp_path / f"002_{ID[::-1]}.txt\n").write_bytes(b"text")
    (tmp_path / f"001_{ID}.yaml\n").write_bytes(b"url: https://a.org/x\n")
    found = discover(tmp_path)
    assert [seed.name for seed in found.seeds] == [f"001_{ID}.txt"]
    assert found.seeds[0].sidecar is None
    assert sorted(p.code for p in found.problems) == ["NC-SEED-011", "NC-SEED-011"]
    assert seed_id(f"002_{ID}.txt\n") is None


@pytest.mark.parametrize("name", [f".001_{ID}.txt", f".001_{ID}.yaml", f"..001_{ID}.txt"], ids=str)
def test_a_hidden_seed_or_sidecar_is_reported(name: str, tmp_path: Path) -> None:
    (tmp_path / name).write_bytes(b"Title\n\nBody.\n")
    found = discover(tmp_path)
    [problem] = found.problems
    assert problem.code == "NC-SEED-014" and problem.file.endswith(name)
    assert f"001_{ID}." in problem.message and found.seeds == []


@pytest.mark.parametrize(
    "name",
    [".gitkeep", f".001_{ID}.txt.swp", f".#001_{ID}.txt", f"._001_{ID}.txt", ".DS_Store"],
    ids=str,
)
def test_editor_and_system_files_stay_unreported(name: str, tmp_path: Path) -> None:
    (tmp_path / name).write_bytes(b"x")
    assert discover(tmp_path).problems == []


def test_a_hidden_link_named_as_a_seed_is_reported(tmp_path: Path) -> None:
    (tmp_path / f".001_{ID}.txt").symlink_to("/etc/hostname")
    assert [p.code for p in discover(tmp_path).problems] == ["NC-SEED-014"]


def test_a_hidden_seed_fails_the_build_as_a_user_runs_it(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(FIRST_SEED, seeds / FIRST_SEED.name)
    (seeds / f".{FIRST_SEED.name[:4]}0123456789abcdef.txt").write_bytes(b"Title\n\nBody.\n")
    result = run_cli("build", "--seeds", "seeds", "--out", "corpus", cwd=tmp_path)
    assert result.returncode == 1
    assert "NC-SEED-014" in result.stderr and "rename it without the leading dot" in result.stderr
    checked = run_cli("validate", "--corpus", "corpus", "--seeds", "seeds", cwd=tmp_path)
    assert checked.returncode == 1 and "NC-SEED-014" in checked.stdout
