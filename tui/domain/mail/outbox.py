"""The outbox: one .eml file per message, queued for the officer to read (and edit) before
it is sent. `sent/` inside it keeps what went out."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from pathlib import Path

from tui.domain.errors import InvalidInput
from tui.domain.mail.compose import MAIL_POLICY
from tui.domain.mail.spool import claimed, in_flight, queued
from tui.domain.store import private_folder
from tui.domain.text import joined

SENT = "sent"
WITHDRAWN = "withdrawn"
"""Where a cancellation sets aside the event's messages still waiting (invitations and
updates), so that undoing it puts them back (see planner.mail.restore_withdrawn)."""
PENDING = ".sent-pending"
"""Messages sent whose guests are not yet marked invited (the run stopped before)."""
DATABASE = "X-Convener-Database"
"""Header naming the database that queued a message (its uid): two databases in one
folder share outbox/, and each sends, counts and withdraws only its own. A message
without it (queued before it was written, or by hand) is anyone's, as it always was."""

RECIPIENTS = {
    "invitation": ("to-invite",),
    "update": ("accepted", "tentative"),
    "cancel": ("invited", "accepted", "tentative"),
}
"""Whom each kind of message goes to, by guest status, unless told otherwise."""


KIND_NOUNS = {
    "invitation": ("invitation", "invitations"),
    "update": ("update", "updates"),
    "cancel": ("cancellation", "cancellations"),
}
"""Each kind of message in words: (one, several)."""


@dataclass
class QueueReport:
    """What queuing did: files written, guests left out and why."""

    folder: Path
    queued: list[tuple[str, Path]] = field(default_factory=list)
    """(guest name, the .eml file) per message written."""
    without_email: list[str] = field(default_factory=list)
    same_address: list[tuple[str, str]] = field(default_factory=list)
    """(guest name, the guest whose message goes to the same address) per guest left out:
    two guest lines of one person entered twice (added on two laptops before a sync)
    would send the same address two messages."""
    already_queued: list[tuple[str, Path]] = field(default_factory=list)
    already_sent: list[tuple[str, Path]] = field(default_factory=list)
    """(guest name, the file in sent/) per update or cancellation not queued: the last
    one sent to that guest says what a new one would."""
    replaced: list[Path] = field(default_factory=list)
    """Older updates or cancellations of the same event for the same guest, still unsent:
    removed, since the new message supersedes them (and sorts before them)."""
    withdrawn: list[Path] = field(default_factory=list)
    """For a cancellation: the event's invitations and updates still waiting unsent (to
    any guest), set aside in withdrawn/: nobody is invited to, or told of a change to, a
    cancelled event; undoing the cancellation puts them back."""
    marked_cancelled: bool = False
    """For a cancellation of the whole event: the event's status became cancelled."""
    sequence: int = 0
    kind: str = "invitation"
    """What was asked for: "invitation", "update" or "cancel"."""
    statuses: tuple[str, ...] = ()
    """The guest statuses asked for (none: the guest-list lines chosen)."""

    def summary(self, undo: str = "`convener undo`") -> str:
        """One line: how many were queued where (or that those asked for already wait);
        `undo`: how the officer undoes (the app's u)."""
        line = self._queued_line()
        if self.withdrawn:
            count = len(self.withdrawn)
            line += f"; withdrew {count} unsent {'message' if count == 1 else 'messages'}"
            line += " of the cancelled event from the outbox"
        if self.marked_cancelled:
            line += (
                f"; the event is marked cancelled ({undo} puts its status back and what"
                " it withdrew; the cancellations are then held, not sent)"
            )
        return line

    def _queued_line(self) -> str:
        count = len(self.queued)
        if not count and (self.already_queued or self.already_sent):
            nouns = KIND_NOUNS.get(self.kind, ("message", "messages"))
            said = []
            if self.already_queued:
                waiting = len(self.already_queued)
                verb = "waits" if waiting == 1 else "wait"
                said.append(f"{waiting} {nouns[waiting != 1]} already {verb} in the outbox")
            if self.already_sent:
                sent = len(self.already_sent)
                verb = "says" if sent == 1 else "say"
                noun = "" if said else f" {nouns[sent != 1]}"  # named once in the line
                said.append(f"{sent}{noun} already sent {verb} the same")
            return f"{' and '.join(said)}; nothing queued"
        if not count:
            # Not "queued 0 messages in outbox/": said why, with no word of sending.
            if not self.statuses:
                if self.without_email:
                    return "nothing queued: none of those chosen has an e-mail address"
                return "nothing queued"
            who = joined(self.statuses, "or")
            if self.without_email:
                return f"nothing queued: no guest who is {who} has an e-mail address"
            return f"nothing queued: no guest is {who}"
        noun = "message" if count == 1 else "messages"
        return f"queued {count} {noun} in {self.folder}"


def slug(text: str, limit: int = 40) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", plain.lower()))[:limit].strip("-") or "event"


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` (0600) atomically: a temp file in the folder, fsync, rename."""
    private_folder(path.parent)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_message(path: Path) -> EmailMessage:
    """A queued message, parsed; InvalidInput when the file is gone or not a message."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"cannot read it: {error.strerror}", file=str(path)) from None
    message = BytesParser(policy=MAIL_POLICY).parsebytes(data)
    if not message.get_all("To"):
        raise InvalidInput("not a message to send (no To: header)", file=str(path))
    return message


def read_headers(path: Path) -> Message | None:
    """The headers of a message file (None when it cannot be read)."""
    try:
        with path.open("rb") as handle:
            return BytesParser(policy=policy.default).parse(handle, headersonly=True)
    except OSError:
        return None


def message_key(headers: Message) -> tuple[str, str, str]:
    """(kind, event uid, guest uid) of a message Convener wrote (from its X- headers)."""
    return (
        str(headers.get("X-Convener-Kind", "")),
        str(headers.get("X-Convener-Event", "")),
        str(headers.get("X-Convener-Guest", "")),
    )


def of_database(headers: Message, database: str | None) -> bool:
    """Whether a message is this database's: stamped with its uid, or not stamped at all
    (`database` None: any message is)."""
    stamp = str(headers.get(DATABASE, "") or "")
    return database is None or not stamp or stamp == database


def waiting_keys(folder: Path, database: str | None = None) -> dict[tuple[str, str, str], Path]:
    """(kind, event uid, guest uid) of every message queued, claimed by a run or in flight
    (of `database`: another database's messages are not this one's to supersede or
    withdraw). A message a run has claimed waits all the same: left out, the guest was
    invited again while the run talked to its server, and got two invitations."""
    keys: dict[tuple[str, str, str], Path] = {}
    for path in [*queued(folder), *claimed(folder), *in_flight(folder)]:
        headers = read_headers(path)
        if headers is None or not of_database(headers, database):
            continue
        key = message_key(headers)
        keys[key] = path
    return keys


def sent_keys(folder: Path, database: str | None = None) -> dict[tuple[str, str, str], Path]:
    """(kind, event uid, guest uid) of every message in sent/ (of `database`), each the last
    one sent (the highest SEQUENCE; of one SEQUENCE, the latest file)."""
    found: dict[tuple[str, str, str], tuple[int, float, Path]] = {}
    sent = folder / SENT
    if not sent.is_dir():
        return {}
    for path in sent.glob("*.eml"):
        headers = read_headers(path)
        try:
            written = path.stat().st_mtime
        except OSError:
            continue
        if headers is None or not of_database(headers, database):
            continue
        try:
            sequence = int(str(headers.get("X-Convener-Sequence", "")))
        except ValueError:
            continue  # not a message Convener wrote: nothing to compare with
        key = message_key(headers)
        if key not in found or (sequence, written) > found[key][:2]:
            found[key] = (sequence, written, path)
    return {key: path for key, (_, _, path) in found.items()}


def record_pending(folder: Path, entries: Sequence[tuple[str, str, str]]) -> None:
    """Note (kind, guest uid, database uid or "") of messages that went out, before the
    database knows."""
    with open(folder / PENDING, "a", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), 0o600)
        for kind, guest, database in entries:
            handle.write(f"{kind}\t{guest}\t{database}\n")
        handle.flush()
        os.fsync(handle.fileno())


def _journal(folder: Path) -> list[tuple[str, str, str]]:
    path = folder / PENDING
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        kind, guest, database = ([*line.split("\t"), "", ""])[:3]  # older lines: two parts
        if kind and guest:
            entries.append((kind, guest, database))
    return entries


def pending(folder: Path, database: str | None = None) -> list[tuple[str, str]]:
    """(kind, guest uid) of messages sent by a run that stopped before marking their guests:
    those of `database` (and those of no database said, written before it was)."""
    return [
        (kind, guest)
        for kind, guest, stamp in _journal(folder)
        if database is None or not stamp or stamp == database
    ]


def clear_pending(folder: Path, database: str | None = None) -> None:
    """The database knows: forget its lines of the journal (another database's stay, for
    it to mark its guests)."""
    path = folder / PENDING
    others = [
        entry
        for entry in _journal(folder)
        if database is not None and entry[2] not in ("", database)
    ]
    if not others:
        path.unlink(missing_ok=True)
        return
    text = "".join(f"{kind}\t{guest}\t{stamp}\n" for kind, guest, stamp in others)
    write_private_bytes(path, text.encode("utf-8"))


def sent_path(folder: Path, name: str) -> Path:
    """Where a sent message goes: sent/NAME, numbered when the name is taken."""
    target = folder / SENT / name
    number = 2
    while target.exists():
        target = folder / SENT / f"{Path(name).stem}-{number}.eml"
        number += 1
    return target
