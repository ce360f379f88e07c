"""Quitting while a sync waits on a server that took the connection and never answers:
the process ends at once (the sync's threads never hold it), and what the sync had done
is as after a kill -9 (the next sync reconciles: nothing lost, nothing twice)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.conftest import PASSWORDS, Radicale
from tests.sync.test_cli_sync import seeded
from tui.cli import main
from tui.domain.models import Event
from tui.domain.store import Store

AT_ONCE = 20
"""Seconds a quit may take, Textual's start in a fresh process included: less than the
sync's own timeout (30 s), which a quit that waited for the sync would have taken."""

# The app over a database, syncing with URL; it quits as soon as the sync hangs. HANG_AT
# (when not 0): the sync's HANG_AT-th request to the server hangs forever (as a server
# that took the request and never answers), the requests before it are made.
APP = """
import sys, threading
from datetime import date
db, url, hang_at = sys.argv[1], sys.argv[2], int(sys.argv[3])
hung = threading.Event()
if hang_at:
    from tui.domain.sync import dav
    made = [0]
    lock = threading.Lock()
    request = dav.Dav._request
    def hanging(self, *args, **kwargs):
        with lock:
            made[0] += 1
            mine = made[0]
        if mine >= hang_at:
            hung.set()
            threading.Event().wait()
        return request(self, *args, **kwargs)
    dav.Dav._request = hanging
from tui.app import ConvenerApp
from tui.config import Settings
from tui.domain.planner import Planner
from tui.domain.store import Store
from tui.domain.sync.settings import SyncSettings
store = Store(db)
planner = Planner(store, today=lambda: date(2026, 12, 2))
app = ConvenerApp(planner, Settings(timezone="UTC", sync=SyncSettings(url=url, user="ana")))
async def quit_while_syncing(pilot):
    await app.workers.wait_for_complete()
    app.action_sync_now()
    while not (hung.is_set() if hang_at else planner._syncing.locked()):
        await pilot.pause(0.01)
    print("syncing", flush=True)
    await pilot.press("q")
app.run(headless=True, size=(120, 40), auto_pilot=quit_while_syncing)
store.close()
print("quit", flush=True)
"""


def _quit_while_syncing(db: Path, url: str, hang_at: int = 0) -> tuple[float, str]:
    """Seconds from the sync hanging to the process's end, and what it printed."""
    child = subprocess.Popen(
        [sys.executable, "-c", APP, str(db), url, str(hang_at)],
        env={**os.environ, "CONVENER_SYNC_PASSWORD": PASSWORDS["ana"]},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "syncing\n"
        hung = time.monotonic()
        out, err = child.communicate(timeout=AT_ONCE)
    finally:
        child.kill()
        child.wait()
    assert err == "" and child.returncode == 0
    return time.monotonic() - hung, out


@pytest.fixture
def silent_server() -> Iterator[str]:
    """The address of a server that takes connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/team/"
    finally:
        listener.close()


@pytest.mark.slow
def test_quitting_while_a_sync_waits_on_a_silent_server_ends_the_app_at_once(
    tmp_path: Path, silent_server: str
) -> None:
    db = tmp_path / "ana.db"
    seeded(db)
    took, out = _quit_while_syncing(db, silent_server)
    # It waited for the sync's HTTP timeout (120 s) with the terminal left blank.
    assert out == "quit\n" and took < AT_ONCE
    assert Store(db)._rows("select count(*) as n from sync_outbox")[0]["n"] == 5


@pytest.mark.slow
@pytest.mark.parametrize("hang_at", [3, 8])
def test_a_sync_cut_off_by_quitting_is_reconciled_by_the_next(
    tmp_path: Path, radicale: Radicale, hang_at: int
) -> None:
    """Requests: 2 PROPFIND and 2 MKCOL, 2 REPORT, then the first publish's 5 PUTs over 4
    connections at once: cut off at 8, some records are on the server and none of them is
    recorded here (as a kill -9 between a PUT and its commit)."""
    home = radicale.home()
    db = tmp_path / "ana.db"
    uid = seeded(db)
    took, _ = _quit_while_syncing(db, home, hang_at)
    assert took < AT_ONCE
    password = {"CONVENER_SYNC_PASSWORD": PASSWORDS["ana"]}
    assert main(["sync", "--db", str(db), "--url", home, "--user", "ana"], environ=password) == 0
    folder = radicale.storage / "collection-root" / "team" / home.split("/team/")[1].rstrip("/")
    stored = [
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in (".ics", ".vcf") and ".Radicale" not in str(p)
    ]
    assert len(stored) == 5  # every record once
    ben = tmp_path / "ben.db"
    environ = {"CONVENER_SYNC_PASSWORD": PASSWORDS["ben"]}
    assert main(["sync", "--db", str(ben), "--url", home, "--user", "ben"], environ=environ) == 0
    store = Store(ben)
    event = store.by_uid(Event, uid)
    assert event is not None and event.id is not None
    assert len(store.invitations_for(event.id)) == 2
    assert Store(db)._rows("select count(*) as n from sync_outbox")[0]["n"] == 0


# `convener sync` whose 8th request (a PUT of the first publish, made on a thread of its
# own) hangs: ctrl+c ends it at once.
CLI = """
import signal, sys, threading
# As a terminal starts it: ctrl+c raises KeyboardInterrupt (the test run's own process may
# have been started with SIGINT ignored, which a child inherits).
signal.signal(signal.SIGINT, signal.default_int_handler)
from tui.domain.sync import dav
made = [0]
lock = threading.Lock()
request = dav.Dav._request
def hanging(self, *args, **kwargs):
    with lock:
        made[0] += 1
        mine = made[0]
    if mine >= 8:
        if mine == 8:
            print("hanging", flush=True)
        threading.Event().wait()
    return request(self, *args, **kwargs)
dav.Dav._request = hanging
from tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
def test_ctrl_c_ends_a_command_line_sync_whose_publish_hangs(
    tmp_path: Path, radicale: Radicale
) -> None:
    db = tmp_path / "ana.db"
    seeded(db)
    options = ["--db", str(db), "--url", radicale.home(), "--user", "ana"]
    child = subprocess.Popen(
        [sys.executable, "-c", CLI, "sync", *options],
        env={
            **os.environ,
            "CONVENER_SYNC_PASSWORD": PASSWORDS["ana"],
            "XDG_CONFIG_HOME": str(tmp_path / "config"),  # never the developer's own
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "hanging\n"
        child.send_signal(signal.SIGINT)
        # The PUTs' threads were a pool's, which waited for the one that hangs.
        _, err = child.communicate(timeout=AT_ONCE)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == 130 and "Traceback" not in err
    assert err.strip().endswith(
        "sync: stopped (ctrl+c); what it had not finished is taken up by the next sync,"
        " nothing lost or made twice"
    ), err


def test_ctrl_c_taken_by_a_hanging_upload_thread_still_ends_the_command_line_sync(
    tmp_path: Path, radicale: Radicale
) -> None:
    # The system may hand a ctrl+c to any thread: here the upload thread that hangs
    # takes it. The main thread, waiting for the uploads, must still wake and stop.
    db = tmp_path / "ana.db"
    seeded(db)
    options = ["--db", str(db), "--url", radicale.home(), "--user", "ana"]
    to_itself = CLI.replace(
        '    if mine >= 8:\n        if mine == 8:\n            print("hanging", flush=True)\n',
        '    if threading.current_thread().name == "convener-sync-put":\n'
        "        signal.pthread_kill(threading.get_ident(), signal.SIGINT)\n",
    )
    assert to_itself != CLI
    child = subprocess.run(
        [sys.executable, "-c", to_itself, "sync", *options],
        env={
            **os.environ,
            "CONVENER_SYNC_PASSWORD": PASSWORDS["ana"],
            "XDG_CONFIG_HOME": str(tmp_path / "config"),  # never the developer's own
        },
        capture_output=True,
        text=True,
        timeout=AT_ONCE,
    )
    assert child.returncode == 130 and "Traceback" not in child.stderr
    assert "sync: stopped (ctrl+c)" in child.stderr
