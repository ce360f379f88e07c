"""Markdown exports: golden files, CommonMark structure, and hostile text rendered as typed."""

from __future__ import annotations

import os
from datetime import date, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.conftest import TODAY
from tui.domain.dates import your_time
from tui.domain.exporters.markdown_text import inline, paragraphs, strip_controls
from tui.domain.models import Event, Person, Session, Speaker
from tui.domain.planner import Planner
from tui.domain.store import Store

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _event_id(planner: Planner, title: str) -> int:
    [event] = planner.store.by_key(Event, title)
    assert event.id is not None
    return event.id


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text(), (
        f"{name} differs (UPDATE_GOLDEN=1 rewrites it; read the diff first)"
    )


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("City Action for Peace Workshop – Washington, DC", "seed-workshop-agenda.md"),
        ("Cities and Mass Violence Roundtable", "seed-roundtable-agenda.md"),
        ("Policy Dinner: Cities and Atrocity Prevention", "sample-dinner-agenda.md"),
    ],
)
def test_event_agenda_golden(planner: Planner, title: str, name: str) -> None:
    _golden(name, planner.agenda_markdown(_event_id(planner, title)))


def test_briefing_book_golden(planner: Planner) -> None:
    event_id = _event_id(planner, "Policy Dinner: Cities and Atrocity Prevention")
    _golden(
        "sample-dinner-briefing-private.md",
        planner.briefing_markdown(event_id, include_private=True),
    )
    _golden("sample-dinner-briefing.md", planner.briefing_markdown(event_id))


def test_officer_agenda_golden(planner: Planner) -> None:
    _golden(
        "officer-agenda-30-days.md",
        planner.officer_agenda_markdown(date(2026, 11, 18), date(2026, 12, 18)),
    )


def test_exports_are_stable(planner: Planner) -> None:
    event_id = _event_id(planner, "Policy Dinner: Cities and Atrocity Prevention")
    assert planner.briefing_markdown(event_id) == planner.briefing_markdown(event_id)


def test_private_details_are_left_out_and_said_so(planner: Planner) -> None:
    event_id = _event_id(planner, "Policy Dinner: Cities and Atrocity Prevention")
    public = planner.briefing_markdown(event_id)
    private = planner.briefing_markdown(event_id, include_private=True)
    assert "left out of this export" in public and "--include-private" in public
    for secret in (
        "## Confirmed guests",
        "## Guests' needs",
        "Needs a visa letter",
        "Hannah Lindqvist",
        "Zainab Yusuf",
    ):
        assert secret not in public and secret in private
    assert "left out" not in private


def test_both_briefings_keep_the_anonymous_needs_counts(planner: Planner) -> None:
    """Issue 18: the public book of an invitation-only event keeps the counts, no names."""
    event_id = _event_id(planner, "Policy Dinner: Cities and Atrocity Prevention")
    public = planner.briefing_markdown(event_id)
    private = planner.briefing_markdown(event_id, include_private=True)
    counts = "| Dietary | Guests |\n|---|---|\n| halal | 1 |\n| pescatarian | 1 |"
    for text in (public, private):
        assert "## Needs summary" in text and counts in text
        assert "From accepted guests only: 9 guests and 2 plus-ones (11 in all)." in text


def test_the_private_briefing_says_who_needs_what(planner: Planner) -> None:
    event_id = _event_id(planner, "Policy Dinner: Cities and Atrocity Prevention")
    private = planner.briefing_markdown(event_id, include_private=True)
    needs = private.split("## Guests' needs", 1)[1].split("\n## ", 1)[0]
    assert "| Guest | Dietary | Access | Interpretation | Travel |" in needs
    assert "| Henrik Johansson | halal |   |   | Flight booked; hotel: Hotel Schweizerhof" in needs
    assert "| Hannah Lindqvist |   | hearing loop |" in needs
    assert "| Zainab Yusuf |   |   |   | Needs a visa letter |" in needs
    # Only confirmed guests, and only those with a need.
    assert "Amara Okonkwo" not in needs


def test_public_event_briefing_includes_guests_without_asking(planner: Planner) -> None:
    event_id = _event_id(
        planner, "Launch: Guiding Principles for Reducing Urban Violence – Webinar"
    )
    text = planner.briefing_markdown(event_id)
    assert "## Confirmed guests" in text and "## Needs summary" in text
    assert "## Guests' needs" not in text
    private = planner.briefing_markdown(event_id, include_private=True)
    assert "## Guests' needs" in private


def test_multi_day_event_appears_once_with_its_span(planner: Planner) -> None:
    text = planner.officer_agenda_markdown(date(2026, 11, 30), date(2026, 12, 5))
    assert text.count("Peace in Our Cities Strategy Retreat") == 1
    assert "Tue 1 – Thu 3 December 2026" in text


def test_empty_range(planner: Planner) -> None:
    assert planner.officer_agenda_markdown(date(1990, 1, 1), date(1990, 1, 31)).endswith(
        "No events in this period.\n"
    )


def _text_of(tokens: list[Token]) -> str:
    return "".join(t.content for t in tokens if t.type in ("text", "code_inline"))


def _assert_no_user_markup(markdown: str) -> list[Token]:
    tokens = PARSER.parse(markdown)
    for token in tokens:
        assert token.type not in ("html_block", "html_inline", "code_block", "fence", "hr")
        for child in token.children or []:
            assert child.type not in (
                "html_inline",
                "link_open",
                "image",
                "code_inline",
                "s_open",
                "em_open",
            )
    return tokens


HOSTILE = [
    "# Not a heading",
    "| broken | table |",
    "*stars* and _underscores_ and **bold**",
    "`code` and ``more``",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1)) and ![img](http://x/y.png)",
    "<http://example.com> and &amp; and &#65;",
    "line one\nline two",
    "1. not a list",
    "- not a bullet",
    "> not a quote",
    "Title #",
    "~~struck~~",
    "---",
    "===",
    "\x1b]0;X\x07 bell \u202e bidi",
    "back\\slash\\",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_titles_render_as_typed(empty_planner: Planner, title: str) -> None:
    event = empty_planner.save(
        Event(
            title=title,
            start_date=date(2026, 1, 1),
            end_date=date(2026, 1, 1),
            location=title,
            description=title,
            access="public",
        )
    )
    assert event.id is not None
    for markdown in (
        empty_planner.agenda_markdown(event.id),
        empty_planner.briefing_markdown(event.id),
        empty_planner.officer_agenda_markdown(date(2026, 1, 1), date(2026, 1, 1)),
    ):
        tokens = _assert_no_user_markup(markdown)
        assert "\x1b" not in markdown and "\u202e" not in markdown
        headings = [i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h1"]
        assert len(headings) == 1
    expected = " ".join(strip_controls(event.title).split())
    heading = PARSER.parse(empty_planner.agenda_markdown(event.id))[1]
    assert _text_of(heading.children or []) == expected


@pytest.mark.parametrize(
    ("summary", "description"),
    [("- dash item\n- another", None), (None, "* star item"), ("- one", "- two")],
)
def test_bullets_opening_a_summary_or_description_are_a_list_of_their_own(
    empty_planner: Planner, summary: str | None, description: str | None
) -> None:
    event = empty_planner.save(
        Event(
            title="Dinner",
            start_date=date(2026, 1, 1),
            end_date=date(2026, 1, 1),
            location="Bern",
            summary=summary,
            description=description,
            access="public",
        )
    )
    assert event.id is not None
    for markdown in (
        empty_planner.agenda_markdown(event.id),
        empty_planner.briefing_markdown(event.id),
    ):
        tokens = PARSER.parse(markdown)
        lists = [t for t in tokens if t.type == "bullet_list_open"]
        # The facts' list, then one list per text: none of their items joins another.
        assert len(lists) == 1 + sum(1 for text in (summary, description) if text)
        first = tokens.index(lists[0])
        end = next(i for i, t in enumerate(tokens) if i > first and t.type == "bullet_list_close")
        facts = [t for t in tokens[first:end] if t.type == "list_item_open"]
        assert len(facts) == markdown.count("\n- **")  # "- **When:** …" and the like


def test_sessions_table_survives_pipes_and_newlines(empty_planner: Planner) -> None:
    event = empty_planner.save(
        Event(title="T", start_date=date(2026, 1, 1), end_date=date(2026, 1, 1))
    )
    speaker = empty_planner.save(Person(name="A | B"))
    assert event.id and speaker.id
    session = empty_planner.save(
        Session(
            event_id=event.id,
            date=date(2026, 1, 1),
            title="x | y\nz",
            room="<b>",
            start_time=time(9),
        )
    )
    assert session.id
    empty_planner.set_speakers(session.id, [Speaker(speaker.id, "", "moderator")])
    tokens = _assert_no_user_markup(empty_planner.agenda_markdown(event.id))
    cells = [
        t for t in tokens if t.type == "inline" and tokens[tokens.index(t) - 1].type == "td_open"
    ]
    assert [_text_of(c.children or []) for c in cells] == [
        "09:00",
        "x | y z",
        "<b>",
        "A | B (moderator)",
    ]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=st.text(min_size=1, max_size=60), notes=st.text(max_size=200))
def test_random_text_keeps_the_structure(tmp_path: Path, title: str, notes: str) -> None:
    expected = " ".join(strip_controls(title).split())
    if not expected:
        return
    store = Store(":memory:")
    planner = Planner(store, today=lambda: date(2026, 1, 1))
    event = planner.save(
        Event(
            title=title,
            start_date=date(2026, 1, 1),
            end_date=date(2026, 1, 1),
            description=notes,
            location=notes,
            access="public",
        )
    )
    assert event.id
    markdown = planner.agenda_markdown(event.id)
    tokens = _assert_no_user_markup(markdown)
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1"]
    assert _text_of(tokens[1].children or []) == " ".join(strip_controls(event.title).split())
    store.close()


def test_inline_leaves_ordinary_text_readable() -> None:
    assert inline("Washington D.C., DC, USA") == "Washington D.C., DC, USA"
    assert inline("America/New_York") == "America/New_York"
    assert inline("Peace in Our Cities (PiOC)") == "Peace in Our Cities (PiOC)"
    assert paragraphs("One.\n\n- a\n- b\nAfter") == "One.\n\n- a\n- b\n\nAfter"


@pytest.fixture
def vienna_planner(store: Store) -> Planner:
    """The sample planner of an officer whose own zone is Vienna."""
    return Planner(store, today=lambda: TODAY, own_zone="Europe/Vienna")


def test_agenda_gives_times_in_the_officers_zone_too(vienna_planner: Planner) -> None:
    dinner = _event_id(vienna_planner, "Policy Dinner: Cities and Atrocity Prevention")
    text = vienna_planner.agenda_markdown(dinner)
    assert "- **When:** Tue 24 November 2026, 19:00–21:30 (America/New_York)\n" in text
    assert "- **Your time:** Wed 25 Nov 01:00–03:30 (Europe/Vienna)\n" in text
    briefing = vienna_planner.briefing_markdown(dinner)
    assert "- **Your time:** Wed 25 Nov 01:00–03:30 (Europe/Vienna)\n" in briefing


def test_sessions_get_a_column_of_the_officers_times(vienna_planner: Planner) -> None:
    retreat = _event_id(vienna_planner, "Peace in Our Cities Strategy Retreat")
    for text in (
        vienna_planner.agenda_markdown(retreat),
        vienna_planner.briefing_markdown(retreat),
    ):
        assert "| Time (America/New_York) | Your time (Europe/Vienna) | Session |" in text
        assert "| 09:00–10:30 | 15:00–16:30 | Where the network stands |" in text
        _check_commonmark_table_columns(text)


def _check_commonmark_table_columns(text: str) -> None:
    for line in text.splitlines():
        if line.startswith("| Time ("):
            assert line.count(" | ") == 4


def test_officer_agenda_gives_the_officers_times_too(vienna_planner: Planner) -> None:
    text = vienna_planner.officer_agenda_markdown(date(2026, 11, 18), date(2026, 12, 18))
    assert (
        "19:00–21:30 (America/New_York), your time Wed 25 Nov 01:00–03:30 (Europe/Vienna)" in text
    )


def test_no_second_time_where_the_zone_reads_the_same(store: Store) -> None:
    new_york = Planner(store, today=lambda: TODAY, own_zone="America/New_York")
    dinner = _event_id(new_york, "Policy Dinner: Cities and Atrocity Prevention")
    assert "Your time" not in new_york.agenda_markdown(dinner)
    assert "your time" not in new_york.officer_agenda_markdown(
        date(2026, 11, 18), date(2026, 11, 30)
    )


@pytest.mark.parametrize(
    ("event_zone", "own_zone", "expected"),
    [
        ("America/New_York", "Europe/Vienna", "Wed 25 Nov 01:00–03:30 (Europe/Vienna)"),
        ("Europe/London", "Europe/Vienna", "20:00–22:30 (Europe/Vienna)"),
        ("Europe/Berlin", "Europe/Vienna", None),  # another name, the same clock
        ("Europe/Vienna", "Europe/Vienna", None),
        (None, "Europe/Vienna", None),  # no zone: local wherever it is
        ("America/New_York", None, None),
    ],
)
def test_your_time(event_zone: str | None, own_zone: str | None, expected: str | None) -> None:
    found = your_time(date(2026, 11, 24), time(19), time(21, 30), event_zone, own_zone)
    assert found == expected


def test_the_needs_summary_counts_one_guest_and_one_plus_one_in_the_singular() -> None:
    from tui.domain.exporters.markdown import _needs_section
    from tui.domain.guests import NeedsSummary

    text = "\n".join(_needs_section(NeedsSummary(1, 1, {}, {}, {})))
    assert "From accepted guests only: 1 guest and 1 plus-one (2 in all)." in text
    text = "\n".join(_needs_section(NeedsSummary(3, 2, {}, {}, {})))
    assert "3 guests and 2 plus-ones (5 in all)." in text


def test_your_time_says_when_the_end_is_the_next_day() -> None:
    from tui.domain.dates import your_time

    found = your_time(date(2027, 6, 9), time(16), time(18, 30), "America/New_York", "Europe/Vienna")
    assert found == "22:00–00:30 next day (Europe/Vienna)"
    same = your_time(date(2027, 6, 9), time(10), time(12), "America/New_York", "Europe/Vienna")
    assert same == "16:00–18:00 (Europe/Vienna)"


def test_an_event_that_runs_through_several_days_reads_as_one_span(planner: Planner) -> None:
    """14:00 to 13:00 over three days is from Monday 14:00 to Wednesday 13:00: it read
    "Mon 14 – Wed 16 December 2026, 14:00–13:00" and, your time, "15:00–14:00 next day"."""
    event = planner.save(
        Event(
            title="Strategy retreat",
            start_date=date(2026, 12, 14),
            end_date=date(2026, 12, 16),
            start_time=time(14),
            end_time=time(13),
            timezone="Europe/London",
        )
    )
    planner.own_zone = "Europe/Vienna"
    text = planner.agenda_markdown(event.id or 0)
    assert (
        "**When:** Mon 14 December 2026, 14:00 – Wed 16 December, 13:00 (Europe/London)" in text
    ), text
    assert "Mon 14 Dec 15:00–Wed 16 Dec 14:00 (Europe/Vienna)" in text
    agenda = planner.officer_agenda_markdown(date(2026, 12, 1), date(2026, 12, 31))
    line = next(line for line in agenda.splitlines() if "Strategy retreat" in line)
    assert "Mon 14 December 2026, 14:00 – Wed 16 December, 13:00 (Europe/London)" in line
    assert "14:00–13:00" not in line


@pytest.mark.parametrize(
    ("start", "end", "times", "said"),
    [
        ((2026, 12, 8), (2026, 12, 8), (14, 16), "Tue 8 December 2026, 14:00–16:00"),
        ((2026, 12, 1), (2026, 12, 3), (9, 16), "Tue 1 – Thu 3 December 2026, 09:00–16:00"),
        ((2026, 12, 8), (2026, 12, 9), (20, 1), "Tue 8 December 2026, 20:00–01:00 next day"),
        (
            (2026, 12, 31),
            (2027, 1, 2),
            (14, 13),
            "Thu 31 December 2026, 14:00 – Sat 2 January 2027, 13:00",
        ),
    ],
)
def test_when_words(
    start: tuple[int, int, int], end: tuple[int, int, int], times: tuple[int, int], said: str
) -> None:
    from tui.domain.dates import when_words

    assert when_words(date(*start), date(*end), time(times[0]), time(times[1])) == said
