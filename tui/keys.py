"""The key a binding is on now, in words: for the help, the palette and hints.

Kept below the screens and panes so any of them can say its keys without importing another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import Binding
from textual.dom import DOMNode

KEY_NAMES = {
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "slash": "/",
    "backspace": "backspace",
}


def key_label(keys: str) -> str:
    """'left,h' -> 'left / h'; textual key names shown as typed."""
    return " / ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def key_for(binding_id: str, owners: Iterable[type[DOMNode]], keymap: Mapping[str, str]) -> str:
    """The key a binding is on now, as the help shows it: the [keys] config's, else the
    binding's own (raises KeyError for an id no owner declares)."""
    for owner in owners:
        for binding in getattr(owner, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.id == binding_id:
                return key_label(keymap.get(binding_id, binding.key))
    raise KeyError(binding_id)


def with_key(
    help_text: str,
    binding_id: str,
    owners: Iterable[type[DOMNode]],
    keymap: Mapping[str, str],
    where: str = "",
) -> str:
    """A palette command's help with its key after it: "Go to today (t)"; `where` names
    the pane the key works in (" in the guest list")."""
    return f"{help_text} ({key_for(binding_id, owners, keymap)}{where})"


MOVES = frozenset({"cursor_down", "cursor_up", "screen.first", "screen.last"})
"""Actions a palette entry would add nothing to (a move of the cursor by one)."""


def screen_commands(
    screen: DOMNode, prefix: str, keymap: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """A screen's own keys as palette entries: (title, help with its key, action), one per
    action, in the order of its BINDINGS (the calendar's palette had the week grid's and
    the pipeline's export, zone, filter and go-to missing there)."""
    entries: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    owner = type(screen)
    for binding in getattr(owner, "BINDINGS", []):
        if not isinstance(binding, Binding) or not binding.id or binding.action in seen:
            continue
        if binding.action in MOVES:
            continue
        seen.add(binding.action)
        help_text = with_key(binding.tooltip or binding.description, binding.id, [owner], keymap)
        entries.append((f"{prefix}: {binding.description.lower()}", help_text, binding.action))
    return entries
