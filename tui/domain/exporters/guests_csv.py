"""A guest list as CSV, in the columns the CSV importer reads back."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from tui.domain.file_formats import GUEST_CSV_COLUMNS as COLUMNS
from tui.domain.file_formats import UNSAFE_STARTS
from tui.domain.models import GuestLine
from tui.domain.text import clean


def safe_cell(value: Any) -> str:
    """A cell's text, cleaned, with a quote before anything a spreadsheet would run."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else clean(str(value))
    return f"'{text}" if text.startswith(UNSAFE_STARTS) else text


def guests_csv(lines: Sequence[GuestLine]) -> str:
    """The guest list, one row per guest, header first (CRLF line ends, as RFC 4180 has)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for line in lines:
        invitation = line.invitation
        values = {
            "name": line.name,
            "email": line.email,
            "organisation": line.organisation,
            **{name: getattr(invitation, name) for name in COLUMNS[3:]},
        }
        writer.writerow([safe_cell(values[name]) for name in COLUMNS])
    return buffer.getvalue()
