"""Scrolling by keys, each key from where the last one left off.

Textual scrolls a container after the next refresh (and, animated, over some frames): two
keys read together (PageDown PageDown over a slow link, a key held down, a paste) were
both worked out from where the first found the pane, and all but one were lost. Here a key
moves the pane at once, from its target, so every key counts."""

from __future__ import annotations

from typing import Any

from textual.actions import SkipAction
from textual.containers import VerticalScroll


class ScrollsAtOnce:
    """Mixin for a scrolling widget: up/down, page up/down, home and end move it at once."""

    scroll_target_y: float
    max_scroll_y: int
    allow_vertical_scroll: bool
    scrollable_content_region: Any
    scroll_to: Any
    app: Any

    def _key_scroll(self, y: float) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()  # nothing to scroll: the key goes to the screen
        target = max(0.0, min(float(y), float(self.max_scroll_y)))
        # Animated only when the officer asks (TEXTUAL_ANIMATIONS=full): the target is
        # set at once either way, and the next key starts from it.
        animate = getattr(self.app, "animation_level", "none") != "none"
        self.scroll_to(y=target, animate=animate, immediate=True)

    def action_scroll_up(self) -> None:
        self._key_scroll(self.scroll_target_y - 1)

    def action_scroll_down(self) -> None:
        self._key_scroll(self.scroll_target_y + 1)

    def action_page_up(self) -> None:
        self._key_scroll(self.scroll_target_y - self.scrollable_content_region.height)

    def action_page_down(self) -> None:
        self._key_scroll(self.scroll_target_y + self.scrollable_content_region.height)

    def action_scroll_home(self) -> None:
        self._key_scroll(0)

    def action_scroll_end(self) -> None:
        self._key_scroll(self.max_scroll_y)


class KeyScroll(ScrollsAtOnce, VerticalScroll):
    """A VerticalScroll whose keys move it at once (see ScrollsAtOnce)."""


class RewrapsWithScrollBar:
    """Mixin for an OptionList whose options wrap: their lines are measured again when its
    vertical scroll bar comes or goes. Textual's OptionList measures them on a resize, and
    the scroll bar is none (it takes two columns inside the widget): a checklist line wrapped
    to the wider width lost its last words once a task added brought the scroll bar."""

    _clear_caches: Any

    def _watch_show_vertical_scrollbar(self) -> None:
        self._clear_caches()
