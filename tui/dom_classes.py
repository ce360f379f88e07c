"""Textual's widget classes made without walking every attribute of their bases (issue 24).

Making a widget class, Textual (DOMNode.__init_subclass__) finds its reactives by looking
at every attribute of every class it derives from (Widget alone holds some 400) and its
compute methods by listing dir() of the class: a few tenths of a millisecond per class,
for the 40-odd classes Textual makes as it loads and the 25 of the first screen. Here each
class's own reactives, compute methods and bindings are found once, when a class first
derives from it, and a new class merges its bases' in the same order: the same answers
(tests compare them with Textual's own for every class the app makes).

Installed by the command line just before it imports the app (tui.cli.main), only on the
Textual this was written for (the names its two methods use are checked first): on any
other, Textual's own methods stay.
"""

from __future__ import annotations

from types import CodeType
from typing import Any

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.reactive import Reactive

TEXTUAL_METHOD = DOMNode.__dict__["__init_subclass__"]
"""Textual's own __init_subclass__ (a classmethod), kept to put back and for the tests."""

KNOWN_NAMES = frozenset(
    {
        "__init_subclass__", "_reactives", "__mro__", "update", "__dict__", "items",
        "isinstance", "Reactive", "_inherit_css", "_inherit_bindings",
        "_inherit_component_classes", "set", "_css_bases", "__name__", "_css_type_name",
        "add", "_merge_bindings", "_merged_bindings", "frozenset", "_css_type_names",
        "dir", "startswith", "lstrip", "_computes", "reversed", "super",
    }
)  # fmt: skip
"""The names Textual 8.2's method uses: another method (another Textual) is left alone."""

KNOWN_MERGE_NAMES = frozenset(
    {
        "BindingsMap", "DOMNode", "__dict__", "__mro__", "_inherit_bindings", "append",
        "clear", "from_keys", "get", "issubclass", "items", "key_to_bindings", "reversed",
    }
)  # fmt: skip
"""The names Textual 8.2's DOMNode._merge_bindings uses (merged here the same way)."""

_own_reactives: dict[type, dict[str, Any]] = {}
_own_computes: dict[type, frozenset[str]] = {}
_own_bindings: dict[type, BindingsMap] = {}
COMPUTE_PREFIXES = ("_compute_", "compute_")


def _names(code: CodeType) -> set[str]:
    """Every name `code` and the code nested in it use."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            names |= _names(constant)
    return names


def _reactives_of(base: type) -> dict[str, Any]:
    """The reactives `base` itself defines (not its bases')."""
    found = _own_reactives.get(base)
    if found is None:
        found = _own_reactives[base] = {
            name: value for name, value in base.__dict__.items() if isinstance(value, Reactive)
        }
    return found


def _computes_of(base: type) -> frozenset[str]:
    """The names of the compute methods `base` itself defines, as Textual names them."""
    found = _own_computes.get(base)
    if found is None:
        found = _own_computes[base] = frozenset(
            name.lstrip("_")[8:] for name in base.__dict__ if name.startswith(COMPUTE_PREFIXES)
        )
    return found


def _bindings_of(base: type[DOMNode]) -> BindingsMap:
    """The bindings `base` itself declares (Binding objects are frozen: shared safely)."""
    found = _own_bindings.get(base)
    if found is None:
        found = _own_bindings[base] = BindingsMap(base.__dict__.get("BINDINGS", []))
    return found


def _merged_bindings(cls: type[DOMNode]) -> BindingsMap:
    """DOMNode._merge_bindings, each base's bindings made once: a new class gets lists of
    its own (a keymap or a binding added later changes that class's alone)."""
    maps: list[BindingsMap] = []
    for base in reversed(cls.__mro__):
        if issubclass(base, DOMNode):
            if not base._inherit_bindings:
                maps.clear()
            maps.append(_bindings_of(base))
    keys: dict[str, list[Binding]] = {}
    for bindings in maps:
        for key, key_bindings in bindings.key_to_bindings.items():
            keys[key] = list(key_bindings)
    return BindingsMap.from_keys(keys)


def _init_subclass(
    cls: type[DOMNode],
    inherit_css: bool = True,
    inherit_bindings: bool = True,
    inherit_component_classes: bool = True,
) -> None:
    """DOMNode.__init_subclass__, its bases' answers merged (see the module)."""
    super(DOMNode, cls).__init_subclass__()
    reactives: dict[str, Any] = {}
    cls._reactives = reactives
    computes: set[str] = set()
    for base in reversed(cls.__mro__):
        reactives.update(_reactives_of(base))
        computes.update(_computes_of(base))
    cls._inherit_css = inherit_css
    cls._inherit_bindings = inherit_bindings
    cls._inherit_component_classes = inherit_component_classes
    bases = cls._css_bases(cls)
    cls._css_type_name = bases[0].__name__
    cls._merged_bindings = _merged_bindings(cls)
    cls._css_type_names = frozenset(base.__name__ for base in bases)
    cls._computes = frozenset(computes)


def textual_widget_classes() -> None:
    """Make widget classes Textual's own way again (the tests)."""
    DOMNode.__init_subclass__ = TEXTUAL_METHOD  # type: ignore[method-assign]


def quicker_widget_classes() -> bool:
    """Make widget classes the quicker way from now on; False (and nothing changed) when
    this Textual's method is not the one this module was written for."""
    method = TEXTUAL_METHOD.__func__
    merge = DOMNode.__dict__["_merge_bindings"].__func__
    if _names(method.__code__) != KNOWN_NAMES or _names(merge.__code__) != KNOWN_MERGE_NAMES:
        return False
    DOMNode.__init_subclass__ = classmethod(_init_subclass)  # type: ignore[assignment,method-assign]
    return True
