"""ImportScreen: type paths (globs and ~ welcome), import them with progress, read the summary."""

from __future__ import annotations

import glob
import shlex
import time
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ProgressBar, RichLog, Static
from textual.worker import get_current_worker

from tui.context import UsesConvener
from tui.domain.errors import Cancelled, ConvenerError, NeedsEvent, describe
from tui.domain.importers.report import files_in_words
from tui.domain.text import clean, clean_line
from tui.key_bar import KeyBar
from tui.worker_errors import ReportsWorkerErrors

STEPS = 1000
"""Progress-bar steps per file: a large file moves the bar as it is read."""


CHANGES_SHOWN = 30
"""Lines of "what changed" shown per file (replies: "Ana at Dinner: invited -> accepted")."""


def expand_paths(typed: str) -> list[Path]:
    """Paths from what was typed: shell-style quoting, ~, and wildcards ("pages/*.txt");
    each file once."""
    try:
        words = shlex.split(typed)
    except ValueError as error:
        raise ValueError(f"cannot read the paths: {error}") from None
    paths: list[Path] = []
    for word in words:
        expanded = str(Path(word).expanduser())
        if glob.has_magic(expanded):
            matches = sorted(glob.glob(expanded))
            if not matches:
                raise ValueError(f"nothing matches {word}")
        elif not Path(expanded).exists():
            raise ValueError(f"no such file: {word}")
        else:
            matches = [expanded]
        paths.extend(Path(m) for m in matches)
    # A file two patterns match is read once ("*.toml seeds.toml"), where it first came.
    seen: set[Path] = set()
    once = []
    for path in paths:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            once.append(path)
    return once


class ImportScreen(UsesConvener, ReportsWorkerErrors, ModalScreen[bool]):
    """Import files into the database; dismisses with True when anything was imported."""

    BINDINGS = [
        Binding(
            "escape",
            "close",
            "Close",
            id="import.close",
            tooltip="Close (a running import is cancelled: nothing of the file it is on is kept)",
        ),
        # The path box keeps the focus after an import (another path can be typed at
        # once): these keys, which it does not take, scroll the report under it.
        Binding(
            "up",
            "scroll_report('up')",
            "Up",
            id="import.up",
            tooltip="Scroll the report up",
            show=False,
        ),
        Binding(
            "down",
            "scroll_report('down')",
            "Down",
            id="import.down",
            tooltip="Scroll the report down",
            show=False,
        ),
        Binding(
            "pageup",
            "scroll_report('page_up')",
            "Page up",
            id="import.page_up",
            tooltip="The report's page before",
            show=False,
        ),
        Binding(
            "pagedown",
            "scroll_report('page_down')",
            "Page down",
            id="import.page_down",
            tooltip="The report's next page",
            show=False,
        ),
        Binding(
            "ctrl+home",
            "scroll_report('home')",
            "Top",
            id="import.top",
            tooltip="The report's first line",
            show=False,
        ),
        Binding(
            "ctrl+end",
            "scroll_report('end')",
            "Bottom",
            id="import.bottom",
            tooltip="The report's last line",
            show=False,
        ),
    ]
    """
    | key | does |
    |---|---|
    | enter | import the typed files |
    | (typing) | a new path: the report of the last import goes |
    | up/down, page up/down, ctrl+home/ctrl+end | scroll the report, once the import is done |
    | escape | close; during an import, cancel it (the file being read is left out whole) |
    """

    DEFAULT_CSS = """
    ImportScreen { align: center middle; }
    ImportScreen > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 90%; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    ImportScreen #import-error { color: $error; height: auto; }
    ImportScreen #import-hint { color: $text-muted; }
    ImportScreen RichLog {
        height: auto; max-height: 16; border: none; background: $surface;
        scrollbar-gutter: stable;
    }
    ImportScreen > Vertical.-reporting { height: 90%; }
    ImportScreen > Vertical.-reporting RichLog { height: 1fr; max-height: 100%; }
    ImportScreen ProgressBar { margin: 1 0 0 0; }
    ImportScreen #import-reading { color: $text-muted; height: auto; }
    """

    @dataclass
    class Progress(Message):
        """One file done (or failed)."""

        done: int
        total: int
        line: str
        ok: bool

    @dataclass
    class Reading(Message):
        """How far into a large file the import is."""

        done: int
        total: int
        name: str
        step: float
        """Files done before this one plus the fraction of this one read."""

    @dataclass
    class Finished(Message):
        """Every file was tried (or the import was cancelled)."""

        read: dict[str, int]
        """The files read whole, by kind ("page": 2): a folder's files each count."""
        unchanged: int
        """How many of them brought nothing new (already here)."""
        failed: int
        """Files refused (a folder's included): nothing written from them."""
        cancelled: str | None = None
        """The file the import was cancelled in."""
        backup: Path | None = None
        """The copy of the database written before, when files before it were imported."""

    def __init__(self, *, event_id: int | None = None, event_title: str = "") -> None:
        super().__init__()
        self.event_id = event_id
        """Set: a guest list (.csv) for this event is imported, nothing else."""
        self._event_title = event_title
        self._imported_any = False
        self._importing = False
        self._cancelling = False

    def compose(self) -> ComposeResult:
        with Vertical():
            if self.event_id is not None:
                yield Label(
                    clean_line(f"Import a guest list into {self._event_title}"), markup=False
                )
                yield Input(placeholder="~/Downloads/guests.csv", id="import-input")
                hint = (
                    "A guest list (.csv): name, email, organisation, role, status, needs…;"
                    " people matched by email, then name. enter: import · escape: close ·"
                    " u undoes the whole file"
                )
            else:
                yield Label("Import files", markup=False)
                yield Input(placeholder="~/pages/*.txt data/seeds.toml", id="import-input")
                hint = (
                    "Event or publication pages (.txt, .md), iCalendar (.ics), Convener"
                    " files (.toml, .json), e-mail replies (.eml, .mbox, a Maildir), or a"
                    " folder of any of them. enter: import · escape: close"
                )
            yield Static("", id="import-error", markup=False)
            yield Static(hint, id="import-hint", markup=False)
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static("", id="import-reading", markup=False)
            yield RichLog(id="import-log", markup=False, wrap=True, min_width=20)
        yield KeyBar()  # its own keys, not those of the screen behind it

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one(RichLog).display = False
        self.query_one(Input).focus()

    @on(Input.Submitted, "#import-input")
    def begin_import(self, message: Input.Submitted) -> None:
        if self._importing:
            return
        error = self.query_one("#import-error", Static)
        try:
            paths = expand_paths(message.value)
        except ValueError as problem:
            error.update(Text(clean(str(problem))))
            return
        if not paths:
            error.update("Type at least one file.")
            return
        if self.event_id is not None:
            if len(paths) != 1 or paths[0].suffix.lower() != ".csv":
                error.update("A guest list is one .csv file.")
                return
        error.update("")
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=len(paths) * STEPS, progress=0)
        log = self.query_one(RichLog)
        log.display = True
        log.clear()
        # The report takes the rows the dialog has left: its last line in sight, and the
        # rest a scroll away (it ran past a small window's bottom, out of reach).
        self.query_one("ImportScreen > Vertical").add_class("-reporting")
        self._importing = True
        self._cancelling = False
        self.import_files(paths)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def import_files(self, paths: list[Path]) -> None:
        """Each file in its own transaction, off the UI thread.

        A large calendar tells how far it has read; cancelling (escape) stops it in the
        middle, and its transaction is rolled back: nothing of that file is kept.
        """
        try:
            self._import_each(paths)
        except Exception as error:
            # Whatever went wrong, the dialog hears that the import stopped: it waited for
            # a Finished that never came, and escape only said "Cancelling…" for ever.
            line = f"Import stopped: {describe(error)}"
            self.post_message(self.Progress(0, len(paths), line, ok=False))
            self.post_message(self.Finished({}, 0, len(paths)))

    def _import_each(self, paths: list[Path]) -> None:
        worker = get_current_worker()
        read: dict[str, int] = {}
        unchanged = failed = 0
        planner = self.convener.planner
        changes = planner.changes_made()
        try:
            backup = planner.backup_before_import(paths)
        except ConvenerError as error:
            self.post_message(self.Progress(0, len(paths), str(error), ok=False))
            self.post_message(self.Finished({}, 0, len(paths)))
            return
        for number, path in enumerate(paths, start=1):
            if worker.is_cancelled:
                kept = planner.import_backup_kept(backup, changes)  # None: nothing written
                self.post_message(self.Finished(read, unchanged, failed, path.name, kept))
                return
            told = 0.0

            def progress(done: int, total: int, path: Path = path, number: int = number) -> None:
                nonlocal told
                if worker.is_cancelled:
                    raise Cancelled(f"cancelled: nothing of {path.name} was written")
                now = time.monotonic()
                if now - told >= 0.1:  # a frame's worth: the bar need not hear every batch
                    told = now
                    step = number - 1 + (done / total if total else 0)
                    self.post_message(self.Reading(done, total, path.name, step))

            try:
                report = self.convener.planner.import_file(
                    path, event_id=self.event_id, large=True, progress=progress
                )
            except Cancelled:
                kept = planner.import_backup_kept(backup, changes)
                # A folder's files are each imported on their own: those before the one
                # being read are kept (see on_import_screen_finished).
                name = f"{path.name}/" if path.is_dir() else path.name
                self.post_message(self.Finished(read, unchanged, failed, name, kept))
                return
            except NeedsEvent as error:
                failed += 1
                line = f"{error}: import it from the event's guest list (i there)"
                self.post_message(self.Progress(number, len(paths), line, ok=False))
                continue
            except ConvenerError as error:
                failed += 1
                self.post_message(self.Progress(number, len(paths), str(error), ok=False))
                continue
            except Exception as error:
                # The file's transaction was rolled back; say so and go on with the next,
                # so the screen finishes (it stayed at 50% with escape doing nothing).
                failed += 1
                line = f"{path.name}: not imported: {describe(error)}"
                self.post_message(self.Progress(number, len(paths), line, ok=False))
                continue
            for kind, count in report.files.items():
                read[kind] = read.get(kind, 0) + count
            # A folder counts its files; a file that wrote nothing (imported again, a mail
            # whose reply was not applied) is one with nothing new.
            unchanged += report.files_unchanged if report.folder else (0 if report.wrote else 1)
            failed += len(report.refused)  # a folder's files refused (said among skipped)
            line = report.summary()
            if self.event_id is not None:
                # A guest list says line by line what changed: who was added, what changed.
                details = [f"+ {name}" for name in report.added.get("guest", [])]
                details += [f"~ {change}" for change in report.changes]
                details += [f"! {namesake}" for namesake in report.namesakes]
                if details:
                    line += "\n" + "\n".join(details[:40])
                    if len(details) > 40:
                        line += f"\n… and {len(details) - 40} more"
            else:
                for change in report.changes[:CHANGES_SHOWN]:
                    line += f"\n  {change}"
                if len(report.changes) > CHANGES_SHOWN:
                    line += f"\n  … and {len(report.changes) - CHANGES_SHOWN} more"
                for kept in report.kept[:CHANGES_SHOWN]:
                    line += f"\n  kept the stored {kept}"
            for skipped in report.skipped[:CHANGES_SHOWN]:  # one line each, with its reason
                line += f"\n  skipped {skipped}"
            self.post_message(self.Progress(number, len(paths), line, ok=True))
        backup = planner.import_backup_kept(backup, changes)
        if backup is not None:
            line = f"Backup of the database before this import: {backup}"
            self.post_message(self.Progress(len(paths), len(paths), line, ok=True))
        self.post_message(self.Finished(read, unchanged, failed))

    def on_import_screen_reading(self, message: ImportScreen.Reading) -> None:
        if not self._importing:
            return
        self.query_one(ProgressBar).update(progress=message.step * STEPS)
        self.query_one("#import-reading", Static).update(
            f"Reading {message.name}: {_size(message.done)} of {_size(message.total)}"
            " · escape cancels (nothing of this file is kept)"
        )

    def on_import_screen_progress(self, message: ImportScreen.Progress) -> None:
        self.query_one(ProgressBar).update(progress=message.done * STEPS)
        self.query_one("#import-reading", Static).update("")
        style = "" if message.ok else "red"
        self.query_one(RichLog).write(Text(clean(message.line), style=style))
        if message.ok:
            self._imported_any = True

    def on_import_screen_finished(self, message: ImportScreen.Finished) -> None:
        self._importing = False
        self.query_one("#import-reading", Static).update("")
        summary = finished_words(message.read, message.unchanged, message.failed)
        imported = sum(message.read.values()) - message.unchanged
        if message.cancelled is not None:
            if message.cancelled.endswith("/"):
                summary = (
                    f"Import cancelled in the folder {message.cancelled}: nothing of the file"
                    " being read was written; its files read before it were kept"
                )
            else:
                summary = f"Import cancelled: nothing of {message.cancelled} was written"
            if imported > 0:
                before = "file before it was" if imported == 1 else "files before it were"
                summary += f" (the {imported} {before} imported)"
            if message.backup is not None:
                summary += f"; the database as it was before: {message.backup}"
            self.app.notify(summary + ".", markup=False, severity="warning")
            self.dismiss(self._imported_any)
            return
        self.app.notify(
            summary + ".", markup=False, severity="warning" if message.failed else "information"
        )
        if self._cancelling:  # escape came as the last file finished: leave, as asked
            self.dismiss(self._imported_any)
            return
        log = self.query_one(RichLog)
        log.write(
            Text(
                summary + ". ↑↓ scroll the report · type another path to import more"
                " · escape closes.",
                style="bold",
            )
        )
        # The path box keeps the focus: the next path can be typed at once (the report took
        # the focus, and typing then went nowhere).
        self.query_one("#import-input", Input).focus()

    @on(Input.Changed, "#import-input")
    def new_path_typed(self) -> None:
        """A path typed after an import: the last import's report and any problem go (the
        old report stayed under the new path, read as if it were that path's)."""
        if self._importing:
            return
        self.query_one("#import-error", Static).update("")
        log = self.query_one(RichLog)
        if not log.display:
            return
        log.clear()
        log.display = False
        self.query_one(ProgressBar).display = False
        self.query_one("ImportScreen > Vertical").remove_class("-reporting")

    def action_scroll_report(self, how: str) -> None:
        """Scroll the report (`how`: up, down, page_up, page_down, home, end)."""
        log = self.query_one(RichLog)
        if not log.display:
            return
        moves = {
            "up": log.scroll_up,
            "down": log.scroll_down,
            "page_up": log.scroll_page_up,
            "page_down": log.scroll_page_down,
            "home": log.scroll_home,
            "end": log.scroll_end,
        }
        moves[how](animate=False)

    def action_close(self) -> None:
        """Close; a running import is cancelled first (the screen closes once it stopped)."""
        if self._importing:
            if not self._cancelling:
                self._cancelling = True
                for worker in self.workers:
                    worker.cancel()
                self.query_one("#import-reading", Static).update(
                    "Cancelling: nothing of the file being read will be kept…"
                )
            return
        self.dismiss(self._imported_any)


def finished_words(read: dict[str, int], unchanged: int, refused: int) -> str:
    """The import's last line: "Imported 2 pages", "2 pages: nothing new", "Imported
    3 pages (1 with nothing new); 1 file refused (nothing written from it)"."""
    total = sum(read.values())
    if total == 0:
        words = "Nothing imported"
    elif unchanged >= total:
        words = f"{files_in_words(read)}: nothing new"
    else:
        words = f"Imported {files_in_words(read)}"
        if unchanged:
            words += f" ({unchanged} with nothing new)"
    if refused:
        files, it = ("file", "it") if refused == 1 else ("files", "them")
        words += f"; {refused} {files} refused (nothing written from {it})"
    return words


def _size(count: int) -> str:
    """Bytes as an officer reads them: 830 KB, 12.4 MB."""
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    return f"{max(1, round(count / 1024))} KB"
