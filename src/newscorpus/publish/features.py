"""Hugging Face features from the record fields: the card's YAML and the ``Features`` object.

``load_dataset`` infers types from the first rows unless the card declares them, and inference
turns ISO dates into timestamps and fails on a column that is null first and a string later
(see ``shared/NOTES.md``). Declaring every feature, with ``published`` as ``date32``, makes the
load exact. The YAML form is written without ``datasets`` (the lean install builds the card);
``hf_features`` builds the same features as ``datasets.Features`` for code that has the extra;
a test checks that ``datasets`` writes exactly this YAML for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from newscorpus.publish.fields import Field

if TYPE_CHECKING:
    import datasets
    import pyarrow

DTYPES = {
    "string": "string",
    "integer": "int64",
    "number": "float64",
    "boolean": "bool",
    "date": "date32",
}


def feature_yaml(fields: Sequence[Field]) -> list[dict[str, Any]]:
    """``dataset_info.features`` as the card holds it (the form ``datasets`` writes itself).

    Nullable strings are plain ``string`` (Arrow columns are always nullable); a list of
    objects is ``list:`` of named sub-features, which loads as a list of structs.
    """
    return [_feature(f) for f in fields]


def _feature(field: Field) -> dict[str, Any]:
    if field.is_struct:
        inner: Any = feature_yaml(field.children)
        return {"name": field.name, "list" if field.is_list else "struct": inner}
    assert field.kind is not None
    if field.is_list:
        return {"name": field.name, "list": DTYPES[field.kind]}
    return {"name": field.name, "dtype": DTYPES[field.kind]}


def hf_features(fields: Sequence[Field]) -> datasets.Features:
    """The same features as a ``datasets.Features`` (needs the ``publish`` extra)."""
    from datasets import Features

    return Features({f.name: _hf_feature(f) for f in fields})


def _hf_feature(field: Field) -> Any:
    from datasets import Value

    if field.is_struct:
        inner: Any = {c.name: _hf_feature(c) for c in field.children}
    else:
        assert field.kind is not None
        inner = Value(DTYPES[field.kind])
    # A one-item Python list is the list feature in every `datasets` since 2.x.
    return [inner] if field.is_list else inner


def arrow_schema(fields: Sequence[Field]) -> pyarrow.Schema:
    """The Arrow schema of the features, with the Hugging Face metadata that names them."""
    return hf_features(fields).arrow_schema
