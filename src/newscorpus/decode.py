"""Seed bytes to text, exactly or not at all.

Contributors send UTF-8, UTF-8 with a BOM, and now and then a legacy Windows-1252 file. Each is
decoded exactly; anything else is refused with the line of the first bad byte. We never decode
with ``errors="replace"``: a silent U+FFFD is a lost character, and mojibake is a changed word.
"""

from __future__ import annotations

import re

from newscorpus.limits import MAX_SEED_BYTES, in_megabytes
from newscorpus.problems import SeedError

UTF8_BOM = b"\xef\xbb\xbf"

# C0 controls other than tab, LF, VT, FF and CR, and DEL: searched in the bytes, which is many
# times faster than in the decoded text. C1 controls (U+0080-U+009F) are "\xc2\x80"-"\xc2\x9f"
# in UTF-8; in Windows-1252 those bytes are printable characters.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
# The same bytes, for bytes.translate: deleting them is a plain C loop, several times faster
# than the regular expression, which then runs only on the rare seed that has one.
_CONTROL_SET = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
# Two to four characters that are the Windows-1252 rendering of one UTF-8 sequence.
_MOJIBAKE = re.compile(
    r"[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d"
    r"\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022"
    r"\u2026\u2030\u2039\u203a\u20ac\u2122]{1,3}"
)

_MOJIBAKE_BYTES = re.compile(
    rb"\xc3[\x82-\xb4](?:\xc2[\x80-\xbf]|\xe2\x80[\x93-\xba]|\xe2\x82\xac|\xe2\x84\xa2"
    rb"|\xc5[\x92\x93\xa0\xa1\xb8\xbd\xbe]|\xc6\x92|\xcb[\x86\x9c])"
)


def _line_of(data: bytes | str, offset: int) -> int:
    return _position(data[:offset])[0]


def _position(before: bytes | str) -> tuple[int, int]:
    """(line, column) just after ``before``, with lines ended as the parser ends them (LF,
    CRLF or a lone CR), so a position names the line an editor shows."""
    if isinstance(before, bytes):
        before = before.decode("latin-1")  # one character a byte: offsets stay byte offsets
    flat = before.replace("\r\n", "\n").replace("\r", "\n")
    return flat.count("\n") + 1, len(flat) - flat.rfind("\n")


def decode_seed(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for a seed's bytes, or raise ``SeedError``.

    ``encoding`` is recorded in the record so a reader can tell a legacy file from a UTF-8 one.
    """
    if len(data) > MAX_SEED_BYTES:
        raise SeedError(
            "NC-SEED-012",
            # ``read_regular`` reads no more than one byte past the limit: say "over", not how much
            f"seed is over the {in_megabytes(MAX_SEED_BYTES)} limit ({MAX_SEED_BYTES:,} bytes)",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SeedError(
            "NC-SEED-005",
            "seed is UTF-16 (it starts with a UTF-16 byte-order mark); re-save it as UTF-8",
            1,
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        # ASCII text in UTF-16 has a NUL in every other byte: a Windows "Unicode" save whose
        # byte-order mark was lost, not a binary file.
        halves = (data[0::2].count(0), data[1::2].count(0))
        if max(halves) > 0.4 * len(data) / 2 and min(halves) < 0.05 * len(data) / 2:
            raise SeedError(
                "NC-SEED-005",
                "seed looks like UTF-16 without a byte-order mark (a NUL in every other byte); "
                "re-save it as UTF-8",
                1,
            )
        raise SeedError(
            "NC-SEED-004", f"binary file: NUL byte at offset {nul}", _line_of(data, nul)
        )
    body, encoding = (data[3:], "utf-8-sig") if data.startswith(UTF8_BOM) else (data, "utf-8")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        text, encoding = _decode_legacy(body, utf8_error)
    if not text.strip():
        raise SeedError(
            "NC-SEED-003", "seed is empty" if not text else "seed holds only blank space"
        )
    _refuse_controls(body, text, encoding)
    _refuse_damaged(body, text, encoding)
    return text, encoding


def _refuse_controls(body: bytes, text: str, encoding: str) -> None:
    clean = len(body.translate(None, _CONTROL_SET)) == len(body)
    control = None if clean else _CONTROL_BYTES.search(body)
    if control is None and encoding != "windows-1252":
        control = _C1_UTF8.search(body)
    if control is None:
        return
    before = body[: control.start()].decode("utf-8" if encoding != "windows-1252" else "cp1252")
    char = text[len(before)]
    line, column = _position(before)
    message = f"control character U+{ord(char):04X} at column {column}: not plain text"
    raise SeedError("NC-SEED-004", message, line)


def _decode_legacy(body: bytes, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    """Decode Windows-1252 only when every byte maps to a character, the file is not UTF-8
    with a stray byte, nor another legacy encoding, nor partly UTF-8; otherwise refuse, at the
    first byte that is not UTF-8."""
    line, column = _position(body[: utf8_error.start])
    stray = f"byte 0x{body[utf8_error.start]:02X} at column {column}"
    _refuse_mostly_utf8(body, stray, line)
    try:
        text = body.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SeedError(
            "NC-SEED-005",
            f"{stray} is not UTF-8, and byte 0x{body[error.start]:02X} (line "
            f"{_line_of(body, error.start)}) is not Windows-1252; re-save the file as UTF-8",
            line,
        ) from None
    _refuse_other_legacy(text, stray, line)
    utf8 = _first_double_encoded(text)
    if utf8 is not None:
        # A Windows-1252 file with UTF-8 pasted in: read as a whole, "é" would be "Ã©".
        at, (garbled, original) = utf8
        raise SeedError(
            "NC-SEED-005",
            f"mixed encodings: {stray} is not UTF-8, yet line {_line_of(text, at)} holds UTF-8 "
            f"({original!r}, read as Windows-1252 {garbled!r}); re-save the whole file as UTF-8",
            line,
        )
    return text, "windows-1252"


def _refuse_mostly_utf8(body: bytes, stray: str, line: int) -> None:
    """Refuse a UTF-8 file with a stray byte or two of another encoding (a line pasted from an
    old document): decoded as Windows-1252 as a whole, every UTF-8 character in it would turn
    into mojibake. UTF-8 is counted in characters double encoding garbles and in those of
    three or four bytes (CJK...), so a Windows-1252 "ß“" that happens to be valid UTF-8 (an
    NKo letter) does not count."""
    loose = body.decode("utf-8", "replace")
    strays = loose.count("\ufffd")
    # The count is bounded by the non-ASCII characters: most legacy files stop at the bound.
    bound = len(loose) - len(loose.encode("ascii", "ignore")) - strays
    if bound > 2 * strays and len(_NOT_UTF8_EVIDENCE.sub("", loose)) > 2 * strays:
        raise SeedError(
            "NC-SEED-005",
            f"mixed encodings: the file is UTF-8 but for {strays} byte(s), the first being the "
            f"{stray} (another encoding, such as Windows-1252); retype or re-save that text "
            "as UTF-8",
            line,
        )


def _refuse_other_legacy(text: str, stray: str, line: int) -> None:
    """Refuse Windows-1251 Russian, ISO-8859-7 Greek or GBK Chinese, which decode as
    Windows-1252 too, into Latin letters with accents ("Ìîñêâå"). Western text is mostly ASCII
    letters (French, German, Portuguese: under a tenth accented); letters are counted only when
    a tenth of the text is not ASCII."""
    if len(text) - len(text.encode("ascii", "ignore")) <= 0.1 * len(text):
        return
    letters = len(_NOT_LETTER.sub("", text))
    accented = len(_NOT_ACCENTED_LETTER.sub("", text))
    if letters >= 20 and accented > 0.3 * letters:
        word = max(text.split(), key=lambda w: sum(not c.isascii() for c in w))
        raise SeedError(
            "NC-SEED-005",
            f"{stray} is not UTF-8, and read as Windows-1252 {accented} of {letters} letters "
            f"come out accented ({word[:30]!r}): another legacy encoding (Cyrillic, Greek, "
            "Chinese...); re-save the file as UTF-8",
            line,
        )


def _refuse_damaged(body: bytes, text: str, encoding: str) -> None:
    _refuse_inner_bom(body, encoding)
    replacement = body.find(b"\xef\xbf\xbd") if encoding != "windows-1252" else -1
    if replacement >= 0:
        replacement = text.find("\ufffd")
    if replacement >= 0:
        raise SeedError(
            "NC-SEED-006",
            "U+FFFD replacement character: an earlier conversion lost a character here",
            _line_of(text, replacement),
        )
    # Double-encoded UTF-8 can only hide in text that was valid UTF-8; the byte pre-filter
    # finds its signature (a Latin-1 lead character followed by an encoded continuation or
    # Windows-1252 punctuation) before the exact test runs on the text.
    if encoding == "windows-1252" or _MOJIBAKE_BYTES.search(body) is None:
        return  # (a Windows-1252 file was tested for UTF-8 inside it as it was decoded)
    found = _first_double_encoded(text)
    if found is not None:
        at, (garbled, original) = found
        raise SeedError(
            "NC-SEED-006",
            f"double-encoded UTF-8 (mojibake): {garbled!r} is {original!r} decoded twice",
            _line_of(text, at),
        )


# Windows-1252 punctuation that follows "Ã" when an uppercase accented letter is read twice
# ("Ô" becomes "Ã”"), and that also closes a word in Portuguese capitals ("AMANHÃ”").
_CLOSING = frozenset("‘’“”•–—˜‚„…‹›")


def _first_double_encoded(text: str) -> tuple[int, tuple[str, str]] | None:
    """(offset, (garbled, original)) of the first UTF-8 sequence read as Windows-1252.

    "Ã" and a closing quote or dash at the end of a word is left alone: there it is far more
    often Portuguese ("AMANHÃ”") than a doubled "Ô", which is a letter, so a word goes on
    after it ("CÃ”TE")."""
    for match in _MOJIBAKE.finditer(text):
        found = _double_encoded(match.group())
        if found is None:
            continue
        garbled, end = found[0], match.start() + len(found[0])
        if (
            len(garbled) == 2
            and garbled[0] == "Ã"
            and garbled[1] in _CLOSING
            and not text[end : end + 1].isalnum()
        ):
            continue
        return match.start(), found
    return None


# Counting by deleting what does not count: the regular expression engine loops over the
# characters, where a generator would run Python code for each. UTF-8 evidence is what
# ``_plausible`` takes, or any character of three or four bytes but U+FFFD.
_NOT_UTF8_EVIDENCE = re.compile(
    "[^\u00a0-\u024f\u0370-\u04ff\u2000-\u206f\u20a0-\u214f\u0800-\ufffc\ufffe-\U0010ffff]+"
)
_NOT_LETTER = re.compile(r"[\W\d_]+")
_NOT_ACCENTED_LETTER = re.compile(r"[\W\d_A-Za-z]+")


def _plausible(char: str) -> bool:
    """A character that double encoding typically garbles: accented Latin, Greek, Cyrillic,
    punctuation, currency and letter-like symbols. Anything else ("ß“" read back as an NKo
    letter) means the characters were meant as they stand."""
    code = ord(char)
    return (
        0xA0 <= code <= 0x24F
        or 0x370 <= code <= 0x4FF
        or 0x2000 <= code <= 0x206F
        or 0x20A0 <= code <= 0x214F
    )


def _double_encoded(candidate: str) -> tuple[str, str] | None:
    """(garbled, original) if a prefix of ``candidate`` is UTF-8 read as Windows-1252."""
    for end in range(len(candidate), 1, -1):
        try:
            repaired = candidate[:end].encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if len(repaired) == 1 and _plausible(repaired):
            return candidate[:end], repaired
    return None


def _refuse_inner_bom(body: bytes, encoding: str) -> None:
    """A byte-order mark belongs at the start of a file only (where decoding drops it). Inside
    the text it is a leftover of joining or pasting files: invisible, yet JSON Schema's ``\\s``
    counts it as white space, so a record with one at a paragraph's edge could not be built,
    and dropping it silently would change the evidence. The contributor deletes it."""
    if encoding == "windows-1252":  # the same bytes are three printable characters there
        return
    found = body.find(UTF8_BOM)
    if found < 0:
        return
    before = body[:found].decode("utf-8")
    line, column = _position(before)
    raise SeedError(
        "NC-SEED-006",
        f"byte-order mark U+FEFF at column {column}, inside the text (left by joining or "
        "pasting files); delete it",
        line,
    )
