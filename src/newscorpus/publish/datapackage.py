"""``datapackage.json``: the repository (and the release zip) as a Frictionless Data Package v2.

One table resource, ``records``, reads every shard as one table: its ``path`` lists the shards
in id order (a multipart resource), with the Table Schema generated from the record schema and
``primaryKey`` id. frictionless-py 5 streams the parts as one concatenated byte stream, so a
multipart resource's ``bytes`` is the sum of the shard sizes (known from the manifest) and its
``hash`` would be the SHA-256 of the concatenation, which the manifest does not hold and
``derived_files`` cannot compute (at build time the shards are still in the staging folder).

So the integrity pins are separate: each shard is also a ``file`` resource carrying its exact
``bytes`` and ``hash`` from the manifest. ``frictionless validate`` checks both the table and
every pin, and a changed data byte fails the pin of its shard. A corpus of one shard needs no
pins: the table resource carries that file's hash itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newscorpus.corpus import DataFile, Manifest
from newscorpus.publish import metadata as meta
from newscorpus.publish.fields import Field
from newscorpus.publish.tableschema import table_schema

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
MEDIATYPE = "application/jsonl"
TABLE = "records"


def datapackage_descriptor(
    fields: Sequence[Field], manifest: Manifest, released: str | None
) -> dict[str, Any]:
    """The descriptor; ``released`` is the release date (``created``) or None (omitted)."""
    descriptor: dict[str, Any] = {
        "$schema": PROFILE,
        "name": meta.NAME,
        "id": f"urn:{meta.NAME}:corpus:{manifest.corpus_version}",
        "title": meta.TITLE,
        "description": meta.SUMMARY,
        "version": manifest.corpus_version,
    }
    if released:
        descriptor["created"] = f"{released}T00:00:00Z"
    descriptor.update(
        {
            "keywords": list(meta.KEYWORDS),
            "licenses": [
                {"title": meta.LICENSE_TITLE, "path": meta.LICENSE_FILE},
                {
                    "name": meta.CODE_LICENSE_SPDX,
                    "title": "MIT License (metadata, schema and code only)",
                    "path": "https://opensource.org/license/mit",
                },
            ],
            "contributors": [{"title": meta.CREATOR, "roles": ["creator", "maintainer"]}],
            "sources": [
                {
                    "title": (
                        "News articles sent by contributors; each was first published by the "
                        "outlet its record names (publisher, url, copyright_holder)"
                    )
                }
            ],
            "resources": _resources(fields, manifest),
        }
    )
    return descriptor


def _resources(fields: Sequence[Field], manifest: Manifest) -> list[dict[str, Any]]:
    paths = [_path(f) for f in manifest.files]
    table: dict[str, Any] = {
        "name": TABLE,
        "type": "table",
        "title": "News article records",
        "description": (
            f"{manifest.records} record(s), one per article, in id order across "
            f"{len(paths)} JSONL file(s); schema version {manifest.schema_version}."
        ),
        "path": paths[0] if len(paths) == 1 else paths,
        "format": "jsonl",
        "mediatype": MEDIATYPE,
        "encoding": "utf-8",
        "bytes": sum(f.bytes for f in manifest.files),
    }
    if len(paths) == 1:
        table["hash"] = f"sha256:{manifest.files[0].sha256}"
    table["schema"] = table_schema(fields, meta.PRIMARY_KEY)
    if len(paths) == 1:
        return [table]
    return [table, *(_pin(f) for f in manifest.files)]


def _pin(file: DataFile) -> dict[str, Any]:
    return {
        "name": file.path.rsplit("/", 1)[-1].removesuffix(".jsonl"),
        "type": "file",
        "description": f"Integrity pin: the exact bytes of one part of `{TABLE}`.",
        "path": _path(file),
        "format": "jsonl",
        "mediatype": MEDIATYPE,
        "encoding": "utf-8",
        "bytes": file.bytes,
        "hash": f"sha256:{file.sha256}",
    }


def _path(file: DataFile) -> str:
    return f"{meta.CORPUS_DIR}/{file.path}"
