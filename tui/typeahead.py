"""Type-ahead: keys typed in a burst while a form opens wait for the form.

Textual routes a key to the widget focused when the App takes it from its queue and
resolves ordinary bindings when the key bubbles back up, against whatever is focused
then. A burst such as `n`, a title, `tab`, a due date (tmux sends it in one write)
therefore reaches the checklist under the form: the letters ran its keys (`e` edit,
`d` delete) and nothing reached the form. While a form is opening the App holds every
key; when the form has focused its first field it releases them, and they are replayed
in the order they were typed, as if typed then.

One mechanism for every form a key opens: a screen that says it `TakesTypedKeys` (the
base FormScreen, the task form, the invite picker) is held for from the moment it is
pushed and lets go once it has focused its first field. A list that opens its form
through a message (the checklist, the guest list) holds from the key's action on, before
the message is read. And the other end of a burst: `enter` on a form's box holds what
follows until the form has read its Submitted (saved and closed, or said no and stayed),
so in `n title enter n title2 enter` the second `n` reaches the list under the closed
form and opens the next form, instead of landing in the first form's title.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

HOLD_AT_MOST = 5.0
"""Seconds after which held keys are let go even if no form said it was ready."""


@runtime_checkable
class HoldsKeys(Protocol):
    """An App that can hold keys while a form opens."""

    def hold_keys(self) -> None: ...

    def release_keys(self) -> None: ...


def hold_keys(app: object) -> None:
    """Hold the keys typed from now on until `release_keys` (a form is about to open)."""
    if isinstance(app, HoldsKeys):
        app.hold_keys()


def release_keys(app: object) -> None:
    """Let held keys go to what is focused now (the form's first field)."""
    if isinstance(app, HoldsKeys):
        app.release_keys()


def focus_for_typed_keys(widget: Widget) -> None:
    """Focus `widget`, and let the keys typed in the same burst as the key that asked
    reach it: Textual gives the focus a message later, after the keys already queued,
    which went to the widget focused before (`t n` on the event screen opened a new
    session, not a new task)."""
    app = widget.app
    # A hold already running (a form on its way) is left to whoever started it.
    ours = not (isinstance(app, KeyHoldingApp) and app._key_hold is not None)
    hold_keys(app)
    widget.focus()
    if ours:
        release_keys(app)


async def _input_keys_in_order(self: Input, event: events.Key) -> None:
    """An Input's own keys (home, ctrl+k, backspace, enter...) act where they were typed
    among the letters.

    Textual resolves a focused widget's bindings when the key has bubbled up to the App,
    while the letters typed after it are handled by the Input itself first: `ctrl+a abc`
    in one write (a script, tmux send-keys) put "abc" at the end, then moved the cursor.
    The Input now runs its own binding for the key at once, in the order typed. (Its own
    map: Textual's Input bindings carry no ids, so the [keys] config does not remap them,
    and building the screen's whole binding chain at every backspace is not needed.)"""
    if not event.is_printable:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        # A key the field does not bind but its screen does (the search's down) is
        # resolved here too, as the App would once it came up: it bubbled behind the
        # field's next key, and `/Nairobi Workshop down enter` opened the first result
        # on enter, the down then moving the calendar a week under the event it opened.
        app = self.app
        if self.has_focus and self.screen is app.screen and await app._check_bindings(event.key):
            event.stop()
            event.prevent_default()
            return
    await _input_on_key(self, event)


_input_on_key = Input._on_key
Input._on_key = _input_keys_in_order  # type: ignore[method-assign]


def _paste_whole_on_one_line(self: Input, event: events.Paste) -> None:
    """A paste into a one-line field keeps all of its text, its lines and tabs joined by
    spaces: Textual kept the first line only, and "Line one / Line two" pasted into a
    title saved "Line one" without a word."""
    if event.text:
        text = event.text.replace("\t", " ")
        lines = text.splitlines()
        line = " ".join(part.strip() for part in lines if part.strip()) if len(lines) > 1 else text
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(line)
        else:
            self.replace(line, *selection)
    event.stop()


Input._on_paste = _paste_whole_on_one_line  # type: ignore[method-assign]


TYPED_KEYS_WAIT = 1.0
"""Seconds a priority key waits at most for the keys typed before it to be handled."""


async def typed_keys_handled(widgets: Iterable[Widget]) -> None:
    """Return once each of `widgets` has handled what was queued for it before now.

    A priority binding (a form's ctrl+s, its tab) runs when the App takes the key from
    its queue, while the letters typed before it wait in the focused field's own queue:
    `tab tab 555-0001 ctrl+s` in one write (a paste, a script, tmux send-keys) saved the
    form before the phone number reached its field. Each widget runs a callback queued
    behind them; the save waits for all of them (at most TYPED_KEYS_WAIT)."""
    waits = []
    for widget in widgets:
        if not widget.is_attached:
            continue
        done = asyncio.Event()
        widget.call_later(done.set)
        waits.append(done.wait())
    if waits:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*waits), TYPED_KEYS_WAIT)


def field_moves(scope: str) -> list[Binding]:
    """tab and shift+tab for a form whose `scope` names the bindings' ids. Priority, so
    that a tab typed ahead moves on before the next letters are routed: held keys are
    replayed in one go, and an ordinary binding would be resolved after them."""
    return [
        Binding(
            "tab",
            "app.focus_next",
            "Next field",
            id=f"{scope}.next",
            tooltip="Next field",
            show=False,
            priority=True,
        ),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "Previous field",
            id=f"{scope}.previous",
            tooltip="Previous field",
            show=False,
            priority=True,
        ),
    ]


class TakesTypedKeys:
    """Mixin for a screen that takes the keys typed ahead of it: keys are held from its
    push; its on_mount calls `release_keys(self.app)` once its first field has focus."""

    TAKES_TYPED_KEYS: ClassVar[bool] = True


def takes_typed_keys(screen: object) -> bool:
    """Whether keys typed while `screen` opens are held for it."""
    return bool(getattr(screen, "TAKES_TYPED_KEYS", False))


@dataclass
class KeyHold:
    """The keys held while a form opens, in the order they were typed."""

    keys: list[events.Key] = field(default_factory=list)
    """Held keys (fresh and bubbled back alike: none of them has been acted on)."""
    releasing: bool = False
    submit: events.Key | None = None
    """The enter that started this hold: it bubbles back to run the box's binding."""
    """Release was asked; keys still arrive until ReplayHeldKeys is read."""


class ReplayHeldKeys(Message):
    """Posted to the App on release: keys queued before it are held, those after are not."""


class KeyHoldingApp(App[int]):
    """An App that holds keys while a form opens and replays them once it has focus."""

    _key_hold: KeyHold | None = None

    def hold_keys(self) -> None:
        """Hold every key from now on until `release_keys` (or HOLD_AT_MOST seconds)."""
        if self._key_hold is not None:
            return
        hold = self._key_hold = KeyHold()
        self.set_timer(HOLD_AT_MOST, lambda: self._let_go(hold))

    def release_keys(self) -> None:
        """Replay the held keys after everything queued so far (a focus change included)."""
        hold = self._key_hold
        if hold is None or hold.releasing:
            return
        hold.releasing = True
        self.post_message(ReplayHeldKeys())

    def _let_go(self, hold: KeyHold) -> None:
        if self._key_hold is hold:
            self.release_keys()

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        """Push as Textual does; a screen that takes typed keys is held for until it has
        focus, and a hold started for a form that turned out not to open is let go."""
        screen = args[0] if args else kwargs.get("screen")
        if takes_typed_keys(screen):
            self.hold_keys()
        else:
            self.release_keys()
        return super().push_screen(*args, **kwargs)

    async def on_event(self, event: events.Event) -> None:
        hold = self._key_hold
        if hold is not None and isinstance(event, events.Key) and event is not hold.submit:
            hold.keys.append(event)
            return
        submits = (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and event.key == "enter"
            and isinstance(self.focused, Input)
            and takes_typed_keys(self.screen)
        )
        await super().on_event(event)
        if submits and self._key_hold is None:
            self.hold_keys()  # until the form has read its Submitted (on_input_submitted)
            if self._key_hold is not None:
                # The enter itself comes back up to be resolved (the box's binding): not held.
                self._key_hold.submit = event

    def on_input_submitted(self, _: Input.Submitted) -> None:
        """A Submitted bubbles here after the form has read it (saved and closed, or
        stayed with its one line): keys typed after the enter go on from there."""
        self.release_keys()

    async def on_replay_held_keys(self, _: ReplayHeldKeys) -> None:
        hold, self._key_hold = self._key_hold, None
        for key in hold.keys if hold else []:
            # A fresh event: one that bubbled back before the hold was never acted on.
            await self.on_event(events.Key(key.key, key.character))
