"""``newscorpus new``: a contributor's start, checked before anything is written."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from articles import ARTICLES, Variant, render
from conftest import FIRST_SEED, run_cli


def _seeds(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(FIRST_SEED, seeds)
    return seeds


def test_new_writes_a_named_seed_and_sidecar_from_stdin(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    data = render(ARTICLES[1], Variant())
    result = run_cli(
        "new",
        "--seeds",
        str(seeds),
        "--url",
        "https://example.org/rain",
        "--published",
        "2021-07-01",
        "--topic",
        "water",
        input=data,
    )
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in seeds.iterdir())
    txt = [n for n in written if n.startswith("001_") and n.endswith(".txt")]
    assert len(txt) == 1
    assert (seeds / txt[0]).read_bytes() == data  # the contributor's bytes, untouched
    assert "published: '2021-07-01'" in (seeds / txt[0].replace(".txt", ".yaml")).read_text()
    preview = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    assert preview["title"] == ARTICLES[1].title and preview["url"] == "https://example.org/rain"
    built = run_cli("build", "--seeds", str(seeds), "--out", str(tmp_path / "corpus"))
    assert built.returncode == 0, built.stderr


def test_new_refuses_a_bad_article_and_writes_nothing(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    result = run_cli("new", "--seeds", str(seeds), input=b"Only a headline\n")
    assert result.returncode == 1 and "NC-SEED-008" in result.stderr
    assert [p.name for p in seeds.iterdir()] == [FIRST_SEED.name]


def test_a_problem_names_the_file_given_with_its_line(tmp_path: Path) -> None:
    """Two files joined leave a byte-order mark inside the text: `new` names the contributor's
    file and line, not the seed it would have written."""
    seeds = _seeds(tmp_path)
    joined = tmp_path / "joined.txt"
    joined.write_bytes(render(ARTICLES[1], Variant()) + "\ufeffA second file.\n".encode())
    result = run_cli("new", "--seeds", str(seeds), str(joined))
    line = render(ARTICLES[1], Variant()).count(b"\n") + 1
    assert result.returncode == 1 and f"joined.txt:{line}: NC-SEED-006" in result.stderr
    assert [p.name for p in seeds.iterdir()] == [FIRST_SEED.name]


def test_new_refuses_a_bad_date(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    result = run_cli(
        "new",
        "--seeds",
        str(seeds),
        "--published",
        "06/01/2022",
        input=render(ARTICLES[2], Variant()),
    )
    assert result.returncode == 1 and "NC-SIDE-003" in result.stderr
    assert [p.name for p in seeds.iterdir()] == [FIRST_SEED.name]


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--rights-holder", " Acme", "--topic", "a\ufeffb"], "the options given: NC-SIDE-001"),
        (["--rights-holder", " Acme"], "--rights-holder: NC-SIDE-003"),
    ],
)
def test_a_metadata_problem_names_the_option(
    tmp_path: Path, options: list[str], named: str
) -> None:
    """The sidecar is made from the options: a problem names the option the contributor typed
    (or the options, for one found before any key), not a line of a sidecar never written."""
    seeds = _seeds(tmp_path)
    result = run_cli("new", "--seeds", str(seeds), *options, input=render(ARTICLES[2], Variant()))
    assert result.returncode == 1 and named in result.stderr
    assert ".yaml" not in result.stderr
    assert [p.name for p in seeds.iterdir()] == [FIRST_SEED.name]


def test_new_refuses_the_same_article_twice(tmp_path: Path) -> None:
    seeds = _seeds(tmp_path)
    result = run_cli("new", "--seeds", str(seeds), str(FIRST_SEED))
    assert result.returncode == 1 and "NC-SEED-009" in result.stderr


def test_new_on_a_terminal_says_what_to_give_instead_of_waiting(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    leader, terminal = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "newscorpus", "new", "--seeds", "seeds"],
            cwd=tmp_path,
            stdin=terminal,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        os.close(terminal)
        os.close(leader)
    assert result.returncode == 2, result.stderr
    assert "no article given" in result.stderr and "pipe" in result.stderr
    assert not list((tmp_path / "seeds").iterdir())
