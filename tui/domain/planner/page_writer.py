"""Writing a parsed page: match what exists (by name or title and date), add the rest, link."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from tui.domain.importers.event_page import Page, kind_of
from tui.domain.importers.report import ImportReport
from tui.domain.models import Event, Organisation, Person, Publication
from tui.domain.planner.merging import save_if_changed

if TYPE_CHECKING:
    from tui.domain.planner.parts import Parts


def _status_for(end: date, today: date) -> str:
    return "held" if end < today else "planned"


def find_event(planner: Parts, title: str, start: date) -> Event | None:
    """A live event with the same title (folded) that starts on the same day."""
    return next((e for e in planner.store.by_key(Event, title) if e.start_date == start), None)


def _event_from_page(planner: Parts, page: Page, report: ImportReport) -> Event:
    assert page.start_date is not None and page.end_date is not None
    existing = find_event(planner, page.title, page.start_date)
    values: dict[str, Any] = {
        "title": page.title,
        "start_date": page.start_date,
        "end_date": page.end_date,
        "location": page.location,
        "program_area": page.program_area,
        "description": page.description,
        "link_only": False,
    }
    if existing is None:
        saved = planner.save(
            Event(
                kind=page.event_kind,
                status=_status_for(page.end_date, planner.today()),
                access=page.access or "public",
                **values,
            )
        )
        report.note("added", "event", page.title)
        return saved
    if page.access:
        values["access"] = page.access
    if existing.kind == "other":
        values["kind"] = page.event_kind
    # What the page does not say (times, notes, a location typed by hand) is kept.
    for key in ("location", "program_area", "description"):
        if values[key] is None:
            values[key] = getattr(existing, key)
    return save_if_changed(
        planner, existing, replace(existing, **values), report, "event", page.title
    )


def _publication_from_page(planner: Parts, page: Page, report: ImportReport) -> Publication:
    existing = next(iter(planner.store.by_key(Publication, page.title)), None)
    values: dict[str, Any] = {
        "title": page.title,
        "program_area": page.program_area,
        "type": page.publication_type,
        "published": page.published,
        "summary": page.description,
        "link_only": False,
    }
    if existing is None:
        saved = planner.save(Publication(**values))
        report.note("added", "publication", page.title)
        return saved
    for key, value in list(values.items()):
        if value is None:
            values[key] = getattr(existing, key)
    return save_if_changed(
        planner, existing, replace(existing, **values), report, "publication", page.title
    )


def _person(
    planner: Parts, name: str, role: str | None, program: str | None, report: ImportReport
) -> Person:
    candidates = planner.store.by_key(Person, name)
    existing = next((p for p in candidates if p.is_staff), None) or next(iter(candidates), None)
    if existing is None:
        saved = planner.save(Person(name=name, role=role, program_area=program, is_staff=True))
        report.note("added", "person", name)
        return saved
    merged = replace(
        existing,
        role=role or existing.role,
        program_area=program or existing.program_area,
        is_staff=True,
    )
    return save_if_changed(planner, existing, merged, report, "person", name)


def _organisation(
    planner: Parts, name: str, short: str | None, report: ImportReport
) -> Organisation:
    existing = next(iter(planner.store.by_key(Organisation, name)), None)
    for candidate in (short, name):
        if existing is None and candidate:
            existing = next(
                iter(
                    planner.store.listing(
                        Organisation,
                        order_by="id",
                        where="lower(short_name) = lower(?)",
                        params=[candidate],
                    )
                ),
                None,
            )
    if existing is None:
        saved = planner.save(Organisation(name=name, short_name=short))
        report.note("added", "organisation", name)
        return saved
    merged = replace(existing, short_name=existing.short_name or short)
    return save_if_changed(planner, existing, merged, report, "organisation", name)


def write_page(planner: Parts, page: Page, report: ImportReport) -> None:
    """Write a parsed page: the record, its people and partners, and every link both ways."""
    today = planner.today()
    subject: Event | Publication
    if page.kind == "event":
        subject = _event_from_page(planner, page, report)
    else:
        subject = _publication_from_page(planner, page, report)
    assert subject.id is not None

    def link(name: str, left: int, right: int, position: int | None = None) -> None:
        if planner.link(name, left, right, position):
            report.linked += 1

    if isinstance(subject, Event):
        for position, contact in enumerate(page.contacts):
            person = _person(planner, contact.name, contact.role, contact.program_area, report)
            assert person.id is not None
            link("contact", subject.id, person.id, position)
        for position, (name, short) in enumerate(page.partners):
            organisation = _organisation(planner, name, short, report)
            assert organisation.id is not None
            link("partner", subject.id, organisation.id, position)
        partners = {o.name for o in planner.partners_for(subject.id)}
        partners |= {o.short_name for o in planner.partners_for(subject.id) if o.short_name}
        report.mentioned = [
            f"{name} ({short})" if short else name
            for name, short in page.mentioned
            if name not in partners and short not in partners
        ]

    for related in page.related_events:
        other = find_event(planner, related.title, related.start_date)
        if other is None:
            other = planner.save(
                Event(
                    title=related.title,
                    start_date=related.start_date,
                    end_date=related.end_date,
                    kind=kind_of(related.title),
                    status=_status_for(related.end_date, today),
                    program_area=page.program_area,
                    access="public",
                    link_only=True,
                )
            )
            report.note("added", "event", related.title)
        assert other.id is not None
        if isinstance(subject, Event):
            if other.id != subject.id:
                link("related_event", subject.id, other.id)
        else:
            link("event_publication", other.id, subject.id)

    for item in page.related_publications:
        found = next(iter(planner.store.by_key(Publication, item.title)), None)
        if found is None:
            found = planner.save(
                Publication(title=item.title, program_area=item.program_area, link_only=True)
            )
            report.note("added", "publication", item.title)
        assert found.id is not None
        if isinstance(subject, Event):
            link("event_publication", subject.id, found.id)
        elif found.id != subject.id:
            link("related_publication", subject.id, found.id)
