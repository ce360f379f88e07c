"""LabelGrid: labels beside their values, laid out at the width it is given.

The event pane's facts were a rich Table.grid of two columns (labels that do not wrap,
values that take the rest): a table measures every cell, then renders each twice, a few
ms of each new event's panes at 100k events (issue 24). The same lines come from wrapping
each value once at the width left beside the widest label.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from tui.widgets.frames import cut_line, text_segments


class LabelGrid:
    """Rows of (label, value): the labels in a column of their widest (at least
    `label_min_width`), then one space, then the value wrapped in the rest of the width."""

    def __init__(
        self,
        rows: Sequence[tuple[str | Text, Text]],
        label_style: str = "bold",
        label_min_width: int = 0,
    ) -> None:
        self.rows = list(rows)
        self.label_style = label_style
        """The style of labels given as str (a Text label keeps its own)."""
        self.label_min_width = label_min_width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        labels = [
            label.copy() if isinstance(label, Text) else Text(label, style=self.label_style)
            for label, _ in self.rows
        ]
        widest = max((label.cell_len for label in labels), default=0)
        label_width = min(max(widest, self.label_min_width), max(0, width - 2))
        value_width = max(1, width - label_width - 1)
        null = Style.null()
        gap = Segment(" ")
        blank_label = Segment(" " * label_width)
        new_line = Segment.line()
        for shown, (_, value) in zip(labels, self.rows, strict=True):
            cut_line(shown, label_width)
            lines = value.wrap(console, value_width) if value.plain else [Text("")]
            for index, line in enumerate(lines):
                line.truncate(value_width, pad=True)
                if index == 0:
                    yield from text_segments(shown, console, null)
                else:
                    yield blank_label
                yield gap
                yield from text_segments(line, console, null)
                yield new_line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)
