"""Repeat rules said in words for people; the rule itself for what the words cannot say."""

from __future__ import annotations

from datetime import date

import pytest

from tui.domain.planner import Planner
from tui.domain.repeat_words import describe_repeat

THURSDAY = date(2027, 1, 7)


@pytest.mark.parametrize(
    ("rule", "said"),
    [
        ("FREQ=MONTHLY;BYDAY=1TH", "monthly on the first Thursday"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "monthly on the last Friday"),
        ("FREQ=MONTHLY;BYDAY=TU", "monthly on every Tuesday"),
        ("FREQ=MONTHLY", "monthly on the 7th"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "monthly on the 1st and 15th"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "monthly on the last day"),
        ("FREQ=WEEKLY;BYDAY=TU", "weekly on Tuesday"),
        ("FREQ=WEEKLY;COUNT=4", "weekly on Thursday, 4 times"),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE,MO;COUNT=6",
            "every 2 weeks on Monday and Wednesday, 6 times",
        ),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "daily on weekdays"),
        ("FREQ=DAILY;INTERVAL=3;COUNT=1", "every 3 days, once"),
        ("FREQ=DAILY;UNTIL=20270130", "daily until 30 Jan 2027"),
        (
            "RRULE:FREQ=DAILY;UNTIL=20270130\nEXDATE:20270112",
            "daily until 30 Jan 2027, except 12 Jan",
        ),
        (
            "RRULE:FREQ=MONTHLY;BYDAY=1TH\nEXDATE:20270204,20280106",
            "monthly on the first Thursday, except 4 Feb 2027 and 6 Jan 2028",
        ),
        ("FREQ=YEARLY", "yearly on 7 January"),
        ("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=12", "yearly on 12 June"),
        # What the words cannot say exactly: the rule, on one line.
        (
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        ),
        ("RRULE:FREQ=WEEKLY\nRDATE:20270301", "RRULE:FREQ=WEEKLY RDATE:20270301"),
        ("FREQ=MONTHLY;BYDAY=6TH", "FREQ=MONTHLY;BYDAY=6TH"),
        ("FREQ=WEEKLY;BYDAY=XX", "FREQ=WEEKLY;BYDAY=XX"),
        ("garbage", "garbage"),
    ],
)
def test_a_rule_in_words(rule: str, said: str) -> None:
    assert describe_repeat(rule, THURSDAY) == said


def test_the_markdown_agenda_says_the_rule_in_words(planner: Planner) -> None:
    text = planner.agenda_markdown(14)  # the partners' call: FREQ=MONTHLY;BYDAY=1TH
    assert "- **Repeats:** monthly on the first Thursday" in text
    assert "FREQ=" not in text


def test_files_for_machines_keep_the_rule(planner: Planner) -> None:
    from tui.domain.record_toml import to_document

    assert 'repeat = "FREQ=MONTHLY;BYDAY=1TH"' in to_document(planner, planner.event(14))
