"""A guest list as CSV: text -> checked rows (pure), then rows -> one event's invitations."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.domain import validate
from tui.domain.errors import ConvenerError, InvalidInput
from tui.domain.file_formats import GUEST_CSV_COLUMNS as COLUMNS
from tui.domain.file_formats import UNSAFE_STARTS

if TYPE_CHECKING:
    pass


_ALIASES = {
    "organization": "organisation",
    "org": "organisation",
    "affiliation": "organisation",
    "e_mail": "email",
    "access": "access_needs",
    "diet": "dietary",
    "replied_on": "responded_on",
    "reply_via": "response_via",
    "plus_one": "plus_ones",
}
_PERSON_COLUMNS = {"name", "email", "organisation"}


def header_key(text: str) -> str:
    """A header cell as a column name: case, spaces and hyphens do not matter."""
    key = "_".join(text.strip().casefold().replace("-", " ").replace("_", " ").split())
    return _ALIASES.get(key, key)


def unguard(cell: str) -> str:
    """Undo the export's spreadsheet guard: "'=x" -> "=x"."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in UNSAFE_STARTS:
        return cell[1:]
    return cell


@dataclass(frozen=True)
class GuestRow:
    """One checked line of the file."""

    line: int
    name: str
    email: str | None
    organisation: str | None
    fields: dict[str, Any]
    """Invitation fields from the columns the file has (absent columns keep their value)."""


def parse_guests_csv(text: str, *, day_first: bool = True) -> tuple[list[GuestRow], list[str]]:
    """Checked rows and the columns ignored; InvalidInput names the line at fault."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise InvalidInput(
                "is empty: expected a header line (name, email, status, ...)", line=1
            )
        keys = [header_key(cell) for cell in header]
        if "name" not in keys and "email" not in keys:
            for separator, label in ((";", "semicolons"), ("\t", "tabs")):
                if separator in header[0]:
                    raise InvalidInput(
                        f"columns are separated by {label}; save the file as comma-separated CSV",
                        line=1,
                    )
            raise InvalidInput("has no name or email column in its header line", line=1)
        duplicated = sorted({k for k in keys if k and keys.count(k) > 1})
        if duplicated:
            raise InvalidInput(f"has the column {duplicated[0]!r} twice", line=1)
        ignored = [
            cell.strip() for cell, key in zip(header, keys, strict=True) if key not in COLUMNS
        ]
        rows: list[GuestRow] = []
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(keys):
                raise InvalidInput(
                    f"has {len(cells)} cells but the header names {len(keys)} columns", line=line
                )
            rows.append(_row(keys, [unguard(c) for c in cells], line, day_first))
    except csv.Error as error:
        raise InvalidInput(f"is not valid CSV ({error})", line=reader.line_num or 1) from None
    return rows, [f"column {name!r} (not a guest-list column)" for name in ignored if name]


def _row(keys: list[str], cells: list[str], line: int, day_first: bool) -> GuestRow:
    values = {k: v for k, v in zip(keys, cells, strict=False) if k in COLUMNS}
    try:
        email = validate.text(values.get("email"), "email")
        name = validate.text(values.get("name"), "name")
        if name is None:
            if email is None:
                raise InvalidInput("has neither a name nor an email")
            name = email
        present = {k: v for k, v in values.items() if k not in _PERSON_COLUMNS}
        checked = validate.invitation_fields(present, day_first=day_first)
        if "status" in present and not present["status"].strip():
            raise InvalidInput("has an empty status")
        return GuestRow(
            line=line,
            name=name,
            email=email,
            organisation=validate.text(values.get("organisation"), "organisation"),
            fields={k: checked[k] for k in present},
        )
    except ConvenerError as error:
        raise InvalidInput(error.message, line=line, value=error.value) from None
