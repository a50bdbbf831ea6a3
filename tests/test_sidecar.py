"""Sidecars: strict, safe YAML; every defect names its key."""

from __future__ import annotations

import pytest

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
