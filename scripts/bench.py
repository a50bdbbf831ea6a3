"""Benchmark newscorpus at N = 1k, 10k, 20k, 100k seeds: build, validate and their yardsticks.

    python scripts/bench.py                       # 1k, 10k, 20k, 100k; writes scripts/results/
    python scripts/bench.py --sizes 1000,10000    # other sizes
    python scripts/bench.py --quick               # 1000 only, one run each, into results/tmp/quick
    python scripts/bench.py --skip-slow           # no pure-jsonschema pass above 10000 records

A benchmark, not a test: it answers "how fast, how much memory, against what" for issue 6, on
this machine, and writes ``results.md`` (a table per N), ``results.json`` (every sample) and
``time_vs_n.png`` (log-log time against N).

Why it is shaped like this:

* Every measured command runs as its own subprocess under ``/usr/bin/time``, so its peak memory
  is its own: ``%M`` is the largest resident set of any single process of the tree (the kernel
  folds reaped children's peaks in), and a sampler over ``/proc`` adds the peak of the tree's
  summed RSS (worker pools count every worker; shared pages count twice). ``%U + %S`` over
  wall time gives the cores the command kept busy; /proc/stat minus that gives the cores other
  processes took meanwhile, so a run disturbed by other work on this shared machine is marked.
* The yardsticks run on the same data files in the same run: the parse+sha256 floor (the
  limit NOTES.md names, measured both as a subprocess, start-up included, like ``validate``, and
  in-process, without it), ``frictionless validate`` of a data package written by
  ``derived_files``, and a pure ``jsonschema`` pass with the format checker. ``validate``, the
  subprocess floor and ``frictionless validate`` take turns, run by run, so that the ratios
  the targets are stated in compare runs made at the same speed of the machine.
* Seeds come from ``synthetic.py``, deterministic, and are cached under the scratch folder;
  generating them is never timed. ``--seeds DIR`` measures on a folder of real seeds instead
  (the issue's "Done when" asks for seeds no one here wrote): N is their number, and they are
  copied into the scratch folder first, so the incremental build's edit never touches them.
  Every build starts from nothing (the corpus and its ``.cache`` deleted); the incremental
  build appends a paragraph to one seed, rebuilds, puts the seed back and rebuilds again (both
  rebuilds are samples).
* ``newscorpus`` is run from its installed entry point; because the incremental cache keys on
  the source of ``newscorpus`` itself, the code fingerprint is recorded before and after, and a
  change in between (someone editing ``src/``) is flagged in the results. Its bytecode is
  written before the first timing and kept, as any installed Python keeps it (an inherited
  PYTHONDONTWRITEBYTECODE is dropped).
* ``load_dataset`` timing (formerly ``bench_load.py``): the published root (JSONL with card
  features), a plain ``load_dataset("json")`` with inferred and with explicit features, and the
  Parquet copy that ``newscorpus publish`` writes, each in a fresh process with a fresh cache;
  up to 10k records every value is compared with the JSONL.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "scripts" / "results"
BIN = Path(sys.executable).parent
TIME = "/usr/bin/time"
PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1e6
SLOW_LIMIT = 10_000  # above this, pure jsonschema runs only without --skip-slow
EXACT_LIMIT = 10_000  # above this, load_dataset rows are not compared value by value
OTHER_LOAD_LIMIT = 0.3  # cores busy with other work during a run that mark its figure

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import compose, generator_version, write_seeds  # noqa: E402

# ---------------------------------------------------------------------------------------------
# The scripts run as subprocesses: each imports only what it measures.

FLOOR_SCRIPT = """
import hashlib, json, sys, time
import orjson
start = time.perf_counter()
records = 0
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        for line in handle:
            record = orjson.loads(line)
            hashlib.sha256(record["text"].encode("utf-8")).digest()
            records += 1
print(json.dumps({"records": records, "inner_seconds": time.perf_counter() - start}))
"""

JSONSCHEMA_SCRIPT = """
import hashlib, json, sys, time
from jsonschema import Draft202012Validator
with open(sys.argv[1], "rb") as handle:
    schema = json.load(handle)
validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
start = time.perf_counter()
records = errors = 0
for path in sys.argv[2:]:
    with open(path, "rb") as handle:
        for line in handle:
            record = json.loads(line)
            errors += sum(1 for _ in validator.iter_errors(record))
            hashlib.sha256(record["text"].encode("utf-8")).digest()
            records += 1
print(json.dumps({"records": records, "errors": errors,
                  "inner_seconds": time.perf_counter() - start}))
"""

LOAD_SCRIPT = """
import datetime, json, os, sys, time
from pathlib import Path
started = time.perf_counter()
import datasets
import orjson
datasets.disable_progress_bars()
datasets.logging.set_verbosity_error()
route, root, hf, cache, check = sys.argv[1:6]
root = Path(root)
shards = sorted(str(p) for p in (root / "corpus" / "data").glob("*.jsonl"))
if route == "root":
    load = lambda: datasets.load_dataset(str(root), cache_dir=cache)
elif route == "parquet":
    load = lambda: datasets.load_dataset(hf, cache_dir=cache)
elif route == "json":
    load = lambda: datasets.load_dataset("json", data_files=shards, cache_dir=cache)
else:
    from newscorpus.publish.derived import manifest_fields
    from newscorpus.publish.features import hf_features
    from newscorpus.publish.source import load_manifest
    features = hf_features(manifest_fields(load_manifest(root / "corpus")))
    load = lambda: datasets.load_dataset(
        "json", data_files=shards, features=features, cache_dir=cache)
imported = time.perf_counter()
loaded = load()
first = time.perf_counter()
load()
cached = time.perf_counter()

def plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()  # a timestamp never equals the stored date text
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value

def compare():
    rows = iter(loaded["train"])
    for path in shards:
        with open(path, "rb") as handle:
            for line in handle:
                record, row = orjson.loads(line), next(rows, None)
                if row is None:
                    return "no: fewer rows"
                row = plain(row)
                for key, value in record.items():
                    if row.get(key) != value:
                        return f"no: `{key}` {str(value)[:30]!r} -> {str(row.get(key))[:30]!r}"
    return "yes" if next(rows, None) is None else "no: more rows"

exact = compare() if check == "1" else "not checked"
print(json.dumps({"inner_seconds": first - imported, "cached_seconds": cached - first,
                  "import_seconds": imported - started, "rows": loaded["train"].num_rows,
                  "exact": exact}))
"""

LOAD_ROUTES = {  # the time is the load_dataset call alone, in a fresh process and cache
    "root": "`load_dataset(root)`: published JSONL, card features",
    "json": '`load_dataset("json")`, inferred types',
    "json-features": '`load_dataset("json", features=…)`',
    "parquet": "`load_dataset(hf/)`: the Parquet copy",
}


# ---------------------------------------------------------------------------------------------
# Running one command and watching its memory


@dataclass(slots=True)
class Sample:
    """One run of one command: wall time, peak memory and what the command reported."""

    seconds: float
    max_rss_mb: float | None  # largest single process of the tree (/usr/bin/time %M)
    tree_rss_mb: float | None  # peak of the tree's summed RSS (sampled every 20-100 ms)
    returncode: int = 0
    inner: dict[str, Any] = field(default_factory=dict)  # the JSON a helper script printed
    output: str = ""  # the command's last lines of output, for the record
    cpu_seconds: float | None = None  # user + system time of the command's whole tree
    other_cores: float | None = None  # mean cores busy with anything else while it ran

    @property
    def cores(self) -> float | None:
        """Mean cores the command kept busy: how well it used both."""
        return self.cpu_seconds / self.seconds if self.cpu_seconds and self.seconds else None


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc (psutil is not a dependency of the repository)."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _tree_rss(root: int) -> int:
    """Summed RSS in bytes of ``root``'s descendants (not ``root``: that is /usr/bin/time)."""
    tree = _children()
    total, stack = 0, list(tree.get(root, []))
    while stack:
        pid = stack.pop()
        stack.extend(tree.get(pid, []))
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except OSError:
            continue
    return total


def _salient(text: str) -> str:
    """The lines worth keeping from a command's output: an error's own line, and the end.

    A traceback ends in a wrapper's message ("An error occurred while generating the
    dataset"); the cause ("Couldn't cast …") is further up, so it is kept first.
    """
    lines = text.splitlines()
    causes = [line for line in lines if re.match(r"[\w.]+(?:Error|Exception): ", line)]
    return "\n".join(causes[:1] + lines[-5:])


def _busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (not idle, not waiting on I/O) so far."""
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(v) for v in handle.readline().split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run_measured(
    command: Sequence[str | Path],
    *,
    cwd: Path = REPO,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> Sample:
    """Run ``command`` under /usr/bin/time while sampling its process tree; return a Sample.

    Output goes to a file, not a pipe, so a chatty command can never block on a full pipe.
    """
    with tempfile.TemporaryDirectory(prefix="bench-run-") as scratch:
        timing, log = Path(scratch) / "time", Path(scratch) / "log"
        peak = 0
        with open(log, "wb") as output:
            busy = _busy_seconds()
            start = time.perf_counter()
            process = subprocess.Popen(
                [TIME, "-f", "%e %M %U %S", "-o", str(timing), *map(str, command)],
                cwd=cwd,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
            interval = 0.02
            while process.poll() is None:
                peak = max(peak, _tree_rss(process.pid))
                time.sleep(interval)
                interval = min(0.1, interval * 1.1)  # fine at first, cheap later
            seconds = time.perf_counter() - start
            busy = _busy_seconds() - busy
        text = log.read_text(errors="replace")
        lines = timing.read_text().split("\n") if timing.is_file() else []
        max_rss = cpu = other = None
        for line in lines:
            parts = line.split()
            if len(parts) == 4 and parts[1].isdigit():
                max_rss = int(parts[1]) * 1024 / MB
                cpu = float(parts[2]) + float(parts[3])
                # What else kept the machine busy (this sampler included, a few per cent): on
                # a shared 2-core machine, another process's work shows up in our wall time.
                other = max(0.0, busy - cpu) / seconds
        inner: dict[str, Any] = {}
        for line in reversed(text.splitlines()):
            if line.startswith("{"):
                with contextlib.suppress(ValueError):
                    inner = json.loads(line)
                break
        sample = Sample(
            seconds,
            max_rss,
            peak / MB if peak else None,
            process.returncode,
            inner,
            _salient(text),
            cpu,
            other,
        )
    if check and process.returncode != 0:
        raise SystemExit(
            f"bench: {' '.join(map(str, command))} exited {process.returncode}:\n{text[-3000:]}"
        )
    return sample


# ---------------------------------------------------------------------------------------------
# What is measured


@dataclass(slots=True)
class Measure:
    """All samples of one measurement at one N, and figures derived from them."""

    name: str
    label: str
    samples: list[Sample] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def max_rss_mb(self) -> float | None:
        values = [s.max_rss_mb for s in self.samples if s.max_rss_mb is not None]
        return max(values) if values else None

    @property
    def tree_rss_mb(self) -> float | None:
        values = [s.tree_rss_mb for s in self.samples if s.tree_rss_mb is not None]
        return max(values) if values else None

    @property
    def cores(self) -> float | None:
        values = [s.cores for s in self.samples if s.cores is not None]
        return statistics.median(values) if values else None

    @property
    def other_cores(self) -> float | None:
        """Most cores other work took during a run of a second or more (shorter runs are all
        noise: this script's own sampler is a visible share of them)."""
        values = [
            s.other_cores for s in self.samples if s.other_cores is not None and s.seconds >= 1
        ]
        return max(values) if values else None

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "median_seconds": self.median if self.samples else None,
            "cores_busy": self.cores,
            "other_cores_max": self.other_cores,
            "runs": len(self.samples),
            "max_rss_mb": self.max_rss_mb,
            "tree_rss_mb": self.tree_rss_mb,
            "notes": self.notes,
            "samples": [asdict(s) for s in self.samples],
        }


@dataclass(slots=True)
class Size:
    """Everything measured at one N."""

    n: int
    seeds_mb: float = 0.0
    data_mb: float = 0.0
    records: int = 0
    shards: int = 0
    languages: list[str] = field(default_factory=list)
    generate_seconds: float = 0.0
    measures: dict[str, Measure] = field(default_factory=dict)

    def measure(self, name: str, label: str) -> Measure:
        return self.measures.setdefault(name, Measure(name, label))


def _fingerprint() -> str:
    """newscorpus's code fingerprint now (uncached: src/ may change while we run)."""
    from newscorpus.buildcache import code_fingerprint

    return code_fingerprint.__wrapped__()[:12]


def _data_files(corpus: Path) -> list[Path]:
    return sorted((corpus / "data").glob("*.jsonl"))


def _env(scratch: Path) -> dict[str, str]:
    """Offline, quiet, and with every Hugging Face cache inside the scratch folder.

    Bytecode caching is left on, as in any installed Python: with PYTHONDONTWRITEBYTECODE set
    (some shells and CI images set it), every run of ``newscorpus`` from a source checkout
    would compile the package again, about 80 ms, and time that instead of the command."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        HF_HUB_OFFLINE="1",
        HF_DATASETS_OFFLINE="1",
        HF_HOME=str(scratch / "hf-home"),
        TQDM_DISABLE="1",
        PYTHONHASHSEED="0",
    )
    return env


def _compile_package(env: dict[str, str]) -> None:
    """Write the package's bytecode once, before any timing (a wheel install has it already;
    an editable one writes it on first import)."""
    import importlib.util

    spec = importlib.util.find_spec("newscorpus")
    if spec is not None and spec.submodule_search_locations:
        folder = next(iter(spec.submodule_search_locations))
        subprocess.run([sys.executable, "-m", "compileall", "-q", folder], env=env, check=True)


@dataclass(slots=True)
class Plan:
    """How many runs each measurement gets at one N."""

    build: int
    incremental: int  # pairs: change one seed and rebuild, restore it and rebuild
    validate: int
    floor: int
    frictionless: int
    jsonschema: int  # 0: skipped
    load: int
    neardup: int = 0  # validate on a templated corpus: near-duplicate memory


GROUPS = tuple(f.name for f in dataclasses.fields(Plan))


def plan_for(n: int, quick: bool, skip_slow: bool, only: set[str] | None = None) -> Plan:
    """Medians of 3 where it is cheap, and of the builds and validations at 100k too (a first
    run there can be 20% slower); one run of the yardsticks that take a minute at 100k. Up to
    20,000 records, the size of the issue's "Done when", validate and the floor get 5 runs
    each and frictionless 3: their ratios are the verdict there."""
    if quick:
        plan = Plan(1, 1, 1, 1, 1, 1, 1)
    elif n <= 10_000:
        plan = Plan(3, 2, 5, 5, 3, 3, 3 if n <= 1000 else 2)
    elif n <= 20_000:
        plan = Plan(3, 1, 5, 5, 3, 0 if skip_slow else 1, 1)
    else:
        plan = Plan(3, 1, 3, 3, 1, 0 if skip_slow else 1, 1)
    plan.neardup = 1 if quick else 3
    for group in GROUPS:
        if only is not None and group not in only:
            setattr(plan, group, 0)
    return plan


def bench_size(
    n: int,
    scratch: Path,
    plan: Plan,
    env: dict[str, str],
    log: Callable,
    given: Path | None = None,
) -> Size:
    """Run every measurement at one N (in the order that keeps the corpus valid throughout):
    on synthetic seeds, or on a copy of the folder ``given``."""
    size = Size(n)
    prefix = "given-" if given else ""
    seeds = scratch / f"{prefix}seeds-{n}"
    started = time.perf_counter()
    if given:
        shutil.rmtree(seeds, ignore_errors=True)
        shutil.copytree(given, seeds)
    else:
        write_seeds(seeds, n)
    size.generate_seconds = time.perf_counter() - started
    size.seeds_mb = sum(p.stat().st_size for p in seeds.iterdir() if p.is_file()) / MB
    log(f"N={n}: seeds ready in {size.generate_seconds:.1f} s ({size.seeds_mb:.0f} MB)")
    root = scratch / f"{prefix}root-{n}"
    corpus = root / "corpus"
    newscorpus = BIN / "newscorpus"
    fingerprints = {"before": _fingerprint()}

    full = size.measure("build", "build, full (2 workers)")
    for _ in range(plan.build):
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        full.samples.append(
            run_measured([newscorpus, "build", "--seeds", seeds, "--out", corpus], env=env)
        )
        log(f"  build {full.samples[-1].seconds:.2f} s")
    if not plan.build:  # other measurements still need a current corpus: build it, untimed
        root.mkdir(parents=True, exist_ok=True)
        run_measured([newscorpus, "build", "--seeds", seeds, "--out", corpus], env=env)
    fingerprints["after_full_builds"] = _fingerprint()

    incremental = size.measure("incremental", "build, incremental (1 seed changed)")
    names = sorted(p.name for p in seeds.glob("*.txt"))
    build_command = [newscorpus, "build", "--seeds", seeds, "--out", corpus]
    for run in range(plan.incremental):
        seed = seeds / names[(run * 7919 + n // 3) % len(names)]
        original = seed.read_bytes()
        newline = b"\r\n" if b"\r\n" in original else b"\n"
        appended = f"An appended paragraph for incremental run {run} of the benchmark.".encode()
        for _attempt in range(3):
            # The cache is keyed by newscorpus's own source: a rebuild with nothing changed
            # brings it up to the code as it is now, so the timed builds measure one seed.
            run_measured(build_command, env=env)
            code = _fingerprint()
            try:
                seed.write_bytes(original.rstrip() + newline * 2 + appended + newline)
                changed = run_measured(build_command, env=env)
            finally:
                seed.write_bytes(original)
            restored = run_measured(build_command, env=env)
            if _fingerprint() == code:
                incremental.samples += [changed, restored]
                log(f"  incremental {changed.seconds:.2f} s, {restored.seconds:.2f} s")
                break
            log("  src/ changed during the incremental builds: measuring them again")
    fingerprints["after_incremental"] = _fingerprint()

    from newscorpus.publish.derived import derived_files
    from newscorpus.publish.source import load_manifest

    manifest = load_manifest(corpus)
    files = _data_files(corpus)
    size.records, size.shards = manifest.records, len(files)
    size.data_mb = sum(f.bytes for f in manifest.files) / MB
    size.languages = list(manifest.languages)

    validate = size.measure("validate", "`newscorpus validate --corpus` (2 workers)")
    paths = [str(p) for p in files]
    floor = size.measure("floor", "floor: orjson + sha256, subprocess")
    (root / "README.md").write_text("# Benchmark corpus\n", encoding="utf-8")
    for path, data in derived_files(root, manifest).items():
        path.write_bytes(data)
    frictionless = size.measure("frictionless", "`frictionless validate datapackage.json`")
    # Taken in turns, so that a drift in this shared machine's speed during the run (up to
    # 30% within minutes) moves every side of the two ratios, validate against the floor and
    # against frictionless, alike.
    for turn in range(max(plan.validate, plan.floor, plan.frictionless)):
        if turn < plan.validate:
            command = [newscorpus, "validate", "--corpus", corpus]
            sample = run_measured(command, env=env, check=False)
            validate.samples.append(sample)
            if sample.returncode != 0:
                validate.notes["problems"] = sample.output
            log(f"  validate {sample.seconds:.2f} s (exit {sample.returncode})")
        if turn < plan.floor:
            command = [sys.executable, "-c", FLOOR_SCRIPT, *paths]
            floor.samples.append(run_measured(command, env=env))
        if turn < plan.frictionless:
            command = [BIN / "frictionless", "validate", root / "datapackage.json"]
            sample = run_measured(command, env=env, check=False)
            frictionless.samples.append(sample)
            frictionless.notes["valid"] = sample.returncode == 0
            if sample.returncode != 0:
                frictionless.notes["output"] = sample.output
            log(f"  frictionless {sample.seconds:.2f} s (exit {sample.returncode})")
    in_process = size.measure("floor_in_process", "floor: orjson + sha256, in-process")
    read_only = size.measure("read_lines", "read lines only, in-process")
    for _ in range(plan.floor):
        in_process.samples.append(Sample(floor_in_process(files), None, None))
        read_only.samples.append(Sample(read_lines(files), None, None))
    if plan.floor:
        inner = [s.inner["inner_seconds"] for s in floor.samples]
        floor.notes["inner_median_seconds"] = statistics.median(inner)
        log(f"  floor {floor.median:.2f} s, in-process {in_process.median:.2f} s")

    if plan.jsonschema:
        from newscorpus.schemas import current_schema_version, schema_dir

        schema = schema_dir() / f"record-{current_schema_version()}.schema.json"
        naive = size.measure("jsonschema", "pure `jsonschema` (formats on) + sha256")
        for _ in range(plan.jsonschema):
            naive.samples.append(
                run_measured([sys.executable, "-c", JSONSCHEMA_SCRIPT, schema, *paths], env=env)
            )
        naive.notes["errors"] = naive.samples[-1].inner.get("errors")
        log(f"  jsonschema {naive.median:.2f} s")

    if plan.load:
        bench_load(size, root, scratch, plan.load, env, log)
    if plan.neardup and not given:
        bench_neardup(size, scratch, plan.neardup, env, log)
    fingerprints["end"] = _fingerprint()
    full.notes["code_fingerprints"] = fingerprints
    full.notes["code_changed_during_run"] = len(set(fingerprints.values())) > 1
    return size


# Templated text: seven records in ten follow one of 40 templates of 24 sentences, of which 1
# to 24 carry a name and a count of their own (templates with few are clusters of thousands of
# near-identical records, with many they share only boilerplate); the rest are synthetic
# articles. All of them end on one boilerplate footer.
_FOOTER = (
    "This report is distributed by the Regional Wire Service under its syndication terms. "
    "Reproduction without written permission is prohibited. "
    "Corrections can be sent to the standards desk."
)
_VARIED = (1, 1, 2, 2, 3, 4, 6, 10, 16, 24)


def templated_seed(index: int) -> bytes:
    """Seed number ``index`` of the templated corpus: its bytes depend on nothing but it."""
    import random

    rng = random.Random(f"templated-{index}")
    if rng.random() < 0.3:
        return compose(index).data.rstrip() + f"\n\n{_FOOTER}\n".encode()
    template = rng.randrange(40)
    spans = [f"Template {template} reports item {i} on the council and the port" for i in range(24)]
    for i in rng.sample(range(24), _VARIED[template % len(_VARIED)]):
        spans[i] += f", said Person {rng.randrange(10**6)}, who counted {rng.randint(2, 99999)}"
    paragraphs = [". ".join(spans[i : i + 4]) + "." for i in range(0, 24, 4)]
    title = f"Weekly bulletin {template}: number {rng.randint(1, 999)}"
    return "\n\n".join([title, *paragraphs, _FOOTER]).encode() + b"\n"


def _write_templated(job: tuple[str, int, int]) -> int:
    import hashlib

    folder, start, stop = Path(job[0]), job[1], job[2]
    for index in range(start, stop):
        data = templated_seed(index)
        (folder / f"{index:06d}_{hashlib.sha256(data).hexdigest()[:16]}.txt").write_bytes(data)
    return stop - start


def write_templated_seeds(folder: Path, count: int) -> Path:
    """Write the templated seeds 0..count-1 into ``folder``, reusing a complete earlier run."""
    from concurrent.futures import ProcessPoolExecutor

    marker = folder / ".complete"
    stamp = f"templated {count} {generator_version()}\n"
    if marker.is_file() and marker.read_text() == stamp:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    jobs = [(str(folder), start, min(count, start + 2000)) for start in range(0, count, 2000)]
    with ProcessPoolExecutor() as pool:
        sum(pool.map(_write_templated, jobs))
    marker.write_text(stamp)
    return folder


def bench_neardup(size: Size, scratch: Path, runs: int, env: dict[str, str], log: Callable) -> None:
    """``validate`` on a templated corpus of N records, where most records share sentences:
    the near-duplicate check's peak memory and time when its buckets hold thousands."""
    seeds = write_templated_seeds(scratch / f"templated-seeds-{size.n}", size.n)
    root = scratch / f"templated-root-{size.n}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    corpus = root / "corpus"
    run_measured([BIN / "newscorpus", "build", "--seeds", seeds, "--out", corpus], env=env)
    measure = size.measure("neardup", "`newscorpus validate --corpus`, templated text")
    for _ in range(runs):
        command = [BIN / "newscorpus", "validate", "--corpus", corpus]
        sample = run_measured(command, env=env, check=False)
        measure.samples.append(sample)
        measure.notes["summary"] = sample.output.strip().splitlines()[-1:]
        log(f"  validate, templated {sample.seconds:.2f} s, {sample.max_rss_mb or 0:.0f} MB")


def bench_load(
    size: Size, root: Path, scratch: Path, runs: int, env: dict[str, str], log: Callable
) -> None:
    """``load_dataset`` of the same records four ways, each in a fresh process and cache."""
    from newscorpus.publish.hf import write_hf_folder
    from newscorpus.publish.source import load_manifest

    corpus = root / "corpus"
    hf = scratch / f"hf-{size.n}"  # beside the root, so loading the root never scans it
    shutil.rmtree(hf, ignore_errors=True)
    started = time.perf_counter()
    write_hf_folder(corpus, load_manifest(corpus), None, hf)
    size.measure("publish_hf", "write `hf/` (JSONL copy + Parquet), in-process").samples.append(
        Sample(time.perf_counter() - started, None, None)
    )
    parquet_mb = sum(p.stat().st_size for p in (hf / "parquet").iterdir()) / MB
    for route, label in LOAD_ROUTES.items():
        measure = size.measure(f"load_{route}", label)
        for run in range(runs):
            check = "1" if run == 0 and size.n <= EXACT_LIMIT else "0"
            cache = Path(tempfile.mkdtemp(prefix="cache-", dir=scratch))
            try:
                sample = run_measured(
                    [sys.executable, "-c", LOAD_SCRIPT, route, root, hf, cache, check],
                    env=env,
                    check=False,
                )
            finally:
                shutil.rmtree(cache, ignore_errors=True)
            if sample.returncode != 0:
                lines = sample.output.splitlines() or ["no output"]
                measure.notes["error"] = lines[0][:160]  # the cause, when one was found
                measure.notes["output"] = sample.output
                break
            # The figure is the load call alone: the process also imports datasets, reloads
            # from the cache and compares values, none of which is the load.
            sample.inner["wall_seconds"] = sample.seconds
            sample.seconds = sample.inner["inner_seconds"]
            measure.samples.append(sample)
            if run == 0:
                measure.notes["exact"] = sample.inner["exact"]
        if measure.samples:
            measure.notes["cached_median_seconds"] = statistics.median(
                s.inner["cached_seconds"] for s in measure.samples
            )
            measure.notes["wall_median_seconds"] = statistics.median(
                s.inner["wall_seconds"] for s in measure.samples
            )
        if route == "parquet":
            measure.notes["parquet_mb"] = parquet_mb
        if measure.samples:
            log(f"  load {route} {measure.median:.2f} s; exact: {measure.notes.get('exact')}")
        else:
            log(f"  load {route} fails: {measure.notes.get('error')}")


def floor_in_process(files: Sequence[Path]) -> float:
    """Seconds to parse every line with orjson and sha256 its text, in this process."""
    import hashlib

    import orjson

    start = time.perf_counter()
    for path in files:
        with open(path, "rb") as handle:
            for line in handle:
                hashlib.sha256(orjson.loads(line)["text"].encode("utf-8")).digest()
    return time.perf_counter() - start


def read_lines(files: Sequence[Path]) -> float:
    """Seconds to read every line of every file: the I/O floor (from the page cache)."""
    start = time.perf_counter()
    for path in files:
        with open(path, "rb") as handle:
            for _ in handle:
                pass
    return time.perf_counter() - start


# ---------------------------------------------------------------------------------------------
# Reporting


def machine() -> dict[str, Any]:
    """What the figures are true of: cores, CPU, Python, library versions, code state."""
    from importlib.metadata import version

    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip()

    dirty = git("status", "--porcelain", "--", "src", "schema")
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "memory": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "git_head": git("rev-parse", "--short", "HEAD"),
        "src_uncommitted_changes": bool(dirty),
        "versions": {
            name: version(name)
            for name in (
                "newscorpus",
                "orjson",
                "jsonschema",
                "jsonschema-rs",
                "frictionless",
                "datasets",
                "pyarrow",
            )
        },
    }


def _fmt(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def _rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.0f}"


def size_table(size: Size) -> str:
    """One Markdown table with every figure at one N, and the ratios the issue asks for."""
    m = size.measures
    rows = [
        "| measure | median s | runs | throughput | ratio | peak RSS, largest process MB "
        "| peak RSS, tree sum MB |",
        "| --- | ---: | ---: | --- | --- | ---: | ---: |",
    ]

    def row(name: str, throughput: str = "", ratio: str = "") -> None:
        if name not in m or not m[name].samples:
            return
        measure = m[name]
        label = measure.label
        if (measure.other_cores or 0) > OTHER_LOAD_LIMIT:
            label += " ‡"
        if measure.cores is not None and name in ("build", "incremental", "validate"):
            throughput += f"{' · ' if throughput else ''}{measure.cores:.2f} cores busy"
        rows.append(
            f"| {label} | {_fmt(measure.median)} | {len(measure.samples)} | {throughput} "
            f"| {ratio} | {_fmt(measure.max_rss_mb, 0)} | {_fmt(measure.tree_rss_mb, 0)} |"
        )

    def seconds(name: str) -> float | None:
        return m[name].median if name in m and m[name].samples else None

    records, data = size.records, size.data_mb
    build, validate, floor = seconds("build"), seconds("validate"), seconds("floor")
    floor_in = seconds("floor_in_process")
    if build:
        row("build", f"{_rate(size.n, build)} seeds/s")
    if build and seconds("incremental"):
        row("incremental", "", f"{seconds('incremental') / build:.1%} of the full build")
    if validate:
        ratio = f"{validate / floor:.2f}× floor" if floor else ""
        if floor_in:
            ratio += f" ({validate / floor_in:.2f}× in-process floor)"
        failed = {s.returncode for s in m["validate"].samples} - {0}
        if failed:
            ratio += f"; **exit {min(failed)}: problems reported** (see results.json)"
        row("validate", f"{_rate(records, validate)} rec/s · {data / validate:,.0f} MB/s", ratio)
    if floor:
        inner = m["floor"].notes.get("inner_median_seconds")
        row(
            "floor",
            f"{_rate(records, floor)} rec/s · {data / floor:,.0f} MB/s",
            f"start-up {floor - inner:.2f} s" if inner else "",
        )
    if floor_in:
        row("floor_in_process", f"{_rate(records, floor_in)} rec/s · {data / floor_in:,.0f} MB/s")
    if seconds("read_lines"):
        row("read_lines", f"{data / seconds('read_lines'):,.0f} MB/s")
    if seconds("neardup"):
        row("neardup", f"{_rate(size.n, seconds('neardup'))} rec/s")
    if seconds("frictionless") and validate:
        valid = "" if m["frictionless"].notes.get("valid") else " (reported invalid)"
        row(
            "frictionless",
            f"{_rate(records, seconds('frictionless'))} rec/s",
            f"{seconds('frictionless') / validate:.1f}× validate{valid}",
        )
    if seconds("jsonschema") and validate:
        row(
            "jsonschema",
            f"{_rate(records, seconds('jsonschema'))} rec/s",
            f"{seconds('jsonschema') / validate:.1f}× validate, "
            f"{seconds('jsonschema') / floor:.1f}× floor"
            if floor
            else "",
        )
    if seconds("publish_hf"):
        row("publish_hf", f"{records / seconds('publish_hf'):,.0f} rec/s")
    plain = _plain_json(m)
    for route in LOAD_ROUTES:
        name = f"load_{route}"
        if name not in m:
            continue
        notes = m[name].notes
        if "error" in notes:
            rows.append(f"| {m[name].label} | fails | | | {notes['error']} | | |")
            continue
        detail = (
            f"cached reload {_fmt(notes.get('cached_median_seconds'), 3)} s; process "
            f"{_fmt(notes.get('wall_median_seconds'))} s; values exact: {notes.get('exact')}"
        )
        ratio = (
            f"{seconds(name) / plain[1]:.2f}× {plain[0]}"
            if plain and f"load_{route}" != plain[2]
            else ""
        )
        row(name, detail, ratio)
    loaded = [x for x in m.values() if (x.other_cores or 0) > OTHER_LOAD_LIMIT]
    if loaded:
        worst = max(x.other_cores or 0 for x in loaded)
        rows += [
            "",
            f"‡ Other processes on this shared machine kept up to {worst:.2f} cores busy during "
            "at least one run of this measure (from /proc/stat minus the command's own CPU "
            "time): its time may be inflated.",
        ]
    return "\n".join(rows)


def targets(size: Size, done_when: bool = False) -> list[str]:
    """Issue 6's targets (item 2) against the figures at this N: met or not, and by how much.

    ``done_when``: the looser thresholds of the issue's "Done when" instead (validate within
    1.5x the floor and 6x faster than frictionless, build at 2,000 seeds/s, 200 MB each)."""
    m = size.measures
    floor_limit, friction_limit, rate_limit = (1.5, 6, 2000) if done_when else (1.3, 8, 5000)

    def seconds(name: str) -> float | None:
        return m[name].median if name in m and m[name].samples else None

    lines = []

    def check(ok: bool, text: str) -> None:
        lines.append(f"- {'met' if ok else '**not met**'}: {text}")

    build, validate, floor = seconds("build"), seconds("validate"), seconds("floor")
    floor_in = seconds("floor_in_process")
    if validate and floor:
        check(
            validate <= floor_limit * floor,
            f"validate within {floor_limit}× the parse+hash floor: {validate / floor:.2f}× the "
            "subprocess floor"
            + (f", {validate / floor_in:.2f}× the in-process floor" if floor_in else ""),
        )
    if validate and seconds("frictionless"):
        ratio = seconds("frictionless") / validate
        check(
            ratio >= friction_limit,
            f"validate at least {friction_limit}× faster than frictionless: {ratio:.1f}×",
        )
    if build:
        rate = size.n / build
        check(rate >= rate_limit, f"build at {rate_limit:,} seeds/s or more: {rate:,.0f} seeds/s")
    for name, what in (("build", "build"), ("validate", "validate")):
        if name in m and m[name].samples:
            single, tree = m[name].max_rss_mb, m[name].tree_rss_mb
            check(
                (single or 0) <= 200,
                f"peak memory of {what} at most 200 MB: largest process {_fmt(single, 0)} MB "
                f"(all processes together {_fmt(tree, 0)} MB)",
            )
    if done_when:
        return lines
    if build and seconds("incremental"):
        share = seconds("incremental") / build
        check(share <= 0.05, f"incremental build at most 5% of a full build: {share:.1%}")
    root, parquet, plain = seconds("load_root"), seconds("load_parquet"), _plain_json(m)
    if root and plain:
        check(
            root <= plain[1] * 1.05,
            f"`load_dataset` of the published root no slower than {plain[0]}: {root:.2f} s vs "
            f"{plain[1]:.2f} s (5% tolerance)",
        )
    if parquet and plain:
        check(
            parquet < plain[1],
            f"the Parquet copy faster than {plain[0]}: {parquet:.2f} s vs {plain[1]:.2f} s",
        )
    return lines


def _plain_json(m: dict[str, Measure]) -> tuple[str, float, str] | None:
    """The plain ``load_dataset("json")`` to compare with: (label, seconds, measure name).

    Inferred types when that load works; when inference fails on this corpus (NOTES.md:
    "Inference breaks on later data"), the plain load given the features.
    """
    for name, label in (
        ("load_json", "plain json"),
        ("load_json-features", "plain json with features (inferred fails)"),
    ):
        if name in m and m[name].samples:
            return label, m[name].median, name
    return None


def summary_table(sizes: list[Size]) -> str:
    """The headline figures of every N side by side (the per-N tables hold the rest)."""

    def seconds(size: Size, name: str) -> float | None:
        measure = size.measures.get(name)
        return measure.median if measure and measure.samples else None

    def peak(size: Size, name: str) -> str:
        measure = size.measures.get(name)
        if not measure or not measure.samples:
            return "–"
        return f"{_fmt(measure.max_rss_mb, 0)} / {_fmt(measure.tree_rss_mb, 0)}"

    def cell(value: float | None, text: str = "") -> str:
        return "–" if value is None else f"{_fmt(value)}{text}"

    rows = [
        "| N | build s (seeds/s) | incremental (% of build) | validate s (rec/s) | floor s "
        "| validate ÷ floor | frictionless s (÷ validate) | jsonschema s | build MB "
        "(largest / tree) | validate MB (largest / tree) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in sizes:
        build, validate = seconds(size, "build"), seconds(size, "validate")
        floor, incremental = seconds(size, "floor"), seconds(size, "incremental")
        friction = seconds(size, "frictionless")
        share = f" ({incremental / build:.0%})" if build and incremental else ""
        times = f" ({friction / validate:.1f}×)" if friction and validate else ""
        rows.append(
            f"| {size.n:,} "
            f"| {cell(build, f' ({size.n / build:,.0f})' if build else '')} "
            f"| {cell(incremental, share)} "
            f"| {cell(validate, f' ({size.records / validate:,.0f})' if validate else '')} "
            f"| {cell(floor)} "
            f"| {f'{validate / floor:.2f}×' if validate and floor else '–'} "
            f"| {cell(friction, times)} "
            f"| {cell(seconds(size, 'jsonschema'))} "
            f"| {peak(size, 'build')} | {peak(size, 'validate')} |"
        )
    return "\n".join(rows)


SYNTHETIC = (
    "`scripts/synthetic.py` (3-6 KB, one language per article: ~65% English, 15% French/German/"
    "Spanish/Portuguese, 8% Russian, 4% Greek, 8% Chinese/Japanese; every layout variant; 30% "
    "with a sidecar)"
)


def write_markdown(sizes: list[Size], info: dict[str, Any], path: Path, elapsed: float) -> None:
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    changed = any(s.measures["build"].notes.get("code_changed_during_run") for s in sizes)
    parts = [
        "# newscorpus benchmark",
        "",
        f"Machine: {info['nproc']} cores (`nproc`), {info['cpu']}, {info['memory']} RAM; "
        f"Python {info['python']}; {info['platform']}. Run on {info['date']} at commit "
        f"{info['git_head']}"
        + (" with uncommitted changes in `src/`" if info["src_uncommitted_changes"] else "")
        + f"; the whole run took {elapsed / 60:.1f} min. {versions}.",
        "",
        "Made by `python scripts/bench.py` (see its docstring). "
        f"Seeds: {info.get('seeds') or SYNTHETIC}. "
        "Times are medians of the runs shown, wall clock, warm page cache, each command a "
        "fresh process (start-up included) unless it says in-process. Peak RSS: "
        "largest single process (`/usr/bin/time %M`) and the sampled peak of the whole "
        "process tree summed (workers included, shared pages counted in each). MB = 10^6 "
        "bytes; throughput in MB/s is of the JSONL data files.",
    ]
    parts += ["", "## Summary", "", summary_table(sizes)]
    if changed:
        parts += [
            "",
            "**Warning:** `src/` changed during the run (newscorpus's code fingerprint differs "
            "between measurements of one N; see `code_fingerprints` in results.json): those "
            "figures mix code versions. Incremental builds are measured only between "
            "fingerprint checks, so they never include a rebuild caused by a code change.",
        ]
    for size in sizes:
        parts += [
            "",
            f"## N = {size.n:,}",
            "",
            f"{size.n:,} seeds ({size.seeds_mb:,.0f} MB) → {size.records:,} records in "
            f"{size.shards} shards ({size.data_mb:,.0f} MB of JSONL); languages detected: "
            f"{', '.join(size.languages)}.",
            "",
            size_table(size),
            "",
            "Against the targets of issue 6 (item 2):",
            "",
            *targets(size),
            "",
            'Against the thresholds of its "Done when" (stated for 20,000 seeds):',
            "",
            *targets(size, done_when=True),
        ]
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


PLOTTED = (
    ("build", "build (full, 2 workers)", "o-"),
    ("incremental", "build (1 seed changed)", "o--"),
    ("validate", "newscorpus validate", "s-"),
    ("floor", "floor: orjson + sha256 (process)", "^-"),
    ("floor_in_process", "floor, in-process", "^:"),
    ("frictionless", "frictionless validate", "D-"),
    ("jsonschema", "pure jsonschema", "v-"),
)


def write_plot(sizes: list[Size], info: dict[str, Any], path: Path) -> None:
    """Log-log seconds against N: equal slopes mean equal scaling, the gaps are the ratios."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, NullFormatter

    figure, axes = plt.subplots(figsize=(10, 5.5), dpi=120)
    ends: list[tuple[float, float, str]] = []  # last point of each line, labelled below
    for name, label, style in PLOTTED:
        points = [
            (s.n, s.measures[name].median)
            for s in sizes
            if name in s.measures and s.measures[name].samples
        ]
        if points:
            xs, ys = zip(*points, strict=True)
            axes.plot(xs, ys, style, label=label, linewidth=1.6, markersize=5)
            ends.append((xs[-1], ys[-1], f"{ys[-1]:.3g} s"))
    placed: list[float] = []  # label heights so far, in log10 units: keep them apart
    for x, y, text in sorted(ends, key=lambda end: -end[1]):
        height = math.log10(y)
        while any(abs(height - other) < 0.07 for other in placed):
            height -= 0.02
        placed.append(height)
        axes.annotate(
            text,
            (x, y),
            xytext=(x * 1.12, 10**height),
            fontsize=8,
            va="center",
        )
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("N (seeds = records)")
    axes.set_ylabel("wall time, median (s)")
    axes.set_xticks([s.n for s in sizes], [f"{s.n:,}" for s in sizes])
    axes.xaxis.set_minor_formatter(NullFormatter())
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axes.grid(True, which="both", alpha=0.3)
    axes.set_title(
        f"newscorpus: time against N — {info['nproc']} cores, {info['cpu']}, "
        f"Python {info['python']}, {info['date'][:10]}",
        fontsize=9,
    )
    if axes.get_legend_handles_labels()[0]:
        axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    if sizes:
        axes.set_xlim(min(s.n for s in sizes) / 1.6, max(s.n for s in sizes) * 2.2)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def write_json(sizes: list[Size], info: dict[str, Any], path: Path, elapsed: float) -> None:
    document = {
        "machine": info,
        "elapsed_seconds": elapsed,
        "sizes": [
            {
                "n": s.n,
                "seeds_mb": s.seeds_mb,
                "records": s.records,
                "shards": s.shards,
                "data_mb": s.data_mb,
                "languages": s.languages,
                "generate_seconds": s.generate_seconds,
                "measures": {name: m.to_json() for name, m in s.measures.items()},
            }
            for s in sizes
        ],
    }
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def read_json(path: Path) -> tuple[list[Size], dict[str, Any], float]:
    """The sizes, machine and elapsed time of a results.json (to redraw without re-running)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    sizes = []
    for raw in document["sizes"]:
        size = Size(
            raw["n"],
            raw["seeds_mb"],
            raw["data_mb"],
            raw["records"],
            raw["shards"],
            raw["languages"],
            raw["generate_seconds"],
        )
        for name, measure in raw["measures"].items():
            size.measures[name] = Measure(
                name,
                measure["label"],
                [Sample(**sample) for sample in measure["samples"]],
                measure["notes"],
            )
        sizes.append(size)
    return sizes, document["machine"], document["elapsed_seconds"]


# ---------------------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sorted(set(sizes))


def _logger(path: Path) -> Callable[[str], None]:
    lock = threading.Lock()

    def log(message: str) -> None:
        with lock:
            print(message, flush=True)
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(message + "\n")

    return log


def _given_seeds(parser: argparse.ArgumentParser, folder: Path, quick: bool) -> tuple[Path, int]:
    """The folder of ``--seeds`` and its number of seeds, or a usage error (exit 2)."""
    if quick:
        parser.error("--seeds and --quick cannot be combined: --seeds fixes N")
    if not folder.is_dir():
        parser.error(f"--seeds {folder}: not a folder")
    if any(not entry.is_file() for entry in folder.iterdir()):
        parser.error(f"--seeds {folder}: holds something other than files (seeds are flat)")
    count = sum(1 for entry in folder.glob("*.txt"))
    if not count:
        parser.error(f"--seeds {folder}: no seed (*.txt) in it")
    return folder.resolve(), count


DEFAULT_SIZES = [1000, 10_000, 20_000, 100_000]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=None,
        help=f"comma-separated N [default: {','.join(map(str, DEFAULT_SIZES))}]",
    )
    parser.add_argument("--quick", action="store_true", help="1000 seeds, one run of each")
    parser.add_argument("--skip-slow", action="store_true", help="no jsonschema above 10,000")
    parser.add_argument(
        "--seeds",
        type=Path,
        default=None,
        help="measure on the seeds in this folder (copied first; N is their number) instead of "
        "synthetic ones; results go to the scratch folder's given/ unless --out says otherwise",
    )
    parser.add_argument(
        "--scratch", type=Path, default=RESULTS / "tmp", help="seeds and corpora (gitignored)"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="results folder [scripts/results; --quick: tmp]"
    )
    parser.add_argument(
        "--only",
        type=lambda text: {part.strip() for part in text.split(",") if part.strip()},
        default=None,
        help=f"comma-separated subset of: {', '.join(GROUPS)} (the corpus is built untimed "
        "when build is left out)",
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="only redraw results.md and the plot from results.json",
    )
    args = parser.parse_args(argv)
    if args.only is not None and not args.only <= set(GROUPS):
        parser.error(f"--only takes {', '.join(GROUPS)}")
    if args.seeds and args.sizes:
        parser.error("--seeds and --sizes cannot be combined: N is the number of seeds given")
    given = _given_seeds(parser, args.seeds, args.quick) if args.seeds else None
    scratch = args.scratch.resolve()
    default_out = scratch / "given" if given else scratch / "quick" if args.quick else RESULTS
    out = (args.out or default_out).resolve()
    if args.report:
        done, info, elapsed = read_json(out / "results.json")
        write_markdown(done, info, out / "results.md", elapsed)
        write_plot(done, info, out / "time_vs_n.png")
        return 0
    if not Path(TIME).is_file():
        parser.error(f"{TIME} is needed to measure peak memory")
    sizes = [given[1]] if given else [1000] if args.quick else args.sizes or DEFAULT_SIZES
    scratch.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    log = _logger(scratch / "bench.log")
    env = _env(scratch)
    _compile_package(env)
    info = machine()
    if given:
        info["seeds"] = f"the {given[1]:,} seeds of `{given[0]}` (copied, not generated)"
    log(f"bench: sizes {sizes} on {info['nproc']} × {info['cpu']}, results into {out}")
    started = time.perf_counter()
    done: list[Size] = []
    for n in sizes:
        plan = plan_for(n, args.quick, args.skip_slow, args.only)
        done.append(bench_size(n, scratch, plan, env, log, given[0] if given else None))
        elapsed = time.perf_counter() - started
        write_json(done, info, out / "results.json", elapsed)  # a partial run is kept too
        write_markdown(done, info, out / "results.md", elapsed)
        write_plot(done, info, out / "time_vs_n.png")
        log(f"N={n} done; {elapsed / 60:.1f} min so far")
    log(f"bench: finished in {(time.perf_counter() - started) / 60:.1f} min; see {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
