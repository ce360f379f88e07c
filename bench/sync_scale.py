"""Sync at scale against Radicale on localhost: a new laptop's first pull of a program of
N events, a pull with nothing changed, and a pull of 100 changes; prints the figures and
where the time went (the bottleneck).

    python bench/sync_scale.py --events 10000

The server is seeded by writing its storage folder directly (Radicale keeps one file per
resource), the files being exactly what `convener sync` PUTs: seeding 10,000 events by PUT
would take minutes and measure the server, not the pull. Radicale runs as shipped
(fsync on). The 100 changes are PUT by a second officer's client.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.sync.conftest import PASSWORDS, start_radicale
from tui.domain.planner import Planner
from tui.domain.store import Store
from tui.domain.sync import carriers, dav, engine, records
from tui.domain.sync.carriers import href_name, to_text
from tui.domain.sync.engine import Syncer, SyncReport

PHASES: dict[str, float] = defaultdict(float)


def timed(owner: Any, name: str, phase: str) -> None:
    """Add the time spent in owner.name to PHASES[phase]."""
    original: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            PHASES[phase] += time.perf_counter() - start

    setattr(owner, name, wrapper)


@contextmanager
def phases() -> Iterator[dict[str, float]]:
    PHASES.clear()
    yield PHASES


def seed(storage: Path, home: str, events: int) -> list[tuple[str, str]]:
    """Write a program of `events` events (3 guests each among 300 people) straight into
    Radicale's storage; returns (uid, href) of each event."""
    name = home.rstrip("/").rsplit("/", 1)[1]
    base = storage / "collection-root" / "team" / name
    calendar, contacts = base / "convener-calendar", base / "convener-contacts"
    calendar.mkdir(parents=True)
    contacts.mkdir(parents=True)
    (calendar / ".Radicale.props").write_text(json.dumps({"tag": "VCALENDAR"}))
    (contacts / ".Radicale.props").write_text(json.dumps({"tag": "VADDRESSBOOK"}))
    people = [str(uuid.uuid4()) for _ in range(300)]
    for number, uid in enumerate(people):
        document = {"fields": {"name": f"Guest {number}", "is_staff": False}, "members": {}}
        (contacts / href_name("person", uid)).write_text(to_text("person", uid, document))
    made = []
    for number in range(events):
        uid = str(uuid.uuid4())
        day = f"20{26 + number // 3650:02d}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        fields = {
            "title": f"Roundtable {number}",
            "kind": "roundtable",
            "status": "planned",
            "start_date": day,
            "end_date": day,
            "start_time": "09:30",
            "end_time": "17:00",
            "timezone": "Europe/Zurich",
            "location": "Geneva",
            "access": "invitation-only",
            "contacts": [],
            "partners": [],
            "related_events": [],
            "publications": [],
        }
        guests = {
            people[(number * 3 + k) % len(people)]: {
                "uid": str(uuid.uuid4()),
                "status": "invited",
                "role": "participant",
                "plus_ones": 0,
            }
            for k in range(3)
        }
        text = to_text("event", uid, {"fields": fields, "members": guests})
        href = href_name("event", uid)
        (calendar / href).write_text(text)
        made.append((uid, href))
    return made


def publish(server: Any, folder: Path, count: int, workers: int) -> float:
    """Seconds for a laptop to publish `count` events (a first sync to an empty home) over
    `workers` connections at once."""
    from datetime import date
    from datetime import time as clock

    from tui.domain.models import Event

    planner = Planner(Store(folder / f"publisher-{workers}.db"))
    for number in range(count):
        day = date(2027, 1 + number % 12, 1 + number % 28)
        planner.save(
            Event(
                title=f"Briefing {number}",
                start_date=day,
                end_date=day,
                start_time=clock(9, 30),
                end_time=clock(11),
                timezone="Europe/Zurich",
            )
        )
    link = dav.Dav(server.home(), "ana", PASSWORDS["ana"])
    link.WORKERS = workers
    start = time.perf_counter()
    report = Syncer(planner.store, link).run()
    assert report.pushed == count, report
    return time.perf_counter() - start


def run(syncer: Syncer) -> tuple[float, SyncReport]:
    start = time.perf_counter()
    report = syncer.run()
    return time.perf_counter() - start, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--publish", type=int, default=1000, help="events a first publish PUTs")
    args = parser.parse_args(argv)
    timed(dav.Dav, "_request", "server (HTTP round trips, Radicale's work)")
    timed(carriers, "from_text", "parsing iCalendar/vCard")
    timed(records.Records, "write", "writing records (validation, SQLite)")
    engine.from_text = carriers.from_text  # the engine imported it by name
    folder = Path(tempfile.mkdtemp(prefix="convener-sync-bench-"))
    server = start_radicale(folder / "radicale", fsync=True)
    try:
        for workers in (1, dav.Dav.WORKERS):
            seconds = publish(server, folder, args.publish, workers)
            print(
                f"first publish of {args.publish} events over {workers} connection(s):"
                f" {seconds:.1f} s ({1000 * seconds / args.publish:.0f} ms a record)"
            )
        home = server.home()
        start = time.perf_counter()
        made = seed(server.storage, home, args.events)
        print(f"seeded {args.events} events and 300 people in {time.perf_counter() - start:.1f} s")
        # Radicale builds its item cache (parsing every file, fsync'd) on the first report
        # of files it did not write itself: the colleague's laptop pays that, untimed here
        # but printed, so that the figures below are of a server that has served before.
        other = Planner(Store(folder / "colleague.db"))
        colleague = Syncer(other.store, dav.Dav(home, "ben", PASSWORDS["ben"], timeout=3600))
        start = time.perf_counter()
        colleague.run()
        warm = time.perf_counter() - start
        print(f"server warm-up (its cache of {args.events} files): {warm:.1f} s")
        laptop = Planner(Store(folder / "laptop.db"))
        syncer = Syncer(laptop.store, dav.Dav(home, "ana", PASSWORDS["ana"]))
        rows = []
        with phases() as spent:
            seconds, report = run(syncer)
            rows.append(("first pull", seconds, report.pulled, dict(spent)))
        with phases() as spent:
            seconds, report = run(syncer)
            rows.append(("nothing changed", seconds, report.pulled, dict(spent)))
        from dataclasses import replace

        from tui.domain.models import Event

        for uid, _ in made[: args.changes]:
            event = other.store.by_uid(Event, uid)
            assert event is not None
            other.save(replace(event, venue="Palais des Nations"))
        start = time.perf_counter()
        colleague.run()
        put_seconds = time.perf_counter() - start
        with phases() as spent:
            seconds, report = run(syncer)
            rows.append((f"{args.changes} changes", seconds, report.pulled, dict(spent)))
        print(f"(the colleague's {args.changes} PUTs took {put_seconds:.1f} s)")
        print()
        print(f"| pull ({args.events} events) | seconds | records | where the time went |")
        print("|---|---:|---:|---|")
        for name, seconds, pulled, spent in rows:
            ranked = sorted(spent.items(), key=lambda item: -item[1])
            where = ", ".join(f"{phase} {value:.1f} s" for phase, value in ranked)
            print(f"| {name} | {seconds:.1f} | {pulled} | {where} |")
        first = rows[0][3]
        bottleneck = max(first, key=lambda phase: first[phase])
        print(f"\nbottleneck of the first pull: {bottleneck}")
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
