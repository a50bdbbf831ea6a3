"""What a message may quote of a value: a short excerpt, never the value itself.

A message is a line for a person or a CI annotation. Quoting a whole 10 MB text makes it a
10 MB line; quoting a string with U+202E in it reorders what the reader sees. Every message
that shows a value shows ``excerpt(value)``.
"""

from __future__ import annotations

import re

# How much of a value a message quotes, and the longest message a reporter prints.
EXCERPT_CHARS = 60
MAX_MESSAGE_CHARS = 500

# Every format character (category Cf): they show nothing, or reorder what follows them.
# Written out (a test holds it to ``unicodedata``): finding them costs a scan of all Unicode.
FORMAT_CHARACTERS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
# ... and the controls (C0, DEL, C1), which end a line or move the cursor.
_UNSEEN = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{FORMAT_CHARACTERS}]")


def excerpt(value: object, chars: int = EXCERPT_CHARS) -> str:
    """A value as a message quotes it: a Python literal, so an invisible or bidirectional
    character reads as its escape (``'\\u202e'``), never as itself; cut to its first ``chars``
    characters, with "…" and the whole length when there is more."""
    if isinstance(value, str):
        if len(value) <= chars:
            return repr(value)
        return f"{value[:chars]!r}… ({len(value):,} characters)"
    text = repr(value)
    if len(text) <= chars:
        return text
    return f"{text[:chars]}… ({len(text):,} characters)"


def printable(text: str) -> str:
    """``text`` with every control and format character written as its escape (a line break
    as ``\\n``): a file name or message then stays one line, and shows what it holds."""
    return _UNSEEN.sub(_escape, text) if _UNSEEN.search(text) else text


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x100:
        return repr(char)[1:-1]  # \n, \t, \x85...
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def safe_message(message: str) -> str:
    """A message as a reporter prints it: ``printable``, and cut to ``MAX_MESSAGE_CHARS``. The
    guard behind ``excerpt``, for a message built from a library's words, which quote values
    as they are."""
    message = printable(message)
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return f"{message[: MAX_MESSAGE_CHARS - 40]}… ({len(message):,} characters)"
