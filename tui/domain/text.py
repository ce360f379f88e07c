"""Cleaning of user text: control characters and bidi overrides never reach a terminal."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding,
# override and isolate characters (Trojan Source). A lone carriage return is a
# control too; CRLF is folded to LF before this runs.
UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
)

# Whole terminal sequences, dropped with their parameters: a colour or a window title in a
# pasted or imported title ("\x1b[31mred\x1b[0m") reads as the words it wrapped.
# Only ESC-led ones: a C1 control alone (often a Windows quote decoded as Latin-1) is
# dropped by itself, never with the letters after it.
_SEQUENCES = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clearing
    "|\x1b\\][^\x00-\x1f\x7f-\x9f]*(?:\x07|\x1b\\\\|\x9c)"  # OSC, ended: a window title
)


def _shown(match: re.Match[str]) -> str:
    """What an unsafe character shows as: a C0 control or DEL in caret notation, as
    terminals and `cat -v` write them (BEL ^G, ESC ^[, DEL ^?): readable, and nothing a
    terminal acts on; a C1 control or a bidi mark, nothing (a box, U+FFFD, said nothing
    and read as a broken font)."""
    code = ord(match.group())
    if code < 0x20 or code == 0x7F:
        return "^" + chr(code ^ 0x40)
    return ""


def clean(text: str) -> str:
    """Return `text` with CRLF folded, terminal sequences dropped and every other unsafe
    character shown harmlessly (see `_shown`)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if UNSAFE_CHARACTERS.search(text) is None:
        return text
    return UNSAFE_CHARACTERS.sub(_shown, _SEQUENCES.sub("", text))


def clean_line(text: str) -> str:
    """Like `clean`, for a one-line field: line breaks and tabs become spaces, ends trimmed."""
    return " ".join(clean(text).split())


TITLE_IN_MESSAGE = 60
"""The most of a record's title a one-line message shows (a 300-character title made a
toast seven lines tall)."""


def clipped(text: str, limit: int = TITLE_IN_MESSAGE) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis when longer."""
    line = clean_line(text)
    if len(line) <= limit:
        return line
    return line[: limit - 1].rstrip() + "…"


def quoted(text: str) -> str:
    """`text` on one line between quotes for a message: 'Bern', "O'Brien", never the
    backslashes of a Python repr (on one line, controls as placeholders)."""
    line = clean_line(text)
    if "'" not in line:
        return f"'{line}'"
    if '"' not in line:
        return f'"{line}"'
    return f"“{line}”"


def clean_optional(text: str | None) -> str | None:
    """`clean` that keeps None and turns blank text into None."""
    if text is None:
        return None
    cleaned = clean(text).strip()
    return cleaned or None


def fold(text: str) -> str:
    """A comparison key: lower case, accents and punctuation dropped, spaces collapsed.

    "Jai-Ayla  Sutherland" and "jai ayla sutherland" fold alike; so do "Zürich" and
    "Zurich", and curly and straight quotes.
    """
    if text.isascii():  # nothing to decompose or drop: the same key, without a pass per character
        return " ".join(_WORDS.findall(text.lower()))
    no_marks = unicodedata.normalize("NFKD", text).translate(_MARKS)
    words = _WORDS.findall(no_marks.casefold())
    return " ".join(words)


_WORDS = re.compile(r"\w+")


class _Marks(dict[int, int | None]):
    """str.translate's table dropping combining marks (accents): each character looked up
    once with unicodedata, then answered by the dict; at most a few thousand kept."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        if len(self) < 4096:
            self[code] = kept
        return kept


_MARKS = _Marks()


def joined(items: Sequence[str], word: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' ('' for none); `word` between the last two ("or")."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]
