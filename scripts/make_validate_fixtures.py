"""Write one failing fixture per validation rule, named after its defect, and one clean fixture.

Each fixture is a folder ``tests/fixtures/validate/<code>-<defect>/`` holding ``corpus/``
(and ``seeds/`` when the rule is about seeds): a clean corpus built from three composed
articles, broken in exactly one way. The test suite asserts that validating it reports
exactly that code and nothing else. Defects too large to commit (a 65 MB line) are described
in ``generate.json`` and written by the test itself. Rerun after changing a rule:

    python scripts/make_validate_fixtures.py
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from articles import ARTICLES, Variant, render  # noqa: E402
from newscorpus.build import build  # noqa: E402
from newscorpus.corpus import Manifest, describe_files, iter_data_files  # noqa: E402
from newscorpus.limits import MAX_LINE_BYTES, MAX_SEED_BYTES  # noqa: E402
from newscorpus.releases import Release, record_hashes  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "validate"
Mutation = Callable[[Path], None]


def _seed_name(label: int, data: bytes) -> str:
    return f"{label:03d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"


def base(folder: Path) -> None:
    """Three composed articles as seeds, and the corpus built from them."""
    seeds = folder / "seeds"
    seeds.mkdir(parents=True)
    for label, article in enumerate(ARTICLES[:3], start=1):
        data = render(article, Variant())
        (seeds / _seed_name(label, data)).write_bytes(data)
    result = build(seeds, folder / "corpus", workers=1)
    assert result.ok, result.problems


def _lines(folder: Path) -> list[tuple[Path, list[bytes]]]:
    return [
        (p, p.read_bytes().splitlines(keepends=True)) for p in iter_data_files(folder / "corpus")
    ]


def _rewrite_manifest(folder: Path) -> None:
    """Describe the data files as they now are, so only the intended defect remains."""
    corpus = folder / "corpus"
    old = json.loads((corpus / "manifest.json").read_text())
    files = describe_files(corpus)
    manifest = Manifest(
        old["corpus_version"],
        old["schema_version"],
        sum(f.records for f in files),
        files,
        old["languages"],
    )
    (corpus / "manifest.json").write_bytes(manifest.to_json())


def _edit_record(folder: Path, edit: Callable[[dict[str, Any]], None], index: int = 0) -> None:
    """Change the first record of the first file through ``edit`` and reserialise it."""
    path, lines = _lines(folder)[0]
    record = orjson.loads(lines[index])
    edit(record)
    lines[index] = orjson.dumps(record) + b"\n"
    path.write_bytes(b"".join(lines))


def _edit_raw(folder: Path, edit: Callable[[bytes], bytes]) -> None:
    path, lines = _lines(folder)[0]
    lines[0] = edit(lines[0])
    path.write_bytes(b"".join(lines))


def _consistent(record: dict[str, Any]) -> None:
    """Recompute the derived fields after a text change, so only the intended rule fires."""
    record["text"] = "\n\n".join(record["paragraphs"])
    record["paragraph_count"] = len(record["paragraphs"])
    record["word_count"] = len(record["text"].split())
    record["char_count"] = len(record["text"])
    record["text_sha256"] = hashlib.sha256(record["text"].encode()).hexdigest()


def _add_twin(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Insert, right after the first record, a copy with a new id (same shard, in order)."""
    path, lines = _lines(folder)[0]
    record = orjson.loads(lines[0])
    twin = dict(record)
    twin["id"] = record["id"][:-1] + ("f" if record["id"][-1] != "f" else "e")
    if twin["id"] < record["id"]:
        twin["id"] = record["id"][:8] + "ffffffff"
    twin["seed_file"] = f"900_{twin['id']}.txt"
    change(twin)
    lines.insert(1, orjson.dumps(twin) + b"\n")
    path.write_bytes(b"".join(lines))


def _duplicate_id(folder: Path) -> None:
    """A second, different article under the id of the first, right after it."""
    path, lines = _lines(folder)[0]
    record = orjson.loads(lines[0])
    twin = dict(record, seed_file=f"900_{record['id']}.txt")
    _other_paragraphs(twin)
    lines.insert(1, orjson.dumps(twin) + b"\n")
    path.write_bytes(b"".join(lines))


def _release(folder: Path) -> Path:
    """Release the fixture's corpus as 1.0.0, as `newscorpus release` would."""
    corpus = folder / "corpus"
    release = Release(
        "1.0.0",
        "2026-01-15",
        "1.0.0",
        None,
        None,
        [p.relative_to(corpus).as_posix() for p in iter_data_files(corpus)],
        record_hashes(corpus),
    )
    path = corpus / "releases" / "1.0.0.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(release.to_json())
    return path


def _edited_release(folder: Path) -> None:
    path = _release(folder)
    document = json.loads(path.read_text())
    first = sorted(document["records"])[0]
    document["records"][first] = "0" * 64
    path.write_text(json.dumps(document, indent=2) + "\n")


def _truncated_release(folder: Path) -> None:
    path = _release(folder)
    path.write_bytes(path.read_bytes()[:40])


def _deleted_release(folder: Path) -> None:
    """The manifest names 1.0.0, as a build after that release writes it; the release file
    is gone."""
    manifest = folder / "corpus" / "manifest.json"
    text = manifest.read_text()
    assert '"corpus_version": "0.0.0"' in text
    manifest.write_text(text.replace('"corpus_version": "0.0.0"', '"corpus_version": "1.0.0"'))


def _dangling_release(folder: Path) -> None:
    """A release file that is a symbolic link to nothing."""
    path = folder / "corpus" / "releases" / "1.0.0.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to("0.9.0.json")


def _vanished(folder: Path) -> None:
    """Release, then delete a seed and its record with no retraction."""
    _release(folder)
    seed = _first_seed(folder)
    seed.unlink()
    record_id = seed.stem.split("_")[1]
    for path, lines in _lines(folder):
        kept = [line for line in lines if orjson.loads(line)["id"] != record_id]
        if kept != lines:
            if kept:
                path.write_bytes(b"".join(kept))
            else:
                path.unlink()
    _rewrite_manifest(folder)


def _seed(folder: Path, name: str, data: bytes) -> None:
    (folder / "seeds" / name).write_bytes(data)


def _first_seed(folder: Path) -> Path:
    return sorted((folder / "seeds").glob("*.txt"))[0]


def _corpus_only(mutation: Mutation, manifest: bool = True) -> Mutation:
    def apply(folder: Path) -> None:
        shutil.rmtree(folder / "seeds")
        mutation(folder)
        if manifest:
            _rewrite_manifest(folder)

    return apply


def _other_paragraphs(record: dict[str, Any]) -> None:
    record["paragraphs"] = list(ARTICLES[4].paragraphs)
    _consistent(record)


def _one_word_changed(record: dict[str, Any]) -> None:
    record["paragraphs"] = [
        record["paragraphs"][0].replace("the", "a", 1),
        *record["paragraphs"][1:],
    ]
    _consistent(record)


def _control_in_text(record: dict[str, Any]) -> None:
    """A control character inside a paragraph, everything else consistent: only the line's
    escape (\\u0001) gives it away."""
    record["paragraphs"] = [
        record["paragraphs"][0].replace(" ", "\x01", 1),
        *record["paragraphs"][1:],
    ]
    _consistent(record)


def _bom_first(record: dict[str, Any]) -> None:
    """A U+FEFF opening a paragraph, everything else consistent: JSON Schema's ``\\s`` counts
    it as white space (ECMA-262), Python's ``re`` does not, so only jsonschema-rs objects."""
    record["paragraphs"] = ["\ufeff" + record["paragraphs"][0], *record["paragraphs"][1:]]
    _consistent(record)


def _all_paragraphs(record: dict[str, Any]) -> None:
    record["paragraphs"] = [p for article in ARTICLES for p in article.paragraphs]
    _consistent(record)


def _near_duplicate(folder: Path) -> None:
    """A long article and, right after it, a copy with one word of one sentence changed."""
    _edit_record(folder, _all_paragraphs)
    _add_twin(folder, _one_word_changed)


def _swap_first_two(folder: Path) -> None:
    path, lines = _lines(folder)[0]
    _add_twin(folder, _other_paragraphs)
    path, lines = _lines(folder)[0]
    lines[0], lines[1] = lines[1], lines[0]
    path.write_bytes(b"".join(lines))


def _symlink(folder: Path) -> None:
    os.symlink(_first_seed(folder).name, folder / "seeds" / "009_00000000000000e0.txt")


def _mojibake(folder: Path) -> None:
    _seed(folder, "009_00000000000000e0.txt", "Title\n\nIt’s fine, but Itâ€™s not.\n".encode())


def _changed_seed(folder: Path) -> None:
    seed = _first_seed(folder)
    seed.write_bytes(seed.read_bytes() + b"\nOne more paragraph added after the build.\n")


def _unlisted_file(folder: Path) -> None:
    (folder / "corpus" / "data" / "shard-f.jsonl").write_bytes(b"")


def _manifest_sha(folder: Path) -> None:
    path = folder / "corpus" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["files"][0]["sha256"] = "0" * 64
    path.write_text(json.dumps(manifest, indent=2) + "\n")


def _manifest_total(folder: Path) -> None:
    path = folder / "corpus" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["records"] += 1
    path.write_text(json.dumps(manifest, indent=2) + "\n")


def _future(record: dict[str, Any]) -> None:
    record["published"] = "2999-01-01"


def _not_nfc(record: dict[str, Any]) -> None:
    record["paragraphs"] = ["Cafe\u0301 culture returns.", *record["paragraphs"][1:]]
    _consistent(record)


FIXTURES: dict[str, tuple[Mutation, dict[str, Any] | None]] = {
    "NC-SEED-001-bad-seed-name": (lambda f: _seed(f, "article.txt", b"Title\n\nBody.\n"), None),
    "NC-SEED-002-symlinked-seed": (_symlink, None),
    "NC-SEED-003-empty-seed": (lambda f: _seed(f, "009_00000000000000e0.txt", b""), None),
    "NC-SEED-004-binary-seed": (
        lambda f: _seed(f, "009_00000000000000e0.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        None,
    ),
    "NC-SEED-005-undecodable-seed": (
        lambda f: _seed(f, "009_00000000000000e0.txt", b"Title\n\n\x81\x8d\x8f bytes\n"),
        None,
    ),
    "NC-SEED-006-mojibake-seed": (_mojibake, None),
    "NC-SEED-007-no-title": (
        lambda f: _seed(f, "009_00000000000000e0.txt", b"By Jane Doe\n\nThe body text.\n"),
        None,
    ),
    "NC-SEED-008-title-only": (
        lambda f: _seed(f, "009_00000000000000e0.txt", b"Just a headline\n"),
        None,
    ),
    "NC-SEED-009-duplicate-seed": (
        lambda f: _seed(f, "009_00000000000000e0.txt", _first_seed(f).read_bytes()),
        None,
    ),
    "NC-SEED-010-duplicate-seed-id": (
        lambda f: _seed(f, "009_" + _first_seed(f).name[4:], render(ARTICLES[4], Variant())),
        None,
    ),
    "NC-SEED-011-unexpected-file": (lambda f: _seed(f, "notes.md", b"# notes\n"), None),
    "NC-SEED-012-seed-too-large": (
        lambda f: None,
        {"write": "seeds/009_00000000000000e0.txt", "bytes": MAX_SEED_BYTES + 1},
    ),
    "NC-SEED-013-html-seed": (
        lambda f: _seed(
            f,
            "009_00000000000000e0.txt",
            b"<!DOCTYPE html>\n<html><head><title>Title</title></head>\n<body><p>Body.</p>\n",
        ),
        None,
    ),
    "NC-SEED-014-hidden-seed": (
        lambda f: _seed(f, ".009_00000000000000e0.txt", b"Title\n\nThe body text.\n"),
        None,
    ),
    # a FIFO cannot be committed: the test makes it (NC-SEED-016, a file that changes while
    # it is read, has no fixture at all; see tests/test_validate_rules.py)
    "NC-SEED-015-fifo-seed": (lambda f: None, {"fifo": "seeds/009_00000000000000e0.txt"}),
    "NC-SIDE-001-sidecar-syntax": (
        lambda f: _seed(f, _first_seed(f).stem + ".yaml", b"url: [unclosed\n"),
        None,
    ),
    "NC-SIDE-002-sidecar-unknown-key": (
        lambda f: _seed(f, _first_seed(f).stem + ".yaml", b"autor: Jane Doe\n"),
        None,
    ),
    "NC-SIDE-003-sidecar-bad-date": (
        lambda f: _seed(f, _first_seed(f).stem + ".yaml", b"published: last Tuesday\n"),
        None,
    ),
    "NC-SIDE-004-orphan-sidecar": (
        lambda f: _seed(f, "009_00000000000000e0.yaml", b"url: https://example.org/a\n"),
        None,
    ),
    "NC-SIDE-005-sidecar-python-tag": (
        lambda f: _seed(
            f, _first_seed(f).stem + ".yaml", b"url: !!python/object/apply:os.system [ls]\n"
        ),
        None,
    ),
    "NC-SIDE-006-sidecar-duplicate-key": (
        lambda f: _seed(
            f,
            _first_seed(f).stem + ".yaml",
            b"url: https://example.org/a\nurl: https://example.org/b\n",
        ),
        None,
    ),
    "NC-SIDE-007-correction-changes-nothing": (
        lambda f: _seed(
            f,
            _first_seed(f).stem + ".yaml",
            f"corrections:\n  - field: title\n    value: {ARTICLES[0].title}\n"
            "    reason: no change at all\n".encode(),
        ),
        None,
    ),
    "NC-SIDE-008-url-with-password": (
        lambda f: _seed(
            f, _first_seed(f).stem + ".yaml", b"url: https://reader:s3cret@example.org/a\n"
        ),
        None,
    ),
    "NC-SIDE-009-right-to-left-override": (
        lambda f: _seed(
            f, _first_seed(f).stem + ".yaml", b'rights:\n  holder: "ACME\\u202e Corp"\n'
        ),
        None,
    ),
    "NC-REC-001-wrong-type": (
        _corpus_only(lambda f: _edit_record(f, lambda r: r.update(language=5))),
        None,
    ),
    "NC-REC-001-byte-order-mark-at-paragraph-start": (
        _corpus_only(lambda f: _edit_record(f, _bom_first)),
        None,
    ),
    "NC-REC-002-duplicate-id": (_corpus_only(_duplicate_id), None),
    "NC-REC-003-id-seed-mismatch": (
        _corpus_only(
            lambda f: _edit_record(f, lambda r: r.update(seed_file="001_00000000000000aa.txt"))
        ),
        None,
    ),
    "NC-REC-004-text-paragraphs-mismatch": (
        _corpus_only(
            lambda f: _edit_record(
                f,
                lambda r: r.update(
                    paragraphs=r["paragraphs"][:-1], paragraph_count=len(r["paragraphs"]) - 1
                ),
            )
        ),
        None,
    ),
    "NC-REC-005-wrong-text-hash": (
        _corpus_only(lambda f: _edit_record(f, lambda r: r.update(text_sha256="0" * 64))),
        None,
    ),
    "NC-REC-006-wrong-word-count": (
        _corpus_only(lambda f: _edit_record(f, lambda r: r.update(word_count=r["word_count"] + 1))),
        None,
    ),
    "NC-REC-007-future-date": (_corpus_only(lambda f: _edit_record(f, _future)), None),
    "NC-REC-008-records-out-of-order": (_corpus_only(_swap_first_two), None),
    "NC-REC-009-duplicate-text": (_corpus_only(lambda f: _add_twin(f, lambda t: None)), None),
    "NC-REC-010-near-duplicate-text": (_corpus_only(_near_duplicate), None),
    "NC-REC-011-seed-changed-after-build": (_changed_seed, None),
    "NC-REC-012-not-nfc": (_corpus_only(lambda f: _edit_record(f, _not_nfc)), None),
    "NC-JSON-001-truncated-line": (
        _corpus_only(lambda f: _edit_raw(f, lambda b: b[:40] + b"\n")),
        None,
    ),
    "NC-JSON-002-array-line": (
        _corpus_only(lambda f: _edit_raw(f, lambda b: b"[1, 2, 3]\n")),
        None,
    ),
    "NC-JSON-003-invalid-utf8": (
        _corpus_only(
            lambda f: _edit_raw(f, lambda b: b.replace(b'"title":"', b'"title":"\xe9', 1))
        ),
        None,
    ),
    "NC-JSON-004-bom": (_corpus_only(lambda f: _edit_raw(f, lambda b: b"\xef\xbb\xbf" + b)), None),
    "NC-JSON-005-escaped-nul": (
        _corpus_only(
            lambda f: _edit_raw(f, lambda b: b.replace(b'"title":"', b'"title":"\\u0000', 1))
        ),
        None,
    ),
    "NC-JSON-005-escaped-control-in-text": (
        _corpus_only(lambda f: _edit_record(f, _control_in_text)),
        None,
    ),
    "NC-JSON-006-nan": (
        _corpus_only(
            lambda f: _edit_raw(
                f, lambda b: b.replace(b'"word_count":', b'"word_count":NaN,"x":', 1)
            )
        ),
        None,
    ),
    "NC-JSON-007-duplicate-key": (
        _corpus_only(lambda f: _edit_raw(f, lambda b: b[:-2] + b',"language":"en"}\n')),
        None,
    ),
    "NC-JSON-008-two-objects-on-a-line": (
        _corpus_only(lambda f: _edit_raw(f, lambda b: b[:-1] + b" {}\n")),
        None,
    ),
    "NC-JSON-009-nested-200000-deep": (
        _corpus_only(lambda f: None),
        {"append_line": "nested", "depth": 200_000},
    ),
    "NC-JSON-010-line-over-the-limit": (
        _corpus_only(lambda f: None),
        {"append_line": "long", "bytes": MAX_LINE_BYTES},
    ),
    "NC-JSON-011-crlf-line-ending": (
        _corpus_only(lambda f: _edit_raw(f, lambda b: b[:-1] + b"\r\n")),
        None,
    ),
    "NC-JSON-011-keys-out-of-order": (
        _corpus_only(
            lambda f: _edit_raw(
                f,
                lambda b: b.replace(b'{"schema_version":"1.0.0",', b"{", 1).replace(
                    b',"title":', b',"schema_version":"1.0.0","title":', 1
                ),
            )
        ),
        None,
    ),
    "NC-JSON-011-integer-with-a-fraction": (
        _corpus_only(
            lambda f: _edit_raw(
                f, lambda b: re.sub(rb'"word_count":([0-9]+)', rb'"word_count":\1.0', b, count=1)
            )
        ),
        None,
    ),
    "NC-REL-001-release-file-edited": (_edited_release, None),
    "NC-REL-002-release-file-truncated": (_truncated_release, None),
    "NC-REL-003-seed-deleted-without-retraction": (_vanished, None),
    "NC-REL-004-retracted-id-still-present": (
        lambda f: _seed(
            f,
            "retractions.yaml",
            f"- id: {_first_seed(f).stem.split('_')[1]}\n"
            "  reason: the publisher withdrew it\n".encode(),
        ),
        None,
    ),
    "NC-REL-005-retraction-without-reason": (
        lambda f: _seed(f, "retractions.yaml", b"- id: 00000000000000aa\n"),
        None,
    ),
    "NC-REL-006-release-file-deleted": (_deleted_release, None),
    "NC-REL-007-release-file-a-dangling-link": (_dangling_release, None),
    "NC-MAN-001-manifest-missing": (
        _corpus_only(lambda f: (f / "corpus" / "manifest.json").unlink(), manifest=False),
        None,
    ),
    "NC-MAN-002-manifest-sha256-differs": (_corpus_only(_manifest_sha, manifest=False), None),
    "NC-MAN-003-unlisted-data-file": (_corpus_only(_unlisted_file, manifest=False), None),
    "NC-MAN-004-manifest-total-differs": (_corpus_only(_manifest_total, manifest=False), None),
}


def main() -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    clean = OUT / "clean"
    base(clean)
    for name, (mutation, generate) in FIXTURES.items():
        folder = OUT / name
        shutil.copytree(clean, folder, symlinks=True)
        mutation(folder)
        if generate:
            (folder / "generate.json").write_text(json.dumps(generate, indent=2) + "\n")
    print(f"{len(FIXTURES)} failing fixtures and 1 clean fixture in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
