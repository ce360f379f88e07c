"""The import dialog after a result: the path box keeps taking typing, a new path clears
the old report, and the keys it does not take scroll the report."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, ProgressBar, RichLog, Static

from tui.app import ConvenerApp
from tui.screens.import_files import ImportScreen

from .conftest import settle, wait_until

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


async def test_after_a_result_the_path_box_takes_typing_and_a_new_path_clears_the_report(
    empty_app: ConvenerApp,
) -> None:
    async with empty_app.run_test(size=(80, 24)) as pilot:
        await settle(empty_app, pilot)
        await pilot.press("i")
        await pilot.pause()
        screen = empty_app.screen
        assert isinstance(screen, ImportScreen)
        box = screen.query_one("#import-input", Input)
        box.value = f"{PAGES}/*.txt"
        await pilot.press("enter")
        await settle(empty_app, pilot)
        log = screen.query_one(RichLog)
        assert await wait_until(pilot, lambda: "Imported 2 pages" in _words(log))
        assert log.display
        # The box still has the focus and takes what is typed.
        assert box.has_focus
        await pilot.press("ctrl+u", *"/tmp/other.txt")
        await settle(empty_app, pilot)
        assert box.value == "/tmp/other.txt"
        # The report of the last import went with the first key of the new path.
        assert not log.display and _words(log) == ""
        assert not screen.query_one(ProgressBar).display
        # A refused path says why; typing again clears that too.
        await pilot.press("enter")
        await settle(empty_app, pilot)
        error = screen.query_one("#import-error", Static)
        assert "no such file" in str(error.content)
        await pilot.press("backspace")
        await settle(empty_app, pilot)
        assert str(error.content) == ""
        assert isinstance(empty_app.screen, ImportScreen)


async def test_the_report_scrolls_while_the_path_box_has_the_focus(
    empty_app: ConvenerApp,
) -> None:
    fixtures = PAGES.parent
    async with empty_app.run_test(size=(80, 24)) as pilot:
        await settle(empty_app, pilot)
        await pilot.press("i")
        await pilot.pause()
        screen = empty_app.screen
        assert isinstance(screen, ImportScreen)
        box = screen.query_one("#import-input", Input)
        box.value = (
            f"{fixtures}/pages/*.txt {fixtures}/ics/*.ics {fixtures}/malformed/calendar-*.ics"
        )
        await pilot.press("enter")
        await settle(empty_app, pilot)
        log = screen.query_one(RichLog)
        assert len(log.lines) > log.scrollable_content_region.height
        bottom = log.scroll_offset.y
        assert bottom > 0 and box.has_focus
        await pilot.press("up")
        assert await wait_until(pilot, lambda: log.scroll_offset.y == bottom - 1)
        await pilot.press("pageup")
        assert await wait_until(pilot, lambda: log.scroll_offset.y < bottom - 1)
        await pilot.press("pagedown", "down")
        assert await wait_until(pilot, lambda: log.scroll_offset.y == bottom)
        assert box.has_focus and box.value.startswith(str(fixtures))


def _words(log: RichLog) -> str:
    return " ".join(" ".join(strip.text for strip in log.lines).split())


async def test_a_guest_list_in_the_files_dialog_says_where_to_import_it_in_the_app(
    empty_app: ConvenerApp, tmp_path: Path
) -> None:
    guests = tmp_path / "guests.csv"
    guests.write_text("name,email\nAmina Diallo,amina@example.org\n")
    async with empty_app.run_test(size=(120, 40)) as pilot:
        await settle(empty_app, pilot)
        await pilot.press("i")
        await pilot.pause()
        screen = empty_app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#import-input", Input).value = str(guests)
        await pilot.press("enter")
        log = screen.query_one(RichLog)
        assert await wait_until(pilot, lambda: "Nothing imported; 1 file refused" in _words(log))
        said = _words(log)
        assert "a guest list needs the event it belongs to" in said
        assert "import it from the event's guest list (i there)" in said
        assert "--event" not in said
        assert empty_app.planner.is_empty()


async def test_pages_imported_again_are_named_with_nothing_new(empty_app: ConvenerApp) -> None:
    """Imported again, the dialog said "Imported 0 files" as if none had been read."""
    async with empty_app.run_test(size=(120, 40)) as pilot:
        await settle(empty_app, pilot)
        await pilot.press("i")
        await pilot.pause()
        screen = empty_app.screen
        assert isinstance(screen, ImportScreen)
        log = screen.query_one(RichLog)
        screen.query_one("#import-input", Input).value = f"{PAGES}/*.txt"
        await pilot.pause()  # the path's change handed in before enter, as typing does
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: "Imported 2 pages." in _words(log))
        screen.query_one("#import-input", Input).value = f"{PAGES}/*.txt"
        await pilot.pause()  # the path's change handed in before enter, as typing does
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: "2 pages: nothing new." in _words(log))
        assert "Imported 0" not in _words(log)
        # A folder of them: its line names the pages read.
        screen.query_one("#import-input", Input).value = str(PAGES)
        await pilot.pause()
        await pilot.press("enter")
        # The path may be folded where the report wraps (a scroll bar come or not when the
        # line is written): compared without spaces.
        assert await wait_until(
            pilot, lambda: f"{PAGES}:2pages:nothingnew" in "".join(_words(log).split())
        ), _words(log)
        assert await wait_until(pilot, lambda: "2 pages: nothing new." in _words(log))
