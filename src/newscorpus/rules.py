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
        "A seed is UTF-8 (or legacy Windows-1252, decoded exactly).",
        "re-save the file as UTF-8",
        "bytes that are neither UTF-8 nor Windows-1252",
        "UTF-8 text",
        ("seed",),
    ),
    Rule(
        "NC-SEED-006",
        "damaged-text",
        "A seed carries no U+FFFD replacement characters or double-encoded UTF-8 (mojibake).",
        "take the text again from the original source; an earlier conversion lost characters",
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
        "Sidecars use plain YAML: no tags, anchors or aliases.",
        "write the values out in full; drop `!tags`, `&anchors` and `*aliases`",
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
)
