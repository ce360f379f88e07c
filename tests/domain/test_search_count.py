"""Counting search matches up to a cap: what the search screen's status line says."""

from __future__ import annotations

from tui.domain.planner import Planner


def test_the_count_stops_at_the_cap_and_agrees_below_it(planner: Planner) -> None:
    total = planner.search_total("a")
    assert total > 3
    assert planner.search_total_upto("a", 3) == 3
    assert planner.search_total_upto("a", total + 10) == total
    assert planner.search_total_upto("   ", 3) == 0  # no words: no query
