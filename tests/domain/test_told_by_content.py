"""Import tells a file's format by its content where that is unmistakable, then by its
name; and reads UTF-16 text (Windows Notepad's "Unicode") as well as UTF-8."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.domain.errors import InvalidInput
from tui.domain.importers import told_by_content, told_format
from tui.domain.models import Event
from tui.domain.planner import Planner

from .test_event_page import WORKSHOP
from .test_mail_replies import EVENT_ID, _guest, _status, outlook

CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\n"
    "UID:told-1@example.org\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20270609\r\n"
    "SUMMARY:Roundtable on Urban Resilience – Nairobi\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.mark.parametrize(
    ("head", "told"),
    [
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", ".ics"),
        (b"\xef\xbb\xbf\r\nbegin:vcalendar\n", ".ics"),
        ("BEGIN:VCALENDAR\r\n".encode("utf-16"), ".ics"),
        (b"From ana@example.org Mon Nov 30 23:30:00 2026\nFrom: ana@example.org\n", ".mbox"),
        (b"From: Ana <ana@example.org>\r\nTo: k@example.org\r\nSubject: Accepted\r\n", ".eml"),
        (b"Received: from mx\r\nSubject: x\r\n\r\nbody", ".eml"),
        (b'{"convener": 1, "events": []}', ".json"),
        (b"[\n  {", ".json"),
        (b"# a bundle\nconvener = 1\n\n[[events]]\n", ".toml"),
        # What only a name can tell: a page, a guest list, a TOML table that is not ours.
        (b"June 12, 2024 | Washington D.C., DC, USA | Mass Violence and Atrocities\n", None),
        (b"From the field: notes on urban violence\nA page.\n", None),
        (b"Location: Nairobi\nDate: 9 June 2027\n\nA page.", None),
        (b"name,email,organisation,status\n", None),
        (b"[[events]]\ntitle = 'x'\n", None),
        (b"", None),
    ],
)
def test_what_the_first_bytes_make_unmistakable(head: bytes, told: str | None) -> None:
    assert told_by_content(head) == told


def test_a_calendar_saved_as_txt_imports_as_a_calendar(
    empty_planner: Planner, tmp_path: Path
) -> None:
    saved = tmp_path / "from-outlook.txt"
    saved.write_text(CALENDAR, encoding="utf-8")
    assert told_format(saved) == ".ics"
    report = empty_planner.import_file(saved)
    assert report.counts[("added", "event")] == 1
    (event,) = empty_planner.store.by_key(Event, "Roundtable on Urban Resilience – Nairobi")
    assert event.uid == "told-1@example.org"


def test_a_reply_mail_saved_as_txt_is_read_as_the_reply(planner: Planner, tmp_path: Path) -> None:
    event = planner.event(EVENT_ID)
    assert event.uid is not None
    _, email = _guest(planner, "invited")
    saved = tmp_path / "reply.txt"
    saved.write_bytes(outlook(event.uid, email, "ACCEPTED"))
    report = planner.import_file(saved)
    assert _status(planner, email)[0] == "accepted"
    assert report.counts[("updated", "guest")] == 1


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf16_page_imports_as_its_utf8_copy_does(
    empty_planner: Planner, tmp_path: Path, encoding: str
) -> None:
    page = tmp_path / "page.txt"
    text = WORKSHOP.read_text(encoding="utf-8")
    # utf-16 writes its byte-order mark; utf-16-be needs it written by hand (Notepad does).
    page.write_bytes(
        ("\ufeff" if encoding == "utf-16-be" else "").encode(encoding) + text.encode(encoding)
    )
    report = empty_planner.import_file(page)
    assert report.counts[("added", "event")] == 4  # the page's event and its related ones
    (event,) = empty_planner.store.by_key(Event, "City Action for Peace Workshop – Washington, DC")
    assert event.location == "Washington D.C., DC, USA"
    assert event.description is not None and "subnational diplomacy" in event.description


def test_a_utf16_calendar_imports(empty_planner: Planner, tmp_path: Path) -> None:
    saved = tmp_path / "cal.ics"
    saved.write_bytes(CALENDAR.encode("utf-16"))
    report = empty_planner.import_file(saved)
    assert report.counts[("added", "event")] == 1


def test_a_binary_file_with_a_text_name_is_still_refused_and_changes_nothing(
    empty_planner: Planner, tmp_path: Path
) -> None:
    saved = tmp_path / "photo.txt"
    saved.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InvalidInput, match="is a binary file, not text"):
        empty_planner.import_file(saved)
    assert empty_planner.store.count(Event) == 0


def test_an_unknown_name_with_no_telling_content_is_refused_naming_what_is_read(
    empty_planner: Planner, tmp_path: Path
) -> None:
    saved = tmp_path / "notes.docx"
    saved.write_bytes(b"PK\x03\x04 a zip")
    with pytest.raises(InvalidInput, match=r"cannot import \.docx files \(expected \.txt"):
        empty_planner.import_file(saved)
