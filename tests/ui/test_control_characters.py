"""Control characters from an imported file show readably in every pane (BEL as ^G, a
colour sequence dropped whole), never as U+FFFD boxes, and no ESC reaches the terminal."""

from __future__ import annotations

from pathlib import Path

from tui.app import ConvenerApp
from tui.domain.models import ItemRef

from ..conftest import TODAY
from .conftest import settle

SHOWN = "Bell^G and red title"


def screen_text(app: ConvenerApp) -> str:
    """Every cell of the current screen, line by line, as the terminal gets it."""
    update = app.screen._compositor.render_full_update()
    return "\n".join(
        "".join(segment.text for strip in line for segment in strip) for line in update.strips
    )


async def test_an_imported_title_with_controls_reads_the_same_in_every_pane(
    app: ConvenerApp, tmp_path: Path
) -> None:
    calendar = tmp_path / "controls.ics"
    day = TODAY.strftime("%Y%m%d")
    calendar.write_bytes(
        (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\nBEGIN:VEVENT\r\n"
            "UID:controls-1@example.org\r\n"
            f"DTSTART;VALUE=DATE:{day}\r\n"
            "SUMMARY:Bell\x07 and \x1b[31mred\x1b[0m title\r\n"
            "LOCATION:Geneva\x1b]0;pwned\x07\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n"
        ).encode()
    )
    app.planner.import_file(calendar)
    event = next(e for e in app.planner.events() if (e.uid or "").startswith("controls-1"))
    assert event.id is not None and event.title == SHOWN
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        app.open_ref(ItemRef("event", event.id))
        await settle(app, pilot)
        text = screen_text(app)
        # The agenda list, the guest list's title, the event pane, the related pane.
        assert text.count(SHOWN) >= 3, text
        assert "Geneva" in text and "pwned" not in text
        assert "\ufffd" not in text and "\x1b" not in text and "\x07" not in text
        await pilot.press("enter")  # the event's own screen
        await settle(app, pilot)
        text = screen_text(app)
        assert SHOWN in text and "\ufffd" not in text and "\x1b" not in text
