"""Dataset cards: the field table, the repository README's generated parts, the ``hf/`` card.

The repository's ``README.md`` is written by people; only two parts of it are generated and
replaced on every build: the YAML front matter at the top and the field table between
``<!-- fields:start -->`` and ``<!-- fields:end -->``. The card of the published ``hf/`` folder
is generated whole, from the same sections (``card_sections``) and the same field table, so the
Hub shows what the repository says.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence

from newscorpus.publish import metadata as meta
from newscorpus.publish.fields import Field

FIELDS_START = "<!-- fields:start -->"
FIELDS_END = "<!-- fields:end -->"
WIDTH = 96


def field_table(fields: Sequence[Field]) -> str:
    """The Markdown table of every field, nested fields as ``parent[].child`` rows."""
    rows = ["| Field | Type | Null | Description |", "| --- | --- | --- | --- |"]
    rows.extend(_rows(fields, ""))
    return "\n".join(rows) + "\n"


def _rows(fields: Sequence[Field], prefix: str) -> Iterator[str]:
    for field in fields:
        name = f"{prefix}{field.name}"
        null = "yes" if field.nullable else "no"
        yield f"| `{name}` | {_type(field)} | {null} | {_cell(field.description)} |"
        if field.children:
            yield from _rows(field.children, f"{name}[]." if field.is_list else f"{name}.")


def _type(field: Field) -> str:
    if field.is_struct:
        base = "object"
    else:
        assert field.kind is not None
        base = "date (YYYY-MM-DD)" if field.kind == "date" else field.kind
        values = field.item_constraints if field.is_list else field.constraints
        choices = values.get("enum") or ([values["const"]] if "const" in values else None)
        if choices:
            base += ": " + ", ".join(f"`{c}`" for c in choices)
    return f"list of {base}" if field.is_list else base


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _para(text: str) -> str:
    """One paragraph wrapped for reading in a text editor (Markdown joins the lines again)."""
    return textwrap.fill(text, WIDTH, break_long_words=False, break_on_hyphens=False)


def with_field_table(body: str, table: str) -> str:
    """``body`` with the table between the markers; a "Fields" section is added if missing."""
    block = f"{FIELDS_START}\n\n{table}\n{FIELDS_END}"
    start, end = body.find(FIELDS_START), body.find(FIELDS_END)
    if start != -1 and end > start:
        return body[:start] + block + body[end + len(FIELDS_END) :]
    return body.rstrip("\n") + f"\n\n## Fields\n\n{block}\n"


def card_sections(
    fields: Sequence[Field], version: str | None = None, released: str | None = None
) -> str:
    """The human sections of the card, in the order of the Hugging Face card template.

    The field table sits between its markers so that builds keep it current in place. With
    no ``version`` (the repository README, written once by hand) the citation is a template.
    """
    table = f"{FIELDS_START}\n\n{field_table(fields)}\n{FIELDS_END}"
    if version is None:
        cite = (
            "Cite the version you used (its number is in `corpus/manifest.json`; the release "
            "tag has\nthe same name). For version X.Y.Z:"
        )
        bibtex = meta.bibtex("X.Y.Z", None)
    else:
        cite = f"This is version {version}; cite it as:"
        bibtex = meta.bibtex(version, released)
    return f"""## Dataset summary

{_para(meta.SUMMARY)}

Each record carries its own `language` (BCP 47), detected offline or set by the contributor;
the languages of a version are listed in `corpus/manifest.json` and in the card's metadata.

## Dataset structure

All records are in one split, `{meta.SPLIT}`, in id order. Every field is present in every
record, always of one type; unknown values are null (or an empty list), never guessed. The
JSON Schema in `schema/` is the contract; the table below is generated from it.

{table}

`published` is a calendar date: `load_dataset` returns a `datetime.date`, and its ISO form is
exactly the text in the JSONL. The corpus version is in `corpus/manifest.json`, which also pins
every data file by size and SHA-256; `datapackage.json` (Frictionless) and `croissant.json`
(Croissant 1.1) describe the same files.

## Dataset creation

### Source data and collection

{_para(meta.DATA_COLLECTION)}

### Processing

{_para(meta.PREPROCESSING)}

### Missing values

{_para(meta.MISSING_DATA)}

### Annotations

None: beyond the contributors' optional sidecar metadata, nothing is labelled.

### Personal and sensitive information

{_para(meta.PERSONAL_INFORMATION)}

## Bias, risks and limitations

{_para(meta.BIASES)}

{_para(meta.LIMITATIONS)}

### Intended uses

{_para(meta.USE_CASES)}

## Licensing

{_para(meta.RIGHTS)}

The card metadata says `license: other` for this reason; `{meta.LICENSE_FILE}` states the terms.

## Versions and maintenance

{_para(meta.MAINTENANCE)}

## Citation

{cite}

```bibtex
{bibtex}
```
"""


def hf_card(front: str, fields: Sequence[Field], version: str, released: str | None) -> str:
    """The whole README of the published ``hf/`` folder."""
    when = f", released {released}" if released else " (not yet released)"
    return f"""{front}
# {meta.TITLE}

Version {version}{when}.

```python
from datasets import load_dataset

records = load_dataset("<this dataset's id>", revision="{version}")
```

The dataset loads from the Parquet files under `parquet/`, typed as listed below. The JSONL
shards under `corpus/data/` hold the same records byte for byte as built: they are the files
that `corpus/manifest.json`, `datapackage.json` (Frictionless) and `croissant.json` (Croissant)
pin by SHA-256.

{card_sections(fields, version, released)}"""


def package_card(fields: Sequence[Field], version: str, released: str | None) -> str:
    """The README inside the data package zip: what the archive holds, then the card."""
    when = f", released {released}" if released else " (not yet released)"
    return f"""# {meta.TITLE}

Version {version}{when}: a Frictionless Data Package. `datapackage.json` describes the
records in `corpus/data/*.jsonl` (pinned by size and SHA-256, also in `corpus/manifest.json`);
`croissant.json` is the Croissant 1.1 description of the same files and `schema/` holds the
record's JSON Schema. Check the archive with `frictionless validate {meta.NAME}-{version}.zip`.

{card_sections(fields, version, released)}"""


def license_text() -> str:
    """``LICENSE.md``: the rights in the texts, and the MIT licence of everything else."""
    return f"""# Licence

## Article texts

{_para(meta.RIGHTS)}

## Metadata, schema and code: MIT

Copyright (c) {meta.CREATOR}

Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""
