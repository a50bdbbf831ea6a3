"""``<name>-<version>.zip``: the versioned data package download.

The archive holds ``datapackage.json`` at its top with the paths it names (``corpus/data/…``),
so ``frictionless validate`` accepts the zip itself. It is written byte for byte the same on
every run: entries in a fixed order, fixed timestamps and permissions, one compression level.
It holds the files the manifest names, never what a glob of the data folder finds, and its
archive comment marks it as publish's own (``owned``), so publish replaces no other zip.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from newscorpus.corpus import MANIFEST, Manifest
from newscorpus.owned import ZIP_COMMENT
from newscorpus.publish import metadata as meta
from newscorpus.publish.derived import CROISSANT, DATAPACKAGE, README

# 1980-01-01, the earliest time a zip entry can carry: the archive says nothing about when.
_EPOCH = (1980, 1, 1, 0, 0, 0)
_CHUNK = 1 << 20


def zip_name(version: str) -> str:
    return f"{meta.NAME}-{version}.zip"


Entry = tuple[str, Path | bytes]


def package_entries(folder: Path, readme: bytes, manifest: Manifest) -> list[Entry]:
    """The zip's members, taken from a published folder (all but its Parquet and HF card).

    ``readme`` replaces the folder's card, which describes a Parquet config the zip lacks.
    """
    entries: list[Entry] = [(README, readme)]
    names = [meta.LICENSE_FILE, DATAPACKAGE, CROISSANT]
    names.append(f"schema/record-{manifest.schema_version}.schema.json")
    names.append(f"{meta.CORPUS_DIR}/{MANIFEST}")
    names += [f"{meta.CORPUS_DIR}/{f.path}" for f in manifest.files]
    entries += [(name, folder / name) for name in names]
    return entries


def write_zip(entries: list[Entry], target: Path) -> None:
    """Write the entries (name in the archive, file or bytes) into the zip ``target``."""
    with zipfile.ZipFile(target, "w") as archive:
        archive.comment = ZIP_COMMENT
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the machine: attributes read the same
            info.external_attr = 0o100644 << 16
            if isinstance(content, bytes):
                archive.writestr(info, content)
                continue
            info.file_size = content.stat().st_size
            with open(content, "rb") as reader, archive.open(info, "w") as writer:
                shutil.copyfileobj(reader, writer, _CHUNK)
