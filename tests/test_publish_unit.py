"""The schema-to-target mapping and the generated documents, one piece at a time."""

from __future__ import annotations

import copy

import pytest
import yaml

from newscorpus.corpus import DataFile, Manifest
from newscorpus.publish.card import FIELDS_END, FIELDS_START, field_table, with_field_table
from newscorpus.publish.croissant import croissant_document
from newscorpus.publish.datapackage import datapackage_descriptor
from newscorpus.publish.features import feature_yaml, hf_features
from newscorpus.publish.fields import SchemaShapeError, record_fields
from newscorpus.publish.frontmatter import Config, front_matter, size_category
from newscorpus.publish.tableschema import table_schema
from newscorpus.schemas import load_record_schema

pytestmark = pytest.mark.publish

SCHEMA = load_record_schema()
FIELDS = record_fields(SCHEMA)
SHA = "ab" * 32


def _manifest(*sizes: int, version: str = "1.2.0") -> Manifest:
    files = [DataFile(f"data/shard-{i:x}.jsonl", 2, size, SHA) for i, size in enumerate(sizes)]
    return Manifest(version, "1.0.0", 2 * len(files), files)


def _by_name(items: list[dict], key: str = "name") -> dict[str, dict]:
    return {item[key]: item for item in items}


def test_fields_follow_the_schema_in_key_order() -> None:
    assert [f.name for f in FIELDS] == list(SCHEMA["properties"])
    by_name = {f.name: f for f in FIELDS}
    assert by_name["published"].kind == "date" and by_name["published"].nullable
    assert by_name["publisher"].kind == "string" and by_name["publisher"].nullable
    assert by_name["title"].nullable is False
    assert by_name["authors"].is_list and by_name["authors"].kind == "string"
    dropped = by_name["dropped_lines"]
    assert dropped.is_list and dropped.is_struct
    assert [c.name for c in dropped.children] == ["line", "reason", "text"]
    original = {c.name: c for c in by_name["corrections"].children}["original"]
    assert original.is_list and original.kind == "string"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("properties", "id", "type"), ["string", "integer"], "exactly one type"),
        (("properties", "authors", "items"), None, "one `items` schema"),
        (("properties", "word_count", "type"), "null", "exactly one type"),
        (("required",), ["id"], "not required"),
    ],
)
def test_constructs_no_target_can_carry_are_refused(
    path: tuple[str, ...], value: object, message: str
) -> None:
    schema = copy.deepcopy(SCHEMA)
    node = schema
    for key in path[:-1]:
        node = node[key]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    with pytest.raises(SchemaShapeError, match=message):
        record_fields(schema)


def test_feature_yaml_is_exactly_what_datasets_writes_for_the_features() -> None:
    features = hf_features(FIELDS)
    assert features._to_yaml_list() == feature_yaml(FIELDS)
    arrow = features.arrow_schema
    assert str(arrow.field("published").type) == "date32[day]"
    assert str(arrow.field("publisher").type) == "string"
    assert str(arrow.field("dropped_lines").type) == (
        "list<item: struct<line: int64, reason: string, text: string>>"
    )


def test_table_schema_keeps_what_table_schema_can_say() -> None:
    from frictionless import Schema

    descriptor = table_schema(FIELDS, "id")
    assert [f["name"] for f in descriptor["fields"]] == list(SCHEMA["properties"])
    assert descriptor["primaryKey"] == ["id"]
    fields = _by_name(descriptor["fields"])
    assert fields["id"]["constraints"] == {"required": True, "pattern": "[0-9a-f]{16}"}
    assert fields["published"]["type"] == "date"
    assert "required" not in fields["published"].get("constraints", {})
    assert fields["url"]["format"] == "uri"
    assert fields["schema_version"]["constraints"]["enum"] == ["1.0.0"]
    assert fields["topics"]["constraints"] == {"required": True, "maxLength": 50}
    assert fields["topics"]["arrayItem"]["constraints"]["maxLength"] == 100
    assert fields["paragraph_count"]["constraints"] == {"required": True, "minimum": 1}
    assert fields["dropped_lines"]["arrayItem"] == {"type": "object"}
    schema = Schema.from_descriptor(descriptor)
    assert schema.field_names == list(SCHEMA["properties"])
    assert schema.get_field("published").type == "date"


def test_front_matter_quotes_config_names_and_declares_features() -> None:
    text = front_matter(FIELDS, _manifest(10), [Config("1.0", "corpus/data/*.jsonl")])
    assert text.startswith("---\n") and text.endswith("\n---\n")
    assert '- config_name: "1.0"\n' in text
    data = yaml.safe_load(text.strip("-\n"))
    config = data["configs"][0]
    assert config["config_name"] == "1.0"  # a string, not the float 1.0
    assert config["data_files"] == [{"split": "train", "path": "corpus/data/*.jsonl"}]
    assert data["dataset_info"]["features"] == feature_yaml(FIELDS)
    assert data["dataset_info"]["splits"] == [{"name": "train", "num_examples": 2}]
    assert data["license"] == "other" and data["license_link"] == "LICENSE.md"
    assert "&id" not in text and "*id" not in text


@pytest.mark.parametrize(
    ("records", "label"),
    [(0, "n<1K"), (999, "n<1K"), (1000, "1K<n<10K"), (250_000, "100K<n<1M")],
)
def test_size_category(records: int, label: str) -> None:
    assert size_category(records) == label


def test_field_table_lists_nested_fields_and_escapes_pipes() -> None:
    table = field_table(FIELDS)
    assert "| `dropped_lines[].line` | integer | no |" in table
    assert "| `corrections[].original` | list of string | no |" in table
    assert "| `published` | date (YYYY-MM-DD) | yes |" in table
    assert "`detected`, `sidecar`" in table
    assert all(line.count(" | ") - line.count("\\|") == 3 for line in table.splitlines())


def test_field_table_replaces_its_markers_or_adds_a_section() -> None:
    body = f"# T\n\nintro\n\n{FIELDS_START}\nold\n{FIELDS_END}\n\n## After\n"
    replaced = with_field_table(body, "NEW\n")
    assert "old" not in replaced and "NEW" in replaced and replaced.endswith("## After\n")
    assert with_field_table(replaced, "NEW\n") == replaced
    added = with_field_table("# T\n\nintro\n", "NEW\n")
    assert added.startswith("# T\n\nintro\n\n## Fields\n\n" + FIELDS_START)
    assert added.count(FIELDS_START) == 1


def test_one_shard_carries_its_hash_on_the_table_resource() -> None:
    descriptor = datapackage_descriptor(FIELDS, _manifest(120), "2025-01-15")
    (resource,) = descriptor["resources"]
    assert resource["path"] == "corpus/data/shard-0.jsonl"
    assert (resource["bytes"], resource["hash"]) == (120, f"sha256:{SHA}")
    assert descriptor["created"] == "2025-01-15T00:00:00Z"
    assert descriptor["version"] == "1.2.0" and descriptor["id"].endswith(":1.2.0")


def test_shards_are_one_table_plus_one_pin_each() -> None:
    descriptor = datapackage_descriptor(FIELDS, _manifest(100, 50), None)
    table, *pins = descriptor["resources"]
    assert table["path"] == ["corpus/data/shard-0.jsonl", "corpus/data/shard-1.jsonl"]
    assert table["bytes"] == 150 and "hash" not in table
    assert [(p["type"], p["bytes"], p["hash"]) for p in pins] == [
        ("file", 100, f"sha256:{SHA}"),
        ("file", 50, f"sha256:{SHA}"),
    ]
    assert "created" not in descriptor
    assert {"creator", "maintainer"} <= set(descriptor["contributors"][0]["roles"])


def test_croissant_fields_mirror_the_schema() -> None:
    document = croissant_document(FIELDS, _manifest(100, 50), None)
    assert "datePublished" not in document
    files = [d for d in document["distribution"] if d["@type"] == "cr:FileObject"]
    assert [(f["contentUrl"], f["sha256"]) for f in files] == [
        ("corpus/data/shard-0.jsonl", SHA),
        ("corpus/data/shard-1.jsonl", SHA),
    ]
    fields = _by_name(document["recordSet"][0]["field"])
    assert list(fields) == list(SCHEMA["properties"])
    assert fields["published"]["dataType"] == "sc:Date"
    assert fields["authors"]["isArray"] is True
    line = _by_name(fields["dropped_lines"]["subField"])["line"]
    assert line["source"]["extract"] == {"column": "dropped_lines"}
    assert line["source"]["transform"] == {"jsonPath": "line"}
    assert line["dataType"] == "sc:Integer"
    assert croissant_document(FIELDS, _manifest(1), "2025-01-15")["datePublished"] == "2025-01-15"
    rai = [key for key in document if key.startswith("rai:")]
    assert len(rai) >= 3 and all(document[key] for key in rai)
