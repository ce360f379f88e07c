"""The journal of sent messages whose guests are not yet marked: each database reads and
clears its own lines (two databases in one folder share outbox/)."""

from __future__ import annotations

from pathlib import Path

from tui.domain.mail.outbox import PENDING, clear_pending, pending, record_pending


def test_each_database_marks_and_clears_only_its_own_lines(tmp_path: Path) -> None:
    record_pending(tmp_path, [("invitation", "guest-a", "db-a"), ("invitation", "guest-b", "db-b")])
    with open(tmp_path / PENDING, "a", encoding="utf-8") as journal:
        journal.write("invitation\tguest-old\n")  # written before the database was said
    assert pending(tmp_path, "db-a") == [("invitation", "guest-a"), ("invitation", "guest-old")]
    clear_pending(tmp_path, "db-a")
    assert pending(tmp_path, "db-a") == []
    assert pending(tmp_path, "db-b") == [("invitation", "guest-b")]
    clear_pending(tmp_path, "db-b")
    assert not (tmp_path / PENDING).exists()
