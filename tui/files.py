"""Writing exports: atomically (temp file, fsync, rename), readable by the user only."""

from __future__ import annotations

import errno
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from tui.domain.errors import InvalidInput
from tui.domain.models import Event
from tui.domain.store import missing_folders, private_folder


def slug(text: str, limit: int = 60) -> str:
    """A file-name-safe form of a title: 'city-action-for-peace-workshop-washington-dc'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", plain.lower())
    return "-".join(words)[:limit].strip("-") or "export"


def cannot_write_in(folder: Path, error: OSError, what: str = "") -> str:
    """The one line saying why nothing could be written in `folder` (which `error` refused),
    naming the part of the path in the way: a file where a folder should be, a folder
    without permission, a read-only or full disk, a system folder such as /proc that
    takes no new files. `what`: what was to be written there ("a backup")."""
    there = _nearest_existing(folder)
    if there is not None and not there.is_dir():
        if there == folder:
            return f"{_shown(folder)} is a file, not a folder"
        why = f"{_shown(there)} is a file, not a folder"
    elif error.errno in (errno.EACCES, errno.EPERM):
        why = f"no permission to write in {_shown(there or folder)}"
    elif error.errno == errno.EROFS:
        why = f"{_shown(there or folder)} is on a read-only disk"
    elif error.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk is full"
    elif error.errno == errno.ENAMETOOLONG:
        why = "a name in the path is too long"
    elif error.errno == errno.ENOENT and there is not None:
        why = f"{_shown(there)} takes no new files or folders (a system folder?)"
    else:
        why = error.strerror or str(error)
    return f"cannot write {what + ' ' if what else ''}in {_shown(folder)}: {why}"


def _shown(path: Path) -> str:
    """A path as a message names it: a very long one keeps its end (the line stays short
    enough for the reason after it to show)."""
    text = str(path)
    return text if len(text) <= 100 else "…" + text[-99:]


def _nearest_existing(folder: Path) -> Path | None:
    """`folder`, or the nearest of its parents, that exists (None: none can be looked up)."""
    for path in (folder, *folder.parents):
        try:
            if path.exists():
                return path
        except OSError:  # a name too long to look up
            continue
    return None


def write_private(path: Path, text: str | Iterable[str], *, force: bool = False) -> Path:
    """Write `text` (a string, or its chunks as they come) to `path` (0600); refuse to
    replace an existing file unless `force`.

    The text goes to a temporary file in the same folder, is flushed to disk, and then
    renamed over the target: a crash leaves the old file or the new one, never half.
    """
    if path.exists() and path.is_dir():
        raise InvalidInput(f"{path} is a folder", value=str(path))
    if path.exists() and not force:
        raise InvalidInput(f"{path} exists; use --force to replace it", value=str(path))
    folder = path.parent
    # The folders this export makes (-o new/folder/file.md): removed again when nothing
    # could be written in them, so that a failed export leaves no empty folder behind.
    made = missing_folders(folder)
    try:
        private_folder(folder)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as error:
        _remove_empty(made)
        raise InvalidInput(cannot_write_in(folder, error), value=str(folder)) from None
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            if isinstance(text, str):
                handle.write(text)
            else:
                for chunk in text:
                    handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        _remove_empty(made)
        raise InvalidInput(f"cannot write {path}: {error.strerror}", value=str(path)) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)  # a streamed export that failed half-way
        _remove_empty(made)
        raise
    return path


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders an export made, innermost first; one that holds anything (put
    there meanwhile by someone else) stays."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            continue


EXTENSIONS = {"md": "md", "agenda": "md", "briefing": "md", "csv": "csv", "ics": "ics",
              "toml": "toml", "json": "json"}  # fmt: skip


def export_name(
    event: Event, form: str, *, include_private: bool = False, day: date | None = None
) -> str:
    """The default file name of an event's export; the private briefing book has its own
    ('2026-11-24-policy-dinner-briefing-private.md'), so one never replaces the other.
    `day`: the occurrence exported, for a series (named by the day chosen, not the day
    the series began)."""
    suffix = ""
    if form == "briefing":
        suffix = "-briefing-private" if include_private else "-briefing"
    elif form == "csv":
        suffix = "-guests-private" if include_private else "-guests"
    elif include_private:
        suffix = "-private"
    extension = EXTENSIONS.get(form, "md")
    return f"{(day or event.start_date).isoformat()}-{slug(event.title)}{suffix}.{extension}"
