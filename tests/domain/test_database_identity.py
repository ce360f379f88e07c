"""The database's identity (tui/domain/store/identity.py): a copy gets one of its own, a
database moved or renamed keeps its own, so that two databases in one folder never send,
count or withdraw each other's messages."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import TODAY
from tests.mail_server import Recorder, smtp_server
from tui.domain.mail.compose import Organizer
from tui.domain.mail.settings import MailSettings
from tui.domain.planner import Planner
from tui.domain.store import Store
from tui.mail_cli import default_outbox

ZURICH = 12
"""Two guests to invite, both with an e-mail."""
SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"


def uid_of(path: Path) -> str:
    store = Store(path)
    try:
        return store.database_uid()
    finally:
        store.close()


def copy(source: Path, target: Path) -> Path:
    """The file copied as an officer copies it (the database closed)."""
    shutil.copyfile(source, target)
    target.chmod(0o600)
    return target


def test_a_copy_in_the_same_folder_gets_an_identity_of_its_own(sample_db: Path) -> None:
    original = uid_of(sample_db)
    duplicate = copy(sample_db, sample_db.with_name("copy.db"))
    assert uid_of(duplicate) != original
    assert uid_of(sample_db) == original  # opened again after the copy: still its own
    assert uid_of(duplicate) == uid_of(duplicate)  # settled once


def test_a_copy_elsewhere_gets_one_too_and_the_original_opened_later_keeps_its_own(
    sample_db: Path, tmp_path: Path
) -> None:
    original = uid_of(sample_db)
    (tmp_path / "laptop").mkdir()
    duplicate = copy(sample_db, tmp_path / "laptop" / "convener.db")
    assert uid_of(duplicate) != original
    assert uid_of(sample_db) == original


def test_a_moved_or_renamed_database_keeps_its_identity_and_its_queued_messages(
    sample_db: Path, tmp_path: Path
) -> None:
    store = Store(sample_db)
    planner = Planner(store, today=lambda: TODAY)
    original = store.database_uid()
    planner.queue_mail(ZURICH, "invitation", default_outbox(planner), Organizer("k@example.org"))
    store.close()
    renamed = sample_db.rename(sample_db.with_name("renamed.db"))
    store = Store(renamed)
    planner = Planner(store, today=lambda: TODAY)
    assert store.database_uid() == original
    assert planner.outbox_others(default_outbox(planner)) == 0
    store.close()
    (tmp_path / "moved").mkdir()
    moved = renamed.rename(tmp_path / "moved" / "convener.db")
    assert uid_of(moved) == original
    assert uid_of(moved) == original  # the new place recorded: nothing to settle again


def test_two_copies_in_one_folder_send_and_count_only_their_own_messages(
    sample_db: Path,
) -> None:
    """The copy sent the original's invitations (marking its own guests) and the original,
    finding them gone, never knew."""
    store = Store(sample_db)
    planner = Planner(store, today=lambda: TODAY)
    outbox = default_outbox(planner)
    planner.queue_mail(ZURICH, "invitation", outbox, Organizer("k@example.org"))
    store.close()
    duplicate = Store(copy(sample_db, sample_db.with_name("copy.db")))
    other = Planner(duplicate, today=lambda: TODAY)
    assert other.outbox_others(outbox) == 2
    recorder = Recorder()
    with smtp_server(recorder) as port:
        mail = MailSettings(
            from_address="k@example.org", host="127.0.0.1", port=port, security="none"
        )
        report = other.send_mail(outbox, mail)
        assert report.sent == [] and report.others == 2 and recorder.received == []
        store = Store(sample_db)
        planner = Planner(store, today=lambda: TODAY)
        assert planner.outbox_others(outbox) == 0
        assert len(planner.send_mail(outbox, mail).sent) == 2
    statuses = [g.invitation.status for g in other.guest_lines(ZURICH)]
    assert statuses.count("to-invite") == 2  # the copy's guests: nobody sent them anything
    duplicate.close()
    store.close()


def test_two_copies_made_before_the_path_was_recorded_are_told_apart(tmp_path: Path) -> None:
    """Copies of a database of m0016 (no path recorded) in one folder: the first opened
    keeps the identity, the other gets its own."""
    first = copy(SCHEMAS / "convener-m0016_database_identity.db", tmp_path / "a.db")
    second = copy(first, tmp_path / "b.db")
    shared = uid_of(first)
    assert uid_of(second) != shared
    assert uid_of(first) == shared


def test_a_link_to_the_same_file_is_no_copy(sample_db: Path) -> None:
    original = uid_of(sample_db)
    linked = sample_db.with_name("linked.db")
    os.link(sample_db, linked)
    assert uid_of(linked) == original
    assert uid_of(sample_db) == original


def test_a_backup_restored_in_place_keeps_the_identity_and_one_opened_beside_it_does_not(
    sample_db: Path, tmp_path: Path
) -> None:
    store = Store(sample_db)
    original = store.database_uid()
    backup = store.backup(tmp_path / "backups")
    store.close()
    restored = copy(backup, tmp_path / "restored.db")  # a copy of the backup, kept aside
    copy(backup, sample_db)  # put back where the database was
    assert uid_of(sample_db) == original
    assert uid_of(backup) != original  # opened where it lies, beside the original
    assert uid_of(restored) != original


def test_a_new_database_records_its_place_without_reading_the_files_beside_it(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database this opening made has a uid of its own: no other file is read for it
    (a demo, a new file beside others); opened again, one small read settles it."""
    from tui.domain.store import identity

    beside = uid_of(sample_db)  # settled first (a copy of the tests' template)
    read: list[Path] = []
    monkeypatch.setattr(identity, "_identity_at", lambda path: read.append(path))
    fresh = sample_db.parent / "fresh.db"
    store = Store(fresh)
    try:
        made = store.database_uid()
    finally:
        store.close()
    assert read == []  # the sample database beside it was not looked at
    assert made and made != beside
    assert uid_of(fresh) == made and read == []
