"""``newscorpus publish``: the Hugging Face folder and the data package zip, then maybe a push.

``publish --out DIR`` writes ``DIR/hf/`` (a dataset repository) and ``DIR/<name>-<version>.zip``
(the data package). Both are first written beside their final place and swapped in only when
complete, so an interrupted publish leaves the previous output intact. ``--push ORG/NAME``
then mirrors ``hf/`` to the Hub and tags the version; ``--dry-run`` lists what would be sent and
sends nothing. Exit codes follow ``build``: 1 for a corpus that cannot be published as it
stands (with what to do), 2 for usage errors.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import click

from newscorpus.publish import metadata as meta
from newscorpus.publish.source import PublishError, load_manifest
from newscorpus.versions import release_date
from newscorpus.workspace import find_root

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
    help="Corpus folder to publish [default: corpus/ of the repository].",
)
@click.option("--out", type=_DIR, required=True, help="Folder for hf/ and the release zip.")
@click.option("--push", "repo_id", metavar="ORG/NAME", default=None, help="Push hf/ to the Hub.")
@click.option("--dry-run", is_flag=True, help="With --push: list what would be sent; send nothing.")
def publish(corpus_dir: Path | None, out: Path, repo_id: str | None, dry_run: bool) -> None:
    """Write the Hugging Face dataset folder and the data package zip of the corpus."""
    if dry_run and not repo_id:
        raise click.UsageError("--dry-run only applies to --push ORG/NAME")
    corpus_dir = (corpus_dir or find_root() / meta.CORPUS_DIR).resolve()
    out = out.resolve()
    try:
        _publish(corpus_dir, out, repo_id, dry_run)
    except PublishError as error:
        click.echo(f"publish: {error}", err=True)
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

    out.mkdir(parents=True, exist_ok=True)
    with _staged(out / HF_DIR) as staging:
        write_hf_folder(corpus_dir, manifest, released, staging)
    readme = package_card(manifest_fields(manifest), manifest.corpus_version, released)
    archive = out / zip_name(manifest.corpus_version)
    with _staged_file(archive) as temporary:
        write_zip(package_entries(out / HF_DIR, readme.encode()), temporary)
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


@contextlib.contextmanager
def _staged(target: Path) -> Iterator[Path]:
    """A fresh folder beside ``target`` that replaces it only if the block completes."""
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        yield staging
        staging.chmod(0o755)  # mkdtemp makes it private; the published folder is not
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _staged_file(target: Path) -> Iterator[Path]:
    """A temporary file beside ``target`` that replaces it only if the block completes."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        yield Path(name)
        os.chmod(name, 0o644)  # mkstemp makes it private; the published file is not
        os.replace(name, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
