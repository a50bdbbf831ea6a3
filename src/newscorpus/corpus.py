"""The corpus on disk: sharded JSONL data files and the manifest that lists them.

Layout of a corpus folder::

    manifest.json                  corpus version, schema version, record count, every data file
    data/shard-<p>-<h>.jsonl       the records whose id starts with hex prefix <p>, sorted by id;
                                   <h> is the start of the file's sha256
    releases/<v>.json              one permanent file per release (see ``releases``)

Shards are the leaves of a hex trie over the ids: a prefix holds its records until it has more
than ``MAX_SHARD_RECORDS``, then it splits into its sixteen children. The split depends only on
the set of ids, so it is deterministic; a changed record rewrites one shard; file names sort in
id order, so reading the shards in name order reads the corpus in id order.

The manifest names its data, and data files are never changed in place: a file's name says
what it holds, so a build adds new files beside the old ones, and replacing ``manifest.json``
(one rename) is the single moment the corpus changes. Whoever reads through the manifest sees
the old corpus or the new one, whenever the build is stopped. A data file that the manifest
does not name but whose bytes match its name is a leftover of a build stopped before that
moment: it is no part of the corpus, and the next build removes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import stat
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from newscorpus.oserrors import writing

MANIFEST = "manifest.json"
DATA_DIR = "data"
STAGING_DIR = ".staging"  # a build's temporaries, on the corpus's disk so that renames work
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


def shard_name(prefix: str, sha256: str) -> str:
    """The one name of a shard's data file: its id prefix and the start of its sha256."""
    return f"{DATA_DIR}/shard-{prefix}-{sha256[:_NAME_HASH]}.jsonl"


_NAME_HASH = 16
# A shard's file name: ``shard-<prefix>-<hash>.jsonl`` as the build names it, or the older
# ``shard-<prefix>.jsonl`` of corpora built before names carried their content.
_SHARD_NAME = re.compile(rf"shard-([0-9a-f]*?)(?:-([0-9a-f]{{{_NAME_HASH}}}))?\.jsonl")


def shard_prefix(file_name: str) -> str:
    """The id prefix a shard's records share ("" for a data file not named as a shard)."""
    match = _SHARD_NAME.fullmatch(file_name)
    if match:
        return match.group(1)
    stem = file_name.removesuffix(".jsonl")  # a name the build never writes: taken as it reads
    return stem[len("shard-") :] if stem.startswith("shard-") else ""


def named_hash(file_name: str) -> str | None:
    """The start of the sha256 a data file's name gives for its bytes, or None."""
    match = _SHARD_NAME.fullmatch(file_name)
    return match.group(2) if match else None


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
    root: Path, prefix: str, lines: Iterable[bytes], *, durable: bool = True
) -> DataFile:
    """Write one shard into the staging folder of ``root`` and describe it under its name;
    ``place_data_file`` then puts it in ``data/``. The caller gives sorted lines.

    ``durable=False`` leaves the fsync to the caller (``fsync_file``), who can wait for the
    disk elsewhere: the build's workers go on to their next shard while the parent flushes."""
    target = staged_data(root, prefix)
    digest = hashlib.sha256()
    count = size = 0
    with writing(target), open(target, "wb") as handle:
        for line in lines:
            handle.write(line)
            digest.update(line)
            count += 1
            size += len(line)
        handle.flush()
        if durable:
            os.fsync(handle.fileno())
    sha256 = digest.hexdigest()
    return DataFile(shard_name(prefix, sha256), count, size, sha256)


def staged_data(root: Path, prefix: str) -> Path:
    """Where a shard is written before it is complete and on disk."""
    return root / STAGING_DIR / f"shard-{prefix}.jsonl.partial"


def place_data_file(root: Path, file: DataFile) -> bool:
    """Move a staged and flushed data file to its name in ``data/``; whether it moved.

    A file of that name with the same bytes is already there when the shard did not change:
    it is left as it is, and the staged copy dropped. Any other file of that name does not
    hold what its name says (a torn write of a machine that lost power), and is replaced."""
    staged = staged_data(root, shard_prefix(Path(file.path).name))
    target = root / file.path
    if holds(target, file):
        os.unlink(staged)
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, target)
    return True


def holds(path: Path, file: DataFile) -> bool:
    """Whether ``path`` is a regular file with the bytes ``file`` describes."""
    try:
        if path.is_symlink() or path.stat().st_size != file.bytes:
            return False
        return sha256_of(path) == file.sha256
    except OSError:
        return False


def sha256_of(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@contextlib.contextmanager
def staging(root: Path) -> Iterator[Path]:
    """The folder of a build's temporaries in ``root``, removed afterwards whatever happens.

    Whatever a stopped build left there goes first: the caller holds the corpus's lock, so
    no other build is using it. Nothing in it is ever the only copy of anything."""
    scratch = root / STAGING_DIR
    _remove(scratch)
    scratch.mkdir(parents=True)
    try:
        yield scratch
    finally:
        _remove(scratch, quiet=True)


def _remove(path: Path, *, quiet: bool = False) -> None:
    """Remove a folder and what it holds, or whatever else is at ``path``; a link is removed
    itself, never followed (``rmtree`` would empty the folder it points to)."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            shutil.rmtree(path, ignore_errors=quiet)
        else:
            os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        if not quiet:
            raise


def install(data: bytes, target: Path, scratch: Path) -> None:
    """Replace ``target`` with ``data`` in one rename: written in ``scratch`` (the staging
    folder, on the same disk) and flushed first, so ``target`` is always whole."""
    temporary = scratch / f"{target.name}.partial"
    with writing(temporary), open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temporary, target)


def read_manifest(corpus_dir: Path) -> dict[str, Any] | None:
    path = corpus_dir / MANIFEST
    if not path.is_file():
        return None
    try:
        value = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def listed_paths(manifest: dict[str, Any] | None) -> set[str] | None:
    """The data file paths a manifest names; None when it has no readable list of files
    (then no file can be told to be outside it)."""
    files = manifest.get("files") if manifest is not None else None
    if not isinstance(files, list):
        return None
    paths = set()
    for entry in files:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str):
            return None
        paths.add(path)
    return paths


def data_files_on_disk(corpus_dir: Path) -> list[Path]:
    """Every regular ``.jsonl`` file in the data folder, in name (so id) order."""
    data = corpus_dir / DATA_DIR
    if not data.is_dir():
        return []
    return sorted(
        p for p in data.iterdir() if p.suffix == ".jsonl" and p.is_file() and not p.is_symlink()
    )


def leftover_files(corpus_dir: Path, manifest: dict[str, Any] | None = None) -> list[Path]:
    """Data files of a build stopped before its commit: not named by the manifest, and
    holding the bytes their name gives. None without a readable manifest to compare with."""
    listed = listed_paths(manifest if manifest is not None else read_manifest(corpus_dir))
    if listed is None:
        return []
    return [
        path
        for path in data_files_on_disk(corpus_dir)
        if f"{DATA_DIR}/{path.name}" not in listed and _holds_its_name(path)
    ]


def _holds_its_name(path: Path) -> bool:
    named = named_hash(path.name)
    if named is None:
        return False
    try:
        return sha256_of(path).startswith(named)
    except FileNotFoundError:
        return True  # removed by the build that superseded it: no part of the corpus either
    except OSError:
        return False  # unreadable: counted, so that ``validate`` says so


def iter_data_files(corpus_dir: Path, manifest: dict[str, Any] | None = None) -> list[Path]:
    """The corpus's data files in id order: those on disk, less the leftovers of a stopped
    build (``manifest``: the one already read, so that both come from the same moment)."""
    leftovers = set(leftover_files(corpus_dir, manifest))
    return [path for path in data_files_on_disk(corpus_dir) if path not in leftovers]


def superseded_files(
    corpus_dir: Path, manifest: Manifest, previous: dict[str, Any] | None
) -> list[Path]:
    """The data files a build removes once ``manifest`` is committed: those it no longer
    names that the previous manifest named or that carry a build's name. Anything else in
    the folder was not written by a build, and stays for ``validate`` to report."""
    keep = {f.path for f in manifest.files}
    before = listed_paths(previous) or set()
    return [
        path
        for path in data_files_on_disk(corpus_dir)
        if (relative := f"{DATA_DIR}/{path.name}") not in keep
        and (relative in before or named_hash(path.name) is not None)
    ]


def iter_records(corpus_dir: Path) -> Iterator[dict[str, Any]]:
    """Every record of a corpus, in id order, one at a time (memory stays flat)."""
    for path in iter_data_files(corpus_dir):
        with open(path, "rb") as handle:
            for line in handle:
                yield orjson.loads(line)


def write_file(path: Path, data: bytes) -> None:
    """Write one file atomically: a temporary file beside it, fsync, rename over it.

    The file gets the mode the umask gives a new file, as any editor's would (``mkstemp``
    would make it private)."""
    from newscorpus.owned import new_file

    # An error names ``path``, not the temporary: that is a name the user never chose.
    with writing(path, instead=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = new_file(path.parent, _temporary_prefix(path))
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


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}."


def remove_temporaries(paths: Iterable[Path]) -> None:
    """Remove the temporaries ``write_file`` left beside ``paths`` when it was killed before
    its rename (``.<name>.`` and the 12 hex digits of ``owned.new_file``), and nothing else.

    Only the holder of the corpus lock may call it, for files only a lock holder writes: then
    no such temporary is in use."""
    from newscorpus.owned import TEMPORARY_SUFFIX

    for path in paths:
        pattern = re.compile(re.escape(_temporary_prefix(path)) + TEMPORARY_SUFFIX)
        names: list[str] = []
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            names = os.listdir(path.parent)
        for name in names:
            found = path.parent / name
            if pattern.fullmatch(name) and stat.S_ISREG(found.lstat().st_mode):
                os.unlink(found)


def fsync_file(path: Path) -> None:
    """Wait until the file's data is on disk (whichever process wrote it)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        with writing(path):  # a write error the disk reports late: name the file written
            os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
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
