"""The YAML front matter of a dataset card: what ``load_dataset`` and the Hub read.

``configs`` name the data files explicitly (without them the loader guesses by the most common
file extension) and ``dataset_info`` declares the features and the record count, which
``load_dataset`` checks after loading. Config names are written quoted: an unquoted name such
as ``1.0`` would be read as a float and crash the loader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from newscorpus.corpus import Manifest
from newscorpus.publish import metadata as meta
from newscorpus.publish.features import feature_yaml
from newscorpus.publish.fields import Field

# The Hub's size buckets, upper bounds exclusive.
_SIZE_CATEGORIES = (
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
    (1_000_000_000, "100M<n<1B"),
)


@dataclass(frozen=True, slots=True)
class Config:
    """One loadable configuration: a name and its data files, listed one by one from the
    card's folder (a glob would also load files that no manifest names)."""

    name: str
    path: list[str]


class _Quoted(str):
    """A string PyYAML must write in double quotes."""


class _Dumper(yaml.SafeDumper):
    """Safe YAML without anchors: each config repeats its features in full, as the Hub expects."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_representer(
    _Quoted, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, '"')
)


def size_category(records: int) -> str:
    for bound, label in _SIZE_CATEGORIES:
        if records < bound:
            return label
    return "n>1B"


def front_matter(fields: Sequence[Field], manifest: Manifest, configs: Sequence[Config]) -> str:
    """The ``---``-delimited YAML block; the first config is the default."""
    features = feature_yaml(fields)
    splits = [{"name": meta.SPLIT, "num_examples": manifest.records}]
    infos = [
        {"config_name": _Quoted(c.name), "features": features, "splits": splits} for c in configs
    ]
    document: dict[str, Any] = {
        "pretty_name": meta.NAME,
        "license": "other",
        "license_name": meta.LICENSE_NAME,
        "license_link": meta.LICENSE_FILE,
        "language": meta.languages(manifest),
        "task_categories": list(meta.HF_TASK_CATEGORIES),
        "tags": list(meta.HF_TAGS),
        "size_categories": [size_category(manifest.records)],
        "annotations_creators": ["no-annotation"],
        "language_creators": ["found"],
        "source_datasets": ["original"],
        "configs": [
            {
                "config_name": _Quoted(c.name),
                **({"default": True} if index == 0 else {}),
                "data_files": [{"split": meta.SPLIT, "path": c.path}],
            }
            for index, c in enumerate(configs)
        ],
        "dataset_info": infos[0] if len(infos) == 1 else infos,
    }
    text = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{text}---\n"


def split_front_matter(text: str) -> tuple[str | None, str]:
    """``(front matter or None, the rest)`` of a Markdown document."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end != -1:
            return text[: end + 5], text[end + 5 :]
    return None, text
