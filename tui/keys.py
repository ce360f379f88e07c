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
