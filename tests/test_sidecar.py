"""Sidecars: strict, safe YAML; every defect names its key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIRST_SEED, run_cli
from newscorpus.problems import Problem
from newscorpus.sidecar import Sidecar, read_sidecar


def _codes(result: Sidecar | list[Problem]) -> list[str]:
    assert isinstance(result, list), result
    return [p.code for p in result]


def test_full_sidecar() -> None:
    data = b"""\
url: https://example.org/news/1
published: 2022-01-06
language: no
rights:
  holder: Example Media Group
  statement: Reproduced with permission.
topics: [kazakhstan, security]
corrections:
  - field: title
    value: A corrected title
    reason: the seed's title line had a typo
"""
    sidecar = read_sidecar(data, "001_0123456789abcdef.yaml")
    assert isinstance(sidecar, Sidecar)
    assert sidecar.published == "2022-01-06"  # a string, not a YAML date
    assert sidecar.language == "no"  # Norwegian, not False
    assert sidecar.copyright_holder == "Example Media Group"
    assert sidecar.topics == ("kazakhstan", "security")
    assert sidecar.corrections[0].field == "title"


def test_empty_sidecar_is_allowed() -> None:
    assert read_sidecar(b"", "x.yaml") == Sidecar()


@pytest.mark.parametrize(
    ("data", "code", "line"),
    [
        (b"url: [unclosed\n", "NC-SIDE-001", 2),
        (b"autor: Jane\n", "NC-SIDE-002", 1),
        (b"url: https://a.org/x\npublished: last Tuesday\n", "NC-SIDE-003", 2),
        (b"published: 2022-02-30\n", "NC-SIDE-003", 1),
        (b"url: not a url\n", "NC-SIDE-003", 1),
        (b"topics: kazakhstan\n", "NC-SIDE-003", 1),
        (b"- a list\n- not a mapping\n", "NC-SIDE-003", None),
        (b"url: !!python/object/apply:os.system [ls]\n", "NC-SIDE-005", 1),
        (b"a: &x [1]\nb: *x\n", "NC-SIDE-005", 1),
        (b"url: https://a.org/1\nurl: https://a.org/2\n", "NC-SIDE-006", 2),
        (b"rights:\n  owner: X\n", "NC-SIDE-002", 2),
        (b"corrections:\n  - field: text\n    value: x\n    reason: why not\n", "NC-SIDE-003", 2),
        (b"\xff\xfe\n", "NC-SIDE-001", 1),
        # U+FEFF written as an escape, anywhere in any value: refused at its line
        (b'topics:\n  - economy\n  - "\\ufeffpolitics"\n', "NC-SIDE-001", 3),
        (b'rights:\n  holder: "ACME\\ufeff"\n', "NC-SIDE-001", 2),
        (
            b'corrections:\n  - field: title\n    value: "A\\ufeffB"\n    reason: typo\n',
            "NC-SIDE-001",
            3,
        ),
        # the holder becomes the record's copyright_holder as written: that field's form
        (b'rights:\n  holder: " ACME"\n', "NC-SIDE-003", 2),
        # a raw byte-order mark inside the file: left by joining files
        ("rights:\n  holder: \ufeffACME\n".encode(), "NC-SIDE-001", 2),
    ],
)
def test_defects(data: bytes, code: str, line: int | None) -> None:
    result = read_sidecar(data, "s.yaml")
    assert _codes(result)[0] == code
    assert result[0].line == line  # type: ignore[index]


def test_unknown_key_is_named() -> None:
    result = read_sidecar(b"url: https://a.org/x\nauthor: Jane\n", "s.yaml")
    assert isinstance(result, list)
    assert "'author'" in result[0].message


def test_billion_laughs_is_refused_before_expansion() -> None:
    bomb = b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 9):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [{','.join(['*' + chr(96 + i)] * 9)}]\n".encode()
    assert _codes(read_sidecar(bomb, "s.yaml")) == ["NC-SIDE-005"]


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    result = read_sidecar(b"topics: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "s.yaml")
    assert _codes(result)[0] in {"NC-SIDE-001", "NC-SIDE-003"}


def test_escaped_byte_order_mark_is_named_with_its_column() -> None:
    [problem] = read_sidecar(
        b'url: https://a.org/x\ntopics: [economy, "\\ufeffpolitics"]\n', "s.yaml"
    )
    assert (problem.code, problem.line) == ("NC-SIDE-001", 2)
    assert "U+FEFF" in problem.message and "column 19" in problem.message  # the quote that opens it


def test_a_pattern_is_also_said_in_words() -> None:
    [problem] = read_sidecar(b'rights:\n  holder: "ACME "\n', "s.yaml")
    assert "'ACME '" in problem.message and "no white space at either end" in problem.message


def test_a_publication_date_in_the_future_is_refused_at_its_line() -> None:
    """validate would refuse the record (NC-REC-007); the sidecar is where to fix it."""
    [problem] = read_sidecar(b"url: https://a.org/x\npublished: '2999-01-01'\n", "s.yaml")
    assert (problem.code, problem.line, problem.path) == ("NC-SIDE-003", 2, ("published",))
    assert "after today" in problem.message


def test_one_bad_value_is_one_finding_in_words() -> None:
    [problem] = read_sidecar(b"published: 5/1/2022\n", "s.yaml")
    assert "YYYY-MM-DD" in problem.message
    [problem] = read_sidecar(b"language: english\n", "s.yaml")
    assert "such as en or pt-BR" in problem.message


@pytest.mark.parametrize(
    "url",
    [
        "https://reader:s3cret@example.org/a",
        "https://reader@example.org/a",
        "http://:s3cret@example.org/a",
        "https://@example.org/a",
        "https://a:b@c@example.org/a",
    ],
)
def test_a_url_with_credentials_is_refused_without_echoing_them(url: str) -> None:
    [problem] = read_sidecar(f"published: 2022-01-06\nurl: {url}\n".encode(), "s.yaml")
    assert (problem.code, problem.line, problem.path) == ("NC-SIDE-008", 2, ("url",))
    assert "example.org" in problem.message
    assert "s3cret" not in problem.message and "reader" not in problem.message


@pytest.mark.parametrize(
    "url", ["https://example.org/a@b", "https://example.org/a?mail=x@y.org", "https://x.org/#@a"]
)
def test_an_at_sign_after_the_host_is_not_a_credential(url: str) -> None:
    assert isinstance(read_sidecar(f"url: {url}\n".encode(), "s.yaml"), Sidecar)


UNSEEN = [
    0x200B, 0x200E, 0x200F, 0x202A, 0x202E, 0x2060, 0x2064, 0x2066, 0x2069,
    0x061C, 0x180E, 0x00AD, 0x206A, 0xFFF9, 0xE0001, 0xE0041, 0x01, 0x0B, 0x7F, 0x85,
]  # fmt: skip


@pytest.mark.parametrize("point", UNSEEN, ids=lambda p: f"U+{p:04X}")
@pytest.mark.parametrize(
    ("template", "where", "line"),
    [
        ('url: "https://example.org/a{c}b"\n', "url", 1),
        ('rights:\n  holder: "ACME{c} Corp"\n', "rights/holder", 2),
        ('topics:\n  - economy\n  - "poli{c}tics"\n', "topics/1", 3),
        (
            'corrections:\n  - field: title\n    value: "Fixed{c}"\n    reason: typo here\n',
            "corrections/0/value",
            3,
        ),
    ],
)
def test_an_invisible_character_is_named_by_field_position_and_code_point(
    point: int, template: str, where: str, line: int
) -> None:
    escape = f"\\U{point:08x}"  # YAML's escape: the character reaches the parsed value
    data = template.format(c=escape).encode()
    [problem] = read_sidecar(data, "s.yaml")
    assert (problem.code, problem.line) == ("NC-SIDE-009", line)
    assert problem.message.startswith(f"{where}: ")
    assert f"U+{point:04X}" in problem.message
    expected = template.split('"')[1].split("{c}")[0]
    assert f"at character {len(expected) + 1} of" in problem.message
    assert chr(point) not in problem.message


def test_a_raw_invisible_character_and_one_in_a_key_are_refused() -> None:
    [problem] = read_sidecar("rights:\n  holder: ACME\u202e Corp\n".encode(), "s.yaml")
    assert (problem.code, problem.line, problem.path) == ("NC-SIDE-009", 2, ("rights", "holder"))
    [problem] = read_sidecar("url\u200b: https://example.org/a\n".encode(), "s.yaml")
    assert problem.code == "NC-SIDE-009" and "the key 'url\\u200b'" in problem.message
    assert "\u200b" not in problem.message


@pytest.mark.parametrize("point", [0x200C, 0x200D])
def test_joiners_spell_words_and_are_kept_outside_the_url(point: int) -> None:
    """ZWNJ and ZWJ are part of how Persian, the Indic scripts and emoji are written."""
    word = f"\u0645\u06cc{chr(point)}\u062e\u0648\u0627\u0647\u0645"
    sidecar = read_sidecar(f"topics: [{word}]\nrights:\n  holder: {word}\n".encode(), "s.yaml")
    assert isinstance(sidecar, Sidecar) and sidecar.topics == (word,)
    [problem] = read_sidecar(f'url: "https://example.org/{word}"\n'.encode(), "s.yaml")
    assert problem.code == "NC-SIDE-009"


def test_a_hygiene_finding_stops_the_build_as_a_user_runs_it(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(FIRST_SEED, seeds / FIRST_SEED.name)
    sidecar = seeds / f"{FIRST_SEED.stem}.yaml"
    sidecar.write_bytes(
        b'url: https://reader:s3cret@example.org/a\nrights:\n  holder: "A\\u202eB"\n'
    )
    result = run_cli("build", "--seeds", "seeds", "--out", "corpus", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "NC-SIDE-008" in result.stderr and "NC-SIDE-009" in result.stderr
    assert "s3cret" not in result.stderr and "\u202e" not in result.stderr
    assert not (tmp_path / "corpus" / "manifest.json").exists()
    checked = run_cli("validate", "--corpus", "corpus", "--seeds", "seeds", cwd=tmp_path)
    assert checked.returncode == 1 and "NC-SIDE-008" in checked.stdout


def test_new_refuses_a_url_with_a_password_naming_the_option(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    result = run_cli(
        "new", str(FIRST_SEED), "--seeds", "seeds", "--url", "https://me:pw@example.org/a",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert "--url" in result.stderr and "NC-SIDE-008" in result.stderr
    assert ":pw" not in result.stderr
    assert list((tmp_path / "seeds").iterdir()) == []
