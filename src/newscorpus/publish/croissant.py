"""``croissant.json``: Croissant 1.1 JSON-LD metadata, fields from the record schema.

The layout mlcroissant can actually read (checked against mlcroissant 1.1): one ``FileSet``
whose ``includes`` names each JSONL shard of the manifest feeds the record set, and every
shard is also listed as a ``FileObject`` with its SHA-256 from the manifest. A ``FileSet``
``containedIn`` plain JSONL file objects yields no records in mlcroissant (that pattern is for
archives and git repositories), so the file objects pin integrity for consumers that download
files one by one, while the reader goes through the file set.

Lists are ``isArray`` fields; a list of objects is an ``isArray`` parent whose sub-fields pick
their key from each item with ``jsonPath``. Dates are ``sc:Date``.

Known reader limit: mlcroissant reads JSONL with ``pandas.read_json``, whose type inference runs
per file and turns a string column into numbers when every value in that file looks numeric. A
shard whose ids are all digits (possible only for a tiny shard: ids are hex) comes back with
``0123456789012345`` as ``123456789012345``. Nothing in the metadata can switch that off.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newscorpus.corpus import Manifest
from newscorpus.publish import metadata as meta
from newscorpus.publish.fields import Field

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
JSONL = "application/jsonlines"
RECORD_SET = "records"
FILE_SET = "jsonl-shards"

# The standard Croissant 1.1 @context (as in the specification's 1.1 examples).
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}

_DATA_TYPES = {
    "string": "sc:Text",
    "integer": "sc:Integer",
    "number": "sc:Float",
    "boolean": "sc:Boolean",
    "date": "sc:Date",
}


def croissant_document(
    fields: Sequence[Field], manifest: Manifest, released: str | None
) -> dict[str, Any]:
    """The whole JSON-LD document; ``released`` is the release date or None (then omitted)."""
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": meta.NAME,
        "description": meta.SUMMARY,
        "conformsTo": CONFORMS_TO,
        "version": manifest.corpus_version,
    }
    if released:
        document["datePublished"] = released
    document.update(
        {
            "citeAs": meta.bibtex(manifest.corpus_version, released),
            "creator": {"@type": "sc:Organization", "name": meta.CREATOR},
            "license": [
                {
                    "@type": "sc:CreativeWork",
                    "name": meta.LICENSE_TITLE,
                    "description": meta.RIGHTS,
                    "url": meta.LICENSE_FILE,
                }
            ],
            "inLanguage": meta.languages(manifest),
            "keywords": list(meta.KEYWORDS),
            "rai:dataCollection": meta.DATA_COLLECTION,
            "rai:dataCollectionType": [meta.DATA_COLLECTION_TYPE],
            "rai:dataCollectionRawData": meta.RAW_DATA,
            "rai:dataCollectionMissingData": meta.MISSING_DATA,
            "rai:dataPreprocessingProtocol": [meta.PREPROCESSING],
            "rai:personalSensitiveInformation": [meta.PERSONAL_INFORMATION],
            "rai:dataBiases": [meta.BIASES],
            "rai:dataLimitations": [meta.LIMITATIONS],
            "rai:dataUseCases": [meta.USE_CASES],
            "rai:dataReleaseMaintenancePlan": [meta.MAINTENANCE],
            "distribution": _distribution(manifest),
            "recordSet": [_record_set(fields)],
        }
    )
    return document


def _distribution(manifest: Manifest) -> list[dict[str, Any]]:
    files: list[dict[str, Any]] = [
        {
            "@type": "cr:FileObject",
            "@id": f"{meta.CORPUS_DIR}/{f.path}",
            "name": f.path.rsplit("/", 1)[-1],
            "description": f"{f.records} record(s) of the corpus, in id order.",
            "contentUrl": f"{meta.CORPUS_DIR}/{f.path}",
            "contentSize": f"{f.bytes} B",
            "encodingFormat": JSONL,
            "sha256": f.sha256,
        }
        for f in manifest.files
    ]
    files.append(
        {
            "@type": "cr:FileSet",
            "@id": FILE_SET,
            "name": FILE_SET,
            "description": "All JSONL shards; reading them in name order reads ids in order.",
            "encodingFormat": JSONL,
            # each file by name: a glob would also read a build's files before it commits
            "includes": [f"{meta.CORPUS_DIR}/{f.path}" for f in manifest.files],
        }
    )
    return files


def _record_set(fields: Sequence[Field]) -> dict[str, Any]:
    return {
        "@type": "cr:RecordSet",
        "@id": RECORD_SET,
        "name": RECORD_SET,
        "description": "One record per news article, as in the JSONL shards.",
        "key": {"@id": f"{RECORD_SET}/{meta.PRIMARY_KEY}"},
        "field": [_field(f, (f.name,)) for f in fields],
    }


def _field(field: Field, path: tuple[str, ...]) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": "/".join((RECORD_SET, *path)),
        "name": field.name,
    }
    if field.description:
        node["description"] = field.description
    if field.kind is not None:
        node["dataType"] = _DATA_TYPES[field.kind]
    if field.is_list:
        node["isArray"] = True
        node["arrayShape"] = "-1"
    if field.is_struct:
        node["subField"] = [_field(child, (*path, child.name)) for child in field.children]
        return node
    source: dict[str, Any] = {"fileSet": {"@id": FILE_SET}, "extract": {"column": path[0]}}
    if len(path) > 1:
        source["transform"] = {"jsonPath": ".".join(path[1:])}
    node["source"] = source
    return node
