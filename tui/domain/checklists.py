"""Checklist templates per event kind: shipped defaults, overridable in config.toml."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tui.domain import validate
from tui.domain.errors import InvalidInput
from tui.domain.models import EVENT_KINDS
from tui.domain.task_watch import parse_watch
from tui.domain.tasks import parse_due

MAX_ITEMS = 100
"""The most tasks one kind's template may hold."""


@dataclass(frozen=True)
class ChecklistItem:
    """One task of a template: its title and when it is due relative to the event."""

    title: str
    due: str = ""
    watch: str = ""
    """What the task watches on the guest list: "replies after 14 days", "needs" (or "")."""


def checklist_items(value: Any, where: str) -> tuple[ChecklistItem, ...]:
    """A template read from TOML (a list of {title, due} tables), checked; InvalidInput
    names `where` (e.g. "checklists.workshop") and the item at fault."""
    if not isinstance(value, list):
        raise InvalidInput(f"{where} must be a list of {{ title = ..., due = ... }} tables")
    if len(value) > MAX_ITEMS:
        raise InvalidInput(f"{where} has {len(value)} tasks; at most {MAX_ITEMS}")
    items: list[ChecklistItem] = []
    for number, entry in enumerate(value, start=1):
        if not isinstance(entry, dict):
            raise InvalidInput(
                f"{where} item {number} must be a {{ title = ..., due = ... }} table"
            )
        unknown = sorted(set(entry) - {"title", "due", "watch"})
        if unknown:
            raise InvalidInput(f"{where} item {number}: unknown key {unknown[0]!r}")
        try:
            title = validate.required_text(entry.get("title"), "title")
            due = validate.text(entry.get("due"), "due") or ""
            parse_due(due)
            watch = validate.text(entry.get("watch"), "watch") or ""
            parse_watch(watch)
        except InvalidInput as error:
            raise InvalidInput(f"{where} item {number}: {error}") from None
        items.append(ChecklistItem(title=title, due=due, watch=watch))
    return tuple(items)


def checklists_from(table: Mapping[str, Any], where: str) -> dict[str, tuple[ChecklistItem, ...]]:
    """Templates by event kind from a TOML table of kinds."""
    result: dict[str, tuple[ChecklistItem, ...]] = {}
    for kind, value in table.items():
        if kind not in EVENT_KINDS:
            raise InvalidInput(f"{where}.{kind}: not an event kind ({', '.join(EVENT_KINDS)})")
        result[kind] = checklist_items(value, f"{where}.{kind}")
    return result


@lru_cache(maxsize=1)
def shipped_checklists() -> Mapping[str, Sequence[ChecklistItem]]:
    """The templates that ship with Convener (checklists.toml beside this module)."""
    # Beside this module (package data): read as a file, not through importlib.resources,
    # whose readers import zipfile and cost every command line run about 18 ms.
    text = Path(__file__).with_name("checklists.toml").read_text(encoding="utf-8")
    return checklists_from(tomllib.loads(text), "checklists")
