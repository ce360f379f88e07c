"""Sync in the app: the header's status, Sync now from the palette (errors as one line),
and records changed elsewhere settled with keep mine / take theirs."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.ui.conftest import settle, wait_until
from tui.app import ConvenerApp
from tui.config import Settings
from tui.domain.models import Event
from tui.domain.planner import Planner
from tui.domain.sync.ledger import Ledger
from tui.domain.sync.settings import SyncSettings
from tui.modals.choose import ChooseScreen

SERVER_DOWN = SyncSettings(url="http://127.0.0.1:9/team/", user="ana")


def a_conflict(planner: Planner) -> Event:
    """The first event with its title changed both here and elsewhere."""
    [event] = planner.events()[:1]
    assert event.uid is not None
    ledger = Ledger(planner.store)
    with planner.store.transaction():
        ledger.add_conflict(event.uid, "event", "title", event.title, "Their title")
        ledger.set_meta("synced_at", "2026-12-02T10:42:00+00:00")
    return event


def notes(app: ConvenerApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_the_header_says_what_waits_and_take_theirs_settles_it(
    planner: Planner,
) -> None:
    event = a_conflict(planner)
    app = ConvenerApp(planner, Settings(timezone="UTC", sync=SERVER_DOWN))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: "sync:" in app.sub_title)
        assert "1 changed elsewhere; synced " in app.sub_title
        app.action_settle_conflicts()
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("enter")  # the one record
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        assert f"title: yours {event.title!r} · theirs 'Their title'" in app.screen._title
        await pilot.press("down", "enter")  # Take theirs
        assert await wait_until(pilot, lambda: any("theirs taken" in n for n in notes(app)))
        assert event.id is not None
        assert planner.event(event.id).title == "Their title"
        assert Ledger(planner.store).conflicts() == []
        assert await wait_until(pilot, lambda: "changed elsewhere" not in app.sub_title)


async def test_sync_now_with_the_server_down_is_one_line(planner: Planner) -> None:
    app = ConvenerApp(planner, Settings(timezone="UTC", sync=SERVER_DOWN))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.action_sync_now()
        assert await wait_until(pilot, lambda: any("Not synced" in n for n in notes(app)))
        [line] = [n for n in notes(app) if "Not synced" in n]
        assert line.startswith("Not synced: cannot reach the sync server at 127.0.0.1:9:")
        assert "connection refused" in line and "Error" not in line and "Errno" not in line
        assert line.endswith(" changes wait") and "\n" not in line


async def test_nothing_changed_elsewhere_says_so(planner: Planner) -> None:
    app = ConvenerApp(planner, Settings(timezone="UTC"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert "sync:" not in app.sub_title  # sharing is not set up
        app.action_settle_conflicts()
        await pilot.pause()
        assert not isinstance(app.screen, ChooseScreen)
        assert "Nothing was changed both here and elsewhere." in notes(app)


async def test_keep_mine_keeps_it(planner: Planner) -> None:
    event = a_conflict(planner)
    app = ConvenerApp(planner, Settings(timezone="UTC", sync=SERVER_DOWN))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.action_settle_conflicts()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # Keep mine
        assert await wait_until(pilot, lambda: any("yours kept" in n for n in notes(app)))
        assert event.id is not None
        assert planner.event(event.id).title == event.title
        ledger = Ledger(planner.store)
        assert ledger.conflicts() == [] and event.uid in {q.uid for q in ledger.outbox()}


def in_step_at_10_42(planner: Planner) -> None:
    """Nothing waits to go to the server, and the last sync was at 10:42 UTC."""
    store = planner.store
    with store.transaction():
        store._write("delete from sync_outbox")
        Ledger(store).set_meta("synced_at", "2026-12-02T10:42:00+00:00")


async def test_the_header_counts_what_waits_as_soon_as_the_officer_changes_something(
    planner: Planner,
) -> None:
    from tui.domain.models import ItemRef

    in_step_at_10_42(planner)
    app = ConvenerApp(planner, Settings(timezone="UTC", sync=SERVER_DOWN))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: "sync: in step" in app.sub_title)
        app.open_ref(ItemRef("event", 10))
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one("#field-venue").value = "Another room"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: "sync: 1 change waits" in app.sub_title, within=5)


async def test_sync_without_a_server_names_the_setting_not_an_option(planner: Planner) -> None:
    app = ConvenerApp(planner, Settings(timezone="UTC", sync=SyncSettings(user="ana")))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.action_sync_now()
        assert await wait_until(pilot, lambda: any("Not synced" in n for n in notes(app)))
        [line] = [n for n in notes(app) if "Not synced" in n]
        assert line == "Not synced: no server to sync with: set url in [sync] of config.toml"


async def test_after_a_failed_sync_the_header_says_it_failed_not_in_step(
    planner: Planner,
) -> None:
    in_step_at_10_42(planner)
    app = ConvenerApp(planner, Settings(timezone="UTC", sync=SERVER_DOWN))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: "sync: in step; synced 10:42" in app.sub_title)
        app.action_sync_now()
        assert await wait_until(pilot, lambda: any("Not synced" in n for n in notes(app)))
        assert await wait_until(pilot, lambda: "sync: failed " in app.sub_title)
        assert "in step" not in app.sub_title
        assert app.sub_title.endswith("; synced 10:42")
        [toast] = [n for n in app._notifications if "Not synced" in n.message]
        assert toast.severity == "error"


async def test_a_second_sync_while_one_hangs_is_refused_in_one_line(planner: Planner) -> None:
    from tui.domain.planner.sync import Server, SyncRunning

    # A port that takes connections and never answers: a hung server.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/team/"
    settings = Settings(timezone="UTC", sync=SyncSettings(url=url, user="ana"))
    app = ConvenerApp(planner, settings)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.action_sync_now()
            assert await wait_until(pilot, lambda: planner._syncing.locked())
            app.action_sync_now()
            await pilot.pause()
            assert notes(app).count("Syncing…") == 1
            assert "A sync is already running." in notes(app)
            # The planner refuses too (the command line's way in, a palette race).
            with pytest.raises(SyncRunning, match=r"^a sync is already running$"):
                planner.sync_with(Server(url, "ana", None))
            # The server goes away: the first sync ends, and says why in words.
            listener.close()
            assert await wait_until(pilot, lambda: any("Not synced" in n for n in notes(app)))
            [line] = [n for n in notes(app) if "Not synced" in n]
            assert line.startswith(f"Not synced: cannot reach the sync server at {url[7:-6]}: ")
            assert not planner._syncing.locked()
    finally:
        listener.close()


async def test_a_record_deleted_here_and_edited_elsewhere_is_asked_and_settled_as_a_record(
    planner: Planner,
) -> None:
    from tui.domain.sync.engine import DELETED

    [event] = planner.events()[:1]
    assert event.uid is not None
    planner.delete(event)
    with planner.store.transaction():
        Ledger(planner.store).add_conflict(event.uid, "event", DELETED, "deleted", "changed")
    app = ConvenerApp(planner, Settings(timezone="UTC", sync=SERVER_DOWN))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.action_settle_conflicts()
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        assert app.screen._title.endswith("the whole record: yours deleted · theirs edited")
        await pilot.press("enter")  # Keep mine: it stays deleted
        assert await wait_until(pilot, lambda: any(n.startswith("Settled") for n in notes(app)))
        [line] = [n for n in notes(app) if n.startswith("Settled")]
        assert line.startswith("Settled: yours kept") and "field" not in line


async def test_while_a_sync_runs_the_header_says_so_then_how_it_went(planner: Planner) -> None:
    """The header said the state before the sync ("in step") all the while it ran."""
    in_step_at_10_42(planner)
    listener = socket.socket()  # takes the connection, never answers
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/team/"
    app = ConvenerApp(planner, Settings(timezone="UTC", sync=SyncSettings(url=url, user="ana")))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            assert await wait_until(pilot, lambda: "sync: in step; synced 10:42" in app.sub_title)
            app.action_sync_now()
            assert await wait_until(pilot, lambda: "sync: syncing…" in app.sub_title)
            assert "in step" not in app.sub_title
            # The header's counts read again meanwhile (a change saved) keep saying so.
            app.read_due()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "sync: syncing…" in app.sub_title
            listener.close()
            assert await wait_until(pilot, lambda: "sync: failed " in app.sub_title)
            assert "syncing" not in app.sub_title and not app.sync_running
    finally:
        listener.close()


async def test_the_demo_says_it_does_not_sync_and_how_to_outside_it(
    planner: Planner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The demo reads no config.toml: "set url in [sync] of config.toml" changed nothing."""
    from tui import config

    monkeypatch.setattr(config, "_sealed", {"config": tmp_path, "data": tmp_path})
    app = ConvenerApp(planner, Settings(timezone="UTC"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.action_sync_now()
        await pilot.pause()
        assert notes(app) == [
            "The demo does not sync; outside the demo, set url and user in [sync] of config.toml."
        ]
        assert not app.sync_running and "sync:" not in app.sub_title


def test_the_conflicts_name_each_record_whole_with_its_date_and_where_values_differ(
    planner: Planner,
) -> None:
    """Cut at 50 characters, a title lost its end mid-word ("Diplomacy and Urban Viol"),
    and each value cut at 60 showed a title changed at its end the same on both sides."""
    from dataclasses import replace

    from tui.sync_actions import conflict_choices, conflict_question

    [event] = [e for e in planner.events() if e.start_date != e.end_date][:1]
    title = "Roundtable on Subnational Diplomacy and Urban Violence – Zürich and Its Neighbours"
    event = planner.save(replace(event, title=title))
    assert event.uid is not None
    theirs = f"{title} (revised)"
    with planner.store.transaction():
        Ledger(planner.store).add_conflict(event.uid, "event", "title", title, theirs)
    from tui.domain.dates import format_span

    when = format_span(event.start_date, event.end_date)
    assert conflict_choices(planner) == {f"{title} (event, {when}): title": event.uid}
    question = conflict_question(planner, event.uid).splitlines()
    assert question[0] == f"{title} (event, {when}):"
    assert question[1] == f"title: yours {title!r} · theirs {theirs!r}"


def test_long_values_are_shown_from_shortly_before_where_they_differ() -> None:
    from tui.domain.sync.engine import values_apart

    words = "The roundtable brings together mayors, police chiefs and researchers " * 3
    here, there = values_apart(words + "in Zürich.", words + "in Geneva, then Zürich.")
    assert here == "…chiefs and researchers in Zürich."
    assert there == "…chiefs and researchers in Geneva, then Zürich."
    # Differing from the start: each cut at a word, with "…".
    here, there = values_apart("A " + words, "B " + words, limit=40)
    assert here == "A The roundtable brings together…"
    assert there == "B The roundtable brings together…"


async def test_a_command_line_sync_that_failed_shows_in_an_app_already_open(
    planner: Planner,
) -> None:
    """`convener sync` in another terminal fails: the app's header says so (it said "in
    step" as before: the failure was known only to the process that had it), and a sync
    that succeeds later clears it, whichever process ran it."""
    from tests.conftest import TODAY
    from tui.cli import main

    in_step_at_10_42(planner)
    app = ConvenerApp(planner, Settings(timezone="UTC", sync=SERVER_DOWN))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert await wait_until(pilot, lambda: "sync: in step; synced 10:42" in app.sub_title)
        command = ["sync", "--db", str(planner.database_path), "--url", SERVER_DOWN.url or ""]
        environ = {"CONVENER_TODAY": TODAY.isoformat(), "CONVENER_SYNC_PASSWORD": "pw"}
        assert main([*command, "--user", "ana"], environ=environ) == 2
        assert await wait_until(pilot, lambda: "sync: failed " in app.sub_title, within=10)
        assert app.sub_title.endswith("; synced 10:42") and "in step" not in app.sub_title
        with planner.store.transaction():  # a sync that succeeded, in another process
            Ledger(planner.store).forget_meta("failed_at")
        app.refresh_screens()
        assert await wait_until(pilot, lambda: "sync: in step; synced 10:42" in app.sub_title)


def test_a_failed_command_line_sync_is_said_by_the_next_one_and_the_app_at_start(
    planner: Planner, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main
    from tui.sync_actions import sync_status

    command = ["sync", "--db", str(planner.database_path), "--url", "http://127.0.0.1:9/team/"]
    assert main([*command, "--user", "ana"], environ={"CONVENER_SYNC_PASSWORD": "pw"}) == 2
    capsys.readouterr()
    # An app without [sync] of its own (the command line was given --url) says it too.
    status = sync_status(planner, Settings(timezone="UTC"))
    assert status is not None and status.startswith("failed ")
    assert planner.sync_failed_at is not None
