"""Search text -> a safe FTS5 query. Any text is a valid query; none raises."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from tui.domain.kinds import KINDS
from tui.domain.models import RecordKind

MARK_START = "\x02"
"""Marks the start of a matched word in a snippet (replaced before display)."""
MARK_END = "\x03"
"""Marks the end of a matched word in a snippet."""

# Letters and digits only: quotes, operators' punctuation, hyphens, apostrophes and emoji
# all separate words, exactly as SQLite's unicode61 tokenizer does.
_WORD = re.compile(r"[^\W_]+")


_PHRASE = re.compile(r'"([^"]*)"')
"""A phrase in double quotes: its words match whole, in order."""


def fts_query(text: str) -> str | None:
    """Each word quoted (AND, OR, NOT, NEAR are words), the last unquoted one a prefix (as
    typed so far); a phrase in double quotes matches whole words in order, no prefix (an
    unclosed quote is typed text still); None if no words."""
    tokens = fts_tokens(text)
    return " ".join(tokens) if tokens else None


def fts_tokens(text: str) -> list[str]:
    """The FTS5 strings fts_query joins (all of which a match holds), one per word or
    quoted phrase; [] when there are no words."""
    text = unicodedata.normalize("NFC", text)
    parts: list[tuple[list[str], bool]] = []  # (words, a quoted phrase)
    end = 0
    for phrase in _PHRASE.finditer(text):
        parts.append((_WORD.findall(text[end : phrase.start()]), False))
        parts.append((_WORD.findall(phrase[1]), True))
        end = phrase.end()
    parts.append((_WORD.findall(text[end:]), False))
    tokens: list[tuple[str, bool]] = []  # (quoted FTS5 string, a typed word)
    room = 32
    for words, is_phrase in parts:
        words = words[:room]
        room -= len(words)
        if not words:
            continue
        if is_phrase:
            tokens.append(('"' + " ".join(w.replace('"', '""') for w in words) + '"', False))
        else:
            tokens.extend(('"' + w.replace('"', '""') + '"', True) for w in words)
    typed = [n for n, (_, is_word) in enumerate(tokens) if is_word]
    if typed:
        tokens[typed[-1]] = (tokens[typed[-1]][0] + "*", True)
    return [token for token, _ in tokens]


def symbols_of(text: str) -> list[str]:
    """What a query without words searches for: its space-separated pieces (an emoji,
    a '§'), which the index leaves out; [] when it has words (fts_query answers) or nothing."""
    if fts_query(text) is not None:
        return []
    return unicodedata.normalize("NFC", text).split()[:8]


def symbol_snippet(title: str, body: str, symbol: str) -> str:
    """About ten words either side of `symbol` in the title, else in the body, marked as
    FTS5's snippet() marks a match."""
    text = title if symbol in title else body
    at = text.find(symbol)
    if at < 0:
        return ""
    before = text[:at].split()[-10:]
    after = text[at + len(symbol) :].split(maxsplit=10)[:10]
    head = ("…" if len(before) < len(text[:at].split()) else "") + " ".join(before)
    tail = " ".join(after) + ("…" if len(after) < len(text[at + len(symbol) :].split()) else "")
    glue_before = " " if head and text[at - 1 : at].isspace() else ""
    glue_after = " " if tail and text[at + len(symbol) : at + len(symbol) + 1].isspace() else ""
    return f"{head}{glue_before}{MARK_START}{symbol}{MARK_END}{glue_after}{tail}"


KIND_HEADINGS: dict[str, str] = {kind.name: kind.heading for kind in KINDS if kind.searchable}
"""How results are grouped, in this order, wherever they are shown."""
KIND_NAMES: dict[str, str] = {kind.name: kind.label for kind in KINDS if kind.searchable}


@dataclass(frozen=True)
class SearchHit:
    """One record that matches, with the match shown in context."""

    kind: RecordKind
    id: int
    title: str
    snippet: str
    """Text around the match, with matched words between MARK_START and MARK_END."""
    event_id: int | None = None
    """For a session or a task: the event it belongs to."""
    event_title: str | None = None
    """For a session or a task: its event's title (two same-titled tasks told apart)."""
    start_date: date | None = None
    """For an event: its first day (a series: its first occurrence); a session: its day."""
    end_date: date | None = None
    """For an event: its last day."""
    repeats: bool = False
    """For an event: it is a repeating series."""

    def plain_snippet(self, start: str = "", end: str = "") -> str:
        """The snippet with the match marks replaced by `start` and `end`."""
        return self.snippet.replace(MARK_START, start).replace(MARK_END, end)
