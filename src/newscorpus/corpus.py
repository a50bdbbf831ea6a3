"""The corpus on disk: sharded JSONL data files and the manifest that lists them.

Layout of a corpus folder::

    manifest.json           corpus version, schema version, record count, every data file
    data/shard-<p>.jsonl    the records whose id starts with hex prefix <p>, sorted by id
    releases/<v>.json       one permanent file per release (see ``releases``)

Shards are the leaves of a hex trie over the ids: a prefix holds its records until it has more
than ``MAX_SHARD_RECORDS``, then it splits into its sixteen children. The split depends only on
the set of ids, so it is deterministic; a changed record rewrites one shard; file names sort in
id order, so reading the shards in name order reads the corpus in id order.

Writes are atomic for the corpus as a whole: everything is written into a staging folder, and
only a complete, checked build is swapped in (``commit_staging``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

MANIFEST = "manifest.json"
DATA_DIR = "data"
MAX_SHARD_RECORDS = 1024  # ~5 MB of JSONL: small enough that one changed seed rebuilds little
_HEX = "0123456789abcdef"


@dataclass(frozen=True, slots=True)
class DataFile:
    """One data file as the manifest lists it."""

    path: str
    records: int
    bytes: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    corpus_version: str
    schema_version: str
    records: int
    files: list[DataFile]
    languages: list[str] = field(default_factory=list)  # the records' languages, sorted

    def to_json(self) -> bytes:
        document = {
            "name": "newscorpus",
            "corpus_version": self.corpus_version,
            "schema_version": self.schema_version,
            "records": self.records,
            "languages": self.languages,
            "files": [
                {"path": f.path, "records": f.records, "bytes": f.bytes, "sha256": f.sha256}
                for f in self.files
            ],
        }
        return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def shard_name(prefix: str) -> str:
    return f"{DATA_DIR}/shard-{prefix}.jsonl"


def assign_shards(ids: Iterable[str], limit: int = MAX_SHARD_RECORDS) -> dict[str, list[str]]:
    """Map each shard prefix to its sorted ids: the leaves of the hex trie over ``ids``."""
    shards: dict[str, list[str]] = {}

    def split(prefix: str, members: list[str]) -> None:
        if len(members) <= limit or len(prefix) >= 15:
            shards[prefix] = members
            return
        children: dict[str, list[str]] = defaultdict(list)
        for member in members:
            children[member[len(prefix)]].append(member)
        for char in _HEX:
            if children.get(char):
                split(prefix + char, children[char])

    top: dict[str, list[str]] = defaultdict(list)
    for record_id in sorted(ids):
        top[record_id[0]].append(record_id)
    for char in _HEX:
        if top.get(char):
            split(char, top[char])
    return dict(sorted(shards.items()))


def serialise(record: Any) -> bytes:
    """One JSONL line: UTF-8, keys in the record's field order, no spaces, LF."""
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)


def write_data_file(
    root: Path, relative: str, lines: Iterable[bytes], *, durable: bool = True
) -> DataFile:
    """Write one data file under ``root`` and describe it; the caller gives sorted lines.

    ``durable=False`` leaves the fsync to the caller (``fsync_file``), who can wait for the
    disk elsewhere: the build's workers go on to their next shard while the parent flushes."""
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    count = size = 0
    with open(target, "wb") as handle:
        for line in lines:
            handle.write(line)
            digest.update(line)
            count += 1
            size += len(line)
        handle.flush()
        if durable:
            os.fsync(handle.fileno())
    return DataFile(relative, count, size, digest.hexdigest())


def read_manifest(corpus_dir: Path) -> dict[str, Any] | None:
    path = corpus_dir / MANIFEST
    if not path.is_file():
        return None
    try:
        value = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def iter_data_files(corpus_dir: Path) -> list[Path]:
    """The corpus's data files in id order."""
    data = corpus_dir / DATA_DIR
    if not data.is_dir():
        return []
    return sorted(
        p for p in data.iterdir() if p.suffix == ".jsonl" and p.is_file() and not p.is_symlink()
    )


def iter_records(corpus_dir: Path) -> Iterator[dict[str, Any]]:
    """Every record of a corpus, in id order, one at a time (memory stays flat)."""
    for path in iter_data_files(corpus_dir):
        with open(path, "rb") as handle:
            for line in handle:
                yield orjson.loads(line)


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A scratch folder beside the corpus; removed afterwards whatever happens."""
    out.mkdir(parents=True, exist_ok=True)
    recover(out)
    scratch = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def recover(out: Path) -> None:
    """Finish or undo a swap that a killed process left half done."""
    for old in sorted(out.glob(".data-old-*")):
        if not (out / DATA_DIR).exists():
            old.rename(out / DATA_DIR)
        else:
            shutil.rmtree(old, ignore_errors=True)
    for leftover in out.glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def commit_staging(scratch: Path, out: Path) -> None:
    """Swap a complete build into ``out``: the data folder, then the manifest.

    Until the first rename the old corpus is untouched; the window between the two renames is
    closed again by ``recover`` if the process dies inside it.
    """
    _fsync_dir(scratch / DATA_DIR)
    fsync_file(scratch / MANIFEST)  # written plainly by the build: durable before it is swapped in
    live = out / DATA_DIR
    old = out / f".data-old-{os.getpid()}"
    if live.exists():
        live.rename(old)
    (scratch / DATA_DIR).rename(live)
    os.replace(scratch / MANIFEST, out / MANIFEST)
    _fsync_dir(out)
    shutil.rmtree(old, ignore_errors=True)


def write_file(path: Path, data: bytes) -> None:
    """Write one file atomically: a temporary file beside it, fsync, rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def fsync_file(path: Path) -> None:
    """Wait until the file's data is on disk (whichever process wrote it)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def describe_files(corpus_dir: Path) -> list[DataFile]:
    """Describe the data files as they are on disk (lines, bytes, sha256)."""
    files = []
    for path in iter_data_files(corpus_dir):
        data = path.read_bytes()
        files.append(
            DataFile(
                f"{DATA_DIR}/{path.name}",
                data.count(b"\n"),
                len(data),
                hashlib.sha256(data).hexdigest(),
            )
        )
    return files
