"""Rendering corpus: markup, escape sequences, C1 controls and bidi overrides in every text
field of every record, walked through every pane and screen, the palette, notifications and
help. Nothing crashes, nothing unsafe reaches the terminal, and the text is shown as typed
(markup literal), control characters replaced by a visible placeholder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from textual.command import CommandList
from textual.widgets import Static

from tests.conftest import TODAY
from tests.ui.conftest import settle, wait_until
from tui.app import ConvenerApp
from tui.config import Settings
from tui.domain.models import Event, Invitation, Organisation, Person, Publication, Session, Speaker
from tui.domain.planner import Planner
from tui.domain.text import UNSAFE_CHARACTERS, clean_line

CORPUS = "[Draft] [/] [@click=app.quit]x[/] \x1b]0;X\x07 \x1b[2J\x9b31m \u202eevil"
# The window-title and clear-screen sequences go whole; the lone C1 CSI and the bidi
# override go by themselves (what followed the CSI stays: "31m").
SHOWN = "[Draft] [/] [@click=app.quit]x[/] 31m evil"
SIZE = (160, 50)


def _hostile(field: str) -> str:
    return f"{CORPUS} {field}"


def fill(planner: Planner, day: date = TODAY) -> Event:
    """One of every record, every text field holding the corpus, all linked together."""
    with planner.store.transaction("Hostile records"):
        organisation = planner.save(
            Organisation(
                name=_hostile("org"),
                short_name=_hostile("short"),
                kind=None,
                notes=_hostile("org notes"),
            )
        )
        person = planner.save(
            Person(
                name=_hostile("person"),
                organisation_id=organisation.id,
                role=_hostile("role"),
                program_area=_hostile("area"),
                bio=_hostile("bio"),
                notes=_hostile("notes"),
                phone=_hostile("phone"),
            )
        )
        publication = planner.save(
            Publication(
                title=_hostile("publication"),
                summary=_hostile("summary"),
                program_area=_hostile("pub area"),
                type=_hostile("type"),
            )
        )
        event = planner.save(
            Event(
                title=_hostile("event"),
                start_date=day,
                end_date=day,
                location=_hostile("location"),
                venue=_hostile("venue"),
                program_area=_hostile("program"),
                summary=_hostile("summary"),
                description=_hostile("description"),
                notes=_hostile("notes"),
                access="public",
            )
        )
        assert event.id and person.id and organisation.id and publication.id
        planner.link("contact", event.id, person.id, 0)
        planner.link("partner", event.id, organisation.id, 0)
        planner.link("event_publication", event.id, publication.id)
        planner.save(
            Invitation(
                event_id=event.id,
                person_id=person.id,
                status="accepted",
                dietary=_hostile("dietary"),
                access_needs=_hostile("access"),
                notes=_hostile("invitation notes"),
                travel=_hostile("travel"),
            )
        )
        planner.save_session(
            Session(
                event_id=event.id,
                date=day,
                title=_hostile("session"),
                description=_hostile("session notes"),
                room=_hostile("room"),
            ),
            [Speaker(person_id=person.id, name="", role="speaker")],
        )
    return event


def screen_text(app: ConvenerApp) -> str:
    """What the terminal would show: every cell of the current screen, line by line."""
    update = app.screen._compositor.render_full_update()
    return "\n".join(
        "".join(segment.text for strip in line for segment in strip) for line in update.strips
    )


def assert_safe(app: ConvenerApp, where: str, *, shows: bool = True) -> str:
    text = screen_text(app)
    unsafe = UNSAFE_CHARACTERS.search(text)
    assert unsafe is None, f"{where}: {unsafe.group()!r} reached the screen"
    if shows:
        assert "[Draft]" in text, f"{where}: the corpus is not shown as typed"
    assert app.is_running
    return text


async def test_the_corpus_in_every_field_of_every_screen(planner: Planner) -> None:
    event = fill(planner)
    app = ConvenerApp(planner, Settings(timezone="UTC"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("v", "v")  # the day: the hostile event is the one selected
        await settle(app, pilot)
        text = assert_safe(app, "calendar")
        head = str(app.screen.query_one("#details-head", Static).content)
        assert head.startswith(clean_line(event.title)) and SHOWN in head
        for field in ("location", "program", "person", "org"):
            assert f"evil {field}" in text, f"{field} is not on the main screen"

        await pilot.press("tab")  # the guest list
        await settle(app, pilot)
        assert "evil person" in assert_safe(app, "guest list")
        await pilot.press("enter")  # the guest's line or person
        await settle(app, pilot)
        assert_safe(app, "guest")
        await pilot.press("escape")
        await settle(app, pilot)

        await pilot.press("1")
        await settle(app, pilot)
        await pilot.press("enter")  # the opened event: details and agenda
        await settle(app, pilot)
        text = assert_safe(app, "event screen")
        assert "evil session" in text and "evil room" in text
        await pilot.press("backspace")
        await settle(app, pilot)

        for key, name in (("2", "people"), ("3", "publications")):
            await pilot.press(key)
            await settle(app, pilot)
            assert_safe(app, name)
            await pilot.press("enter")  # the first record's own screen
            await settle(app, pilot)
            assert_safe(app, f"{name}: record")
            await pilot.press("escape")
            await settle(app, pilot)
            await pilot.press("1")
            await settle(app, pilot)

        await pilot.press("slash", *"evil")
        await settle(app, pilot)
        assert "evil event" in assert_safe(app, "search")
        await pilot.press("escape")
        await settle(app, pilot)

        await pilot.press("ctrl+p")
        await pilot.press(*"Draft")

        # Wait for the palette's hits (was a 0.5 s pause): the records titled "[Draft]...".
        def hits() -> list[str]:
            found = app.screen.query_one(CommandList)
            return [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]

        assert await wait_until(pilot, lambda: any("Draft" in hit for hit in hits()))
        await settle(app, pilot)
        assert_safe(app, "palette")
        await pilot.press("escape")
        await settle(app, pilot)

        await pilot.press("question_mark")
        await settle(app, pilot)
        assert_safe(app, "help", shows=False)
        await pilot.press("escape")
        await settle(app, pilot)

        await pilot.press("d")  # to the trash: the question and the notification name it
        await settle(app, pilot)
        assert_safe(app, "delete question")
        await pilot.press("y")
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("[Draft]" in m for m in messages)
        assert not any(UNSAFE_CHARACTERS.search(m) for m in messages)
        assert_safe(app, "notification", shows=False)
        await pilot.press("4")
        await settle(app, pilot)
        assert "evil event" in assert_safe(app, "trash")
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.is_running


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (apt-get install tmux)")
def test_in_a_real_terminal_the_title_stays_and_draft_is_visible(
    sample_db: Path, tmp_path: Path
) -> None:
    from tui.domain.store import Store

    store = Store(sample_db)
    fill(Planner(store, today=lambda: TODAY), TODAY)
    store.close()
    session = f"convener-hostile-{os.getpid()}"
    # The test run's COLUMNS=80 and LINES=24 (set under pytest) would size the app, not
    # the pane: a tmux server started from here hands them on.
    # The app's clock is the suite's fixed day, so what it selects first never depends on
    # the real date.
    command = (
        f"env -u COLUMNS -u LINES CONVENER_TODAY={TODAY.isoformat()}"
        f" {sys.executable} -m tui --db {sample_db}"
    )

    # A tmux server of our own (-L): a default server someone else started (from another
    # folder, under a faked clock) would run the app with its environment and folder.
    socket = f"convener-test-{os.getpid()}"

    def tmux(*args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", socket, *args], capture_output=True, text=True, check=False, timeout=20
        ).stdout

    tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", command)
    try:
        title = None
        shown = ""
        for _ in range(100):
            time.sleep(0.2)
            shown = tmux("capture-pane", "-p", "-t", session)
            if "[Draft] [/] [@click=app.quit]x[/]" in shown:  # the details pane has loaded
                break
        title = tmux("display-message", "-p", "-t", session, "#{pane_title}").strip()
        assert "[Draft] [/] [@click=app.quit]x[/]" in shown
        assert title != "X"  # the OSC 0 in the data did not retitle the pane
        for _ in range(2):  # v twice: the agenda's range changes and comes back
            before = tmux("capture-pane", "-p", "-t", session)
            tmux("send-keys", "-t", session, "v")
            for _ in range(100):
                time.sleep(0.1)
                if tmux("capture-pane", "-p", "-t", session) != before:
                    break
        for _ in range(100):  # and the details pane has drawn the event again
            if "[Draft]" in tmux("capture-pane", "-p", "-t", session):
                break
            time.sleep(0.1)
        assert tmux("display-message", "-p", "-t", session, "#{pane_title}").strip() == title
        assert "[Draft]" in tmux("capture-pane", "-p", "-t", session)
    finally:
        tmux("kill-server")
