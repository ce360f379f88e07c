"""Pilot tests: queue invitations from the guest list, send the outbox, import replies."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import Input, RichLog

from tests.domain.test_mail_replies import outlook
from tests.mail_server import Recorder, smtp_server
from tui.app import ConvenerApp
from tui.config import Settings
from tui.domain.mail.replies import NOT_MAIL
from tui.domain.mail.settings import MailSettings
from tui.domain.models import ItemRef
from tui.domain.planner import Planner
from tui.first_screen import read_panes
from tui.mail_cli import default_outbox
from tui.modals.choose import ChooseScreen
from tui.modals.confirm import ConfirmScreen
from tui.screens.import_files import ImportScreen
from tui.screens.main import MainScreen
from tui.widgets.guest_list import GuestList
from tui.widgets.guest_table import GuestTable

from .conftest import settle, wait_until

SIZE = (120, 40)
DINNER = 10


def mail_app(planner: Planner, port: int = 25) -> ConvenerApp:
    mail = MailSettings(
        from_address="kelsey@stanleycenter.example", host="127.0.0.1", port=port, security="none"
    )
    return ConvenerApp(planner, Settings(timezone="UTC", mail=mail))


async def open_dinner_guests(app: ConvenerApp, pilot: object) -> GuestList:
    await settle(app, pilot)  # type: ignore[arg-type]
    app.open_ref(ItemRef("event", DINNER))
    await settle(app, pilot)  # type: ignore[arg-type]
    guests = app.screen.query_one("#guests", GuestList)
    guests.query_one(GuestTable).focus()
    await settle(app, pilot)  # type: ignore[arg-type]
    return guests


async def test_m_queues_invitations_for_the_marked_guests_then_the_palette_sends_them(
    planner: Planner,
) -> None:
    outbox = default_outbox(planner)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        app = mail_app(planner, port)
        async with app.run_test(size=SIZE) as pilot:
            guests = await open_dinner_guests(app, pilot)
            await pilot.press("space", "space", "m")
            await settle(app, pilot)
            asked = app.screen
            assert isinstance(asked, ConfirmScreen)  # both had one: asked first
            await pilot.press("y")
            await settle(app, pilot)
            files = sorted(outbox.glob("*.eml"))
            assert len(files) == 2
            assert guests.border_subtitle == "outbox: 2 waiting"
            marked = {line.name for line in guests.table.lines[:2]}
            assert any("Queued 2 invitations" in n.message for n in app._notifications)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert "Mail: send the outbox" in titles
            app.action_send_outbox()
            assert await wait_until(pilot, lambda: len(recorder.received) == 2)
            assert await wait_until(pilot, lambda: guests.border_subtitle == "")
            statuses = {g.name: g.invitation for g in planner.guest_lines(DINNER)}
            assert all(
                statuses[name].status
                in ("invited", "accepted", "declined", "tentative", "waitlisted")
                for name in marked
            )
            assert all(statuses[name].invited_on is not None for name in marked)
            assert len(list((outbox / "sent").glob("*.eml"))) == 2
            assert any("Sent 2 messages" in n.message for n in app._notifications)


async def test_m_without_a_from_address_says_so_and_queues_nothing(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner_guests(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        assert any("[mail] from" in n.message for n in app._notifications), [
            n.message for n in app._notifications
        ]
        assert not default_outbox(app.planner).exists()


async def test_importing_a_folder_of_replies_shows_what_changed(
    app: ConvenerApp, tmp_path: Path
) -> None:
    event = app.planner.event(DINNER)
    assert event.uid is not None
    invited = next(
        p for i, p in app.planner.guests_with_people(DINNER) if i.status == "invited" and p.email
    )
    assert invited.email is not None
    folder = tmp_path / "replies"
    folder.mkdir()
    (folder / "reply.eml").write_bytes(outlook(event.uid, invited.email, "ACCEPTED"))
    lines: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, ImportScreen.Progress):
            lines.append(message.line)

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(app, pilot)
        app.push_screen(ImportScreen())
        await settle(app, pilot)
        box = app.screen.query_one("#import-input", Input)
        box.value = str(folder)
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: bool(lines))
        assert lines[0].startswith(f"{folder}: 1 mail: updated 1 guest")
        assert f"  {invited.name} at {event.title}: invited -> accepted" in lines[0]
        # and the log shows it (the message is seen before the screen has written it)
        assert await wait_until(pilot, lambda: bool(app.screen.query_one(RichLog).lines))
    statuses = {p.email: i.status for i, p in app.planner.guests_with_people(DINNER)}
    assert statuses[invited.email] == "accepted"


async def test_the_palette_queues_updates_and_cancels_the_event_after_a_yes(
    planner: Planner,
) -> None:
    from tui.modals.confirm import ConfirmScreen
    from tui.screens.main import MainScreen

    outbox = default_outbox(planner)
    answered = [
        g
        for g in planner.guest_lines(DINNER)
        if g.invitation.status in ("accepted", "tentative") and g.email
    ]
    app = mail_app(planner)
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner_guests(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Mail: queue updates", "Mail: cancel the event"} <= set(titles)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.queue_event_mail("update")
        assert await wait_until(
            pilot, lambda: any(n.message.startswith("Queued") for n in app._notifications)
        )
        updates = {path.name: path.read_bytes() for path in outbox.glob("update-*.eml")}
        assert len(updates) == len(answered)
        # Cancel: asked first; no, and nothing happens.
        screen.queue_event_mail("cancel")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert not list(outbox.glob("cancel-*.eml"))
        assert planner.event(DINNER).status != "cancelled"
        screen.queue_event_mail("cancel")
        await settle(app, pilot)
        await pilot.press("y")
        assert await wait_until(pilot, lambda: planner.event(DINNER).status == "cancelled")
        assert list(outbox.glob("cancel-*.eml"))
        assert not list(outbox.glob("update-*.eml"))  # superseded, withdrawn
        assert await wait_until(
            pilot,
            lambda: any("(u puts its status back" in n.message for n in app._notifications),
        )
        guests = screen.query_one("#guests", GuestList)
        cancels = len(list(outbox.glob("cancel-*.eml")))
        assert await wait_until(pilot, lambda: (guests.border_subtitle or "").endswith(" waiting"))
        # Undone: the event is on again, the updates it withdrew wait again, and its
        # cancellations are said to be held.
        await pilot.press("u")
        assert await wait_until(pilot, lambda: planner.event(DINNER).status != "cancelled")
        waiting = cancels + len(updates)
        assert await wait_until(
            pilot,
            lambda: guests.border_subtitle == f"outbox: {waiting} waiting ({cancels} of them held)",
        )
        assert {path.name: path.read_bytes() for path in outbox.glob("update-*.eml")} == updates
        assert any(
            n.message.startswith("Undone: Cancel event")
            and f"{len(updates)} unsent messages it withdrew put back" in n.message
            and "held, not sent" in n.message
            for n in app._notifications
        )


async def test_cancel_without_a_sender_says_so_at_once_without_asking(app: ConvenerApp) -> None:
    from tui.screens.main import MainScreen

    async with app.run_test(size=SIZE) as pilot:
        await open_dinner_guests(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.queue_event_mail("cancel")
        await settle(app, pilot)
        assert app.screen is screen  # no question asked
        assert any("Nothing queued: no sender" in n.message for n in app._notifications)
        assert app.planner.event(DINNER).status != "cancelled"


async def test_cancelling_a_series_from_the_palette_says_it_is_the_whole_series(
    planner: Planner,
) -> None:
    from dataclasses import replace

    from tui.modals.confirm import ConfirmScreen
    from tui.screens.main import MainScreen

    planner.save(replace(planner.event(DINNER), repeat="FREQ=WEEKLY;COUNT=4"))
    app = mail_app(planner)
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner_guests(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.queue_event_mail("cancel")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        question = str(dialog.query_one("#confirm-question").render())
        assert "the whole series" in question and "this occurrence only" in question
        await pilot.press("n")
        await settle(app, pilot)
        assert planner.event(DINNER).status != "cancelled"


async def _import_in_the_dialog(app: ConvenerApp, path: Path) -> list[ImportScreen.Progress]:
    """Import `path` in the app's import dialog; the report's lines as the dialog got them."""
    seen: list[ImportScreen.Progress] = []
    finished: list[ImportScreen.Finished] = []

    def hook(message: Message) -> None:
        if isinstance(message, ImportScreen.Progress):
            seen.append(message)
        if isinstance(message, ImportScreen.Finished):
            finished.append(message)

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(app, pilot)
        app.push_screen(ImportScreen())
        await settle(app, pilot)
        app.screen.query_one("#import-input", Input).value = str(path)
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: bool(finished))
        await settle(app, pilot)
    return seen


async def test_the_dialog_refuses_random_bytes_named_mbox_in_the_words_of_the_command_line(
    app: ConvenerApp, tmp_path: Path
) -> None:
    import random

    path = tmp_path / "random.mbox"
    path.write_bytes(random.Random(7).randbytes(3000))
    [line] = await _import_in_the_dialog(app, path)
    assert (line.line, line.ok) == (f"{path}: {NOT_MAIL}", False)
    assert [n.message for n in app._notifications][-1] == (
        "Nothing imported; 1 file refused (nothing written from it)."
    )


async def test_the_dialog_counts_a_mail_not_applied_as_not_imported_and_says_why(
    app: ConvenerApp,
) -> None:
    """A reply sent by someone else than the guest was reported as "Imported 1 file"."""
    path = Path(__file__).parent.parent / "fixtures" / "mail" / "outlook-spoofed.eml"
    [line] = await _import_in_the_dialog(app, path)
    assert line.line.splitlines() == [
        f"{path}: skipped 1",
        "  skipped outlook-spoofed.eml: reply for rahul.mehta@un.org sent by"
        " someone@elsewhere.example: not applied",
    ]
    assert [n.message for n in app._notifications][-1] == "1 mail: nothing new."


def notes(app: ConvenerApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_the_first_queueing_of_a_session_counts_the_outbox_as_it_is_now(
    planner: Planner,
) -> None:
    """The outbox's count read ahead of the next selections (an empty outbox) lapses when
    invitations are queued: the toast and the header count what waits now."""
    app = mail_app(planner)
    async with app.run_test(size=SIZE) as pilot:
        guests = await open_dinner_guests(app, pilot)
        # The panes of a next selection are read ahead (as MainScreen._read_ahead reads
        # them), the outbox's count (0) with them.
        await app.workers.wait_for_complete()
        read_panes(planner, app.read_ahead_from_here(), DINNER)
        assert app.answers_ahead
        names = [line.name for line in guests.table.lines]
        to_invite = next(
            g.name for g in planner.guest_lines(DINNER) if g.invitation.status == "to-invite"
        )
        for _ in range(names.index(to_invite)):
            await pilot.press("down")
        await pilot.press("m")
        assert await wait_until(pilot, lambda: any("Queued 1" in n for n in notes(app)))
        [line] = [n for n in notes(app) if "Queued 1" in n]
        assert "outbox: 1 waiting" in line and "empty" not in line
        assert await wait_until(pilot, lambda: "· outbox: 1 waiting" in app.sub_title)
        assert await wait_until(pilot, lambda: guests.border_subtitle == "outbox: 1 waiting")


@pytest.mark.parametrize("reachable", [False, True], ids=["no host", "nobody listening"])
async def test_sending_in_the_app_says_in_words_what_failed_and_names_no_option(
    planner: Planner, reachable: bool
) -> None:
    from tests.mail_server import free_port

    port = free_port()
    if reachable:
        mail = MailSettings(
            from_address="k@example.org", host="127.0.0.1", port=port, security="none"
        )
        said = f"Nothing sent: cannot reach the mail server at 127.0.0.1:{port}: connection refused"
    else:
        mail = MailSettings(from_address="k@example.org", security="none")
        said = 'Nothing sent: no mail server: set [mail] host = "smtp.example.org" in config.toml'
    app = ConvenerApp(planner, Settings(timezone="UTC", mail=mail))
    async with app.run_test(size=SIZE) as pilot:
        guests = await open_dinner_guests(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press("y")  # the first guest has had an invitation: asked first
        assert await wait_until(pilot, lambda: guests.border_subtitle != "")
        app.action_send_outbox()
        assert await wait_until(pilot, lambda: any("Nothing sent" in n for n in notes(app)))
        assert [n for n in notes(app) if "Nothing sent" in n] == [said]
        [toast] = [n for n in app._notifications if "Nothing sent" in n.message]
        assert toast.severity == "error"


async def test_the_app_counts_and_leaves_another_databases_messages(
    planner: Planner, tmp_path: Path
) -> None:
    """Another database beside this one queued invitations into the shared outbox: the
    header and the guest list count them apart, and sending leaves them, saying so."""
    from tests.conftest import TODAY
    from tui.domain.mail.compose import Organizer
    from tui.domain.store import Store
    from tui.sample import load_sample

    other_store = Store(planner.database_path.parent / "other.db")
    other = Planner(other_store, today=lambda: TODAY)
    load_sample(other)
    outbox = default_outbox(planner)
    other.queue_mail(12, "invitation", outbox, Organizer("ben@example.org"))
    theirs = sorted(outbox.glob("*.eml"))
    assert len(theirs) == 2
    recorder = Recorder()
    with smtp_server(recorder) as port:
        app = mail_app(planner, port)
        async with app.run_test(size=SIZE) as pilot:
            guests = await open_dinner_guests(app, pilot)
            assert guests.border_subtitle == "outbox: 2 of another database"
            assert await wait_until(pilot, lambda: "outbox: 2 of another database" in app.sub_title)
            app.action_send_outbox()
            assert await wait_until(pilot, lambda: any("another database" in n for n in notes(app)))
            assert notes(app)[-1] == (
                "Nothing of this database's to send; 2 messages from another database left"
                " in the outbox"
            )
            assert recorder.received == []
            assert sorted(outbox.glob("*.eml")) == theirs
    other_store.close()


async def test_queueing_nobody_says_so_and_suggests_no_send(planner: Planner) -> None:
    """m on a guest without an e-mail address: nothing is queued, and the line says why,
    without "Queued 0" or a word of sending."""
    from dataclasses import replace

    line = next(g for g in planner.guest_lines(DINNER) if g.invitation.status == "to-invite")
    person = planner.person(line.invitation.person_id)
    planner.save(replace(person, email=None))
    app = mail_app(planner)
    async with app.run_test(size=SIZE) as pilot:
        guests = await open_dinner_guests(app, pilot)
        names = [g.name for g in guests.table.lines]
        for _ in range(names.index(line.name)):
            await pilot.press("down")
        await pilot.press("m")
        assert await wait_until(pilot, lambda: any("Nobody to invite" in n for n in notes(app)))
        said = [n for n in notes(app) if "Nobody to invite" in n]
        assert said == [f"Nobody to invite: no e-mail address: {line.name}"]
        assert not any("Queued 0" in n or "send the outbox" in n for n in notes(app))
        assert not list(default_outbox(planner).glob("*.eml"))


async def test_the_outbox_another_process_changes_is_counted_again(planner: Planner) -> None:
    """`convener mail invitations` (another process) writes no row: the header and the
    guest list's border kept the old count until another event was selected."""
    from tests.conftest import TODAY
    from tui.domain.mail.compose import Organizer
    from tui.domain.store import Store

    other_store = Store(planner.database_path)  # the command line's own connection
    other = Planner(other_store, today=lambda: TODAY)
    outbox = default_outbox(planner)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        app = mail_app(planner, port)
        async with app.run_test(size=SIZE) as pilot:
            guests = await open_dinner_guests(app, pilot)
            assert guests.border_subtitle == "" and "outbox" not in app.sub_title
            report = other.queue_mail(DINNER, "invitation", outbox, Organizer("k@example.org"))
            waiting = f"outbox: {len(report.queued)} waiting"
            assert await wait_until(pilot, lambda: guests.border_subtitle == waiting, within=5)
            assert await wait_until(pilot, lambda: f"· {waiting}" in app.sub_title, within=5)
            mail = MailSettings(
                from_address="k@example.org", host="127.0.0.1", port=port, security="none"
            )
            other.send_mail(outbox, mail)
            assert recorder.received
            assert await wait_until(pilot, lambda: guests.border_subtitle == "", within=5)
            assert await wait_until(pilot, lambda: "outbox" not in app.sub_title, within=5)
    other_store.close()


async def test_the_demo_says_it_sends_no_mail_and_how_to_outside_it(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The demo reads no config.toml: 'no sender: set [mail] from = ... in config.toml'
    changed nothing there."""
    from tui import config
    from tui.mail_actions import DEMO_SENDS_NO_MAIL

    monkeypatch.setattr(config, "_sealed", {"config": tmp_path, "data": tmp_path})
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner_guests(app, pilot)
        await pilot.press("m")
        assert await wait_until(pilot, lambda: DEMO_SENDS_NO_MAIL in notes(app))
        app.action_send_outbox()
        assert await wait_until(pilot, lambda: notes(app).count(DEMO_SENDS_NO_MAIL) == 2)
        assert isinstance(app.screen, MainScreen)
        app.screen.queue_event_mail("cancel")
        assert await wait_until(pilot, lambda: notes(app).count(DEMO_SENDS_NO_MAIL) == 3)
        assert not isinstance(app.screen, ConfirmScreen)
        assert not any(n.startswith(("Nothing", "Sending")) for n in notes(app))
        assert not default_outbox(app.planner).exists()


async def test_m_on_a_guest_invited_already_asks_before_a_second_invitation(
    planner: Planner,
) -> None:
    """A guest who has had an invitation (invited, or answered) gets a second one only when
    the officer says y; marked with guests not yet invited, the officer chooses which go
    (escape: none)."""
    outbox = default_outbox(planner)
    app = mail_app(planner)
    async with app.run_test(size=SIZE) as pilot:
        guests = await open_dinner_guests(app, pilot)
        lines = guests.table.lines
        invited = next(
            n for n, line in enumerate(lines) if line.invitation.status == "invited" and line.email
        )
        guests.table.place_cursor(invited)
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one("#confirm-question").render())
        assert f"{lines[invited].name} (invited) has had an invitation: queue it again?" in question
        await pilot.press("n")
        await settle(app, pilot)
        assert not list(outbox.glob("*.eml")) if outbox.exists() else True
        assert any(n.message == "Nothing queued." for n in app._notifications)
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert len(list(outbox.glob("*.eml"))) == 1
        # Marked with a guest not yet invited: n queues that one alone.
        fresh = next(
            n
            for n, line in enumerate(lines)
            if line.invitation.status == "to-invite" and line.email
        )
        second = next(
            n
            for n, line in enumerate(lines)
            if n != invited and line.invitation.status != "to-invite" and line.email
        )
        for index in (fresh, second):
            guests.table.place_cursor(index)
            await pilot.press("space")
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, ChooseScreen)  # which of them: escape queues none
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(list(outbox.glob("*.eml"))) == 1
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("enter")  # the first choice: only the one not yet invited
        await settle(app, pilot)
        assert len(list(outbox.glob("*.eml"))) == 2


async def test_a_send_the_server_partly_refused_is_said_as_a_warning(planner: Planner) -> None:
    """Sent, but a message stayed behind (the server refused its recipient): the line is a
    warning, not the information a clean run is."""
    from email import policy
    from email.parser import BytesParser

    app = mail_app(planner)
    async with app.run_test(size=SIZE) as pilot:
        guests = await open_dinner_guests(app, pilot)
        await pilot.press("space", "space", "m", "y")
        assert await wait_until(pilot, lambda: guests.border_subtitle == "outbox: 2 waiting")
    first = sorted(default_outbox(planner).glob("*.eml"))[0]
    parsed = BytesParser(policy=policy.default).parsebytes(first.read_bytes())
    refused = str(parsed["To"].addresses[0].addr_spec)
    recorder = Recorder(refuse_rcpt=refused)
    with smtp_server(recorder) as port:
        app = mail_app(planner, port)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.action_send_outbox()
            assert await wait_until(pilot, lambda: any("Sent 1 message" in n for n in notes(app)))
            [toast] = [n for n in app._notifications if "Sent 1 message" in n.message]
            assert "not taken, left in the outbox" in toast.message
            assert toast.severity == "warning"
