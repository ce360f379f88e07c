"""Escaping user text for CommonMark so that it renders exactly as typed.

Nothing a title or a note contains may become a heading, a list, a link, an image, HTML,
a code span or a broken table. Escapes are kept to what CommonMark needs, so that the
file still reads well as plain text ("Washington D.C." stays as it is).
"""

from __future__ import annotations

import functools
import re

from tui.domain.text import UNSAFE_CHARACTERS

# Inline punctuation that can start emphasis, code, links, HTML, tables or strikethrough.
_INLINE = re.compile(r"([\\`*\[\]<>|~])")
# "_" only makes emphasis at a word's edge: "New_York" is left alone, "_x_" is not.
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
# An entity or numeric character reference would be decoded ("&amp;" shows as "&").
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_CLOSING_HASHES = re.compile(r"(\s)(#+)$")
# Constructs that only count at the start of a line.
_LINE_START = [
    (re.compile(r"^(\s*)(#{1,6})(?=\s|$)"), r"\1\\\2"),  # ATX heading
    (re.compile(r"^(\s*)([-+*])(?=\s|$)"), r"\1\\\2"),  # bullet
    (re.compile(r"^(\s*)(\d{1,9})([.)])(?=\s|$)"), r"\1\2\\\3"),  # ordered list
    (re.compile(r"^(\s*)(=+|-+)(\s*)$"), r"\1\\\2\3"),  # setext underline / thematic break
    (re.compile(r"^(\s*)([-*_])(\s*\2){2,}\s*$"), r"\1\\\2\3"),  # thematic break
]


# Text no escape below changes: a letter first (no heading, list or break can begin), then
# letters, digits, single spaces and punctuation that means nothing inline. Most titles and
# places are such text, and an agenda of 1,000 events spent 25 ms escaping them (issue 24).
_PLAIN = re.compile(r"[^\W\d_](?:[^\W_]|[,.'’()/:;–—!?\"%+=-]| (?! |$))*")


def strip_controls(text: str) -> str:
    """Remove control characters and bidi overrides (they must not reach a file)."""
    return UNSAFE_CHARACTERS.sub("", text.replace("\r\n", "\n"))


def inline(text: str | None) -> str:
    """One line of user text, safe anywhere inline (line breaks become spaces)."""
    if not text:
        return ""
    if _PLAIN.fullmatch(text):
        return text
    return _inline(text)


@functools.lru_cache(maxsize=8192)
def _inline(text: str) -> str:
    # Cached: an agenda repeats its places, program areas and a series' title many times.
    flat = " ".join(strip_controls(text).split())
    flat = _INLINE.sub(r"\\\1", flat)
    flat = _UNDERSCORE.sub(r"\\_", flat)
    flat = _ENTITY.sub(r"\\&", flat)
    # A closing ATX sequence would be dropped from a heading: "Title #" -> "Title".
    flat = _CLOSING_HASHES.sub(r"\1\\\2", flat)
    for pattern, replacement in _LINE_START:
        flat = pattern.sub(replacement, flat)
    return flat


def cell(text: str | None) -> str:
    """Text for a GitHub table cell (pipes escaped by `inline`; never empty-looking)."""
    return inline(text)


def paragraphs(text: str | None, marker: str = "-") -> str:
    """Multi-line user text as escaped paragraphs; "- " bullet lines stay a list, written
    with `marker` ("*" right after another "-" list: CommonMark joins two lists of one
    marker that only a blank line parts, and a summary's bullets became items of the
    event's facts)."""
    if not text:
        return ""
    blocks: list[str] = []
    for raw_block in re.split(r"\n\s*\n", strip_controls(text).strip()):
        lines = [line.strip() for line in raw_block.split("\n") if line.strip()]
        out: list[str] = []
        for line in lines:
            bullet = re.match(r"^[-*•]\s+(.*)$", line)
            if bullet:
                out.append(f"{marker} {inline(bullet[1])}")
            else:
                out.append(inline(line))
        # Bullets and plain lines in one block are separated so neither swallows the other.
        grouped: list[str] = []
        for line in out:
            item = f"{marker} "
            if grouped and (line.startswith(item) != grouped[-1].startswith(item)):
                blocks.append("\n".join(grouped))
                grouped = []
            grouped.append(line)
        if grouped:
            blocks.append("\n".join(grouped))
    return "\n\n".join(blocks)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A GitHub table; cells must already be escaped."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(value if value else " " for value in row) + " |")
    return "\n".join(lines)


def text_after(previous: list[str], text: str) -> str:
    """`paragraphs(text)` to follow the lines `previous`: when both a "-" list ends
    `previous` and one begins the text, the text's bullets take "*" (see paragraphs)."""
    written = paragraphs(text)
    last = next((line for line in reversed(previous) if line.strip()), "")
    if written.startswith("- ") and last.startswith("- "):
        return paragraphs(text, marker="*")
    return written
