"""The seeds, checked exactly as the build checks them, without writing anything."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack
from itertools import chain
from pathlib import Path

from newscorpus.build import READ_AHEAD_FILES, make_lines
from newscorpus.normalise import sha256_hex
from newscorpus.problems import Problem
from newscorpus.readahead import read_ahead
from newscorpus.seeds import (
    SeedRef,
    discover,
    duplicate_content_problems,
    read_regular,
    seed_files,
    shown,
    unreadable_problem,
)
from newscorpus.workers import process_pool

_CHUNK = 256


Outcome = tuple[SeedRef, list[Problem], str | None]  # the seed, its problems, its hashes


def _check_chunk(seeds: list[SeedRef]) -> list[Outcome]:
    out = []
    for seed, outcome in zip(seeds, make_lines([(seed, None) for seed in seeds]), strict=True):
        digest, problems = outcome.seed_sha256, outcome.problems
        if digest is not None and seed.sidecar is not None:
            try:
                digest += "+" + sha256_hex(read_regular(seed.sidecar))
            except OSError as error:  # replaced or written to since the seed was made
                digest, problems = None, [*problems, unreadable_problem(seed.path, error)]
        out.append((seed, problems, digest))
    return out


def check_seeds(
    seeds_dir: Path, workers: int
) -> tuple[list[Problem], dict[str, tuple[str, str]], set[str]]:
    """Return the seeds' problems; for every seed without any, name -> (path, hashes); and the
    names of all seeds found.

    The hashes are the seed's sha256, followed by ``+`` and its sidecar's when it has one.

    Only problem-free seeds are compared with the corpus: a seed that cannot be built is
    reported once, for what is wrong with it, not again as a seed without a record.
    """
    found = discover(seeds_dir)
    problems = list(found.problems)
    chunks = [found.seeds[i : i + _CHUNK] for i in range(0, len(found.seeds), _CHUNK)]
    files = [seed_files(chunk) for chunk in chunks]
    with ExitStack() as stack:
        if workers > 1 and len(chunks) > 1:
            pool = stack.enter_context(process_pool(workers))
            checked: Iterable[list[Outcome]] = pool.map(_check_chunk, chunks)
        else:
            checked = map(_check_chunk, chunks)
        # the workers are forked: the seeds they will read can now be fetched from the disk
        ahead = stack.enter_context(read_ahead(chain.from_iterable(files), READ_AHEAD_FILES))
        outcomes = []
        for chunk, chunk_files in zip(checked, files, strict=True):
            ahead.done(len(chunk_files))
            outcomes += chunk
    readable: dict[str, tuple[str, str]] = {}
    sidecars: dict[str, str] = {}
    for seed, seed_problems, digest in outcomes:
        problems += seed_problems
        if digest is not None:
            readable[seed.name] = (shown(seed.path), digest)
            if seed.sidecar is not None:
                sidecars[seed.name] = shown(seed.sidecar)
    problems += duplicate_content_problems(
        (path, digest.split("+")[0]) for path, digest in readable.values()
    )
    flagged = {p.file for p in problems}
    clean = {
        name: value
        for name, value in readable.items()
        if value[0] not in flagged and sidecars.get(name) not in flagged
    }
    return problems, clean, {seed.name for seed in found.seeds}
