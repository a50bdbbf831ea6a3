"""Building the corpus: seeds in, checked records out, atomically, byte for byte the same.

The work is split by shard: each worker reads the seeds of one shard, makes and checks their
records and writes the shard into the staging folder, so memory holds one shard at a time
whatever the corpus size. The parent only sees file descriptions, problems and seed hashes.
Nothing is swapped into place unless every seed of every shard passed.
"""

from __future__ import annotations

import dataclasses
import errno
import filecmp
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema_rs
import orjson

from newscorpus.corpus import (
    MANIFEST,
    DataFile,
    Manifest,
    assign_shards,
    commit_staging,
    iter_data_files,
    serialise,
    shard_name,
    staging,
    write_data_file,
    write_file,
)
from newscorpus.normalise import sha256_hex
from newscorpus.problems import Problem, sorted_problems
from newscorpus.progress import progress
from newscorpus.record import Record, make_record
from newscorpus.schemas import current_schema_version, load_record_schema
from newscorpus.seeds import SeedRef, discover, duplicate_content_problems, shown
from newscorpus.versions import corpus_version

# Files outside the corpus folder generated from it (data package, Croissant, dataset card):
# absolute path -> the bytes it must hold. Built for the repository's own corpus only.
Derive = Callable[[Manifest], dict[Path, bytes]]


@dataclass(frozen=True, slots=True)
class ShardTask:
    prefix: str
    seeds: list[SeedRef]
    root: Path


@dataclass(slots=True)
class ShardResult:
    file: DataFile | None
    problems: list[Problem] = field(default_factory=list)
    seed_hashes: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class BuildResult:
    problems: list[Problem]
    manifest: Manifest | None = None
    derived: dict[Path, bytes] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


_validator: jsonschema_rs.Validator | None = None


def _record_validator() -> jsonschema_rs.Validator:
    global _validator
    if _validator is None:
        _validator = jsonschema_rs.validator_for(load_record_schema(), validate_formats=True)
    return _validator


def _schema_problems(line: bytes, file: str) -> list[Problem]:
    instance = orjson.loads(line)
    validator = _record_validator()
    if validator.is_valid(instance):
        return []
    return [
        Problem(
            "NC-REC-001",
            f"record breaks the schema: {error.message}",
            file,
            None,
            tuple(error.instance_path),
        )
        for error in validator.iter_errors(instance)
    ]


def _relocate(problems: list[Problem], seed: SeedRef) -> list[Problem]:
    """Problems from ``make_record`` name files by bare name; show them as the user sees them."""
    sidecar_name = seed.sidecar.name if seed.sidecar else None
    return [
        dataclasses.replace(
            p, file=shown(seed.sidecar if p.file == sidecar_name and seed.sidecar else seed.path)
        )
        for p in problems
    ]


@dataclass(slots=True)
class SeedOutcome:
    """One seed through the pipeline: its JSONL line, or the problems that stop it."""

    line: bytes | None
    problems: list[Problem]
    seed_sha256: str | None


def make_line(seed: SeedRef) -> SeedOutcome:
    """Read one seed, make its record, check it against the schema and serialise it."""
    try:
        source = seed.load()
    except OSError as error:
        code = "NC-SEED-002" if error.errno == errno.ELOOP else "NC-SEED-011"
        return SeedOutcome(
            None, [Problem(code, f"cannot read: {error.strerror}", shown(seed.path))], None
        )
    digest = sha256_hex(source.data)
    made = make_record(source)
    if not isinstance(made, Record):
        return SeedOutcome(None, _relocate(made, seed), digest)
    line = serialise(made)
    problems = _schema_problems(line, shown(seed.path))
    return SeedOutcome(None if problems else line, problems, digest)


def build_shard(task: ShardTask) -> ShardResult:
    """Make, check and write the records of one shard (runs in a worker process)."""
    result = ShardResult(file=None)
    lines: list[bytes] = []
    for seed in task.seeds:
        outcome = make_line(seed)
        if outcome.seed_sha256 is not None:
            result.seed_hashes.append((shown(seed.path), outcome.seed_sha256))
        result.problems.extend(outcome.problems)
        if outcome.line is not None:
            lines.append(outcome.line)
    if not result.problems:
        result.file = write_data_file(task.root, shard_name(task.prefix), lines)
    return result


def _run_shards(tasks: list[ShardTask], workers: int, seeds_total: int) -> list[ShardResult]:
    results: list[ShardResult] = []
    with progress(total=seeds_total, desc="build", unit="seed") as bar:
        if workers <= 1 or len(tasks) <= 1:
            for task in tasks:
                results.append(build_shard(task))
                bar.update(len(task.seeds))
            return results
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for task, result in zip(tasks, pool.map(build_shard, tasks), strict=True):
                results.append(result)
                bar.update(len(task.seeds))
    return results


def build_into(
    seeds_dir: Path,
    root: Path,
    *,
    version: str,
    workers: int,
    derive: Derive | None = None,
) -> BuildResult:
    """Build the whole corpus into the folder ``root`` (a staging folder), not touching ``out``."""
    found = discover(seeds_dir)
    if found.problems:
        return BuildResult(sorted_problems(found.problems))
    by_id = {seed.id: seed for seed in found.seeds}
    tasks = [
        ShardTask(prefix, [by_id[i] for i in ids], root)
        for prefix, ids in assign_shards(by_id).items()
    ]
    results = _run_shards(tasks, workers, len(by_id))
    problems = [p for r in results for p in r.problems]
    problems += duplicate_content_problems(h for r in results for h in r.seed_hashes)
    if not by_id:
        problems.append(
            Problem(
                "NC-SEED-003",
                "no seeds: the folder holds no `<number>_<id>.txt` files",
                shown(seeds_dir),
            )
        )
    if problems:
        return BuildResult(sorted_problems(problems))
    files = [r.file for r in results if r.file is not None]
    manifest = Manifest(version, current_schema_version(), sum(f.records for f in files), files)
    (root / MANIFEST).write_bytes(manifest.to_json())
    return BuildResult([], manifest, derive(manifest) if derive else {})


def build(
    seeds_dir: Path,
    out: Path,
    *,
    workers: int | None = None,
    derive: Derive | None = None,
) -> BuildResult:
    """Build the corpus from ``seeds_dir`` into ``out``; on any problem, ``out`` is untouched.

    The corpus folder is swapped in whole; each derived file is then replaced atomically.
    """
    workers = workers or os.cpu_count() or 1
    with staging(out) as scratch:
        result = build_into(
            seeds_dir, scratch, version=corpus_version(out), workers=workers, derive=derive
        )
        if result.ok:
            commit_staging(scratch, out)
            for path, data in result.derived.items():
                if not path.is_file() or path.read_bytes() != data:
                    write_file(path, data)
    return result


@dataclass(slots=True)
class CheckResult:
    problems: list[Problem]
    stale: list[str]


def check(
    seeds_dir: Path,
    out: Path,
    *,
    workers: int | None = None,
    derive: Derive | None = None,
) -> CheckResult:
    """Build into a temporary folder and list the files that differ from what it produced."""
    workers = workers or os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="newscorpus-check-") as scratch_name:
        scratch = Path(scratch_name)
        result = build_into(
            seeds_dir, scratch, version=corpus_version(out), workers=workers, derive=derive
        )
        if not result.ok:
            return CheckResult(result.problems, [])
        stale = _differences(scratch, out)
        stale += [
            shown(path)
            for path, data in sorted(result.derived.items())
            if not path.is_file() or path.read_bytes() != data
        ]
        return CheckResult([], stale)


def _differences(expected: Path, actual: Path) -> list[str]:
    """Corpus files (data and manifest) that are missing, extra or different in ``actual``."""
    wanted = {p.relative_to(expected).as_posix() for p in iter_data_files(expected)}
    present = {p.relative_to(actual).as_posix() for p in iter_data_files(actual)}
    stale = [shown(actual / name) for name in sorted(present - wanted)]
    for name in [*sorted(wanted), MANIFEST]:
        if not (actual / name).is_file() or not filecmp.cmp(
            expected / name, actual / name, shallow=False
        ):
            stale.append(shown(actual / name))
    return stale
