"""Running every check and collecting the findings into one report.

Per data file, in worker processes (``datafile``): strict JSON, the schema (jsonschema-rs;
jsonschema explains the failures), the record rules, shard placement, and a small summary per
record. Across the corpus, in the parent on those summaries (``across``): unique ids, exact and
near-duplicate texts, the manifest. Seeds, when given, go through the same per-seed pipeline
as the build.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import chain
from pathlib import Path

from newscorpus.corpus import iter_data_files, leftover_files, read_manifest
from newscorpus.problems import Problem, sorted_problems
from newscorpus.progress import progress
from newscorpus.readahead import read_ahead
from newscorpus.releases import check_release_files
from newscorpus.rules import RULES
from newscorpus.validate.across import CorpusChecks, manifest_problems, stale_problems
from newscorpus.validate.datafile import (
    FileResult,
    FileTask,
    Summaries,
    check_file,
    check_files,
)
from newscorpus.workers import process_pool


@dataclass(slots=True)
class Report:
    problems: list[Problem]
    records: int
    files: int
    seeds: int | None = None
    leftovers: int = 0  # data files of a stopped build, not part of the corpus

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        seeds = f" and {self.seeds} seed(s)" if self.seeds is not None else ""
        verdict = "no problems" if self.ok else f"{len(self.problems)} problem(s)"
        left = ""
        if self.leftovers:
            left = (
                f"; {self.leftovers} leftover file(s) of an interrupted build ignored "
                "(`newscorpus build` removes them)"
            )
        return f"validated {self.records} record(s) in {self.files} file(s){seeds}: {verdict}{left}"


def select_problems(
    problems: Iterable[Problem], select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[Problem]:
    """Keep problems whose code or tag is selected (all when none is) and not ignored."""
    select, ignore = set(select), set(ignore)

    def names(problem: Problem) -> set[str]:
        return {problem.code, problem.name, *RULES[problem.code].tags}

    return [p for p in problems if (not select or names(p) & select) and not names(p) & ignore]


def guided_batches(tasks: list[FileTask], workers: int) -> list[list[FileTask]]:
    """The files in order, in batches for the pool that shrink as the work runs out.

    A round trip through the pool costs about 0.35 ms of the parent's time, as much as
    checking three records, and a corpus of small shards has hundreds of files: files travel
    in batches. Each batch takes an eighth of what remains per worker, by bytes (at most
    16 MB, as a batch's results are held until it is done), so the first are large and the
    last hold one small file each: the workers finish within a few milliseconds of each other
    instead of one core idling through the other's last batch ("guided" scheduling, as OpenMP
    calls it)."""
    sizes = [_size(task.path) for task in tasks]
    floor = 256 * 1024  # below this a batch is all overhead
    ceiling = 16 * 1024 * 1024  # a batch's results travel and wait as one: memory
    remaining = sum(sizes)
    batches: list[list[FileTask]] = []
    batch: list[FileTask] = []
    gathered = 0
    for task, size in zip(tasks, sizes, strict=True):
        batch.append(task)
        gathered += size
        if gathered >= min(max(remaining / (8 * workers), floor), ceiling):
            batches.append(batch)
            remaining -= gathered
            batch, gathered = [], 0
    if batch:
        batches.append(batch)
    return batches


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # the worker reports an unreadable file
        return 0


def validate(
    corpus: Path,
    seeds_dir: Path | None = None,
    *,
    workers: int | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    today: date | None = None,
) -> Report:
    """Run every check; return all findings, sorted, after ``select``/``ignore``."""
    select, ignore = list(select), list(ignore)
    near = select_problems([Problem("NC-REC-010", "", "")], select, ignore) != []
    today = today or datetime.now(UTC).date()
    manifest = read_manifest(corpus)  # read once: the files and the manifest agree in time
    files = iter_data_files(corpus, manifest)
    leftovers = len(leftover_files(corpus, manifest))
    tasks = [FileTask(path, today, near, provenance=seeds_dir is not None) for path in files]
    workers = max(1, min(workers or os.cpu_count() or 1, len(tasks)))
    results: list[FileResult] = []
    across = CorpusChecks(near)
    records = 0
    with progress(total=len(tasks), desc="validate", unit="file") as bar, ExitStack() as stack:
        if workers == 1:
            results_in_order: Iterable[FileResult] = map(check_file, tasks)
            window = 2
        else:
            pool = stack.enter_context(process_pool(workers))
            batches = guided_batches(tasks, workers)
            results_in_order = chain.from_iterable(pool.map(check_files, batches))
            # a batch's results come back together, and the pool queues one batch more than
            # it has workers: the files of that many batches may be read at once
            window = max(map(len, batches)) * (workers + 2)
        # the workers are forked: the files they will read can now be fetched from the disk
        ahead = stack.enter_context(read_ahead(files, window))
        for result in results_in_order:
            ahead.done(1)
            across.add(result)
            records += result.lines  # every line checked, sound or not
            if seeds_dir is None:  # only the seed checks read the summaries again
                result.summaries = Summaries()
            results.append(result)
            bar.update()
    problems = [p for r in results for p in r.problems]
    across.finish()
    problems += across.problems
    problems += manifest_problems(corpus, results, manifest)
    problems += check_release_files(corpus)
    seed_count = None
    if seeds_dir is not None:
        # The seed checks load the whole build pipeline; a corpus-only run never needs it.
        from newscorpus.retractions import continuity_problems
        from newscorpus.validate.seeds_check import check_seeds

        seed_problems, clean, names = check_seeds(seeds_dir, workers or os.cpu_count() or 1)
        problems += seed_problems
        problems += stale_problems(results, clean, names)
        ids = {i for result in results for i in result.summaries.ids}
        problems += continuity_problems(seeds_dir, corpus, ids)
        seed_count = len(names)
    kept = sorted_problems(select_problems(problems, select, ignore))
    return Report(kept, records, len(files), seed_count, leftovers)
