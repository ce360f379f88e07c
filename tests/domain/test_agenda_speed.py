"""The shortcuts `convener agenda` takes at 100,000 events (issue 24) give what the long
way gives: plain repeat rules counted without dateutil, plain text not run through the
Markdown escapes, and a command that loads none of what it does not use."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.domain.exporters.markdown_text import _inline, inline
from tui.domain.models import Event
from tui.domain.recurrence import _plain_rule, expand
from tui.domain.store import Store

ROOT = Path(__file__).resolve().parent.parent.parent


def _dateutil_days(event: Event, start: date, end: date) -> list[date]:
    """The days dateutil gives for the rule, walked from the series' own start."""
    assert event.repeat is not None
    span = event.end_date - event.start_date
    try:
        rule = rrulestr(event.repeat, dtstart=datetime.combine(event.start_date, time()))
    except ValueError:
        return [event.start_date] if event.start_date <= end and event.end_date >= start else []
    moments = rule.between(
        datetime.combine(start - span, time()), datetime.combine(end, time()), inc=True
    )
    return list(dict.fromkeys(m.date() for m in moments))


def _random_rule(rng: random.Random) -> str:
    parts = [f"FREQ={rng.choice(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY', 'monthly'])}"]
    if rng.random() < 0.4:
        parts.append(f"INTERVAL={rng.choice([1, 2, 3, 5, 12])}")
    pick = rng.random()
    if pick < 0.3:
        parts.append(f"COUNT={rng.choice([1, 2, 5, 12, 40, 100])}")
    elif pick < 0.6:
        until = date(2020, 1, 1) + timedelta(days=rng.randrange(4000))
        parts.append(f"UNTIL={until:%Y%m%d}{rng.choice(['', '', 'T000000'])}")
    if rng.random() < 0.1:
        parts.append(rng.choice(["BYDAY=MO,WE", "BYMONTHDAY=31", "WKST=SU"]))
    rng.shuffle(parts)
    rule = ";".join(parts)
    if rng.random() < 0.3:
        rule = "RRULE:" + rule
    if rng.random() < 0.25:
        skipped = (date(2020, 1, 1) + timedelta(days=rng.randrange(3000)) for _ in range(3))
        rule += "\nEXDATE:" + ",".join(f"{day:%Y%m%d}" for day in skipped)
    return rule


def test_plain_rules_give_the_days_dateutil_gives() -> None:
    """Months without the start's day (the 31st, 29 February) skipped and not counted,
    COUNT, UNTIL, INTERVAL and EXDATE, over windows from a day to three years."""
    rng = random.Random(24)
    plain = 0
    for _ in range(1500):
        first = date(2019, 1, 1) + timedelta(days=rng.randrange(2500))
        if rng.random() < 0.2 and first.month in (1, 3, 5, 7, 8, 10, 12):
            first = first.replace(day=rng.choice([29, 30, 31]))
        if rng.random() < 0.05:
            first = date(rng.choice([2020, 2024]), 2, 29)
        span = timedelta(days=rng.choice([0, 0, 0, 1, 2, 40]))
        event = Event(title="x", start_date=first, end_date=first + span, repeat=_random_rule(rng))
        start = date(2019, 1, 1) + timedelta(days=rng.randrange(3500))
        end = start + timedelta(days=rng.choice([0, 1, 30, 364, 1000]))
        assert event.repeat is not None
        plain += _plain_rule(event.repeat) is not None
        shown = [o.start_date for o in expand(event, start, end)]
        assert shown == _dateutil_days(event, start, end), (event.repeat, first, start, end)
    assert plain > 600  # most of them took the shortcut


def test_a_rule_that_is_not_plain_is_left_to_dateutil() -> None:
    for rule in (
        "FREQ=WEEKLY;BYDAY=MO",
        "FREQ=DAILY;COUNT=3;UNTIL=20300101",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;UNTIL=20300101T000000Z",
        "FREQ=HOURLY",
        "FREQ=DAILY\nRDATE:20300101",
        "FREQ=DAILY\nFREQ=WEEKLY",
        "FREQ=DAILY;",
        "EXDATE:20300101",
    ):
        assert _plain_rule(rule) is None, rule
    assert _plain_rule("rrule:freq=daily;interval=2\nexdate:20300101") is not None


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZé1 _-+*#=&;<>[]`|~\\.,:()/'’\"!?%–—\t\n\x00\xa0")))
def test_text_left_as_it_is_is_what_the_escapes_give(text: str) -> None:
    assert inline(text) == (_inline(text) if text else "")


def test_plain_titles_and_places_are_left_as_they_are() -> None:
    for text in ("Webinar on Mediation – New York 4954", "Zürich", "America/Bogota", "held"):
        assert inline(text) == text
    assert inline("1. Intro") == "1\\. Intro"
    assert inline("Port_of_Spain") == "Port_of_Spain"
    assert inline("a  b ") == "a b"


PROBE = """
import sys
from tui.cli import main
code = main({argv!r})
loaded = sorted(m for m in {heavy!r} if m in sys.modules)
print('LOADED', loaded, file=sys.stderr)
sys.exit(code)
"""

NOT_FOR_AN_AGENDA = (
    "textual",
    "rich",
    "icalendar",
    "sqlite_utils",
    "dateutil.rrule",
    "dateutil.parser",
    "email",
    "smtplib",
    "ssl",
    "json",
    "concurrent.futures",
    "tui.domain.planner.mail",
    "tui.domain.sync.engine",
    "tui.domain.exporters.calendar_ics",
    "tui.domain.exporters.records_json",
    "tui.domain.exporters.bundle_toml",
    "tui.domain.related",
)


def test_the_agenda_command_loads_only_what_it_uses(tmp_path: Path) -> None:
    """`convener agenda` starts in a fraction of calcurse's time at 100,000 events only
    while it leaves the UI, the importers, mail, sync and dateutil unloaded (issue 24)."""
    from tui.domain.planner import Planner
    from tui.domain.store import Store

    db = tmp_path / "agenda.db"
    store = Store(db)
    planner = Planner(store, today=lambda: date(2026, 12, 2))
    day = date(2026, 12, 3)
    planner.save(Event(title="Retreat", start_date=day, end_date=day))
    planner.save(Event(title="Board", start_date=day, end_date=day, repeat="FREQ=MONTHLY"))
    store.close()
    argv = ["--db", str(db), "agenda", "--from", "2026-12-01", "--to", "2027-01-31"]
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv, heavy=NOT_FOR_AN_AGENDA)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={"CONVENER_TODAY": "2026-12-02", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "Board" in result.stdout and "Retreat" in result.stdout
    assert "LOADED []" in result.stderr


def test_records_read_from_rows_are_the_records_their_init_makes(store: Store) -> None:
    """Rows holding every field become records without the generated __init__; they are
    equal, hash, print and stay frozen as records made the usual way."""
    from dataclasses import FrozenInstanceError, replace

    from tui.domain.store.records import TABLES, _field_names, _from_column, _model_from_row

    seen = 0
    for cls, table in TABLES.items():
        for row in store._rows(f"select * from {table}"):
            usual = cls(**{n: _from_column(n, row[n]) for n in _field_names(cls) if n in row})
            read = _model_from_row(cls, row)
            assert read == usual and hash(read) == hash(usual) and repr(read) == repr(usual)
            assert replace(read) == usual
            # ... and take no more memory: its dict shares its keys with the class's records
            # (a dict of its own was 900 bytes an event instead of 290).
            assert sys.getsizeof(read.__dict__) <= sys.getsizeof(usual.__dict__), cls
            seen += 1
        if seen:
            with pytest.raises(FrozenInstanceError):
                read.id = 0
    assert seen > 100


def test_text_with_few_values_is_kept_once_across_records(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An event's kind, status, access, area, zone and place are each kept once, not once
    per record read (a third of an event's text at 100k events), in a table of bounded
    size (a place is free text)."""
    from tui.domain.store import records
    from tui.domain.store.records import _model_from_row

    events = [_model_from_row(Event, row) for row in store._rows("select * from events")]
    for field in ("kind", "status", "location"):
        by_value: dict[str, list[str]] = {}
        for event in events:
            value = getattr(event, field)
            if value is not None:
                by_value.setdefault(value, []).append(value)
        repeated = [values for values in by_value.values() if len(values) > 1]
        assert repeated, field
        assert all(value is values[0] for values in repeated for value in values), field
    monkeypatch.setattr(records, "SHARED_TEXT_LIMIT", 5)
    records._SHARED_TEXT.clear()
    for row in store._rows("select * from events"):
        _model_from_row(Event, row)
        assert len(records._SHARED_TEXT) <= 5 + len(records._SHARED_FIELDS)
