"""Releases: bumps, release files, the changelog, diff, retractions, and tamper detection."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from articles import ARTICLES, Variant, render
from conftest import corpus_repository, run_cli
from newscorpus.changelog import insert_entry
from newscorpus.releases import Change, bump, required_bump
from newscorpus.retractions import read_retractions


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A fresh clone-like repository: the first seed, built, committed, never released."""
    changelog = "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- Tools.\n"
    root = corpus_repository(tmp_path / "repo", changelog)
    _git(root, "init", "-q")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start")
    return root


def _commit(repo: Path, message: str) -> None:
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message)


def _add_article(repo: Path, index: int = 1) -> str:
    data = render(ARTICLES[index], Variant())
    result = run_cli("new", str(_write(repo, data)), cwd=repo)
    assert result.returncode == 0, result.stderr
    assert run_cli("build", cwd=repo).returncode == 0
    return next(
        p.stem.split("_")[1] for p in (repo / "seeds").glob("0*.txt") if p.read_bytes() == data
    )


def _write(repo: Path, data: bytes) -> Path:
    path = repo.parent / "article.txt"
    path.write_bytes(data)
    return path


def _versions(repo: Path) -> dict[str, str]:
    readme = (repo / "README.md").read_text()
    return {
        "manifest": json.loads((repo / "corpus/manifest.json").read_text())["corpus_version"],
        "datapackage": json.loads((repo / "datapackage.json").read_text())["version"],
        "croissant": json.loads((repo / "croissant.json").read_text())["version"],
        "readme": readme.split("This is **newscorpus ")[1].split("**")[0],
    }


def test_minor_release_after_adding_an_article(repo: Path) -> None:
    first = run_cli("release", "--bump", "major", "--date", "2026-01-15", cwd=repo)
    assert first.returncode == 0, first.stderr
    assert "git tag -a v1.0.0" in first.stdout
    _commit(repo, "Release 1.0.0")
    new_id = _add_article(repo)
    refused = run_cli("release", "--bump", "patch", cwd=repo)
    assert refused.returncode == 1 and "at least a minor" in refused.stderr
    assert not (repo / "corpus/releases/1.0.1.json").exists()
    done = run_cli("release", "--bump", "minor", "--date", "2026-02-01", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert set(_versions(repo).values()) == {"1.1.0"}
    changelog = (repo / "CHANGELOG.md").read_text()
    top = changelog.split("\n## [")[2]  # after [Unreleased]
    assert top.startswith("1.1.0] - 2026-02-01") and new_id in top
    diff = run_cli("diff", "1.0.0", "1.1.0", cwd=repo)
    assert diff.returncode == 0 and f"+ {new_id}" in diff.stdout
    assert ARTICLES[1].title in diff.stdout


def test_diff_names_changed_fields(repo: Path) -> None:
    assert run_cli("release", "--bump", "major", "--date", "2026-01-15", cwd=repo).returncode == 0
    _commit(repo, "Release 1.0.0")
    sidecar = repo / "seeds" / "000_0ef69f8f189c5c30.yaml"
    sidecar.write_text("published: 2022-01-06\n")
    assert run_cli("build", cwd=repo).returncode == 0
    assert run_cli("release", "--bump", "patch", "--date", "2026-01-16", cwd=repo).returncode == 0
    diff = run_cli("diff", "1.0.0", cwd=repo)
    assert "~ 0ef69f8f189c5c30" in diff.stdout
    assert "published" in diff.stdout and "sidecar_sha256" in diff.stdout


def test_edited_release_file_is_caught(repo: Path) -> None:
    assert run_cli("release", "--bump", "major", cwd=repo).returncode == 0
    _commit(repo, "Release 1.0.0")
    path = repo / "corpus/releases/1.0.0.json"
    document = json.loads(path.read_text())
    document["date"] = "1999-01-01"
    path.write_text(json.dumps(document, indent=2) + "\n")
    validated = run_cli("validate", cwd=repo)
    assert validated.returncode == 1 and "NC-REL-001" in validated.stdout
    checked = run_cli("build", "--check", cwd=repo)
    assert checked.returncode == 1 and "NC-REL-001" in checked.stderr


def test_removal_needs_a_retraction(repo: Path) -> None:
    new_id = _add_article(repo)
    assert run_cli("release", "--bump", "major", cwd=repo).returncode == 0
    _commit(repo, "Release 1.0.0")
    next((repo / "seeds").glob(f"*_{new_id}.txt")).unlink()
    built = run_cli("build", cwd=repo)
    assert built.returncode == 1 and "NC-REL-003" in built.stderr and new_id in built.stderr
    assert run_cli("release", "--bump", "major", cwd=repo).returncode == 1
    (repo / "seeds" / "retractions.yaml").write_text(
        f"- id: {new_id}\n  reason: the publisher withdrew the article\n"
    )
    assert run_cli("build", cwd=repo).returncode == 0
    assert run_cli("release", "--bump", "minor", cwd=repo).returncode == 1
    released = run_cli("release", "--bump", "major", "--date", "2026-03-01", cwd=repo)
    assert released.returncode == 0, released.stderr
    assert "withdrew" in (repo / "CHANGELOG.md").read_text()
    again = run_cli("new", str(_write(repo, render(ARTICLES[1], Variant()))), cwd=repo)
    assert again.returncode == 1 and "NC-REL-004" in again.stderr  # same text, same id
    first = repo / "seeds" / "000_0ef69f8f189c5c30.txt"
    (repo / "seeds" / f"777_{new_id}.txt").write_bytes(first.read_bytes() + b"\nMore.\n")
    refused = run_cli("build", cwd=repo)
    assert refused.returncode == 1 and "NC-REL-004" in refused.stderr


def test_nothing_to_release(repo: Path) -> None:
    assert run_cli("release", "--bump", "major", cwd=repo).returncode == 0
    again = run_cli("release", "--bump", "patch", cwd=repo)
    assert again.returncode == 1 and "nothing to release" in again.stderr


@pytest.mark.parametrize(
    ("change", "old", "new", "needed"),
    [
        (Change([], [], []), "1.0.0", "1.0.0", None),
        (Change([], ["a"], []), "1.0.0", "1.0.0", "patch"),
        (Change(["a"], ["b"], []), "1.0.0", "1.0.0", "minor"),
        (Change(["a"], [], ["b"]), "1.0.0", "1.0.0", "major"),
        (Change([], [], []), "1.0.0", "1.1.0", "patch"),
        (Change([], [], []), "1.0.0", "2.0.0", "major"),
        (Change(["a"], [], []), None, "1.0.0", "minor"),
    ],
)
def test_required_bump(change: Change, old: str | None, new: str, needed: str | None) -> None:
    assert required_bump(change, old, new) == needed


def test_bump() -> None:
    assert [bump("1.4.2", k) for k in ("patch", "minor", "major")] == ["1.4.3", "1.5.0", "2.0.0"]


def test_changelog_entry_goes_first_and_ships_the_unreleased_notes() -> None:
    text = (
        "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- X.\n\n## [1.0.0] - 2026-01-01\n\nOld.\n"
    )
    out = insert_entry(text, "## [1.1.0] - 2026-02-01\n\nNew.\n")
    assert out.index("## [Unreleased]") < out.index("## [1.1.0]") < out.index("## [1.0.0]")
    assert out.index("- X.") > out.index("## [1.1.0]")
    assert out.count("- X.") == 1


def test_retracted_id_with_a_line_break_is_refused(tmp_path: Path) -> None:
    """A YAML ``|`` block ends the id with a line break: Python's ``re`` lets ``$`` match
    before it, JSON Schema does not, and the id would match no record."""
    (tmp_path / "retractions.yaml").write_text("- id: |\n    0123456789abcdef\n  reason: twin\n")
    [problem] = read_retractions(tmp_path)
    assert problem.code == "NC-REL-005" and problem.path == (0, "id")
    assert "'0123456789abcdef\\n'" in problem.message


def test_retraction_with_an_escaped_byte_order_mark_is_refused_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "retractions.yaml").write_text('- id: 0123456789abcdef\n  reason: "twin\\ufeff"\n')
    [problem] = read_retractions(tmp_path)
    assert (problem.code, problem.line) == ("NC-REL-005", 2)
    assert "U+FEFF" in problem.message
