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


def test_a_utf8_file_with_a_stray_windows_1252_byte_is_refused_as_mixed() -> None:
    """Read as Windows-1252 as a whole, every UTF-8 character in it would become mojibake."""
    data = "Café owners protest\n\nThe café association’s head said.\n".encode() + b"na\xefve\n"
    with pytest.raises(SeedError) as raised:
        decode_seed(data)
    assert (raised.value.code, raised.value.line) == ("NC-SEED-005", 4)
    assert "mixed encodings" in raised.value.message and "0xEF at column 3" in raised.value.message


def test_a_windows_1252_file_with_one_utf8_character_is_refused_as_mixed() -> None:
    data = "Ça coûte très cher à Zürich, déjà.\n".encode("cp1252") + "Café.\n".encode()
    with pytest.raises(SeedError) as raised:
        decode_seed(data)
    message = raised.value.message
    assert raised.value.code == "NC-SEED-005" and "mixed encodings" in message
    assert "line 2" in message and "'é'" in message


def test_a_utf8_russian_file_with_a_stray_byte_is_refused_as_mixed() -> None:
    data = "Заголовок\n\nВ Москве выпал снег.\n".encode() + b"\xc0\n"
    with pytest.raises(SeedError) as raised:
        decode_seed(data)
    assert "mixed encodings" in raised.value.message and raised.value.line == 4


def test_a_windows_1252_file_is_not_taken_for_mixed() -> None:
    text = "Gruß“ aus São Paulo: “O FUTURO É AMANHÃ”, disse — café €5\n"
    assert decode_seed(text.encode("cp1252")) == (text, "windows-1252")


@pytest.mark.parametrize("text", ["“O FUTURO É AMANHÃ”, em referência", "IRMÃ’ e MAÇÃ—"])
def test_portuguese_capitals_before_a_closing_mark_are_not_mojibake(text: str) -> None:
    assert decode_seed(f"Title\n\n{text}\n".encode())[0].endswith(text + "\n")


def test_a_doubled_capital_inside_a_word_is_still_mojibake() -> None:
    with pytest.raises(SeedError) as raised:
        decode_seed("Title\n\nLa CÃ”TE d’Azur.\n".encode())
    assert raised.value.code == "NC-SEED-006" and "'Ô'" in raised.value.message


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Заголовок\n\nВ Москве выпал рекордный снег, сообщили синоптики.\n", "cp1251"),
        ("Τίτλος\n\nΗ κυβέρνηση ανακοίνωσε νέα μέτρα για την ενέργεια.\n", "iso8859_7"),
        ("标题\n\n国家统计局今天发布数据，前三季度经济增长。\n", "gbk"),
    ],
)
def test_another_legacy_encoding_is_not_read_as_windows_1252(text: str, encoding: str) -> None:
    with pytest.raises(SeedError) as raised:
        decode_seed(text.encode(encoding))
    message = raised.value.message
    assert raised.value.code == "NC-SEED-005"
    assert "another legacy encoding" in message or "is not Windows-1252" in message
    assert "mixed" not in message


def test_western_windows_1252_text_passes_the_letter_test() -> None:
    text = "Ça coûte très cher, déjà à Zürich: “Größe”, São Tomé, Ærø, Ísland.\n"
    assert decode_seed(text.encode("cp1252")) == (text, "windows-1252")


def test_a_utf8_chinese_file_with_a_stray_byte_is_refused_as_mixed() -> None:
    data = "标题\n\n国家统计局今天发布数据。\n".encode() + b"caf\xe9\n"
    with pytest.raises(SeedError) as raised:
        decode_seed(data)
    assert "mixed encodings" in raised.value.message and raised.value.line == 4


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named(codec: str) -> None:
    with pytest.raises(SeedError) as raised:
        decode_seed("Title\n\nA body paragraph, in plain words.\n".encode(codec))
    assert raised.value.code == "NC-SEED-005" and "UTF-16" in raised.value.message


def test_a_binary_file_is_still_binary() -> None:
    with pytest.raises(SeedError) as raised:
        decode_seed(b"Title\n\nBody\n" + bytes(range(256)) * 4)
    assert raised.value.code == "NC-SEED-004"
