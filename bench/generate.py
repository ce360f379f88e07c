"""Build a realistic benchmark database through Convener's own store and planner.

    python bench/generate.py --size 10k --db bench/out/10k.db
    python bench/generate.py --events 100000 --people 200000 --invitations 1000000 \\
        --db bench/out/100k.db

Ten years of a program's convenings around today: workshops, roundtables, dinners,
retreats and conferences (15% over several days, 1% repeating, a few unbounded), in
a dozen cities and their time zones, with program areas, partner organisations, staff
contacts, related events and publications, agenda sessions with speakers, and guest lists.
The same events are written as one iCalendar file (`--ics`, default beside the database)
for the peers (calcurse, khal) to import.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.domain.models import (
    INVITATION_ROLES,
    INVITATION_STATUSES,
    SPEAKER_ROLES,
    Event,
    Invitation,
    Organisation,
    Person,
    Publication,
    Session,
    Speaker,
)
from tui.domain.planner import Planner
from tui.domain.store import Store

SIZES = {
    "1k": (1_000, 2_000, 30_000),
    "10k": (10_000, 20_000, 300_000),
    "100k": (100_000, 200_000, 1_000_000),
}
"""Preset sizes: events, people, invitations (the issue fixes 1M invitations at 100k)."""

CITIES = [
    ("Washington, DC", "America/New_York"),
    ("New York", "America/New_York"),
    ("Geneva", "Europe/Zurich"),
    ("Zürich", "Europe/Zurich"),
    ("Brussels", "Europe/Brussels"),
    ("The Hague", "Europe/Amsterdam"),
    ("Nairobi", "Africa/Nairobi"),
    ("Addis Ababa", "Africa/Addis_Ababa"),
    ("Bogotá", "America/Bogota"),
    ("Mexico City", "America/Mexico_City"),
    ("Jakarta", "Asia/Jakarta"),
    ("Online", None),
]
AREAS = [
    "Mass Violence and Atrocities",
    "Climate, Conflict and Security",
    "Nuclear Risk Reduction",
    "Peacebuilding and Governance",
    "Urban Violence",
]
TOPICS = [
    "Subnational Diplomacy",
    "Offices of Violence Prevention",
    "Early Warning",
    "Climate Security",
    "Arms Control",
    "Transitional Justice",
    "Cities and Atrocity Prevention",
    "Community Safety",
    "Mediation",
    "Peace Finance",
]
KINDS = [
    ("workshop", "Workshop"),
    ("roundtable", "Roundtable"),
    ("dinner", "Policy Dinner"),
    ("retreat", "Retreat"),
    ("conference", "Conference"),
    ("webinar", "Webinar"),
]
FIRST = [
    "Ana",
    "Jai-Ayla",
    "Kelsey",
    "Amina",
    "Tomás",
    "Priya",
    "Jonas",
    "Zainab",
    "Kenji",
    "Elena",
    "Thabo",
    "Beatriz",
    "Olivier",
    "Hannah",
    "Yusuf",
    "Nadia",
    "Matteo",
    "Ngozi",
]
LAST = [
    "Ruiz",
    "Sutherland",
    "Shantz",
    "Diallo",
    "Herrera",
    "Natarajan",
    "Keller",
    "Yusuf",
    "Watanabe",
    "Petrova",
    "Nkosi",
    "Lima",
    "Lambert",
    "Lindqvist",
    "Hassan",
    "Rahman",
]
ORG_WORDS = ["Network", "Institute", "Initiative", "Forum", "Centre", "Council", "Alliance"]


@dataclass
class Counts:
    """What was made."""

    organisations: int = 0
    people: int = 0
    publications: int = 0
    events: int = 0
    sessions: int = 0
    invitations: int = 0
    links: int = 0


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def generate(
    db: Path,
    events: int,
    people: int,
    invitations: int,
    *,
    seed: int = 7,
    today: date | None = None,
) -> Counts:
    """Fill a new database at `db`; returns what was made."""
    rng = random.Random(seed)
    today = today or date.today()
    first_day = date(today.year - 8, 1, 1)
    span_days = (date(today.year + 2, 1, 1) - first_day).days
    store = Store(db)
    planner = Planner(store, today=lambda: today)
    counts = Counts()
    chunk = 5_000

    def batches(total: int, label: str):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        for begin in range(0, total, chunk):
            with store.transaction(f"Generate {label}"):
                yield range(begin, min(total, begin + chunk))
        _say(f"  {label}: {total:,} in {time.perf_counter() - started:.1f} s")

    n_orgs = max(10, people // 20)
    org_ids: list[int] = []
    for batch in batches(n_orgs, "organisations"):
        for i in batch:
            city = CITIES[i % len(CITIES)][0].split(",")[0]
            name = f"{rng.choice(TOPICS)} {rng.choice(ORG_WORDS)} {city} {i}"
            org = store.insert(Organisation(name=name, short_name=f"ORG{i}", kind="ngo"))
            assert org.id is not None
            org_ids.append(org.id)
    counts.organisations = n_orgs

    person_ids: list[int] = []
    staff_ids: list[int] = []
    n_staff = min(200, max(5, people // 100))
    for batch in batches(people, "people"):
        for i in batch:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
            staff = i < n_staff
            person = store.insert(
                Person(
                    name=name,
                    email=f"person{i}@example.org",
                    role="Program Officer"
                    if staff
                    else rng.choice(["Director", "Researcher", "Mayor", "Adviser"]),
                    organisation_id=None if staff else rng.choice(org_ids),
                    program_area=rng.choice(AREAS) if staff else None,
                    is_staff=staff,
                )
            )
            assert person.id is not None
            (staff_ids if staff else person_ids).append(person.id)
    counts.people = people

    n_pubs = max(5, events // 10)
    pub_ids: list[int] = []
    for batch in batches(n_pubs, "publications"):
        for i in batch:
            when = first_day + timedelta(days=rng.randrange(span_days))
            pub = store.insert(
                Publication(
                    title=f"{rng.choice(TOPICS)}: Readout {i}",
                    type="Readout and Recommendations",
                    published=f"{when.year:04d}-{when.month:02d}",
                    program_area=rng.choice(AREAS),
                )
            )
            assert pub.id is not None
            pub_ids.append(pub.id)
    counts.publications = n_pubs

    event_rows: list[tuple[int, date, date]] = []
    for batch in batches(events, "events"):
        for i in batch:
            kind, kind_label = rng.choice(KINDS)
            city, zone = rng.choice(CITIES)
            start = first_day + timedelta(days=rng.randrange(span_days))
            multi = rng.random() < 0.15
            end = start + timedelta(days=rng.randint(1, 3)) if multi else start
            timed = not multi and rng.random() < 0.7
            repeat = None
            if rng.random() < 0.01:
                repeat = rng.choice(
                    [
                        "FREQ=WEEKLY;COUNT=8",
                        "FREQ=MONTHLY;COUNT=12",
                        f"FREQ=MONTHLY;UNTIL={(start + timedelta(days=700)):%Y%m%d}",
                        "FREQ=YEARLY;COUNT=5",
                        "FREQ=MONTHLY",  # unbounded: expanded only over the range shown
                    ]
                )
                end = start
            hour = rng.choice([8, 9, 10, 14, 16, 18, 19])
            event = store.insert(
                Event(
                    title=f"{kind_label} on {rng.choice(TOPICS)} – {city} {i}",
                    start_date=start,
                    end_date=end,
                    kind=kind,
                    status="held" if start < today else rng.choice(["planned", "confirmed"]),
                    start_time=clock(hour, 0) if timed else None,
                    end_time=clock(hour + 2, 30) if timed else None,
                    timezone=zone if timed else None,
                    location=city,
                    program_area=rng.choice(AREAS),
                    access=rng.choice(["invitation-only", "invitation-only", "closed", "public"]),
                    capacity=rng.choice([None, 20, 40, 120]),
                    repeat=repeat,
                    summary=f"A {kind_label.lower()} on {rng.choice(TOPICS).lower()}.",
                )
            )
            assert event.id is not None
            event_rows.append((event.id, start, end))
            store.link("contact", event.id, rng.choice(staff_ids), 0)
            counts.links += 1
            for position, org in enumerate(rng.sample(org_ids, rng.randint(1, 3))):
                store.link("partner", event.id, org, position)
                counts.links += 1
            if rng.random() < 0.2:
                store.link("event_publication", event.id, rng.choice(pub_ids))
                counts.links += 1
            if len(event_rows) > 1 and rng.random() < 0.1:
                other = rng.choice(event_rows[:-1])[0]
                store.link("related_event", event.id, other)
                counts.links += 1
    counts.events = events

    # Sessions: a third of the events have an agenda of 2-6 sessions with speakers.
    with_agenda = [row for row in event_rows if rng.random() < 0.33]
    for batch in batches(len(with_agenda), "agendas"):
        for index in batch:
            event_id, start, end = with_agenda[index]
            for number in range(rng.randint(2, 6)):
                day = start + timedelta(days=rng.randint(0, (end - start).days))
                session = store.insert(
                    Session(
                        event_id=event_id,
                        date=day,
                        title=f"Session {number + 1}: {rng.choice(TOPICS)}",
                        start_time=clock(9 + number, 0),
                        end_time=clock(9 + number, 50),
                        room=rng.choice(["Main hall", "Room A", "Garden room", None]),
                        position=number,
                    )
                )
                assert session.id is not None
                counts.sessions += 1
                speaker = rng.choice(person_ids)
                store.set_speakers(session.id, [Speaker(speaker, "", rng.choice(SPEAKER_ROLES))])

    # Guest lists: `invitations` spread over the events (unique per event and person).
    per_event, extra = divmod(invitations, max(1, events))
    made = 0
    event_ids = [row[0] for row in event_rows]
    statuses = list(INVITATION_STATUSES)
    weights = [1 if s not in ("accepted", "invited") else 5 for s in statuses]
    for batch in batches(len(event_ids), "guest lists"):
        for index in batch:
            size = per_event + (1 if index < extra else 0)
            if not size:
                continue
            for person in rng.sample(person_ids, min(size, len(person_ids))):
                store.insert(
                    Invitation(
                        event_id=event_ids[index],
                        person_id=person,
                        status=rng.choices(statuses, weights)[0],
                        role=rng.choice(INVITATION_ROLES[:3]),
                        plus_ones=1 if rng.random() < 0.05 else 0,
                        dietary="vegetarian" if rng.random() < 0.1 else None,
                    )
                )
                made += 1
    counts.invitations = made
    store.forget_history()  # generated data is not something to undo
    store._conn.execute("vacuum")  # the history written on the way leaves free pages
    store._conn.execute("pragma optimize")
    store.close()
    del planner
    return counts


def write_ics(db: Path, target: Path) -> int:
    """The database's events as one iCalendar file (the project's exporter)."""
    store = Store(db)
    planner = Planner(store)
    ids = store.live_event_ids()
    # Streamed, as `convener agenda --format ics` writes it: read and written in batches.
    with target.open("w", encoding="utf-8", newline="\n") as handle:
        for chunk in planner.events_ics_chunks(ids):
            handle.write(chunk)
    store.close()
    return len(ids)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), help="a preset size")
    parser.add_argument("--events", type=int)
    parser.add_argument("--people", type=int)
    parser.add_argument("--invitations", type=int, help="default: 30 per event")
    parser.add_argument("--db", type=Path, required=True, help="the database to create")
    parser.add_argument("--ics", type=Path, help="default: the database's name with .ics")
    parser.add_argument("--no-ics", action="store_true", help="skip the iCalendar file")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--force", action="store_true", help="replace an existing database")
    parser.add_argument(
        "--ics-only", action="store_true", help="only write the .ics of an existing database"
    )
    args = parser.parse_args(argv)
    if args.ics_only:
        ics = args.ics or args.db.with_suffix(".ics")
        written = write_ics(args.db, ics)
        _say(f"iCalendar {ics}: {written:,} events")
        return 0
    events, people, invitations = SIZES[args.size] if args.size else (1_000, 2_000, None)
    events = args.events or events
    people = args.people or people
    invitations = args.invitations or invitations or events * 30
    if args.db.exists():
        if not args.force:
            print(f"{args.db} exists (--force replaces it)", file=sys.stderr)
            return 2
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    _say(f"Generating {events:,} events, {people:,} people, {invitations:,} invitations")
    counts = generate(args.db, events, people, invitations, seed=args.seed)
    _say(f"Database {args.db} in {time.perf_counter() - started:.0f} s: {counts}")
    if not args.no_ics:
        ics = args.ics or args.db.with_suffix(".ics")
        begun = time.perf_counter()
        written = write_ics(args.db, ics)
        size = ics.stat().st_size / 1e6
        _say(
            f"iCalendar {ics}: {written:,} events, {size:.0f} MB"
            f" in {time.perf_counter() - begun:.0f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
