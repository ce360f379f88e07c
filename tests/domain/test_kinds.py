"""The one registry of record kinds agrees with the models and the schema."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from tui.domain import kinds
from tui.domain.models import RecordKind
from tui.domain.search import KIND_HEADINGS
from tui.domain.store import KINDS, TABLES, Store


def test_every_kind_the_models_name_is_registered_once() -> None:
    assert [kind.name for kind in kinds.KINDS] == list(get_args(RecordKind))
    assert len({kind.cls for kind in kinds.KINDS}) == len(kinds.KINDS)


def test_every_registered_table_exists_with_its_lookup_key(tmp_path: Path) -> None:
    store = Store(tmp_path / "kinds.db")
    for kind in kinds.KINDS:
        columns = {row[1] for row in store._conn.execute(f"pragma table_info({kind.table})")}
        assert {"id", "uid", "deleted_at"} <= columns, kind.table
        if kind.key_column:
            assert f"{kind.key_column}_key" in columns, kind.table
    store.close()


def test_the_stores_and_searchs_tables_are_read_from_the_registry() -> None:
    assert KINDS == {kind.name: kind.cls for kind in kinds.KINDS}
    assert TABLES == {kind.cls: kind.table for kind in kinds.KINDS}
    assert list(KIND_HEADINGS) == ["event", "person", "organisation", "publication", "session", "task"]
    assert kinds.singular("people") == "person" and kinds.singular("events") == "event"
    assert kinds.kind_of("organisation").heading == "Organisations"
