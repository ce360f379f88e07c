"""One layout and one frame per key: pane text sized once, scroll bars painted with the
layout that moved them.

Textual lays the screen out again whenever a widget's content size changes during a
layout (its virtual size is a layout-refreshing reactive). For text that is not scrolled
on its own, the layout that sized it already placed everything by that size: the second
pass only re-measures and repaints the screen (a fifth of a week change's CPU at 100k
events, issue 24). Here the new size is recorded without asking for that second layout.
"""

from __future__ import annotations

from typing import cast

from textual.geometry import Size
from textual.screen import Screen
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import Label, Static


class SizedOnce:
    """Mixin for a widget whose new content size needs no second layout."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # The layout that gave this size placed the widget by it (see the module's note).
        updated: bool = super()._size_updated(  # type: ignore[misc]
            size, virtual_size, container_size, layout=False
        )
        return updated


class PaneText(SizedOnce, Static):
    """A block of a pane's text (not scrollable on its own)."""


class PaneLabel(SizedOnce, Label):
    """A line of a pane's text: a title, the filter's chips."""


class ScrollBarsInFrame:
    """Mixin for a Screen: scroll bars moved by a layout are painted in its frame.

    A layout moves the lists' scroll bars (their window and position) after it has
    taken the screen's dirty regions: painted when they ask, they came in a frame of their
    own 20-30 ms later (a week change, a search keystroke)."""

    def _compositor_refresh(self) -> None:
        screen = cast(Screen[object], self)
        moved: set[Widget] = {
            widget
            for widget in screen._compositor.visible_widgets
            if isinstance(widget, ScrollBar) and widget._repaint_required
        }
        if moved:
            for bar in moved:
                bar._repaint_required = False
            screen._compositor.update_widgets(moved)
        super()._compositor_refresh()  # type: ignore[misc]


def _scrollbar_size_updated(
    self: Widget, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
) -> bool:
    return _widget_size_updated(self, size, virtual_size, container_size, layout=False)


# A scroll bar's own content size is never used (it draws from its window's position and
# sizes), yet a bar that grows or shrinks with its list asked for a second layout of the
# whole screen. Textual makes the bars itself, so the rule is set on its class (Textual
# is pinned; tests/ui/test_layout.py fails if a week change lays out twice).
_widget_size_updated = Widget._size_updated
ScrollBar._size_updated = _scrollbar_size_updated  # type: ignore[method-assign]
