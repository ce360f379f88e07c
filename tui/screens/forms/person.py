"""The person form."""

from __future__ import annotations

from dataclasses import replace

from tui.domain import validate
from tui.domain.models import (
    Person,
)
from tui.screens.forms.base import Field, FormScreen


class PersonFormScreen(FormScreen[Person]):
    """A new person, or every field of one (the organisation by name)."""

    def __init__(self, person: Person | None, organisation: str = "") -> None:
        self.person = person
        source = person or Person(name="")
        fields = [
            Field("name", "Name", source.name, check=lambda t: validate.required_text(t, "name")),
            Field("role", "Role", source.role or "", placeholder="e.g. Program Officer"),
            Field(
                "organisation",
                "Organisation",
                organisation,
                placeholder="its name; a new one is added",
            ),
            Field(
                "email",
                "Email",
                source.email or "",
                check=lambda t: validate.email_value(t, "email"),
            ),
            Field("phone", "Phone", source.phone or ""),
            Field("program_area", "Program area", source.program_area or ""),
            Field(
                "is_staff",
                "Staff",
                "yes" if source.is_staff else "no",
                ("yes", "no"),
                allow_blank=False,
            ),
            Field("bio", "Bio", source.bio or "", multiline=True),
            Field("notes", "Notes", source.notes or "", multiline=True),
        ]
        super().__init__(f"Edit person: {person.name}" if person else "New person", fields)

    def draft_of(self) -> tuple[str, int | None] | None:
        """The person's text is kept as typed (tui.form_drafts); a new one's too."""
        return "person", self.person.id if self.person is not None else None

    def edits_a_record(self) -> bool:
        """Opened on a stored record (see FormScreen.edits_a_record)."""
        return self.person is not None

    def build(self, values: dict[str, str]) -> Person:
        """The person with the checked values; the organisation is resolved on save."""
        checked = validate.person_fields(values)
        if self.person is None:
            return Person(**checked)
        return replace(self.person, **checked)
