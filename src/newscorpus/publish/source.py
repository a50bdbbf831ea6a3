"""The corpus being published: its manifest, and its data files read only if they match it.

Publishing copies the data files the manifest pins. A file that was edited, truncated or
replaced after the build would be published under a hash that no longer describes it, so
every byte is checked against the manifest on its way out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newscorpus.corpus import MANIFEST, DataFile, Manifest, read_manifest
from newscorpus.oserrors import reading, writing

_CHUNK = 1 << 20


class PublishError(Exception):
    """The corpus cannot be published as it stands; the message says why and what to do."""


def load_manifest(corpus_dir: Path) -> Manifest:
    """The manifest of ``corpus_dir`` as a ``Manifest``, or a ``PublishError`` saying why not."""
    raw = read_manifest(corpus_dir)
    if raw is None:
        raise PublishError(f"no readable {MANIFEST} in {corpus_dir}: run `newscorpus build` first")
    try:
        files = [_data_file(f) for f in raw["files"]]
        manifest = Manifest(
            str(raw["corpus_version"]),
            str(raw["schema_version"]),
            int(raw["records"]),
            files,
            [str(language) for language in raw["languages"]],
        )
    except (KeyError, TypeError, ValueError) as error:
        raise PublishError(
            f"{corpus_dir / MANIFEST} is malformed ({error}): run `newscorpus build`"
        ) from None
    if not files:
        raise PublishError(f"{corpus_dir} holds no data files: run `newscorpus build`")
    if sum(f.records for f in files) != manifest.records:
        raise PublishError(f"{corpus_dir / MANIFEST}: record counts do not add up")
    check_released(corpus_dir, manifest.corpus_version)
    return manifest


def check_released(corpus_dir: Path, version: str) -> None:
    """Refuse a version that is not the corpus's latest release, intact as released.

    A version number names one content for good: publishing under a number whose release
    file is missing, edited or unreadable, or under an older number than the latest release,
    would send other content out under it."""
    from newscorpus.releases import check_release_files
    from newscorpus.report import format_text
    from newscorpus.versions import UNRELEASED, corpus_version

    problems = check_release_files(corpus_dir)
    if problems:
        raise PublishError(
            "the release files are not as they were released; nothing was written. "
            f"Fix them first:\n{format_text(problems).rstrip()}"
        )
    latest = corpus_version(corpus_dir)
    unfinished = version == latest != UNRELEASED and _unlogged(corpus_dir, version)
    if unfinished:
        raise PublishError(
            f"release {version} is not finished: {unfinished} has no entry for it (the "
            "release was stopped half-way); run `newscorpus release` again with its --bump "
            "to finish it, then publish"
        )
    if version != latest:
        said = "names no release" if version == UNRELEASED else f"names release {version}"
        raise PublishError(
            f"{corpus_dir / MANIFEST} {said}, but the latest release is {latest}: the manifest "
            "is older than the release files; run `newscorpus build` (or finish the release "
            "with `newscorpus release`) and publish again"
        )


def _unlogged(corpus_dir: Path, version: str) -> str | None:
    """The changelog of the repository whose corpus this is, if it lacks ``version``'s entry
    (no changelog, or a corpus outside a repository, has nothing to say)."""
    from newscorpus.changelog import CHANGELOG, has_entry
    from newscorpus.seeds import shown
    from newscorpus.workspace import ConfigError, find_repository

    try:
        repository = find_repository(corpus_dir)
    except ConfigError:
        return None
    if repository is None or repository.corpus.resolve() != corpus_dir.resolve():
        return None
    changelog = repository.root / CHANGELOG
    try:
        text = changelog.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return None if has_entry(text, version) else shown(changelog)


def _data_file(entry: Any) -> DataFile:
    if not isinstance(entry, dict):
        raise TypeError("a file entry is not an object")
    path = str(entry["path"])
    if path.startswith("/") or ".." in path.split("/") or not path.endswith(".jsonl"):
        raise ValueError(f"unexpected data file path {path!r}")
    return DataFile(path, int(entry["records"]), int(entry["bytes"]), str(entry["sha256"]))


def copy_checked(corpus_dir: Path, file: DataFile, target: Path) -> None:
    """Copy one data file to ``target``, failing if its bytes are not the manifest's."""
    source = corpus_dir / file.path
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(source, "rb") as reader, open(target, "wb") as writer:
            while True:
                with reading(source):
                    chunk = reader.read(_CHUNK)
                if not chunk:
                    break
                digest.update(chunk)
                size += len(chunk)
                with writing(target):
                    writer.write(chunk)
    except FileNotFoundError:
        raise PublishError(f"{source} is missing: run `newscorpus build`") from None
    if size != file.bytes or digest.hexdigest() != file.sha256:
        raise PublishError(
            f"{source} does not match {MANIFEST} (size or sha256 differs): it changed after "
            "the build; run `newscorpus build`"
        )


def iter_lines(paths: list[Path]) -> Iterator[bytes]:
    """Every line of the given JSONL files, in order."""
    for path in paths:
        with open(path, "rb") as handle:
            yield from handle
