"""Reporters: problems to text, as pure functions. Only the CLI writes to a stream.

* ``text``: ``file:line: CODE message`` with the fix hint under it, for people;
* ``json``: a versioned document with every field, for tools and CI artifacts;
* ``github``: GitHub Actions workflow commands, so findings land on the pull request's lines.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import orjson

from newscorpus.problems import Problem
from newscorpus.rules import RULES

REPORT_FORMAT_VERSION = "1.0"


def format_text(problems: Sequence[Problem], summary: str = "") -> str:
    out = []
    for p in problems:
        where = p.file if p.line is None else f"{p.file}:{p.line}"
        path = f" at {p.json_path}" if p.path else ""
        out.append(f"{where}: {p.code} [{p.name}] {p.message}{path}\n  fix: {p.hint}")
    if problems:
        counts = Counter(p.code for p in problems)
        by_code = ", ".join(f"{code} x{n}" for code, n in sorted(counts.items()))
        out.append(f"{len(problems)} problem(s): {by_code}")
    if summary:
        out.append(summary)
    return "\n".join(out) + ("\n" if out else "")


def format_json(problems: Sequence[Problem], summary: str = "") -> str:
    document = {
        "format_version": REPORT_FORMAT_VERSION,
        "ok": not problems,
        "summary": summary,
        "counts": dict(sorted(Counter(p.code for p in problems).items())),
        "problems": [
            {
                "code": p.code,
                "rule": p.name,
                "file": p.file,
                "line": p.line,
                "json_path": p.json_path,
                "message": p.message,
                "hint": p.hint,
            }
            for p in problems
        ],
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: Sequence[Problem], summary: str = "") -> str:
    out = []
    for p in problems:
        location = f"file={_escape_property(p.file)}"
        if p.line is not None:
            location += f",line={p.line}"
        title = _escape_property(f"{p.code} {p.name}")
        message = _escape_data(f"{p.code} {p.message} (fix: {p.hint})")
        out.append(f"::error {location},title={title}::{message}")
    if summary:
        out.append(summary)
    return "\n".join(out) + ("\n" if out else "")


REPORTERS: dict[str, Callable[[Sequence[Problem], str], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}


def format_rule_list() -> str:
    """The catalogue as a plain table: code, name, what it requires."""
    width = max(len(r.name) for r in RULES.values())
    return "".join(f"{r.code}  {r.name:<{width}}  {r.summary}\n" for r in RULES.values())
