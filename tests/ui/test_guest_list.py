"""Pilot tests: every key of the guest-list pane and the screens it opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tui.app import ConvenerApp
from tui.domain.models import GuestLine, Invitation, ItemRef
from tui.modals.choose import ChooseScreen
from tui.modals.confirm import ConfirmScreen
from tui.screens.forms.invitation import InvitationFormScreen
from tui.screens.invite import InviteScreen
from tui.screens.main import MainScreen
from tui.screens.record import RecordScreen
from tui.widgets.guest_list import STATUS_KEYS, GuestList
from tui.widgets.guest_table import GuestTable

from ..conftest import TODAY
from .conftest import settle, wait_until

SIZE = (120, 40)
DINNER = 10


def pane(app: ConvenerApp) -> GuestList:
    return app.screen.query_one("#guests", GuestList)


def table(app: ConvenerApp) -> GuestTable:
    return pane(app).table


def statuses(app: ConvenerApp) -> dict[str, str]:
    return {g.name: g.invitation.status for g in app.planner.guest_lines(DINNER)}


async def open_dinner(app: ConvenerApp, pilot: Pilot[int]) -> None:
    """Select the sample dinner and put the focus on its guest list."""
    await settle(app, pilot)
    app.open_ref(ItemRef("event", DINNER))
    await settle(app, pilot)
    assert pane(app).event_id == DINNER
    table(app).focus()
    await settle(app, pilot)


async def edit_first_line(
    app: ConvenerApp, pilot: Pilot[int]
) -> tuple[GuestLine, InvitationFormScreen]:
    """The dinner's highlighted guest line, and its form opened with e."""
    await open_dinner(app, pilot)
    line = table(app).current_line
    assert line is not None
    await pilot.press("e")
    await settle(app, pilot)
    form = app.screen
    assert isinstance(form, InvitationFormScreen)
    return line, form


async def test_the_dinners_guests_load_cursor_keys_move_marks_and_the_palette_offers_csv(
    app: ConvenerApp,
) -> None:
    # Was four tests, an app each (test_selecting_an_event_loads_its_guests,
    # test_cursor_keys_move, test_mark_all_shown_and_escape_unmarks,
    # test_the_palette_offers_the_guest_list_csv): one app walks them in that order, every
    # assertion kept; none of the first three changes data.
    from tui.screens.import_files import ImportScreen

    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        lines = table(app).lines
        assert len(lines) == 16
        assert pane(app).border_title == "Guests (16)"
        picture = pane(app).picture
        assert picture is not None and picture.capacity == 16
        # The guest list takes the event pane's room while it has focus.
        assert app.screen.query_one("#panes").has_class("-guests-wide")
        # Cursor keys.
        assert table(app).cursor == 0
        await pilot.press("j", "down")
        assert table(app).cursor == 2
        await pilot.press("k")
        assert table(app).cursor == 1
        await pilot.press("end")
        assert table(app).cursor == 15
        await pilot.press("home", "pagedown")
        assert table(app).cursor > 1
        await pilot.press("pageup")
        assert table(app).cursor == 0
        # Mark all shown, and escape unmarks.
        await pilot.press("ctrl+a")
        assert len(table(app).marked) == 16
        await pilot.press("ctrl+a")
        assert table(app).marked == set()
        await pilot.press("space", "escape")
        assert table(app).marked == set()
        # The palette offers the guest-list CSV.
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert {"Guests: export CSV", "Guests: import CSV"} <= set(commands)
        await commands["Guests: import CSV"].callback()  # the palette awaits it too
        await settle(app, pilot)
        assert isinstance(app.screen, ImportScreen) and app.screen.event_id == DINNER


async def test_empty_database_shows_no_event(empty_app: ConvenerApp) -> None:
    async with empty_app.run_test(size=SIZE) as pilot:
        await settle(empty_app, pilot)
        table(empty_app).focus()
        await pilot.press("A", "space", "d", "w", "e", "r", "v", "n", "enter", "s", "f")
        await settle(empty_app, pilot)
        assert isinstance(empty_app.screen, MainScreen)
        assert table(empty_app).lines == []


async def test_each_status_key_sets_its_status(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        for status, key in STATUS_KEYS.items():
            line = next(g for g in table(app).lines if g.invitation.status != status)
            table(app).cursor = table(app).lines.index(line)
            await pilot.press(key)
            await settle(app, pilot)
            assert app.planner.store.get(Invitation, line.id).status == status, key


async def test_mark_five_declined_in_one_step_then_undo(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        before = statuses(app)
        await pilot.press("space", "space", "shift+down", "shift+down")
        assert len(table(app).marked) == 5
        await pilot.press("shift+up")  # back over marked lines: still five
        assert len(table(app).marked) == 5
        await pilot.press("shift+down")
        await pilot.press("D")  # none of the five declined: five change
        await settle(app, pilot)
        assert table(app).marked == set()
        names = [g.name for g in table(app).lines[:5]]
        assert all(statuses(app)[n] == "declined" for n in names)
        assert app.planner.history(1)[0][0] == (
            f"Mark 5 guests declined: {names[0]}, {names[1]} and 3 more"
        )
        await pilot.press("u")
        await settle(app, pilot)
        assert statuses(app) == before
        assert {g.name: g.invitation.status for g in table(app).lines} == before
        told = [n.message for n in app._notifications]
        assert f"Undone: Mark 5 guests declined: {names[0]}, {names[1]} and 3 more" in told


async def test_decline_by_phone_then_promote(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        line = next(g for g in table(app).lines if g.invitation.status == "accepted")
        table(app).cursor = table(app).lines.index(line)
        await pilot.press("D")
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("p", "enter")
        await settle(app, pilot)
        saved = app.planner.store.get(Invitation, line.id)
        assert (saved.status, saved.response_via, saved.responded_on) == (
            "declined",
            "phone",
            TODAY,
        )
        waiting = [g for g in table(app).lines if g.invitation.status == "waitlisted"]
        await pilot.press("w")
        await settle(app, pilot)
        after = {g.id: g.invitation.status for g in table(app).lines}
        assert sum(after[g.id] == "accepted" for g in waiting) == 1


async def test_role_key_changes_the_role(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        line = table(app).current_line
        assert line is not None
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ChooseScreen)
        assert app.screen._title == f"Role for {line.name}"  # whose, not "Role for 1"
        await pilot.press("m", "enter")
        await settle(app, pilot)
        assert app.planner.store.get(Invitation, line.id).role == "moderator"
        await pilot.press("r", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("space", "space", "r")  # two marked
        await settle(app, pilot)
        assert isinstance(app.screen, ChooseScreen)
        assert app.screen._title == "Role for 2 guests"
        await pilot.press("escape")


async def test_remove_asks_then_moves_to_the_trash(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        line = table(app).current_line
        assert line is not None
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert len(table(app).lines) == 16
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert line.id not in {g.id for g in table(app).lines}
        assert app.planner.store.get(Invitation, line.id, include_deleted=True).deleted_at


async def test_invite_existing_and_new_people(app: ConvenerApp) -> None:
    from tui.modals.pick import RecordPicker

    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        invite = app.screen
        assert isinstance(invite, InviteScreen)
        outsider = next(
            p
            for p in app.planner.people()
            if p.name not in statuses(app) and " " in p.name and p.organisation_id is not None
        )
        box = invite.query_one("#invite-input", Input)
        for typed in (outsider.name, "Bo Line <bo@example.org>, Harbour Institute"):
            box.value = typed
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
            assert app.screen is invite  # with an organisation already: no question
        # A bad address is said at once, before any organisation is asked for.
        box.value = "Bob Bad <not-an-email>"
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is invite
        status = str(invite.query_one("#invite-status", Static).content)
        assert "'not-an-email' is not an e-mail address" in status
        # A new name alone: the organisation is asked for, found by its short name.
        box.value = "Ana Newperson"
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordPicker)
        app.screen.query_one("#pick-input", Input).value = "GI-TOC"
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is invite
        box.value = outsider.name  # already on the list: not added twice
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        now = statuses(app)
        assert now[outsider.name] == "to-invite" and now["Ana Newperson"] == "to-invite"
        assert len(table(app).lines) == 19
        organisation = {line.name: line.organisation for line in table(app).lines}
        assert organisation["Bo Line"] == "Harbour Institute"
        assert (organisation["Ana Newperson"] or "").startswith("Global Initiative")


@pytest.mark.parametrize("new_person", [True, False], ids=["new person", "person known"])
async def test_an_organisation_typed_in_the_invite_picker_is_added_with_the_invitation(
    app: ConvenerApp, new_person: bool
) -> None:
    """Typed as new in the organisation picker, it is added when the guest is invited, in
    the same step: one u takes back both (the picker added it at once, a step of its own)."""
    from tui.domain.models import Organisation, Person
    from tui.modals.pick import RecordPicker

    planner = app.planner
    name = "Ana Newperson" if new_person else "Zed Loner"
    if not new_person:
        planner.save(Person(name=name, email="zed@example.org"))
    forum = "Ocean Peace Forum"
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        steps = planner.history()
        await pilot.press("n")
        await settle(app, pilot)
        invite = app.screen
        assert isinstance(invite, InviteScreen)
        invite.query_one("#invite-input", Input).value = name
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        picker = app.screen
        assert isinstance(picker, RecordPicker)
        picker.query_one("#pick-input", Input).value = forum
        await settle(app, pilot)
        await pilot.press("enter")  # + Add a new organisation: Ocean Peace Forum
        await settle(app, pilot)
        assert app.screen is invite
        [added] = planner.store.by_key(Organisation, forum)
        person = next(p for p in planner.find_people(name) if p.name == name)
        assert person.organisation_id == added.id
        assert planner.history()[1:] == steps  # one step: the invitation, with its organisation
        assert planner.history()[0][0].startswith(f"Invite {name}")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert planner.history() == steps
        assert not planner.store.by_key(Organisation, forum)
        assert name not in statuses(app)


async def test_enter_before_the_list_of_what_was_typed_waits_for_it(app: ConvenerApp) -> None:
    """Typed fast (or pasted) and enter at once: the list still showed everyone, and enter
    invited its first person instead of the one typed."""
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        before = set(statuses(app))
        await pilot.press("n")
        await settle(app, pilot)
        invite = app.screen
        assert isinstance(invite, InviteScreen)
        box = invite.query_one("#invite-input", Input)
        box.value = "Bob Bad <not-an-email>"
        invite.submitted()  # enter, before the list of this text was found
        await settle(app, pilot)
        assert app.screen is invite
        status = str(invite.query_one("#invite-status", Static).content)
        assert "'not-an-email' is not an e-mail address" in status
        await pilot.press("escape")
        await settle(app, pilot)
        assert set(statuses(app)) == before  # nobody invited


async def test_edit_form_validates_and_saves(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        line, form = await edit_first_line(app, pilot)
        replied = form.query_one("#field-responded_on")
        replied.focus()
        replied.value = "Feb 30, 2026"  # type: ignore[attr-defined]
        await settle(app, pilot)
        assert "-ok" not in form.query_one("#error-responded_on").classes
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form  # nothing saved half-valid
        replied.value = "Nov 12, 2026"  # type: ignore[attr-defined]
        form.query_one("#field-dietary").value = "halal"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        saved = app.planner.store.get(Invitation, line.id)
        assert (saved.dietary, str(saved.responded_on)) == ("halal", "2026-11-12")


async def test_escape_on_a_changed_form_asks_first(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        form.query_one("#field-notes").value = "call back"  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)


async def test_filter_sort_and_open_person(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        assert pane(app).filter_box is None  # made when first opened
        await pilot.press("f")
        await settle(app, pilot)
        box = pane(app).filter_box
        assert box is not None and box.has_focus
        await pilot.press(*"status:wait")
        await settle(app, pilot)
        assert {g.invitation.status for g in table(app).lines} == {"waitlisted"}
        await pilot.press("enter")
        assert app.focused is table(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(table(app).lines) == 16
        await pilot.press("s")
        assert table(app).sort_column == "organisation"
        await pilot.press("s")
        assert table(app).sort_column == "status"
        order = [g.invitation.status for g in table(app).lines]
        assert order[0] == "to-invite"
        await pilot.press("S")
        assert [g.invitation.status for g in table(app).lines] == sorted(
            order, key=order.index, reverse=True
        )
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordScreen)


async def test_guest_list_csv_export_then_import_with_changes_is_one_undo_step(
    app: ConvenerApp, isolated_paths: Path
) -> None:
    from textual.widgets import RichLog

    from tui.screens.import_files import ImportScreen

    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        # Invitation-only: asked before needs and travel leave the machine.
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        exported = (
            isolated_paths
            / "documents"
            / "2026-11-24-policy-dinner-cities-and-atrocity-prevention-guests-private.csv"
        )
        assert await wait_until(pilot, exported.exists)
        assert exported.stat().st_mode & 0o777 == 0o600
        assert any(str(exported) in str(n.message) for n in app._notifications)
        text = exported.read_text()
        assert text.splitlines()[0].startswith("name,email,organisation,role,status")
        before = statuses(app)
        # The officer edits the file: one reply changes, one guest is new.
        text = text.replace(",participant,waitlisted,", ",participant,accepted,", 1)
        text += "Nia Newguest,nia@example.org,GI-TOC,speaker,invited,,,,0,vegan,,,,\n"
        changed = isolated_paths / "guests.csv"
        changed.write_text(text)
        await pilot.press("i")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one(Input).value = "/nonexistent/guests.csv"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "no such file" in str(screen.query_one("#import-error").render())
        screen.query_one(Input).value = str(changed)
        await pilot.press("enter")
        await settle(app, pilot)
        log = "\n".join(str(line.text) for line in screen.query_one(RichLog).lines)
        assert "added 1 person, 1 guest; updated 1 guest" in log
        assert "+ Nia Newguest" in log and "~ Beatriz Lima: status" in log
        await pilot.press("escape")
        await settle(app, pilot)
        now = statuses(app)
        assert now["Nia Newguest"] == "invited" and now["Beatriz Lima"] == "accepted"
        assert len(table(app).lines) == 17  # the pane shows it
        await pilot.press("u")
        await settle(app, pilot)
        assert statuses(app) == before


async def test_a_filter_typed_in_one_go_after_f_goes_into_the_box(app: ConvenerApp) -> None:
    from .test_typeahead import burst

    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        assert pane(app).filter_box is None
        # "s" sorts and "w" promotes on the list: none of it may reach the list.
        burst(app, ["f", *"status:wait"])
        assert await wait_until(pilot, lambda: pane(app).filter_text == "status:wait", within=5)
        await settle(app, pilot)
        assert {g.invitation.status for g in table(app).lines} == {"waitlisted"}
        assert table(app).sort_column != "organisation"
        # Opened again, the same box is shown, and a burst still goes into it.
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(table(app).lines) == 16
        burst(app, ["f", *"status:wait"])
        assert await wait_until(pilot, lambda: pane(app).filter_text == "status:wait", within=5)
        assert len(pane(app).query(Input)) == 1


async def test_the_bar_says_its_accepted_part_holds_who_attended(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        bar = app.screen.query_one("#guests-bar")
        assert "accepted or attended" not in str(bar.render())
        await pilot.press("P")  # the highlighted guest attended
        await settle(app, pilot)
        assert any(g.invitation.status == "attended" for g in table(app).lines)
        assert "accepted or attended" in str(bar.render())


async def test_a_reply_before_the_invitation_is_pointed_out_but_can_be_saved(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        line, form = await edit_first_line(app, pilot)
        hint = form.query_one("#hint-responded_on")
        form.query_one("#field-invited_on").value = "2026-11-17"  # type: ignore[attr-defined]
        form.query_one("#field-responded_on").value = "2026-11-01"  # type: ignore[attr-defined]
        await settle(app, pilot)
        assert "-ok" not in hint.classes
        assert "before the invitation (17 Nov 2026)" in str(hint.render())
        # Moving the invitation back takes the note away.
        form.query_one("#field-invited_on").value = "2026-10-20"  # type: ignore[attr-defined]
        await settle(app, pilot)
        assert "-ok" in hint.classes
        form.query_one("#field-invited_on").value = "2026-11-17"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        saved = app.planner.store.get(Invitation, line.id)
        assert str(saved.responded_on) == "2026-11-01"


@pytest.mark.parametrize(
    ("width", "wanted", "name", "organisation"),
    [
        (150, (18, 56), 30, 68),  # both whole, the room over shared
        (80, (18, 56), 18, 11),  # a short name whole, the organisation cut
        (60, (30, 10), 16, 10),  # a short organisation whole, the name cut
        (150, None, 58, 40),  # nothing shown yet: 3/5 and 2/5
    ],
)
def test_name_and_organisation_share_the_row_as_the_lines_need(
    width: int, wanted: tuple[int, int] | None, name: int, organisation: int
) -> None:
    # At 200 columns the name took 3/5 of the room, 50 cells for names of 18, while
    # 'Global Initiative Against Transn…' was cut.
    from tui.widgets.guest_table import layout

    columns = {column.key: column.width for column in layout(width, wanted)}
    assert (columns["name"], columns["organisation"]) == (name, organisation)


def test_the_replied_column_is_as_wide_as_the_replies_shown() -> None:
    """Where no guest has replied (a list just made), its 17 blank cells went to names
    and organisations instead, cut at the same time."""
    from tui.widgets.guest_table import layout

    def widths(replied: int | None) -> dict[str, int]:
        return {column.key: column.width for column in layout(100, (30, 40), replied)}

    assert widths(None)["replied"] == 17
    assert widths(16)["replied"] == 16  # "18 Nov in person"
    assert widths(40)["replied"] == 17
    blank = widths(0)
    assert blank["replied"] == len("Replied")
    assert blank["name"] + blank["organisation"] == (
        widths(None)["name"] + widths(None)["organisation"] + 10
    )


async def test_the_bar_names_the_statuses_its_waiting_part_holds(app: ConvenerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        statuses = {g.invitation.status for g in table(app).lines}
        waiting = [status for status in ("to-invite", "invited") if status in statuses]
        legend = " ".join(str(app.screen.query_one("#guests-bar").render()).split())
        # As the counts' line spells them, not the bar's own word for the part.
        assert waiting and " or ".join(waiting) in legend and "pending" not in legend


async def test_a_wide_window_shows_the_replied_column_while_the_calendar_has_focus(
    app: ConvenerApp,
) -> None:
    from tui.widgets.guest_table import layout

    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("event", DINNER))
        await settle(app, pilot)
        assert not table(app).has_focus
        width = table(app).line_width
        assert "replied" in [column.key for column in layout(width)]
        heading = table(app).render_line(0).text
        assert "Replied" in heading and "Organisat" in heading
        # The event pane beside it keeps a readable width.
        assert app.screen.query_one("#side").size.width >= 50


@pytest.mark.parametrize("width", [100, 110, 115])
async def test_every_column_shows_while_the_guest_list_has_focus_from_100_columns(
    app: ConvenerApp, width: int
) -> None:
    """Between 100 and 120 columns the focused guest list beside the calendar had no room
    for Role or Replied (README: every column while it has focus). Under 115 it takes the
    calendar's room too; shift+tab gives the calendar back."""
    from tui.widgets.guest_table import layout

    async with app.run_test(size=(width, 40)) as pilot:
        await open_dinner(app, pilot)
        keys = [column.key for column in layout(table(app).line_width)]
        assert {"role", "replied"} <= set(keys)
        heading = table(app).render_line(0).text
        assert "Replied" in heading and "Role" in heading
        await pilot.press("shift+tab")
        await settle(app, pilot)
        assert not table(app).has_focus
        assert app.screen.query_one("#calendar").size.width >= 37


async def test_a_guest_deleted_in_the_lists_leaves_the_guest_list_on_return(
    app: ConvenerApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        before = len(table(app).lines)
        gone = table(app).lines[-1]
        planner = app.planner
        person = planner.person(gone.invitation.person_id)
        await pilot.press("2")
        await settle(app, pilot)
        # Deleted on the lists' screen (as `d` `y` there does).
        planner.delete(person)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert await wait_until(pilot, lambda: len(table(app).lines) == before - 1)
        assert gone.name not in [line.name for line in table(app).lines]


async def test_a_new_event_draws_the_guest_head_once_and_marks_go_with_their_event(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unmarking nothing is no change: a new event's guest list drew its head, bar and
    counts twice (the second for marks that were never there, issue 24). Marks on lines
    of the event left are still dropped, and the head says so."""
    drawn: list[int | None] = []
    original = GuestList._show_head

    def counted(self: GuestList, *args: object) -> None:
        drawn.append(self.event_id)
        original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(GuestList, "_show_head", counted)
    async with app.run_test(size=SIZE) as pilot:
        await open_dinner(app, pilot)
        drawn.clear()
        await pilot.press("space")
        await settle(app, pilot)
        assert len(table(app).marked) == 1 and drawn == [DINNER]
        head = app.screen.query_one("#guests-head", Static)
        assert "1 marked" in str(head.render())
        drawn.clear()
        app.screen.query_one("#grid").focus()
        await pilot.press("j")
        await settle(app, pilot)
        assert pane(app).event_id != DINNER and table(app).marked == set()
        assert "marked" not in str(head.render())
        # The new event's head once (the marks dropped redraw it; a later event's lines,
        # with nothing marked, do not).
        drawn.clear()
        await pilot.press("j")
        await settle(app, pilot)
        assert drawn == [pane(app).event_id]
