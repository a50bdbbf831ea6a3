"""Building the corpus: seeds in, checked records out, atomically, byte for byte the same.

The work is split by shard: each worker reads the seeds of one shard, makes and checks their
records and writes the shard into the staging folder, so memory holds one shard at a time
whatever the corpus size. The parent only sees file descriptions, problems and seed hashes.

Nothing is put in place unless every seed of every shard passed. Then the new data files go
into ``data/`` under their own names, beside the old ones, and the new manifest replaces the
old one: that rename is the commit (see ``corpus``). Only after it are the files derived from
the manifest written, and the data files it no longer names removed. A build stopped at any
moment leaves the old corpus or the new one; one build at a time holds the corpus (``lock``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from newscorpus.buildcache import (
    CachedShard,
    code_fingerprint,
    entry_fields,
    entry_sha256,
    load_index,
    save_index,
    seed_entry,
    shard_key,
    stamp,
)
from newscorpus.corpus import (
    DATA_DIR,
    MANIFEST,
    DataFile,
    Manifest,
    assign_shards,
    data_files_on_disk,
    fsync_dir,
    fsync_file,
    holds,
    install,
    listed_paths,
    place_data_file,
    read_manifest,
    remove_temporaries,
    serialise,
    sha256_of,
    shard_name,
    staged_data,
    staging,
    superseded_files,
    write_data_file,
    write_file,
)
from newscorpus.entries import check_entries
from newscorpus.interrupts import deferred_signals, note_committed
from newscorpus.lock import corpus_lock
from newscorpus.normalise import sha256_hex
from newscorpus.oserrors import writing
from newscorpus.problems import Problem, sorted_problems
from newscorpus.progress import progress
from newscorpus.readahead import read_ahead
from newscorpus.record import Record, SeedInput, make_records
from newscorpus.releases import check_release_files
from newscorpus.retractions import continuity_problems
from newscorpus.schemas import (
    bulk_validator,
    current_schema_version,
    fast_validator,
    rs_error_message,
)
from newscorpus.seeds import (
    SeedRef,
    discover,
    duplicate_content_problems,
    seed_files,
    shown,
    unreadable_problem,
)
from newscorpus.textform import is_folded_body
from newscorpus.versions import corpus_version
from newscorpus.workers import forked_pool, process_pool

# Files outside the corpus folder generated from it (data package, Croissant, dataset card):
# absolute path -> the bytes it must hold. Built for the repository's own corpus only.
Derive = Callable[[Manifest], dict[Path, bytes]]


@dataclass(frozen=True, slots=True)
class ShardTask:
    prefix: str
    seeds: list[SeedRef]
    root: Path
    fingerprint: str
    cached: CachedShard | None = None  # what the live corpus holds for this shard, if known
    live: Path | None = None  # the live data file to reuse when the key still matches
    trust_before_ns: int = 0  # stat stands for content for files older than this (the index)
    verify_live: bool = False  # hash the live file even when its stat is unchanged (--check)


@dataclass(slots=True)
class ShardResult:
    file: DataFile | None
    problems: list[Problem] = field(default_factory=list)
    key: str = ""
    reused: bool = False
    languages: set[str] = field(default_factory=set)
    seeds: dict[str, str] = field(default_factory=dict)  # seed name -> its seed_entry


@dataclass(slots=True)
class BuildResult:
    problems: list[Problem]
    manifest: Manifest | None = None
    derived: dict[Path, bytes] = field(default_factory=dict)
    shards: dict[str, CachedShard] = field(default_factory=dict)
    reused: int = 0
    built: list[DataFile] = field(default_factory=list)  # in the staging folder, to be placed

    @property
    def ok(self) -> bool:
        return not self.problems


def _as_json_value(record: Record) -> dict[str, object]:
    """A record as the plain dicts and lists the validator takes, without a JSON round trip."""
    value: dict[str, object] = {name: getattr(record, name) for name in _FIELDS}
    value["dropped_lines"] = [
        {"line": d.line, "reason": d.reason, "text": d.text} for d in record.dropped_lines
    ]
    value["corrections"] = [
        {"field": c.field, "original": c.original, "corrected": c.corrected, "reason": c.reason}
        for c in record.corrections
    ]
    return value


_FIELDS = tuple(f.name for f in dataclasses.fields(Record))


def _schema_problems(record: Record, path: str) -> list[Problem]:
    """The record against the schema: jsonschema-rs without the paragraphs' pattern, which
    ``is_folded_body`` proves in one pass over the text; the whole schema explains a failure."""
    instance = _as_json_value(record)
    if bulk_validator().is_valid(instance) and is_folded_body(record.text, record.paragraphs):
        return []
    validator = fast_validator()
    if validator.is_valid(instance):
        return []
    return [
        Problem(
            "NC-REC-001",
            f"record breaks the schema: {rs_error_message(error)}",
            shown(path),
            None,
            tuple(error.instance_path),
        )
        for error in validator.iter_errors(instance)
    ]


def _relocate(problems: list[Problem], seed: SeedRef) -> list[Problem]:
    """Problems from ``make_record`` name files by bare name; show them as the user sees them."""
    sidecar_name = seed.sidecar_name
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
    language: str | None = None


def make_line(seed: SeedRef, source: SeedInput | None = None) -> SeedOutcome:
    """Make one seed's record, check it against the schema and serialise it.

    ``source`` is the seed's content when the caller has already read it.
    """
    return make_lines([(seed, source)])[0]


# Seeds made together: the language model stays in the processor's cache across a batch, and
# memory holds one batch of records at a time rather than a whole shard's.
BATCH = 64


def make_lines(seeds: Iterable[tuple[SeedRef, SeedInput | None]]) -> list[SeedOutcome]:
    """``make_line`` of each seed, made ``BATCH`` at a time (``make_records``: languages are
    detected back to back, at half the cost of one at a time). ``seeds`` is read a batch at a
    time, so a caller can hand over each seed's bytes only when its batch is made."""
    outcomes: list[SeedOutcome] = []
    pending = iter(seeds)
    while batch := list(islice(pending, BATCH)):
        outcomes += _make_batch(batch)
    return outcomes


def _make_batch(seeds: list[tuple[SeedRef, SeedInput | None]]) -> list[SeedOutcome]:
    loaded: list[SeedInput | SeedOutcome] = []
    for seed, source in seeds:
        if source is None:
            try:
                source = seed.load()
            except OSError as error:
                loaded.append(SeedOutcome(None, [_unreadable(seed, error)], None))
                continue
        loaded.append(source)
    made = iter(make_records([item for item in loaded if isinstance(item, SeedInput)]))
    return [
        item if isinstance(item, SeedOutcome) else _outcome(seed, item, next(made))
        for (seed, _), item in zip(seeds, loaded, strict=True)
    ]


def _outcome(seed: SeedRef, source: SeedInput, made: Record | list[Problem]) -> SeedOutcome:
    """What became of one seed: its line, or the problems that stop it."""
    if not isinstance(made, Record):
        return SeedOutcome(None, _relocate(made, seed), sha256_hex(source.data))
    problems = _schema_problems(made, seed.path)
    line = None if problems else serialise(made)
    return SeedOutcome(line, problems, made.seed_sha256, made.language)


def _unreadable(seed: SeedRef, error: OSError) -> Problem:
    return unreadable_problem(seed.path, error)


def build_shard(task: ShardTask) -> ShardResult:
    """Make, check and write the records of one shard (runs in a worker process).

    The shard is reused from the live corpus when its key (code and seed hashes) and the live
    file both match the cache index; otherwise every seed goes through the pipeline. A seed is
    read only when its stat differs from the one the index remembers with its hash.
    """
    result = ShardResult(file=None)
    remembered = task.cached.seeds if task.cached else {}
    loaded: dict[str, SeedInput] = {}
    entries = []
    for seed in task.seeds:
        try:
            entry = _known_entry(seed, remembered.get(seed.name), task.trust_before_ns)
            if entry is None:
                entry = _read_entry(seed, loaded)
        except OSError as error:
            result.problems.append(_unreadable(seed, error))
            continue
        result.seeds[seed.name] = entry
        _, seed_sha256, _, sidecar_sha256 = entry_fields(entry)
        entries.append((seed.name, seed_sha256, sidecar_sha256))
    result.key = shard_key(task.fingerprint, entries)
    if not result.problems and _reuse(task, result):
        return result
    lines: list[bytes] = []
    readable = [seed for seed in task.seeds if seed.name in result.seeds]  # else reported above
    # each seed's bytes are let go as its batch is made
    for outcome in make_lines((seed, loaded.pop(seed.name, None)) for seed in readable):
        result.problems.extend(outcome.problems)
        if outcome.line is not None:
            lines.append(outcome.line)
            result.languages.add(outcome.language or "und")
    if not result.problems:
        result.file = write_data_file(task.root, task.prefix, lines, durable=False)
    return result


def reuse_unchanged(task: ShardTask) -> ShardResult | None:
    """The shard reused as it stands, if the stat of every seed proves it unchanged; else None.

    Runs before any shard is built, in forked workers that read the tasks from their copy of
    the parent (``_reuse_unchanged_forked``), or in the parent where workers cannot be forked:
    an incremental build has a few changed shards among hundreds, and pickling the others to a
    worker only to be linked would cost more than the stat calls that clear them. Never used
    by ``--check``.
    """
    cached = task.cached
    if cached is None or task.verify_live or len(cached.seeds) != len(task.seeds):
        return None
    remembered, trust = cached.seeds, task.trust_before_ns
    entries = []
    for seed in task.seeds:
        try:
            entry = _known_entry(seed, remembered.get(seed.name), trust)
        except OSError:
            return None  # the worker reports it
        if entry is None:
            return None
        _, seed_sha256, _, sidecar_sha256 = entry_fields(entry)
        entries.append((seed.name, seed_sha256, sidecar_sha256))
    result = ShardResult(file=None, seeds=remembered)
    result.key = shard_key(task.fingerprint, entries)
    return result if _reuse(task, result) else None


def _stat_matches(path: str, known: str | None, trust_before_ns: int) -> bool:
    stat = os.stat(path, follow_symlinks=False)
    return stat.st_mtime_ns < trust_before_ns and known == stamp(stat)


def _known_entry(seed: SeedRef, known: str | None, trust_before_ns: int) -> str | None:
    """The remembered ``seed_entry`` of a seed whose stat (and its sidecar's) still matches
    and is old enough to trust; None when it must be read."""
    if known is None:
        return None
    seed_stamp, _, sidecar_stamp, _ = entry_fields(known)
    if not _stat_matches(seed.path, seed_stamp, trust_before_ns):
        return None
    if seed.sidecar is None:
        return known if sidecar_stamp is None else None
    return known if _stat_matches(seed.sidecar, sidecar_stamp, trust_before_ns) else None


def _read_entry(seed: SeedRef, loaded: dict[str, SeedInput]) -> str:
    """Read a seed (kept in ``loaded`` for the pipeline) and return its ``seed_entry``."""
    stat = os.stat(seed.path, follow_symlinks=False)
    side = os.stat(seed.sidecar, follow_symlinks=False) if seed.sidecar else None
    source = seed.load()
    loaded[seed.name] = source
    sidecar = sha256_hex(source.sidecar_data) if source.sidecar_data is not None else None
    return seed_entry(stamp(stat), sha256_hex(source.data), stamp(side) if side else None, sidecar)


def _reuse(task: ShardTask, result: ShardResult) -> bool:
    """Keep the live shard when nothing it depends on changed and it still holds its bytes:
    its stat is the one the index recorded, or (when that differs, and always for ``--check``)
    its sha256 is."""
    cached, live = task.cached, task.live
    if cached is None or live is None or cached.key != result.key:
        return False
    try:
        unchanged = not task.verify_live and stamp(os.stat(live)) == cached.stamp
        if not unchanged and sha256_of(live) != cached.sha256:
            return False  # the live file was edited: never trust it
    except OSError:
        return False
    _mark_reused(result, task.prefix, cached)
    return True


def _mark_reused(result: ShardResult, prefix: str, cached: CachedShard) -> ShardResult:
    """Describe the shard as the index remembers its live file, which stays as it is."""
    result.file = DataFile(
        shard_name(prefix, cached.sha256), cached.records, cached.bytes, cached.sha256
    )
    result.languages = set(cached.languages)
    result.reused = True
    return result


# How many seed files (seeds and sidecars) may be fetched from the disk ahead of the shards
# done: enough that the workers never wait for the disk, few enough that memory stays bounded
# whatever the size of the corpus.
READ_AHEAD_FILES = 4096


# The tasks of the build under way, for forked workers to read rather than receive pickled.
_FORKED_TASKS: list[ShardTask] = []


def _reuse_unchanged_forked(
    pool: ProcessPoolExecutor, tasks: list[ShardTask], workers: int
) -> list[ShardResult | None]:
    """``reuse_unchanged`` of every task, run by forked workers over slices of the list.

    An incremental build spends most of its time on one stat call per seed and sidecar and
    its comparison with the index. The workers share that work, reading the tasks from their
    copy of this process; only each reused shard's key travels back. So
    ``pool`` must not have run a task yet: its workers fork at its first one, once the tasks
    are in place."""
    _FORKED_TASKS[:] = tasks
    try:
        step = -(-len(tasks) // (4 * workers))  # a few slices a worker, for balance
        starts = range(0, len(tasks), step)
        keys = list(chain.from_iterable(pool.map(_reused_keys, starts, [step] * len(starts))))
    finally:
        _FORKED_TASKS.clear()
    return [
        None if key is None else _reused_result(task, key)
        for task, key in zip(tasks, keys, strict=True)
    ]


def _reused_keys(start: int, count: int) -> list[str | None]:
    """In a forked worker: the key of each task of the slice that is reused, else None."""
    keys = []
    for task in _FORKED_TASKS[start : start + count]:
        reused = reuse_unchanged(task)
        keys.append(None if reused is None else reused.key)
    return keys


def _reused_result(task: ShardTask, key: str) -> ShardResult:
    """The result of a shard a worker found unchanged."""
    cached = task.cached
    assert cached is not None  # a worker reuses only a shard the index knows
    return _mark_reused(ShardResult(None, key=key, seeds=cached.seeds), task.prefix, cached)


def _run_shards(tasks: list[ShardTask], workers: int, seeds_total: int) -> list[ShardResult]:
    """Every shard, reused or built (in worker processes when there are several).

    A built shard is written without waiting for the disk, and this process flushes it in a
    thread while the workers go on: an fsync waits for the disk, and a worker waiting with it
    would leave its core idle. Every flush is done before this returns,
    so the corpus is committed only once all of it is on disk."""
    done: dict[int, ShardResult] = {}
    with (
        progress(total=seeds_total, desc="build", unit="seed") as bar,
        ThreadPoolExecutor(2) as flusher,
        ExitStack() as stack,
    ):
        pool = None
        if workers > 1 and sum(task.cached is not None for task in tasks) > 1:
            pool = forked_pool(min(workers, len(tasks)))
        if pool is None:
            reusable: Iterable[ShardResult | None] = map(reuse_unchanged, tasks)
        else:
            stack.enter_context(pool)
            reusable = _reuse_unchanged_forked(pool, tasks, workers)
        for index, (task, reused) in enumerate(zip(tasks, reusable, strict=True)):
            if reused is not None:
                done[index] = reused
                bar.update(len(task.seeds))
        todo = [(index, task) for index, task in enumerate(tasks) if index not in done]
        if workers <= 1 or len(todo) <= 1:
            built: Iterable[ShardResult] = map(build_shard, [task for _, task in todo])
        else:
            pool = pool or stack.enter_context(process_pool(min(workers, len(todo))))
            built = pool.map(build_shard, [task for _, task in todo])
        # the workers are forked: the seeds they will read can now be fetched from the disk
        files = [seed_files(task.seeds) for _, task in todo]
        ahead = stack.enter_context(read_ahead(chain.from_iterable(files), READ_AHEAD_FILES))
        flushes = []
        for (index, task), result, shard_files in zip(todo, built, files, strict=True):
            done[index] = result
            ahead.done(len(shard_files))
            if result.file is not None and not result.reused:
                staged = staged_data(task.root, task.prefix)
                flushes.append(flusher.submit(fsync_file, staged))
            bar.update(len(task.seeds))
        for flush in flushes:
            flush.result()  # an error writing to the disk stops the build here
    return [done[index] for index in range(len(tasks))]


def build_into(
    seeds_dir: Path,
    root: Path,
    *,
    live: Path,
    workers: int | None = None,
    derive: Derive | None = None,
    verify_live: bool = False,
) -> BuildResult:
    """Build the whole corpus: the shards that changed are written into the staging folder of
    ``root`` (``BuildResult.built``), and the manifest is made, not written.

    ``live`` is the corpus being rebuilt: it is only read, for its version, its release history
    and the shards that can be reused unchanged.
    """
    workers = workers or os.cpu_count() or 1
    version = corpus_version(live)
    found = discover(seeds_dir)
    if found.problems:
        return BuildResult(sorted_problems(found.problems))
    by_id = {seed.id: seed for seed in found.seeds}
    history = continuity_problems(seeds_dir, live, set(by_id))
    history += check_release_files(live)
    if history:
        return BuildResult(sorted_problems(history))
    index = load_index(live)
    fingerprint = code_fingerprint()
    tasks = []
    for prefix, ids in assign_shards(by_id).items():
        cached = index.shards.get(prefix)
        tasks.append(
            ShardTask(
                prefix,
                [by_id[i] for i in ids],
                root,
                fingerprint,
                cached,
                live / shard_name(prefix, cached.sha256) if cached else None,
                0 if verify_live else index.written_ns,  # --check trusts no stat
                verify_live,
            )
        )
    del index  # the tasks hold what they need of it
    results = _run_shards(tasks, workers, len(by_id))
    # The live corpus's index goes before the new one is made: at 100,000 seeds the two
    # together would be the build's peak of memory.
    tasks = [dataclasses.replace(task, cached=None) for task in tasks]
    problems = [p for r in results for p in r.problems]
    # The usual case in one set of the digests; seeds and their paths only when one repeats.
    digests = [entry_sha256(entry) for result in results for entry in result.seeds.values()]
    if len(set(digests)) != len(digests):
        problems += duplicate_content_problems(
            (seed.path, entry_sha256(result.seeds[seed.name]))
            for task, result in zip(tasks, results, strict=True)
            for seed in task.seeds
            if seed.name in result.seeds
        )
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
    languages = sorted({language for r in results for language in r.languages})
    manifest = Manifest(
        version, current_schema_version(), sum(f.records for f in files), files, languages
    )
    shards = {
        task.prefix: CachedShard(
            result.key,
            result.file.sha256,
            result.file.bytes,
            result.file.records,
            sorted(result.languages),
            "",
            result.seeds,
        )
        for task, result in zip(tasks, results, strict=True)
        if result.file is not None
    }
    return BuildResult(
        [],
        manifest,
        derive(manifest) if derive else {},
        shards,
        sum(r.reused for r in results),
        [r.file for r in results if r.file is not None and not r.reused],
    )


class CommittedButIncomplete(OSError):
    """The new corpus is committed, but a step after the commit failed: the corpus is sound,
    and what is left to do is what the message says. Raised only after the commit, so a
    message saying that nothing was changed would be false."""

    def __init__(self, out: Path, error: OSError, doing: str) -> None:
        super().__init__(error.errno, error.strerror, error.filename)
        target = shown(error.filename) if error.filename else "a file"
        self.message = (
            f"the corpus in {shown(out)} was built and committed, but {target} could not be "
            f"{doing}: {error.strerror or error}; run `newscorpus build` again"
        )

    def __str__(self) -> str:
        return self.message


def build(
    seeds_dir: Path,
    out: Path,
    *,
    workers: int | None = None,
    derive: Derive | None = None,
    before_commit: Callable[[], None] | None = None,
) -> BuildResult:
    """Build the corpus from ``seeds_dir`` into ``out``; on any problem, error or interrupt
    before the commit, ``out`` is left as it was. (A build killed outright, by SIGKILL or a
    power cut, may leave new data files that no manifest names: leftovers, which readers
    ignore and the next build removes.)

    ``out`` is locked for the whole build: a second build of it waits for this one. Its
    entries are checked first (``check_entries``: no link out of it is followed), and again
    once the lock is held. ``before_commit`` runs inside the lock just before the commit, to
    refuse (by raising) what changed while the build ran, such as a file of the user's put
    where a generated file is to be written.
    """
    check_entries(out)
    out.mkdir(parents=True, exist_ok=True)
    with corpus_lock(out, "newscorpus build"):
        check_entries(out)
        with staging(out) as scratch:
            previous = read_manifest(out)
            result = build_into(seeds_dir, out, live=out, workers=workers, derive=derive)
            if result.ok:
                if before_commit is not None:
                    before_commit()
                _commit(out, scratch, result, previous)
    return result


def _commit(
    out: Path, scratch: Path, result: BuildResult, previous: dict[str, object] | None
) -> None:
    """Put a complete build in place; its one step that changes the corpus is the manifest's
    rename.

    Before it, the new data files go into ``data/`` beside the old ones, under names no old
    file has (a shard whose bytes did not change keeps its file); if the build stops there
    (an error, Ctrl-C), they are taken out again, and the folder is as it was. After it, the
    derived files are written, and only then the data files the new manifest no longer names
    are removed: until every index of the corpus (manifest, data package, dataset card) is
    the new one, a reader of an old one still finds the files it names. The cache index
    comes last; until it is saved, the one on disk describes another manifest and is no cache
    at all. From the rename on, Ctrl-C and SIGTERM wait until the rest is done; an error in
    the rest is reported as such (``CommittedButIncomplete``), and the next build finishes
    it."""
    manifest = result.manifest
    assert manifest is not None
    placed: list[Path] = []
    committed = False
    try:
        for file in result.built:
            if place_data_file(out, file):
                placed.append(out / file.path)
        fsync_dir(out / DATA_DIR)
        document = manifest.to_json()
        with deferred_signals():
            install(document, out / MANIFEST, scratch)
            committed = True
            _after_commit(out, scratch, result, previous, document)
            # Noted once all of it is done: an interrupt held by ``deferred_signals`` is acted
            # on only now, and an error before this point says itself what was committed.
            generated = " and bringing its generated files up to date" if result.derived else ""
            note_committed(f"committing the new corpus in {shown(out)}{generated}")
    except BaseException:
        if not committed:
            _take_out(placed, previous)
        raise


def _after_commit(
    out: Path,
    scratch: Path,
    result: BuildResult,
    previous: dict[str, object] | None,
    document: bytes,
) -> None:
    """The steps after the commit: derived files, superseded data files, the cache index."""
    manifest = result.manifest
    assert manifest is not None
    try:
        fsync_dir(out)
        for path, data in result.derived.items():
            if not path.is_file() or path.read_bytes() != data:
                with writing(path):
                    write_file(path, data)
        remove_temporaries(result.derived)  # of a build or release killed while writing them
    except OSError as error:
        raise CommittedButIncomplete(out, error, "written") from error
    try:
        for path in superseded_files(out, manifest, previous):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
    except OSError as error:
        raise CommittedButIncomplete(out, error, "removed") from error
    try:
        save_index(out, result.shards, document, scratch)
    except OSError as error:
        raise CommittedButIncomplete(out, error, "written") from error


def _take_out(placed: list[Path], previous: dict[str, object] | None) -> None:
    """Remove the data files this build put in place before it stopped short of its commit
    (none of them is named by the manifest still in place)."""
    listed = listed_paths(previous) or set()
    for path in placed:
        if f"{DATA_DIR}/{path.name}" not in listed:
            with contextlib.suppress(OSError):
                os.unlink(path)


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
    """Build in a temporary folder and list the files of ``out`` that differ from what it
    produced; ``out`` is only read (no lock: nothing there is written)."""
    with tempfile.TemporaryDirectory(prefix="newscorpus-check-") as scratch_name:
        scratch = Path(scratch_name)
        with staging(scratch):
            result = build_into(
                seeds_dir, scratch, live=out, workers=workers, derive=derive, verify_live=True
            )
            if not result.ok:
                return CheckResult(result.problems, [])
        stale = _differences(result, out)
        stale += [
            shown(path)
            for path, data in sorted(result.derived.items())
            if not path.is_file() or path.read_bytes() != data
        ]
        return CheckResult([], stale)


def _differences(result: BuildResult, out: Path) -> list[str]:
    """Corpus files (data and manifest) that are missing, extra or different in ``out``.

    Every data file the manifest does not name is stale, a leftover of a stopped build too:
    what is committed must be the corpus and nothing else. A reused shard's live file was
    hashed by the build; every other one is hashed here."""
    manifest = result.manifest
    assert manifest is not None
    wanted = {f.path: f for f in manifest.files}
    built = {f.path for f in result.built}
    present = {f"{DATA_DIR}/{p.name}" for p in data_files_on_disk(out)}
    stale = [shown(out / name) for name in sorted(present - set(wanted))]
    for name, file in sorted(wanted.items()):
        if name in built and not holds(out / name, file):
            stale.append(shown(out / name))
    live_manifest = out / MANIFEST
    if not live_manifest.is_file() or live_manifest.read_bytes() != manifest.to_json():
        stale.append(shown(live_manifest))
    return stale
