"""``newscorpus publish``: the Hugging Face folder and the data package zip, then maybe a push.

``publish --out DIR`` writes ``DIR/hf/`` (a dataset repository) and ``DIR/<name>-<version>.zip``
(the data package). Both are first written beside their final place and swapped in only when
complete, so an interrupted publish leaves the previous output intact. Publish owns only what
it wrote: ``hf/`` is replaced whole, so a publish whose ``hf/`` holds a file it did not write
(its list, ``.newscorpus-published.json`` beside ``hf/``, says which it wrote) refuses before
writing anything, and so does one that would replace a zip publish did not write.
``--push ORG/NAME`` then mirrors ``hf/`` to the Hub and tags the version; ``--dry-run`` lists
what would be sent and sends nothing. Exit codes follow ``build``: 1 for a corpus that cannot
be published as it stands, or an output in the way (with what to do), 2 for usage errors.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from newscorpus import owned
from newscorpus.corpus import write_file
from newscorpus.excerpt import printable
from newscorpus.publish.source import PublishError, load_manifest
from newscorpus.versions import release_date
from newscorpus.workspace import ConfigError, default_corpus

_DIR = click.Path(file_okay=False, path_type=Path)
_EXISTING_DIR = click.Path(exists=True, file_okay=False, path_type=Path)
HF_DIR = "hf"
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
    manifest = load_manifest(corpus_dir)
    released = release_date(corpus_dir, manifest.corpus_version)
    token = os.environ.get("HF_TOKEN")
    if repo_id:  # a push that must fail fails before anything is written
        from newscorpus.publish.push import check_target

        check_target(repo_id, manifest.corpus_version, released)
        if not (dry_run or token):
            raise PublishError("set HF_TOKEN to a Hugging Face token with write access to push")
    try:  # the features become an Arrow schema for the Parquet copy
        import datasets  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        raise click.UsageError(EXTRA) from None
    from newscorpus.publish.bundle import package_entries, write_zip, zip_name
    from newscorpus.publish.card import package_card
    from newscorpus.publish.derived import manifest_fields
    from newscorpus.publish.hf import write_hf_folder

    archive = out / zip_name(manifest.corpus_version)
    before = _check_owned(out, archive)
    out.mkdir(parents=True, exist_ok=True)
    listing = out / owned.PUBLISHED_LIST
    with _staged(out / HF_DIR) as staging:
        write_hf_folder(corpus_dir, manifest, released, staging)
        written = {p.relative_to(staging).as_posix() for p in staging.rglob("*") if not p.is_dir()}
        # Until the swap either folder may be the live one: the list names the files of both.
        write_file(listing, owned.published_list(before | written))
    write_file(listing, owned.published_list(written))
    readme = package_card(manifest_fields(manifest), manifest.corpus_version, released)
    with _staged_file(archive) as temporary:
        write_zip(package_entries(out / HF_DIR, readme.encode(), manifest), temporary)
    click.echo(
        f"published corpus {manifest.corpus_version} ({manifest.records} record(s)): "
        f"{out / HF_DIR} and {archive}"
    )
    if repo_id:
        _push(out / HF_DIR, repo_id, manifest.corpus_version, released, token, dry_run)


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


@contextlib.contextmanager
def _staged(target: Path) -> Iterator[Path]:
    """A fresh folder beside ``target`` that replaces it only if the block completes (its mode
    is the umask's, as the published folder's must be)."""
    staging = owned.new_folder(target.parent, f".{target.name}-")
    try:
        yield staging
        # a name of its own (an empty folder, which the rename replaces): never one that a
        # stopped publish left behind
        old = owned.new_folder(target.parent, f".{target.name}-old-")
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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
