"""Retractions: the only way a released record leaves the corpus.

``seeds/retractions.yaml`` lists ``{id, reason, date}`` entries. It is read with the same strict
YAML as sidecars and checked against ``schema/retractions.schema.json``. A retracted id may
never have a seed again: ids are never reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from newscorpus.problems import Problem
from newscorpus.safe_yaml import YamlDefect, line_of, load_yaml, node_lines
from newscorpus.schemas import rs_error_message, rs_only_errors, schema_dir
from newscorpus.seeds import RETRACTIONS_FILE, shown

MAX_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Retraction:
    id: str
    reason: str
    date: str | None


@cache
def _strict_validator() -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(_schema(), validate_formats=True)


@cache
def _schema() -> Any:
    return orjson.loads((schema_dir() / "retractions.schema.json").read_bytes())


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def read_retractions(seeds_dir: Path) -> dict[str, Retraction] | list[Problem]:
    """The retractions by id (empty without a file), or the problems of the file."""
    path = seeds_dir / RETRACTIONS_FILE
    if not path.exists():
        return {}
    file = shown(path)
    if path.is_symlink() or not path.is_file():
        return [Problem("NC-REL-005", "not a regular file", file)]
    try:
        value, node = load_yaml(path.read_bytes(), MAX_BYTES)
    except YamlDefect as defect:
        return [Problem("NC-REL-005", defect.message, file, defect.line)]
    value = [] if value is None else value
    lines = node_lines(node)
    found = [(tuple(e.absolute_path), e.message) for e in _validator().iter_errors(value)]
    # jsonschema's ``$`` passes an id that ends in a line break (a YAML ``|`` block), which
    # would then match no record: jsonschema-rs, reading the pattern as JSON Schema does, joins.
    found += [
        (tuple(e.instance_path), rs_error_message(e))
        for e in rs_only_errors(_strict_validator().iter_errors(value), {p for p, _ in found})
    ]
    problems = [
        Problem(
            "NC-REL-005",
            f"{'/'.join(map(str, path)) or 'file'}: {message}",
            file,
            line_of(lines, path),
            path,
        )
        for path, message in found
    ]
    if problems:
        return problems
    found: dict[str, Retraction] = {}
    for index, entry in enumerate(value):
        if entry["id"] in found:
            problems.append(
                Problem(
                    "NC-REL-005",
                    f"id {entry['id']} is retracted twice",
                    file,
                    line_of(lines, (index,)),
                )
            )
        found[entry["id"]] = Retraction(entry["id"], entry["reason"], entry.get("date"))
    return problems or found


def continuity_problems(seeds_dir: Path, corpus: Path | None, ids: set[str]) -> list[Problem]:
    """Released records that vanished without a retraction, and retracted ids that came back.

    ``ids`` are the record ids about to be built (or found in the corpus). A corpus never
    released, or built into a fresh folder, has no history and nothing to check.
    """
    from newscorpus.releases import ReleaseError, latest_release

    retractions = read_retractions(seeds_dir)
    if isinstance(retractions, list):
        return retractions
    try:
        latest = latest_release(corpus) if corpus is not None else None
    except ReleaseError as error:
        if error.problems:  # a release file's defect: ``check_release_files`` reports it
            return []
        return [Problem("NC-REL-002", str(error), shown(corpus or seeds_dir))]
    retracted = set(retractions) | (set(latest.retracted) if latest else set())
    problems = [
        Problem(
            "NC-REL-004",
            f"id {record_id} was retracted"
            f"{': ' + retractions[record_id].reason if record_id in retractions else ''}; "
            "it can never be used again",
            shown(seeds_dir),
        )
        for record_id in sorted(ids & retracted)
    ]
    if latest is not None:
        problems += [
            Problem(
                "NC-REL-003",
                f"record {record_id} of release {latest.version} has no seed and no retraction",
                shown(seeds_dir),
            )
            for record_id in sorted(set(latest.records) - ids - retracted)
        ]
    return problems
