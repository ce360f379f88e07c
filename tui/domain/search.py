"""Search text -> a safe FTS5 query. Any text is a valid query; none raises."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from tui.domain.kinds import KINDS
from tui.domain.models import RecordKind
from tui.domain.patterns import LazyPattern

MARK_START = "\x02"
"""Marks the start of a matched word in a snippet (replaced before display)."""
MARK_END = "\x03"
"""Marks the end of a matched word in a snippet."""

# Letters and digits only: quotes, operators' punctuation, hyphens, apostrophes and emoji
# all separate words, exactly as SQLite's unicode61 tokenizer does.
_WORD = LazyPattern(r"[^\W_]+")


_PHRASE = LazyPattern(r'"([^"]*)"')
"""A phrase in double quotes: its words match whole, in order."""

OPERATORS = ("OR", "AND")
"""The search words that are not words (in capitals, between two words or phrases): OR
finds either, AND is what a space means already. NOT, NEAR, brackets, a minus and any
other sign are plain text (a sign separates words)."""

SEARCH_HELP = (
    'Every word must match; "a phrase" in quotes; OR between two words for either;'
    " word* for words beginning so. NOT, NEAR, brackets and signs are plain text."
)
"""What the search box (and `convener search --help`) says a query may hold."""

_MAX_WORDS = 32
"""Words beyond these are left out of a query (a pasted page stays cheap to search)."""


def fts_query(text: str) -> str | None:
    """Each word quoted, so FTS5 syntax typed is never run as such; the last unquoted one a
    prefix (as typed so far), and any word typed with a * after it; a phrase in double
    quotes matches whole words in order, no prefix (an unclosed quote is typed text still);
    OR between two words or phrases matches either (see OPERATORS); None if no words."""
    tokens = fts_tokens(text)
    if not tokens:
        return None
    # FTS5 reads "a b" as both, but wants AND written out beside a bracketed OR.
    return (" AND " if any(t.startswith("(") for t in tokens) else " ").join(tokens)


@dataclass
class _Operand:
    """A quoted word or phrase of a query, as fts_tokens reads it."""

    quoted: str
    typed: bool
    """A word typed (not in a phrase): the last one is a prefix, as typed so far."""
    prefix: bool = False


def fts_tokens(text: str) -> list[str]:
    """The FTS5 strings fts_query joins (all of which a match holds), one per word, quoted
    phrase or OR group ('("a" OR "b")'); [] when there are no words."""
    text = unicodedata.normalize("NFC", text)
    items: list[_Operand | str] = []  # a str: an operator (OR, AND)
    room = _MAX_WORDS
    end = 0
    pieces: list[tuple[str, bool]] = []  # (text, a quoted phrase)
    for phrase in _PHRASE.finditer(text):
        pieces += [(text[end : phrase.start()], False), (phrase[1], True)]
        end = phrase.end()
    pieces.append((text[end:], False))
    for piece, is_phrase in pieces:
        if is_phrase:
            words = _WORD.findall(piece)[:room]
            room -= len(words)
            if words:
                items.append(_Operand('"' + " ".join(_quoted(w) for w in words) + '"', False))
            continue
        for chunk in piece.split():
            if chunk in OPERATORS:
                items.append(chunk)
                continue
            words = _WORD.findall(chunk)[:room]
            room -= len(words)
            operands = [_Operand('"' + _quoted(w) + '"', True) for w in words]
            if operands and chunk.endswith("*"):
                operands[-1].prefix = True
            items += operands
    if all(isinstance(item, str) for item in items):  # "OR" alone: a word (Oregon, typed)
        items = [_Operand(f'"{item}"', True) for item in items[:room] if isinstance(item, str)]
    typed = [item for item in items if isinstance(item, _Operand) and item.typed]
    if typed:
        typed[-1].prefix = True
    tokens: list[str] = []
    joined = False  # the next operand joins the last token with OR
    for item in items:
        if isinstance(item, str):  # OR or AND: only between two operands, else ignored
            joined = item == "OR" and bool(tokens)
            continue
        token = item.quoted + ("*" if item.prefix else "")
        if joined:
            last = tokens[-1]
            alternatives = last[1:-1] if last.startswith("(") else last
            tokens[-1] = f"({alternatives} OR {token})"
        else:
            tokens.append(token)
        joined = False
    return tokens


def _quoted(word: str) -> str:
    return word.replace('"', '""')


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
