"""A hostile environment: a read-only database, a full disk. Each refusal is one clear
line, the app stays up, and nothing saved before is lost or half-changed.

As root a file's mode does not stop writes, so the database is made read-only by SQLite
itself (PRAGMA query_only) and the disk "full" by capping its pages (PRAGMA
max_page_count): the very errors SQLite gives on a read-only mount or a full disk.
"""

from __future__ import annotations

import hashlib
import io
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import TextArea

from tests.conftest import TODAY
from tests.ui.conftest import settle
from tests.ui.test_editor import fill, new_event_form
from tui.app import ConvenerApp
from tui.cli import main
from tui.config import Settings
from tui.domain.errors import StorageError
from tui.domain.models import Event
from tui.domain.planner import Planner
from tui.domain.store import Store


def _digest(store: Store) -> str:
    return hashlib.sha256("\n".join(store._conn.iterdump()).encode()).hexdigest()


def read_only(store: Store) -> None:
    store._conn.execute("pragma query_only = on")


def disk_full(store: Store) -> None:
    (pages,) = store._conn.execute("pragma page_count").fetchone()
    store._conn.execute(f"pragma max_page_count = {pages}")


def test_a_read_only_database_refuses_writes_in_one_line(planner: Planner) -> None:
    before = _digest(planner.store)
    read_only(planner.store)
    with pytest.raises(StorageError, match="read-only") as caught:
        planner.save(Event(title="Budget retreat", start_date=TODAY, end_date=TODAY))
    assert "\n" not in str(caught.value)
    assert planner.undo is not None and _digest(planner.store) == before
    assert planner.events()  # reading still works


def test_a_full_disk_keeps_what_was_saved_and_refuses_the_rest(planner: Planner) -> None:
    disk_full(planner.store)
    saved: list[Event] = []
    with pytest.raises(StorageError, match="disk is full") as caught:
        for number in range(10_000):
            day = date(2027, 1, 1 + number % 28)
            saved.append(
                planner.save(
                    Event(
                        title=f"Consultation {number}",
                        start_date=day,
                        end_date=day,
                        description="x" * 500,
                    )
                )
            )
    assert "\n" not in str(caught.value)
    assert saved, "some pages were free"
    titles = {e.title for e in planner.events()}
    assert {e.title for e in saved} <= titles and f"Consultation {len(saved)}" not in titles
    assert planner.store.check() == []
    planner.store._conn.execute("pragma max_page_count = 1073741823")  # space freed
    planner.save(Event(title="After", start_date=TODAY, end_date=TODAY))


def test_the_command_line_says_so_in_one_line(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Store._configure

    def configure(store: Store) -> None:
        real(store)
        disk_full(store)

    monkeypatch.setattr(Store, "_configure", configure)
    data = tmp_path / "big.toml"
    notes = "Long notes. " * 5000  # more than the pages left
    data.write_text(
        f'convener = 1\n[[events]]\nuid = "big"\ntitle = "Big"\nstart_date = 2027-03-02\n'
        f'description = "{notes}"\n'
    )
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["--db", str(sample_db), "import", str(data)])
    lines = err.getvalue().splitlines()
    assert status != 0 and len(lines) == 1 and "disk is full" in lines[0], lines
    assert "Traceback" not in err.getvalue()


@pytest.mark.parametrize(("spoil", "said"), [(read_only, "read-only"), (disk_full, "disk is full")])
async def test_the_app_stays_up_and_says_why(planner: Planner, spoil: object, said: str) -> None:
    app = ConvenerApp(planner, Settings(timezone="UTC"))
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        before = _digest(planner.store)
        spoil(planner.store)  # type: ignore[operator]
        await new_event_form(app, pilot)
        await fill(app, pilot, title="Budget retreat", starts="March 2, 2027")
        app.screen.query_one("#field-description", TextArea).text = "Long notes. " * 5000  # new pages
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any(said in m for m in messages), messages
        assert app.is_running
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("u")  # undo has nothing of ours to undo, and cannot write anyway
        await settle(app, pilot)
        assert app.is_running
        assert _digest(planner.store) == before
