"""Files: the database, its journal, backups and exports are the officer's alone (0600), in
folders only they can open (0700), even when the shell's umask would allow more."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from tui import config
from tui.cli import main

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def open_umask() -> Iterator[None]:
    before = os.umask(0)  # the worst case: nothing masked
    yield
    os.umask(before)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue() + err.getvalue()


def test_every_file_and_folder_convener_makes_is_private(
    isolated_paths: Path, open_umask: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CONVENER_DB")  # the default place, in a data folder made here
    assert _run("import", str(DATA / "seeds.toml"))[0] == 0
    data = config.data_dir()
    db = data / "convener.db"
    assert _run("backup")[0] == 0
    exports = tmp_path / "exports" / "nested"
    assert _run("export", "event", "1", "--output", str(exports / "agenda.md"))[0] == 0
    assert (
        _run(
            "agenda",
            "--from",
            "2024-01-01",
            "--to",
            "2024-12-31",
            "--format",
            "ics",
            "--output",
            str(exports / "agenda.ics"),
        )[0]
        == 0
    )
    files = [db, *data.glob("convener.db-*"), *(data / "backups").iterdir(), *exports.iterdir()]
    folders = [data, data / "backups", exports, exports.parent]
    assert len(files) >= 4
    assert {str(p): oct(_mode(p)) for p in files} == {str(p): "0o600" for p in files}
    assert {str(p): oct(_mode(p)) for p in folders} == {str(p): "0o700" for p in folders}
    status, said = _run("check")
    assert status == 0 and said.startswith("convener check: ok")
