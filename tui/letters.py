"""Choosing by letter: the rule every chooser (select, dialog) shares."""

from __future__ import annotations


def next_by_letter(
    choices: list[str], letter: str, current: int | None, *, again: bool = False
) -> int | None:
    """The choice a typed letter picks: the first starting with it; when the letter is
    typed `again` (the one typed just before) and `current` starts with it, the next one
    that does (wrapping round, so repeating a letter cycles among its words). None when no
    choice starts with it."""
    letter = letter.casefold()
    starts = [i for i, choice in enumerate(choices) if choice.casefold().startswith(letter)]
    if not starts:
        return None
    if not again or current not in starts:
        return starts[0]
    after = [i for i in starts if current is not None and i > current]
    return after[0] if after else starts[0]
