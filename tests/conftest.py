"""Shared helpers: seed folders written from text, and the CLI run as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIRST_SEED = REPO / "seeds" / "000_0ef69f8f189c5c30.txt"

# Tests never touch the network: the Hugging Face stack must stay offline.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")


def run_cli(
    *args: str, cwd: Path | None = None, input: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``newscorpus`` in a fresh interpreter, exactly as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "newscorpus", *args],
        cwd=cwd or REPO,
        capture_output=True,
        text=True,
        input=input and input.decode(),
        timeout=600,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )


@pytest.fixture
def seed_dir(tmp_path: Path) -> Callable[..., Path]:
    """Make a seeds folder: ``seed_dir({"001_...txt": b"..."})``; the first seed is added
    unless ``with_first=False``."""

    def make(files: dict[str, bytes | str] | None = None, with_first: bool = True) -> Path:
        folder = tmp_path / "seeds"
        folder.mkdir(exist_ok=True)
        if with_first:
            shutil.copy(FIRST_SEED, folder / FIRST_SEED.name)
        for name, content in (files or {}).items():
            data = content.encode() if isinstance(content, str) else content
            (folder / name).write_bytes(data)
        return folder

    return make


UNRELEASED_CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n- Tools.\n"


def corpus_repository(root: Path, changelog: str = UNRELEASED_CHANGELOG) -> Path:
    """A corpus repository at ``root``: this one's config and card, a CHANGELOG, the first
    seed, built (not committed: tests that need git history commit it themselves)."""
    root.mkdir()
    for name in ("pyproject.toml", "README.md", "newscorpus.toml"):
        shutil.copy(REPO / name, root / name)
    (root / "CHANGELOG.md").write_text(changelog)
    (root / "seeds").mkdir()
    shutil.copy(FIRST_SEED, root / "seeds")
    built = run_cli("build", cwd=root)
    assert built.returncode == 0, built.stderr
    return root
