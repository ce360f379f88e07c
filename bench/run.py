"""Measure Convener beside its floor and its peers, on a generated database.

    python bench/generate.py --size 10k --db bench/out/10k.db
    python bench/run.py --size 10k            # prints a table, writes bench/out/10k.json

Every figure is a median and a 95th percentile over --samples runs (30 by default; key and
search figures take at least MIN_PRESSES presses: a p95 of fewer is their slowest), taken
in the same run as the floors and the peers (calcurse; khal when `khal` is found on PATH or
in --khal; a peer that is not installed is said so in the table). The table puts each of
Convener's figures beside its floors' and calcurse's from the same run. This machine is
shared and noisy: read the ratios.

Every program measured gets an isolated home (HOME, XDG_CONFIG_HOME, XDG_DATA_HOME ... in a
temporary folder: no saved filter or config of the user's changes what is measured) and a
fixed clock (CONVENER_TODAY, --today; the agenda ranges use the same day).

How each is measured:
- start to all panes with data: the command started in a new window (COLS x ROWS, stated in
  the table) of one tmux control-mode client on a private socket; the app's output arrives
  as %output notifications, and after each frame (a pause of FRAME_GAP) the pane is read
  through the same client until every pane has its data (convener_ready: agenda lines under
  the month grid, guest rows under the guest list's header, the event's details, its related
  items). "settled": the last frame before SETTLE_QUIET of silence. Beside it, two floors run
  the same way: a minimal Textual app, and bench/floor_three_panes.py (Textual + sqlite3 +
  three bordered panes of the same week's data: the realistic floor); and calcurse (to its
  panels, painted once its data is read).
- keys: the app runs on a pseudo-terminal of COLS x ROWS; a key is written and its output
  read straight off the terminal, not through Pilot. "first frame": the first burst followed
  by QUIET; "settled": the last frame before SETTLE_QUIET of silence (Convener paints a key
  in stages). A day (l/h), a week (j/k) and a month ([/]), each key in turn with its opposite;
  calcurse's own keys for the same moves.
- search: "/" opens search; each keystroke's time until settled.
- agenda: `convener agenda` for 30 days, a month and a year, beside `calcurse -Q` and
  `khal list` over the same days.
- peak memory: the peak resident size (VmHWM) of the app after a scripted session
  (cursor moves, month switches, a search), beside calcurse after the same moves.
- import: the generated .ics imported into an empty database, beside `calcurse -i` and
  `khal import` (time and peak memory of the child process); --skip-import leaves it out.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import pty
import re
import resource
import select
import shlex
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
COLS, ROWS = 120, 40
QUIET = 0.040
"""Seconds of silence that end a key's first frame (Textual writes a frame in one go)."""
SETTLE_QUIET = 0.250
"""Seconds of silence after which the screen counts as settled: its last frame is the one
before this window. Convener paints a key in 3-4 stages with gaps of 50-130 ms between them
(the agenda, then the guest list, event and related panes: issue 24), so a window shorter
than the longest gap stops between stages; 250 ms is about twice that gap."""
FRAME_GAP = 0.005
"""In a cold start, the pane is read (capture-pane through the control client) once its
output has paused this long, i.e. once per frame, never in a polling loop."""

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("minimal textual app ready")

Minimal().run()
"""


CONVENER_KEYS = {"day (l/h)": (b"l", b"h"), "week (j/k)": (b"j", b"k"), "month ([/])": (b"]", b"[")}
"""The keys timed, each with its opposite so that the cursor comes back (label: keys)."""
CALCURSE_KEYS = {"day (l/h)": (b"t", b"T"), "week (j/k)": (b"w", b"W"), "month ([/])": (b"m", b"M")}
"""calcurse's own keys for the same moves (its generic next/previous day, week, month)."""


def isolated_env(work: Path, db: Path, today: date) -> dict[str, str]:
    """The environment every measured program gets on top of this one: a home, config,
    data and documents of its own under `work`, the database, and a fixed clock."""
    folders = {
        name: work / "home" / sub
        for name, sub in (
            ("HOME", ""),
            ("XDG_CONFIG_HOME", ".config"),
            ("XDG_DATA_HOME", ".local/share"),
            ("XDG_STATE_HOME", ".local/state"),
            ("XDG_CACHE_HOME", ".cache"),
            ("XDG_DOCUMENTS_DIR", "Documents"),
        )
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {
        **{name: str(folder) for name, folder in folders.items()},
        "CONVENER_DB": str(db),
        "CONVENER_TODAY": today.isoformat(),
    }


def tmux_version() -> str:
    done = subprocess.run(["tmux", "-V"], capture_output=True, text=True)
    return done.stdout.strip().removeprefix("tmux ") or "?"


# -- statistics ---------------------------------------------------------------------


@dataclass
class Figure:
    """One measured quantity: samples in milliseconds (or MB for memory)."""

    name: str
    who: str
    unit: str = "ms"
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def p95(self) -> float:
        if not self.samples:
            return float("nan")
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- a pseudo-terminal --------------------------------------------------------------


class Terminal:
    """A program on a pseudo-terminal of COLS x ROWS, its output read with timestamps."""

    def __init__(self, argv: Sequence[str], env: dict[str, str] | None = None) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, then become the program
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
            os.execvpe(argv[0], list(argv), env or os.environ.copy())
        self.pid = pid
        self.fd = fd
        self.received = 0

    def read_for(self, seconds: float) -> bytes:
        """Everything written within `seconds`."""
        end = time.perf_counter() + seconds
        chunks = []
        while (left := end - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunks.append(os.read(self.fd, 1 << 16))
                except OSError:
                    break
        return b"".join(chunks)

    def settle(self, quiet: float = 1.0, limit: float = 60.0) -> None:
        """Read until the program has been silent for `quiet` seconds."""
        end = time.perf_counter() + limit
        while time.perf_counter() < end:
            ready, _, _ = select.select([self.fd], [], [], quiet)
            if not ready:
                return
            try:
                os.read(self.fd, 1 << 16)
            except OSError:
                return

    def press(self, key: bytes, *, first_frame: bool, timeout: float = 5.0) -> float:
        """Write a key; seconds until its first frame is out, or (first_frame False) until
        its last frame before SETTLE_QUIET of silence."""
        started = time.perf_counter()
        os.write(self.fd, key)
        last = None
        deadline = started + timeout
        while time.perf_counter() < deadline:
            gap = QUIET if first_frame else SETTLE_QUIET
            wait = gap if last is not None else deadline - time.perf_counter()
            ready, _, _ = select.select([self.fd], [], [], max(0.0, wait))
            if not ready:
                if last is not None:
                    break
                continue
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                break
            if data:
                last = time.perf_counter()
                if first_frame and len(data) < (1 << 16):
                    # One frame is one write; wait a moment for a straggling piece of it.
                    ready, _, _ = select.select([self.fd], [], [], 0.004)
                    if not ready:
                        break
        if last is None:
            raise RuntimeError(f"no output after key {key!r}")
        return last - started

    def peak_rss_mb(self) -> float:
        """The program's peak resident size so far."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            for _ in range(50):
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                time.sleep(0.02)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


# -- the measurements ---------------------------------------------------------------


class Tmux:
    """One tmux control-mode client (`tmux -C`) on a private socket (`-L`).

    The server has no config (`-f /dev/null`); its session is COLS x ROWS and every window
    made in it is that size (checked: `pane_size`). The client's stdout carries `%output`
    notifications for every pane, timestamped here as they are read, so a pane's change is
    known without polling; a pane is read (`capture-pane`) through the same client, without
    forking a tmux per look.
    """

    def __init__(self) -> None:
        self.socket = f"convener-bench-{os.getpid()}"
        subprocess.run(
            [
                *("tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", "keep"),
                *("-x", str(COLS), "-y", str(ROWS), "sleep 86400"),
            ],
            check=True,
            capture_output=True,
        )
        self.client = subprocess.Popen(
            ["tmux", "-L", self.socket, "-C", "attach", "-t", "keep"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
        )
        assert self.client.stdin is not None and self.client.stdout is not None
        self._in = self.client.stdin
        self._out = self.client.stdout.fileno()
        self._pending = b""
        self.outputs: dict[str, int] = {}
        """How many %output notifications each pane has had."""
        self.last_output: dict[str, float] = {}
        """perf_counter() when each pane's latest %output was read."""
        self.reply: list[str] | None = None
        self._block: list[str] | None = None
        self.socket_path = self.command("display-message -p '#{socket_path}'")[0]

    def _pump(self, timeout: float) -> bool:
        """Read what the client says within `timeout`; False if nothing came."""
        ready, _, _ = select.select([self._out], [], [], max(0.0, timeout))
        if not ready:
            return False
        data = os.read(self._out, 1 << 16)
        if not data:
            raise RuntimeError("the tmux control client ended")
        now = time.perf_counter()
        self._pending += data
        *lines, self._pending = self._pending.split(b"\n")
        for raw in lines:
            line = raw.decode("utf-8", "replace")
            if self._block is not None:
                if line.startswith(("%end ", "%error ")):
                    if line.split()[-1] == "1":  # flags 1: the reply to a command of ours
                        self.reply = self._block
                    self._block = None
                else:
                    self._block.append(line)
            elif line.startswith("%begin "):
                self._block = []
            elif line.startswith("%output "):
                pane = line.split(" ", 2)[1]
                self.outputs[pane] = self.outputs.get(pane, 0) + 1
                self.last_output[pane] = now
        return True

    def command(self, text: str, timeout: float = 30.0) -> list[str]:
        """Run a tmux command through the client; its reply's lines."""
        self.reply = None
        self._in.write(text.encode() + b"\n")
        self._in.flush()
        deadline = time.perf_counter() + timeout
        while self.reply is None:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"tmux did not answer {text!r}")
            self._pump(deadline - time.perf_counter())
        return self.reply

    def wait_frame(self, pane: str, seen: int, deadline: float) -> bool:
        """Wait for output of `pane` beyond `seen` notifications, then for a pause of
        FRAME_GAP (or 50 ms of unbroken output); False at the deadline."""
        while self.outputs.get(pane, 0) <= seen:
            if time.perf_counter() > deadline:
                return False
            self._pump(deadline - time.perf_counter())
        burst = time.perf_counter()
        while time.perf_counter() - burst < 0.050:
            if not self._pump(FRAME_GAP):
                break
        return True

    def wait_quiet(self, pane: str, quiet: float, limit: float = 10.0) -> float:
        """Read until `pane` has been silent for `quiet` seconds; its last output's time."""
        # A pane whose output is not announced yet (the capture can show it first) waits
        # from now, and its time is now at the earliest: never 0, before it started.
        called = time.perf_counter()
        deadline = called + limit
        while time.perf_counter() < deadline:
            last = self.last_output.get(pane, called)
            wait = last + quiet - time.perf_counter()
            if wait <= 0:
                break
            self._pump(wait)
        return self.last_output.get(pane, called)

    def pane_size(self, pane: str) -> str:
        return self.command(f"display-message -p -t {pane} '#{{pane_width}}x#{{pane_height}}'")[0]

    def close(self) -> None:
        try:
            self._in.close()
            self.client.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.client.kill()
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        # tmux 3.3a leaves the socket file of a killed server behind.
        Path(self.socket_path).unlink(missing_ok=True)


def panes(screen: str) -> dict[str, str]:
    """The bordered panes of a captured screen: each pane's top border (its title) -> its
    text inside the border (box characters are one column wide, as on these screens)."""
    lines = screen.splitlines()
    found: dict[str, str] = {}
    for row, line in enumerate(lines):
        column = line.find("╭")
        while column != -1:
            right = line.find("╮", column)
            if right == -1:
                break
            inside = []
            for below in lines[row + 1 :]:
                if len(below) <= column or below[column] == "╰":
                    break
                inside.append(below[column + 1 : right])
            title = line[column:right].strip("╭─ ")
            found[title or f"untitled {row}:{column}"] = "\n".join(inside)
            column = line.find("╭", right)
    return found


AGENDA_LINE = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d [A-Z][a-z]{2} +(all day|\d\d:\d\d)")
GUEST_ROW = re.compile(
    r"\S \s*(to-invite|invited|accepted|tentative|declined|waitliste|attended|no-show)"
)


RELATED_PARTS = ("Event:", "Staff contacts (", "Partners (", "Guests (")
"""What the related pane lists once it has the event's related items."""


def _pane(found: dict[str, str], title: str) -> str | None:
    return next((text for name, text in found.items() if title in name), None)


def _guest_rows(text: str | None) -> bool:
    """A guest list with its header and at least one guest under it."""
    if text is None or "Name" not in text:
        return False
    return bool(GUEST_ROW.search(text[text.index("Name") :].split("\n", 1)[-1]))


def convener_ready(screen: str) -> bool:
    """Data in every pane: agenda lines under the month grid, guest rows, the event's
    details and its related items."""
    found = panes(screen)
    calendar = next((text for text in found.values() if "Mo   Tu" in text), "")
    event = _pane(found, "Event #") or ""
    related = _pane(found, "Related") or ""
    return (
        bool(AGENDA_LINE.search(calendar))
        and _guest_rows(_pane(found, "Guests ("))
        and "When" in event
        and any(
            part in related for part in ("Event:", "Staff contacts (", "Partners (", "Guests (")
        )
    )


def floor_ready(screen: str) -> bool:
    """The realistic floor's three panes, each with its data."""
    found = panes(screen)
    return (
        bool(AGENDA_LINE.search(_pane(found, "Calendar") or ""))
        and _guest_rows(_pane(found, "Guests"))
        and "When" in (_pane(found, "Event") or "")
    )


def cold_start(
    tmux: Tmux,
    name: str,
    who: str,
    argv: Sequence[str],
    env: dict[str, str],
    ready: Callable[[str], bool],
    samples: int,
) -> tuple[Figure, Figure]:
    """Start `argv` in a new window of the control client's server, `samples` times: the
    time until `ready(screen)` holds (the frame that made it so), and until settled (the
    last frame before SETTLE_QUIET of silence)."""
    shown = Figure(name, who)
    settled = Figure(f"{name}, settled", who)
    command = shlex.join(["env", *(f"{k}={v}" for k, v in env.items()), *argv])
    for _ in range(samples):
        started = time.perf_counter()
        pane = tmux.command(f"new-window -d -P -F '#{{pane_id}}' {shlex.quote(command)}")[0]
        deadline = started + 60
        seen = 0
        screen = ""
        while True:
            # Looked at again after a quiet moment too: a program's last output can be
            # announced before tmux has put it on the pane (the capture came back blank
            # and no more output came to wait for: the bench test failed one run in 4).
            if not tmux.wait_frame(pane, seen, min(deadline, time.perf_counter() + 0.25)):
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"{who}: never ready; its screen:\n{screen}")
            seen = tmux.outputs.get(pane, 0)
            screen = "\n".join(tmux.command(f"capture-pane -p -t {pane}"))
            if ready(screen):
                # The latest output read, after the capture's reply: never early. Its
                # %output can still be on its way when the capture already shows it (seen
                # once in CI): then now, after the capture, is never early either.
                last = tmux.last_output.get(pane, time.perf_counter())
                shown.samples.append((last - started) * 1000)
                break
        quiet = max(tmux.wait_quiet(pane, SETTLE_QUIET), started + shown.samples[-1] / 1000)
        settled.samples.append((quiet - started) * 1000)
        tmux.command(f"kill-pane -t {pane}")
        time.sleep(0.1)
    return shown, settled


def keys(
    name: str,
    who: str,
    term: Terminal,
    pair: tuple[bytes, bytes],
    samples: int,
    *,
    first_frame: bool,
) -> Figure:
    """A key and its opposite pressed in turn (`l` then `h`: the cursor stays in the same
    place, the data the same), `samples` presses, each timed to its first frame or to
    settled (see Terminal.press)."""
    figure = Figure(name, who)
    for index in range(samples):
        figure.samples.append(term.press(pair[index % 2], first_frame=first_frame) * 1000)
        term.settle(quiet=SETTLE_QUIET, limit=5)
    return figure


HOLD_HZ = 30
HOLD_PRESSES = 30
MIN_PRESSES = 30
"""Key and search figures take at least this many presses, whatever --samples asks: a
p95 of 10 is the slowest of them (the 95th percentile's rank rounds to the last), one
press the shared machine slowed; a press costs well under a second, a cold start several."""


def presses(samples: int) -> int:
    """How many presses a key or search figure takes (see MIN_PRESSES)."""
    return max(samples, MIN_PRESSES)


MIN_START_ROUNDS = 20
"""Cold starts take at least this many rounds (each program once a round), whatever
--samples asks: on this shared 2-core machine a start's median of 10 moved by 0.25x of the
floor between runs of the same code ten minutes apart (1.09x-1.35x at 10k in 16 runs of
10 rounds; the instructions the same); a round of four programs costs 3-8 s."""


def start_rounds(samples: int) -> int:
    """How many rounds of cold starts a run takes (see MIN_START_ROUNDS)."""
    return max(samples, MIN_START_ROUNDS)


def held_rounds(samples: int) -> int:
    """Rounds of a held key: half the samples asked, at least 5 (3 rounds gave medians
    that moved by 100 ms between runs of the same code)."""
    return max(5, samples // 2)


def held_key(name: str, who: str, term: Terminal, key: bytes, rounds: int) -> Figure:
    """A key held down: HOLD_PRESSES presses at HOLD_HZ (a terminal's key repeat), the
    output read meanwhile; each sample is the time from the last press to the last frame
    before SETTLE_QUIET of silence (what the officer waits for when letting go)."""
    figure = Figure(name, who)
    for _ in range(rounds):
        for _ in range(HOLD_PRESSES):
            os.write(term.fd, key)
            until = time.perf_counter() + 1 / HOLD_HZ
            while (left := until - time.perf_counter()) > 0:
                ready, _, _ = select.select([term.fd], [], [], left)
                if ready:
                    os.read(term.fd, 1 << 16)
        let_go = last = time.perf_counter()
        while True:
            ready, _, _ = select.select([term.fd], [], [], SETTLE_QUIET)
            if not ready:
                break
            try:
                os.read(term.fd, 1 << 16)
            except OSError:
                break
            last = time.perf_counter()
        figure.samples.append((last - let_go) * 1000)
    return figure


BUDGET_S = 120.0
"""A slow command stops being sampled after this long (with at least 5 samples); the
table shows how many samples each figure has."""


def command_times(
    name: str, who: str, argv: Sequence[str], samples: int, env: Mapping[str, str] | None = None
) -> Figure:
    """A command run `samples` times (fewer if slow: see BUDGET_S), wall time each, in `env`
    (the isolated home and fixed clock every measured program gets)."""
    figure = Figure(name, who)
    begun = time.perf_counter()
    for _ in range(samples):
        if len(figure.samples) >= 5 and time.perf_counter() - begun > BUDGET_S:
            break
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, env=env)
        figure.samples.append((time.perf_counter() - started) * 1000)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)}: {done.stderr.decode()[:300]}")
    return figure


def child_time_and_memory(
    argv: Sequence[str], ok: Sequence[int] = (0,), **kwargs: object
) -> tuple[float, float]:
    """Seconds and peak MB of one run of a command (its own process tree's peak)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)  # type: ignore[call-overload]
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok:
        error = process.stderr.read().decode()[:300] if process.stderr else ""
        raise RuntimeError(f"{' '.join(argv)} exited {process.returncode}: {error}")
    return elapsed, usage.ru_maxrss / 1024


# -- the run -----------------------------------------------------------------------


@dataclass
class Peers:
    calcurse: str | None
    khal: str | None


def find_peers(khal: str | None) -> Peers:
    calcurse = shutil.which("calcurse")
    khal_path = khal or shutil.which("khal")
    if khal_path and not Path(khal_path).exists():
        khal_path = None
    return Peers(calcurse, khal_path)


def calcurse_dir(ics: Path, size: str) -> tuple[Path, float, float]:
    """A calcurse data folder with the generated events imported; (folder, s, MB)."""
    folder = OUT / f"calcurse-{size}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    # calcurse exits 1 when it skipped some items (it says which in a log); it keeps the rest.
    seconds, memory = child_time_and_memory(
        ["calcurse", "-D", str(folder), "-i", str(ics)], ok=(0, 1), stdin=subprocess.DEVNULL
    )
    # Its notification bar repaints its clock every second: a frame in the middle of a
    # "settled" window that no key caused (measured: 3 outputs in 3 idle seconds, none
    # without the bar). Convener on the same pseudo-terminal writes nothing when idle.
    (folder / "conf").write_text("appearance.notifybar=no\n")
    return folder, seconds, memory


def khal_config(khal: str, size: str) -> Path:
    """A khal configuration with one empty local calendar."""
    folder = OUT / f"khal-{size}"
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "calendar").mkdir(parents=True)
    config = folder / "config"
    config.write_text(
        "[calendars]\n[[bench]]\npath = {}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "[sqlite]\npath = {}\n".format(folder / "calendar", folder / "khal.db")
    )
    return config


def run(args: argparse.Namespace) -> dict[str, object]:
    size = args.size
    db = Path(args.db or OUT / f"{size}.db")
    ics = Path(args.ics or db.with_suffix(".ics"))
    if not db.exists():
        raise SystemExit(f"{db} does not exist: python bench/generate.py --size {size} --db {db}")
    peers = find_peers(args.khal)
    _say(
        f"peers: calcurse {'found' if peers.calcurse else 'not found'},"
        f" khal {'found' if peers.khal else 'not found'}"
    )
    convener = shutil.which("convener") or f"{sys.executable} -m tui"
    samples = args.samples
    figures: list[Figure] = []
    notes: list[str] = []
    today: date = args.today or date.today()

    # A copy to work on: the app writes nothing in these runs, but keep the original pristine.
    work = Path(tempfile.mkdtemp(prefix="convener-bench-"))
    work_db = work / "bench.db"
    shutil.copyfile(db, work_db)
    # An isolated home: no config, saved filter or data of the user's changes what is
    # measured, and the clock is fixed (CONVENER_TODAY) for the app, the floor and the agenda.
    isolated = isolated_env(work, work_db, today)
    for name in [n for n in os.environ if n.startswith("CONVENER_")]:
        os.environ.pop(name)
    env = {**os.environ, **isolated, "TERM": "xterm-256color"}
    # As installed (pip compiles the package): bytecode written and used, not recompiled
    # on every start because this shell says PYTHONDONTWRITEBYTECODE.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(HERE.parent / "tui")],
        env=env,
        capture_output=True,
        check=False,
    )
    # A database made by an older Convener is brought up to date (and backed up) by the
    # first program that opens it: done here, once, so that no start measures it (a 100k
    # database made before the last migration made the first start 2.5 s).
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from tui.domain.store import Store; Store(sys.argv[1]).close()",
            str(work_db),
        ],
        env={**env, "XDG_CACHE_HOME": str(work / "migrating-cache")},
        capture_output=True,
        check=True,
    )

    cc_dir: Path | None = None
    if peers.calcurse and ics.exists():
        _say("calcurse: importing the .ics (this is also the import figure)")
        cc_dir, cc_seconds, cc_memory = calcurse_dir(ics, size)
        figures.append(Figure("import .ics (s)", "calcurse -i", "s", [cc_seconds]))
        figures.append(Figure("import .ics peak memory", "calcurse -i", "MB", [cc_memory]))

    if args.only_import:
        if peers.khal:
            _say("khal: importing the .ics")
            khal_conf = khal_config(peers.khal, size)
            seconds, memory = child_time_and_memory(
                [peers.khal, "-c", str(khal_conf), "import", "--batch", "-a", "bench", str(ics)],
                stdin=subprocess.DEVNULL,
            )
            figures.append(Figure("import .ics (s)", "khal import", "s", [seconds]))
            figures.append(Figure("import .ics peak memory", "khal import", "MB", [memory]))
        figures.extend(convener_import(convener, ics, work))
        return _result(size, peers, samples, figures, notes, work)

    # 1. cold start, in new windows of one tmux control-mode client
    _say("cold start ...")
    minimal = work / "minimal.py"
    minimal.write_text(MINIMAL_APP)
    tmux = Tmux()
    try:
        probe = tmux.command("new-window -d -P -F '#{pane_id}' 'sleep 5'")[0]
        notes.append(
            f"cold start: new windows of a tmux {tmux_version()} control-mode client on a"
            f" private socket, pane {tmux.pane_size(probe)}; keys: a pseudo-terminal of"
            f" {COLS}x{ROWS}; settled = last frame before {SETTLE_QUIET * 1000:.0f} ms of"
            f" silence; CONVENER_TODAY={today.isoformat()}, config and data folders empty"
        )
        tmux.command(f"kill-pane -t {probe}")
        python = [sys.executable]
        starts: list[tuple[str, list[str], Callable[[str], bool]]] = [
            (
                "minimal Textual app (floor)",
                [*python, str(minimal)],
                lambda screen: "minimal textual app ready" in screen,
            ),
            (
                "three panes of the week (realistic floor)",
                [*python, str(HERE / "floor_three_panes.py"), str(work_db), today.isoformat()],
                floor_ready,
            ),
            ("convener", [*convener.split(), "--db", str(work_db)], convener_ready),
        ]
        if cc_dir is not None:
            starts.append(
                (
                    "calcurse",
                    ["calcurse", "-D", str(cc_dir)],
                    lambda screen: "Appointments" in screen and "Calendar" in screen,
                )
            )
        # Convener keeps what a start compiles and parses (tui.codecache, tui.stylecache)
        # once its first screen shows. Its first start ever, with none kept, is its own
        # figure; the rounds then start as a user's every later start does.
        first_argv = next(argv for who, argv, _ in starts if who == "convener")
        first, _ = cold_start(
            tmux, f"{START}, first start (caches empty)", "convener", first_argv,
            isolated, convener_ready, 1,
        )  # fmt: skip
        figures.append(first)
        notes.append(
            "Convener's first start keeps its compiled methods and parsed styles for the"
            " next ones (as it does for its user): its first start, with nothing kept, is"
            " its own row; the other starts find them"
        )
        # In turns, one start of each program per round, so that the load of this shared
        # machine changing during the run weighs on all of them alike.
        timed: dict[str, tuple[Figure, Figure]] = {}
        for _ in range(start_rounds(samples)):
            for who, argv, ready in starts:
                shown, settled = cold_start(tmux, START, who, argv, isolated, ready, 1)
                if who not in timed:
                    timed[who] = (shown, settled)
                else:
                    timed[who][0].samples.extend(shown.samples)
                    timed[who][1].samples.extend(settled.samples)
        for shown, settled in timed.values():
            figures.extend((shown, settled))
    finally:
        tmux.close()

    # 2. keys, 3. search, 5. memory: Convener on a pseudo-terminal.
    _say("keys, search, memory ...")
    term = Terminal([*convener.split(), "--db", str(work_db)], env)
    term.settle(quiet=1.5)
    for label, pair in CONVENER_KEYS.items():
        for first_frame in (True, False):
            name = f"{label} ({'first frame' if first_frame else 'settled'})"
            figures.append(
                keys(name, "convener", term, pair, presses(samples), first_frame=first_frame)
            )
    figures.append(held_key(HELD, "convener", term, b"j", held_rounds(samples)))
    search = Figure("search keystroke (settled)", "convener")
    words = ["peace", "cities", "nairobi", "mediation", "climate"]
    for index in range(presses(samples)):
        if index % 6 == 0:
            if index:
                term.press(b"\x1b", first_frame=False)
                term.settle(quiet=0.3)
            term.press(b"/", first_frame=False)
            term.settle(quiet=0.3)
        word = words[(index // 6) % len(words)]
        letter = word[index % 6 % len(word)].encode()
        search.samples.append(term.press(letter, first_frame=False) * 1000)
        term.settle(quiet=0.15, limit=5)
    figures.append(search)
    term.press(b"\x1b", first_frame=False)
    term.settle(quiet=0.3)
    figures.append(Figure("peak memory after the session", "convener", "MB", [term.peak_rss_mb()]))
    term.close()

    if cc_dir is not None:
        cc = Terminal(["calcurse", "-D", str(cc_dir)], env)
        cc.settle(quiet=1.0)
        for label, pair in CALCURSE_KEYS.items():
            for first_frame in (True, False):
                name = f"{label} ({'first frame' if first_frame else 'settled'})"
                figures.append(
                    keys(name, "calcurse", cc, pair, presses(samples), first_frame=first_frame)
                )
        figures.append(held_key(HELD, "calcurse", cc, b"w", held_rounds(samples)))
        figures.append(
            Figure("peak memory after the session", "calcurse", "MB", [cc.peak_rss_mb()])
        )
        cc.close()

    # 4. agenda
    _say("agenda ...")
    month_start = today.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    ranges = {
        "agenda 30 days": (today, today + timedelta(days=29)),
        "agenda one month": (month_start, next_month - timedelta(days=1)),
        "agenda one year": (today, today + timedelta(days=364)),
    }
    khal_conf: Path | None = None
    kept = OUT / f"khal-{size}" / "config"
    if peers.khal and args.skip_import and kept.exists():
        khal_conf = kept  # the calendar an earlier run imported
    if peers.khal and ics.exists() and not args.skip_import:
        khal_conf = khal_config(peers.khal, size)
        _say("khal: importing the .ics")
        seconds, memory = child_time_and_memory(
            [peers.khal, "-c", str(khal_conf), "import", "--batch", "-a", "bench", str(ics)],
            stdin=subprocess.DEVNULL,
        )
        figures.append(Figure("import .ics (s)", "khal import", "s", [seconds]))
        figures.append(Figure("import .ics peak memory", "khal import", "MB", [memory]))
    for label, (start, end) in ranges.items():
        days = (end - start).days + 1
        figures.append(
            command_times(
                label,
                "convener",
                [
                    *convener.split(),
                    "--db",
                    str(work_db),
                    "agenda",
                    "--from",
                    start.isoformat(),
                    "--to",
                    end.isoformat(),
                ],
                samples,
                env,
            )
        )
        if cc_dir is not None:
            figures.append(
                command_times(
                    label,
                    "calcurse -Q",
                    [
                        "calcurse",
                        "-D",
                        str(cc_dir),
                        "-Q",
                        "--from",
                        start.strftime("%m/%d/%Y"),
                        "--days",
                        str(days),
                    ],
                    samples,
                    env,
                )
            )
        if khal_conf is not None and peers.khal:
            figures.append(
                command_times(
                    label,
                    "khal list",
                    [peers.khal, "-c", str(khal_conf), "list", start.isoformat(), f"{days}d"],
                    samples,
                    env,
                )
            )

    # the whole database as one .ics (streamed): time and peak memory of the process
    _say("export .ics ...")
    exported = work / "all.ics"
    seconds, memory = child_time_and_memory(
        [
            *convener.split(),
            "--db",
            str(work_db),
            "agenda",
            "--from",
            "1900-01-01",
            "--to",
            "2200-12-31",
            "--format",
            "ics",
            "--output",
            str(exported),
        ],
        env=env,
    )
    figures.append(Figure(EXPORT, "convener", "s", [seconds]))
    figures.append(Figure(f"{EXPORT} peak memory", "convener", "MB", [memory]))
    exported.unlink(missing_ok=True)

    # import into an empty database
    if ics.exists() and not args.skip_import:
        figures.extend(convener_import(convener, ics, work))
    elif (OUT / f"{size}-import.json").exists():
        earlier = json.loads((OUT / f"{size}-import.json").read_text())
        notes.append(f"import figures from the --only-import run of {earlier['when']}")
        kept = [f for f in earlier["figures"] if f["name"].startswith("import")]
        figures = [f for f in figures if not f.name.startswith("import")]
        result = _result(size, peers, samples, figures, notes, work)
        result["figures"] = [*kept, *result["figures"]]  # type: ignore[misc]
        return result
    return _result(size, peers, samples, figures, notes, work)


def convener_import(convener: str, ics: Path, work: Path) -> list[Figure]:
    """Time and peak memory of `convener import --large` into an empty database."""
    _say("convener: importing the .ics into an empty database")
    empty = work / "import.db"
    seconds, memory = child_time_and_memory(
        [*convener.split(), "--db", str(empty), "import", "--large", str(ics)],
        stdin=subprocess.DEVNULL,
    )
    return [
        Figure("import .ics (s)", "convener import", "s", [seconds]),
        Figure("import .ics peak memory", "convener import", "MB", [memory]),
    ]


def _result(
    size: str,
    peers: Peers,
    samples: int,
    figures: list[Figure],
    notes: list[str],
    work: Path,
) -> dict[str, object]:
    shutil.rmtree(work, ignore_errors=True)
    return {
        "size": size,
        "when": date.today().isoformat(),
        "machine": {
            "system": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
            "load_at_end": round(os.getloadavg()[0], 2),
        },
        "peers": asdict(peers),
        "samples": samples,
        "figures": [
            {
                "name": f.name,
                "who": f.who,
                "unit": f.unit,
                "median": f.median,
                "p95": f.p95,
                "n": len(f.samples),
            }
            for f in figures
        ],
        "notes": notes,
    }


def ratio(
    figures: list[dict[str, object]], name: str, who: str, other: str, key: str = "median"
) -> float | None:
    def find(w: str) -> dict[str, object] | None:
        return next((f for f in figures if f["name"] == name and f["who"] == w), None)

    mine, theirs = find(who), find(other)
    if mine is None or theirs is None:
        return None
    return float(mine[key]) / float(theirs[key])  # type: ignore[arg-type]


START = "start to all panes with data"
HELD = "holding j at 30 Hz: last key to last frame"
EXPORT = "export all events as .ics (s)"
FLOOR = "three panes of the week (realistic floor)"
MINIMAL = "minimal Textual app (floor)"


def targets(result: dict[str, object]) -> list[tuple[str, str, bool | None]]:
    """Each target of issue 24: what it asks, the figure, held or not (None: not measured)."""
    figures: list[dict[str, object]] = result["figures"]  # type: ignore[assignment]
    size = result["size"]
    big = size == "100k"
    rows: list[tuple[str, str, bool | None]] = []

    def add(text: str, value: float | None, limit: float, unit: str = "x") -> None:
        if value is None:
            rows.append((text, "not measured (peer missing?)", None))
        else:
            shown = f"{value:.2f}{unit}" if unit == "x" else f"{value:.1f} {unit}"
            rows.append((text, shown, value <= limit))

    def fig(name: str, who: str, key: str) -> float | None:
        found = next((f for f in figures if f["name"] == name and f["who"] == who), None)
        return None if found is None else float(found[key])  # type: ignore[arg-type]

    start = START
    add(
        "start to all panes with data <= 1.3x the realistic floor",
        ratio(figures, start, "convener", FLOOR),
        1.3,
    )
    if big:
        add(
            "week change (j) settled p95 <= 50 ms",
            fig("week (j/k) (settled)", "convener", "p95"),
            50,
            "ms",
        )
    if big:
        add("holding j at 30 Hz, last key to last frame <= 100 ms",
            fig(HELD, "convener", "median"), 100, "ms")  # fmt: skip
        add(".ics export of every event: peak memory <= 100 MB",
            fig(f"{EXPORT} peak memory", "convener", "median"), 100, "MB")  # fmt: skip
    # The issue sets these at 100k only (at 10k calcurse switches months in 40-80 ms).
    if big:
        add(
            "month switch settled p95 <= 0.3x calcurse's",
            ratio(figures, "month ([/]) (settled)", "convener", "calcurse", "p95"),
            0.3,
        )
        search = "search keystroke (settled)"
        add("search keystroke p50 <= 25 ms", fig(search, "convener", "median"), 25, "ms")
        add("search keystroke p95 <= 40 ms", fig(search, "convener", "p95"), 40, "ms")
    limit = 0.1 if big else 0.5
    add(
        f"30-day agenda <= {limit}x calcurse -Q",
        ratio(figures, "agenda 30 days", "convener", "calcurse -Q"),
        limit,
    )
    if big:
        add(
            "peak memory after the session <= 1.0x calcurse's",
            ratio(figures, "peak memory after the session", "convener", "calcurse"),
            1.0,
        )
    if big:
        add(
            ".ics import <= 1.0x calcurse -i",
            ratio(figures, "import .ics (s)", "convener import", "calcurse -i"),
            1.0,
        )
    return rows


def _peer_cell(figures: list[dict[str, object]], f: dict[str, object], peer: str) -> str:
    """This figure's median over `peer`'s for the same measure, from the same run."""
    if f["who"] == peer or not str(f["who"]).startswith("convener"):
        return ""
    theirs = next(
        (g for g in figures if g["name"] == f["name"] and str(g["who"]).startswith(peer)), None
    )
    if theirs is None:
        return "-"
    mine, other = float(f["median"]), float(theirs["median"])  # type: ignore[arg-type]
    return f"{mine / other:.2f}x" if other else "-"


def table(result: dict[str, object]) -> str:
    machine: dict[str, object] = result["machine"]  # type: ignore[assignment]
    peers: dict[str, object] = result["peers"]  # type: ignore[assignment]
    figures: list[dict[str, object]] = result["figures"]  # type: ignore[assignment]
    missing = [name for name, path in peers.items() if not path]
    lines = [
        f"Convener benchmark, size {result['size']}, {result['when']},"
        f" {machine['cpus']} CPUs, {machine['memory_gb']} GiB,"
        f" Python {machine['python']}, {result['samples']} samples asked"
        f" (n: samples taken), load average {machine.get('load_at_end', '?')} at the end",
        *(f"Note: {note}" for note in result.get("notes", [])),  # type: ignore[attr-defined]
        *(
            f"Note: {name} is not installed: its rows are missing, its ratios '-'"
            for name in missing
        ),
        "",
        "| measure | who | median | p95 | n | ÷ realistic floor | ÷ minimal floor | ÷ calcurse |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for f in figures:
        unit = f["unit"]
        floor = _peer_cell(figures, f, FLOOR) if f["name"].startswith("start") else ""  # type: ignore[attr-defined]
        minimal = _peer_cell(figures, f, MINIMAL) if f["name"].startswith("start") else ""  # type: ignore[attr-defined]
        lines.append(
            f"| {f['name']} | {f['who']} | {f['median']:.1f} {unit} | {f['p95']:.1f} {unit}"
            f" | {f['n']} | {floor} | {minimal} | {_peer_cell(figures, f, 'calcurse')} |"
        )
    lines += ["", "| target (issue 24) | measured | held |", "|---|---|---|"]
    for text, shown, held in targets(result):
        lines.append(f"| {text} | {shown} | {'yes' if held else 'no' if held is False else '-'} |")
    return "\n".join(lines)


def _iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a date (YYYY-MM-DD)") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="10k", help="the size generated (names the files)")
    parser.add_argument("--db", help="default: bench/out/SIZE.db")
    parser.add_argument("--ics", help="default: the database's name with .ics")
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument(
        "--today",
        type=_iso_day,
        help="YYYY-MM-DD: the day the app opens on (CONVENER_TODAY); default today",
    )
    parser.add_argument("--khal", help="the khal program (e.g. from its own virtualenv)")
    parser.add_argument(
        "--skip-import",
        action="store_true",
        help="leave out the imports (the figures of the last --only-import run are shown)",
    )
    parser.add_argument(
        "--only-import",
        action="store_true",
        help="only the .ics imports (convener, calcurse -i, khal import); kept for --skip-import",
    )
    parser.add_argument(
        "--table", action="store_true", help="print the table of the last run's JSON and stop"
    )
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.table:
        last = OUT / f"{args.size}.json"
        if not last.exists():
            print(f"run.py: no run of size {args.size} yet ({last}): run without --table first")
            return 2
        print(table(json.loads(last.read_text())))
        return 0
    result = run(args)
    name = f"{args.size}-import.json" if args.only_import else f"{args.size}.json"
    (OUT / name).write_text(json.dumps(result, indent=2))
    print(table(result))
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    raise SystemExit(main())
