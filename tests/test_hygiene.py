"""GitHub annotations and printed names: a value never ends a workflow command or starts one.

The runner reads a workflow command (``::error``, ``::warning``, ``::add-mask::``...) in any
line of a job's output. A file name holding a line break and ``::add-mask::x`` would, printed
as it is, be a second command: each finding must stay exactly one line.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIRST_SEED, run_cli
from newscorpus.excerpt import FORMAT_CHARACTERS, printable
from newscorpus.problems import Problem
from newscorpus.report import annotation, format_github, format_json, format_text

INJECTIONS = ["\n::warning::x", "\n::add-mask::secret", "\r\n::error::x", "%0A::warning::x"]


def _commands(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("::")]


def test_an_annotation_escapes_properties_and_message() -> None:
    line = annotation(
        "50% done\r\nnext", file="a,b:c\n%d.txt", line=3, title="T: x, y", level="warning"
    )
    assert line == (
        "::warning file=a%2Cb%3Ac%0A%25d.txt,line=3,title=T%3A x%2C y::50%25 done%0D%0Anext\n"
    )
    assert annotation("m") == "::error::m\n"


@given(st.text(), st.text(), st.text())
@settings(max_examples=300)
def test_an_annotation_is_always_one_line(file: str, title: str, message: str) -> None:
    line = annotation(message, file=file, title=title)
    assert line.endswith("\n") and "\n" not in line[:-1] and "\r" not in line
    head = line[: line.index("::", 2)]
    assert "::" not in head[2:]  # nothing in the properties ends them early


@pytest.mark.parametrize("injection", INJECTIONS)
def test_github_report_is_one_annotation_per_finding(injection: str) -> None:
    problems = [
        Problem("NC-SEED-001", f"bad name{injection}", f"seeds/001{injection}.txt"),
        Problem("NC-SEED-011", "not a seed", "seeds/notes.md", 2),
    ]
    output = format_github(problems, "a summary")
    commands = _commands(output)
    assert len(commands) == 2 and all(c.startswith("::error file=") for c in commands)
    assert len(output.splitlines()) == 3  # and the summary


@pytest.mark.parametrize("injection", INJECTIONS)
def test_text_and_json_reports_keep_a_name_on_its_line(injection: str) -> None:
    problems = [Problem("NC-SEED-001", f"name{injection}", f"seeds/001{injection}.txt")]
    assert _commands(format_text(problems)) == []
    assert _commands(format_json(problems)) == []


def test_printable_escapes_controls_and_format_characters() -> None:
    assert printable("a\nb\tc") == "a\\nb\\tc"
    assert printable("x\u202ey\u200bz\U000e0041") == "x\\u202ey\\u200bz\\U000e0041"
    assert printable("plain é text") == "plain é text"


def test_the_format_characters_are_unicodes_category_cf() -> None:
    written = re.compile(f"[{FORMAT_CHARACTERS}]")
    for point in range(0x110000):
        char = chr(point)
        assert bool(written.match(char)) == (unicodedata.category(char) == "Cf"), hex(point)


@pytest.mark.parametrize("injection", ["\n::warning::x", "\n::add-mask::secret"])
def test_a_seed_named_with_a_command_is_one_annotation(injection: str, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(FIRST_SEED, seeds / FIRST_SEED.name)
    (seeds / f"009_x{injection}.txt").write_bytes(b"Title\n\nBody.\n")
    result = run_cli(
        "build", "--seeds", "seeds", "--out", "corpus", "--format", "github", cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr
    commands = _commands(result.stdout + result.stderr)
    assert len(commands) == 1 and commands[0].startswith("::error file=seeds/009_x%0A%3A%3A")
    text = run_cli("build", "--seeds", "seeds", "--out", "corpus", cwd=tmp_path)
    assert text.returncode == 1 and _commands(text.stdout + text.stderr) == []
    assert "009_x\\n::" in text.stderr


def test_a_stale_file_named_with_a_command_is_one_annotation(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(FIRST_SEED, seeds / FIRST_SEED.name)
    assert run_cli("build", "--seeds", "seeds", "--out", "corpus", cwd=tmp_path).returncode == 0
    (tmp_path / "corpus" / "data" / "x\n::add-mask::secret.jsonl").write_bytes(b"{}\n")
    result = run_cli(
        "build",
        "--check",
        "--seeds",
        "seeds",
        "--out",
        "corpus",
        "--format",
        "github",
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    commands = _commands(result.stdout + result.stderr)
    assert len(commands) == 1, commands
    assert commands[0].startswith("::error file=corpus/data/x%0A%3A%3Aadd-mask%3A%3Asecret.jsonl,")
    text = run_cli("build", "--check", "--seeds", "seeds", "--out", "corpus", cwd=tmp_path)
    assert text.returncode == 1 and _commands(text.stdout + text.stderr) == []
