"""Ownership: a build writes only inside its --out, or the generated files its repository
declares, never over a file it did not generate, and never where the seeds are.

Every case runs the command as a user would (a fresh interpreter, in a temporary folder) and
compares every byte of the user's files and seeds before and after.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIRST_SEED, REPO, run_cli
from newscorpus.owned import foreign_files, is_generated
from newscorpus.workspace import GENERATED, find_repository, find_root, overlap

CONFIG = """\
[corpus]
seeds = "seeds"
out = "corpus"
generated = ["README.md", "LICENSE.md", "datapackage.json", "croissant.json", "docs/rules.md"]
"""
USER_FILES = {
    "README.md": b"# My project\n\nWritten by me.\n",
    "LICENSE.md": b"My licence.\n",
    "datapackage.json": b'{"name": "mine", "resources": []}\n',
    "croissant.json": b'{"@type": "sc:Dataset", "name": "mine"}\n',
    "docs/rules.md": b"# My house rules\n",
    "notes.txt": b"keep me\n",
}


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every file (its bytes), link (its target) and folder under ``folder``."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            found[name] = "/"
        else:
            found[name] = path.read_bytes()
    return found


def _seeds(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(FIRST_SEED, folder / FIRST_SEED.name)
    (folder / f"{FIRST_SEED.stem}.yaml").write_text("published: 2024-02-03\n")
    return folder


def _user_folder(root: Path) -> Path:
    for name, data in USER_FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    _seeds(root / "seeds")
    return root


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A corpus repository that declares every generated file, with seeds, never built."""
    root = tmp_path / "repo"
    _seeds(root / "seeds")
    (root / "newscorpus.toml").write_text(CONFIG)
    return root


# --- --out and the seeds --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("out", "says"),
    [
        (".", "holds the seeds folder"),
        ("data", "is the seeds folder"),
        ("data/corpus", "is inside the seeds folder"),
        ("link", "is the seeds folder"),  # a link to the seeds is the seeds
        ("link/corpus", "is inside the seeds folder"),
    ],
)
def test_out_overlapping_the_seeds_is_refused_before_anything_is_touched(
    tmp_path: Path, out: str, says: str
) -> None:
    # mkdir x && mv seeds x/data && cd x && newscorpus build --seeds data --out .
    x = tmp_path / "x"
    _seeds(x / "data")
    (x / "link").symlink_to("data")
    before = _snapshot(tmp_path)
    result = run_cli("build", "--seeds", "data", "--out", out, cwd=x)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert _snapshot(tmp_path) == before


def test_the_repository_root_as_out_is_refused(repository: Path) -> None:
    before = _snapshot(repository)
    result = run_cli("build", "--out", ".", cwd=repository)
    assert result.returncode == 2
    assert "holds the seeds folder" in result.stderr
    assert _snapshot(repository) == before


def test_out_of_someone_elses_files_is_refused(tmp_path: Path) -> None:
    """A folder that is not a corpus and holds other files: a build would replace its data/."""
    root = _user_folder(tmp_path / "mine")
    (root / "data").mkdir()
    (root / "data" / "results.csv").write_text("a,b\n")
    seeds = _seeds(tmp_path / "elsewhere")
    before = _snapshot(tmp_path)
    for out in (".", "docs"):
        result = run_cli("build", "--seeds", str(seeds), "--out", out, cwd=root)
        assert result.returncode == 1, result.stderr
        assert "is not a corpus folder" in result.stderr and "nothing was written" in result.stderr
        assert _snapshot(tmp_path) == before
    (root / "other").mkdir()
    (root / "other" / "manifest.json").write_text('{"name": "my web app"}\n')
    before = _snapshot(root)
    result = run_cli("build", "--seeds", "seeds", "--out", "other", cwd=root)
    assert result.returncode == 1 and "manifest.json (not a newscorpus one)" in result.stderr
    assert _snapshot(root) == before


# --- outside a corpus repository: only --out -------------------------------------------------


@pytest.mark.parametrize("args", [(), ("--seeds", "seeds", "--out", "corpus")])
def test_outside_a_repository_a_build_writes_only_its_out(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    root = _user_folder(tmp_path / "mine")
    before = _snapshot(root)
    result = run_cli("build", "--workers", "1", *args, cwd=root)
    assert result.returncode == 0, result.stderr
    after = _snapshot(root)
    assert {k: v for k, v in after.items() if not k.startswith("corpus")} == before
    assert (root / "corpus" / "manifest.json").is_file()


def test_a_seeds_folder_and_pyproject_do_not_make_a_repository(tmp_path: Path) -> None:
    root = _user_folder(tmp_path / "project")
    (root / "pyproject.toml").write_text('[project]\nname = "mine"\n')
    (root / "sub").mkdir()
    assert find_root(root / "sub") == (root / "sub").resolve()
    assert find_repository(root / "sub") is None
    (root / "newscorpus.toml").write_text(CONFIG)
    assert find_root(root / "sub") == root.resolve()
    repository = find_repository(root / "sub")
    assert repository is not None and repository.generated == GENERATED


def test_the_project_declares_itself() -> None:
    repository = find_repository(REPO)
    assert repository is not None
    assert repository.root == REPO and repository.corpus == REPO / "corpus"
    assert repository.generated == GENERATED


# --- in a corpus repository: the declared files, only with their marker ---------------------


def test_a_build_writes_the_declared_files_with_their_markers(repository: Path) -> None:
    result = run_cli("build", "--workers", "1", cwd=repository)
    assert result.returncode == 0, result.stderr
    for name in GENERATED:
        path = repository / name
        assert is_generated(path, path.read_bytes()), name
    assert foreign_files([repository / n for n in GENERATED], repository) == []
    again = run_cli("build", "--workers", "1", cwd=repository)  # its own files: replaced
    assert again.returncode == 0, again.stderr
    # A README with the field markers keeps its hand-written text.
    readme = repository / "README.md"
    readme.write_text(readme.read_text().replace("# newscorpus", "# Our corpus\n\nBy us."))
    assert run_cli("build", "--workers", "1", cwd=repository).returncode == 0
    assert "# Our corpus\n\nBy us." in readme.read_text()


def test_only_the_declared_files_are_written(repository: Path) -> None:
    (repository / "newscorpus.toml").write_text(CONFIG.replace('"README.md", "LICENSE.md", ', ""))
    (repository / "README.md").write_bytes(USER_FILES["README.md"])
    result = run_cli("build", "--workers", "1", cwd=repository)
    assert result.returncode == 0, result.stderr
    assert (repository / "README.md").read_bytes() == USER_FILES["README.md"]
    assert not (repository / "LICENSE.md").exists()
    assert (repository / "datapackage.json").is_file()


def test_no_generated_key_means_no_files_beside_the_corpus(repository: Path) -> None:
    (repository / "newscorpus.toml").write_text('[corpus]\nseeds = "seeds"\n')
    before = _snapshot(repository)
    assert run_cli("build", "--workers", "1", cwd=repository).returncode == 0
    after = _snapshot(repository)
    assert {k: v for k, v in after.items() if not k.startswith("corpus")} == before


@pytest.mark.parametrize("name", [n for n in USER_FILES if n in GENERATED])
def test_a_declared_file_without_its_marker_stops_the_build(repository: Path, name: str) -> None:
    path = repository / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(USER_FILES[name])
    before = _snapshot(repository)
    result = run_cli("build", "--workers", "1", cwd=repository)
    assert result.returncode == 1
    assert f"{name}: was not generated by newscorpus" in result.stderr
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert _snapshot(repository) == before  # no corpus folder either: refused before the build


def test_a_folder_or_link_in_place_of_a_generated_file_stops_the_build(
    repository: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "my-licence.md"
    elsewhere.write_text("<!-- generated by `newscorpus build`; but mine -->\n")
    (repository / "LICENSE.md").symlink_to(elsewhere)
    (repository / "croissant.json").mkdir()
    (repository / "docs").write_text("a file where the docs folder would be\n")
    before = _snapshot(tmp_path)
    result = run_cli("build", "--workers", "1", cwd=repository)
    assert result.returncode == 1
    assert "LICENSE.md: is a symbolic link" in result.stderr
    assert "croissant.json: is not a regular file" in result.stderr
    assert "rules.md: docs is not a folder" in result.stderr
    assert _snapshot(tmp_path) == before


def test_release_refuses_a_stranger_in_place_of_a_generated_file(repository: Path) -> None:
    assert run_cli("build", "--workers", "1", cwd=repository).returncode == 0
    (repository / "LICENSE.md").write_bytes(USER_FILES["LICENSE.md"])
    before = _snapshot(repository)
    result = run_cli("release", "--bump", "major", "--date", "2026-01-15", cwd=repository)
    assert result.returncode == 1
    assert "LICENSE.md: was not generated by newscorpus" in result.stderr
    assert _snapshot(repository) == before


@pytest.mark.parametrize(
    ("config", "says"),
    [
        ("[corpus\n", "not valid TOML"),
        ("[corpus]\nseeds = 3\n", "[corpus] seeds must be a string"),
        ('[corpus]\ngenerated = "README.md"\n', "[corpus] generated must be a list"),
        ('[corpus]\ngenerated = ["NOTES.md"]\n', "'NOTES.md' is not a file a build generates"),
        ("[corpus]\ngenerated = [1]\n", "generated: 1 is not a file a build generates"),
        ('[corpus]\nout = "../elsewhere"\n', "[corpus] out = '../elsewhere'"),
        ('[corpus]\nout = "/tmp"\n', "[corpus] out = '/tmp'"),
        ('[corpus]\nout = "seeds/corpus"\n', "seeds and out must be separate folders"),
        ('[corpus]\nseed = "x"\n', "[corpus] 'seed': unknown key"),
        ("[corpora]\n", "unknown table ['corpora']"),
        ('corpus = "x"\n', "`corpus` must be a table"),
        ('[corpus]\nout = "c2"\ngenerated = ["README.md"]\n', "out must be 'corpus'"),
        (b"[corpus]\nseeds = '\xff'\n", "not UTF-8"),
    ],
)
def test_a_bad_config_is_a_usage_error_naming_file_and_key(
    repository: Path, config: str | bytes, says: str
) -> None:
    path = repository / "newscorpus.toml"
    path.write_bytes(config if isinstance(config, bytes) else config.encode())
    before = _snapshot(repository)
    for command in (("build",), ("publish", "--out", "published")):
        result = run_cli(*command, cwd=repository)
        assert result.returncode == 2, (command, result.stderr)
        assert f"{path}:" in result.stderr and says in result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        assert _snapshot(repository) == before


@pytest.mark.parametrize(
    "command", [("validate",), ("new", "-"), ("diff", "working", "working")], ids=lambda c: c[0]
)
def test_every_command_refuses_a_bad_config_like_the_build(
    repository: Path, command: tuple[str, ...]
) -> None:
    path = repository / "newscorpus.toml"
    path.write_text('[corpus]\nseed = "x"\n')
    before = _snapshot(repository)
    result = run_cli(*command, cwd=repository, input=b"Some text.\n")
    assert result.returncode == 2, result.stderr
    assert f"{path}: [corpus] 'seed': unknown key" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert _snapshot(repository) == before


def test_every_command_uses_the_declared_folders(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    _seeds(root / "articles")
    (root / "newscorpus.toml").write_text('[corpus]\nseeds = "articles"\nout = "built"\n')
    assert run_cli("build", "--workers", "1", cwd=root).returncode == 0
    checked = run_cli("validate", "--format", "json", cwd=root)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "1 file(s) and 1 seed(s)" in checked.stdout
    article = b"A headline\n\nA new paragraph of text.\n"
    added = run_cli("new", "-", "--published", "2024-05-06", cwd=root, input=article)
    assert added.returncode == 0, added.stderr
    assert len(list((root / "articles").glob("*.txt"))) == 2
    compared = run_cli("diff", "working", "working", cwd=root)
    assert compared.returncode == 0, compared.stderr


INJECTED = "x\n::error file=README.md::injected"


def _no_command_line(text: str) -> None:
    """No line of ``text`` can be read by a CI runner as a workflow command."""
    assert not [line for line in text.splitlines() if line.lstrip().startswith("::")], text


def test_a_foreign_out_is_named_on_one_line(tmp_path: Path) -> None:
    _seeds(tmp_path / "seeds")
    out = tmp_path / f"out{INJECTED}"
    out.mkdir()
    (out / f"mine{INJECTED}").write_bytes(b"keep me\n")
    result = run_cli("build", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "is not a corpus folder" in result.stderr and "\\n::error" in result.stderr
    _no_command_line(result.stderr)


def test_a_foreign_generated_file_is_named_on_one_line(tmp_path: Path) -> None:
    root = tmp_path / f"repo{INJECTED}"
    _seeds(root / "seeds")
    (root / "newscorpus.toml").write_text(CONFIG)
    (root / "README.md").write_bytes(USER_FILES["README.md"])
    (root / "sub").mkdir()  # from below the root, messages name files by absolute path
    result = run_cli("build", "--workers", "1", cwd=root / "sub")
    assert result.returncode == 1, result.stderr
    assert "not newscorpus's to replace" in result.stderr
    _no_command_line(result.stderr)


def test_a_build_removes_only_its_own_leftover_temporaries(repository: Path) -> None:
    assert run_cli("build", "--workers", "1", cwd=repository).returncode == 0
    leftovers = [
        ".README.md.0123456789ab",
        ".datapackage.json.fedcba987654",
        "docs/.rules.md.00aa11bb22cc",
    ]
    kept = [
        ".README.md.0123456789abc",  # not the pattern: 13 hex digits
        ".README.md.notes",
        ".notes.txt.0123456789ab",  # not a generated file's
        "README.md.0123456789ab",
        ".CHANGELOG.md.0123456789ab",  # a release's, swept by the release
    ]
    for name in leftovers + kept:
        (repository / name).write_bytes(b"partial")
    (repository / ".croissant.json.0123456789ab").mkdir()  # not a file
    result = run_cli("build", "--workers", "1", cwd=repository)
    assert result.returncode == 0, result.stderr
    assert not [n for n in leftovers if (repository / n).exists()]
    assert all((repository / n).read_bytes() == b"partial" for n in kept)
    assert (repository / ".croissant.json.0123456789ab").is_dir()


def test_a_failed_write_names_the_file_not_its_temporary(tmp_path: Path) -> None:
    from newscorpus.corpus import write_file

    target = tmp_path / "datapackage.json"
    target.mkdir()  # the rename of the temporary over it fails
    with pytest.raises(OSError) as raised:
        write_file(target, b"{}")
    assert raised.value.filename == str(target) and raised.value.filename2 is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["datapackage.json"]


# --- modes ------------------------------------------------------------------------------------


@pytest.fixture(params=[0o022, 0o077, 0o002], ids=lambda m: f"umask-{m:03o}")
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """Run the block under a umask; the CLI's process inherits it."""
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def test_files_and_folders_get_the_umasks_modes(repository: Path, umask: int) -> None:
    result = run_cli("build", "--workers", "2", cwd=repository)
    assert result.returncode == 0, result.stderr
    made = [repository / name for name in GENERATED]
    made += [repository / "docs", *(repository / "corpus").rglob("*"), repository / "corpus"]
    for path in made:
        mode = stat.S_IMODE(path.lstat().st_mode)
        want = (0o777 if path.is_dir() else 0o666) & ~umask
        assert mode == want, f"{path.relative_to(repository)}: {mode:o}, not {want:o}"
    # Replacing a generated file gives it the umask's mode too, whatever it had before.
    (repository / "LICENSE.md").chmod(0o600)
    (repository / "LICENSE.md").write_text((repository / "LICENSE.md").read_text() + "edited\n")
    assert run_cli("build", "--workers", "1", cwd=repository).returncode == 0
    assert stat.S_IMODE((repository / "LICENSE.md").stat().st_mode) == 0o666 & ~umask


# --- the overlap rule, for every pair of folders ----------------------------------------------

_PARTS = st.lists(st.sampled_from(["a", "b", "seeds", "corpus", "a b"]), min_size=0, max_size=4)


@given(_PARTS, _PARTS)
def test_overlap_is_refused_exactly_when_one_folder_holds_the_other(
    out_parts: list[str], seeds_parts: list[str]
) -> None:
    out, seeds = Path("/r", *out_parts), Path("/r", *seeds_parts)
    shared = os.path.commonpath([out, seeds])
    expected = shared in (str(out), str(seeds))
    assert (overlap(out, seeds) is not None) == expected
    if out == seeds:
        assert overlap(out, seeds) == "is"
    elif expected:
        outer = len(out.parts) < len(seeds.parts)
        assert overlap(out, seeds) == ("holds" if outer else "is inside")


def test_new_reads_the_releases_of_the_declared_corpus(tmp_path: Path) -> None:
    """`new` looks for retracted ids in the corpus the repository declares: a damaged release
    file there is a finding and nothing is written (beside the seeds there is no corpus)."""
    root = tmp_path / "repo"
    _seeds(root / "articles")
    (root / "newscorpus.toml").write_text('[corpus]\nseeds = "articles"\nout = "built"\n')
    assert run_cli("build", "--workers", "1", cwd=root).returncode == 0
    (root / "built" / "releases").mkdir(exist_ok=True)
    (root / "built" / "releases" / "1.0.0.json").mkdir()
    before = sorted((root / "articles").iterdir())
    added = run_cli("new", "-", cwd=root, input=b"A headline\n\nA new paragraph of text.\n")
    assert added.returncode == 1, added.stdout + added.stderr
    assert "NC-REL-007" in added.stderr and "nothing was written" in added.stderr
    assert sorted((root / "articles").iterdir()) == before
