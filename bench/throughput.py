"""Import throughput (issue 17): a 100,000-row guest list and a 20,000-event Convener file.

    python bench/throughput.py                 # writes bench/out/throughput.json, prints a table
    python bench/throughput.py --guests 20000 --events 5000

Each file is made here (seeded, so every run imports the same bytes) and imported with
`convener import` into a fresh database, as an officer would; the figure is the wall time
and the CPU time of that process (this machine is shared: the CPU time is what the import
itself costs) and its peak memory. A second import of the same file (nothing new) is timed
too: it reads every row and matches it against what is there.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
STATUSES = ["invited", "accepted", "declined", "tentative", "waitlisted"]
KINDS = ["workshop", "roundtable", "dinner", "retreat", "conference"]


def guest_csv(path: Path, rows: int) -> None:
    """`rows` guests, each a new person (name, e-mail, one of 500 organisations)."""
    rng = random.Random(17)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "email", "organisation", "status", "role", "dietary"])
        for index in range(rows):
            writer.writerow(
                [
                    f"Guest {index} {rng.choice(['Okafor', 'Ito', 'Silva', 'Novak'])}",
                    f"guest{index}@example.org",
                    f"Organisation {rng.randrange(500)}",
                    rng.choice(STATUSES),
                    "participant",
                    "vegetarian" if index % 10 == 0 else "",
                ]
            )


def events_toml(path: Path, events: int) -> None:
    """`events` events over ten years, a tenth of them timed in a zone, as one document."""
    rng = random.Random(17)
    first = date(2022, 1, 3)
    parts = ["convener = 1\n"]
    for index in range(events):
        start = first + timedelta(days=rng.randrange(3650))
        end = start + timedelta(days=rng.choice([0, 0, 0, 1, 2]))
        parts.append(
            "\n[[events]]\n"
            f'uid = "bench-event-{index}"\n'
            f'title = "Convening {index} on {rng.choice(["peace", "cities", "climate"])}"\n'
            f"start_date = {start.isoformat()}\n"
            f"end_date = {end.isoformat()}\n"
            f'kind = "{rng.choice(KINDS)}"\n'
            'status = "confirmed"\n'
            'access = "public"\n'
            f'location = "{rng.choice(["Nairobi", "Vienna", "Bogotá", "Manila"])}"\n'
            + (
                'start_time = "09:00"\nend_time = "17:00"\ntimezone = "Europe/Vienna"\n'
                if index % 10 == 0
                else ""
            )
        )
    path.write_text("".join(parts), encoding="utf-8")


def timed_import(convener: list[str], db: Path, path: Path, *extra: str) -> dict[str, float]:
    """Wall and CPU seconds and peak memory (MB) of one `convener import` (its own rusage)."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(
            [*convener, "--db", str(db), "import", "--large", str(path), *extra],
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()[:300]
            raise SystemExit(f"import of {path.name} failed: {message}")
    cpu = usage.ru_utime + usage.ru_stime
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_mb": usage.ru_maxrss / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guests", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args(argv)
    convener = [sys.executable, "-m", "tui"]
    work = Path(tempfile.mkdtemp(prefix="convener-throughput-"))
    env_home = work / "home"
    os.environ.update(
        {
            "HOME": str(env_home),
            "XDG_CONFIG_HOME": str(env_home / ".config"),
            "XDG_DATA_HOME": str(env_home / ".local" / "share"),
        }
    )
    results: dict[str, object] = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python"
        f" {platform.python_version()}",
    }
    try:
        csv_path = work / "guests.csv"
        guest_csv(csv_path, args.guests)
        db = work / "guests.db"
        one = work / "one.toml"
        events_toml(one, 1)  # the event the guest list belongs to: id 1
        timed_import(convener, db, one)
        guests_first = timed_import(convener, db, csv_path, "--event", "1")
        guests_again = timed_import(convener, db, csv_path, "--event", "1")
        toml_path = work / "events.toml"
        events_toml(toml_path, args.events)
        events_db = work / "events.db"
        events_first = timed_import(convener, events_db, toml_path)
        events_again = timed_import(convener, events_db, toml_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["figures"] = {
        f"guest list CSV, {args.guests:,} rows": guests_first,
        f"guest list CSV, {args.guests:,} rows, again (nothing new)": guests_again,
        f"Convener TOML, {args.events:,} events": events_first,
        f"Convener TOML, {args.events:,} events, again (nothing new)": events_again,
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "throughput.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"| import ({results['when']}; {results['machine']}) | wall | CPU | peak memory |")
    print("|---|---|---|---|")
    for name, figure in results["figures"].items():  # type: ignore[attr-defined]
        print(
            f"| {name} | {figure['wall_s']:.1f} s | {figure['cpu_s']:.1f} s"
            f" | {figure['peak_mb']:.0f} MB |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
