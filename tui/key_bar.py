"""KeyBar: the keys of the current screen on the bottom line, drawn as one line of text.

It shows what Textual's Footer shows (each key and what it does, the command palette's key
on the right, a key that cannot act now dimmed; a click presses the key), but the Footer
made a widget per key and rebuilt them all, with their styles, whenever the focus or the
screen's keys changed: about 100 ms each time, three times while the app started, and a
full layout of the screen after each (issue 24). Here a change of keys only repaints one
line.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    """One line: ` key what it does ` for each shown key, the palette's key at the right."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--edge"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--edge {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._places: list[tuple[int, int, str, bool]] = []
        """Where each key is drawn (its first cell and the cell after it), the key it
        presses and whether it can act now."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._keys_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _keys_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def render(self) -> Text:
        active = self.screen.active_bindings
        app = self.app
        # One entry per action (its first key), as the Footer has it.
        shown: dict[str, tuple[str, str, str, bool]] = {}
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in shown:
                display = app.get_key_display(binding)
                shown[binding.action] = (binding.key, display, binding.description, enabled)
        edge = Text(end="")
        palette = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        if palette is not None:
            _node, binding, enabled, _tooltip = palette
            edge.append("▏", style=self.get_component_rich_style("key-bar--edge"))
            display = app.get_key_display(binding)
            edge.append_text(self._key(display, f" {binding.description} ", enabled))
        room = max(0, self.size.width - edge.cell_len)
        line = Text(no_wrap=True, overflow="crop", end="")
        places: list[tuple[int, int, str, bool]] = []
        for key, display, description, enabled in shown.values():
            part = self._key(f" {display} ", f"{description} ", enabled)
            if line.cell_len + part.cell_len > room:
                break  # whole keys only: "[ Prev mo" named no key (the palette lists all)
            places.append((line.cell_len, line.cell_len + part.cell_len, key, enabled))
            line.append_text(part)
        line.truncate(room, pad=True)
        if palette is not None:
            places.append((room + 1, room + edge.cell_len, palette[1].key, palette[2]))
        line.append_text(edge)
        self._places = places
        return line

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it (on a dimmed one, the bell rings)."""
        for first, end, key, enabled in self._places:
            if first <= event.x < end:
                event.stop()
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return

    def _key(self, display: str, description: str, enabled: bool) -> Text:
        part = Text.assemble(
            (display, self.get_component_rich_style("key-bar--key")),
            (description, self.get_component_rich_style("key-bar--description")),
            end="",
        )
        if not enabled:
            part.stylize("dim")
        return part
