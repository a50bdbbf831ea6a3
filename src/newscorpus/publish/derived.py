"""The files beside the corpus that are generated from its manifest and the schema.

``derived_files`` is what ``newscorpus build`` writes next to the corpus of a corpus repository
(the files its ``newscorpus.toml`` lists under ``generated``) and what ``build --check``
compares. It is a pure function of the manifest, the record schema, the release date and the
hand-written README text: it never reads the data files (during a build they are still in the
staging folder, and the manifest already holds their sizes and hashes) and never the clock, so
the same corpus always gives the same bytes. It needs only the core dependencies.

Every file it makes carries the generated-file marker of ``owned``; the README keeps the field
table markers that are its marker.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import orjson

from newscorpus.corpus import Manifest
from newscorpus.docs import RULES_DOC, rules_markdown
from newscorpus.owned import mark_json, markdown_marker
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
# What to edit instead of a generated description: they say what the code says of the corpus.
SOURCE = "the seeds or the corpus metadata (src/newscorpus/publish/metadata.py)"


def root_configs(manifest: Manifest) -> tuple[Config, ...]:
    """The repository root as a dataset: one configuration, the manifest's JSONL files.

    Each file is named: a glob would also read the files of a build that has not committed.
    """
    return (Config("default", [f"{meta.CORPUS_DIR}/{f.path}" for f in manifest.files]),)


# The descriptions of the corpus: what a folder needs beside corpus/ to be a dataset.
DESCRIPTIONS = (README, "LICENSE.md", DATAPACKAGE, CROISSANT)


def derived_files(
    repo_root: Path, manifest: Manifest, names: Iterable[str] = DESCRIPTIONS
) -> dict[Path, bytes]:
    """``{absolute path: bytes}`` of the generated files ``names`` (of ``workspace.GENERATED``;
    by default the descriptions, without the rules catalogue).

    The README keeps its text; only its front matter, its field table and its version block
    are regenerated.
    """
    names = set(names)
    fields = manifest_fields(manifest)
    released = release_date(repo_root / meta.CORPUS_DIR, manifest.corpus_version)
    files: dict[Path, bytes] = {}
    if README in names:
        readme = repo_root / README
        current = readme.read_text(encoding="utf-8") if readme.is_file() else f"# {meta.NAME}\n"
        text = render_readme(current, fields, manifest, root_configs(manifest))
        files[readme] = with_version_block(text, manifest, released).encode()
    for name, data in metadata_files(fields, manifest, released).items():
        if name in names:
            files[repo_root / name] = data
    if RULES_DOC in names:
        files[repo_root / RULES_DOC] = rules_markdown().encode("utf-8")
    return files


def metadata_files(
    fields: tuple[Field, ...], manifest: Manifest, released: str | None
) -> dict[str, bytes]:
    """The descriptions that sit beside ``corpus/`` wherever it is published (root, hf, zip)."""
    return {
        meta.LICENSE_FILE: f"{markdown_marker(SOURCE)}\n\n{license_text()}".encode(),
        DATAPACKAGE: to_json(mark_json(datapackage_descriptor(fields, manifest, released), SOURCE)),
        CROISSANT: to_json(mark_json(croissant_document(fields, manifest, released), SOURCE)),
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
