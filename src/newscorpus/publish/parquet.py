"""The Parquet copy of the corpus, typed by the same features as the card.

Parquet stores the Arrow types, so readers need no inference: dates are ``date32`` on disk and
the Hugging Face features travel in the file's schema metadata. Records are converted one shard
at a time (memory stays flat) and written in small row groups so that the Hub viewer and
partial readers fetch little. Writing is deterministic for a given pyarrow version.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson

from newscorpus.publish.features import arrow_schema
from newscorpus.publish.fields import Field
from newscorpus.publish.source import PublishError

RECORDS_PER_FILE = 100_000
ROW_GROUP_RECORDS = 1_000
COMPRESSION = "zstd"


def parquet_names(records: int, prefix: str = "train") -> list[str]:
    """``train-00000-of-00002.parquet`` …: the file names for ``records`` records."""
    count = max(1, -(-records // RECORDS_PER_FILE))
    return [f"{prefix}-{i:05d}-of-{count:05d}.parquet" for i in range(count)]


def write_parquet(
    lines: Iterable[bytes], fields: Sequence[Field], records: int, out_dir: Path
) -> list[Path]:
    """Write the JSONL ``lines`` (``records`` of them, in order) as Parquet files in ``out_dir``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(fields)
    convert = record_converter(fields)
    paths = [out_dir / name for name in parquet_names(records)]
    out_dir.mkdir(parents=True, exist_ok=True)
    stream = iter(lines)
    written = 0
    for index, path in enumerate(paths):
        quota = min(RECORDS_PER_FILE, records - index * RECORDS_PER_FILE)
        with pq.ParquetWriter(path, schema, compression=COMPRESSION) as writer:
            done = 0
            while done < quota:
                batch = [
                    convert(orjson.loads(line))
                    for line in _take(stream, min(ROW_GROUP_RECORDS, quota - done))
                ]
                if not batch:
                    break
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                done += len(batch)
            written += done
    if written != records or next(stream, None) is not None:
        raise PublishError(f"the manifest counts {records} records; the data files hold others")
    return paths


def _take(lines: Iterable[bytes], count: int) -> list[bytes]:
    taken = []
    for line in lines:
        taken.append(line)
        if len(taken) == count:
            break
    return taken


def record_converter(fields: Sequence[Field]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A function giving a parsed JSONL record the Python types Arrow expects (dates)."""
    dated = [f for f in fields if _has_date(f)]
    if not dated:
        return lambda record: record

    def convert(record: dict[str, Any]) -> dict[str, Any]:
        for field in dated:
            record[field.name] = _convert(field, record[field.name])
        return record

    return convert


def _has_date(field: Field) -> bool:
    return field.kind == "date" or any(_has_date(c) for c in field.children)


def _convert(field: Field, value: Any) -> Any:
    if value is None:
        return None
    if field.is_list:
        return [_convert_item(field, item) for item in value]
    return _convert_item(field, value)


def _convert_item(field: Field, value: Any) -> Any:
    if field.is_struct:
        return {c.name: _convert(c, value[c.name]) for c in field.children}
    if field.kind == "date":
        return datetime.date.fromisoformat(value)
    return value
