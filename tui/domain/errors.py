"""The project's own exceptions: each says what is wrong in one line, naming the culprit."""

from __future__ import annotations

MAX_SHOWN = 210
"""The longest line an error shows (a huge value or path is cut, never the whole line)."""


class ConvenerError(Exception):
    """Base of every error a user may see; its text is one line meant for them."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        value: str | None = None,
    ) -> None:
        self.message = " ".join(message.split())
        self.file = file
        self.line = line
        self.value = value
        super().__init__(self.message)

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            # A 5,000-character path keeps its end (the file's name): the line stays short.
            shown = self.file if len(self.file) <= 100 else "…" + self.file[-99:]
            where = f"{shown}:{self.line}: " if self.line is not None else f"{shown}: "
        whole = f"{where}{self.message}"
        return whole if len(whole) <= MAX_SHOWN else whole[: MAX_SHOWN - 1] + "…"

    def located(self, file: str, line: int | None = None) -> ConvenerError:
        """This error as raised from `file` (and `line`, when not already known)."""
        return type(self)(
            self.message,
            file=file,
            line=self.line if self.line is not None else line,
            value=self.value,
        )


class InvalidInput(ConvenerError):
    """A value, file or argument that is not what it should be."""


class NeedsEvent(InvalidInput):
    """A guest list given without the event it belongs to: the app and the command line
    each add how to give it (the guest list pane's i; --event ID)."""


class NoSuchDay(InvalidInput):
    """A date of the right shape that the calendar does not have ("2026-02-30")."""


class NotFound(ConvenerError):
    """No record with that id (or it is in the trash)."""


class StorageError(ConvenerError):
    """The database cannot be opened, read or written (permissions, a full disk, a lock)."""


class ConfigError(ConvenerError):
    """A bad config file or key; the app carries on with defaults."""


class Cancelled(ConvenerError):
    """The officer stopped a long task (an import); nothing of it was kept."""


class Conflict(ConvenerError):
    """The record was changed elsewhere (another window, the command line) since it was read."""


def describe(error: BaseException) -> str:
    """The one line an officer sees for any error that reached the edge of the program."""
    import sqlite3

    if isinstance(error, ConvenerError):
        return str(error)
    if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.ProgrammingError):
        # "database disk image is malformed", "file is not a database", a broken schema.
        return (
            f"the database cannot be read ({str(error)[:80]}); run convener check, and"
            " restore a copy from backups/ beside it if it is damaged"
        )
    said = f"{type(error).__name__}: {error}"
    return f"something went wrong ({said[:150]})"
