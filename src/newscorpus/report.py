"""Reporters: problems to text, as pure functions. Only the CLI writes to a stream.

* ``text``: ``file:line: CODE message`` with the fix hint under it, for people;
* ``json``: a versioned document with every field, for tools and CI artifacts;
* ``github``: GitHub Actions workflow commands, so findings land on the pull request's lines.

Every GitHub annotation the project prints is made by ``annotation``, which escapes what the
runner would read as the end of a command: a file named ``x\n::add-mask::y`` is one annotation
on that file, not a second command. Every message goes through ``safe_message`` (short, its
control and format characters escaped), and every file name through ``printable``: the runner
reads workflow commands in any line of the output, text reports included.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import orjson

from newscorpus.excerpt import printable, safe_message
from newscorpus.problems import Problem
from newscorpus.rules import RULES

REPORT_FORMAT_VERSION = "1.0"


def format_text(problems: Sequence[Problem], summary: str = "") -> str:
    out = []
    for p in problems:
        file = printable(p.file)
        where = file if p.line is None else f"{file}:{p.line}"
        path = f" at {printable(p.json_path)}" if p.path else ""
        message = safe_message(p.message)
        out.append(f"{where}: {p.code} [{p.name}] {message}{path}\n  fix: {p.hint}")
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
                "message": safe_message(p.message),
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


def annotation(
    message: str,
    *,
    level: str = "error",
    file: str | None = None,
    line: int | None = None,
    title: str | None = None,
) -> str:
    """One GitHub workflow command ``::error file=…,line=…,title=…::message``, one line: the
    properties escape ``%``, CR, LF, ``:`` and ``,``, the message ``%``, CR and LF, as the
    runner's own toolkit does; so no value can end the command or start another."""
    properties = []
    if file is not None:
        properties.append(f"file={_escape_property(file)}")
    if line is not None:
        properties.append(f"line={line}")
    if title is not None:
        properties.append(f"title={_escape_property(title)}")
    head = f"::{level} {','.join(properties)}" if properties else f"::{level}"
    return f"{head}::{_escape_data(message)}\n"


def format_github(problems: Sequence[Problem], summary: str = "") -> str:
    out = [
        annotation(
            f"{p.code} {safe_message(p.message)} (fix: {p.hint})",
            file=p.file,
            line=p.line,
            title=f"{p.code} {p.name}",
        )
        for p in problems
    ]
    if summary:
        out.append(printable(summary) + "\n")
    return "".join(out)


REPORTERS: dict[str, Callable[[Sequence[Problem], str], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}


def format_rule_list() -> str:
    """The catalogue as a plain table: code, name, what it requires."""
    width = max(len(r.name) for r in RULES.values())
    return "".join(f"{r.code}  {r.name:<{width}}  {r.summary}\n" for r in RULES.values())
