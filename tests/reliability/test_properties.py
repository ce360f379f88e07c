"""Properties over random input, 2,000 examples each.

Every importer only ever raises the project's own error, whatever the text; search never
raises; every Markdown export of random titles and notes parses to the same structure,
with no HTML, link or image coming from the officer's data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.domain.test_markdown import _assert_no_user_markup, _text_of
from tui.domain.errors import ConvenerError
from tui.domain.exporters.markdown_text import strip_controls
from tui.domain.importers.bundle import parse_bundle, parse_text
from tui.domain.importers.calendar_ics import parse_ics
from tui.domain.importers.event_page import parse_page
from tui.domain.importers.guests_csv import parse_guests_csv
from tui.domain.models import Event, Person, Session, Speaker
from tui.domain.planner import Planner
from tui.domain.store import Store

pytestmark = pytest.mark.slow

EXAMPLES = settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TODAY = date(2026, 11, 18)

VALID = {
    "page": (FIXTURES / "pages").glob("*.txt"),
    "ics": (FIXTURES / "ics").glob("*.ics"),
}
SEEDS = [p.read_text() for kind in VALID.values() for p in sorted(kind)] + [
    'convener = 1\n[[people]]\nuid = "p1"\nname = "Ana"\n[[events]]\nuid = "e1"\n'
    'title = "Retreat"\nstart_date = 2026-03-01\ncontacts = ["p1"]\n',
    "name,email,status,role,invited_on\nAna Silva,ana@example.org,accepted,speaker,2026-01-02\n",
]


@st.composite
def damaged(draw: st.DrawFn) -> str:
    """A real file of some format with a random cut, insertion or replacement in it."""
    text = draw(st.sampled_from(SEEDS))
    at = draw(st.integers(0, len(text)))
    until = draw(st.integers(at, min(len(text), at + 40)))
    noise = draw(st.text(max_size=30))
    return text[:at] + noise + text[until:]


TEXTS = st.one_of(st.text(max_size=300), damaged())


def _only_our_errors(parse: Callable[[str], Any], text: str) -> None:
    try:
        parse(text)
    except ConvenerError as error:
        assert "\n" not in str(error)


@EXAMPLES
@given(text=TEXTS)
def test_the_page_importer_raises_only_its_own_error(text: str) -> None:
    _only_our_errors(lambda t: parse_page(t, partial=False, today=TODAY), text)


@EXAMPLES
@given(text=TEXTS, suffix=st.sampled_from([".toml", ".json"]))
def test_the_bundle_importer_raises_only_its_own_error(text: str, suffix: str) -> None:
    _only_our_errors(lambda t: parse_bundle(parse_text(t, suffix), today=TODAY), text)


@EXAMPLES
@given(text=TEXTS)
def test_the_guest_list_importer_raises_only_its_own_error(text: str) -> None:
    _only_our_errors(parse_guests_csv, text)


@EXAMPLES
@given(text=TEXTS)
def test_the_calendar_importer_raises_only_its_own_error(text: str) -> None:
    _only_our_errors(lambda t: parse_ics(t, large=True), text)


@EXAMPLES
@given(text=st.text(max_size=60))
def test_search_never_raises(planner: Planner, text: str) -> None:
    planner.search(text)


@pytest.fixture(scope="module")
def exporting() -> Any:
    store = Store(":memory:")
    planner = Planner(store, today=lambda: TODAY)
    speaker = planner.save(Person(name="Speaker"))
    yield planner, speaker.id
    store.close()


@EXAMPLES
@given(
    title=st.text(min_size=1, max_size=60),
    notes=st.text(max_size=200),
    name=st.text(min_size=1, max_size=40),
)
def test_every_markdown_export_keeps_its_structure(
    exporting: Any, title: str, notes: str, name: str
) -> None:
    planner, _ = exporting
    expected = " ".join(strip_controls(title).split())
    if not expected or not " ".join(strip_controls(name).split()):
        return
    day = date(2027, 2, 3)
    with planner.store.transaction():
        event = planner.save(
            Event(
                title=title,
                start_date=day,
                end_date=day,
                description=notes,
                location=notes,
                notes=notes,
                access="public",
            )
        )
        person = planner.save(Person(name=name, bio=notes))
        planner.save_session(
            Session(event_id=event.id, date=day, title=title, description=notes, room=notes),
            [Speaker(person_id=person.id, name="", role="speaker")],
        )
    expected = " ".join(strip_controls(event.title).split())  # as stored: controls shown
    for markdown, heading in (
        (planner.agenda_markdown(event.id), expected),
        (planner.briefing_markdown(event.id, include_private=True), f"Briefing book: {expected}"),
    ):
        tokens = _assert_no_user_markup(markdown)
        headings = [i for i, t in enumerate(tokens) if t.type == "heading_open"]
        assert [tokens[i].tag for i in headings].count("h1") == 1
        assert tokens[headings[0]].tag == "h1"
        assert _text_of(tokens[headings[0] + 1].children or []) == heading
