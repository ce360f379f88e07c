"""Type-ahead: keys typed in a burst while a form opens wait for the form.

Textual routes a key to the widget focused when the App takes it from its queue and
resolves ordinary bindings when the key bubbles back up, against whatever is focused
then. A burst such as `n`, a title, `tab`, a due date (tmux sends it in one write)
therefore reaches the checklist under the form: the letters ran its keys (`e` edit,
`d` delete) and nothing reached the form. While a form is opening the App holds every
key; when the form has focused its first field it releases them, and they are replayed
in the order they were typed, as if typed then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from textual import events
from textual.app import App
from textual.message import Message

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


@dataclass
class KeyHold:
    """The keys held while a form opens, in the order they were typed."""

    keys: list[events.Key] = field(default_factory=list)
    """Held keys (fresh and bubbled back alike: none of them has been acted on)."""
    releasing: bool = False
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

    async def on_event(self, event: events.Event) -> None:
        if self._key_hold is not None and isinstance(event, events.Key):
            self._key_hold.keys.append(event)
            return
        await super().on_event(event)

    async def on_replay_held_keys(self, _: ReplayHeldKeys) -> None:
        hold, self._key_hold = self._key_hold, None
        for key in hold.keys if hold else []:
            # A fresh event: one that bubbled back before the hold was never acted on.
            await self.on_event(events.Key(key.key, key.character))
