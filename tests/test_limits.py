"""One set of limits: a seed `new` accepts, `build` builds and `validate` passes, and one just
over the limit all three refuse, whatever its characters cost in JSON; and no message quotes
more of a value than an excerpt, whatever the size of the input."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import jsonschema_rs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_cli
from newscorpus.build import build
from newscorpus.contribute import Contribution, contribute
from newscorpus.corpus import iter_data_files
from newscorpus.excerpt import MAX_MESSAGE_CHARS, excerpt
from newscorpus.limits import (
    HEADER_BYTES,
    JSON_BYTES_PER_SEED_BYTE,
    MAX_LINE_BYTES,
    MAX_SEED_BYTES,
    MAX_SIDECAR_BYTES,
    MAX_TEXT_CHARS,
    in_megabytes,
)
from newscorpus.normalise import sha256_hex
from newscorpus.report import REPORTERS
from newscorpus.rules import RULES
from newscorpus.schemas import load_record_schema, load_sidecar_schema, rs_error_message
from newscorpus.seeds import read_regular
from newscorpus.sidecar import read_sidecar
from newscorpus.validate.runner import validate

TODAY = date(2026, 1, 1)


def _seed(unit: bytes, size: int) -> bytes:
    """A seed of exactly ``size`` bytes: a title, then paragraphs of ``unit`` repeated."""
    head = b"Limit title\n\n"
    paragraph = unit * (78 // len(unit)) + b"\n\n"
    data = head + paragraph * ((size - len(head)) // len(paragraph))
    data += unit * ((size - len(data)) // len(unit))
    return data + b"x" * (size - len(data))


# The costliest seed bytes in a data line, and plain text: a quote and a backslash are escaped
# (2 bytes of JSON each, twice: text and paragraphs), a Windows-1252 euro sign is 3 bytes of
# UTF-8, twice.
KINDS = {
    "quotes-and-backslashes": b'"\\',
    "windows-1252-euro-signs": b"\x80",
    "prose": b"the cat sat ",
}


def _verdicts(tmp_path: Path, data: bytes) -> tuple[list[str], list[str], list[str]]:
    """The codes `new`, `build` and `validate --seeds` give one seed (empty: accepted)."""
    seeds, out = tmp_path / "seeds", tmp_path / "corpus"
    shutil.rmtree(tmp_path, ignore_errors=True)
    seeds.mkdir(parents=True)
    made = contribute(data, seeds, {})
    new = [] if isinstance(made, Contribution) else sorted(p.code for p in made)
    if not isinstance(made, Contribution):  # what `new` refused, `build` gets as it is
        (seeds / f"001_{sha256_hex(data)[:16]}.txt").write_bytes(data)
    built = build(seeds, out, workers=1)
    checked = validate(out, seeds, workers=1, today=TODAY)
    codes = sorted({p.code for p in checked.problems} - {"NC-MAN-001"})  # no corpus, if refused
    return new, sorted(p.code for p in built.problems), codes


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_a_seed_at_the_limit_is_accepted_by_new_build_and_validate(
    kind: str, tmp_path: Path
) -> None:
    data = _seed(KINDS[kind], MAX_SEED_BYTES)
    assert len(data) == MAX_SEED_BYTES
    assert _verdicts(tmp_path, data) == ([], [], [])
    [line] = (tmp_path / "corpus" / "data").glob("*.jsonl")
    assert line.stat().st_size <= MAX_LINE_BYTES


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_a_seed_one_byte_over_is_refused_by_new_build_and_validate(
    kind: str, tmp_path: Path
) -> None:
    data = _seed(KINDS[kind], MAX_SEED_BYTES + 1)
    assert _verdicts(tmp_path, data) == (["NC-SEED-012"], ["NC-SEED-012"], ["NC-SEED-012"])


def test_the_largest_seed_of_quotes_builds_and_validates_as_a_user_runs_it(
    tmp_path: Path,
) -> None:
    """The report's case: a 9 MB seed of quotes built, and `validate` refused its 36 MB line."""
    article = tmp_path / "article.txt"
    article.write_bytes(_seed(b'"', MAX_SEED_BYTES))
    (tmp_path / "seeds").mkdir()
    added = run_cli("new", str(article), "--seeds", "seeds", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    built = run_cli("build", "--seeds", "seeds", "--out", "corpus", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    checked = run_cli("validate", "--corpus", "corpus", "--seeds", "seeds", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_prose_seed_over_the_limit_is_one_short_finding(tmp_path: Path) -> None:
    """The report's other case: 10 MiB - 1 bytes of prose passed the seed limit, then failed the
    schema with a 10.5 MB message. It is now over the seed limit, said in one line."""
    (tmp_path / "seeds").mkdir()
    data = _seed(b"the cat sat ", 10 * 1024 * 1024 - 1)
    (tmp_path / "seeds" / f"001_{sha256_hex(data)[:16]}.txt").write_bytes(data)
    result = run_cli("build", "--seeds", "seeds", "--out", "corpus", cwd=tmp_path)
    assert result.returncode == 1
    assert "NC-SEED-012" in result.stderr and "10 MB" in result.stderr
    assert len(result.stderr) < 1000


def test_a_huge_seed_is_refused_without_being_read_whole(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    seed = tmp_path / "seeds" / "001_0123456789abcdef.txt"
    with seed.open("wb") as handle:  # 4 GiB, sparse: cheap to make, too much to load
        handle.truncate(4 << 30)
    assert len(read_regular(seed)) == MAX_SEED_BYTES + 1
    result = run_cli("build", "--seeds", "seeds", "--out", "corpus", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "NC-SEED-012" in result.stderr and "over the 10 MB limit" in result.stderr


def test_new_reads_no_more_of_stdin_than_the_limit(tmp_path: Path) -> None:
    """An endless input is refused as over the limit, not read until memory runs out."""
    (tmp_path / "seeds").mkdir()
    endless = subprocess.Popen(["yes", "An endless line of text."], stdout=subprocess.PIPE)
    try:
        added = subprocess.run(
            [sys.executable, "-m", "newscorpus", "new", "-", "--seeds", "seeds"],
            cwd=tmp_path,
            stdin=endless.stdout,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        endless.kill()
        endless.wait()
    assert added.returncode == 1, added.stderr
    assert "NC-SEED-012" in added.stderr and "nothing was written" in added.stderr
    assert not list((tmp_path / "seeds").iterdir())


def test_the_seed_limit_is_the_schemas_text_limit() -> None:
    assert load_record_schema()["properties"]["text"]["maxLength"] == MAX_TEXT_CHARS
    assert MAX_SEED_BYTES == MAX_TEXT_CHARS
    assert in_megabytes(MAX_SEED_BYTES) in RULES["NC-SEED-012"].summary
    assert in_megabytes(MAX_LINE_BYTES) in RULES["NC-JSON-010"].summary


def test_no_character_makes_more_code_points_than_it_has_bytes() -> None:
    """Why a seed within the limit has a text within the schema's: in UTF-8 and in
    Windows-1252, NFC never gives a character more code points than it has bytes; and why a
    line is within its limit: a character's JSON is at most 3 bytes a byte (6 for a control)."""
    for point in range(sys.maxunicode + 1):
        if 0xD800 <= point <= 0xDFFF:
            continue
        char = chr(point)
        size = len(char.encode("utf-8"))
        normal = unicodedata.normalize("NFC", char)
        assert len(normal) <= size, hex(point)
        factor = 3 if point >= 0x20 and point != 0x7F else JSON_BYTES_PER_SEED_BYTE
        assert len(orjson.dumps(normal)) - 2 <= factor * size, hex(point)
    for byte in range(256):
        try:
            char = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        assert len(unicodedata.normalize("NFC", char)) == 1
        assert len(orjson.dumps(char)) - 2 <= JSON_BYTES_PER_SEED_BYTE


# Characters whose NFC is longer than themselves, or that combine and reorder around them.
_TRICKY = st.sampled_from(
    "a\u0344\u0958\ufb2c\U0001d160\u01d5\u0323\u0301\u0308\u1100\u1161\u11a8\u0f73\u0f75"
    "\u2adc\u0340\u0374\u1e69é\u0345\u05b4"
)


@given(st.lists(_TRICKY, max_size=40).map("".join))
@settings(max_examples=400, deadline=None)
def test_nfc_of_a_text_never_has_more_code_points_than_its_bytes(text: str) -> None:
    assert len(unicodedata.normalize("NFC", text)) <= len(text.encode("utf-8"))


def _bounded_bytes(node: dict, copies: int = 1) -> int:
    """The most bytes of JSON the strings under ``node`` can take (4 a code point), each
    bounded by its ``maxLength`` and its list's ``maxItems``; unbounded ones count 0."""
    found = 0
    if "maxLength" in node:
        found += 4 * node["maxLength"] + 2
    for sub in node.get("properties", {}).values():
        found += _bounded_bytes(sub)
    if "items" in node:
        found += node.get("maxItems", 0) * _bounded_bytes(node["items"])
    for option in node.get("oneOf", []):
        found += _bounded_bytes(option)
    return copies * found


def test_the_header_allowance_covers_what_the_schemas_bound() -> None:
    """``HEADER_BYTES`` holds every record field the schema bounds but the text and the dropped
    lines (counted by the seed's bytes), three times over, and what a sidecar can add: the
    lesser of its schema's bound and its bytes, copied three times at 6 bytes a byte."""
    properties = dict(load_record_schema()["properties"])
    del properties["text"], properties["dropped_lines"]
    record = _bounded_bytes({"properties": properties}, copies=3)
    sidecar = min(_bounded_bytes(load_sidecar_schema(), copies=3), 3 * 6 * MAX_SIDECAR_BYTES)
    keys = 64 * 1024  # the keys, the hashes and the counts, with room to spare
    assert record + sidecar + keys <= HEADER_BYTES
    assert MAX_LINE_BYTES == JSON_BYTES_PER_SEED_BYTE * MAX_SEED_BYTES + HEADER_BYTES


def test_excerpt_cuts_and_escapes() -> None:
    assert excerpt("short") == "'short'"
    long = excerpt("a\u202e" + "b" * 10_000_000)
    assert long.startswith("'a\\u202ebbb") and long.endswith("… (10,000,002 characters)")
    assert "\u202e" not in long and len(long) < 120
    assert len(excerpt(list(range(1_000_000)))) < 120


def test_a_schema_message_quotes_an_excerpt_of_a_huge_value() -> None:
    validator = jsonschema_rs.validator_for({"type": "string", "maxLength": 5})
    [error] = validator.iter_errors("x" * 10 * 1024 * 1024)
    message = rs_error_message(error)
    assert len(message) < 200 and "10,485,760 characters" in message
    assert message.endswith("is longer than 5 characters")


def test_a_record_over_the_text_limit_is_a_short_finding(tmp_path: Path) -> None:
    """A data line edited to hold 10.5 million characters: the schema's finding quotes a few."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "001_0123456789abcdef.txt").write_bytes(
        b"A title\n\nA body of a few words.\n"
    )
    out = tmp_path / "corpus"
    assert build(tmp_path / "seeds", out, workers=1).ok
    [data] = iter_data_files(out)
    record = orjson.loads(data.read_bytes())
    text = "word " * 2_100_000
    record.update(text=text.strip(), paragraphs=[text.strip()], char_count=len(text.strip()))
    data.write_bytes(orjson.dumps(record) + b"\n")
    problems = validate(out, workers=1, today=TODAY).problems
    assert "NC-REC-001" in {p.code for p in problems}
    assert all(len(p.message) <= MAX_MESSAGE_CHARS for p in problems)
    for fmt, report in REPORTERS.items():
        shown = report(problems, "")
        assert len(shown) < 10 * MAX_MESSAGE_CHARS * max(1, len(problems)), fmt


def test_a_sidecar_value_over_its_limit_is_a_short_finding() -> None:
    data = b"rights:\n  statement: " + b"x" * (MAX_SIDECAR_BYTES - 40) + b"\n"
    problems = read_sidecar(data, "s.yaml")
    assert isinstance(problems, list) and problems
    assert all(len(p.message) <= MAX_MESSAGE_CHARS for p in problems)
    assert "characters)" in problems[0].message


def test_a_reporter_never_prints_a_huge_message() -> None:
    from newscorpus.problems import Problem

    problem = Problem("NC-REC-001", "x" * 10_000_000, "corpus/data/shard-0.jsonl", 1)
    for fmt, report in REPORTERS.items():
        assert len(report([problem], "")) < 3 * MAX_MESSAGE_CHARS, fmt


@pytest.mark.parametrize("space", ["\x0b", "\x0c"], ids=ascii)
def test_a_control_space_in_a_header_line_is_accepted_by_new_build_and_validate(
    space: str, tmp_path: Path
) -> None:
    """A header line is kept as it stands, save that white space JSON can only escape as a
    control character becomes a space, as in body text; `validate` refused it before."""
    data = (
        f"A headline here\nBy Jane{space}Doe, Staff Writer\n\n"
        "The first paragraph of the article body is here.\n\nA second paragraph follows.\n"
    ).encode()
    assert _verdicts(tmp_path, data) == ([], [], [])
    [data_file] = iter_data_files(tmp_path / "corpus")
    record = orjson.loads(data_file.read_bytes())
    assert {"line": 2, "reason": "byline", "text": "By Jane Doe, Staff Writer"} in record[
        "dropped_lines"
    ]
