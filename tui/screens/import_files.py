"""ImportScreen: type paths (globs and ~ welcome), import them with progress, read the summary."""

from __future__ import annotations

import glob
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ProgressBar, RichLog, Static
from textual.worker import get_current_worker

from tui.domain.errors import ConvenerError
from tui.domain.text import clean

if TYPE_CHECKING:
    from tui.app import ConvenerApp


def expand_paths(typed: str) -> list[Path]:
    """Paths from what was typed: shell-style quoting, ~, and wildcards ("pages/*.txt")."""
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
    return paths


class ImportScreen(ModalScreen[bool]):
    """Import files into the database; dismisses with True when anything was imported."""

    BINDINGS = [
        Binding(
            "escape",
            "close",
            "Close",
            id="import.close",
            tooltip="Close (a running import stops after the current file)",
        ),
    ]
    """
    | key | does |
    |---|---|
    | enter | import the typed files |
    | escape | close |
    """

    DEFAULT_CSS = """
    ImportScreen { align: center middle; }
    ImportScreen > Vertical {
        width: 90; height: auto; max-height: 90%; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    ImportScreen #import-error { color: $error; height: auto; }
    ImportScreen #import-hint { color: $text-muted; }
    ImportScreen RichLog { height: auto; max-height: 16; border: none; background: $surface; }
    ImportScreen ProgressBar { margin: 1 0 0 0; }
    """

    @dataclass
    class Progress(Message):
        """One file done (or failed)."""

        done: int
        total: int
        line: str
        ok: bool

    @dataclass
    class Finished(Message):
        """Every file was tried."""

        imported: int
        failed: int

    def __init__(self) -> None:
        super().__init__()
        self._imported_any = False
        self._importing = False

    @property
    def convener(self) -> ConvenerApp:
        """The app, typed."""
        return cast("ConvenerApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Import files", markup=False)
            yield Input(placeholder="~/pages/*.txt data/seeds.toml", id="import-input")
            yield Static("", id="import-error", markup=False)
            yield Static(
                "Event or publication pages (.txt), iCalendar (.ics), Convener files "
                "(.toml, .json). enter: import · escape: close",
                id="import-hint",
                markup=False,
            )
            yield ProgressBar(id="import-progress", show_eta=False)
            yield RichLog(id="import-log", markup=False, wrap=True)

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
        error.update("")
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=len(paths), progress=0)
        log = self.query_one(RichLog)
        log.display = True
        log.clear()
        self._importing = True
        self.import_files(paths)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def import_files(self, paths: list[Path]) -> None:
        """Each file in its own transaction, off the UI thread; stops early when cancelled."""
        worker = get_current_worker()
        imported = failed = 0
        for number, path in enumerate(paths, start=1):
            if worker.is_cancelled:
                break
            try:
                report = self.convener.planner.import_file(path)
            except ConvenerError as error:
                failed += 1
                self.post_message(self.Progress(number, len(paths), str(error), ok=False))
                continue
            imported += 1
            line = report.summary()
            if report.skipped:
                line += " (" + "; ".join(report.skipped) + ")"
            self.post_message(self.Progress(number, len(paths), line, ok=True))
        self.post_message(self.Finished(imported, failed))

    def on_import_screen_progress(self, message: ImportScreen.Progress) -> None:
        self.query_one(ProgressBar).update(progress=message.done)
        style = "" if message.ok else "red"
        self.query_one(RichLog).write(Text(clean(message.line), style=style))
        if message.ok:
            self._imported_any = True

    def on_import_screen_finished(self, message: ImportScreen.Finished) -> None:
        self._importing = False
        summary = f"Imported {message.imported} file{'s' if message.imported != 1 else ''}"
        if message.failed:
            summary += f", {message.failed} refused (nothing written from those)"
        self.query_one(RichLog).write(Text(summary + ". escape closes.", style="bold"))
        self.app.notify(
            summary + ".", markup=False, severity="warning" if message.failed else "information"
        )

    def action_close(self) -> None:
        """Close; a running import stops after the file it is on."""
        for worker in self.workers:
            worker.cancel()
        self.dismiss(self._imported_any)
