"""The rule catalogue: every check newscorpus makes, under a stable code.

Codes are never reused or renumbered: contributors search for them, CI annotations carry them
and ``--select``/``--ignore`` take them. The docs page ``docs/rules.md`` is generated from this
table, and the tests hold one failing fixture per code, so a rule cannot exist undocumented or
untested.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    """One entry of the catalogue."""

    code: str
    name: str
    summary: str
    hint: str
    fail_example: str
    pass_example: str
    tags: tuple[str, ...] = ()


def _rules(*rules: Rule) -> dict[str, Rule]:
    table = {r.code: r for r in rules}
    assert len(table) == len(rules), "duplicate rule code"
    return table


RULES: dict[str, Rule] = _rules(
    # --- seeds: the raw article files -------------------------------------------------------
    Rule(
        "NC-SEED-001",
        "bad-seed-name",
        "A seed file name is `<number>_<16 lowercase hex>.txt`.",
        "rename the file, e.g. `001_0123456789abcdef.txt`, or create it with `newscorpus new`",
        "`seeds/article.txt`",
        "`seeds/001_0123456789abcdef.txt`",
        ("seed",),
    ),
    Rule(
        "NC-SEED-002",
        "seed-symlink",
        "Seeds and sidecars are regular files, never symbolic links.",
        "replace the link with a copy of the file it points to",
        "`seeds/001_0123456789abcdef.txt -> /etc/passwd`",
        "a regular file",
        ("seed",),
    ),
    Rule(
        "NC-SEED-003",
        "empty-seed",
        "A seed holds an article: it is not empty or blank.",
        "put the article text into the file, or delete the file",
        "a file of 0 bytes",
        "a title line, a blank line and paragraphs",
        ("seed",),
    ),
    Rule(
        "NC-SEED-004",
        "binary-seed",
        "A seed is plain text: no NUL bytes, no control characters.",
        "export the article as plain UTF-8 text (not a PDF, Word or image file)",
        "a file with NUL bytes",
        "plain UTF-8 text",
        ("seed",),
    ),
    Rule(
        "NC-SEED-005",
        "undecodable-seed",
        "A seed is UTF-8 (or legacy Windows-1252, decoded exactly), in one encoding throughout.",
        "re-save the file as UTF-8",
        "bytes that are neither UTF-8 nor Windows-1252; UTF-8 with a Windows-1252 line pasted in",
        "UTF-8 text",
        ("seed",),
    ),
    Rule(
        "NC-SEED-006",
        "damaged-text",
        "A seed carries no U+FFFD replacement characters, double-encoded UTF-8 (mojibake) or "
        "byte-order marks (U+FEFF) after its start.",
        "take the text again from the original source; an earlier conversion damaged it (a "
        "stray U+FEFF can simply be deleted)",
        "`Itâ€™s` or `It\ufffds`",
        "`It’s`",
        ("seed",),
    ),
    Rule(
        "NC-SEED-007",
        "no-title",
        "A seed starts with the article's title line.",
        "put the headline on the first line, followed by a blank line",
        "a file that starts with `By Jane Doe`",
        "`Headline`, blank line, body",
        ("seed",),
    ),
    Rule(
        "NC-SEED-008",
        "no-body",
        "A seed has at least one body paragraph after its header lines.",
        "add the article's paragraphs below the header, separated by blank lines",
        "a file holding only a title",
        "a title and at least one paragraph",
        ("seed",),
    ),
    Rule(
        "NC-SEED-009",
        "duplicate-seed",
        "No two seeds have the same bytes.",
        "delete one of the two copies",
        "two files with identical content",
        "every seed distinct",
        ("seed", "duplicates"),
    ),
    Rule(
        "NC-SEED-010",
        "duplicate-seed-id",
        "No two seeds share the 16-hex id in their names.",
        "give one of them a new id (`newscorpus new` derives one from the text)",
        "`001_0123456789abcdef.txt` and `002_0123456789abcdef.txt`",
        "distinct ids",
        ("seed",),
    ),
    Rule(
        "NC-SEED-011",
        "unexpected-file",
        "The seeds folder holds only seed `.txt` files and their `.yaml` sidecars; no folders.",
        "move the file out of the seeds folder",
        "`seeds/notes.md`",
        "`seeds/001_0123456789abcdef.txt`",
        ("seed",),
    ),
    Rule(
        "NC-SEED-012",
        "seed-too-large",
        "A seed is at most 10 MB: an article, not a dump.",
        "split the file into one seed per article",
        "a 50 MB text file",
        "an article of a few kilobytes",
        ("seed",),
    ),
    Rule(
        "NC-SEED-013",
        "document-seed",
        "A seed is the article as plain text, not a document file holding it (HTML, XML, JSON, "
        "RTF, PDF).",
        "take the article's text out of the document (copy it from the browser or the PDF, or "
        "save it as plain text) into a UTF-8 `.txt` file",
        "a web page saved as `.txt`, starting `<!DOCTYPE html>`; an RTF file starting `{\\rtf1`",
        "the headline on the first line, the paragraphs below it",
        ("seed",),
    ),
    Rule(
        "NC-SEED-015",
        "seed-not-a-file",
        "Seeds and sidecars are regular files: not FIFOs (named pipes), devices or sockets.",
        "remove it (`rm seeds/NAME`; reading a FIFO waits for a writer) and add the article "
        "as a regular file, e.g. with `newscorpus new article.txt`",
        "`mkfifo seeds/001_0123456789abcdef.txt`",
        "a regular file",
        ("seed",),
    ),
    Rule(
        "NC-SEED-016",
        "seed-changed-while-read",
        "A seed or sidecar stays unchanged while it is read: nothing is built from half of an "
        "edit.",
        "wait until whatever writes the file (an editor, a download, a copy) has finished, "
        "then build or validate again",
        "a seed appended to while the build reads it",
        "a seed that is complete before the build starts",
        ("seed",),
    ),
    Rule(
        "NC-SEED-014",
        "hidden-seed",
        "No seed or sidecar is hidden: a file named as one after a leading dot is reported, "
        "not skipped (editor files such as `.001_….txt.swp` are other names).",
        "rename it without the leading dot (`mv seeds/.001_0123456789abcdef.txt "
        "seeds/001_0123456789abcdef.txt`), or move it out of the seeds folder",
        "`seeds/.001_0123456789abcdef.txt`",
        "`seeds/001_0123456789abcdef.txt`",
        ("seed",),
    ),
    # --- sidecars: the optional metadata beside a seed ------------------------------------
    Rule(
        "NC-SIDE-001",
        "sidecar-syntax",
        "A sidecar is one YAML mapping that parses.",
        "fix the YAML at the line named; `key: value` per line, lists as `- item`",
        "`url: [unclosed`",
        "`url: https://example.org/a`",
        ("sidecar",),
    ),
    Rule(
        "NC-SIDE-002",
        "sidecar-unknown-key",
        "A sidecar uses only the documented keys.",
        "remove or rename the key; allowed: url, published, language, rights, topics, corrections",
        "`autor: Jane`",
        "`url: https://example.org/a`",
        ("sidecar",),
    ),
    Rule(
        "NC-SIDE-003",
        "sidecar-bad-value",
        "Each sidecar value has the documented type and form.",
        "give the value in the form the message names (e.g. `published: 2022-01-06`)",
        "`published: last Tuesday`",
        "`published: 2022-01-06`",
        ("sidecar",),
    ),
    Rule(
        "NC-SIDE-004",
        "orphan-sidecar",
        "Every sidecar sits beside a seed with the same stem.",
        "rename the sidecar to match its seed, or delete it",
        "`001_0123456789abcdef.yaml` with no `.txt`",
        "a `.yaml` next to its `.txt`",
        ("sidecar",),
    ),
    Rule(
        "NC-SIDE-005",
        "sidecar-unsafe-yaml",
        "Sidecars use plain YAML: no explicit tags and no aliases.",
        "write the values out in full; drop `!tags` and `*aliases` (with their `&anchors`)",
        "`url: !!python/object/apply:os.system [ls]`",
        "`url: https://example.org/a`",
        ("sidecar",),
    ),
    Rule(
        "NC-SIDE-006",
        "sidecar-duplicate-key",
        "A key appears once per mapping in a sidecar.",
        "keep one of the two entries",
        "`url: a` twice",
        "`url: a` once",
        ("sidecar",),
    ),
    Rule(
        "NC-SIDE-007",
        "sidecar-correction-target",
        "A correction names a header field and changes its value.",
        "correct one of title, publisher or authors, with the new value and a reason",
        "`corrections: [{field: text, value: x, reason: y}]`",
        "`corrections: [{field: title, value: Fixed title, reason: typo in source}]`",
        ("sidecar",),
    ),
    Rule(
        "NC-SIDE-008",
        "url-credentials",
        "A sidecar's url holds no user name or password (`https://user:pass@host/`): it is "
        "published with the corpus.",
        "give the article's public address, without the `user:password@` before the host; if "
        "a password was in it, change that password",
        "`url: https://reader:s3cret@example.org/a`",
        "`url: https://example.org/a`",
        ("sidecar",),
    ),
    Rule(
        "NC-SIDE-009",
        "invisible-character",
        "No sidecar string holds an invisible or bidirectional control character (U+200B, "
        "U+202E, U+2066, U+FEFF, tag characters, controls...): it shows nothing, or reorders "
        "what a reader sees. ZWJ and ZWNJ (U+200D, U+200C) are allowed outside the url: words "
        "of some scripts are spelt with them.",
        "delete the character at the position named (retype the value, or use an editor that "
        "shows invisible characters)",
        '`rights: {holder: "ACME\\u202e Corp"}` (YAML\'s escape for U+202E)',
        "`rights: {holder: ACME Corp}`",
        ("sidecar",),
    ),
    # --- records: one line of the corpus ---------------------------------------------------
    Rule(
        "NC-REC-001",
        "schema",
        "A record follows the record JSON Schema (types, required fields, patterns, formats).",
        "fix the field named by the path, or rebuild the corpus with `newscorpus build`",
        '`{"id": 7, ...}`',
        '`{"id": "0ef69f8f189c5c30", ...}`',
        ("record", "schema"),
    ),
    Rule(
        "NC-REC-002",
        "duplicate-id",
        "Record ids are unique across all data files.",
        "two seeds carry the same id: rename one seed with a new id and rebuild",
        'two lines with `"id": "0ef69f8f189c5c30"`',
        "every id once",
        ("record", "corpus"),
    ),
    Rule(
        "NC-REC-003",
        "id-seed-mismatch",
        "A record's id is the hex part of its `seed_file`.",
        "rebuild with `newscorpus build`; never edit ids by hand",
        '`"id": "00000000000000aa", "seed_file": "001_0ef69f8f189c5c30.txt"`',
        '`"id": "0ef69f8f189c5c30", "seed_file": "000_0ef69f8f189c5c30.txt"`',
        ("record",),
    ),
    Rule(
        "NC-REC-004",
        "text-paragraphs-mismatch",
        "`text` is the paragraphs joined by one blank line.",
        "rebuild with `newscorpus build`; edit the seed, not the corpus",
        '`"text": "A\\n\\nB", "paragraphs": ["A"]`',
        '`"text": "A\\n\\nB", "paragraphs": ["A", "B"]`',
        ("record",),
    ),
    Rule(
        "NC-REC-005",
        "hash-mismatch",
        "`text_sha256` is the SHA-256 of `text`.",
        "rebuild with `newscorpus build`; the text or its hash was edited by hand",
        '`"text_sha256": "00…"`',
        "the hash `newscorpus build` writes",
        ("record",),
    ),
    Rule(
        "NC-REC-006",
        "count-mismatch",
        "`paragraph_count`, `word_count` and `char_count` match `text` and `paragraphs`.",
        "rebuild with `newscorpus build`",
        '`"word_count": 3` for a text of 4 words',
        "counts recomputed from the text",
        ("record",),
    ),
    Rule(
        "NC-REC-007",
        "future-date",
        "A published date is not in the future.",
        "fix `published` in the sidecar (YYYY-MM-DD, the date the publisher printed)",
        '`"published": "2999-01-01"`',
        '`"published": "2022-01-06"`',
        ("record",),
    ),
    Rule(
        "NC-REC-008",
        "misplaced-record",
        "Each record sits in the shard named by its id prefix, in id order.",
        "rebuild with `newscorpus build`; do not move lines between data files",
        "id `f0…` in `data/shard-0.jsonl`",
        "id `0e…` in `data/shard-0.jsonl`",
        ("record", "corpus"),
    ),
    Rule(
        "NC-REC-009",
        "duplicate-text",
        "No two records have the same body text.",
        "the same article was added twice: delete one of the two seeds",
        "two records with equal `text`",
        "distinct texts",
        ("record", "duplicates"),
    ),
    Rule(
        "NC-REC-010",
        "near-duplicate-text",
        "No two records are near-duplicates: the Jaccard similarity of their sets of sentences "
        "(the text cut at every full stop and line break) stays below 0.8. Pairs are found by "
        "MinHash LSH (60 permutations, 12 bands; 99.1% of pairs at 0.8) and scored exactly.",
        "check whether both seeds are the same article; keep one, or keep both if they differ "
        "in substance (say why in the pull request)",
        "the same article with one sentence changed",
        "two different articles",
        ("record", "duplicates"),
    ),
    Rule(
        "NC-REC-011",
        "stale-record",
        "Every record matches a seed in `seeds/` byte for byte (`seed_sha256`), and every seed has "
        "a record.",
        "run `newscorpus build` and commit the corpus with the seeds",
        "a seed edited after the last build",
        "a corpus rebuilt from the current seeds",
        ("record", "seed"),
    ),
    Rule(
        "NC-REC-012",
        "not-normalised",
        "Text is Unicode NFC with single spaces inside paragraphs.",
        "rebuild with `newscorpus build`; the text was edited by hand",
        '`"paragraphs": ["two  spaces"]`',
        '`"paragraphs": ["one space"]`',
        ("record",),
    ),
    # --- JSON lines: the bytes of the data files --------------------------------------------
    Rule(
        "NC-JSON-001",
        "not-json",
        "Each line of a data file is one JSON value.",
        "rebuild with `newscorpus build`; a data file was edited by hand or truncated",
        '`{"id": "0ef6…`',
        "a complete JSON object",
        ("json",),
    ),
    Rule(
        "NC-JSON-002",
        "not-an-object",
        "Each line holds a JSON object (a record), not an array, string or number.",
        "rebuild with `newscorpus build`",
        "`[1, 2, 3]`",
        '`{"schema_version": "1.0.0", …}`',
        ("json",),
    ),
    Rule(
        "NC-JSON-003",
        "invalid-utf8",
        "Data files are valid UTF-8.",
        "rebuild with `newscorpus build`; the file was saved in another encoding",
        "a Latin-1 byte `0xE9` inside a string",
        "`é` as UTF-8 (`0xC3 0xA9`)",
        ("json",),
    ),
    Rule(
        "NC-JSON-004",
        "bom",
        "Data lines carry no UTF-8 byte-order mark.",
        "rebuild with `newscorpus build`, or save the file as UTF-8 without BOM",
        "`\\xEF\\xBB\\xBF{…}`",
        "`{…}`",
        ("json",),
    ),
    Rule(
        "NC-JSON-005",
        "control-character",
        "No NUL or other control characters, raw or escaped, in a data line.",
        "rebuild with `newscorpus build`; the seed's decoding refuses control characters",
        '`"title": "a\\u0000b"`',
        '`"title": "ab"`',
        ("json",),
    ),
    Rule(
        "NC-JSON-006",
        "nan-infinity",
        "No `NaN`, `Infinity` or `-Infinity`: they are not JSON.",
        "rebuild with `newscorpus build`",
        '`"word_count": NaN`',
        '`"word_count": 412`',
        ("json",),
    ),
    Rule(
        "NC-JSON-007",
        "duplicate-key",
        "A key appears once per JSON object (parsers disagree on which copy wins).",
        "rebuild with `newscorpus build`",
        '`{"id": "a…", "id": "b…"}`',
        '`{"id": "a…"}`',
        ("json",),
    ),
    Rule(
        "NC-JSON-008",
        "trailing-garbage",
        "Nothing follows the JSON object on its line.",
        "put each record on its own line; rebuild with `newscorpus build`",
        "`{…} {…}` on one line",
        "one object per line",
        ("json",),
    ),
    Rule(
        "NC-JSON-009",
        "too-deep",
        "JSON nesting stays below 1,000 levels (records need three).",
        "rebuild with `newscorpus build`",
        "`[[[[…]]]]` 200,000 levels deep",
        "a record",
        ("json",),
    ),
    Rule(
        "NC-JSON-010",
        "line-too-long",
        "A data line is at most 64.2 MB: what the largest seed and sidecar serialise to.",
        "rebuild with `newscorpus build`; a seed is at most 10 MB",
        "a 65 MB line",
        "a record of a few kilobytes",
        ("json",),
    ),
    Rule(
        "NC-JSON-011",
        "not-canonical",
        "Lines are in the canonical form `newscorpus build` writes: keys in the schema's order, "
        "integers without a fraction, no spaces, LF endings, a final newline, no blank lines.",
        "rebuild with `newscorpus build`",
        '`{ "id": … }` with spaces or CRLF',
        '`{"schema_version":"1.0.0",…}`',
        ("json",),
    ),
    # --- the manifest ------------------------------------------------------------------------
    Rule(
        "NC-MAN-001",
        "manifest-unreadable",
        "`manifest.json` exists and is a JSON object with the documented keys.",
        "rebuild with `newscorpus build`",
        "a missing or truncated manifest",
        "the manifest `newscorpus build` writes",
        ("manifest",),
    ),
    Rule(
        "NC-MAN-002",
        "manifest-file-mismatch",
        "The manifest's bytes, sha256 and record count of each data file match the file.",
        "rebuild with `newscorpus build`; a data file changed after the manifest was written",
        "a data file edited after the build",
        "files as built",
        ("manifest",),
    ),
    Rule(
        "NC-MAN-003",
        "manifest-file-list",
        "The manifest lists exactly the data files that exist.",
        "rebuild with `newscorpus build`; do not add or delete data files by hand",
        "a listed file that is missing, or an unlisted `data/*.jsonl`",
        "the same set",
        ("manifest",),
    ),
    Rule(
        "NC-MAN-004",
        "manifest-totals",
        "The manifest's record total and schema version match the data.",
        "rebuild with `newscorpus build`",
        '`"records": 10` for 9 records',
        "totals as built",
        ("manifest",),
    ),
    # --- releases and retractions -----------------------------------------------------------
    Rule(
        "NC-REL-001",
        "release-file-edited",
        "A release file under `corpus/releases/` never changes after its release.",
        "restore the file from git (`git checkout -- corpus/releases/`); correct the corpus in a "
        "new release instead",
        "a record hash changed in `corpus/releases/1.0.0.json`",
        "the file as the release wrote it",
        ("release",),
    ),
    Rule(
        "NC-REL-002",
        "release-file-unreadable",
        "A release file is the JSON document `newscorpus release` writes.",
        "restore the file from git",
        "a truncated `corpus/releases/1.0.0.json`",
        "the file as the release wrote it",
        ("release",),
    ),
    Rule(
        "NC-REL-003",
        "vanished-record",
        "A released record leaves the corpus only through a retraction.",
        "restore the seed, or add `{id, reason}` to `seeds/retractions.yaml`",
        "a released seed deleted without a word",
        "the seed deleted and its id retracted with a reason",
        ("release",),
    ),
    Rule(
        "NC-REL-004",
        "retracted-id-reused",
        "A retracted id never comes back.",
        "give the article a new id (`newscorpus new` derives one from the text)",
        "a seed named with a retracted id",
        "a seed with a fresh id",
        ("release",),
    ),
    Rule(
        "NC-REL-005",
        "retractions-invalid",
        "`seeds/retractions.yaml` is a list of `{id, reason, date}` entries, each id once.",
        "fix the entry at the line named; `reason` is required",
        "`- id: 0ef69f8f189c5c30` with no reason",
        "`- {id: 0ef69f8f189c5c30, reason: publisher withdrew the article}`",
        ("release",),
    ),
    Rule(
        "NC-REL-006",
        "release-file-missing",
        "No release file is ever deleted: not the one the manifest names, not one a later "
        "release chains to, not one git ever committed.",
        "restore it from git with the command the message gives (`git checkout <commit> -- "
        "corpus/releases/<version>.json`); its version number is never released again",
        "`corpus/releases/1.1.0.json` deleted while the manifest says 1.1.0",
        "every release file the history holds, in place",
        ("release",),
    ),
    Rule(
        "NC-REL-007",
        "release-file-not-a-file",
        "A release file is a regular file: not a directory or a symbolic link.",
        "replace it with the file as released, from git "
        "(`rm -r corpus/releases/<version>.json && git checkout -- corpus/releases/`)",
        "`corpus/releases/1.0.0.json` a dangling symbolic link",
        "the file as the release wrote it",
        ("release",),
    ),
)
