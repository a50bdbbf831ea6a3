"""The files at the repository root that are generated from the corpus manifest and the schema.

``derived_files`` is what ``newscorpus build`` writes next to the corpus and what ``build
--check`` compares. It is a pure function of the manifest, the record schema, the release date
and the hand-written README text: it never reads the data files (during a build they are still
in the staging folder, and the manifest already holds their sizes and hashes) and never the
clock, so the same corpus always gives the same bytes. It needs only the core dependencies.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from newscorpus.corpus import Manifest
from newscorpus.publish import metadata as meta
from newscorpus.publish.card import field_table, license_text, with_field_table
from newscorpus.publish.croissant import croissant_document
from newscorpus.publish.datapackage import datapackage_descriptor
from newscorpus.publish.fields import Field, record_fields
from newscorpus.publish.frontmatter import Config, front_matter, split_front_matter
from newscorpus.schemas import load_record_schema
from newscorpus.versions import release_date

README = "README.md"
DATAPACKAGE = "datapackage.json"
CROISSANT = "croissant.json"

# The repository root is a dataset with one configuration: the JSONL shards.
ROOT_CONFIGS = (Config("default", f"{meta.CORPUS_DIR}/data/*.jsonl"),)


def derived_files(repo_root: Path, manifest: Manifest) -> dict[Path, bytes]:
    """``{absolute path: bytes}`` of README.md, LICENSE.md, datapackage.json, croissant.json.

    The README keeps its text; only its front matter and its field table are regenerated.
    """
    fields = manifest_fields(manifest)
    released = release_date(repo_root / meta.CORPUS_DIR, manifest.corpus_version)
    readme = repo_root / README
    current = readme.read_text(encoding="utf-8") if readme.is_file() else f"# {meta.NAME}\n"
    text = render_readme(current, fields, manifest, ROOT_CONFIGS)
    files = {readme: with_version_block(text, manifest, released).encode()}
    for name, data in metadata_files(fields, manifest, released).items():
        files[repo_root / name] = data
    return files


def metadata_files(
    fields: tuple[Field, ...], manifest: Manifest, released: str | None
) -> dict[str, bytes]:
    """The descriptions that sit beside ``corpus/`` wherever it is published (root, hf, zip)."""
    return {
        meta.LICENSE_FILE: license_text().encode(),
        DATAPACKAGE: to_json(datapackage_descriptor(fields, manifest, released)),
        CROISSANT: to_json(croissant_document(fields, manifest, released)),
    }


def manifest_fields(manifest: Manifest) -> tuple[Field, ...]:
    """The record fields of the schema version the corpus was built with."""
    return record_fields(load_record_schema(manifest.schema_version))


def render_readme(
    text: str, fields: tuple[Field, ...], manifest: Manifest, configs: tuple[Config, ...]
) -> str:
    """``text`` with fresh front matter at the top and a fresh field table in its markers."""
    _, body = split_front_matter(text)
    body = with_field_table(body.lstrip("\n"), field_table(fields))
    return f"{front_matter(fields, manifest, configs)}\n{body}"


def to_json(document: object) -> bytes:
    """Stable JSON bytes: two-space indent, keys in insertion order, UTF-8, final newline."""
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


VERSION_START = "<!-- version:start -->"
VERSION_END = "<!-- version:end -->"


def with_version_block(readme: str, manifest: Manifest, released: str | None) -> str:
    """Fill the README's version block (between its markers, when it has them)."""
    start, end = readme.find(VERSION_START), readme.find(VERSION_END)
    if start < 0 or end < start:
        return readme
    if released is None:
        body = (
            f"The corpus has not been released yet: it holds {manifest.records} record(s) "
            "that no release describes."
        )
    else:
        body = (
            f"This is **newscorpus {manifest.corpus_version}**, released {released}: "
            f"{manifest.records} record(s), record schema {manifest.schema_version}. "
            f"Its git tag is `v{manifest.corpus_version}`."
        )
    return f"{readme[:start]}{VERSION_START}\n{body}\n{readme[end:]}"
