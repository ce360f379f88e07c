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
            prompt = Text(f"Open: {clean(hit.title)}")
            text = f"Open: {hit.title}"
            if hit.event_title is not None:
                # A session or a task says its event: two "Send the briefing book" differ.
                prompt.append(f" — {clean(hit.event_title)}", style="dim")
                text += f" — {hit.event_title}"
            yield Hit(
                1.0 - rank / 40,
                prompt,
                partial(self.convener.open_ref, target_of(hit)),
                text=text,
                help=KIND_NAMES[hit.kind],
            )
