"""The app's stylesheets parsed once and kept between runs, with the styles they gave the
first screen's widgets (see tui.codecache for the dataclass methods).

Textual parses every stylesheet at each start: app.tcss and the DEFAULT_CSS of each kind
of widget on the first screen, 25-30 ms of a start of 550 (issue 24). Parsed rules are
plain objects that pickle; here they are kept in the user's cache folder, keyed by
everything the parse depends on: the text, where it was read from, its kind of rules,
its scope, and the theme's variables (a theme's colours are substituted while parsing).
The file's name carries the Python's version, and the file starts with the sizes and
times of Textual's files whose objects it holds: another Textual, and the rest is not
read. A rule set with errors is never kept, so a bad stylesheet fails as it always did.

Applying the rules to a widget (matching each rule's selectors against the widget and its
ancestors, then the most specific value of each style) was another 12 ms of a start: 45
widgets and 50-odd component styles, each worked out again at every start although they
come out the same. What a widget gets depends only on the rules (the stylesheets, in
order, and the theme) and, for the widget and each ancestor, its kind, id, classes and
whichever pseudo-classes (focus, hover...) those rules name; keyed by exactly that, the
answer is kept in memory for the session and, for the widgets of the start, in the file.

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
import zlib
from pathlib import Path
from typing import Any, cast

import textual
from textual.css._style_properties import ScrollbarColorProperty
from textual.css.model import RuleSet
from textual.css.styles import RulesMap, Styles
from textual.css.stylesheet import Stylesheet
from textual.css.types import CSSLocation
from textual.dom import DOMNode, NoScreen
from textual.widget import Widget

from tui.codecache import write_bytes

FILE = f"styles.{sys.implementation.cache_tag}.pickle"

MAX_KEPT = 400
"""Stylesheets kept at most: one theme's are about 25."""

MAX_APPLIED = 4000
"""Widgets' applied styles held in memory at most (a session's hovers and focus changes
make new ones); past it they are forgotten and worked out again."""

ORDER_PSEUDO_CLASSES = frozenset(
    {"first-of-type", "last-of-type", "first-child", "last-child", "empty"}
)
"""Pseudo-classes by a node's place among its siblings (as Textual's apply lists them)."""

SCROLLBAR_COLORS = frozenset(
    name
    for kind in Styles.__mro__
    for name, value in vars(kind).items()
    if isinstance(value, ScrollbarColorProperty)
)
"""The styles whose setter repaints the node's scroll bars."""

APPLIED_FORMAT = 1
"""What the file's applied styles are (see as_set): another number, and they are not read."""

AppliedKey = tuple[Any, ...]
"""The rules' fingerprint and, for each node from the App down, what selects it."""

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


def read_kept(
    path: Path,
) -> tuple[dict[tuple[Any, ...], list[RuleSet]], dict[AppliedKey, RulesMap | None]]:
    """The kept rules and applied styles, or {} when the file is missing, not one of ours,
    or made with another Textual (applied styles: {} in a file kept before them)."""
    try:
        data = io.BytesIO(path.read_bytes())
        if pickle.load(data) != textual_stamp():
            return {}, {}
        kept = pickle.load(data)
    except Exception:  # missing, damaged, from another version: parse as before
        return {}, {}
    if not isinstance(kept, dict):
        return {}, {}
    rules = {
        key: rules
        for key, rules in kept.items()
        if isinstance(key, tuple)
        and isinstance(rules, list)
        and all(isinstance(rule, RuleSet) for rule in rules)
    }
    try:
        version, applied = pickle.load(data)
    except Exception:  # none kept (an older file), or damaged: worked out as before
        return rules, {}
    if version != APPLIED_FORMAT or not isinstance(applied, dict):
        return rules, {}
    return rules, {
        key: cast("RulesMap | None", styles)
        for key, styles in applied.items()
        if isinstance(key, tuple) and (styles is None or isinstance(styles, dict))
    }


def as_set(rules: RulesMap) -> RulesMap:
    """`rules` as the styles' setters store them (a stylesheet's 50% becomes 50% of the
    width or the height, its "bold" a Style): what a node given `rules` ends up with."""
    styles = Styles()
    for key, value in rules.items():
        if value is not None:
            setattr(styles, key, value)
    return cast(RulesMap, dict(styles._rules))


class KeptStylesheet(Stylesheet):
    """A Stylesheet whose parsed rules come from the cache file when it has them."""

    def __init__(self, *, variables: dict[str, str] | None = None, path: Path | None) -> None:
        super().__init__(variables=variables)
        self.kept_path = path
        self.kept, kept_applied = read_kept(path) if path is not None else ({}, {})
        self.used: dict[tuple[Any, ...], list[RuleSet]] = {}
        self.parsed = 0
        """Stylesheets this run parsed because the cache did not have them."""
        self._theme_key: str | None = None
        self.applied: dict[AppliedKey, RulesMap | None] = dict(kept_applied)
        """Each node's applied styles by what they depend on (None: no rule applies)."""
        self.applied_at_start: dict[AppliedKey, RulesMap | None] | None = {}
        """The styles applied while the app starts (until it first saves): kept in the file."""
        self.worked_out = 0
        """Applied styles the start worked out because neither memory nor file had them."""
        self._kept_applied = kept_applied
        self._fingerprinted: list[RuleSet] | None = None
        self._fingerprint = ""
        self._source_sums: dict[tuple[CSSLocation, str], tuple[int, int]] = {}
        self._type_parts: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._capturing: DOMNode | None = None
        self._captured: RulesMap | None = None

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._theme_key = None
        self._fingerprinted = None

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

    def _rules_fingerprint(self) -> str:
        """What the rules are made from: each stylesheet in order (where from, its kind of
        rules, its text's checksums) and the theme, as a short string."""
        rules = self.rules
        if rules is not self._fingerprinted:
            sums = self._source_sums
            parts: list[Any] = [self._theme_key or repr(sorted(self._variables.items()))]
            for read_from, (css, is_default, tie_breaker, scope) in self.source.items():
                found = sums.get((read_from, css))
                if found is None:
                    text = css.encode()
                    found = sums[(read_from, css)] = (len(text), zlib.crc32(text))
                parts.append((read_from, is_default, tie_breaker, scope, found))
            said = repr(parts).encode()
            self._fingerprint = f"{len(said)}:{zlib.crc32(said):08x}{zlib.adler32(said):08x}"
            self._fingerprinted = rules
        return self._fingerprint

    def _node_key(self, node: DOMNode, pseudo_classes: tuple[str, ...]) -> tuple[Any, ...]:
        """What selects `node` for the rules naming `pseudo_classes`."""
        kind = self._type_parts.get(type(node))
        if kind is None:
            kind = (tuple(sorted(node._css_type_names)), tuple(sorted(node._css_types)))
            self._type_parts[type(node)] = kind
        has = node.has_pseudo_class
        return (
            kind,
            node._id,
            tuple(sorted(node._classes)),
            tuple(name for name in pseudo_classes if has(name)),
        )

    def apply(
        self,
        node: DOMNode,
        *,
        animate: bool = False,
        cache: dict[tuple[Any, ...], RulesMap] | None = None,
    ) -> None:
        """Apply the stylesheet to `node` as Textual does, the matching done once for all
        nodes selected alike (see the module's note)."""
        rules_map = self.rules_map
        fingerprint = self._rules_fingerprint()
        candidates = {
            rule for name in rules_map.keys() & node._selector_names for rule in rules_map[name]
        }
        pseudo: set[str] = set().union(*[rule.pseudo_classes for rule in candidates])
        # As Textual's apply sets them.
        node._has_hover_style = "hover" in pseudo
        node._has_focus_within = "focus-within" in pseudo
        node._has_order_style = not pseudo.isdisjoint(ORDER_PSEUDO_CLASSES)
        node._has_odd_or_even = "odd" in pseudo or "even" in pseudo
        named = tuple(sorted(pseudo))
        key = (fingerprint, tuple(self._node_key(part, named) for part in node.css_path_nodes))
        applied = self.applied
        if key in applied:
            styles = applied[key]
            if styles is not None:
                self._give(node, styles, animate)
            self._process_component_classes(node)
        else:
            # Textual works it out and applies it; the styles it gave the node are kept
            # (None: no rule applied, and it left the node's styles as they were).
            # (Nested: the node's component styles are worked out within.)
            outer = self._capturing, self._captured
            self._capturing, self._captured = node, None
            try:
                super().apply(node, animate=animate, cache=cache)
                styles = None if self._captured is None else as_set(self._captured)
            finally:
                self._capturing, self._captured = outer
            if len(applied) >= MAX_APPLIED:
                applied.clear()
            applied[key] = styles
            if self.applied_at_start is not None:
                self.worked_out += 1
        if self.applied_at_start is not None:
            self.applied_at_start[key] = styles

    def replace_rules(  # type: ignore[override]
        self, node: DOMNode, rules: RulesMap, animate: bool = False
    ) -> None:
        """Textual's, noting the styles given to the node being worked out (see apply)."""
        if node is self._capturing and self._captured is None:
            self._captured = rules
        Stylesheet.replace_rules(node, rules, animate=animate)

    @staticmethod
    def _give(node: DOMNode, styles: RulesMap, animate: bool) -> None:
        """Give `node` its styles (as their setters store them, see as_set).

        A node not mounted yet and without styles (each widget of a new screen, each of
        their component styles) takes them in one step: Textual sets them one by one
        through each style's setter, whose refreshes do nothing before the node is
        mounted (4 ms of a start). The setters' other effects are made as they make them."""
        base = node.styles.base
        if base._rules == styles:
            # The same again (a focus change applies every pane's styles again): each
            # setter would find its value unchanged and do nothing.
            node.notify_style_update()
            return
        if animate or node._is_mounted or base._rules:
            Stylesheet.replace_rules(node, styles, animate=animate)
            return
        base._rules.update(styles)
        base._updates += 1
        if "display" in styles and node.parent:
            node._nodes.updated()
        if isinstance(node, Widget):
            if "overflow_x" in styles or "overflow_y" in styles:
                node._refresh_scrollbars()
            if not SCROLLBAR_COLORS.isdisjoint(styles):
                if node.show_horizontal_scrollbar:
                    node.horizontal_scrollbar.refresh()
                if node.show_vertical_scrollbar:
                    node.vertical_scrollbar.refresh()
        if "pointer" in styles:
            try:
                node.screen.update_pointer_shape()
            except NoScreen:
                pass
        node.notify_style_update()

    def save(self) -> None:
        """Write what this run used, when it had to parse or work out anything since it
        last wrote; the applied styles kept are the start's (the first save ends it)."""
        parsed, worked_out = self.parsed, self.worked_out
        if self.applied_at_start is not None:
            if worked_out:
                self._kept_applied = self.applied_at_start
            self.applied_at_start = None
        if self.kept_path is None or not (parsed or worked_out):
            return
        try:
            stamp = pickle.dumps(textual_stamp(), protocol=pickle.HIGHEST_PROTOCOL)
            kept = {**read_kept(self.kept_path)[0], **self.kept, **self.used}
            if len(kept) > MAX_KEPT:
                kept = dict(self.used)
            rules = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
            applied = pickle.dumps(
                (APPLIED_FORMAT, self._kept_applied), protocol=pickle.HIGHEST_PROTOCOL
            )
        except Exception:  # a rule that does not pickle (a newer Textual): no cache
            return
        write_bytes(self.kept_path, stamp + rules + applied)
        self.parsed -= parsed
        self.worked_out -= worked_out
