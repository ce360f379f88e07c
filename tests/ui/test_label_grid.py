"""The event pane's facts, laid out without a table: the same lines as Table.grid."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui.widgets.label_grid import LabelGrid

ROWS = [
    ("When", Text("Wed 25 Nov 2020 19:00–21:30 EST\nyour time: Thu 26 Nov 00:00–02:30 (UTC)")),
    ("Where", Text("Washington D.C., DC, USA")),
    ("Staff", Text("Jane Doe — Program Officer, Mass Violence and Atrocities; Kelsey Paul")),
    ("Guests", Text("11 accepted, 1 declined, 1 tentative, 2 waitlisted (capacity 16)")),
    ("Access", Text("")),
    ("Partner", Text("Peace in Our Cities", style="italic")),
]


def _lines(renderable: object, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return [line.rstrip() for line in console.export_text().splitlines()]


@pytest.mark.parametrize("width", [20, 33, 48, 60, 80, 120])
def test_labels_beside_values_read_as_the_table_did(width: int) -> None:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for label, value in ROWS:
        table.add_row(label, value)
    assert _lines(LabelGrid(ROWS), width) == _lines(table, width)


def test_labels_are_bold_and_values_keep_their_style() -> None:
    console = Console(width=60, color_system="truecolor")
    segments = list(console.render(LabelGrid(ROWS)))
    label = next(s for s in segments if s.text.startswith("Where"))
    partner = next(s for s in segments if s.text.startswith("Peace in Our Cities"))
    assert label.style is not None and label.style.bold
    assert partner.style is not None and partner.style.italic and not partner.style.bold


@pytest.mark.parametrize("width", [26, 30, 48, 80])
def test_an_agenda_of_sessions_reads_as_its_table_did(width: int) -> None:
    rows: list[tuple[str | Text, Text]] = [
        (Text("Agenda", style="bold underline"), Text("")),
        (Text("Thu 29 Oct", style="bold"), Text("")),
        (Text("09:00–10:30"), Text("Opening: cities and atrocity prevention · Room B")),
        (Text("11:00"), Text("Working groups\nAmina Diallo (speaker)\nJonas Keller (chair)")),
    ]
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, min_width=12)
    table.add_column(ratio=1)
    for label, value in rows:
        table.add_row(label, value)
    assert _lines(LabelGrid(rows, label_min_width=12), width) == _lines(table, width)


def test_a_pane_too_narrow_for_its_labels_still_fits_its_lines() -> None:
    lines = _lines(LabelGrid(ROWS, label_min_width=12), 8)
    assert lines and all(len(line) <= 8 for line in lines)
