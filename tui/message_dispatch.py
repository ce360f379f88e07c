"""Textual's handlers for a message found once per kind of widget, not on every message.

Textual (MessagePump._get_dispatch_methods) finds the handlers of each message by walking
the receiver's classes, every one of them, looking in each for `@on` handlers of the
message's classes and for a method named after it: 5-7 microseconds a message for the
app's widgets (ten to fifteen classes deep, mixins included), and the first screen
dispatches some 330 messages, every key some more (issue 24). Here the classes that hold
a handler, and the handlers, are found the first time a kind of widget receives a kind of
message, and kept; dispatching then walks those alone, in the same order, stopping where
Textual stops (a handler that prevents the default), and matching `@on` selectors against
each message as Textual does. The same handlers, called in the same order: the tests
compare the two for every message a session of the app dispatches.

Classes are not changed once made (Textual's and Convener's alike): a handler put on a
class after it first handled a message would not be seen. Installed by the command line
with tui.dom_classes (tui.cli.main), only on the Textual this was written for (the names
its method uses are checked first): on any other, Textual's own method stays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from textual._on import OnNoWidget
from textual.css.match import match
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widget import Widget

from tui.dom_classes import _names

TEXTUAL_METHOD = MessagePump.__dict__["_get_dispatch_methods"]
"""Textual's own method, kept to put back and for the tests."""

KNOWN_NAMES = frozenset(
    {
        "Message", "OnNoWidget", "Widget", "__class__", "__dict__", "__get__", "__mro__",
        "_no_default_action", "_sender", "add", "cast", "get", "getattr", "isinstance",
        "issubclass", "items", "match", "set", "textual.widget",
    }
)  # fmt: skip
"""The names Textual 8.2's method uses: another method (another Textual) is left alone."""

Handler = tuple[Callable[..., Any], dict[str, Any]]
"""An `@on` handler and its selectors (attribute of the message -> selector set)."""
Step = tuple[type, tuple[Handler, ...], Callable[..., Any] | None]
"""A class that handles the message: its `@on` handlers, and its method named after it."""

_plans: dict[tuple[type, type, str], tuple[Step, ...]] = {}


def _plan(receiver: type, message: type, method_name: str) -> tuple[Step, ...]:
    """The classes of `receiver` (in its MRO's order) with a handler for `message`."""
    message_mro = [kind for kind in message.__mro__ if issubclass(kind, Message)]
    steps: list[Step] = []
    for cls in receiver.__mro__:
        decorated = cls.__dict__.get("_decorated_handlers")
        handlers: list[Handler] = []
        if decorated:
            for message_class in message_mro:
                handlers.extend(decorated.get(message_class, []))
        method = cls.__dict__.get(f"_{method_name}") or cls.__dict__.get(method_name)
        if method is not None and getattr(method, "_textual_on", None):
            method = None  # an @on handler named like one: called as @on's (above)
        if handlers or method is not None:
            steps.append((cls, tuple(handlers), method))
    return tuple(steps)


def plan_of(receiver: type, message: type, method_name: str) -> tuple[Step, ...]:
    """The classes and handlers of `receiver` for `message`, found once."""
    key = (receiver, message, method_name)
    found = _plans.get(key)
    if found is None:
        found = _plans[key] = _plan(receiver, message, method_name)
    return found


def _get_dispatch_methods(
    self: MessagePump, method_name: str, message: Message
) -> Iterator[tuple[type, Callable[..., Any]]]:
    """MessagePump._get_dispatch_methods over the kept plan (see the module)."""
    dispatched: set[Callable[..., Any]] = set()
    for cls, handlers, method in plan_of(self.__class__, message.__class__, method_name):
        # Checked before each class that has handlers: Textual checks before every class,
        # but one without handlers yields nothing, and nothing runs between the two.
        if message._no_default_action:
            break
        for handler, selectors in handlers:
            if handler in dispatched:
                continue
            if not selectors:
                yield cls, handler.__get__(self, cls)
                dispatched.add(handler)
                continue
            if not message._sender:
                continue
            for attribute, selector in selectors.items():
                node = getattr(message, attribute)
                if node is None:
                    break
                if not isinstance(node, Widget):
                    raise OnNoWidget(
                        f"on decorator can't match against {attribute!r} as it is not a widget."
                    )
                if not match(selector, node):
                    break
            else:
                yield cls, handler.__get__(self, cls)
                dispatched.add(handler)
        if method is not None:
            yield cls, method.__get__(self, cls)


def textual_dispatch() -> None:
    """Find handlers Textual's own way again (the tests)."""
    MessagePump._get_dispatch_methods = TEXTUAL_METHOD  # type: ignore[method-assign]


def quicker_dispatch() -> bool:
    """Find handlers the quicker way from now on; False (and nothing changed) when this
    Textual's method is not the one this module was written for."""
    if _names(TEXTUAL_METHOD.__code__) != KNOWN_NAMES:
        return False
    MessagePump._get_dispatch_methods = _get_dispatch_methods  # type: ignore[method-assign]
    return True
