"""The largest inputs newscorpus accepts, defined once, so that `new`, `build` and `validate`
agree: a seed one of them accepts, the others accept, and its record's line too.

The record schema is the one source of truth for what a record holds: its ``text`` is at most
``maxLength`` code points. The rest is derived from that:

* a seed is at most that many bytes. Its text never has more code points than the seed has
  bytes (one byte is at most one code point in Windows-1252 and in UTF-8, and NFC never makes
  more code points than a character has bytes: a test checks every code point), so a seed
  within the limit never makes a text the schema refuses;
* a data line is at most what the largest seed and sidecar can serialise to. Every seed byte
  lands in the body, twice (``text`` and ``paragraphs``, at most 3 bytes of JSON a copy: a
  Windows-1252 byte that is a 3-byte character, a quote that is escaped), or in one header
  line, kept as it stands in ``dropped_lines`` (at most 6 bytes: a control escaped as
  ``\\u000b``). What the header and the sidecar fill besides (title, publisher, authors,
  byline, url, rights, topics, corrections: each bounded by a schema, a sidecar value copied
  at most three times), with the keys, hashes and counts, fits in ``HEADER_BYTES``, which a
  test checks against both schemas.

Messages quote values through ``excerpt.excerpt`` only: a 10 MB text is a finding of one line.
"""

from __future__ import annotations

from newscorpus.schemas import load_record_schema

# The most code points a record's text may hold: the schema's, never a second number.
MAX_TEXT_CHARS: int = load_record_schema()["properties"]["text"]["maxLength"]

MAX_SEED_BYTES = MAX_TEXT_CHARS

# A sidecar is a few lines typed by a person; its sidecar schema bounds every value in it.
MAX_SIDECAR_BYTES = 64 * 1024

# The most bytes of JSON one seed byte becomes in a line (an escaped control, ``\u000b``).
JSON_BYTES_PER_SEED_BYTE = 6
HEADER_BYTES = 4 * 1024 * 1024

MAX_LINE_BYTES = JSON_BYTES_PER_SEED_BYTE * MAX_SEED_BYTES + HEADER_BYTES


def in_megabytes(size: int) -> str:
    """A limit in words: 10,000,000 bytes is "10 MB" (decimal, as file managers show sizes),
    to three figures."""
    return f"{size / 1_000_000:.3g} MB"
