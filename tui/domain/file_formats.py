"""What the exporters write and the importers read back: the shared shape of our own files."""

from __future__ import annotations

GUEST_CSV_COLUMNS = (
    "name",
    "email",
    "organisation",
    "role",
    "status",
    "invited_on",
    "responded_on",
    "response_via",
    "plus_ones",
    "dietary",
    "access_needs",
    "interpretation",
    "travel",
    "notes",
)
"""Every column we read and write, in the order the export writes them."""

UNSAFE_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Cells starting with these run as formulas in spreadsheets; the export prefixes a quote."""

FORMAT_VERSION = 1
"""The version of the Convener TOML document (`convener = 1` at its top)."""
