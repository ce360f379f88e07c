"""The app's stylesheets parsed once and kept between runs (see tui.codecache for the
dataclass methods).

Textual parses every stylesheet at each start: app.tcss and the DEFAULT_CSS of each kind
of widget on the first screen, 25-30 ms of a start of 550 (issue 24). Parsed rules are
plain objects that pickle; here they are kept in the user's cache folder, keyed by
everything the parse depends on: the text, where it was read from, its kind of rules,
its scope, and the theme's variables (a theme's colours are substituted while parsing).
The file's name carries the Python's version, and the file starts with the sizes and
times of Textual's files whose objects it holds: another Textual, and the rest is not
read. A rule set with errors is never kept, so a bad stylesheet fails as it always did.

Read when the app is made; written by the command line after the app has closed, only
when this run parsed something it did not have (never by --demo), with what it held and
what another process wrote meanwhile (only this run's, past MAX_KEPT entries). Any
problem with the file means parsing as before. The file is the officer's own, as
__pycache__ is.
"""

from __future__ import annotations

import io
import pickle
import sys
from pathlib import Path
from typing import Any

import textual
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.css.types import CSSLocation

from tui.codecache import write_bytes

FILE = f"styles.{sys.implementation.cache_tag}.pickle"

MAX_KEPT = 400
"""Stylesheets kept at most: one theme's are about 25."""

TEXTUAL_FILES = ("__init__.py", "css/model.py", "css/styles.py", "css/scalar.py", "color.py")
"""Textual's files that define what a parsed rule is made of (textual.__version__ would
import importlib.metadata and the e-mail package: 8 ms)."""


def textual_stamp() -> list[tuple[str, int, int]]:
    """Each of TEXTUAL_FILES with its size and modification time: an upgrade (or a new
    copy) of Textual changes them."""
    folder = Path(textual.__file__).parent
    stamp = []
    for name in TEXTUAL_FILES:
        stat = (folder / name).stat()
        stamp.append((name, stat.st_size, stat.st_mtime_ns))
    return stamp


def read_kept(path: Path) -> dict[tuple[Any, ...], list[RuleSet]]:
    """The kept rules, or {} when the file is missing, not one of ours, or made with
    another Textual."""
    try:
        data = io.BytesIO(path.read_bytes())
        if pickle.load(data) != textual_stamp():
            return {}
        kept = pickle.load(data)
    except Exception:  # missing, damaged, from another version: parse as before
        return {}
    if not isinstance(kept, dict):
        return {}
    return {
        key: rules
        for key, rules in kept.items()
        if isinstance(key, tuple)
        and isinstance(rules, list)
        and all(isinstance(rule, RuleSet) for rule in rules)
    }


class KeptStylesheet(Stylesheet):
    """A Stylesheet whose parsed rules come from the cache file when it has them."""

    def __init__(self, *, variables: dict[str, str] | None = None, path: Path | None) -> None:
        super().__init__(variables=variables)
        self.kept_path = path
        self.kept = read_kept(path) if path is not None else {}
        self.used: dict[tuple[Any, ...], list[RuleSet]] = {}
        self.parsed = 0
        """Stylesheets this run parsed because the cache did not have them."""
        self._theme_key: str | None = None

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._theme_key = None

    def _parse_rules(
        self,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        if self._theme_key is None:
            # One string for every key: its hash is computed once (a tuple of the theme's
            # 168 variables was hashed again at each of the 200-odd look-ups of a start),
            # and it is pickled once, however many stylesheets there are.
            self._theme_key = repr(sorted(self._variables.items()))
        key = (css, read_from, is_default_rules, tie_breaker, scope, self._theme_key)
        rules = self.kept.get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            if any(rule.errors for rule in rules):
                return rules
            self.parsed += 1
        self.used[key] = rules
        return rules

    def save(self) -> None:
        """Write what this run used, when it had to parse anything since it last wrote."""
        parsed = self.parsed
        if self.kept_path is None or not parsed:
            return
        try:
            stamp = pickle.dumps(textual_stamp(), protocol=pickle.HIGHEST_PROTOCOL)
            kept = {**read_kept(self.kept_path), **self.kept, **self.used}
            if len(kept) > MAX_KEPT:
                kept = dict(self.used)
            rules = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a rule that does not pickle (a newer Textual): no cache
            return
        write_bytes(self.kept_path, stamp + rules)
        self.parsed -= parsed
