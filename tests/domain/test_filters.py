from __future__ import annotations

from datetime import date

import pytest

from tui.config import load_settings
from tui.domain.errors import InvalidInput
from tui.domain.filters import EventFilter
from tui.domain.planner import Planner

NOV_DEC = (date(2026, 11, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("event_filter", "titles"),
    [
        (EventFilter(kind="dinner"), {"Policy Dinner: Cities and Atrocity Prevention"}),
        (
            EventFilter(status="planned"),
            {
                "Roundtable on Subnational Diplomacy and Urban Violence – Zürich",
                "Municipal Offices of Violence Prevention Workshop – Nairobi",
            },
        ),
        (
            EventFilter(access="public"),
            {"Launch: Guiding Principles for Reducing Urban Violence – Webinar"},
        ),
        (
            EventFilter(partner="GI-TOC"),
            {"Roundtable on Subnational Diplomacy and Urban Violence – Zürich"},
        ),
        (
            EventFilter(partner="impact:peace"),
            {
                "Policy Dinner: Cities and Atrocity Prevention",
                "Municipal Offices of Violence Prevention Workshop – Nairobi",
            },
        ),
        (
            EventFilter(partner="Peace in Our Cities", kind="retreat"),
            {"Peace in Our Cities Strategy Retreat"},
        ),
        (
            EventFilter(program_area="mass violence and atrocities", kind="launch"),
            {"Launch: Guiding Principles for Reducing Urban Violence – Webinar"},
        ),
        (EventFilter(program_area="Climate Change"), set()),
    ],
)
def test_filters(planner: Planner, event_filter: EventFilter, titles: set[str]) -> None:
    found = {o.event.title for o in planner.occurrences_between(*NOV_DEC, event_filter)}
    assert found == titles


def test_empty_filter_keeps_everything(planner: Planner) -> None:
    assert planner.occurrences_between(*NOV_DEC, EventFilter()) == planner.occurrences_between(
        *NOV_DEC
    )


def test_chips_and_mapping() -> None:
    event_filter = EventFilter.from_mapping({"kind": "dinner", "partner": "GI-TOC"})
    assert event_filter.chips() == ["partner: GI-TOC", "kind: dinner"]
    assert event_filter.without("kind").as_mapping() == {"partner": "GI-TOC"}
    with pytest.raises(InvalidInput, match="'colour' is not a filter"):
        EventFilter.from_mapping({"colour": "red"})
    with pytest.raises(InvalidInput, match="filter kind 'party' is not one of"):
        EventFilter.from_mapping({"kind": "party"})


def test_filter_choices_come_from_the_data(planner: Planner) -> None:
    choices = planner.filter_choices()
    assert "Mass Violence and Atrocities" in choices["program_area"]
    assert "Impact:Peace" in choices["partner"]
    assert choices["kind"][0] == "workshop"


def test_default_view_in_config(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "config.toml"
    path.write_text('[filters]\nkind = "dinner"\nstatus = "maybe"\n')
    settings, warnings = load_settings(path)
    assert settings.filters == {"kind": "dinner"}  # the bad key alone falls back
    assert warnings == [
        f"{path}: key 'filters': filter status 'maybe' is not one of: planned, confirmed,"
        " held, postponed, cancelled; that key is left out, the rest of [filters] is read"
    ]
    path.write_text('[filters]\nkind = "dinner"\n')
    assert load_settings(path)[0].filters == {"kind": "dinner"}
