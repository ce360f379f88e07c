"""The publication form."""

from __future__ import annotations

from dataclasses import replace

from tui.domain import validate
from tui.domain.models import (
    Publication,
)
from tui.screens.forms.base import Field, FormScreen


class PublicationFormScreen(FormScreen[Publication]):
    """A new publication, or every field of one."""

    def __init__(self, publication: Publication | None) -> None:
        self.publication = publication
        source = publication or Publication(title="")
        fields = [
            Field(
                "title", "Title", source.title, check=lambda t: validate.required_text(t, "title")
            ),
            Field(
                "type", "Type", source.type or "", placeholder="e.g. Readout and Recommendations"
            ),
            Field(
                "published",
                "Published",
                source.published or "",
                check=lambda t: validate.month_value(t, "published"),
                placeholder="June 2024 or 2024-06",
            ),
            Field("program_area", "Program area", source.program_area or ""),
            Field(
                "url",
                "Web page",
                source.url or "",
                check=lambda t: validate.url_value(t, "web page"),
            ),
            Field("summary", "Summary", source.summary or "", multiline=True),
        ]
        title = f"Edit publication: {publication.title}" if publication else "New publication"
        super().__init__(title, fields)

    def draft_of(self) -> tuple[str, int | None] | None:
        """The publication's text is kept as typed (tui.form_drafts); a new one's too."""
        return "publication", self.publication.id if self.publication is not None else None

    def edits_a_record(self) -> bool:
        """Opened on a stored record (see FormScreen.edits_a_record)."""
        return self.publication is not None

    def build(self, values: dict[str, str]) -> Publication:
        """The publication with the checked values."""
        checked = validate.publication_fields(values)
        checked.pop("link_only", None)
        if self.publication is None:
            return Publication(**checked)
        return replace(self.publication, **checked, link_only=False)
