"""Starting a contribution: raw article text in, a correctly named seed and sidecar out.

The seed keeps the contributor's bytes exactly; its id is the first 16 hex digits of their
sha256, so the same article sent twice gets the same id and is refused as a duplicate. Nothing
is written unless the seed and sidecar already pass every check the build makes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from newscorpus.corpus import write_file
from newscorpus.normalise import sha256_hex
from newscorpus.problems import Problem
from newscorpus.record import Record, make_record
from newscorpus.releases import ReleaseError, latest_release
from newscorpus.retractions import read_retractions
from newscorpus.seeds import SEED_NAME, SeedInput, shown


@dataclass(frozen=True, slots=True)
class Contribution:
    seed_path: Path
    sidecar_path: Path | None
    record: Record


def next_label(seeds_dir: Path) -> int:
    labels = [
        int(m.group("label")) for p in seeds_dir.glob("*.txt") if (m := SEED_NAME.match(p.name))
    ]
    return max(labels, default=-1) + 1


def sidecar_yaml(metadata: dict[str, Any]) -> bytes | None:
    """The sidecar for the given metadata, keys in the documented order; None when empty."""
    order = ("url", "published", "language", "rights", "topics")
    present = {k: metadata[k] for k in order if metadata.get(k)}
    if not present:
        return None
    return yaml.safe_dump(present, sort_keys=False, allow_unicode=True).encode("utf-8")


def contribute(
    data: bytes,
    seeds_dir: Path,
    metadata: dict[str, Any],
    label: int | None = None,
    source_name: str = "<stdin>",
    option_names: dict[str, str] | None = None,
    corpus_dir: Path | None = None,
) -> Contribution | list[Problem]:
    """Check a new article and, only if it passes, write its seed (and sidecar).

    A problem in the article names ``source_name``, the file the contributor gave: the seed
    it would have become does not exist. A problem in the metadata names what the contributor
    typed, the option ``option_names`` gives for the sidecar key, not the sidecar made of it
    (nor its line), which does not exist either."""
    record_id = sha256_hex(data)[:16]
    for existing in sorted(seeds_dir.glob(f"*_{record_id}.txt")):
        return [
            Problem(
                "NC-SEED-009",
                f"this article is already in the corpus as {existing.name}",
                shown(existing),
            )
        ]
    for existing in sorted(seeds_dir.glob("*.txt")):
        if existing.stat().st_size == len(data) and existing.read_bytes() == data:
            return [Problem("NC-SEED-009", f"same bytes as {existing.name}", shown(existing))]
    retracted = _retracted_ids(seeds_dir, corpus_dir or seeds_dir.parent / "corpus")
    if isinstance(retracted, list):
        return retracted
    if record_id in retracted:
        return [
            Problem(
                "NC-REL-004",
                f"this article was retracted as {record_id}"
                f"{': ' + retracted[record_id] if retracted[record_id] else ''}; "
                "a retracted article does not come back",
                shown(seeds_dir),
            )
        ]
    stem = f"{next_label(seeds_dir) if label is None else label:03d}_{record_id}"
    sidecar = sidecar_yaml(metadata)
    made = make_record(SeedInput(f"{stem}.txt", data, f"{stem}.yaml" if sidecar else None, sidecar))
    if not isinstance(made, Record):
        names = option_names or {}
        return [
            replace(p, file=source_name)
            if p.file == f"{stem}.txt"
            else replace(
                p,
                file=names.get(str(p.path[0]) if p.path else "", names.get("", "the metadata")),
                line=None,
            )
            if p.file == f"{stem}.yaml"
            else p
            for p in made
        ]
    seed_path = seeds_dir / f"{stem}.txt"
    sidecar_path = seeds_dir / f"{stem}.yaml" if sidecar else None
    if sidecar_path is not None and sidecar is not None:
        write_file(sidecar_path, sidecar)
    write_file(seed_path, data)
    return Contribution(seed_path, sidecar_path, made)


def _retracted_ids(seeds_dir: Path, corpus: Path) -> dict[str, str] | list[Problem]:
    """Ids retracted so far (id -> reason), from the retractions file and the last release;
    or the findings that keep the last release from being read (a retracted article must
    not come back because its release file is damaged)."""
    found = read_retractions(seeds_dir)
    ids = {i: r.reason for i, r in found.items()} if isinstance(found, dict) else {}
    try:
        latest = latest_release(corpus)
    except ReleaseError as error:
        return error.problems or [Problem("NC-REL-002", str(error), shown(corpus))]
    if latest is not None:
        ids.update({i: reason for i, reason in latest.retracted.items() if i not in ids})
    return ids
