from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tui.domain.dates import (
    add_months,
    format_moment,
    format_span,
    parse_date,
    parse_date_range,
    parse_month,
    parse_time,
)
from tui.domain.errors import InvalidInput

REF = date(2026, 11, 18)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-06-12", date(2024, 6, 12)),
        ("June 12, 2024", date(2024, 6, 12)),
        ("June 12 2024", date(2024, 6, 12)),
        ("Jun 12, 2024", date(2024, 6, 12)),
        ("12 Jun 2024", date(2024, 6, 12)),
        ("12 June 2024", date(2024, 6, 12)),
        ("Sept 3, 2025", date(2025, 9, 3)),
        ("12/06/2024", date(2024, 6, 12)),
        ("12.06.2024", date(2024, 6, 12)),
        ("  June\u00a012,  2024 ", date(2024, 6, 12)),
        ("today", REF),
        ("tomorrow", date(2026, 11, 19)),
        ("June 12", date(2026, 6, 12)),
    ],
)
def test_parse_date_accepts_the_forms_officers_write(text: str, expected: date) -> None:
    assert parse_date(text, today=REF) == expected


def test_parse_date_month_first_order() -> None:
    assert parse_date("12/06/2024", day_first=False) == date(2024, 12, 6)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Feb 30, 2024",
        "2024-13-01",
        "next blue moon",
        "12/13/2024",
        "February 4-6, 2020",
        "32 Jan 2024",
    ],
)
def test_parse_date_refuses_what_is_not_one_date(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_date(text, today=REF)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("February 4-6, 2020", date(2020, 2, 4), date(2020, 2, 6)),
        ("Feb 4-6, 2020", date(2020, 2, 4), date(2020, 2, 6)),
        ("February 4–6, 2020", date(2020, 2, 4), date(2020, 2, 6)),
        ("October 30-November 1, 2019", date(2019, 10, 30), date(2019, 11, 1)),
        ("December 30, 2019-January 2, 2020", date(2019, 12, 30), date(2020, 1, 2)),
        ("June 12, 2024", date(2024, 6, 12), date(2024, 6, 12)),
        ("2024-06-12/2024-06-14", date(2024, 6, 12), date(2024, 6, 14)),
    ],
)
def test_parse_date_range(text: str, start: date, end: date) -> None:
    assert parse_date_range(text) == (start, end)


def test_range_is_not_misread_as_a_time() -> None:
    # dateutil's fuzzy parser reads this as 2006-02-04 20:20 (STYLE §11).
    assert parse_date_range("February 4-6, 2020")[0].year == 2020


def test_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidInput, match="ends before"):
        parse_date_range("February 6-4, 2020")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:30", time(9, 30)),
        ("14:00", time(14)),
        ("2pm", time(14)),
        ("2:30 p.m.", time(14, 30)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("noon", time(12)),
        ("9.30", time(9, 30)),
        ("19:00:00", time(19)),
        ("08:15:30", time(8, 15)),
    ],
)
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text", ["25:00", "9", "13pm", "9:75", "soon", "", "19:00:75", "19:00:", "19:00:00:00"]
)
def test_parse_time_refuses_bad_times(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_time(text)


def test_parse_month() -> None:
    assert parse_month("June 2024") == "2024-06"
    assert parse_month("2024-6") == "2024-06"
    with pytest.raises(InvalidInput):
        parse_month("Spring 2024")


def test_format_span_and_add_months() -> None:
    assert format_span(date(2024, 6, 12), date(2024, 6, 12)) == "Wed 12 June 2024"
    assert format_span(date(2020, 2, 4), date(2020, 2, 6)) == "Tue 4 – Thu 6 February 2020"
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)
    assert add_months(date(2024, 1, 15), -1) == date(2023, 12, 15)


@pytest.mark.parametrize("name", ["Europe", "Europe/", "America", "../etc/passwd", "Nowhere/City"])
def test_zone_names_that_are_folders_or_nonsense_are_refused(name: str) -> None:
    from tui.domain import validate
    from tui.domain.errors import InvalidInput

    with pytest.raises(InvalidInput):
        validate.timezone_value(name)


@pytest.mark.parametrize(
    ("text", "day_first", "said"),
    [
        ("12/06/2024", True, "read as 12 June 2024 (day-first; change date_order in config)"),
        ("12/06/2024", False, "read as 6 December 2024 (month-first; change date_order in config)"),
        ("12.06.2024", True, "read as 12 June 2024 (day-first; change date_order in config)"),
        ("13/06/2024", True, None),  # reads one way only
        ("06/06/2024", True, None),  # the same either way
        ("June 12, 2024", True, None),
        ("2024-06-12", True, None),
        ("31/02/2024", True, None),  # not a date at all: the check says so, not the hint
        ("", True, None),
    ],
)
def test_an_ambiguous_date_says_how_it_was_read(
    text: str, day_first: bool, said: str | None
) -> None:
    from tui.domain.dates import ambiguous_reading

    assert ambiguous_reading(text, day_first=day_first) == said


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # REF is Wednesday 18 November 2026.
        ("next monday", date(2026, 11, 23)),
        ("Next Mon", date(2026, 11, 23)),
        ("next wednesday", date(2026, 11, 25)),
        ("wednesday", REF),
        ("friday", date(2026, 11, 20)),
        ("this friday", date(2026, 11, 20)),
        ("last friday", date(2026, 11, 13)),
        ("last wednesday", date(2026, 11, 11)),
        ("+2w", date(2026, 12, 2)),
        ("-3d", date(2026, 11, 15)),
        ("+ 10 d", date(2026, 11, 28)),
        ("+1m", date(2026, 12, 18)),
        ("-1y", date(2025, 11, 18)),
        ("in 3 days", date(2026, 11, 21)),
        ("2 weeks ago", date(2026, 11, 4)),
        ("next month", date(2026, 12, 18)),
        ("last week", date(2026, 11, 11)),
        ("tomorrow", date(2026, 11, 19)),
        ("yesterday", date(2026, 11, 17)),
    ],
)
def test_parse_date_accepts_relative_dates_from_the_injected_today(
    text: str, expected: date
) -> None:
    assert parse_date(text, today=REF) == expected
    assert parse_date_range(text, today=REF) == (expected, expected)


@pytest.mark.parametrize("text", ["next", "+2", "+2x", "next fortnight", "-99999d", "+9999y"])
def test_parse_date_refuses_near_misses_of_relative_dates_in_one_line(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_date(text, today=REF)
    assert len(str(caught.value)) < 200
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("+99999d", "'+99999d' is outside the years 1900-2200"),
        ("in 99999 days", "'in 99999 days' is outside the years 1900-2200"),
        ("99999 weeks ago", "'99999 weeks ago' is outside the years 1900-2200"),
        ("+999999999w", "'+999999999w' is beyond the calendar"),
    ],
)
def test_a_far_relative_date_is_said_to_be_out_of_range_not_unreadable(
    text: str, said: str
) -> None:
    """Five digits or more were not read as a relative date at all: `+99999d` was "not a
    date (try ...)" while 9999-12-31 was "outside the years" (walkthrough)."""
    with pytest.raises(InvalidInput) as caught:
        parse_date(text, today=REF)
    assert str(caught.value) == said


ZURICH = ZoneInfo("Europe/Zurich")


@pytest.mark.parametrize(
    ("moment", "zone", "short", "expected"),
    [
        (
            datetime(2026, 12, 22, 9, 30, tzinfo=ZURICH),
            "Europe/Zurich",
            False,
            "Tue 22 Dec 2026 09:30 (Europe/Zurich)",
        ),
        (
            datetime(2026, 12, 22, 8, 30, tzinfo=UTC),
            "Europe/Zurich",
            False,
            "Tue 22 Dec 2026 09:30 (Europe/Zurich)",
        ),
        (
            datetime(2026, 12, 22, 9, 30, tzinfo=ZURICH),
            None,
            False,
            "Tue 22 Dec 2026 09:30 (Europe/Zurich)",
        ),
        (
            datetime(2026, 12, 22, 9, 30, tzinfo=ZURICH),
            "No/Such_Zone",
            False,
            "Tue 22 Dec 2026 09:30 (Europe/Zurich)",
        ),
        (datetime(2026, 12, 22, 9, 30), "Europe/Zurich", False, "Tue 22 Dec 2026 09:30"),
        (date(2026, 12, 22), "Europe/Zurich", False, "Tue 22 Dec 2026"),
        (datetime(2026, 12, 4, 14, 10, tzinfo=UTC), "Europe/Zurich", True, "4 Dec 15:10"),
    ],
)
def test_format_moment_says_a_date_time_for_people(
    moment: datetime | date, zone: str | None, short: bool, expected: str
) -> None:
    assert format_moment(moment, zone, short=short) == expected


@pytest.mark.parametrize(
    ("text", "day_first", "order"),
    [("12/15/2026", True, "day-first"), ("15/12/2026", False, "month-first")],
)
def test_a_date_in_the_other_order_says_which_order_is_read(
    text: str, day_first: bool, order: str
) -> None:
    # It said only "is not a date on the calendar", with no word of date_order.
    with pytest.raises(InvalidInput) as refused:
        parse_date(text, day_first=day_first)
    assert f"has no month 15: dates are read {order} here (date_order in config)" in str(
        refused.value
    )


def test_words_count_from_the_day_given_while_counting_from_it() -> None:
    from tui.domain.dates import counting_from, parse_date, reference_day

    day = date(2031, 3, 14)  # a Friday
    with counting_from(lambda: day):
        assert reference_day() == day
        assert parse_date("tomorrow") == date(2031, 3, 15)
        assert parse_date("monday") == date(2031, 3, 17)
        assert parse_date("20 March") == date(2031, 3, 20)
        with counting_from(lambda: date(2040, 1, 1)):
            assert parse_date("today") == date(2040, 1, 1)
        assert parse_date("today") == day
    assert parse_date("today", today=date(2030, 1, 2)) == date(2030, 1, 2)
