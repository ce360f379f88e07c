"""The outbox as a folder of files: where it is, what waits in it, what a run is sending
and what a stopped run was sending. Nothing here parses mail: the guest list counts the
outbox on every read, and the calendar's first screen need not import the e-mail package
for that (20 ms).

A send run claims a message by renaming it NAME.eml.claimed-PID (PID: its process),
holding an advisory lock on it, and renames it NAME.eml.sending only just before its text
leaves for the server. A claim whose run is gone (killed, the power lost: its lock went
with it) never had its text leave: whoever lists the outbox next puts it back as NAME.eml,
to be sent. A claim still locked is another run's, left to it. A .sending file may have
gone out: reported, never sent again by itself.
"""

from __future__ import annotations

import os
from pathlib import Path

SENDING = ".sending"
"""A message whose text is leaving for the server is renamed to NAME.eml.sending first: if
the run dies there, the next run knows this one may have gone out and does not send it
again."""
CLAIMED = ".claimed-"
"""A message a send run took, before any of its text left: NAME.eml.claimed-PID."""

OURS: set[Path] = set()
"""The claims this process's own send run holds now: known live without a look at their
lock (the app's 0.5 s look at the outbox opened and tried each; on a file system whose
locks belong to the process, closing that look's file would have let the run's own go)."""


def outbox_beside(database: Path) -> Path:
    """outbox/ beside the database."""
    return database.resolve().parent / "outbox"


def queued(folder: Path) -> list[Path]:
    """The messages waiting in the outbox, oldest name first; those claimed by a run that
    is gone are put back first and are among them (see take_back)."""
    if not folder.is_dir():
        return []
    names = _names(folder)
    if any(CLAIMED in name for name in names):
        take_back(folder)
        names = _names(folder)
    return sorted(
        folder / name for name in names if name.endswith(".eml") and (folder / name).is_file()
    )


def claimed(folder: Path) -> list[Path]:
    """The messages a run still going has claimed (none of their text left yet), after
    those of runs that are gone were put back: on their way, as .sending files are."""
    if not folder.is_dir():
        return []
    return sorted(claim for claim, _ in take_back(folder))


def on_its_way(path: Path) -> bool:
    """Whether `path` is a message a run has taken (claimed, or its text leaving): waiting
    all the same, but no longer one to withdraw, replace or compare with a new one."""
    return path.name.endswith(SENDING) or CLAIMED in path.name


def in_flight(folder: Path) -> list[Path]:
    """Messages a stopped run was handing to the server: they may have gone out."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"*.eml{SENDING}"))


def claim_path(path: Path, pid: int | None = None) -> Path:
    """NAME.eml.claimed-PID for the queued NAME.eml (PID: this process's by default)."""
    return path.with_name(f"{path.name}{CLAIMED}{os.getpid() if pid is None else pid}")


def queued_path(claim: Path) -> Path:
    """NAME.eml for its claim NAME.eml.claimed-PID."""
    return claim.with_name(claim.name.rpartition(CLAIMED)[0])


def put_back(source: Path, target: Path) -> Path | None:
    """Rename a claimed or .sending message `source` to its queued name `target`, never
    over another message there (one the officer saved under that name, in an editor, while
    a run had taken it): the name it got, NAME-2.eml beside it when another message has
    the name; None when the file there is the same message (the same guest's invitation,
    update or cancellation of the same event, from the same database), saved since:
    `source`, the older copy, then goes, or the guest would get both. Raises
    FileNotFoundError when `source` is gone (put back or sent by another run meanwhile),
    OSError when the folder cannot be written.

    One rename (os.replace), never a hard link and an unlink: a run killed between those
    two would leave one message under two names, and send it twice. A file written under
    the name between the look and the rename is replaced, in that microsecond alone."""
    if not source.exists():
        raise FileNotFoundError(source)
    candidate, number = target, 2
    while candidate.exists():
        if _same_file(source, candidate):
            os.unlink(source)  # already back under this name
            return candidate
        if candidate == target and _same_message(source, target):
            os.unlink(source)
            return None
        candidate = target.with_name(f"{target.stem}-{number}{target.suffix}")
        number += 1
    os.replace(source, candidate)
    return candidate


CHANGED = ".changed"
"""A message saved under its queued name while a run was sending it (the officer's editor),
set aside once the earlier text went: NAME.eml.changed, never sent by itself."""


def set_aside_changed_copy(queued: Path, sent: Path) -> Path | None:
    """After `sent` (in sent/) went out: the same message saved under its queued name
    meanwhile (the officer edited it while the run had it) is set aside as
    NAME.eml.changed (numbered when taken), or the next run would send the guest a
    second message, unasked; the name it got. None when there is no such copy (another
    message of that name stays queued)."""
    if not queued.exists() or not _same_message(sent, queued):
        return None
    candidate, number = queued.with_name(queued.name + CHANGED), 2
    while candidate.exists():
        candidate = queued.with_name(f"{queued.name}{CHANGED}-{number}")
        number += 1
    os.replace(queued, candidate)
    return candidate


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


CONVENER_HEADERS = (
    "X-Convener-Kind",
    "X-Convener-Event",
    "X-Convener-Guest",
    "X-Convener-Sequence",
    "X-Convener-Database",
)
"""The headers that tell which message a file is (see compose.message_for)."""


def _same_message(one: Path, other: Path) -> bool:
    """Whether two files are the same message Convener wrote (its headers alike), maybe
    edited since. The e-mail package is imported here alone: nothing else in this module
    parses mail (see the module's docstring)."""
    from email.parser import BytesParser

    keys = []
    for path in (one, other):
        try:
            with path.open("rb") as handle:
                headers = BytesParser().parse(handle, headersonly=True)
        except OSError:
            return False
        keys.append(tuple(str(headers.get(name, "") or "") for name in CONVENER_HEADERS))
    return keys[0] == keys[1] and all(keys[0][:3])


def claimer(claim: Path) -> int | None:
    """The process number a claim was made by (None when its name has none)."""
    digits = claim.name.rpartition(CLAIMED)[2]
    return int(digits) if digits.isdigit() else None


def take_back(folder: Path) -> list[tuple[Path, bool]]:
    """Put back in the outbox every message claimed by a run that is gone (none of its text
    can have left: see the module's docstring). The claims left, each with whether its run
    surely still goes (its lock is held); False: no lock tells here and its process number
    is in use, maybe by another program since (left alone, the safe side)."""
    left = []
    for claim in sorted(folder.glob(f"*.eml{CLAIMED}*")):
        running = _claim_holds(claim)
        if running is not None:
            left.append((claim, running))
    return left


def claims_held(folder: Path, names: list[str]) -> tuple[tuple[str, bool], ...]:
    """Each claim among `names` (the folder's) with whether a run holds its lock, changing
    no file: a look at the outbox that tells when a run claiming a message died (nothing
    on disk changes then)."""
    seen = []
    for name in sorted(names):
        if CLAIMED not in name:
            continue
        if folder / name in OURS:
            seen.append((name, True))
            continue
        try:
            descriptor, locked = hold(folder / name)
        except FileNotFoundError:
            continue
        if descriptor is not None:
            os.close(descriptor)
        seen.append((name, locked is False))
    return tuple(seen)


def hold(path: Path) -> tuple[int | None, bool | None]:
    """Open `path` and lock it: the lock a claim is known live by, released when its
    process ends however it ends. (Its descriptor, or None; True: locked here, False:
    another holds the lock, as another run taking the same message, None: no lock to be
    had here, then the claim's process number tells.) FileNotFoundError when it is gone."""
    try:
        descriptor = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        raise
    except OSError:
        return None, None  # not writable: no lock (over NFS), its number tells
    try:
        import fcntl
    except ImportError:  # no advisory locks here
        return descriptor, None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None, False
    except OSError:
        return descriptor, None  # locks not offered by this file system
    return descriptor, True


def _claim_holds(claim: Path) -> bool | None:
    """Put `claim` back in the outbox when its run is gone: None then (or when it went
    meanwhile); True when its run holds it; False when that cannot be told (left alone)."""
    if claim in OURS:
        return True
    try:
        descriptor, locked = hold(claim)
    except FileNotFoundError:
        return None  # sent or put back meanwhile
    if locked is False:
        return True
    try:
        if locked is None:
            # No lock to go by: the claim's process number tells, erring on the side of
            # leaving it (a number in use may be another program's since).
            pid = claimer(claim)
            if pid is None:
                return False
            if pid != os.getpid() and _runs(pid):
                return False
        try:
            put_back(claim, queued_path(claim))
        except FileNotFoundError:
            return None
        except OSError:
            return False  # a folder not writable: left as it is
        fsync_folder(claim.parent)
        return None
    finally:
        if descriptor is not None:
            os.close(descriptor)


def _runs(pid: int) -> bool:
    """Whether a process numbered `pid` runs (any program's). On Windows os.kill ends the
    process whatever the signal: there a number is taken to run (the safe side)."""
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's: it runs
    return True


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` last (a power loss after it keeps it)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
