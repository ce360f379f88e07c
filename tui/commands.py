"""The palette: its commands' key hints read off the bindings, and a provider that jumps
to any record by name (backed by the same search as `/`)."""

from __future__ import annotations

import asyncio
from functools import partial

from rich.text import Text
from textual.command import Hit, Hits, Provider

from tui.context import UsesConvener
from tui.domain.search import KIND_NAMES
from tui.domain.text import clean
from tui.screens.search import target_of


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
