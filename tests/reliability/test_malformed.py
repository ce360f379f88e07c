"""Malformed input: every file of the corpus is refused in one line naming file and line
(a binary file: the file alone, it has no lines).

tests/fixtures/malformed holds files of every import format (event pages, guest-list CSV,
Convener JSON/TOML, iCalendar): empty, binary, truncated, wrong delimiter, BOM, invalid
UTF-8, huge fields, deep nesting, bad dates, unknown time zones, repeat rules. Each import
exits 2 with exactly one line of at most 200 characters, and writes nothing at all.
"""

from __future__ import annotations

import hashlib
import io
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from tui.cli import main
from tui.domain.store import Store

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "malformed"
FILES = sorted(CORPUS.iterdir())


def test_the_corpus_covers_every_format() -> None:
    assert len(FILES) >= 30
    suffixes = {path.suffix for path in FILES}
    assert {".txt", ".csv", ".json", ".toml", ".ics"} <= suffixes
    assert all(sum(p.suffix == s for p in FILES) >= 5 for s in (".txt", ".csv", ".ics"))


def _state(db: Path) -> tuple[str, dict[str, int]]:
    store = Store(db)
    digest = hashlib.sha256("\n".join(store._conn.iterdump()).encode()).hexdigest()
    tables = [r["name"] for r in store._rows("select name from sqlite_master where type='table'")]
    counts = {t: store._rows(f'select count(*) as n from "{t}"')[0]["n"] for t in tables}
    store.close()
    return digest, counts


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_malformed_file_is_refused_in_one_line_and_changes_nothing(
    sample_db: Path, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changes: list[int] = []
    real_close = Store.close

    def close(store: Store) -> None:
        changes.append(store._conn.total_changes)
        real_close(store)

    before = _state(sample_db)
    monkeypatch.setattr(Store, "close", close)
    argv = ["--db", str(sample_db), "import", str(path)]
    if path.suffix == ".csv":
        argv += ["--event", "1"]
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(argv)
    monkeypatch.setattr(Store, "close", real_close)
    assert status == 2
    assert out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and len(lines[0]) <= 200, lines
    if "binary" in path.name:  # a binary file has no lines: the file is named alone
        assert lines[0] == f"convener: {path}: is a binary file, not text", lines[0]
    else:
        assert re.match(rf"convener: {re.escape(str(path))}:\d+: \S", lines[0]), lines[0]
    assert "Traceback" not in err.getvalue()
    assert changes == [0]  # the command's own connection changed no row
    assert _state(sample_db) == before
