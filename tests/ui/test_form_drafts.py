"""What is typed in a form is kept in edits/ until it is saved or cancelled: a killed app
leaves it, the next start names it, and the next form on the record offers it back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import Input

from tui.app import ConvenerApp
from tui.domain.models import ItemRef
from tui.form_drafts import draft_name, form_drafts, write_draft
from tui.modals.confirm import ConfirmScreen
from tui.screens.forms.event import EventFormScreen
from tui.screens.main import MainScreen
from tui.screens.save_flows import edits_folder

from .conftest import press_on_event, settle, wait_until

SIZE = (120, 40)
DINNER = 10


def drafts(app: ConvenerApp) -> list[Path]:
    """Every draft file, those of a form open now too (form_drafts leaves those out)."""
    return sorted(edits_folder(app.planner).glob("form-*.json"))


def title_box(app: ConvenerApp) -> Input:
    return app.screen.query_one("#field-title", Input)


def left_by_a_killed_app(app: ConvenerApp, title: str) -> Path:
    """The draft a form on the dinner leaves when the app is killed (17 Nov 13:05 UTC)."""
    planner = app.planner
    started = datetime(2026, 11, 17, 13, 5, tzinfo=UTC)
    path = edits_folder(planner) / draft_name("event", DINNER, started, planner.database_uid())
    write_draft(path, f"'{title}'", {"title": title, "venue": "Garden room"})
    return path


async def test_typed_text_is_kept_until_the_form_is_cancelled(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await press_on_event(app, pilot, DINNER, "e")
        assert isinstance(app.screen, EventFormScreen)
        title_box(app).value = "Dinner, typed and not saved"
        assert await wait_until(pilot, lambda: len(drafts(app)) == 1)
        [path] = drafts(app) or [Path()]
        assert "Dinner, typed and not saved" in path.read_text(encoding="utf-8")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)  # something changed: asked first
        await pilot.press("y")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert not path.exists() and drafts(app) == []


async def test_a_saved_form_leaves_no_draft(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await press_on_event(app, pilot, DINNER, "e")
        title_box(app).value = "Dinner, saved"
        assert await wait_until(pilot, lambda: len(drafts(app)) == 1)
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.planner.event(DINNER).title == "Dinner, saved"
        assert drafts(app) == []


async def test_a_draft_left_by_a_killed_app_is_named_and_put_back_by_the_next_form(
    app: ConvenerApp,
) -> None:
    path = left_by_a_killed_app(app, "Dinner typed before the crash")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        said = [str(n.message) for n in app._notifications]
        assert any(
            "A form left unsaved when the app stopped: event 'Dinner typed before the crash'"
            " from Tue 17 Nov 13:05 (e on it offers it back)" in m
            for m in said
        ), said
        await press_on_event(app, pilot, DINNER, "e")
        assert isinstance(app.screen, EventFormScreen)
        assert await wait_until(
            pilot,
            lambda: any(
                "Text typed in this form on Tue 17 Nov 13:05 was not saved" in str(n.message)
                and "ctrl+r puts it back" in str(n.message)
                for n in app._notifications
            ),
        )
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert title_box(app).value == "Dinner typed before the crash"
        assert app.screen.query_one("#field-venue", Input).value == "Garden room"
        assert not path.exists()
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        event = app.planner.event(DINNER)
        assert (event.title, event.venue) == ("Dinner typed before the crash", "Garden room")
        assert drafts(app) == []


async def test_keys_typed_after_e_go_to_the_form_not_to_the_offer(app: ConvenerApp) -> None:
    """A burst after `e` ("r" and "d" in it) types into the form: the offer is a toast
    and ctrl+r, never a question the letters would answer."""
    from .test_typeahead import _typed, burst

    path = left_by_a_killed_app(app, "Older text")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("event", DINNER))
        await settle(app, pilot)
        burst(app, ["e", "ctrl+a", "ctrl+k", *_typed("Red dinner")])

        def typed() -> str:
            boxes = app.screen.query("#field-title")
            return (
                boxes.first(Input).value
                if isinstance(app.screen, EventFormScreen) and boxes
                else ""
            )

        assert await wait_until(pilot, lambda: typed() == "Red dinner", within=10), typed()
        assert path.exists()  # neither taken up nor discarded by the letters
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.planner.event(DINNER).title == "Red dinner"
        assert not path.exists()  # saved over: the older text is behind


async def test_a_cancelled_form_leaves_the_older_draft_waiting(app: ConvenerApp) -> None:
    path = left_by_a_killed_app(app, "Later")
    title = app.planner.event(DINNER).title
    async with app.run_test(size=SIZE) as pilot:
        await press_on_event(app, pilot, DINNER, "e")
        assert isinstance(app.screen, EventFormScreen)
        assert title_box(app).value == title
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert path.exists()
        await press_on_event(app, pilot, DINNER, "e")
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert title_box(app).value == "Later"


async def test_another_databases_draft_is_neither_named_nor_offered(app: ConvenerApp) -> None:
    planner = app.planner
    started = datetime(2026, 11, 17, 13, 5, tzinfo=UTC)
    other = edits_folder(planner) / draft_name("event", DINNER, started, "0123abcd")
    write_draft(other, "'Theirs'", {"title": "Theirs"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not any("left unsaved" in str(n.message) for n in app._notifications)
        await press_on_event(app, pilot, DINNER, "e")
        await settle(app, pilot)
        assert isinstance(app.screen, EventFormScreen)
        assert other.exists()
        assert form_drafts(edits_folder(planner), planner.database_uid()) == []


async def test_a_no_to_saving_over_a_change_made_elsewhere_keeps_what_was_typed(
    app: ConvenerApp,
) -> None:
    """The question comes after the form closed: a no (or escape) dropped the typed text.
    It waits as a draft, and the form on the record puts it back."""
    from dataclasses import replace

    async with app.run_test(size=SIZE) as pilot:
        await press_on_event(app, pilot, DINNER, "e")
        app.planner.save(replace(app.planner.event(DINNER), venue="Their room"))
        app.screen.query_one("#field-venue", Input).value = "My room"
        title_box(app).value = "Mine"
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.planner.event(DINNER).venue == "Their room"
        said = [str(n.message) for n in app._notifications]
        assert any("What you typed waits in edits/form-event-10-" in m for m in said), said
        [path] = drafts(app)
        await press_on_event(app, pilot, DINNER, "e")
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert title_box(app).value == "Mine"
        assert app.screen.query_one("#field-venue", Input).value == "My room"
        assert len(drafts(app)) == 1  # the form's own now (in the same second: same name)
        await pilot.press("ctrl+s")  # over the record as it is now: no question
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert (app.planner.event(DINNER).title, app.planner.event(DINNER).venue) == (
            "Mine",
            "My room",
        )
        assert not path.exists() and drafts(app) == []
