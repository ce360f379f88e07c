"""Measure Convener beside its floor and its peers, on a generated database.

    python bench/generate.py --size 10k --db bench/out/10k.db
    python bench/run.py --size 10k            # prints a table, writes bench/out/10k.json

Every figure is a median and a 95th percentile over --samples runs (30 by default), taken
in the same run as the floor (a minimal Textual app) and the peers (calcurse; khal when
`khal` is found on PATH or in --khal). This machine is shared and noisy: read the ratios.

How each is measured:
- cold start: the command started in a new 120x40 tmux pane, capture-pane polled until
  the calendar (or the floor's one line, or calcurse's calendar) is painted.
- key to repaint: the app runs on a pseudo-terminal of 120x40; a key is written and the
  time taken until its first frame is complete (the first burst of output followed by a
  quiet spell) is read straight off the app's output, not through Pilot.
- search: "/" opens search; each keystroke's time until the results are on screen (the
  output has gone quiet).
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
import resource
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
COLS, ROWS = 120, 40
QUIET = 0.040
"""Seconds of silence that end a frame (Textual writes a frame in one go)."""

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("minimal textual app ready")

Minimal().run()
"""


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
        """Write a key; seconds until its first frame is out (or until all is quiet)."""
        started = time.perf_counter()
        os.write(self.fd, key)
        last = None
        deadline = started + timeout
        while time.perf_counter() < deadline:
            wait = QUIET if last is not None else deadline - time.perf_counter()
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


def cold_start(name: str, who: str, command: str, painted: str, samples: int) -> Figure:
    """Start `command` in a fresh tmux pane; time until `painted` shows in it."""
    figure = Figure(name, who)
    session = f"bench{os.getpid()}"
    # A session that stays keeps the tmux server up between samples (a server shutting
    # down as the next sample starts loses that sample).
    keeper = f"keep{os.getpid()}"
    subprocess.run(["tmux", "new-session", "-d", "-s", keeper, "sleep 3600"], capture_output=True)
    for _ in range(samples):
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        started = time.perf_counter()
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", session, "-x", str(COLS), "-y", str(ROWS), command],
            check=True,
        )
        while True:
            shown = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            if painted in shown:
                figure.samples.append((time.perf_counter() - started) * 1000)
                break
            if time.perf_counter() - started > 60:
                raise RuntimeError(f"{who}: {painted!r} never appeared:\n{shown}")
            time.sleep(0.003)
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        time.sleep(0.1)
    subprocess.run(["tmux", "kill-session", "-t", keeper], capture_output=True)
    return figure


def keys(
    name: str,
    who: str,
    term: Terminal,
    key: bytes,
    samples: int,
    *,
    first_frame: bool,
    between: Callable[[], None] | None = None,
) -> Figure:
    """One key pressed `samples` times, each timed to its frame."""
    figure = Figure(name, who)
    for _ in range(samples):
        figure.samples.append(term.press(key, first_frame=first_frame) * 1000)
        if between is not None:
            between()
        else:
            term.settle(quiet=0.15, limit=5)
    return figure


BUDGET_S = 120.0
"""A slow command stops being sampled after this long (with at least 5 samples); the
table shows how many samples each figure has."""


def command_times(name: str, who: str, argv: Sequence[str], samples: int) -> Figure:
    """A command run `samples` times (fewer if slow: see BUDGET_S), wall time each."""
    figure = Figure(name, who)
    begun = time.perf_counter()
    for _ in range(samples):
        if len(figure.samples) >= 5 and time.perf_counter() - begun > BUDGET_S:
            break
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True)
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
    today = date.today()

    # A copy to work on: the app writes nothing in these runs, but keep the original pristine.
    work = Path(tempfile.mkdtemp(prefix="convener-bench-"))
    work_db = work / "bench.db"
    shutil.copyfile(db, work_db)
    env = {**os.environ, "CONVENER_DB": str(work_db), "TERM": "xterm-256color"}
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

    # 1. cold start
    _say("cold start ...")
    floor = work / "minimal.py"
    floor.write_text(MINIMAL_APP)
    figures.append(
        cold_start(
            "cold start",
            "minimal Textual app (floor)",
            f"{sys.executable} {floor}",
            "minimal textual app ready",
            samples,
        )
    )
    figures.append(
        cold_start(
            "cold start",
            "convener",
            f"CONVENER_DB={work_db} {convener} --db {work_db}",
            "Mo   Tu",
            samples,
        )
    )
    if cc_dir is not None:
        figures.append(
            cold_start("cold start", "calcurse", f"calcurse -D {cc_dir}", "Appointments", samples)
        )

    # 2. keys, 3. search, 5. memory: Convener on a pseudo-terminal.
    _say("keys, search, memory ...")
    term = Terminal([*convener.split(), "--db", str(work_db)], env)
    term.settle(quiet=1.5)
    figures.append(
        keys("cursor key (first frame)", "convener", term, b"l", samples, first_frame=True)
    )
    figures.append(
        keys("cursor key (all panes settled)", "convener", term, b"h", samples, first_frame=False)
    )
    figures.append(
        keys("month switch (first frame)", "convener", term, b"]", samples, first_frame=True)
    )
    search = Figure("search keystroke (results shown)", "convener")
    words = ["peace", "cities", "nairobi", "mediation", "climate"]
    for index in range(samples):
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
        figures.append(
            keys("cursor key (first frame)", "calcurse", cc, b"t", samples, first_frame=True)
        )
        figures.append(
            keys("month switch (first frame)", "calcurse", cc, b"m", samples, first_frame=True)
        )
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
                )
            )
        if khal_conf is not None and peers.khal:
            figures.append(
                command_times(
                    label,
                    "khal list",
                    [peers.khal, "-c", str(khal_conf), "list", start.isoformat(), f"{days}d"],
                    samples,
                )
            )

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


def targets(result: dict[str, object]) -> list[tuple[str, str, bool | None]]:
    """Each target of the issue: what it asks, the figure, held or not (None: no peer)."""
    figures = result["figures"]  # type: ignore[assignment]
    size = result["size"]
    rows: list[tuple[str, str, bool | None]] = []

    def add(text: str, value: float | None, limit: float, unit: str = "x") -> None:
        if value is None:
            rows.append((text, "no peer measured", None))
        else:
            shown = f"{value:.2f}{unit}" if unit == "x" else f"{value:.1f} {unit}"
            rows.append((text, shown, value <= limit))

    def fig(name: str, who: str) -> dict[str, object] | None:
        return next((f for f in figures if f["name"] == name and f["who"] == who), None)  # type: ignore[union-attr]

    add(
        "cold start <= 1.25x minimal Textual app",
        ratio(figures, "cold start", "convener", "minimal Textual app (floor)"),
        1.25,
    )  # type: ignore[arg-type]
    if size == "100k":
        add(
            "cold start below calcurse's", ratio(figures, "cold start", "convener", "calcurse"), 1.0
        )  # type: ignore[arg-type]
    cursor = fig("cursor key (first frame)", "convener")
    if cursor:
        add("cursor key p95 <= 16 ms", float(cursor["p95"]), 16, "ms")  # type: ignore[arg-type]
    add(
        "month switch p95 <= 0.2x calcurse's",
        ratio(figures, "month switch (first frame)", "convener", "calcurse", "p95"),
        0.2,
    )  # type: ignore[arg-type]
    found = fig("search keystroke (results shown)", "convener")
    if found:
        add("search keystroke p95 <= 30 ms", float(found["p95"]), 30, "ms")  # type: ignore[arg-type]
    limit = 0.5 if size != "100k" else 0.1
    add(
        f"30-day agenda <= {limit}x calcurse -Q",
        ratio(figures, "agenda 30 days", "convener", "calcurse -Q"),
        limit,
    )  # type: ignore[arg-type]
    if size == "100k":
        add(
            "peak memory <= 0.9x calcurse's",
            ratio(figures, "peak memory after the session", "convener", "calcurse"),
            0.9,
        )  # type: ignore[arg-type]
        add(
            ".ics import <= 0.2x khal import",
            ratio(figures, "import .ics (s)", "convener import", "khal import"),
            0.2,
        )  # type: ignore[arg-type]
        add(
            ".ics import memory <= 1.5x calcurse -i",
            ratio(figures, "import .ics peak memory", "convener import", "calcurse -i"),
            1.5,
        )  # type: ignore[arg-type]
    return rows


def table(result: dict[str, object]) -> str:
    lines = [
        f"Convener benchmark, size {result['size']}, {result['when']},"
        f" {result['machine']['cpus']} CPUs, {result['machine']['memory_gb']} GiB,"  # type: ignore[index]
        f" Python {result['machine']['python']}, {result['samples']} samples",  # type: ignore[index]
        *(f"Note: {note}" for note in result.get("notes", [])),  # type: ignore[attr-defined]
        "",
        "| measure | who | median | p95 | n |",
        "|---|---|---:|---:|---:|",
    ]
    for f in result["figures"]:  # type: ignore[attr-defined]
        unit = f["unit"]
        lines.append(
            f"| {f['name']} | {f['who']} | {f['median']:.1f} {unit} | {f['p95']:.1f} {unit}"
            f" | {f['n']} |"
        )
    lines += ["", "| target | measured | held |", "|---|---|---|"]
    for text, shown, held in targets(result):
        lines.append(f"| {text} | {shown} | {'yes' if held else 'no' if held is False else '-'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="10k", help="the size generated (names the files)")
    parser.add_argument("--db", help="default: bench/out/SIZE.db")
    parser.add_argument("--ics", help="default: the database's name with .ics")
    parser.add_argument("--samples", type=int, default=30)
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
        print(table(json.loads((OUT / f"{args.size}.json").read_text())))
        return 0
    result = run(args)
    name = f"{args.size}-import.json" if args.only_import else f"{args.size}.json"
    (OUT / name).write_text(json.dumps(result, indent=2))
    print(table(result))
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    raise SystemExit(main())
