"""The demo is sealed: it reads and writes none of the officer's own folders, and leaves
nothing behind, whether it is quit, sent SIGTERM, or its terminal is closed (SIGHUP)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]


def _environment(tmp_path: Path) -> dict[str, str]:
    """A fake home with the officer's own config (a filter and an export folder) in it."""
    home = tmp_path / "home"
    config = home / ".config" / "convener"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(
        'export_dir = "~/Documents/agendas"\n[filters]\nstatus = "cancelled"\n'
    )
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "CONVENER_", "COLUMNS", "LINES"))
    }
    environ.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_DOCUMENTS_DIR=str(home / "Documents"),
        TMPDIR=str(temporary),
        TERM="xterm-256color",
        CONVENER_TODAY=TODAY.isoformat(),
    )
    return environ


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _wait_for_exit(process: subprocess.Popen[bytes], master: int, within: float = 30) -> int:
    """Drain the terminal until the process ends (a deadline, not a sleep)."""
    deadline = time.monotonic() + within
    while process.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:
                break
    return process.wait(timeout=max(0.1, deadline - time.monotonic()))


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP])
def test_a_demo_sent_a_signal_leaves_nothing(tmp_path: Path, signal_number: int) -> None:
    environ = _environment(tmp_path)
    home, temporary = Path(environ["HOME"]), Path(environ["TMPDIR"])
    before = _snapshot(home)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "--demo"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=environ,
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(slave)
    try:
        seen = b""
        deadline = time.monotonic() + 60
        # Up when the app has drawn its header (the demo's folder exists by then).
        while b"sample data (demo)" not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                seen += os.read(master, 65536)
            assert process.poll() is None, seen[-500:]
        assert b"sample data (demo)" in seen
        assert [p.name[:14] for p in temporary.iterdir()] == ["convener-demo-"]
        process.send_signal(signal_number)
        _wait_for_exit(process, master)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    assert list(temporary.iterdir()) == []  # no demo copy left in the temp folder
    assert _snapshot(home) == before  # the officer's own files untouched


def test_a_filter_saved_in_the_demo_stays_in_the_demo(tmp_path: Path) -> None:
    """The demo reads none of the officer's config and writes its own inside its home."""
    environ = _environment(tmp_path)
    home, temporary = Path(environ["HOME"]), Path(environ["TMPDIR"])
    before = _snapshot(home)
    script = (
        "from dataclasses import replace\n"
        "from tui import cli, config\n"
        "own, _ = config.load_settings()\n"  # the officer's own config is where we put it
        "assert own.filters == {'status': 'cancelled'} and own.export_dir, own\n"
        "demo = cli._sealed_demo()\n"
        "settings, _ = config.load_settings()\n"
        "assert not settings.filters and settings.export_dir is None, settings\n"
        "written = config.save_settings(replace(settings, filters={'access': 'public'}))\n"
        "print(written)\n"
        "print(config.documents_dir())\n"
        "print(config.data_dir())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    [demo] = list(temporary.iterdir())
    written, documents, data = (Path(line) for line in done.stdout.split())
    for path in (written, documents, data):
        assert path.is_relative_to(demo), path
    assert 'access = "public"' in written.read_text()
    assert _snapshot(home) == before


def test_a_command_with_demo_leaves_nothing(tmp_path: Path) -> None:
    environ = _environment(tmp_path)
    home, temporary = Path(environ["HOME"]), Path(environ["TMPDIR"])
    before = _snapshot(home)
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--demo", "list", "events"],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and "Policy Dinner" in done.stdout, done.stderr
    assert list(temporary.iterdir()) == []
    assert _snapshot(home) == before


def test_a_demo_killed_outright_is_swept_by_the_next(tmp_path: Path) -> None:
    environ = _environment(tmp_path)
    temporary = Path(environ["TMPDIR"])
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    abandoned = temporary / "convener-demo-abandoned"
    abandoned.mkdir()
    (abandoned / "pid").write_text(gone.stdout.strip())
    (abandoned / "convener.db").write_bytes(b"")
    running = temporary / "convener-demo-running"  # another demo, still going
    running.mkdir()
    (running / "pid").write_text(str(os.getpid()))
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--demo", "list", "events"],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [p.name for p in temporary.iterdir()] == ["convener-demo-running"]
