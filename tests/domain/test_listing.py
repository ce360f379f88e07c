"""The people, organisations and publications lists: the typed filter."""

from __future__ import annotations

import pytest

from tui.domain.listing import list_query, list_rows
from tui.domain.planner import Planner


def _names(planner: Planner, text: str) -> list[str]:
    query = list_query(planner, "person", text)
    return [row.cells[0] for row in list_rows(planner, query, 0, 50)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GI-TOC", ["Hannah Lindqvist", "Ibrahim Diallo"]),
        ("Global Initiative", ["Hannah Lindqvist", "Ibrahim Diallo"]),
        ("igarap", ["Beatriz Lima", "Sofía Restrepo", "Tomás Herrera"]),
        ("gi-toc lind", ["Hannah Lindqvist"]),  # a word on the person, one on her organisation
    ],
)
def test_the_people_filter_matches_the_organisation_column(
    planner: Planner, text: str, expected: list[str]
) -> None:
    assert sorted(_names(planner, text)) == expected


def test_the_people_filter_still_ranks_their_own_text_first(planner: Planner) -> None:
    assert _names(planner, "hannah") == ["Hannah Lindqvist"]
    assert _names(planner, "gi-toc nobodyatall") == []
