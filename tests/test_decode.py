"""Seed bytes to text: exact decoding or a clear refusal, never mojibake or U+FFFD."""

from __future__ import annotations

import pytest

from newscorpus.decode import decode_seed
from newscorpus.problems import SeedError


def test_utf8_and_bom() -> None:
    assert decode_seed("Tête\n".encode()) == ("Tête\n", "utf-8")
    assert decode_seed(b"\xef\xbb\xbf" + "Tête\n".encode()) == ("Tête\n", "utf-8-sig")


def test_windows_1252_is_decoded_exactly() -> None:
    raw = "“Don’t” — café €5\n".encode("cp1252")
    assert decode_seed(raw) == ("“Don’t” — café €5\n", "windows-1252")


@pytest.mark.parametrize(
    ("data", "code", "line"),
    [
        (b"", "NC-SEED-003", None),
        (b"  \n\n\t\n", "NC-SEED-003", None),
        (b"Title\n\nbody\x00more", "NC-SEED-004", 3),
        (b"Title\n\nbody \x07 bell\n", "NC-SEED-004", 3),
        (b"Title\n\n\x81\x8d\x8f bytes undefined in cp1252\n", "NC-SEED-005", 3),
        (b"\xff\xfeT\x00i\x00", "NC-SEED-005", 1),
        ("Title\n\nIt\ufffds broken\n".encode(), "NC-SEED-006", 3),
        ("Title\n\nJoined here.\n\ufeffSecond file\n".encode(), "NC-SEED-006", 4),
        (b"\xef\xbb\xbf\xef\xbb\xbfTitle\n\nTwo marks at the start\n", "NC-SEED-006", 1),
        # lines end as the parser ends them: a lone CR too (old Mac files)
        (b"Title\r\rJoined.\r\xef\xbb\xbfSecond\r", "NC-SEED-006", 4),
        (b"Title\r\n\r\nbody \x07 bell\r\n", "NC-SEED-004", 3),
        ("Title\n\nIt’s fine\nbut Itâ€™s not\n".encode(), "NC-SEED-006", 4),
        (b"x" * (10 * 1024 * 1024 + 1), "NC-SEED-012", None),
    ],
)
def test_refusals_name_the_line(data: bytes, code: str, line: int | None) -> None:
    with pytest.raises(SeedError) as raised:
        decode_seed(data)
    assert raised.value.code == code
    assert raised.value.line == line


def test_legitimate_accents_are_not_mojibake() -> None:
    text = "Â la carte, São Paulo, Ça va, Ñandú, Œuvre\n"
    assert decode_seed(text.encode()) == (text, "utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "Er sagte „Fuß“ und ging.",  # ß followed by a German closing quote
        "Il a dit « déjà » hier.",  # à, a no-break space and a guillemet
        "Ü–Strecke",
        "SÃO PAULO e CÂMARA",
    ],
)
def test_ordinary_typography_is_not_mojibake(text: str) -> None:
    assert decode_seed(f"Title\n\n{text}\n".encode())[0].endswith(text + "\n")


@pytest.mark.parametrize(
    ("garbled", "original"),
    [("Itâ€™s", "’"), ("cafÃ©", "é"), ("Ã©»", "é"), ("â‚¬5", "€"), ("ÐŸÑ€Ð¸", "П")],
)
def test_real_mojibake_is_refused(garbled: str, original: str) -> None:
    with pytest.raises(SeedError) as raised:
        decode_seed(f"Title\n\nText {garbled} here.\n".encode())
    assert raised.value.code == "NC-SEED-006" and repr(original) in raised.value.message
