"""The palette: its commands' key hints read off the bindings, and a provider that jumps
to any record by name (backed by the same search as `/`)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from functools import partial

from rich.text import Text
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.dom import DOMNode

from tui.context import UsesConvener
from tui.domain.search import KIND_NAMES
from tui.domain.text import clean
from tui.screens.help import key_label
from tui.screens.search import target_of


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


class RecordsProvider(UsesConvener, Provider):
    """Records whose words match what is typed in the palette."""

    async def search(self, query: str) -> Hits:
        """Up to 20 records, best first, each opening like a search result."""
        if len(query.strip()) < 2:
            return
        hits = await asyncio.to_thread(self.convener.planner.search, query, 20)
        for rank, hit in enumerate(hits):
            yield Hit(
                1.0 - rank / 40,
                Text(f"Open: {clean(hit.title)}"),
                partial(self.convener.open_ref, target_of(hit)),
                text=f"Open: {hit.title}",
                help=KIND_NAMES[hit.kind],
            )
