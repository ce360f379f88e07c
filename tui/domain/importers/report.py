"""What an import did: counts and names of what was added, updated, linked or skipped."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypeVar

from tui.domain.models import Event, Invitation, Organisation, Person, Publication, Session, Task
from tui.domain.text import joined

Saved = TypeVar("Saved", Event, Person, Organisation, Publication, Session, Invitation, Task)

if TYPE_CHECKING:
    pass


NAMES_KEPT = 50


@dataclass
class ImportReport:
    """What one file did to the database."""

    file: str
    added: dict[str, list[str]] = field(default_factory=dict)
    """Names of what was added, by kind: the first NAMES_KEPT of each (counts are below)."""
    updated: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    """(added|updated, kind) -> how many: a large calendar adds a million guests, whose
    names are not worth holding in memory."""
    unchanged: int = 0
    linked: int = 0
    skipped: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    """For each updated record: "label: field, field"."""
    kept: list[str] = field(default_factory=list)
    """For each record whose stored text the file would have cut short: "label: field"
    (the file's text was only the start of the stored one; see save_if_changed)."""
    mentioned: list[str] = field(default_factory=list)
    """Organisations a page's text names ("Peace in Our Cities (PiOC)") that are not the
    event's partners: said, so the officer can add the ones that are (e key)."""

    namesakes: list[str] = field(default_factory=list)
    """Guests added as new people though someone of their name is here, with another
    e-mail address ("Grace Wanjiru <g.w@example.net>: ..."): said, not matched by name
    (the file's address was dropped and the other Grace invited)."""

    refused: list[str] = field(default_factory=list)
    """For a folder: its files that were refused, by name (and line): each said in
    `skipped`, nothing of them written."""

    files: dict[str, int] = field(default_factory=dict)
    """The files read, by kind ("page": 2, "calendar": 1): a file on its own is one, a
    folder's each file read whole (not those refused or passed over)."""
    files_unchanged: int = 0
    """For a folder: how many of its files read brought nothing new (already here)."""
    folder: bool = False
    """The report of a folder: its summary says how many files of each kind it read."""

    _updated_seen: set[tuple[str, object]] = field(default_factory=set, init=False, repr=False)
    """(kind, record) of the updates noted with a `record` (see note)."""

    def note(self, change: str, kind: str, label: str, record: object = None) -> None:
        """Record that a record of `kind` was added or updated. `record` (its id): an
        update of one already noted is not counted again (a guest's two answers in one
        mailbox said "updated 2 guests"); labels alone can be alike for two records."""
        if change != "added" and record is not None:
            if (kind, record) in self._updated_seen:
                return
            self._updated_seen.add((kind, record))
        target = self.added if change == "added" else self.updated
        names = target.setdefault(kind, [])
        if len(names) < NAMES_KEPT:
            names.append(label)
        self.counts[change, kind] = self.counts.get((change, kind), 0) + 1

    @property
    def wrote(self) -> bool:
        """Whether the import added, updated or linked anything (a mail whose reply was
        not applied, a file imported again, wrote nothing)."""
        return bool(self.counts or self.added or self.updated or self.linked)

    def absorb(self, part: ImportReport, name: str) -> None:
        """Count what one file of a folder did (`part`, read from `name`) in this report
        of the folder; its skipped lines name the file (`name` "": they do already)."""
        for change, source, target in (
            ("added", part.added, self.added),
            ("updated", part.updated, self.updated),
        ):
            for kind, labels in source.items():
                names = target.setdefault(kind, [])
                names.extend(labels[: NAMES_KEPT - len(names)])
                count = part.counts.get((change, kind), len(labels))
                self.counts[change, kind] = self.counts.get((change, kind), 0) + count
        self.unchanged += part.unchanged
        self.linked += part.linked
        for kind, count in part.files.items():
            self.files[kind] = self.files.get(kind, 0) + count
        if not part.wrote:
            self.files_unchanged += sum(part.files.values())
        self.skipped.extend(
            line if not name or line.startswith((f"{name}:", f"{name} ")) else f"{name}: {line}"
            for line in part.skipped
        )
        self.changes.extend(part.changes)
        self.kept.extend(part.kept)
        self.namesakes.extend(part.namesakes)
        self.mentioned.extend(m for m in part.mentioned if m not in self.mentioned)

    def summary(self) -> str:
        """One line: "file: added 3 events, 2 people; updated 1 event; linked 4"."""

        def part(verb: str, changes: dict[str, list[str]]) -> str | None:
            if not changes:
                return None
            numbers = {
                kind: self.counts.get((verb, kind), len(names)) for kind, names in changes.items()
            }
            counts = ", ".join(f"{n} {_plural(k, n)}" for k, n in numbers.items())
            return f"{verb} {counts}"

        parts = [p for p in (part("added", self.added), part("updated", self.updated)) if p]
        if self.linked:
            parts.append(f"linked {self.linked}")
        if self.folder and not self.files:
            parts.append("nothing imported")
        elif not parts and (not self.skipped or self.unchanged or self.files_unchanged):
            # Said beside what was skipped too: a folder imported again said only
            # "skipped 1" (its README), not that its pages were all here already.
            parts.append("nothing new")
        if self.skipped:
            parts.append(self._skipped_words())
        if self.kept:
            count = len(self.kept)
            texts = "text" if count == 1 else "texts"
            parts.append(
                f"kept {count} longer stored {texts}: the file's is only its start (cut off?)"
            )
        if self.mentioned:
            shown = ", ".join(self.mentioned[:3]) + (", …" if len(self.mentioned) > 3 else "")
            parts.append(f"its text names {shown}: not made partners")
        read = f"{files_in_words(self.files)}: " if self.folder and self.files else ""
        return f"{self.file}: {read}{'; '.join(parts)}"

    def _skipped_words(self) -> str:
        """ "skipped 3", and for a folder which were refused and which passed over: the
        count agrees with the lines listed and with the files the import says it refused."""
        count = len(self.skipped)
        refused = len(self.refused)
        if not refused:
            return f"skipped {count}"
        files = "file" if refused == 1 else "files"
        if refused == count:
            return f"skipped {count}: {refused} {files} refused"
        return f"skipped {count}: {refused} {files} refused, {count - refused} passed over"


FILE_KINDS = {
    ".txt": "page",
    ".ics": "calendar",
    ".csv": "guest list",
    ".toml": "Convener file",
    ".json": "Convener file",
    ".eml": "mail",
    ".mbox": "mailbox",
}
"""What a file read as each format is called (told_format's names)."""


def files_in_words(files: dict[str, int]) -> str:
    """{"page": 2, "calendar": 1} -> "2 pages and 1 calendar"."""
    said = [f"{n} {kind if n == 1 else _plural_file(kind)}" for kind, n in files.items()]
    return joined(said)


def _plural_file(kind: str) -> str:
    return {"mailbox": "mailboxes", "mail folder": "mail folders"}.get(kind, kind + "s")


def _plural(kind: str, count: int) -> str:
    if count == 1:
        return kind
    return {"person": "people", "session": "sessions", "invitation": "guests"}.get(kind, kind + "s")


def differs(old: Any, new: Any) -> bool:
    """True when two versions of a record differ in any field the officer sees."""
    return bool(changed_fields(old, new))


def changed_fields(old: Any, new: Any) -> list[str]:
    """Names of the fields an officer would see change."""
    skip = {"id", "uid", "created_at", "updated_at", "deleted_at", "speakers"}
    return [
        f.name
        for f in fields(old)
        if f.name not in skip and not _same(f.name, getattr(old, f.name), getattr(new, f.name))
    ]


def _same(name: str, old: Any, new: Any) -> bool:
    # A repeat rule reads the same with or without its "RRULE:" name (the form keeps the
    # rule bare, a calendar file names it): our own .ics imported back changed nothing,
    # yet said "changed: repeat" and made an undo step and a sync.
    if name == "repeat" and isinstance(old, str) and isinstance(new, str):
        return _rule_lines(old) == _rule_lines(new)
    return bool(old == new)


def _rule_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return [line[6:] if line.upper().startswith("RRULE:") else line for line in lines]
