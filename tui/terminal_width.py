"""Emoji written with variation selector 16 (U+FE0F: 🍽️, ❤️, ☎️, ✈️, ⚠️) measured and
shown one cell wide, alike in every terminal.

Terminals disagree on such a pair: kitty, iTerm2 and Windows Terminal draw it two cells
wide, tmux (3.3), xterm and GNOME Terminal one. Rich measured two and Textual's own wrap
one, so a title with 🍽️ in it drew every border after it a cell off in tmux (a stray │ at
the end of the line). Here the selector is measured as nothing (the character keeps its
own width, one cell for 🍽) and left out of what is written to the terminal: the character
alone is one cell in all of them. The officer's text keeps it (stored, exported, synced).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from textual.driver import Driver

VS16 = "\ufe0f"

_narrowed = False


def narrow_variation_selectors() -> None:
    """Have rich measure a character followed by VS16 at the character's own width (once
    per process; rich without its table of such characters is left as it is)."""
    global _narrowed
    if _narrowed:
        return
    _narrowed = True
    import rich.cells as cells

    load = getattr(cells, "load_cell_table", None)
    if load is None:
        return

    @cache
    def without_widening(unicode_version: str = "auto") -> Any:
        table = load(unicode_version)
        if not hasattr(table, "narrow_to_wide"):
            return table
        return table._replace(narrow_to_wide=frozenset())

    cells.load_cell_table = without_widening  # type: ignore[attr-defined]
    cells.cached_cell_len.cache_clear()


@cache
def without_variation_selectors(driver_class: type[Driver]) -> type[Driver]:
    """`driver_class` writing no VS16 to the terminal (see the module's docstring)."""

    class Writer(driver_class):  # type: ignore[valid-type,misc]
        def write(self, data: str) -> None:
            if VS16 in data:
                data = data.replace(VS16, "")
            super().write(data)

    Writer.__name__ = Writer.__qualname__ = driver_class.__name__
    return Writer
