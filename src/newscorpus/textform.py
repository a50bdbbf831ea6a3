"""What a body in normal form looks like, recognised in one pass of a linear-time regex.

A body in normal form is its paragraphs joined by one blank line, each paragraph words with
one space between them (a word: characters that are neither white space nor controls), and
all of it NFC. Three places need to know that of a text, cheaply:

- the normaliser, to leave a body that is already normal untouched (``is_normal_body``);
- the build's schema check, to stand in for the paragraphs' pattern (``is_folded_body``);
- ``validate``'s fast path, to prove a record's text sound (``sound_text`` in the rules).

jsonschema-rs is the regex engine: Rust's regex crate, linear in the text, several times the
speed of the three or four whole-string passes in Python it replaces (``str.isprintable``, a
search for a double space, ``unicodedata.is_normalized``). It reads the text in UTF-8, which
CPython then keeps with the string, so the hash and the serialisation that follow reuse it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import cache

import jsonschema_rs

from newscorpus.nfc_safe import NFC_SAFE_WORD_CHARACTERS

PARAGRAPH_SEPARATOR = "\n\n"

# Python's own whitespace (what ``str.split`` splits on): a test checks this list against
# ``str.isspace`` over all of Unicode, so the pattern means what the normaliser means. Written
# out, because deriving it here would scan every code point at each start-up. \n is one of
# them. C0 controls and DEL are kept out of words too: the normaliser keeps them, but a data
# line escapes them (NC-JSON-005), and only the full check of a line looks for that inside
# the text, so such a text must not pass for normal here (it then takes the slow paths).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Characters that show nothing and are not white space to Python. A seed line of them and of
# white space (a web page's "empty" paragraph, copied) is a blank line; beside words, they are
# text, kept as written.
INVISIBLE = "\u200b\u200c\u200d\u2060"
_SPACE = "".join(f"\\u{ord(c):04x}" for c in WHITESPACE)
# U+FEFF is not Python's white space but is JSON Schema's (ECMA-262 ``\\s``): kept out of words,
# a word character is ``\\S`` to both, which is what lets a folded body stand in for the
# paragraphs' pattern (see ``schemas.bulk_validator``).
_WORD = f"[^{_SPACE}\\u0000-\\u001f\\u007f\\ufeff]+"


def _text_pattern(word: str) -> Callable[[str], bool]:
    """Whether a text is words with single spaces between them and one blank line between
    paragraphs."""
    words = f"{word}(?: {word})*"
    return jsonschema_rs.validator_for(
        {"type": "string", "pattern": f"^{words}(?:\\n\\n{words})*$"},
        pattern_options=jsonschema_rs.RegexOptions(),
    ).is_valid


def _code(point: int) -> str:
    return f"\\u{point:04x}" if point < 0x10000 else f"\\u{{{point:x}}}"


# The two patterns are compiled on first use (their classes are large): `validate`, where
# the C accelerator proves sound bodies (validate/onepass.py), most often needs neither.
@cache
def _folded() -> Callable[[str], bool]:
    return _text_pattern(_WORD)


@cache
def _folded_nfc() -> Callable[[str], bool]:
    # words made only of characters that cannot make a text un-NFC (nfc_safe.py, a subset of
    # the word characters above)
    return _text_pattern(
        "["
        + "".join(
            _code(low) if low == high else f"{_code(low)}-{_code(high)}"
            for low, high in NFC_SAFE_WORD_CHARACTERS
        )
        + "]+"
    )


def folded(text: str) -> bool:
    """Whether ``text`` is words with single spaces between them and one blank line between
    paragraphs (a word: characters that are neither white space nor controls)."""
    return _folded()(text)


def folded_nfc(text: str) -> bool:
    """``folded``, with every character NFC-safe: a text that passes is folded *and* NFC in one
    pass, and ``unicodedata.is_normalized`` runs only on the rest (combining marks, Hangul
    jamo...)."""
    return _folded_nfc()(text)


def is_normal_body(body: str, paragraphs: int) -> bool:
    """Whether ``body``, made of ``paragraphs`` paragraphs joined by a blank line, is in normal
    form: then normalising each paragraph would give it back unchanged.

    Its only line breaks are the separators (so no paragraph holds one, and the pattern's blank
    lines are exactly the joins), every paragraph is words with single spaces, and it is NFC.
    NFC of the whole is NFC of the parts: a line break, like a space, is a stable character
    that never composes or reorders with its neighbours."""
    return body.count("\n") == 2 * (paragraphs - 1) and (
        folded_nfc(body) or (folded(body) and unicodedata.is_normalized("NFC", body))
    )


def is_folded_body(body: str, paragraphs: Sequence[str]) -> bool:
    """Whether ``body`` is ``paragraphs`` joined by a blank line, each of them words with single
    spaces between them: then no paragraph is empty, holds a line break, or starts or ends
    with white space, which is what the schema's pattern for a paragraph asks."""
    return (
        body.count("\n") == 2 * (len(paragraphs) - 1)
        and body == PARAGRAPH_SEPARATOR.join(paragraphs)
        and folded(body)
    )
