"""The record: one article as the corpus stores it, and the pure function that makes it.

``make_record`` takes a seed's bytes and its sidecar's bytes and returns a ``Record`` or the
problems that stop it. It does no I/O and reads no globals beyond the bundled language model,
so it runs unchanged in a process pool, on another machine or on a distributed engine.

``Record`` and ``schema/record-<version>.schema.json`` describe the same thing; a test checks
that their fields agree, in order. The field order is the JSONL key order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from newscorpus.decode import decode_seed
from newscorpus.langid import UNDETERMINED, detect_languages
from newscorpus.markup import refuse_document
from newscorpus.normalise import (
    normalise_body,
    normalise_text,
    sha256_hex,
)
from newscorpus.parse import DroppedLine, parse_layout
from newscorpus.problems import Problem, SeedError
from newscorpus.schemas import current_schema_version
from newscorpus.seeds import SeedInput, seed_id
from newscorpus.sidecar import Correction, Sidecar, read_sidecar

DEFAULT_RIGHTS = (
    "Copyright in the article text remains with {holder}. It is included for non-commercial "
    "research and teaching only; no licence to the text is granted or implied."
)


@dataclass(frozen=True, slots=True)
class CorrectionLog:
    """A sidecar correction as applied: the field, both values as lists, and the reason."""

    field: str
    original: list[str]
    corrected: list[str]
    reason: str


@dataclass(frozen=True, slots=True)
class Record:
    """One article of the corpus. Every field is always present; unknown values are null."""

    schema_version: str
    id: str
    title: str
    publisher: str | None
    authors: list[str]
    byline: str | None
    published: str | None
    url: str | None
    language: str
    language_source: str
    topics: list[str]
    text: str
    paragraphs: list[str]
    paragraph_count: int
    word_count: int
    char_count: int
    text_sha256: str
    seed_file: str
    seed_sha256: str
    seed_encoding: str
    sidecar_file: str | None
    sidecar_sha256: str | None
    copyright_holder: str | None
    rights: str
    dropped_lines: list[DroppedLine]
    corrections: list[CorrectionLog]


def _apply_corrections(
    header: dict[str, object], corrections: tuple[Correction, ...], sidecar_name: str
) -> tuple[list[CorrectionLog], list[Problem]]:
    logs: list[CorrectionLog] = []
    problems: list[Problem] = []
    for index, correction in enumerate(corrections):
        wants_list = correction.field == "authors"
        if wants_list != isinstance(correction.value, list):
            kind = "a list of names" if wants_list else "a string"
            problems.append(
                Problem(
                    "NC-SIDE-007",
                    f"corrections/{index}: {correction.field} takes {kind}",
                    sidecar_name,
                    None,
                    ("corrections", index),
                )
            )
            continue
        value = (
            [normalise_text(v) for v in correction.value]
            if isinstance(correction.value, list)
            else normalise_text(correction.value)
        )
        if value == "" or (isinstance(value, list) and "" in value):
            # " " or a no-break space passes the sidecar schema and folds to nothing: say so
            # here, on the sidecar, not later as a record that breaks the schema.
            problems.append(
                Problem(
                    "NC-SIDE-003",
                    f"corrections/{index}/value: nothing is left once white space is folded; "
                    "give the corrected text",
                    sidecar_name,
                    None,
                    ("corrections", index, "value"),
                )
            )
            continue
        original = header[correction.field]
        if value == original:
            problems.append(
                Problem(
                    "NC-SIDE-007",
                    f"corrections/{index}: the {correction.field} already has this value",
                    sidecar_name,
                    None,
                    ("corrections", index),
                )
            )
            continue
        header[correction.field] = value
        logs.append(
            CorrectionLog(correction.field, _as_list(original), _as_list(value), correction.reason)
        )
    return logs, problems


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [str(value)]


def make_record(seed: SeedInput) -> Record | list[Problem]:
    """Turn one seed (and its sidecar) into a record, or say why it cannot be one."""
    return make_records([seed])[0]


def make_records(seeds: Sequence[SeedInput]) -> list[Record | list[Problem]]:
    """``make_record`` of each seed, the same records, with their languages detected together
    once every body is made (``detect_languages``: the model stays in the processor's cache,
    and a prediction costs half). Each seed is still its own pure function of its bytes."""
    made = [_undetected(seed) for seed in seeds]
    todo = [
        (i, m)
        for i, m in enumerate(made)
        if isinstance(m, Record) and m.language_source == "detected"
    ]
    languages = detect_languages([record.text for _, record in todo])
    for (i, record), language in zip(todo, languages, strict=True):
        made[i] = replace(record, language=language)
    return made


def _undetected(seed: SeedInput) -> Record | list[Problem]:
    """The record, its language still to be detected when the sidecar gives none."""
    record_id = seed_id(seed.name)
    if record_id is None:
        return [
            Problem("NC-SEED-001", "file name is not `<number>_<16 lowercase hex>.txt`", seed.name)
        ]
    sidecar = Sidecar()
    if seed.sidecar_data is not None and seed.sidecar_name is not None:
        loaded = read_sidecar(seed.sidecar_data, seed.sidecar_name)
        if isinstance(loaded, list):
            return loaded
        sidecar = loaded
    try:
        text, encoding = decode_seed(seed.data)
        refuse_document(text)
        layout = parse_layout(text)
    except SeedError as error:
        return [error.to_problem(seed.name)]

    paragraphs, body = normalise_body(layout.paragraphs)
    header: dict[str, object] = {
        "title": normalise_text(layout.title),
        "publisher": normalise_text(layout.publisher) if layout.publisher else None,
        "authors": [normalise_text(a) for a in layout.authors],
    }
    corrections, problems = _apply_corrections(header, sidecar.corrections, seed.sidecar_name or "")
    if problems:
        return problems
    publisher = header["publisher"]
    holder = sidecar.copyright_holder or publisher
    return Record(
        schema_version=current_schema_version(),
        id=record_id,
        title=str(header["title"]),
        publisher=publisher if isinstance(publisher, str) else None,
        authors=list(header["authors"]),  # type: ignore[call-overload]
        byline=normalise_text(layout.byline) if layout.byline else None,
        published=sidecar.published,
        url=sidecar.url,
        language=sidecar.language or UNDETERMINED,  # until detected, by make_records
        language_source="sidecar" if sidecar.language else "detected",
        topics=list(sidecar.topics),
        text=body,
        paragraphs=paragraphs,
        paragraph_count=len(paragraphs),
        # Normalised paragraphs hold single spaces only (and the joins none), so spaces count
        # the words exactly: one more than the spaces in each paragraph.
        word_count=body.count(" ") + len(paragraphs),
        char_count=len(body),
        text_sha256=sha256_hex(body),
        seed_file=seed.name,
        seed_sha256=sha256_hex(seed.data),
        seed_encoding=encoding,
        sidecar_file=seed.sidecar_name if seed.sidecar_data is not None else None,
        sidecar_sha256=sha256_hex(seed.sidecar_data) if seed.sidecar_data is not None else None,
        copyright_holder=holder if isinstance(holder, str) else None,
        rights=sidecar.rights or DEFAULT_RIGHTS.format(holder=holder or "its original publisher"),
        dropped_lines=list(layout.dropped),
        corrections=corrections,
    )
