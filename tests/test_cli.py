from __future__ import annotations

import argparse
import json
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from tui import __version__
from tui.cli import main
from tui.domain import store as store_module
from tui.domain.dates import format_span


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_demo_list_events_json_has_both_seed_events_with_links(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "--demo", "list", "events", "--json")
    assert code == 0, err
    events = {e["title"]: e for e in json.loads(out)}
    workshop = events["City Action for Peace Workshop – Washington, DC"]
    assert (
        workshop["start_date"] == "2024-06-12"
        and workshop["location"] == "Washington D.C., DC, USA"
    )
    assert workshop["program_area"] == "Mass Violence and Atrocities"
    assert workshop["access"] == "invitation-only" and workshop["kind"] == "workshop"
    assert [c["name"] for c in workshop["contacts"]] == ["Jai-Ayla Sutherland"]
    assert workshop["contacts"][0]["is_staff"] is True
    assert {p["short_name"] for p in workshop["partners"]} == {"PiOC", "GI-TOC"}
    assert {e["start_date"] for e in workshop["related_events"]} >= {
        "2024-05-06",
        "2024-02-08",
        "2022-01-25",
    }
    assert len(workshop["related_publications"]) == 2
    roundtable = events["Cities and Mass Violence Roundtable"]
    assert roundtable["location"] is None
    assert [p["name"] for p in roundtable["partners"]] == ["Impact:Peace"]
    assert list(roundtable)[:3] == ["id", "uid", "title"]
    # Every field of the record (SPEC), deleted_at too: null, as listings show no trash.
    assert {"created_at", "updated_at", "deleted_at"} <= set(roundtable)
    assert roundtable["deleted_at"] is None
    for key in (
        "contacts",
        "partners",
        "related_events",
        "related_publications",
        "sessions",
        "invitations",
    ):
        assert isinstance(roundtable[key], list)


def test_demo_option_after_the_command_works_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "organisations", "--demo")
    assert code == 0 and "Impact:Peace" in out


@pytest.mark.parametrize(
    "argv", [["--demo", "--db", "y.db"], ["--db", "y.db", "list", "events", "--demo"]]
)
def test_demo_and_db_together_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    """Both given, the demo won and --db was silently ignored (the app opened the sample,
    `list` listed it): the officer is told to choose, and no file is made."""
    code = main([part.replace("y.db", str(tmp_path / "y.db")) for part in argv])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err == "convener: --demo opens its own sample database: give --demo or --db\n"
    assert not (tmp_path / "y.db").exists()


def test_list_events_with_a_range(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--demo", "list", "events", "--from", "Jan 1, 2020", "--to", "2020-12-31"
    )
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert "Cities and Mass Violence Roundtable" in out and "2020-02-04..2020-02-06" in out


def test_a_series_in_a_range_is_listed_by_its_day_there_in_date_order(
    capsys: pytest.CaptureFixture[str], empty_db: Path
) -> None:
    from datetime import date

    from tui.domain.models import Event
    from tui.domain.planner import Planner

    store = store_module.Store(empty_db)
    planner = Planner(store)
    thursday = date(2027, 1, 7)
    planner.save_event(Event("Partners' call", thursday, thursday, repeat="FREQ=WEEKLY"))
    planner.save_event(Event("Board dinner", date(2027, 3, 2), date(2027, 3, 2)))
    planner.save_event(Event("Retreat", date(2027, 3, 10), date(2027, 3, 11)))
    store.close()
    code, out, err = run(
        capsys,
        "--db",
        str(empty_db),
        "list",
        "events",
        "--from",
        "2027-03-01",
        "--to",
        "2027-03-31",
    )
    assert code == 0, err
    lines = [line.split("  [")[0].split(maxsplit=1)[1] for line in out.splitlines()]
    assert lines == [
        "2027-03-02              Board dinner",
        "2027-03-04              Partners' call",
        "2027-03-10..2027-03-11  Retreat",
    ]
    assert out.splitlines()[1].endswith("(repeats weekly on Thursday, from 2027-01-07)")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["list", "events"], "no events\n"),
        (["list", "events", "--from", "2030-01-01"], "no events from 2030-01-01\n"),
        (["list", "events", "--to", "2030-01-31"], "no events to 2030-01-31\n"),
        (["list", "people"], "no people\n"),
        (["list", "organisations"], "no organisations\n"),
        (["list", "publications"], "no publications\n"),
        (["list", "events", "--json"], ""),
    ],
)
def test_an_empty_list_says_so_on_stderr_and_leaves_stdout_empty(
    capsys: pytest.CaptureFixture[str], empty_db: Path, argv: list[str], said: str
) -> None:
    code, out, err = run(capsys, "--db", str(empty_db), *argv)
    assert code == 0
    assert out == ("[]\n" if "--json" in argv else "")
    assert err == said


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--demo", "list", "events", "--from", "Feb 30"],
            "--from: 'Feb 30' is not a date on the calendar",
        ),
        (
            ["--demo", "list", "events", "--from", "2024-02-01", "--to", "2024-01-01"],
            "is before --from",
        ),
        (["--demo", "list", "people", "--from", "2024-01-01"], "apply to events only"),
        (["list", "gadgets"], "invalid choice: 'gadgets'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["--demo", "import", "/no/such/file.toml"], "/no/such/file.toml: no such file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("convener: ")
    assert message in err
    assert "Traceback" not in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"convener {__version__}"


def test_default_database_is_created_private(
    capsys: pytest.CaptureFixture[str], isolated_paths: Path
) -> None:
    code, out, _ = run(capsys, "list", "events")
    assert code == 0 and out == ""
    db = isolated_paths / "data" / "convener.db"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


def test_db_option_wins_over_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, isolated_paths: Path
) -> None:
    chosen = tmp_path / "chosen.db"
    source = Path(__file__).resolve().parent.parent / "data" / "seeds.toml"
    code, _, err = run(capsys, "--db", str(chosen), "import", str(source))
    assert code == 0, err
    code, out, _ = run(capsys, "--db", str(chosen), "list", "people")
    assert code == 0 and "Jai-Ayla Sutherland" in out
    assert not (isolated_paths / "data" / "convener.db").exists()


def test_a_persons_hidden_guest_places_are_said_to_be_left_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "--demo", "list", "people", "--json")
    assert code == 0, err
    hidden = {p["name"]: p for p in json.loads(out) if p.get("events_left_out")}
    assert hidden  # guests of the invitation-only dinner
    code, out, _ = run(capsys, "--demo", "list", "people", "--json", "--include-private")
    everyone = {p["name"]: p for p in json.loads(out)}
    assert not any(p.get("events_left_out") for p in everyone.values())
    for name, person in hidden.items():
        assert len(everyone[name]["events"]) > len(person["events"])


def test_import_then_list(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "mine.db"
    source = Path(__file__).resolve().parent.parent / "data" / "seeds.toml"
    code, out, err = run(capsys, "--db", str(db), "import", str(source))
    assert code == 0, err
    assert out.startswith(
        f"{source}: added 5 organisations, 3 people, 4 publications, 8 events; linked "
    )
    code, out, _ = run(capsys, "--db", str(db), "import", str(source))
    assert out.strip() == f"{source}: nothing new"
    code, out, _ = run(capsys, "--db", str(db), "list", "publications")
    assert "Making the Case for Peace in Cities" in out


def test_an_import_into_a_database_with_records_backs_it_up_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "mine.db"
    backups = tmp_path / "backups"
    source = Path(__file__).resolve().parent.parent / "data" / "seeds.toml"
    # Into an empty database: nothing to lose, no copy.
    code, out, err = run(capsys, "--db", str(db), "import", str(source))
    assert code == 0, err
    assert not backups.exists() and "backup" not in out
    # A page that adds an event: the copy holds the database without it.
    page = tmp_path / "page.txt"
    page.write_text("March 3, 2027 | Washington D.C., DC, USA\nLaunch dinner\n")
    code, out, err = run(capsys, "--db", str(db), "import", str(page))
    assert code == 0, err
    made = sorted(backups.glob("mine-*-before-import.db"))
    assert len(made) == 1 and stat.S_IMODE(made[0].stat().st_mode) == 0o600
    assert out.splitlines()[-1] == f"backup of the database before this import: {made[0]}"
    with sqlite3.connect(made[0]) as before, sqlite3.connect(db) as after:
        query = "select count(*) from events where start_date = '2027-03-03'"
        assert before.execute(query).fetchone() == (0,)
        assert after.execute(query).fetchone() == (1,)
    # An import that writes nothing leaves no copy; only the newest five are kept.
    code, out, _ = run(capsys, "--db", str(db), "import", str(source))
    assert code == 0 and "backup" not in out
    assert len(list(backups.glob("*.db"))) == 1
    # Another database in the same folder shares backups/: its copies are named after it,
    # and each keeps its own newest five.
    other = tmp_path / "team.db"
    for name in (source, page):  # the first into an empty database: no copy
        code, _, err = run(capsys, "--db", str(other), "import", str(name))
        assert code == 0, err
    theirs = sorted(backups.glob("team-*-before-import.db"))
    assert len(theirs) == 1
    for number in range(6):
        page.write_text(f"March 3, 2027\nDinner {number}\n")
        assert run(capsys, "--db", str(db), "import", str(page))[0] == 0
    kept = sorted(backups.glob("mine-*-before-import.db"))
    assert len(kept) == 5 and made[0] not in kept
    # Imports that write nothing take no real copy with them.
    for _ in range(3):
        assert run(capsys, "--db", str(db), "import", str(page))[0] == 0  # nothing new
    assert sorted(backups.glob("mine-*-before-import.db")) == kept
    assert sorted(backups.glob("team-*-before-import.db")) == theirs


def test_backup_writes_a_private_copy(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "--demo", "backup", str(tmp_path / "copies"))
    assert code == 0
    target = Path(out.strip().removeprefix("backed up to "))
    assert target.parent == tmp_path / "copies"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_backup_into_a_file_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "--demo", "backup", str(blocker))
    assert code == 2 and "is a file, not a folder" in err


def test_backup_says_why_a_folder_cannot_be_written_and_leaves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the folders as typed, relative: short lines to compare
    Path("file").write_text("x")
    code, out, err = run(capsys, "--demo", "backup", "file/copies")
    assert (code, out) == (2, "")
    assert err == ("convener: cannot write a backup in file/copies: file is a file, not a folder\n")
    code, _, err = run(capsys, "--demo", "backup", "a" * 300)
    assert code == 2 and err.endswith(": a name in the path is too long\n")
    assert "unexpected error" not in err and len(err) < 200
    if sys.platform.startswith("linux"):  # a folder that is there but takes no files
        code, _, err = run(capsys, "--demo", "backup", "/proc/new")
        assert err == (
            "convener: cannot write a backup in /proc/new: /proc takes no new files or"
            " folders (a system folder?)\n"
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_backup_that_fails_half_way_removes_its_file_and_the_folders_made_for_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from tui.domain.store import connection

    create = connection.create_private_file

    def full(path: Path) -> None:
        create(path)
        if path.name.endswith("-backup.db"):
            path.write_bytes(b"part of a copy")
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(connection, "create_private_file", full)
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "--demo", "backup", "new/copies")
    assert code == 2
    assert err == "convener: cannot write a backup in new/copies: the disk is full\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("EACCES", "no permission to write in here"),
        ("EROFS", "here is on a read-only disk"),
        ("EIO", "Input/output error"),
    ],
)
def test_cannot_write_in_names_what_is_in_the_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str, said: str
) -> None:
    import errno
    import os

    from tui.files import cannot_write_in

    monkeypatch.chdir(tmp_path)
    Path("here").mkdir()
    number = getattr(errno, code)
    error = OSError(number, os.strerror(number))
    assert cannot_write_in(Path("here/new"), error, "a backup") == (
        f"cannot write a backup in here/new: {said}"
    )


def test_a_database_that_is_not_one(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not sqlite at all" * 100)
    code, _, err = run(capsys, "--db", str(bogus), "list", "events")
    assert code == 2 and str(bogus) in err and err.count("\n") == 1


@pytest.mark.parametrize("command", [["list", "events"], ["check"], ["backup"], ["search", "x"]])
def test_a_reading_command_on_a_mistyped_db_path_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    mistyped = tmp_path / "nowhere" / "convner.db"
    code, out, err = run(capsys, "--db", str(mistyped), *command)
    assert (code, out) == (2, "")
    assert err == (
        f"convener: {mistyped}: no database here (a mistyped path?);"
        " the app or `convener import` creates one\n"
    )
    assert not (tmp_path / "nowhere").exists()


def test_an_import_starts_a_database_at_a_new_db_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    new = tmp_path / "team" / "program.db"
    source = Path(__file__).resolve().parent.parent / "data" / "seeds.toml"
    code, _, err = run(capsys, "--db", str(new), "import", str(source))
    assert code == 0, err
    assert stat.S_IMODE(new.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        (
            "cal.ics",
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
            "is not a Convener database (it looks like an iCalendar file;"
            " `convener import` reads it in)",
        ),
        (
            "cal.ics",
            b"",
            "is an empty file named like an iCalendar file, not a database; give a .db file",
        ),
        ("notes.db", b"just some words\n", "is not a Convener database"),
    ],
)
def test_a_file_that_is_not_a_database_is_refused_and_left_as_it_was(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, content: bytes, said: str
) -> None:
    given = tmp_path / name
    given.write_bytes(content)
    for command in (["list", "events"], ["import", str(given)]):
        code, _, err = run(capsys, "--db", str(given), *command)
        assert (code, err) == (2, f"convener: {given}: {said}\n")
        assert given.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_folder_given_as_the_database_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path), "list", "events")
    assert (code, err) == (2, f"convener: {tmp_path}: is a folder, not a database file\n")


def test_bad_config_warns_in_one_line_and_carries_on(
    capsys: pytest.CaptureFixture[str], isolated_paths: Path
) -> None:
    config_file = isolated_paths / "config" / "config.toml"
    config_file.parent.mkdir(parents=True)
    config_file.write_text('first_day_of_week = "someday"\n')
    code, _, err = run(capsys, "--demo", "list", "organisations")
    assert code == 0
    assert (
        err.strip()
        == f"convener: {config_file}: key 'first_day_of_week': expected a weekday name such as 'monday', not 'someday'; using the default"
    )


def test_python_dash_m_tui_runs(empty_db: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(empty_db), "list", "events"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stderr == "no events\n"


PAGES = Path(__file__).parent / "fixtures" / "pages"


def _seed_folder(folder: Path) -> Path:
    """The two seed pages, with the README that goes with them and a photo."""
    folder.mkdir()
    for page in sorted(PAGES.glob("*.txt")):
        (folder / page.name).write_bytes(page.read_bytes())
    (folder / "README.md").write_text("# Seed documents\n\nThe two pages the project began with.\n")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    return folder


def test_import_a_folder_imports_its_pages_and_passes_over_the_rest(
    capsys: pytest.CaptureFixture[str], empty_db: Path, tmp_path: Path
) -> None:
    """A folder of pages was refused as "a folder without mail"."""
    folder = _seed_folder(tmp_path / "seeds")
    code, out, err = run(capsys, "--db", str(empty_db), "import", str(folder))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith(
        f"{folder}: 2 pages: added 8 events, 2 people, 4 publications; linked"
    )
    assert lines[1:] == [
        "  skipped README.md: not an event or publication page; passed over",
        "  skipped 1 file of other kinds (photo.jpg); passed over",
    ]
    # Again: the pages are named as read, with nothing new (it said only "skipped 2").
    code, out, err = run(capsys, "--db", str(empty_db), "import", str(folder))
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith(f"{folder}: 2 pages: nothing new; skipped 2;")
    code, out, _ = run(capsys, "--db", str(empty_db), "list", "events", "--json")
    titles = {event["title"] for event in json.loads(out)}
    assert {"City Action for Peace Workshop – Washington, DC",
            "Cities and Mass Violence Roundtable"} <= titles  # fmt: skip


def test_import_a_folder_with_a_bad_page_imports_the_others_and_names_it(
    capsys: pytest.CaptureFixture[str], empty_db: Path, tmp_path: Path
) -> None:
    folder = _seed_folder(tmp_path / "seeds")
    (folder / "bad.txt").write_text("June 32, 2024 | Somewhere | Program\nA title\n")
    code, out, err = run(capsys, "--db", str(empty_db), "import", str(folder))
    assert code == 2
    assert err == f"convener: {folder}: 1 file in it refused (bad.txt:1; see above)\n"
    assert (
        "  skipped bad.txt:1: the date 'June 32, 2024' cannot be read: 'June 32, 2024' is not"
        " a date on the calendar; refused, nothing of it written"
    ) in out.splitlines()
    # The count of what was skipped says which were refused, as the last line does.
    assert out.splitlines()[0].startswith(
        f"{folder}: 2 pages: added 8 events, 2 people, 4 publications; linked 13;"
        " skipped 3: 1 file refused, 2 passed over;"
    )


def test_a_binary_file_in_a_folder_is_named_without_a_line(
    capsys: pytest.CaptureFixture[str], empty_db: Path, tmp_path: Path
) -> None:
    folder = _seed_folder(tmp_path / "seeds")
    (folder / "junk.txt").write_bytes(b"line one\nline two\n\x00\x01\x02 binary")
    code, out, err = run(capsys, "--db", str(empty_db), "import", str(folder))
    assert code == 2
    assert "  skipped junk.txt: is a binary file, not text; refused, nothing of it written" in (
        out.splitlines()
    )
    assert err == f"convener: {folder}: 1 file in it refused (junk.txt; see above)\n"


@pytest.mark.parametrize("contents", [[], ["photo.jpg", "LICENSE"]])
def test_import_a_folder_with_nothing_to_import_is_one_line(
    capsys: pytest.CaptureFixture[str], empty_db: Path, tmp_path: Path, contents: list[str]
) -> None:
    folder = tmp_path / "holiday"
    folder.mkdir()
    for name in contents:
        (folder / name).write_bytes(b"\x00\x01 bytes")
    code, out, err = run(capsys, "--db", str(empty_db), "import", str(folder))
    assert (code, out) == (2, "")
    assert err == (
        f"convener: {folder}: holds nothing to import (no pages .txt/.md, calendars .ics,"
        " guest lists .csv, Convener files .toml/.json, mail .eml/.mbox)\n"
    )


def test_import_pages_and_partial(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pages = Path(__file__).resolve().parent / "fixtures" / "pages"
    db = tmp_path / "pages.db"
    code, out, err = run(
        capsys, "--db", str(db), "import", *sorted(str(p) for p in pages.glob("*.txt"))
    )
    assert code == 0, err
    assert out.count("added") == 2
    code, out, _ = run(capsys, "--db", str(db), "list", "events", "--json")
    events = {e["title"]: e for e in json.loads(out)}
    assert len(events) == 8
    assert [c["name"] for c in events["Cities and Mass Violence Roundtable"]["contacts"]] == [
        "Kelsey Paul Shantz",
        "Jai-Ayla Sutherland",
    ]
    bad = tmp_path / "bad.txt"
    bad.write_text(
        "June 1, 2024 | Online | Cities\nA Webinar\nText.\nRelated Events\nFebuary 31, 2020\nGone"
    )
    code, _, err = run(capsys, "--db", str(db), "import", str(bad))
    assert (
        code == 2
        and err == f"convener: {bad}:5: the related event date 'Febuary 31, 2020' cannot be read\n"
    )
    code, out, _ = run(capsys, "--db", str(db), "import", "--partial", str(bad))
    assert code == 0
    assert out.splitlines() == [
        f"{bad}: added 1 event; skipped 1",
        "  skipped line 5: the related event date 'Febuary 31, 2020' cannot be read",
        "backup of the database before this import: "
        + str(next((tmp_path / "backups").glob("*-before-import.db"))),
    ]


def _demo_id(capsys: pytest.CaptureFixture[str], title: str) -> str:
    _, out, _ = run(capsys, "--demo", "list", "events", "--json")
    return str(next(e["id"] for e in json.loads(out) if e["title"] == title))


def test_export_event_markdown_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    event_id = _demo_id(capsys, "City Action for Peace Workshop – Washington, DC")
    code, out, err = run(capsys, "--demo", "export", "event", event_id, "--format", "md")
    assert code == 0, err
    assert out.startswith("# City Action for Peace Workshop – Washington, DC\n")
    assert "## Related publications" in out


def test_export_of_a_repeating_event_on_one_of_its_dates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--on DATE: that occurrence's date (the series said after its rule); without it, the
    series from its first date; a day it does not meet, or another format, exit 2."""
    from dateutil.rrule import rrulestr

    _, out, _ = run(capsys, "--demo", "list", "events", "--json")
    [call] = [e for e in json.loads(out) if e["repeat"]]
    first = date.fromisoformat(call["start_date"])
    second = rrulestr(call["repeat"], dtstart=datetime.combine(first, time()))[1].date()
    code, out, err = run(capsys, "--demo", "export", "event", str(call["id"]))
    assert code == 0, err
    assert f"- **When:** {format_span(first, first)}" in out
    for form in ("md", "briefing"):
        argv = ["--demo", "export", "event", str(call["id"]), "--format", form]
        code, out, err = run(capsys, *argv, "--on", second.isoformat())
        assert code == 0, err
        assert f"- **When:** {format_span(second, second)}" in out
        assert f"(one date of a series that began on {format_span(first, first)})" in out
    off = second + timedelta(days=1)
    code, _, err = run(
        capsys, "--demo", "export", "event", str(call["id"]), "--on", off.isoformat()
    )
    assert code == 2 and f"does not take place on {off.isoformat()}" in err
    assert err.count("\n") == 1
    argv = ["--demo", "export", "event", str(call["id"]), "--format", "ics"]
    code, _, err = run(capsys, *argv, "--on", second.isoformat())
    assert code == 2 and "--on: only with --format md or briefing" in err


@pytest.mark.parametrize("form", ["md", "briefing"])
def test_export_on_a_day_checks_the_day_once_and_writes_nothing_when_it_is_off(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    form: str,
) -> None:
    from tui.domain.planner import Planner

    checked: list[date] = []
    occurrence_on = Planner.occurrence_on

    def counted(self: Planner, event_id: int, day: date) -> object:
        checked.append(day)
        return occurrence_on(self, event_id, day)

    monkeypatch.setattr(Planner, "occurrence_on", counted)
    _, out, _ = run(capsys, "--demo", "list", "events", "--json")
    [call] = [e for e in json.loads(out) if e["repeat"]]
    first = call["start_date"]
    argv = ["--demo", "export", "event", str(call["id"]), "--format", form]
    code, _, err = run(capsys, *argv, "--on", first)
    assert (code, checked) == (0, [date.fromisoformat(first)]), err
    checked.clear()
    off = (date.fromisoformat(first) + timedelta(days=1)).isoformat()
    code, out, err = run(capsys, *argv, "--on", off, "-o", str(tmp_path / "out") + "/")
    assert (code, out, len(checked)) == (2, "", 1)
    assert err.startswith("convener: ") and err.endswith(
        f"does not take place on {off} (it repeats)\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_export_briefing_to_a_file_then_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "out" / "briefing.md"
    code, _, err = run(
        capsys, "--demo", "export", "event", "10", "--format", "briefing", "-o", str(target)
    )
    assert code == 0 and err.strip() == f"wrote {target}"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    first = target.read_text()
    assert first.startswith("# Briefing book: ")
    briefing = ["--demo", "export", "event", "10", "--format", "briefing", "-o", str(target)]
    code, _, err = run(capsys, *briefing, "--include-private")
    assert code == 2 and err == f"convener: {target} exists; use --force to replace it\n"
    assert target.read_text() == first
    code, _, _ = run(capsys, *briefing, "--include-private", "--force")
    assert code == 0 and target.read_text() != first and "## Needs summary" in target.read_text()
    assert [p.name for p in target.parent.iterdir()] == ["briefing.md"]  # no temporary file left


def test_export_to_a_folder_names_the_private_briefing_apart(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Issue 18: the two briefing books get different default file names."""
    folder = tmp_path / "exports"
    folder.mkdir()
    briefing = ["--demo", "export", "event", "10", "--format", "briefing", "-o", str(folder)]
    assert run(capsys, *briefing)[0] == 0
    assert run(capsys, *briefing, "--include-private")[0] == 0
    names = sorted(p.name for p in folder.iterdir())
    # The name starts with the event's day (the demo's dates follow its clock).
    stem = names[-1].removesuffix("-briefing.md")
    assert stem.endswith("-policy-dinner-cities-and-atrocity-prevention")
    assert names == [f"{stem}-briefing-private.md", f"{stem}-briefing.md"]
    assert "## Guests' needs" in (folder / f"{stem}-briefing-private.md").read_text()
    assert "## Guests' needs" not in (folder / f"{stem}-briefing.md").read_text()


def test_export_to_a_folder_not_made_yet_makes_it_and_uses_the_default_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "x" / "outdir"
    briefing = ["--demo", "export", "event", "10", "--format", "briefing", "-o", f"{folder}/"]
    code, _, err = run(capsys, *briefing)
    assert code == 0, err
    assert folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) == 0o700
    [written] = folder.iterdir()
    assert written.name.endswith("-policy-dinner-cities-and-atrocity-prevention-briefing.md")
    assert f"wrote {written}" in err


def test_an_export_that_fails_leaves_no_folder_it_made(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """-o into folders that did not exist, then the file cannot be written (a name too
    long for the disk): the folders made for it are removed again."""
    target = tmp_path / "new" / "sub" / ("x" * 250 + ".md")
    code, _, err = run(capsys, "--demo", "export", "event", "10", "-o", str(target))
    assert code == 2 and "a name in the path is too long" in err and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_streamed_export_failing_half_way_leaves_no_folder_it_made(tmp_path: Path) -> None:
    from tui.domain.errors import InvalidInput
    from tui.files import write_private

    kept = tmp_path / "kept"
    kept.mkdir()

    def chunks() -> Iterator[str]:
        yield "# Agenda\n"
        raise InvalidInput("the agenda could not be finished")

    with pytest.raises(InvalidInput):
        write_private(kept / "new" / "deeper" / "agenda.md", chunks())
    assert list(tmp_path.iterdir()) == [kept] and list(kept.iterdir()) == []


def test_the_agenda_to_a_folder_asks_for_a_file_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "--demo", "agenda", "-o", f"{tmp_path}/outdir/")
    assert code == 2 and "a folder; give a file name" in err and len(err.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "event", "999"], "no event with id 999"),
        (["export", "event", "abc"], "'abc' is not an event id"),
        (["export", "event", "0"], "'0' is not an event id (a whole number from 1 up"),
        (["export", "event", "1", "--format", "pdf"], "invalid choice: 'pdf'"),
        (["agenda", "--from", "2024-13-01"], "--from: '2024-13-01' is not a date"),
        (["agenda", "--from", "2024-02-01", "--to", "2024-01-01"], "is before --from"),
    ],
)
def test_export_bad_input(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, "--demo", *argv)
    assert code == 2 and message in err and err.count("\n") == 1


def test_agenda_defaults_to_the_next_30_days(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--demo", "agenda")
    assert code == 0
    assert out.startswith("# Agenda: ")
    assert "Policy Dinner: Cities and Atrocity Prevention" in out


def test_agenda_range(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--demo", "agenda", "--from", "Feb 1, 2020", "--to", "2020-02-29")
    assert code == 0
    assert (
        "## February 2020" in out
        and "Peace in Our Cities: Senior Staff Planning and Strategy Retreat" in out
    )


def test_search_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--demo", "search", "GI-TOC")
    assert code == 0
    assert (
        "Organisations (1)" in out
        and "Global Initiative Against Transnational Organized Crime" in out
    )
    code, out, _ = run(capsys, "--demo", "search", "zurich", "--json")
    hits = json.loads(out)
    assert any(h["kind"] == "organisation" and h["title"] == "City of Zürich" for h in hits)
    assert all(set(h) >= {"kind", "id", "title", "snippet"} for h in hits)
    code, out, _ = run(capsys, "--demo", "search", '"', "AND")
    assert code == 0 and "Events (" in out


def test_a_session_hit_names_its_event(capsys: pytest.CaptureFixture[str]) -> None:
    event = "Roundtable on Subnational Diplomacy and Urban Violence – Zürich"
    code, out, _ = run(capsys, "--demo", "search", "Festsaal", "welcome")
    assert code == 0 and f"Welcome by the City of Zürich — {event}" in out
    code, out, _ = run(capsys, "--demo", "search", "Festsaal", "welcome", "--json")
    [hit] = [h for h in json.loads(out) if h["kind"] == "session"]
    assert hit["event_title"] == event and isinstance(hit["event_id"], int)


def test_search_finds_nothing_calmly(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--demo", "search", "🙂")
    assert (code, out, err) == (0, "nothing found for '🙂'\n", "")


@pytest.mark.parametrize(
    "argv",
    [
        ("search", "-GI-TOC"),
        ("search", "--json", "-GI-TOC", "--limit", "5"),
        ("search", "--limit=5", "--", "-GI-TOC"),
    ],
)
def test_a_search_word_may_start_with_a_dash(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, "--demo", *argv)
    assert code == 0, err
    assert "Global Initiative Against Transnational Organized Crime" in out


def test_a_dash_word_after_global_options_is_searched(
    capsys: pytest.CaptureFixture[str], empty_db: Path
) -> None:
    code, out, err = run(capsys, "--db", str(empty_db), "search", "-peace", "--json")
    assert (code, out, err) == (0, "[]\n", "")


def test_ics_export_and_agenda(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "--demo", "export", "event", "10", "--format", "ics")
    assert code == 0 and out.startswith("BEGIN:VCALENDAR") and "SUMMARY:Policy Dinner" in out
    target = tmp_path / "agenda.ics"
    code, _, _ = run(
        capsys,
        "--demo",
        "agenda",
        "--from",
        "2019-01-01",
        "--to",
        "2026-12-31",
        "--format",
        "ics",
        "-o",
        str(target),
    )
    assert code == 0 and target.read_text().count("BEGIN:VEVENT") == 14
    db = tmp_path / "copy.db"
    code, out, err = run(capsys, "--db", str(db), "import", str(target))
    assert code == 0, err
    assert out.startswith(f"{target}: added 14 events")


def test_guest_csv_export_and_import_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "c.db")
    data = Path(__file__).resolve().parent.parent / "data"
    assert main(["--db", db, "import", str(data / "seeds.toml"), str(data / "upcoming.toml")]) == 0
    capsys.readouterr()
    assert main(["--db", db, "export", "event", "10", "--format", "csv"]) == 2
    assert "--include-private" in capsys.readouterr().err
    target = tmp_path / "guests.csv"
    assert (
        main(
            [
                "--db",
                db,
                "export",
                "event",
                "10",
                "--format",
                "csv",
                "--include-private",
                "-o",
                str(target),
            ]
        )
        == 0
    )
    assert target.stat().st_mode & 0o777 == 0o600
    capsys.readouterr()
    assert main(["--db", db, "import", str(target), "--event", "10"]) == 0
    assert "nothing new" in capsys.readouterr().out
    assert main(["--db", db, "import", str(target)]) == 2
    assert "--event" in capsys.readouterr().err
    assert main(["--db", db, "import", str(target), "--event", "999"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "999" in err


def test_check_says_ok_then_names_each_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    db = tmp_path / "data" / "convener.db"
    assert (
        main(
            [
                "--db",
                str(db),
                "import",
                str(Path(__file__).resolve().parent.parent / "data" / "seeds.toml"),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["--db", str(db), "check"]) == 0
    newest = store_module.MIGRATION_NAMES[-1]
    assert capsys.readouterr().out.startswith(f"convener check: ok (integrity, schema {newest}")
    connection = sqlite3.connect(db)
    connection.execute("pragma foreign_keys = off")
    connection.execute("insert into event_contacts (event_id, person_id) values (1, 99999)")
    connection.commit()
    connection.close()
    db.chmod(0o644)
    assert main(["--db", str(db), "check"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any("orphaned link: event_contacts" in line for line in lines)
    assert any(f"file mode: {db} is 644" in line for line in lines)
    assert all(len(line) <= 200 for line in lines)


def test_check_names_the_folder_of_a_relative_database_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "office"
    folder.mkdir()
    folder.chmod(0o755)
    store_module.Store(folder / "x.db").close()
    monkeypatch.chdir(folder)
    assert main(["--db", "x.db", "check"]) == 1
    [line] = capsys.readouterr().out.splitlines()
    assert line == (
        f"convener check: file mode: folder {folder.resolve()} is 755, open to others"
        " (chmod 700 it)"
    )


def test_check_reports_a_database_of_a_newer_convener_and_the_rest_refuse_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A finding (exit 1, on stdout, as check's other findings), not a refusal (exit 2);
    every other command refuses in one line; the file is left byte for byte as it was."""
    db = tmp_path / "x.db"
    store_module.Store(db).close()
    connection = sqlite3.connect(db)
    connection.execute(
        "insert into _sqlite_migrations (migration_set, name, applied_at)"
        " values ('convener', 'm9999_future', 'x')"
    )
    connection.commit()
    connection.close()
    before = db.read_bytes()
    code, out, err = run(capsys, "--db", str(db), "check")
    newest = store_module.MIGRATION_NAMES[-1]
    assert (code, err) == (1, "")
    assert out == (
        "convener check: schema: this database was written by a newer Convener"
        f" (schema m9999_future, this one knows up to {newest}); upgrade Convener to open it\n"
    )
    for command in (["list", "events"], ["search", "peace"], ["backup"], ["undo"]):
        code, out, err = run(capsys, "--db", str(db), *command)
        assert (code, out) == (2, "")
        assert err == (
            f"convener: {db}: this database was written by a newer Convener"
            " (schema m9999_future); upgrade Convener to open it\n"
        )
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.db"]


def test_an_ics_export_says_when_it_left_guest_lists_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "--demo", "export", "event", "10", "--format", "ics")
    assert code == 0 and "ATTENDEE" not in out
    assert (
        err == "convener: the guest list of this invitation-only event is left out"
        " (--include-private)\n"
    )
    code, out, err = run(
        capsys, "--demo", "export", "event", "10", "--format", "ics", "--include-private"
    )
    assert code == 0 and "ATTENDEE" in out and err == ""
    month = ["--demo", "agenda", "--from", "2026-12-01", "--to", "2026-12-31", "--format", "ics"]
    code, out, err = run(capsys, *month)
    assert code == 0
    assert err == (
        "convener: the guest lists of 2 invitation-only events are left out (--include-private)\n"
    )
    code, everything, err = run(capsys, *month, "--include-private")
    assert code == 0 and err == ""
    assert everything.count("ATTENDEE") > out.count("ATTENDEE")


def test_export_toml_then_import_it_into_another_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "dinner.toml"
    argv = ["--demo", "export", "event", "10", "--format", "toml", "-o", str(target)]
    code, _, err = run(capsys, *argv)
    assert code == 0 and "guest list of this invitation-only event is left out" in err
    assert "[[events.invitations]]" not in target.read_text()
    code, _, _ = run(capsys, *argv, "--include-private", "--force")
    assert code == 0 and "[[events.invitations]]" in target.read_text()
    other = tmp_path / "other.db"
    code, out, err = run(capsys, "--db", str(other), "import", str(target))
    assert code == 0, err
    assert "added" in out and "events" in out and "guests" in out
    code, out, _ = run(capsys, "--db", str(other), "export", "event", "1", "--format", "md")
    assert code == 0 and out.startswith("# ")


def test_export_json_is_the_toml_document_and_imports_into_another_database_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "--demo", "export", "event", "10", "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["convener"] == 1
    assert document["events"][0]["access"] == "invitation-only"
    assert "invitations" not in document["events"][0] and "left out" in err
    target = tmp_path / "dinner.json"
    code, _, _ = run(capsys, "--demo", "export", "event", "10", "--format", "json",
                     "--include-private", "-o", str(target))  # fmt: skip
    assert code == 0
    document = json.loads(target.read_text())
    assert document["events"][0]["invitations"] and document["events"][0]["tasks"]
    assert document["events"][0]["start_time"] == "19:00"
    other = tmp_path / "other.db"
    code, out, err = run(capsys, "--db", str(other), "import", str(target))
    assert code == 0, err
    assert "added" in out and "guests" in out
    # Imported whole: the other database writes the same document back.
    code, again, _ = run(
        capsys, "--db", str(other), "export", "event", "1", "--format", "json", "--include-private"
    )
    assert code == 0 and json.loads(again) == document
    # Imported again it brings nothing new.
    code, out, err = run(capsys, "--db", str(other), "import", str(target))
    assert code == 0 and "added" not in out and "updated" not in out, out


def test_a_cut_search_says_how_many_match_in_all(capsys: pytest.CaptureFixture[str]) -> None:
    code, everything, _ = run(capsys, "--demo", "search", "peace", "--limit", "500", "--json")
    total = len(json.loads(everything))
    assert code == 0 and total > 5
    code, out, _ = run(capsys, "--demo", "search", "peace", "--limit", "5")
    assert code == 0 and out.splitlines()[-1] == f"5 of {total} shown (--limit N for more)"


def test_an_older_database_is_upgraded_with_one_line_said_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Upgrading a large file takes seconds (m0011 remakes the search index): the officer is
    told so on stderr, once; an up-to-date file opens without a word."""
    import shutil

    fixture = Path(__file__).parent / "fixtures" / "schemas" / "convener-m0010_series_end.db"
    db = tmp_path / "older.db"
    shutil.copyfile(fixture, db)
    code, out, err = run(capsys, "--db", str(db), "list", "events")
    assert code == 0 and "Cities and Mass Violence Roundtable" in out
    [line] = err.splitlines()
    from tui.domain.migrations import known_names

    assert line.startswith(f"Upgrading {db} to this Convener's format ({known_names()[-1]})")
    assert list((tmp_path / "backups").glob("*.db"))
    code, out, err = run(capsys, "--db", str(db), "list", "events")
    assert code == 0 and err == ""


ARENAS = """
import ctypes, sys, threading
if sys.argv[1] == "one":
    from tui.cli import one_malloc_arena
    one_malloc_arena()
together = threading.Barrier(4)
def work():
    kept = [bytearray(200_000) for _ in range(5)]
    together.wait()
threads = [threading.Thread(target=work) for _ in range(4)]
for thread in threads: thread.start()
for thread in threads: thread.join()
ctypes.CDLL(None).malloc_stats()
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or __import__("platform").libc_ver()[0] != "glibc",
    reason="glibc's malloc arenas",
)
def test_the_app_asks_malloc_for_one_arena_before_its_threads_start() -> None:
    """Worker threads each got a malloc arena of their own, and kept what they freed
    (12 MB over a session at 100k events); one_malloc_arena is called before the app runs."""

    def arenas(mode: str) -> int:
        done = subprocess.run(
            [sys.executable, "-c", ARENAS, mode], capture_output=True, text=True, check=True
        )
        return sum(line.startswith("Arena ") for line in done.stderr.splitlines())

    assert arenas("default") > 1
    assert arenas("one") == 1


def test_opening_the_app_asks_for_one_arena_before_the_app_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.app
    import tui.cli

    happened: list[str] = []

    class Styles:
        def save(self) -> None:
            happened.append("styles kept")

    class StandIn:
        return_code = 0
        stylesheet = Styles()
        said_at_exit: list[str] = []

        def __init__(self, *args: object, kept_styles: Path | None, **kwargs: object) -> None:
            happened.append(f"app, styles in {kept_styles.parent.name if kept_styles else '-'}")

        def run(self) -> None:
            happened.append("run")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(tui.cli, "one_malloc_arena", lambda: happened.append("arena"))
    monkeypatch.setattr(tui.app, "ConvenerApp", StandIn)
    assert main(["--db", str(tmp_path / "app.db")]) == 0
    # The parsed stylesheets are kept in the cache folder after the app closed.
    assert happened == ["arena", "app, styles in convener", "run", "styles kept"]
    # A command of the command line starts no app and needs no arena.
    happened.clear()
    assert main(["--db", str(tmp_path / "app.db"), "list", "events"]) == 0
    assert happened == []
    # The demo leaves nothing in the officer's folders: its styles are not kept.
    assert main(["--demo"]) == 0
    assert happened == ["arena", "app, styles in convener", "run"]


LOADED_WHEN_USED = (
    "tui.commands",
    "tui.screens.search",
    "email",
    "tui.domain.search",
    "tui.domain.tasks",
    "tui.domain.task_watch",
    "tui.domain.planner.checklist",
    "tui.edit_files",
    "ctypes",
)
"""Modules the first screen does without: loaded when first used."""


def test_the_first_screen_does_not_load_search_or_the_palette_s_records() -> None:
    """Their modules load when `/` or the palette is first used (8 ms of a start). The
    guest list counts the outbox on every read without the e-mail package (20 ms). The
    search's words, the rules of due dates and watches, the note of unfinished edits and
    ctypes' Python half load when used (5 ms)."""
    probe = (
        "import sys, tui.cli, tui.app, tui.screens.main, tui.mail_actions\n"
        "import tui.first_screen, tui.domain.planner\n"
        "tui.cli.one_malloc_arena()\n"
        f"print(sorted(m for m in {LOADED_WHEN_USED!r} if m in sys.modules))\n"
        "print(tui.app.ConvenerApp.COMMANDS and sorted(p.__name__ for p in"
        " tui.app.ConvenerApp.COMMANDS))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    loaded, providers = done.stdout.splitlines()
    assert loaded == "[]"
    assert "records_provider" in providers
    from tui.app import records_provider
    from tui.commands import RecordsProvider

    assert records_provider() is RecordsProvider


def test_a_command_runs_with_the_garbage_collector_on(capsys: pytest.CaptureFixture[str]) -> None:
    """`convener` (tui.launch) turns the collector off for the app's start; a command other
    than the app turns it back on at once."""
    import gc

    gc.disable()
    try:
        code, _, _ = run(capsys, "--demo", "list", "events")
        assert code == 0 and gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize(
    "words",
    [[], ["--db", "x.db"], ["--db=x.db"], ["--demo"], ["--demo", "--db", "y.db"], ["--de"]],
)
def test_a_plain_start_is_read_as_the_whole_command_line_reads_it(words: list[str]) -> None:
    """Starting the app reads its two options without making the fifteen commands (3-4 ms
    of a start); what it reads is what the whole command line reads."""
    from tui.arguments import app_arguments, build_parser

    assert app_arguments(words) == build_parser().parse_args(words)


@pytest.mark.parametrize(
    "words",
    [
        [],
        ["--db", "x.db"],
        ["--db=x.db"],
        ["--db", "my events.db"],
        ["--db", ""],
        ["--db="],
        ["--demo"],
    ],
)
def test_a_plain_start_is_read_without_argparse_as_argparse_reads_it(words: list[str]) -> None:
    """The app's usual starts are read without importing argparse (1.2% of a start); the
    arguments are the whole command line's."""
    from tui.arguments import build_parser
    from tui.cli import start_arguments

    read = start_arguments(words)
    assert read is not None
    assert vars(read) == vars(build_parser().parse_args(words))


@pytest.mark.parametrize(
    "words",
    [
        ["--de"],
        ["--db", "-x.db"],
        ["--db"],
        ["--demo", "--db", "y.db"],
        ["list"],
        ["-h"],
        ["--d=x"],
    ],
)
def test_anything_else_is_left_to_argparse(words: list[str]) -> None:
    from tui.cli import start_arguments

    assert start_arguments(words) is None


def test_a_plain_start_imports_no_argparse() -> None:
    code = (
        "import sys; from tui.cli import start_arguments;"
        " assert start_arguments(['--db', 'x.db']) is not None;"
        " print('argparse' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize(
    "words", [["-h"], ["--version"], ["list", "events"], ["--db"], ["--db", "x", "undo"], ["x"]]
)
def test_anything_but_a_plain_start_goes_to_the_whole_command_line(words: list[str]) -> None:
    from tui.arguments import app_arguments

    assert app_arguments(words) is None


def test_a_page_cut_off_mid_text_keeps_the_stored_longer_description(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = min((Path(__file__).resolve().parent / "fixtures" / "pages").glob("*.txt"))
    db = tmp_path / "pages.db"
    assert run(capsys, "--db", str(db), "import", str(page))[0] == 0
    _, out, _ = run(capsys, "--db", str(db), "list", "events", "--json")
    (before,) = [e for e in json.loads(out) if e["description"]]
    # The file cut off in the middle of its description, as `head -c` leaves it.
    text = page.read_text(encoding="utf-8")
    cut_at = text.index(before["description"][:60]) + len(before["description"]) // 2
    cut = tmp_path / "cut.txt"
    cut.write_text(text[:cut_at], encoding="utf-8")
    code, out, err = run(capsys, "--db", str(db), "import", str(cut))
    assert code == 0, err
    assert "kept 1 longer stored text" in out and "cut off?" in out
    assert "  kept the stored " in out and ": description" in out
    _, listed, _ = run(capsys, "--db", str(db), "list", "events", "--json")
    after = next(e for e in json.loads(listed) if e["id"] == before["id"])
    assert after["description"] == before["description"]


def test_a_date_option_in_words_counts_from_convener_today(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--from tomorrow is the day after CONVENER_TODAY (the suite's fixed day), not after
    the computer's date."""
    from .conftest import TODAY

    day = TODAY + timedelta(days=1)
    code, out, err = run(capsys, "--demo", "agenda", "--from", "tomorrow", "--to", "tomorrow")
    assert code == 0, err
    assert out.startswith(f"# Agenda: {day:%a} {day.day} {day:%B %Y}\n"), out[:80]


def test_a_bad_option_points_to_its_commands_own_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "--demo", "due", "--days", "abc")
    assert code == 2 and out == ""
    assert err.strip().endswith("(see convener due --help)"), err
    code, _, err = run(capsys, "--demo", "mail", "cancel")
    assert code == 2 and err.strip().endswith("(see convener mail cancel --help)"), err
    code, _, err = run(capsys, "--demo", "mail", "send", "--bogus")
    assert code == 2 and err.strip().endswith("(see convener mail send --help)"), err
    assert "unrecognized arguments: --bogus" in err
    code, _, err = run(capsys, "--demo", "due", "--bogus")
    assert code == 2 and err.strip().endswith("(see convener due --help)"), err
    # A mistyped option is named even when an argument is missing too.
    code, _, err = run(capsys, "--demo", "mail", "cancel", "--bogus", "-x")
    assert code == 2
    assert err.strip() == (
        "convener: unrecognized arguments: --bogus -x; missing: EVENT_ID"
        " (see convener mail cancel --help)"
    ), err
    code, _, err = run(capsys, "--demo", "import", "--event", "-3")
    assert code == 2 and "unrecognized" not in err and "FILE" in err, err
    code, _, err = run(capsys, "--demo", "import", "--lar")  # --large, abbreviated
    assert code == 2 and "unrecognized" not in err and "FILE" in err, err


@pytest.mark.parametrize(
    "words",
    [
        ["agenda", "--from", "2026-12-01", "--to", "2026-12-31", "--format", "ics"],
        ["--db", "x.db", "list", "events", "--json"],
        ["--db", "agenda", "list", "people"],  # a file named like a command
        ["--db", "search", "agenda"],
        ["search", "-peace", "agenda", "--limit", "5"],
        ["export", "event", "12", "--format", "briefing", "-o", "out.md"],
        ["mail", "invitations", "12", "--status", "to-invite"],
        ["sync", "--url", "http://127.0.0.1:1/"],
        ["due", "--days", "3", "--json"],
        ["import", "a.ics", "b.txt", "--partial"],
        ["undo", "--list"],
        ["check"],
        ["backup", "somewhere"],
    ],
)
def test_a_command_is_read_as_the_whole_command_line_reads_it(words: list[str]) -> None:
    """parse_command_line reads a command with that command's parser alone: the same
    arguments as the whole command line's."""
    from tui.arguments import COMMAND_NAMES, build_parser, parse_command_line

    assert vars(parse_command_line(words)) == vars(build_parser().parse_args(words))
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert tuple(commands.choices) == COMMAND_NAMES


@pytest.mark.parametrize(
    "words",
    [
        ["agenda", "--bogus"],
        ["agendaa"],
        ["mail", "import"],
        ["list"],
        ["--db", "search", "agendaa"],
        ["due", "--days", "99999"],
    ],
)
def test_a_mistake_is_told_as_the_whole_command_line_tells_it(words: list[str]) -> None:
    from tui.arguments import UsageError, build_parser, parse_command_line

    with pytest.raises(UsageError) as whole:
        build_parser().parse_args(words)
    with pytest.raises(UsageError) as read:
        parse_command_line(words)
    assert str(read.value) == str(whole.value)


@pytest.mark.parametrize(
    "argv",
    [
        ["--demo", "export", "event", "10", "-o", "-"],
        ["--demo", "export", "event", "10", "--format", "json", "--output", "-"],
        ["--demo", "agenda", "--from", "2026-11-01", "-o", "-"],
    ],
)
def test_output_dash_is_standard_output_not_a_file(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert out.strip() and "wrote" not in err
    assert not (tmp_path / "-").exists()


def test_a_truncated_json_import_says_the_whole_reason_on_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "cut.json"
    target.write_text('{"convener": 1, "events": [{"title": "Nairobi wor')
    code, out, err = run(capsys, "--demo", "import", str(target))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.rstrip().endswith(
        "cut.json:1: not valid JSON: Unterminated string starting at: line 1 column 38"
    )


@pytest.mark.parametrize(
    ("content", "extra"),
    [
        ('{"convener": 1, "events": [{"title": "Nairobi wor', []),
        ('{"convener": 1, "events": []}', ["--event", "99"]),
    ],
)
def test_a_failed_import_onto_a_new_db_path_leaves_no_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, extra: list[str]
) -> None:
    source = tmp_path / "cut.json"
    source.write_text(content)
    database = tmp_path / "new" / "deeper" / "convener.db"
    code, out, err = run(capsys, "--db", str(database), "import", str(source), *extra)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert not (tmp_path / "new").exists()
    # An import that works creates the database and keeps it.
    source.write_text('{"convener": 1, "events": []}')
    code, out, err = run(capsys, "--db", str(database), "import", str(source))
    assert code == 0, err
    assert database.exists()


def test_a_failed_import_keeps_a_database_that_was_there(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, empty_db: Path
) -> None:
    source = tmp_path / "cut.json"
    source.write_text('{"convener": 1, "events": [{"title": "Nairobi wor')
    code, _, _ = run(capsys, "--db", str(empty_db), "import", str(source))
    assert code == 2 and empty_db.exists()


@pytest.mark.parametrize("text", ["", "   "])
def test_search_for_nothing_is_an_error(capsys: pytest.CaptureFixture[str], text: str) -> None:
    code, out, err = run(capsys, "--demo", "search", text)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "give some text to search for" in err


@pytest.mark.parametrize("first_writes", [False, True])
def test_ctrl_c_during_an_import_says_what_was_kept_in_one_line(
    capsys: pytest.CaptureFixture[str],
    sample_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    first_writes: bool,
) -> None:
    """ctrl+c exited 130 without a word and kept the backup of an import that wrote nothing."""
    from tui.domain.planner import Planner

    page = PAGES / "000_bc0703ea3dc38fcf.txt"
    first = tmp_path / "new.toml"
    first.write_text(
        'convener = 1\n[[events]]\nuid = "u-new"\ntitle = "New one"\nstart_date = "2027-01-05"\n'
    )
    big = tmp_path / "big.ics"
    big.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    real = Planner.import_file

    def interrupted(self: Planner, path: Path, **options: object) -> object:
        if path == big:
            with self.store.transaction("Import big.ics"):  # written, then rolled back
                self.save(replace(self.event(1), title="half-way"))
                raise KeyboardInterrupt
        return real(self, path, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(Planner, "import_file", interrupted)
    code, out, err = run(
        capsys,
        "--db",
        str(sample_db),
        "import",
        "--large",
        str(first if first_writes else page),
        str(big),
    )
    assert code == 130
    backups = sorted((tmp_path / "backups").glob("*-before-import.db"))
    said = f"convener: import cancelled: nothing of {big} was written (the 1 file before it was imported)"
    if first_writes:
        assert len(backups) == 1
        assert err == f"{said}; the database as it was before the import: {backups[0]}\n"
    else:
        assert backups == []  # the import wrote nothing: its backup goes (README)
        assert err == f"{said}\n"
    code, out, _ = run(capsys, "--db", str(sample_db), "list", "events")
    assert "half-way" not in out
