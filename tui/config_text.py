"""Rewriting a few top-level keys of config.toml in its text, the rest kept byte for byte.

tomli-w writes a whole document and drops the officer's comments, so saving a setting
(the default view) edits only the lines of that key or table and leaves every other line,
comment and blank line as it was.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import tomli_w


@dataclass(frozen=True)
class _Span:
    """Lines [start, end) of the text that define the top-level key `name`."""

    name: str
    start: int
    end: int
    table: bool
    """True for a `[name]` or `[name.sub]` section, False for a `name = ...` statement."""


def _first_name(document: str) -> str | None:
    try:
        parsed = tomllib.loads(document)
    except tomllib.TOMLDecodeError:
        return None
    return next(iter(parsed), None)


def _spans(lines: list[str]) -> tuple[list[_Span], int]:
    """Each top-level key's lines, and the line the first table header starts on."""
    spans: list[_Span] = []
    first_header = len(lines)
    table: _Span | None = None
    index = 0
    while index < len(lines):
        stripped = lines[index].strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        if stripped.startswith("["):
            if table is not None:
                spans.append(table)
            first_header = min(first_header, index)
            name = _first_name(stripped + "\n")
            table = _Span(name or "", index, index + 1, True)
            index += 1
            continue
        # A statement may run over several lines (an array, a multi-line string): it ends
        # where its lines first parse on their own.
        end = index + 1
        while end <= len(lines) and _first_name("".join(lines[index:end])) is None:
            end += 1
        end = min(end, len(lines))
        if table is not None:
            table = _Span(table.name, table.start, end, True)
        else:
            spans.append(_Span(_first_name("".join(lines[index:end])) or "", index, end, False))
        index = end
    if table is not None:
        spans.append(table)
    return spans, first_header


def _top_level_end(lines: list[str], first_header: int) -> int:
    """Where a new top-level statement goes: after the last one, before the first table
    and the comments just above it."""
    position = first_header
    while position > 0 and lines[position - 1].lstrip().startswith("#"):
        position -= 1
    while position > 0 and not lines[position - 1].strip():
        position -= 1
    return position


def _same_header(line: str, header: str, name: str) -> bool:
    try:
        return tomllib.loads(line) == tomllib.loads(header) == {name: {}}
    except tomllib.TOMLDecodeError:
        return False


def replace_keys(text: str, changes: Mapping[str, Any]) -> str:
    """`text` with each top-level key of `changes` set to its value (None: removed).

    Only the lines of a changed key or table are rewritten; a key not yet in the file is
    added (a statement before the first table, a table at the end).
    """
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    for name, value in changes.items():
        spans, first_header = _spans(lines)
        own = [span for span in spans if span.name == name]
        new = [] if value is None else tomli_w.dumps({name: value}).splitlines(keepends=True)
        is_table = bool(new) and new[0].startswith("[")
        place = next((span for span in own if span.table == is_table), None)
        if place is not None and is_table and _same_header(lines[place.start], new[0], name):
            new[0] = lines[place.start]  # the header's own comment stays
        for span in sorted(own, key=lambda span: span.start, reverse=True):
            lines[span.start : span.end] = new if span is place else []
        if place is not None or not new:
            continue
        if is_table:
            if lines and lines[-1].strip():
                lines.append("\n")
            lines.extend(new)
        else:
            spans, first_header = _spans(lines)
            position = _top_level_end(lines, first_header)
            if position < len(lines) and lines[position].strip():
                new.append("\n")  # a blank line between it and the table's comment or header
            lines[position:position] = new
    return "".join(lines)
