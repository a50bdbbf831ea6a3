"""Release files are evidence: none is deleted unnoticed, no version number is given twice, a
release file that is not a file is a finding, and a release killed at any step is finished by
running the same command again, to the very bytes of an uninterrupted release.

Every case runs the command line in a subprocess, in a repository made in a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from articles import ARTICLES, Variant, render
from conftest import corpus_repository, run_cli

GIT = ("-c", "user.name=t", "-c", "user.email=t@t")
FIRST = "2026-01-15"
SECOND = "2026-02-01"


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *GIT, *args], cwd=repo, check=True, capture_output=True)
    return done.stdout.decode()


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", message)


def _ok(*args: str, cwd: Path) -> str:
    done = run_cli(*args, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _add_article(repo: Path, index: int) -> None:
    article = repo.parent / f"article-{index}.txt"
    article.write_bytes(render(ARTICLES[index], Variant()))
    _ok("new", str(article), cwd=repo)
    _ok("build", cwd=repo)


def _make_repo(root: Path, git: bool = True) -> Path:
    """A corpus repository: the first seed, built (and committed, with ``git``)."""
    corpus_repository(root)
    if git:
        _git(root, "init", "-q")
        _commit(root, "start")
    return root


def _released_and_changed(root: Path) -> Path:
    """Release 1.0.0 of the first seed, committed; then a second article added and built."""
    repo = _make_repo(root)
    _ok("release", "--bump", "major", "--date", FIRST, cwd=repo)
    _commit(repo, "Release 1.0.0")
    _add_article(repo, 1)
    return repo


@pytest.fixture(scope="module")
def two_releases_made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository with releases 1.0.0 and 1.1.0, each committed (made once: copy it)."""
    repo = _released_and_changed(tmp_path_factory.mktemp("made") / "repo")
    _ok("release", "--bump", "minor", "--date", SECOND, cwd=repo)
    _commit(repo, "Release 1.1.0")
    return repo


@pytest.fixture
def two_releases(two_releases_made: Path, tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(two_releases_made, repo, symlinks=True)
    return repo


def _no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    text = done.stdout + done.stderr
    assert "Traceback" not in text and "internal error" not in text, text


def _refused(*args: str, cwd: Path, code: str) -> str:
    done = run_cli(*args, cwd=cwd)
    _no_traceback(done)
    assert done.returncode == 1, (done.stdout, done.stderr)
    text = done.stdout + done.stderr
    assert code in text, text
    return text


# --- a deleted release file ---------------------------------------------------------------


def test_deleting_the_newest_release_is_caught_everywhere(two_releases: Path) -> None:
    repo = two_releases
    path = repo / "corpus/releases/1.1.0.json"
    kept = path.read_bytes()
    path.unlink()
    said = _refused("validate", cwd=repo, code="NC-REL-006")
    assert "release 1.1.0 is missing" in said
    restore = said.split("restore it: `")[1].split("`")[0]
    assert restore.startswith("git checkout ") and restore.endswith("corpus/releases/1.1.0.json")
    _refused("build", cwd=repo, code="NC-REL-006")
    _refused("release", "--bump", "minor", cwd=repo, code="NC-REL-006")
    _refused("publish", "--out", str(repo.parent / "out"), cwd=repo, code="NC-REL-006")
    assert not (repo.parent / "out").exists()
    subprocess.run(restore.split(), cwd=repo, check=True, capture_output=True)
    assert path.read_bytes() == kept  # the command the message gives restores it as released
    _ok("validate", cwd=repo)


def test_a_release_file_git_ever_committed_is_missed_even_without_the_manifest(
    two_releases: Path,
) -> None:
    repo = two_releases
    (repo / "corpus/releases/1.1.0.json").unlink()
    (repo / "corpus/manifest.json").unlink()
    said = _refused("build", cwd=repo, code="NC-REL-006")
    assert "git history holds it" in said
    assert not (repo / "corpus/manifest.json").exists()


def test_a_gap_in_the_chain_is_a_missing_release(two_releases: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"  # no git: only the chain itself can tell
    shutil.copytree(two_releases, copy, ignore=shutil.ignore_patterns(".git"))
    (copy / "corpus/releases/1.0.0.json").unlink()
    said = _refused("validate", cwd=copy, code="NC-REL-006")
    assert "release 1.0.0 is missing (release 1.1.0 chains to it)" in said
    assert "NC-REL-001" not in said  # the chain is not edited, it has a hole


def test_a_version_number_is_never_released_twice(two_releases: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"  # no git, newest release and manifest gone: a clean-looking corpus
    shutil.copytree(two_releases, copy, ignore=shutil.ignore_patterns(".git"))
    (copy / "corpus/releases/1.1.0.json").unlink()
    (copy / "corpus/manifest.json").unlink()
    _ok("build", cwd=copy)
    said = _refused("release", "--bump", "minor", cwd=copy, code="1.1.0")
    assert "was released before (CHANGELOG.md has an entry for it)" in said
    assert not (copy / "corpus/releases/1.1.0.json").exists()


def test_a_tagged_version_is_never_released_again(tmp_path: Path) -> None:
    repo = _make_repo(tmp_path / "repo")
    _ok("release", "--bump", "major", "--date", FIRST, cwd=repo)
    _commit(repo, "Release 1.0.0")
    _git(repo, "tag", "v1.1.0")  # the number was given elsewhere (a branch, a lost file)
    _add_article(repo, 1)
    said = _refused("release", "--bump", "minor", cwd=repo, code="1.1.0")
    assert "git has the tag v1.1.0" in said
    assert not (repo / "corpus/releases/1.1.0.json").exists()
    _ok("release", "--bump", "major", "--date", SECOND, cwd=repo)  # 2.0.0 was never given


def test_publish_refuses_a_manifest_older_than_the_releases(two_releases: Path) -> None:
    repo = two_releases
    manifest = repo / "corpus/manifest.json"
    manifest.write_text(manifest.read_text().replace('"1.1.0"', '"1.0.0"'))
    done = run_cli("publish", "--out", str(repo.parent / "out"), cwd=repo)
    _no_traceback(done)
    assert done.returncode == 1 and "the latest release is 1.1.0" in done.stderr


# --- release files that are not files, damaged lines ----------------------------------------


def _dangling(path: Path) -> None:
    path.unlink()
    path.symlink_to("nowhere.json")


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "x").write_text("x")


@pytest.mark.parametrize("breaks", [_dangling, _directory], ids=["dangling-link", "directory"])
def test_a_release_file_that_is_not_a_file_is_a_finding(two_releases: Path, breaks) -> None:
    repo = two_releases
    breaks(repo / "corpus/releases/1.1.0.json")
    for args in (
        ("validate",),
        ("build",),
        ("release", "--bump", "patch"),
        ("diff", "1.0.0"),
        ("diff", "1.1.0"),
        ("publish", "--out", str(repo.parent / "out")),
    ):
        said = _refused(*args, cwd=repo, code="NC-REL-007")
        assert "corpus/releases/1.1.0.json" in said, args


def test_a_truncated_release_is_a_finding_under_publish_and_diff(two_releases: Path) -> None:
    repo = two_releases
    path = repo / "corpus/releases/1.1.0.json"
    path.write_bytes(path.read_bytes()[:100])
    said = _refused("publish", "--out", str(repo.parent / "out"), cwd=repo, code="NC-REL-002")
    assert "corpus/releases/1.1.0.json" in said
    said = _refused("diff", "1.1.0", cwd=repo, code="NC-REL-002")
    assert "corpus/releases/1.1.0.json" in said


@pytest.mark.parametrize(
    ("breaks", "code"),
    [(_directory, "NC-REL-007"), (lambda p: p.write_bytes(p.read_bytes()[:100]), "NC-REL-002")],
    ids=["directory", "truncated"],
)
def test_new_with_a_broken_release_is_a_finding(two_releases: Path, breaks, code: str) -> None:
    repo = two_releases
    breaks(repo / "corpus/releases/1.1.0.json")
    seeds = sorted(p.name for p in (repo / "seeds").iterdir())
    article = b"A fresh headline\n\nA fresh paragraph of the article.\n"
    done = run_cli("new", "-", "--published", "2024-05-06", cwd=repo, input=article)
    _no_traceback(done)
    assert done.returncode == 1, done.stderr
    assert code in done.stderr and "corpus/releases/1.1.0.json" in done.stderr
    assert "nothing was written" in done.stderr
    assert sorted(p.name for p in (repo / "seeds").iterdir()) == seeds


def test_a_damaged_data_line_is_a_finding_under_diff(two_releases: Path) -> None:
    repo = two_releases
    data = sorted((repo / "corpus/data").glob("*.jsonl"))[-1]
    lines = data.read_bytes().splitlines(keepends=True)
    data.write_bytes(b"".join(lines) + lines[0][:50] + b"\n")
    said = _refused("diff", "1.0.0", cwd=repo, code="NC-JSON-001")
    assert f"{data.relative_to(repo).as_posix()}:{len(lines) + 1}: NC-JSON-001" in said


# --- a release killed half-way --------------------------------------------------------------

# Runs the command line with every os.replace, os.rename and os.unlink of the main process
# counted; the one numbered LIMIT kills the process (SIGKILL) before it happens. With LIMIT 0
# nothing is killed, and each call is listed at exit ("number name last-argument").
KILLER = """
import atexit, os, signal, sys
limit, calls, parent = int(sys.argv[1]), [], os.getpid()
def counted(name, real):
    def call(*args, **kwargs):
        if os.getpid() == parent:
            calls.append(f"{len(calls) + 1} {name} {args[-1]}")
            if len(calls) == limit:
                os.kill(parent, signal.SIGKILL)
        return real(*args, **kwargs)
    return call
for name in ("replace", "rename", "unlink"):
    setattr(os, name, counted(name, getattr(os, name)))
if not limit:
    atexit.register(lambda: print("\\n".join(["calls:", *calls]), file=sys.stderr))
from newscorpus.cli import main
sys.argv = ["newscorpus", *sys.argv[2:]]
main()
"""

RELEASE = ("release", "--bump", "minor", "--date", SECOND)


def _killed_at(limit: int, repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", KILLER, str(limit), *RELEASE],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )


def _calls(repo: Path) -> list[str]:
    """The replace, rename and unlink calls of an uninterrupted release in ``repo``."""
    counted = _killed_at(0, repo)
    assert counted.returncode == 0, counted.stderr
    return counted.stderr.rsplit("calls:\n", 1)[1].splitlines()


def _tree(root: Path) -> dict[str, bytes]:
    """Every file a user sees and commits: all but git's own and the build's cache."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith((".git/", "corpus/.cache/")) or path.is_dir():
            continue
        found[relative] = path.read_bytes()
    return found


@pytest.fixture(scope="module")
def unreleased_change_made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Release 1.0.0, committed; then an article added and built, not yet released."""
    return _released_and_changed(tmp_path_factory.mktemp("made") / "template")


@pytest.fixture
def unreleased_change(unreleased_change_made: Path, tmp_path: Path) -> Path:
    repo = tmp_path / "template"
    shutil.copytree(unreleased_change_made, repo, symlinks=True)
    return repo


def test_a_release_killed_at_any_step_is_finished_by_running_it_again(
    unreleased_change: Path, tmp_path: Path
) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(unreleased_change, reference, symlinks=True)
    calls = _calls(reference)
    expected = _tree(reference)
    assert '"corpus_version": "1.1.0"' in expected["corpus/manifest.json"].decode()
    steps = len(calls)
    assert steps >= 3  # the release file, the manifest, the changelog at least

    def kill_and_rerun(limit: int) -> tuple[int, str, dict[str, bytes]]:
        repo = tmp_path / f"killed-{limit}"
        shutil.copytree(unreleased_change, repo, symlinks=True)
        killed = _killed_at(limit, repo)
        assert killed.returncode == -9, (limit, killed.stderr)
        again = run_cli(*RELEASE, cwd=repo)
        return again.returncode, again.stdout + again.stderr, _tree(repo)

    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        outcomes = list(pool.map(kill_and_rerun, range(1, steps + 1)))
    finished = 0
    for limit, (returncode, said, tree) in enumerate(outcomes, start=1):
        assert returncode in (0, 1), (limit, said)
        if returncode == 1:  # killed after the last step: the release is complete
            assert "nothing to release" in said, (limit, said)
        else:
            finished += "finished release 1.1.0" in said
        # no temporary outlives the release: not of its own files, nor of the generated ones
        extra = sorted(set(tree) - set(expected))
        assert not extra, (limit, extra)
        differ = sorted(n for n in expected if tree.get(n) != expected[n])
        assert not differ, (limit, differ, said)
    assert finished > 0  # some kills did leave a pending release, and it was finished


def test_a_pending_release_is_finished_only_as_it_was_begun(unreleased_change: Path) -> None:
    repo = unreleased_change
    changelog = (repo / "CHANGELOG.md").read_bytes()
    trial = repo.parent / "trial"
    shutil.copytree(repo, trial, symlinks=True)
    [placed] = [c for c in _calls(trial) if c.endswith("releases/1.1.0.json")]
    killed = _killed_at(int(placed.split()[0]) + 1, repo)  # the release file is in place
    assert killed.returncode == -9
    assert (repo / "corpus/releases/1.1.0.json").is_file()
    assert (repo / "CHANGELOG.md").read_bytes() == changelog
    said = _refused("release", "--bump", "major", cwd=repo, code="1.1.0")
    assert "begun and not finished" in said and "--bump minor --date 2026-02-01" in said
    said = _refused("release", "--bump", "minor", "--date", "2026-03-03", cwd=repo, code="1.1.0")
    assert "--date 2026-02-01" in said
    _add_article(repo, 2)  # the corpus moves on before the release is finished
    said = _refused(*RELEASE, cwd=repo, code="1.1.0")
    assert "changed since (1 added, 0 changed, 0 removed)" in said
    assert "`newscorpus release --bump minor --redo`" in said
    assert (repo / "CHANGELOG.md").read_bytes() == changelog
    said = _refused("publish", "--out", str(repo.parent / "out"), cwd=repo, code="1.1.0")
    assert "release 1.1.0 is not finished: CHANGELOG.md has no entry for it" in said
    said = _ok(*RELEASE, "--redo", cwd=repo)  # one command makes it anew from the corpus now
    assert "released 1.1.0 (2026-02-01): 2 added" in said
    top = (repo / "CHANGELOG.md").read_text().split("\n## [")[2]
    assert top.startswith("1.1.0] - 2026-02-01") and top.count("\n- `") == 2
    _ok("validate", cwd=repo)
    said = _refused(*RELEASE, "--redo", cwd=repo, code="--redo")
    assert "no unfinished release" in said


def test_a_redo_never_remakes_a_release_whose_number_was_given(unreleased_change: Path) -> None:
    repo = unreleased_change
    trial = repo.parent / "trial"
    shutil.copytree(repo, trial, symlinks=True)
    [placed] = [c for c in _calls(trial) if c.endswith("releases/1.1.0.json")]
    assert _killed_at(int(placed.split()[0]) + 1, repo).returncode == -9
    _commit(repo, "the half-done release, committed")
    _add_article(repo, 2)
    said = _refused(*RELEASE, "--redo", cwd=repo, code="1.1.0")
    assert "cannot be made anew (git history holds its release file)" in said
