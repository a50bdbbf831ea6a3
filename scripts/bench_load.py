"""Load time of the published dataset next to a plain JSON load and the Parquet copy.

    python scripts/bench_load.py [--records 10000] [--runs 3] [--keep DIR]

A synthetic corpus of N records is made with the real record pipeline (``make_record`` on
seeds rendered from the test articles, with varied text so every id differs, a third of them
with a dated sidecar), written as shards with a manifest, given its derived files and published
to ``hf/``. Each route is loaded once untimed (checked value for value against the JSONL),
then ``--runs`` times with a fresh ``cache_dir`` each (offline). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

import orjson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from articles import ARTICLES, VARIANTS, render  # noqa: E402
from newscorpus.corpus import (  # noqa: E402
    Manifest,
    assign_shards,
    serialise,
    shard_name,
    write_data_file,
)
from newscorpus.publish.derived import derived_files, manifest_fields  # noqa: E402
from newscorpus.publish.features import hf_features  # noqa: E402
from newscorpus.publish.hf import write_hf_folder  # noqa: E402
from newscorpus.record import Record, SeedInput, make_record  # noqa: E402
from newscorpus.schemas import current_schema_version  # noqa: E402


def synthetic_corpus(root: Path, count: int) -> Manifest:
    """``count`` records in ``root/corpus`` made by the real pipeline, and the root's files."""
    rng = random.Random(20240501)
    words = " ".join(p for a in ARTICLES for p in a.paragraphs).split()
    lines: dict[str, bytes] = {}
    for i in range(count):
        article = ARTICLES[i % len(ARTICLES)]
        # Shuffled words and fresh numbers: text about as compressible as real news.
        body = [
            " ".join(rng.choice(words) for _ in range(rng.randint(25, 70)))
            + f" {rng.random():.6f}."
            for _ in range(rng.randint(4, 9))
        ]
        body.append(f"Synthetic article {i}.")
        seed = render(
            type(article)(article.title, article.publisher, article.authors, tuple(body)),
            VARIANTS[i % len(VARIANTS)],
        )
        stem = f"{i:06d}_{hashlib.sha256(seed).hexdigest()[:16]}"
        sidecar = None
        if i % 3 == 0:
            day = datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 1500)
            sidecar = f"published: {day.isoformat()}\ntopics: [t{i % 40}]\n".encode()
        made = make_record(
            SeedInput(f"{stem}.txt", seed, f"{stem}.yaml" if sidecar else None, sidecar)
        )
        if not isinstance(made, Record):
            raise SystemExit(f"synthetic seed {i} did not make a record: {made}")
        lines[made.id] = serialise(made)
    corpus = root / "corpus"
    files = [
        write_data_file(corpus, shard_name(prefix), (lines[i] for i in ids))
        for prefix, ids in assign_shards(lines).items()
    ]
    manifest = Manifest("0.0.0", current_schema_version(), count, files)
    (corpus / "manifest.json").write_bytes(manifest.to_json())
    (root / "README.md").write_text("# Benchmark corpus\n")
    for path, data in derived_files(root, manifest).items():
        path.write_bytes(data)
    write_hf_folder(corpus, manifest, None, root / "hf")
    return manifest


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.isoformat()  # a timestamp: will not equal the stored date text
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def measure(load: Callable[[str], Any], runs: int, expected: list[dict[str, Any]]) -> dict:
    """Seconds of ``load(cache_dir)`` with a fresh cache each run, after one untimed run.

    The untimed run pays the one-off costs (builder imports) that would otherwise fall on
    whichever route is measured first, and is the one whose rows are checked.
    """
    times: list[float] = []
    exact = "-"
    for run in range(runs + 1):
        cache = tempfile.mkdtemp(prefix="bench-cache-")
        try:
            start = time.perf_counter()
            try:
                loaded = load(cache)
            except Exception as error:  # a route that cannot load is a result, not a crash
                return {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:80]}"}
            elapsed = time.perf_counter() - start
            if run == 0:
                rows = [_plain(row) for row in loaded["train"]]
                exact = "yes" if rows == expected else _first_difference(rows, expected)
            else:
                times.append(elapsed)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "exact": exact,
    }


def _first_difference(rows: list[dict[str, Any]], expected: list[dict[str, Any]]) -> str:
    if len(rows) != len(expected):
        return f"no: {len(rows)} rows"
    for row, record in zip(rows, expected, strict=True):
        for key, value in record.items():
            if row.get(key) != value:
                return f"no: `{key}` {value!r} -> {row.get(key)!r}"
    return "no"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="build the corpus here and keep it")
    args = parser.parse_args()

    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-corpus-"))
    try:
        started = time.perf_counter()
        manifest = synthetic_corpus(root, args.records)
        made = time.perf_counter() - started
        shards = [str(root / "corpus" / f.path) for f in manifest.files]
        expected = [
            orjson.loads(line) for path in shards for line in Path(path).read_bytes().splitlines()
        ]
        features = hf_features(manifest_fields(manifest))
        routes: list[tuple[str, Callable[[str], Any]]] = [
            (
                "published root: `load_dataset(repo)` (JSONL, card features)",
                lambda c: datasets.load_dataset(str(root), cache_dir=c),
            ),
            (
                'plain `load_dataset("json", data_files=…)` (inferred types)',
                lambda c: datasets.load_dataset("json", data_files=shards, cache_dir=c),
            ),
            (
                'plain `load_dataset("json", data_files=…, features=…)`',
                lambda c: datasets.load_dataset(
                    "json", data_files=shards, features=features, cache_dir=c
                ),
            ),
            (
                "published `hf/`: `load_dataset(hf)` (Parquet)",
                lambda c: datasets.load_dataset(str(root / "hf"), cache_dir=c),
            ),
        ]
        jsonl_mb = sum(f.bytes for f in manifest.files) / 1e6
        parquet_mb = sum(p.stat().st_size for p in (root / "hf" / "parquet").iterdir()) / 1e6
        print(
            f"{args.records} records, {len(shards)} JSONL shards ({jsonl_mb:.1f} MB), "
            f"Parquet {parquet_mb:.1f} MB; corpus made in {made:.1f} s; "
            f"{args.runs} runs, fresh cache each\n"
        )
        print("| route | median s | min s | max s | every value equal to the JSONL |")
        print("| --- | --- | --- | --- | --- |")
        for name, load in routes:
            result = measure(load, args.runs, expected)
            if "error" in result:
                print(f"| {name} | fails | | | {result['error']} |")
            else:
                print(
                    f"| {name} | {result['median']:.2f} | {result['min']:.2f} | "
                    f"{result['max']:.2f} | {result['exact']} |"
                )
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
