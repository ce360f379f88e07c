"""tui.domain.patterns: a regular expression compiled on first use answers as re's does."""

from __future__ import annotations

import re

from tui.domain.patterns import LazyPattern


def test_a_lazy_pattern_compiles_once_when_first_used_and_answers_as_re() -> None:
    lazy = LazyPattern(r"(?P<n>\d+)\s*(days?)", re.IGNORECASE)
    assert lazy._compiled is None  # nothing compiled at import
    plain = re.compile(r"(?P<n>\d+)\s*(days?)", re.IGNORECASE)
    text = "in 3 Days, or 12 days"
    found = lazy.search(text)
    assert found is not None and found["n"] == "3"
    compiled = lazy.compiled
    assert compiled is plain or compiled.pattern == plain.pattern
    assert lazy.compiled is compiled  # once
    assert lazy.findall(text) == plain.findall(text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert lazy.match("3 days") is not None and lazy.match("x") is None
    assert lazy.fullmatch("3 days, x") is None
    assert lazy.split(text) == plain.split(text)
    assert lazy.sub("N", text) == plain.sub("N", text)
