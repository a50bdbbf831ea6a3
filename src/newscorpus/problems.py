"""Problems: what every check reports, in one shape.

A problem is data, not an exception and not a printed line: the build, the validator and the
CLI all collect problems first and decide afterwards how to show them. Rules never build
locations themselves; the caller stamps file and line, so a rule stays a small pure function.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from newscorpus.rules import RULES

PathPart = str | int


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: a stable rule code, where it is and what to do about it."""

    code: str
    message: str
    file: str
    line: int | None = None
    path: tuple[PathPart, ...] = field(default=())

    @property
    def rule(self):
        return RULES[self.code]

    @property
    def hint(self) -> str:
        return RULES[self.code].hint

    @property
    def name(self) -> str:
        return RULES[self.code].name

    @property
    def json_path(self) -> str:
        """The location inside a JSON record, as a JSONPath (``$`` for the whole line)."""
        out = "$"
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else f".{part}"
        return out

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.line or 0, self.code, self.message)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.code} {self.message}"


class SeedError(Exception):
    """Raised inside the per-seed pipeline to stop at the first fatal defect of one seed.

    It never escapes the pipeline: ``record.make_record`` turns it into a ``Problem``.
    """

    def __init__(self, code: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line

    def to_problem(self, file: str) -> Problem:
        return Problem(self.code, self.message, file, self.line)


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=Problem.sort_key)
