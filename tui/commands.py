"""Palette provider: jump to any record by name, backed by the same search as `/`."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import Hit, Hits, Provider

from tui.domain.search import KIND_NAMES
from tui.domain.text import clean
from tui.screens.search import target_of

if TYPE_CHECKING:
    from tui.app import ConvenerApp


class RecordsProvider(Provider):
    """Records whose words match what is typed in the palette."""

    @property
    def convener(self) -> ConvenerApp:
        """The app, typed."""
        return cast("ConvenerApp", self.app)

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
