"""tui.message_dispatch: handlers found once per kind of widget are Textual's own, in order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widgets import Static

from tests.ui.conftest import settle
from tui import message_dispatch
from tui.app import ConvenerApp
from tui.message_dispatch import (
    TEXTUAL_METHOD,
    _get_dispatch_methods,
    quicker_dispatch,
    textual_dispatch,
)


@pytest.fixture
def quicker() -> Iterator[None]:
    assert quicker_dispatch()
    try:
        yield
    finally:
        textual_dispatch()


def found(
    method: Callable[..., Any], receiver: MessagePump, name: str, message: Message
) -> list[tuple[type, Callable[..., Any]]]:
    """The (class, function) pairs `method` yields, without running any handler."""
    return [(cls, bound.__func__) for cls, bound in method(receiver, name, message)]


async def test_a_session_of_the_app_finds_textuals_handlers_for_every_message(
    app: ConvenerApp, monkeypatch: pytest.MonkeyPatch, quicker: None
) -> None:
    """Every message a session dispatches (start, keys across the panes, search, the keys'
    help, the time grid, a date mistyped, a form) finds the handlers Textual finds, in Textual's order."""
    compared: set[tuple[type, type, str]] = set()
    differ: list[tuple[type, type, str]] = []

    def both(self: MessagePump, name: str, message: Message) -> Any:
        ours = found(_get_dispatch_methods, self, name, message)
        if ours != found(TEXTUAL_METHOD, self, name, message):
            differ.append((type(self), type(message), name))
        compared.add((type(self), type(message), name))
        return _get_dispatch_methods(self, name, message)

    monkeypatch.setattr(MessagePump, "_get_dispatch_methods", both)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        for key in ("j", "k", "l", "tab", "j", "tab", "j", "shift+tab", "w", "j", "v", "question_mark", "escape", "slash", "z", "u", "r", "escape", "g", "z", "z", "enter", "escape", "n", "escape"):  # fmt: skip
            await pilot.press(key)
            await settle(app, pilot)
    assert differ == []
    assert len(compared) > 150
    assert len({receiver for receiver, _, _ in compared}) > 30, len(compared)


class Ping(Message):
    pass


class Base(Static):
    def on_ping(self, message: Ping) -> None:
        self.app.heard.append("Base")  # type: ignore[attr-defined]


class Stopping(Base):
    def _on_ping(self, message: Ping) -> None:
        self.app.heard.append("Stopping")  # type: ignore[attr-defined]
        message.prevent_default()


class Going(Base):
    @on(Ping)
    def heard_ping(self, message: Ping) -> None:
        self.app.heard.append("Going @on")  # type: ignore[attr-defined]

    def on_ping(self, message: Ping) -> None:
        self.app.heard.append("Going")  # type: ignore[attr-defined]


class Pings(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.heard: list[str] = []

    def compose(self) -> ComposeResult:
        yield Stopping(id="stopping")
        yield Going(id="going")


async def heard(method: Callable[..., Any]) -> list[str]:
    MessagePump._get_dispatch_methods = method  # type: ignore[method-assign]
    try:
        app = Pings()
        async with app.run_test() as pilot:
            for name in ("stopping", "going", "stopping"):
                app.query_one(f"#{name}").post_message(Ping())
                await pilot.pause()
        return app.heard
    finally:
        textual_dispatch()


async def test_handlers_run_as_textual_runs_them_and_a_prevented_default_stops_them() -> None:
    """A subclass's handler that prevents the default keeps its bases' from running; `@on`
    handlers run before the named method of their class, then the bases'."""
    ours = await heard(_get_dispatch_methods)
    assert ours == await heard(TEXTUAL_METHOD)
    assert ours == ["Stopping", "Going @on", "Going", "Base", "Stopping"]


def test_another_textuals_method_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def other(self: MessagePump, method_name: str, message: Message) -> Iterator[Any]:
        yield from ()

    textual_dispatch()  # (the command line's tests leave the quicker way installed)
    monkeypatch.setattr(message_dispatch, "TEXTUAL_METHOD", other)
    assert not quicker_dispatch()
    assert MessagePump.__dict__["_get_dispatch_methods"] is TEXTUAL_METHOD  # Textual's own
