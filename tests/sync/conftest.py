"""A real Radicale on 127.0.0.1 and a free port, with two officers (ana, ben) sharing one
collection home (/team/), started once per test session; each test gets its own home.
/archive/ is theirs to read only."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tui.domain.models import Event
from tui.domain.planner import Planner
from tui.domain.store import Store
from tui.domain.sync.dav import Dav
from tui.domain.sync.engine import Syncer, SyncReport

TODAY = date(2026, 12, 2)

PASSWORDS = {"ana": "ana-secret-1", "ben": "ben-secret-2"}

RIGHTS = """
[root]
user: .+
collection:
permissions: R

[principal]
user: .+
collection: {user}
permissions: RW

[team-home]
user: .+
collection: team
permissions: RW

[team-homes]
user: .+
collection: team/[^/]+
permissions: RW

[team-collections]
user: .+
collection: team/[^/]+/[^/]+
permissions: rw

[team-items]
user: .+
collection: team/[^/]+/[^/]+/.*
permissions: rw

[read-only]
user: .+
collection: archive(/.*)?
permissions: Rr
"""


# Radicale as `python -m radicale` would run it, but without an fsync per request: the
# option is internal (not settable from a config file) and made 93 PUTs take 10 s.
SERVE = """
import sys
from radicale import config, server
configuration = config.load([(sys.argv[1], False)])
if sys.argv[2] == "no-fsync":
    configuration.update({"storage": {"_filesystem_fsync": "False"}}, "tests", privileged=True)
server.serve(configuration)
"""


@dataclass
class Radicale:
    """A running server: its address and storage folder."""

    base: str
    storage: Path
    process: subprocess.Popen[bytes]

    def home(self) -> str:
        """A fresh collection home for one test."""
        name = uuid.uuid4().hex[:12]
        (self.storage / "collection-root" / "team" / name).mkdir(parents=True)
        return f"{self.base}/team/{name}/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    """Poll `condition` until it holds (a deadline, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def start_radicale(folder: Path, *, fsync: bool = False) -> Radicale:
    """Start Radicale in `folder`; returns once it accepts connections. Without `fsync`
    (the tests), it does not flush each write to disk."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "users").write_text("".join(f"{u}:{p}\n" for u, p in PASSWORDS.items()))
    (folder / "rights").write_text(RIGHTS)
    storage = folder / "storage"
    (storage / "collection-root" / "team").mkdir(parents=True, exist_ok=True)
    port = _free_port()
    (folder / "config").write_text(
        f"""
[server]
hosts = 127.0.0.1:{port}
[auth]
type = htpasswd
htpasswd_filename = {folder / "users"}
htpasswd_encryption = plain
delay = 0
[rights]
type = from_file
file = {folder / "rights"}
[storage]
filesystem_folder = {storage}
[logging]
level = warning
"""
    )
    with open(folder / "radicale.log", "wb") as log:  # the child keeps its own copy
        process = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(folder / "config"), "fsync" if fsync else "no-fsync"],
            stdout=subprocess.DEVNULL,
            stderr=log,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
    wait_for(lambda: _answers(port) or process.poll() is not None, timeout=20)
    if process.poll() is not None:
        raise RuntimeError((folder / "radicale.log").read_text()[-2000:])
    return Radicale(f"http://127.0.0.1:{port}", storage, process)


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    server = start_radicale(tmp_path_factory.mktemp("radicale"))
    yield server
    server.process.terminate()
    server.process.wait(timeout=10)


@dataclass
class Officer:
    """One officer's laptop: a database and a syncer for the team's home."""

    planner: Planner
    syncer: Syncer

    def sync(self) -> SyncReport:
        return self.syncer.run()

    def event(self, uid: str) -> Event:
        found = self.planner.store.by_uid(Event, uid)
        assert found is not None
        return found

    def guests(self, uid: str) -> dict[str, str]:
        event = self.event(uid)
        assert event.id is not None
        return {line.name: line.invitation.status for line in self.planner.guest_lines(event.id)}


def officer(tmp_path: Path, name: str, home: str) -> Officer:
    planner = Planner(Store(tmp_path / f"{name}.db"), today=lambda: TODAY)
    return Officer(planner, Syncer(planner.store, Dav(home, name, PASSWORDS[name])))


@pytest.fixture
def home(radicale: Radicale) -> str:
    return radicale.home()


@pytest.fixture
def ana(tmp_path: Path, home: str) -> Officer:
    return officer(tmp_path, "ana", home)


@pytest.fixture
def ben(tmp_path: Path, home: str) -> Officer:
    return officer(tmp_path, "ben", home)
