"""FilterScreen: choose which events the lists show; save the choice as the default view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Label, Select

from tui.domain.filters import LABELS, EventFilter
from tui.key_bar import KeyBar
from tui.modals import DialogScreen
from tui.widgets.letter_select import LetterSelect


@dataclass(frozen=True)
class FilterChoice:
    """What the screen returns: the filter, and whether to save it as the default."""

    event_filter: EventFilter
    save_as_default: bool = False


class FilterScreen(DialogScreen[FilterChoice | None]):
    """One select per filter; blank means any."""

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="filters.cancel",
            tooltip="Close without changing the filter",
        ),
        Binding(
            "ctrl+a",
            "apply",
            "Apply",
            id="filters.apply",
            tooltip="Show the events the choices allow (at 80x24 the Apply button is below)",
        ),
        Binding(
            "ctrl+s",
            "save_default",
            "Save default",
            id="filters.save",
            tooltip="Apply, and use this filter whenever Convener starts",
        ),
    ]
    """
    | key | does |
    |---|---|
    | tab | next filter |
    | ctrl+a, or enter on Apply | apply |
    | ctrl+s | apply and save as the default view |
    | escape | cancel |
    """

    DEFAULT_CSS = """
    FilterScreen { align: center middle; }
    FilterScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%; overflow-y: auto;
        padding: 1 2; border: thick $primary; background: $surface;
    }
    FilterScreen Grid {
        grid-size: 2; grid-columns: 12 1fr; grid-rows: auto; height: auto; grid-gutter: 0 1;
    }
    FilterScreen Grid Label { padding: 1 0 0 0; }
    FilterScreen Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    FilterScreen Button { margin-left: 1; }
    """

    def __init__(self, current: EventFilter, choices: dict[str, list[str]]) -> None:
        super().__init__()
        self._current = current
        self._choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Show events where…", markup=False)
            with Grid():
                for key, label in LABELS.items():
                    yield Label(label.capitalize(), markup=False)
                    options = [(value, value) for value in self._choices.get(key, [])]
                    current = getattr(self._current, key)
                    if current and current not in self._choices.get(key, []):
                        options.append((current, current))
                    yield LetterSelect(
                        options,
                        prompt="any",
                        allow_blank=True,
                        value=current if current else Select.NULL,
                        id=f"filter-{key}",
                    )
            with Horizontal():
                yield Button("Clear all", id="clear")
                yield Button("Save as default (ctrl+s)", id="save")
                yield Button("Apply (ctrl+a)", id="apply", variant="primary")
        yield KeyBar()  # its own keys, not those of the screen behind it

    def _chosen(self) -> EventFilter:
        values: dict[str, str] = {}
        for key in LABELS:
            value = self.query_one(f"#filter-{key}", Select).value
            if isinstance(value, str):
                values[key] = value
        return EventFilter(**values)

    @on(Button.Pressed)
    def pressed(self, message: Button.Pressed) -> None:
        if message.button.id == "clear":
            self.dismiss(FilterChoice(EventFilter()))
        elif message.button.id == "save":
            self.action_save_default()
        else:
            self.dismiss(FilterChoice(self._chosen()))

    def action_apply(self) -> None:
        """Apply the filter chosen (as the Apply button does)."""
        self.dismiss(FilterChoice(self._chosen()))

    def action_save_default(self) -> None:
        """Apply the filter and save it to config.toml."""
        self.dismiss(FilterChoice(self._chosen(), save_as_default=True))

    def action_cancel(self) -> None:
        """Leave the filter as it was."""
        self.dismiss(None)


class ChoosesFilter:
    """Mixin for a screen of events with f (choose the filter) and F (clear it); the
    screen applies the new filter in `_apply`."""

    convener: Any
    app: Any
    notify: Any

    def _apply(self, event_filter: EventFilter) -> None:
        raise NotImplementedError

    def action_filter_events(self) -> None:
        """Choose the filter (the calendar's, the pipeline's and the grid's alike)."""

        def chosen(choice: FilterChoice | None) -> None:
            if choice is not None:
                self._apply(choice.event_filter)

        screen = FilterScreen(self.convener.event_filter, self.convener.planner.filter_choices())
        self.app.push_screen(screen, chosen)

    def action_clear_filter(self) -> None:
        """Show every event again."""
        if self.convener.event_filter.is_empty:
            self.notify("No filter to clear.", markup=False)
            return
        self._apply(EventFilter())
