"""A person whose organisation is in the trash keeps the link through an edit."""

from __future__ import annotations

from dataclasses import replace

from tui.domain.models import Organisation, Person
from tui.domain.planner import Planner
from tui.domain.record_toml import to_document


def _hannah_and_trashed(planner: Planner) -> tuple[Person, Organisation]:
    hannah = next(p for p in planner.people() if p.name == "Hannah Lindqvist")
    assert hannah.organisation_id is not None
    organisation = planner.organisation(hannah.organisation_id)
    planner.delete(organisation)
    return hannah, organisation


def test_form_shows_an_organisation_in_the_trash_and_saving_keeps_it(planner: Planner) -> None:
    hannah, organisation = _hannah_and_trashed(planner)
    shown = planner.organisation_field(hannah.organisation_id)
    assert shown == "GI-TOC (in the trash)"
    saved = planner.save_person(replace(hannah, role="Analyst"), shown)
    assert saved.organisation_id == organisation.id and saved.role == "Analyst"
    # Another organisation typed in its place does change it; an empty field removes it.
    assert planner.save_person(saved, "").organisation_id is None


def test_toml_document_names_the_organisation_in_the_trash(planner: Planner) -> None:
    hannah, _ = _hannah_and_trashed(planner)
    assert "GI-TOC (in the trash)" in to_document(planner, hannah)


def test_json_says_the_organisation_is_in_the_trash(planner: Planner) -> None:
    hannah, organisation = _hannah_and_trashed(planner)
    data = planner.record_data(planner.person(hannah.id or 0))
    assert data["organisation"]["name"] == organisation.name
    assert data["organisation"]["in_trash"] is True
    other = next(p for p in planner.people() if p.organisation_id not in (None, organisation.id))
    assert planner.record_data(other)["organisation"]["in_trash"] is False


def test_deleting_a_linked_organisation_or_publication_says_what_goes_with_it(
    planner: Planner,
) -> None:
    organisation = next(o for o in planner.organisations() if o.short_name == "GI-TOC")
    assert planner.goes_with(organisation) == [
        "its place as partner of 2 events",
        "the affiliation of 2 people",
    ]
    publication = next(p for p in planner.publications() if p.title == "Peace in Our Cities")
    assert planner.goes_with(publication) == ["its place among the related items of 2 events"]
    lone = planner.save(Organisation(name="Nobody's Institute"))
    assert planner.goes_with(lone) == []
