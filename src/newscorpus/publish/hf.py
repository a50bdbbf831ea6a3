"""``hf/``: a self-contained Hugging Face dataset repository for one corpus version.

It mirrors the repository's published layout, so the same descriptions stay valid inside it::

    README.md               generated card: front matter (config: the Parquet), then the card
    LICENSE.md, datapackage.json, croissant.json
    corpus/manifest.json    corpus/data/shard-*.jsonl  (the exact build output, checked)
    parquet/train-*.parquet the same records, typed
    schema/record-<v>.schema.json

Its one config reads the Parquet copy: ``datasets`` picks one builder for all configs of a
folder from the first config's files, so a JSONL config and a Parquet config cannot live side
by side. Parquet loads faster and carries its types; the JSONL shards stay beside it as the
exact files that the manifest, ``datapackage.json`` and ``croissant.json`` pin by SHA-256.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

from newscorpus.corpus import MANIFEST, Manifest
from newscorpus.progress import progress
from newscorpus.publish import metadata as meta
from newscorpus.publish.card import hf_card
from newscorpus.publish.derived import README, manifest_fields, metadata_files
from newscorpus.publish.frontmatter import Config, front_matter
from newscorpus.publish.parquet import parquet_names, write_parquet
from newscorpus.publish.source import copy_checked, iter_lines
from newscorpus.schemas import schema_dir

PARQUET_DIR = "parquet"


def hf_configs(manifest: Manifest) -> tuple[Config, ...]:
    """The folder's one configuration: its Parquet files, each by name (never a glob, which
    would also read whatever else lies in the folder)."""
    return (Config("default", [f"{PARQUET_DIR}/{n}" for n in parquet_names(manifest.records)]),)


def write_hf_folder(
    corpus_dir: Path, manifest: Manifest, released: str | None, target: Path
) -> None:
    """Fill the empty folder ``target`` with the dataset repository of ``corpus_dir``."""
    copy_corpus(corpus_dir, manifest, target)
    derive_hf_folder(manifest, released, target)


def copy_corpus(corpus_dir: Path, manifest: Manifest, target: Path) -> None:
    """Copy the corpus's manifest and the data files it names into ``target/corpus``, checked:
    the only part of publishing that reads the corpus folder."""
    corpus = target / meta.CORPUS_DIR
    for file in manifest.files:  # the manifest's files, whatever else the data folder holds
        copy_checked(corpus_dir, file, corpus / file.path)
    shutil.copyfile(corpus_dir / MANIFEST, corpus / MANIFEST)


def derive_hf_folder(manifest: Manifest, released: str | None, target: Path) -> None:
    """Write the rest of the dataset repository beside the copy ``copy_corpus`` made."""
    fields = manifest_fields(manifest)
    shards = [target / meta.CORPUS_DIR / file.path for file in manifest.files]
    with progress(total=manifest.records, desc="publish", unit="record") as bar:
        write_parquet(
            _counted(iter_lines(shards), bar), fields, manifest.records, target / PARQUET_DIR
        )
    schema_name = f"record-{manifest.schema_version}.schema.json"
    (target / "schema").mkdir()
    shutil.copyfile(schema_dir() / schema_name, target / "schema" / schema_name)
    for name, data in metadata_files(fields, manifest, released).items():
        (target / name).write_bytes(data)
    front = front_matter(fields, manifest, hf_configs(manifest))
    card = hf_card(front, fields, manifest.corpus_version, released)
    (target / README).write_text(card, encoding="utf-8")


def _counted(lines: Iterator[bytes], bar: tqdm) -> Iterator[bytes]:
    for line in lines:
        bar.update()
        yield line
