"""`convener sync` end to end: exit codes, one-line errors, conflicts settled from the
command line, and kill -9 at points of a sync (a rerun loses nothing, duplicates nothing)."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TODAY
from tests.sync.conftest import PASSWORDS, Radicale
from tests.sync.test_sync import program
from tui.cli import main
from tui.domain.models import Event
from tui.domain.planner import Planner
from tui.domain.store import Store
from tui.domain.text import quoted


def write_config(home: Path, **sync: str) -> None:
    folder = home / "config"
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["[sync]", *(f'{key} = "{value}"' for key, value in sync.items())]
    (folder / "config.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(
    capsys: pytest.CaptureFixture[str], db: Path, *argv: str, password: str | None = None
) -> tuple[int, str, str]:
    environ = {"CONVENER_TODAY": TODAY.isoformat()}
    if password is not None:
        environ["CONVENER_SYNC_PASSWORD"] = password
    code = main(["sync", "--db", str(db), *argv], environ=environ)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def seeded(path: Path) -> str:
    store = Store(path)
    uid = program(Planner(store))
    store.close()
    return uid


def digest(path: Path) -> str:
    connection = sqlite3.connect(path)
    text = "\n".join(connection.iterdump())
    connection.close()
    return hashlib.sha256(text.encode()).hexdigest()


def test_sync_from_the_command_line_and_settle_a_conflict(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, radicale: Radicale, isolated_paths: Path
) -> None:
    home = radicale.home()
    write_config(isolated_paths, url=home)
    ana_db, ben_db = tmp_path / "ana.db", tmp_path / "ben.db"
    uid = seeded(ana_db)
    code, out, err = run(capsys, ana_db, "--user", "ana", password=PASSWORDS["ana"])
    assert (code, err) == (0, "")
    assert out.startswith("pulled 0, pushed 5; in step; synced ")
    assert run(capsys, ben_db, "--user", "ben", password=PASSWORDS["ben"])[0] == 0
    for db, title in ((ana_db, "Ana's title"), (ben_db, "Ben's title")):
        store = Store(db)
        event = store.by_uid(Event, uid)
        assert event is not None
        Planner(store).save(Event(**{**event.__dict__, "title": title}))
        store.close()
    assert run(capsys, ana_db, "--user", "ana", password=PASSWORDS["ana"])[0] == 0
    code, out, _ = run(capsys, ben_db, "--user", "ben", password=PASSWORDS["ben"])
    assert (
        code == 3
        and "\n1 field changed both here and elsewhere\nto choose: convener sync --conflicts" in out
    )
    code, out, _ = run(capsys, ben_db, "--conflicts")
    assert code == 3
    assert out == (
        f'{uid}  event "Ben\'s title"  title: here "Ben\'s title" · elsewhere "Ana\'s title"\n'
    )
    code, out, _ = run(capsys, ben_db, "--keep", "remote", uid)
    assert (code, out) == (0, f"settled 1 field of {uid}: kept remote\n")
    code, out, _ = run(capsys, ben_db, "--user", "ben", password=PASSWORDS["ben"])
    assert code == 0 and out.startswith("pulled 0, pushed 0; in step; synced ")
    assert run(capsys, ben_db, "--conflicts")[1] == "no conflicts wait\n"
    store = Store(ben_db)
    event = store.by_uid(Event, uid)
    assert event is not None and event.title == "Ana's title"


def test_a_record_deleted_elsewhere_and_edited_here_is_said_as_such(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, radicale: Radicale, isolated_paths: Path
) -> None:
    """Not "1 field(s) changed both": the record was deleted on one side and edited on the
    other, and the officer is told which, and what was kept meanwhile."""
    write_config(isolated_paths, url=radicale.home())
    ana_db, ben_db = tmp_path / "ana.db", tmp_path / "ben.db"
    uid = seeded(ana_db)
    assert run(capsys, ana_db, "--user", "ana", password=PASSWORDS["ana"])[0] == 0
    assert run(capsys, ben_db, "--user", "ben", password=PASSWORDS["ben"])[0] == 0
    store = Store(ana_db)
    event = store.by_uid(Event, uid)
    assert event is not None
    Planner(store).delete(event)
    store.close()
    assert run(capsys, ana_db, "--user", "ana", password=PASSWORDS["ana"])[0] == 0
    store = Store(ben_db)
    event = store.by_uid(Event, uid)
    assert event is not None
    Planner(store).save(Event(**{**event.__dict__, "notes": "Ben's notes"}))
    store.close()
    code, out, _ = run(capsys, ben_db, "--user", "ben", password=PASSWORDS["ben"])
    assert code == 3
    lines = out.splitlines()
    assert lines[1:] == [
        f"event {quoted(event.title)}: edited here, deleted elsewhere: your version is kept"
        " here until you choose",
        "to choose: convener sync --conflicts, then --keep local|remote UID",
    ]
    assert "field" not in out
    code, out, _ = run(capsys, ben_db, "--conflicts")
    assert (code, out) == (
        3,
        f"{uid}  event {quoted(event.title)}  the whole record: here edited · elsewhere deleted\n",
    )
    code, out, _ = run(capsys, ben_db, "--keep", "local", uid)
    assert (code, out) == (0, f"settled the whole record of {uid}: kept local; sync to send\n")


def test_a_home_the_server_lacks_is_named_not_a_409(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, radicale: Radicale
) -> None:
    db = tmp_path / "x.db"
    seeded(db)
    missing = f"{radicale.base}/team/no-such-home/"
    code, out, err = run(capsys, db, "--url", missing, "--user", "ana", password=PASSWORDS["ana"])
    assert (code, out) == (2, "")
    assert err == (
        "sync: the server has no folder /team/no-such-home/ to make convener-contacts in"
        " (check the address); 5 changes wait\n"
    )


def test_server_down_is_exit_2_one_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, isolated_paths: Path
) -> None:
    db = tmp_path / "ana.db"
    seeded(db)
    before = digest(db)
    code, out, err = run(capsys, db, "--url", "http://127.0.0.1:9/team/", password="pw")
    assert code == 2 and out == ""
    # In words, never the library's ("ConnectionError", "[Errno 111]").
    assert err == (
        "sync: cannot reach the sync server at 127.0.0.1:9: connection refused; 5 changes wait\n"
    )
    # Only that it failed is recorded (the app's header says so, as for its own sync).
    connection = sqlite3.connect(db)
    deleted = connection.execute("delete from sync_meta where key = 'failed_at'").rowcount
    connection.commit()
    connection.close()
    assert deleted == 1 and digest(db) == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((), "no server to sync with: give --url, or set url in [sync] of config.toml"),
        (("--url", "ftp://example.org/"), "is not an http(s) address of a server"),
        (("--url", "https://ana:secret@example.org/"), "leave the password out of it"),
        (("--url", "http://[::1"), "not an address of a server: a [ without its ]"),
        (("--url", "https://ana:secret@host:99999/"), "the port is not 0-65535"),
        (("--keep", "local"), "--keep needs the UID"),
        (("--keep", "local", "nope"), "no conflict waits for 'nope'"),
    ],
)
def test_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    isolated_paths: Path,
    argv: tuple[str, ...],
    message: str,
) -> None:
    code, out, err = run(capsys, tmp_path / "x.db", *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err
    assert "secret" not in err


def test_the_password_command_is_used_and_never_shown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, radicale: Radicale, isolated_paths: Path
) -> None:
    write_config(
        isolated_paths,
        url=radicale.home(),
        user="ana",
        password_command=f"echo {PASSWORDS['ana']}",
    )
    code, out, err = run(capsys, tmp_path / "ana.db")
    assert (code, err) == (0, "") and out.startswith("pulled 0, pushed 0; in step")
    write_config(isolated_paths, url=radicale.home(), user="ana", password_command="echo wrong-pw")
    code, out, err = run(capsys, tmp_path / "ana.db")
    assert (
        out == ""
        and code == 2
        and err == ("sync: the server refused user ana; nothing waits to go out\n")
    )


# A `convener sync` that kills itself (SIGKILL, no cleanup) after its Nth request to the
# server has been answered, or after its Nth record write of a pull.
KILLER = """
import os, signal, sys
from tui.domain.sync import dav, records
where, after = sys.argv[1], int(sys.argv[2])
seen = [0]
def counting(original):
    def wrapped(*args, **kwargs):
        result = original(*args, **kwargs)
        seen[0] += 1
        if seen[0] >= after:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    return wrapped
if where == "request":
    dav.Dav._request = counting(dav.Dav._request)
else:
    records.Records.write = counting(records.Records.write)
from tui.cli import main
sys.exit(main(sys.argv[3:]))
"""


def _sync_killed(db: Path, home: str, user: str, where: str, after: int) -> int:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLER,
            where,
            str(after),
            "sync",
            "--db",
            str(db),
            "--url",
            home,
            "--user",
            user,
        ],
        env={**os.environ, "CONVENER_SYNC_PASSWORD": PASSWORDS[user]},
        capture_output=True,
        check=False,
        timeout=60,
    )
    return done.returncode


@pytest.mark.slow
@pytest.mark.parametrize("after", [3, 6, 9, 11])
def test_kill_9_during_a_push_then_a_rerun_loses_and_duplicates_nothing(
    tmp_path: Path, radicale: Radicale, isolated_paths: Path, after: int
) -> None:
    """Requests: 2 PROPFIND (+2 MKCOL the first time), 2 REPORT, then one PUT per record:
    the kill points fall before, between and right after PUTs (before their commit)."""
    home = radicale.home()
    db = tmp_path / "ana.db"
    uid = seeded(db)
    assert _sync_killed(db, home, "ana", "request", after) == -signal.SIGKILL
    assert (
        main(
            ["sync", "--db", str(db), "--url", home, "--user", "ana"],
            environ={"CONVENER_SYNC_PASSWORD": PASSWORDS["ana"]},
        )
        == 0
    )
    folder = radicale.storage / "collection-root" / "team" / home.split("/team/")[1].rstrip("/")
    stored = [
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in (".ics", ".vcf") and ".Radicale" not in str(p)
    ]
    assert len(stored) == 5  # every record once
    ben = tmp_path / "ben.db"
    assert (
        main(
            ["sync", "--db", str(ben), "--url", home, "--user", "ben"],
            environ={"CONVENER_SYNC_PASSWORD": PASSWORDS["ben"]},
        )
        == 0
    )
    store = Store(ben)
    event = store.by_uid(Event, uid)
    assert event is not None and event.id is not None
    assert len(store.invitations_for(event.id)) == 2
    assert store._rows("select count(*) as n from sync_outbox")[0]["n"] == 0


@pytest.mark.slow
@pytest.mark.parametrize("after", [1, 3])
def test_kill_9_during_a_pull_saves_no_token_and_the_rerun_pulls_it_all(
    tmp_path: Path, radicale: Radicale, isolated_paths: Path, after: int
) -> None:
    home = radicale.home()
    seeded(tmp_path / "ana.db")
    env = {"CONVENER_SYNC_PASSWORD": PASSWORDS["ana"]}
    assert (
        main(
            ["sync", "--db", str(tmp_path / "ana.db"), "--url", home, "--user", "ana"], environ=env
        )
        == 0
    )
    ben = tmp_path / "ben.db"
    Store(ben).close()
    before = digest(ben)
    assert _sync_killed(ben, home, "ben", "write", after) == -signal.SIGKILL
    assert digest(ben) == before  # nothing of the pull, no token
    assert (
        main(
            ["sync", "--db", str(ben), "--url", home, "--user", "ben"],
            environ={"CONVENER_SYNC_PASSWORD": PASSWORDS["ben"]},
        )
        == 0
    )
    store = Store(ben)
    assert len(store._rows("select id from events")) == 1
    assert len(store._rows("select id from people")) == 2


def test_an_empty_password_variable_falls_back_to_the_password_command(tmp_path: Path) -> None:
    from tui.domain.planner.sync import server_from
    from tui.domain.sync.settings import SyncSettings

    script = tmp_path / "password"
    script.write_text("#!/bin/sh\necho from-the-command\n")
    script.chmod(0o700)
    settings = SyncSettings(
        url="http://127.0.0.1:9/team/", user="ana", password_command=str(script)
    )
    assert server_from(settings, {"CONVENER_SYNC_PASSWORD": ""}).password == "from-the-command"
    assert server_from(settings, {"CONVENER_SYNC_PASSWORD": "given"}).password == "given"
