"""LetterSelect: a Select where a typed letter picks the next choice starting with it."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import OptionList, Select

from tui.letters import next_by_letter


class LetterSelect(Select[str]):
    """A Select of a few words (kind, status): `c` chooses "confirmed", `c` again the next
    word starting with c; in the open list a letter moves the highlight the same way."""

    def __init__(
        self, options: list[tuple[str, str]], *, words: list[str] | None = None, **kwargs: object
    ) -> None:
        super().__init__(options, type_to_search=False, **kwargs)  # type: ignore[arg-type]
        self._values = [value for _, value in options]
        self._words = words if words is not None else self._values
        """What a letter is matched against, one per option (the values unless told: a
        chooser of people gives their names, its values being ids)."""
        self._last_letter = ""
        """The letter typed last here: typing it again cycles."""

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return character is not None and character.isprintable() and not character.isspace()

    enter_submits = False
    """True in a form that saves on enter (the task form): enter on the closed list saves
    the form, as on its other fields; space, up and down open the list."""

    class Submitted(Message):
        """Enter on the closed list, where enter saves the form (enter_submits)."""

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter" and self.enter_submits and not self.expanded:
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted())
            return
        character = event.character
        if character is None or not event.is_printable or character.isspace():
            self._last_letter = ""  # an arrow or enter between: the next letter starts over
            return
        event.stop()
        event.prevent_default()
        again = character.casefold() == self._last_letter
        self._last_letter = character.casefold()
        overlay = self.query_one(OptionList)  # the open list (Textual's SelectOverlay)
        if self.expanded:
            current = overlay.highlighted
            offset = len(overlay.options) - len(self._words)  # a blank line comes first
            index = next_by_letter(
                self._words, character, None if current is None else current - offset, again=again
            )
            if index is None:
                self.app.bell()
                return
            overlay.highlighted = index + offset
            return
        value = self.value
        current_index = self._values.index(value) if isinstance(value, str) else None
        index = next_by_letter(self._words, character, current_index, again=again)
        if index is None:
            self.app.bell()
            return
        self.value = self._values[index]
