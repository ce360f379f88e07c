"""The organisation form."""

from __future__ import annotations

from dataclasses import replace

from tui.domain import validate
from tui.domain.models import (
    ORGANISATION_KINDS,
    Organisation,
)
from tui.screens.forms.base import Field, FormScreen


class OrganisationFormScreen(FormScreen[Organisation]):
    """A new organisation, or every field of one."""

    def __init__(self, organisation: Organisation | None) -> None:
        self.organisation = organisation
        source = organisation or Organisation(name="")
        fields = [
            Field("name", "Name", source.name, check=lambda t: validate.required_text(t, "name")),
            Field("short_name", "Short name", source.short_name or "", placeholder="e.g. GI-TOC"),
            Field("kind", "Kind", source.kind or "", ORGANISATION_KINDS),
            Field(
                "website",
                "Website",
                source.website or "",
                check=lambda t: validate.url_value(t, "website"),
            ),
            Field("notes", "Notes", source.notes or "", multiline=True),
        ]
        title = f"Edit organisation: {organisation.name}" if organisation else "New organisation"
        super().__init__(title, fields)

    def draft_of(self) -> tuple[str, int | None] | None:
        """The organisation's text is kept as typed (tui.form_drafts); a new one's too."""
        return "organisation", self.organisation.id if self.organisation is not None else None

    def edits_a_record(self) -> bool:
        """Opened on a stored record (see FormScreen.edits_a_record)."""
        return self.organisation is not None

    def build(self, values: dict[str, str]) -> Organisation:
        """The organisation with the checked values."""
        checked = validate.organisation_fields(values)
        if self.organisation is None:
            return Organisation(**checked)
        return replace(self.organisation, **checked)
