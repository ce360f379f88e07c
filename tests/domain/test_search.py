"""Search: any text is a valid query, accents are ignored, titles rank first, kept in step."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.domain import migrations
from tui.domain.kinds import SEARCH_CODES
from tui.domain.models import Event, Person
from tui.domain.planner import Planner
from tui.domain.search import fts_query
from tui.domain.store import Store
from tui.domain.text import fold


@pytest.mark.parametrize(
    ("text", "kind", "title"),
    [
        ("Sutherland", "person", "Jai-Ayla Sutherland"),
        ("GI-TOC", "organisation", "Global Initiative Against Transnational Organized Crime"),
        ("Peace in", "organisation", "Peace in Our Cities"),
        ("Zurich", "organisation", "City of Zürich"),
        ("zürich", "organisation", "City of Zürich"),
        ("O'Brien", "person", "Siobhán O'Brien"),
        ("O’Brien", "person", "Siobhán O'Brien"),
        ("siob", "person", "Siobhán O'Brien"),
        ("lafayette", "event", "Policy Dinner: Cities and Atrocity Prevention"),
        ("Festsaal welcome", "session", "Welcome by the City of Zürich"),
    ],
)
def test_finds(planner: Planner, text: str, kind: str, title: str) -> None:
    hits = planner.search(text)
    assert any(h.kind == kind and h.title == title for h in hits), [(h.kind, h.title) for h in hits]


def test_a_snippet_keeps_the_fields_apart_and_skips_empty_ones(empty_planner: Planner) -> None:
    day = date(2027, 6, 9)
    event = Event(
        "Practitioners' workshop",
        day,
        day,
        location="Nairobi, Kenya",
        venue="",  # empty, not missing: no second separator for it
        program_area="Mass Violence and Atrocities",
        summary="Offices compared",
    )
    empty_planner.save_event(event)
    (hit,) = empty_planner.search("atrocities")
    assert hit.plain_snippet("[", "]") == (
        "Nairobi, Kenya · Mass Violence and [Atrocities] · Offices compared"
    )
    # Found by words of any field, as before; a word is never glued to the separator.
    assert [h.title for h in empty_planner.search("kenya mass")] == ["Practitioners' workshop"]
    empty_planner.save(replace(empty_planner.event(1), location=None, venue="City Hall"))
    (hit,) = empty_planner.search("hall")
    assert hit.plain_snippet().startswith("City Hall · Mass Violence")


def test_title_matches_rank_before_body_matches(planner: Planner) -> None:
    hits = planner.search("peace")
    in_title = ["peace" in h.title.lower() for h in hits]
    assert True in in_title and False in in_title
    assert in_title == sorted(in_title, reverse=True)


def test_a_session_hit_knows_its_event(planner: Planner) -> None:
    [hit] = [h for h in planner.search("Festsaal welcome") if h.kind == "session"]
    assert hit.event_id is not None
    assert planner.event(hit.event_id).title.startswith("Roundtable on Subnational Diplomacy")
    assert hit.event_title == planner.event(hit.event_id).title


def test_task_hits_carry_their_events_titles_read_in_one_query(
    planner: Planner, monkeypatch: pytest.MonkeyPatch
) -> None:
    for event_id in (1, 10):
        planner.save_task(planner.task_from_text(event_id, "Send the briefing book", ""))
    asked: list[list[int]] = []
    titles = planner.store.event_titles

    def counted(event_ids: list[int]) -> dict[int, str]:
        asked.append(list(event_ids))
        return titles(event_ids)

    monkeypatch.setattr(planner.store, "event_titles", counted)
    hits = [h for h in planner.search("send the briefing book") if h.kind == "task"]
    assert len(hits) >= 2 and len(asked) == 1
    for hit in hits:
        assert hit.event_id is not None
        assert hit.event_title == planner.event(hit.event_id).title
    assert len({hit.event_title for hit in hits}) == len(hits)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        '"',
        '"foo',
        "AND",
        "OR NOT",
        "NEAR(a b)",
        "a:b",
        "col:value",
        "*",
        "-",
        "GI-",
        "^x",
        "🙂",
        "🙂 dinner",
        "(((",
        "'",
        "\\",
        "\x00",
        "a" * 5000,
        "NOT dinner",
        "dinner AND",
        "a OR",
        "OR",
        "OR OR",
        "a OR OR b",
        '"a" OR',
        "NEAR(",
        "(a OR b",
        "a* OR *b",
        "über OR 日本",
        "a OR " * 40,
        "ü",
        "_",
        "__init__",
    ],
)
def test_any_text_is_a_valid_query(planner: Planner, text: str) -> None:
    planner.search(text)  # never raises


def test_no_words_is_no_query() -> None:
    assert fts_query("  ") is None and fts_query("🙂 --") is None
    assert fts_query("say AND") == '"say"*'  # an operator with nothing after it: ignored
    assert fts_query("AND") == '"AND"*'  # alone it is what is typed (ANDorra)
    # A quoted word or phrase matches whole words, in order; the typed words keep the prefix.
    assert fts_query('say "AND"') == '"say"* "AND"'
    assert fts_query('"peace in" cit') == '"peace in" "cit"*'
    assert fts_query('"special') == '"special"*'  # an unclosed quote: still being typed
    assert fts_query('""') is None


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("peace OR cities", '("peace" OR "cities"*)'),
        ("a b OR c d", '"a" AND ("b" OR "c") AND "d"*'),
        ('"peace in" OR cit', '("peace in" OR "cit"*)'),
        ("a OR b OR c", '("a" OR "b" OR "c"*)'),
        ("peace AND cities", '"peace" "cities"*'),
        ("a OR", '"a"*'),  # still typing the second word
        ("OR a", '"a"*'),
        ("peac* cities", '"peac"* "cities"*'),
        ("peace or cities", '"peace" "or" "cities"*'),  # lower case: a word
        ("NOT dinner", '"NOT" "dinner"*'),
        ("NEAR(a b)", '"NEAR" "a" "b"*'),
        ("-x (y)", '"x" "y"*'),
    ],
)
def test_or_and_a_star_are_the_only_operators(text: str, query: str) -> None:
    """OR (in capitals, between two words or phrases) finds either, AND is a space, a *
    after a word makes it a prefix; NOT, NEAR, brackets and signs stay plain text."""
    assert fts_query(text) == query


def test_or_finds_records_with_either_word_and_a_star_a_prefix(planner: Planner) -> None:
    either = {(h.kind, h.id) for h in planner.search("xylophone OR retreat")}
    assert either and either == {(h.kind, h.id) for h in planner.search("retreat")}
    both = {(h.kind, h.id) for h in planner.search("dinner OR retreat")}
    dinner = {(h.kind, h.id) for h in planner.search("dinner")}
    retreat = {(h.kind, h.id) for h in planner.search("retreat")}
    assert both == dinner | retreat and dinner - retreat and retreat - dinner
    assert planner.search_total("dinner OR retreat") == len(dinner | retreat)
    assert {h.id for h in planner.search("retr* peace")} >= {
        h.id for h in planner.search("retreat peace")
    }
    # Listed people and pickers read the same query.
    assert planner.find_people("xylophone OR zainab") == planner.find_people("zainab")


def test_a_quoted_word_matches_whole_words_only(planner: Planner) -> None:
    """'special' finds the Peacebuilding Specialist as the officer types; '"special"' is
    the whole word, which nobody's record has."""
    assert any(hit.title == "Zainab Yusuf" for hit in planner.search("special"))
    assert not any(hit.title == "Zainab Yusuf" for hit in planner.search('"special"'))
    assert any(hit.title == "Zainab Yusuf" for hit in planner.search('"peacebuilding specialist"'))


def test_a_query_of_symbols_alone_finds_what_holds_them(empty_planner: Planner) -> None:
    # The index leaves emoji and signs out; a query of nothing else scans for them.
    dove = empty_planner.save(
        Event(title="Peace 🕊 dinner", start_date=date(2026, 1, 1), end_date=date(2026, 1, 1))
    )
    noted = empty_planner.save(Person(name="Ana Lima", bio="Drafted § 4 of the readout 🕊 here"))
    empty_planner.save(Person(name="Bo Line", bio="No symbols"))
    hits = empty_planner.search("🕊")
    assert [(h.kind, h.id) for h in hits] == [("event", dove.id), ("person", noted.id)]
    assert hits[1].plain_snippet("[", "]") == "Drafted § 4 of the readout [🕊] here"
    assert [h.id for h in empty_planner.search("🕊 §")] == [noted.id]
    assert empty_planner.search_total("🕊") == 2 and empty_planner.search_total("§ ♫") == 0
    assert empty_planner.search("--") == [] and empty_planner.search("  ") == []


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=40))
def test_search_never_raises(planner: Planner, text: str) -> None:
    planner.search(text)


def test_index_follows_every_change(empty_planner: Planner) -> None:
    event = empty_planner.save(
        Event(title="Budapest roundtable", start_date=date(2026, 1, 1), end_date=date(2026, 1, 1))
    )
    assert [h.id for h in empty_planner.search("budapest")] == [event.id]
    renamed = empty_planner.save(replace(event, title="Vienna roundtable"))
    assert empty_planner.search("budapest") == []
    assert [h.id for h in empty_planner.search("vienna")] == [event.id]
    empty_planner.delete(renamed)
    assert empty_planner.search("vienna") == []
    empty_planner.restore(renamed)
    assert [h.id for h in empty_planner.search("vienna")] == [event.id]
    person = empty_planner.save(Person(name="Ana Lima", bio="Works in Zürich"))
    assert [h.id for h in empty_planner.search("zurich")] == [person.id]


def test_search_migration_indexes_an_older_database(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    # A database as the first release left it: only m0001, with a record in it.
    conn = sqlite3.connect(path)
    from sqlite_utils import Database

    db = Database(conn)
    migrations.migrations.apply(db, stop_before="m0002_search")
    conn.execute(
        "insert into events (uid, created_at, updated_at, title, title_key, start_date, end_date)"
        " values ('u1', 'x', 'x', 'Kigali workshop', 'kigali workshop', '2026-01-01', '2026-01-01')"
    )
    conn.commit()
    conn.close()
    store = Store(path)
    assert store.schema_version() == migrations.known_names()[-1]
    assert list((tmp_path / "backups").glob("*.db"))
    planner = Planner(store)
    assert [h.title for h in planner.search("kigali")] == ["Kigali workshop"]
    assert store._conn.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_a_broad_search_skips_bm25_and_still_puts_titles_first(
    planner: Planner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past RANK_LIMIT matches, titles that match come first without ranking everything."""
    from tui.domain.planner import calendar as service

    ranked = [(h.kind, h.id) for h in planner.search("cities")]
    monkeypatch.setattr(service, "RANK_LIMIT", 2)
    broad = planner.search("cities")
    assert {(h.kind, h.id) for h in broad} == set(ranked)  # the same records, fewer than 60
    titled = [fold("cities") in fold(h.title) for h in broad]
    assert titled == sorted(titled, reverse=True)  # every title match before the rest


def test_hits_carry_dates_and_the_total_counts_every_match(planner: Planner) -> None:
    hits = planner.search("peace", limit=1000)
    retreat = next(h for h in hits if h.title == "Peace in Our Cities Strategy Retreat")
    assert (retreat.start_date, retreat.end_date, retreat.repeats) == (
        date(2026, 12, 1),
        date(2026, 12, 3),
        False,
    )
    call = next(h for h in hits if h.title == "Peace in Our Cities partners' call")
    assert call.repeats
    assert all(h.start_date is None for h in hits if h.kind in ("person", "organisation"))
    assert planner.search_total("peace") == len(hits) > len(planner.search("peace", limit=3))
    assert planner.search_total("") == 0 and planner.search_total('"') == 0


def test_an_event_opens_at_its_next_occurrence(planner: Planner) -> None:
    # TODAY is Wed 18 November 2026: the monthly call's next first Thursday is 3 December.
    call = next(e for e in planner.events() if e.title == "Peace in Our Cities partners' call")
    assert call.id is not None and call.repeat
    occurrence = planner.occurrence_to_open(call.id)
    assert occurrence.start_date == date(2026, 12, 3)
    ended = planner.save(replace(call, id=None, uid=None, repeat="FREQ=WEEKLY;COUNT=2"))
    assert ended.id is not None
    # A series that has ended: its last occurrence (3 and 10 September).
    assert call.start_date == date(2026, 9, 3)
    assert planner.occurrence_to_open(ended.id).start_date == date(2026, 9, 10)
    plain = planner.event(11)
    assert planner.occurrence_to_open(11).start_date == plain.start_date


def test_many_title_matches_of_one_kind_leave_room_for_the_others(planner: Planner) -> None:
    from tui.domain.models import Organisation

    for number in range(80):
        planner.save(Organisation(name=f"Quokka Centre {number}"))
    event = planner.event(1)
    planner.save(replace(event, location=f"{event.location}, Quokka Bay"))
    hits = planner.search("quokka", limit=20)
    kinds = {h.kind for h in hits}
    assert kinds == {"organisation", "event"} and len(hits) == 20
    in_title = ["quokka" in h.title.lower() for h in hits]
    assert in_title == sorted(in_title, reverse=True)


def test_a_broad_search_crowded_by_one_kind_still_shares_the_hits(
    planner: Planner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past RANK_LIMIT (no bm25), the other kinds' title matches are read on their own
    when one kind fills the first rows read."""
    from tui.domain.models import Organisation
    from tui.domain.planner import calendar as service

    for number in range(80):
        planner.save(Organisation(name=f"Quokka Centre {number}"))
    event = planner.event(1)
    planner.save(replace(event, title=f"{event.title} at Quokka Bay"))
    monkeypatch.setattr(service, "RANK_LIMIT", 2)
    hits = planner.search("quokk", limit=20)
    assert [h.kind for h in hits].count("event") == 1 and len(hits) == 20
    assert {h.kind for h in hits} == {"organisation", "event"}


def test_a_kind_is_told_by_the_rowid_as_by_its_column(planner: Planner) -> None:
    """store.search(kind=, other_than=) filter by the rowid's code (SEARCH_CODES): the
    same rows as the kind column gives, ranked ones in the order of their scores."""
    store = planner.store
    every = store.search('"c"*', 1000, ranked=False)
    kinds = {row["kind"] for row in every}
    assert {"event", "person", "organisation", "session"} <= kinds
    for kind in SEARCH_CODES:
        mine = [r for r in every if r["kind"] == kind]
        assert store.search('"c"*', 1000, ranked=False, kind=kind) == mine, kind
        others = [r for r in every if r["kind"] != kind]
        assert store.search('"c"*', 1000, ranked=False, other_than=[kind]) == others, kind
    ranked = store.search('"c"*', 1000, ranked=True, other_than=["person"])
    assert all(
        r["kind"] not in ("person", "event")
        for r in store.search('"c"*', 1000, ranked=False, other_than=("person", "event"))
    )
    assert ranked and all(row["kind"] != "person" for row in ranked)
    scores = [row["score"] for row in ranked]
    assert scores == sorted(scores)


@pytest.mark.parametrize("rank_limit", [2000, 2])
def test_two_kinds_crowding_a_search_leave_room_for_a_third(
    planner: Planner, monkeypatch: pytest.MonkeyPatch, rank_limit: int
) -> None:
    """Organisations crowd the first rows read, people the next: the one event that
    matches is still found (ranked, and past RANK_LIMIT, where titles are read first)."""
    from tui.domain.models import Organisation
    from tui.domain.planner import calendar as service

    for number in range(100):
        planner.save(Organisation(name=f"Quokka {number}"))
    for number in range(150):
        planner.save(Person(name=f"Quokka Person Longername {number}"))
    event = planner.event(1)
    planner.save(replace(event, title=f"{event.title} at Quokka Bay"))
    monkeypatch.setattr(service, "RANK_LIMIT", rank_limit)
    hits = planner.search("quokka")
    counts = {kind: [h.kind for h in hits].count(kind) for kind in ("organisation", "person")}
    assert [h.id for h in hits if h.kind == "event"] == [1]
    assert counts == {"organisation": 30, "person": 29} and len(hits) == 60
