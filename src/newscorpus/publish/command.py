"""``newscorpus publish``: the Hugging Face folder and the data package zip, then maybe a push.

``publish --out DIR`` writes ``DIR/hf/`` (a dataset repository) and ``DIR/<name>-<version>.zip``
(the data package). Both are first written beside their final place and swapped in only when
complete, and ``hf/`` is swapped in by one atomic exchange of names, so a publish killed at
any moment leaves the previous output or the new one; the next publish removes what a killed
one left. One publish at a time writes into DIR (its lock, ``DIR/.newscorpus.lock``), and it
reads the corpus under the corpus's own lock, so no build replaces the files it copies.
Publish owns only what it wrote: ``hf/`` is replaced whole, so a publish whose ``hf/`` holds a
file it did not write (its list, ``.newscorpus-published.json`` beside ``hf/``, says which it
wrote) refuses before writing anything, and so does one that would replace a zip publish did
not write.
``--push ORG/NAME`` then mirrors ``hf/`` to the Hub and tags the version; ``--dry-run`` lists
what would be sent and sends nothing. Exit codes follow ``build``: 1 for a corpus that cannot
be published as it stands, or an output in the way (with what to do), 2 for usage errors.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import orjson

from newscorpus import owned
from newscorpus.corpus import Manifest, remove_temporaries, write_file
from newscorpus.excerpt import printable
from newscorpus.lock import corpus_lock
from newscorpus.oserrors import writing
from newscorpus.publish import swap
from newscorpus.publish.source import PublishError, load_manifest
from newscorpus.versions import release_date
from newscorpus.workspace import ConfigError, default_corpus

_DIR = click.Path(file_okay=False, path_type=Path)
_EXISTING_DIR = click.Path(exists=True, file_okay=False, path_type=Path)
HF_DIR = "hf"
PUBLISH = "newscorpus publish"
EXTRA = "publishing needs the `publish` extra: python -m pip install 'newscorpus[publish]'"


@click.command()
@click.option(
    "--corpus",
    "corpus_dir",
    type=_EXISTING_DIR,
    default=None,
    help="Corpus folder to publish [default: the one newscorpus.toml names, else ./corpus].",
)
@click.option(
    "--out",
    type=_DIR,
    required=True,
    help="Folder for hf/ and the release zip. hf/ is replaced whole: publish refuses (exit 1, "
    "naming them) if it holds files publish did not write, and replaces no zip it did not "
    "write.",
)
@click.option("--push", "repo_id", metavar="ORG/NAME", default=None, help="Push hf/ to the Hub.")
@click.option("--dry-run", is_flag=True, help="With --push: list what would be sent; send nothing.")
def publish(corpus_dir: Path | None, out: Path, repo_id: str | None, dry_run: bool) -> None:
    """Write the Hugging Face dataset folder and the data package zip of the corpus.

    Everything it writes is inside --out: DIR/hf/, DIR/<name>-<version>.zip and the list of
    the files it wrote in hf/, DIR/.newscorpus-published.json."""
    if dry_run and not repo_id:
        raise click.UsageError("--dry-run only applies to --push ORG/NAME")
    try:
        corpus_dir = (corpus_dir or default_corpus()).resolve()
    except ConfigError as error:
        click.echo(f"newscorpus: {printable(str(error))}", err=True)
        sys.exit(2)
    out = out.resolve()
    hf = out / HF_DIR
    if _within(out, corpus_dir) or _within(corpus_dir, hf):
        raise click.UsageError(
            f"--out {printable(str(out))} overlaps the corpus folder {printable(str(corpus_dir))}: "
            "publish to a folder of its own"
        )
    try:
        _publish(corpus_dir, out, repo_id, dry_run)
    except PublishError as error:
        click.echo(f"publish: {printable(str(error))}", err=True)
        sys.exit(1)


def _publish(corpus_dir: Path, out: Path, repo_id: str | None, dry_run: bool) -> None:
    # A first look, unlocked: what can be refused is refused before anything is written (the
    # manifest is replaced by one rename, so it reads whole even while a build runs).
    manifest = load_manifest(corpus_dir)
    token = os.environ.get("HF_TOKEN")
    if repo_id:  # a push that must fail fails before anything is written
        _check_push(corpus_dir, manifest, repo_id, token, dry_run)
    try:  # the features become an Arrow schema for the Parquet copy
        import datasets  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        raise click.UsageError(EXTRA) from None
    from newscorpus.publish.bundle import zip_name

    _check_owned(out, out / zip_name(manifest.corpus_version))
    out.mkdir(parents=True, exist_ok=True)
    # One publish at a time writes into --out; it reads the corpus under the corpus's lock,
    # so no build replaces the data files it copies. The --out lock comes first, and the
    # corpus's is let go as soon as its files are copied.
    with corpus_lock(out, PUBLISH), contextlib.ExitStack() as reading:
        reading.enter_context(_reading_lock(corpus_dir))
        first = manifest.corpus_version
        manifest = load_manifest(corpus_dir)  # what a build committed meanwhile
        if repo_id and manifest.corpus_version != first:
            _check_push(corpus_dir, manifest, repo_id, token, dry_run)
        released = release_date(corpus_dir, manifest.corpus_version)
        archive = out / zip_name(manifest.corpus_version)
        _recover(out)
        before = _check_owned(out, archive)

        def fill(staging: Path) -> None:
            from newscorpus.publish.hf import copy_corpus, derive_hf_folder

            copy_corpus(corpus_dir, manifest, staging)
            reading.close()  # the corpus is read: a build may go on
            derive_hf_folder(manifest, released, staging)

        _replace_hf(out, before, fill)
        reading.close()
        _write_package(out, archive, manifest, released)
        click.echo(
            f"published corpus {manifest.corpus_version} ({manifest.records} record(s)): "
            f"{out / HF_DIR} and {archive}"
        )
        if repo_id:
            _push(out / HF_DIR, repo_id, manifest.corpus_version, released, token, dry_run)


def _check_push(
    corpus_dir: Path, manifest: Manifest, repo_id: str, token: str | None, dry_run: bool
) -> None:
    from newscorpus.publish.push import check_target

    check_target(
        repo_id, manifest.corpus_version, release_date(corpus_dir, manifest.corpus_version)
    )
    if not (dry_run or token):
        raise PublishError("set HF_TOKEN to a Hugging Face token with write access to push")


@contextlib.contextmanager
def _reading_lock(corpus_dir: Path) -> Iterator[None]:
    """The corpus's lock, held while publish reads it. A corpus whose lock file cannot be
    made (a read-only or someone else's folder) is read without it: what publish copies is
    checked against the manifest byte for byte, so a build there could fail it, never
    corrupt it."""
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(corpus_lock(corpus_dir, PUBLISH))
        except OSError as error:
            if error.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise
        yield


def _write_package(out: Path, archive: Path, manifest: Manifest, released: str | None) -> None:
    """The zip, from the published folder, swapped in by one rename."""
    from newscorpus.publish.bundle import package_entries, write_zip
    from newscorpus.publish.card import package_card
    from newscorpus.publish.derived import manifest_fields

    readme = package_card(manifest_fields(manifest), manifest.corpus_version, released)
    with writing(archive, instead=True), _staged_file(archive) as temporary:
        write_zip(package_entries(out / HF_DIR, readme.encode(), manifest), temporary)


def _push(
    folder: Path, repo_id: str, version: str, released: str | None, token: str | None, dry_run: bool
) -> None:
    from newscorpus.publish.push import plan_upload, push

    plan = plan_upload(folder, repo_id, version, released)
    if dry_run:
        click.echo(plan.describe(), nl=False)
        return
    from huggingface_hub import HfApi

    try:
        url = push(plan, HfApi(token=token))
    except PublishError:
        raise
    except Exception as error:  # network, auth, offline mode: a message, not a traceback
        raise PublishError(f"the push failed: {type(error).__name__}: {error}") from None
    click.echo(f"pushed {repo_id} and tagged {version}: {url}")


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _check_owned(out: Path, archive: Path) -> set[str]:
    """Refuse, before anything is written, to replace what publish did not write; return the
    files of ``hf/`` that its list says it wrote."""
    listing = out / owned.PUBLISHED_LIST
    if listing.exists() or listing.is_symlink():
        mine = owned.published_files(out)
        if mine is None or listing.is_symlink():
            raise PublishError(
                f"{listing} is not the file list publish writes: move it away, or "
                "publish to another --out"
            )
    else:
        mine = set()
    foreign = owned.foreign_in_folder(out / HF_DIR, mine)
    if foreign:
        more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        names = ", ".join(map(printable, foreign[:5])) + more
        raise PublishError(
            f"{out / HF_DIR} holds files that publish did not write ({names}); publish "
            "replaces that folder whole: move them elsewhere, or publish to another --out"
        )
    if (archive.exists() or archive.is_symlink()) and (
        archive.is_symlink() or not owned.is_published_zip(archive)
    ):
        raise PublishError(
            f"{archive} is in the way and was not written by publish: move it away, or "
            "publish to another --out"
        )
    return mine


# The folders a publish makes beside hf/: its staging folder and, where the two names cannot
# be exchanged in one step, the name the old hf/ moves to for a moment.
_LEFTOVER = re.compile(r"\.hf-(old-)?[0-9a-f]{12}")
_ZIP_TEMPORARY = re.compile(r"\.newscorpus-.+\.zip\.[0-9a-f]{12}")


def _replace_hf(out: Path, before: set[str], fill: Callable[[Path], None]) -> None:
    """Write a new ``hf/`` beside the old one (``fill`` fills it) and swap it in.

    The list of what publish wrote names these folders (``pending``) before they exist, so
    that a later publish knows them for its own: a killed publish's folders are removed by
    the next one, and an ``hf/`` caught between two renames is put back."""
    listing, target = out / owned.PUBLISHED_LIST, out / HF_DIR
    staging = out / f".{HF_DIR}-{secrets.token_hex(6)}"
    old = out / f".{HF_DIR}-old-{secrets.token_hex(6)}"
    pending = [staging.name, old.name]
    write_file(listing, _listing(before, pending))
    try:
        with writing(target):  # an error names the file of hf/, never the staging folder
            staging.mkdir()  # with the umask's mode, as the published folder's must be
            try:
                fill(staging)
            except OSError as error:
                name = error.filename
                if isinstance(name, str) and Path(name).is_relative_to(staging):
                    error.filename = os.fspath(target / Path(name).relative_to(staging))
                raise
        written = {p.relative_to(staging).as_posix() for p in staging.rglob("*") if not p.is_dir()}
        # Until the swap either folder may be the live one: the list names the files of both.
        write_file(listing, _listing(before | written, pending))
        if not target.exists():
            staging.rename(target)
        elif not swap.exchange(staging, target):  # no atomic exchange here: two renames
            target.rename(old)
            staging.rename(target)
    except BaseException:
        if not target.exists() and old.is_dir():
            old.rename(target)  # stopped between the two renames: the old folder goes back
        _remove(staging, old)
        with contextlib.suppress(OSError):  # the old hf/ is live: the list is the old one
            write_file(listing, _listing(before, []))
        raise
    _remove(staging, old)  # after an exchange, the staging name holds the old hf/
    write_file(listing, _listing(written, []))


def _remove(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _listing(files: set[str], pending: list[str]) -> bytes:
    document = orjson.loads(owned.published_list(files))
    if pending:
        document["pending"] = pending
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def _recover(out: Path) -> None:
    """Finish what a killed publish left in ``out`` (the caller holds its lock): an ``hf/``
    moved away and not replaced is put back, and its staging folders and temporaries are
    removed. Only what publish's list names, or its own temporaries, is touched."""
    try:
        document = orjson.loads((out / owned.PUBLISHED_LIST).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        document = None
    pending = document.get("pending") if isinstance(document, dict) else None
    names = [
        name
        for name in (pending if isinstance(pending, list) else [])
        if isinstance(name, str) and _LEFTOVER.fullmatch(name)
    ]
    folders = [
        out / name for name in names if (out / name).is_dir() and not (out / name).is_symlink()
    ]
    target = out / HF_DIR
    moved = [folder for folder in folders if folder.name.startswith(f".{HF_DIR}-old-")]
    if not (target.exists() or target.is_symlink()) and len(moved) == 1:
        moved[0].rename(target)
        folders.remove(moved[0])
    for folder in folders:
        shutil.rmtree(folder)
    remove_temporaries([out / owned.PUBLISHED_LIST])
    for entry in os.scandir(out):
        if _ZIP_TEMPORARY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            os.unlink(entry.path)


@contextlib.contextmanager
def _staged_file(target: Path) -> Iterator[Path]:
    """A temporary file beside ``target`` that replaces it only if the block completes (with
    the umask's mode)."""
    fd, name = owned.new_file(target.parent, f".{target.name}.")
    os.close(fd)
    try:
        yield name
        os.replace(name, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
