"""tui.dom_classes: widget classes made the quicker way get Textual's own answers."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.binding import Binding
from textual.dom import DOMNode
from textual.reactive import reactive, var
from textual.widgets import Static

import tui
from tui import dom_classes
from tui.dom_classes import (
    TEXTUAL_METHOD,
    _init_subclass,
    quicker_widget_classes,
    textual_widget_classes,
)

Method = Callable[..., None]


def bindings(cls: type[DOMNode]) -> dict[str, list[Binding]]:
    merged = cls._merged_bindings
    assert merged is not None
    return {key: list(found) for key, found in merged.key_to_bindings.items()}


def answers(cls: type[DOMNode]) -> dict[str, Any]:
    """What making a class works out for it (DOMNode.__init_subclass__)."""
    return {
        "reactives": dict(cls._reactives),
        "computes": cls._computes,
        "css_type_name": cls._css_type_name,
        "css_type_names": cls._css_type_names,
        "bindings": bindings(cls),
        "inherit": (cls._inherit_css, cls._inherit_bindings, cls._inherit_component_classes),
    }


def worked_out(cls: type[DOMNode], method: Method) -> dict[str, Any]:
    """`cls`'s answers worked out again by `method`, with the arguments it was made with."""
    method(
        cls,
        inherit_css=cls._inherit_css,
        inherit_bindings=cls._inherit_bindings,
        inherit_component_classes=cls._inherit_component_classes,
    )
    return answers(cls)


def every_subclass(base: type) -> list[type]:
    found: list[type] = []
    stack = [base]
    while stack:
        sub: type
        for sub in stack.pop().__subclasses__():
            if sub not in found:
                found.append(sub)
                stack.append(sub)
    return found


@pytest.fixture
def quicker() -> Iterator[None]:
    assert quicker_widget_classes()
    try:
        yield
    finally:
        textual_widget_classes()


def test_every_widget_class_of_the_app_gets_textuals_answers() -> None:
    for module in pkgutil.walk_packages(tui.__path__, "tui."):
        if module.name.startswith(("tui.app", "tui.screens", "tui.widgets", "tui.modals")):
            importlib.import_module(module.name)
    classes = every_subclass(DOMNode)
    assert len([cls for cls in classes if cls.__module__.startswith("tui.")]) > 50
    for cls in classes:
        quick = worked_out(cls, _init_subclass)
        assert quick == worked_out(cls, TEXTUAL_METHOD.__func__), cls  # Textual's stays


def test_classes_made_the_quicker_way_are_made_as_textual_makes_them(quicker: None) -> None:
    class Counting:  # a mixin that is no widget, with a reactive and a compute method
        count = reactive(0)

        def compute_total(self) -> int:
            return 0

    class Panel(Counting, Static, can_focus=True):
        BINDINGS = [Binding("x", "go", "Go"), ("y", "other", "Other")]
        label = var("")

        def _compute_label(self) -> str:
            return ""

    class Inner(Panel, inherit_bindings=False, inherit_css=False):
        BINDINGS = [("z", "third", "Third")]
        count = reactive(1)  # the nearer class's wins

    class Sibling(Panel):
        pass

    assert DOMNode.__dict__["__init_subclass__"].__func__ is _init_subclass
    # Each class has lists of its own: a binding added to one reaches no other.
    assert bindings(Sibling)["x"] == bindings(Panel)["x"]
    assert Sibling._merged_bindings is not None and Panel._merged_bindings is not None
    sibling_x = Sibling._merged_bindings.key_to_bindings["x"]
    assert sibling_x is not Panel._merged_bindings.key_to_bindings["x"]
    for cls in (Panel, Inner, Sibling):
        made = answers(cls)
        assert worked_out(cls, TEXTUAL_METHOD.__func__) == made, cls
    assert Inner._reactives["count"] is Inner.__dict__["count"]
    assert {"count", "label"} <= set(Panel._reactives)
    assert {"total", "label"} <= Panel._computes
    assert set(bindings(Inner)) == {"z"}
    assert Inner._css_type_names == frozenset({"Inner"})
    assert Panel.can_focus  # Widget's own __init_subclass__ still runs


def test_another_textuals_method_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def other(cls: type[DOMNode], /, **kwargs: Any) -> None:
        cls._reactives = {}

    monkeypatch.setattr(dom_classes, "TEXTUAL_METHOD", classmethod(other))
    assert not quicker_widget_classes()
    assert DOMNode.__dict__["__init_subclass__"] is TEXTUAL_METHOD
