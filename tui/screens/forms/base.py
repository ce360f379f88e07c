"""FormScreen: labelled fields checked as they are typed; ctrl+s saves, escape asks first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select, Static, TextArea

from tui.context import UsesConvener
from tui.domain.errors import ConvenerError
from tui.domain.models import RecordKind
from tui.domain.record_toml import plain_value
from tui.domain.text import clean_line
from tui.key_bar import KeyBar
from tui.modals import OpensDialogs
from tui.typeahead import TakesTypedKeys, field_moves, release_keys, typed_keys_handled
from tui.widgets.letter_select import LetterSelect
from tui.widgets.picks import Pick, Picks

if TYPE_CHECKING:
    from tui.form_drafts import FormDraft

Result = TypeVar("Result")


class ListSuggester(SuggestFromList):
    """Completion from a list, also at once (see CompletingInput)."""

    def suggest_now(self, value: str) -> str | None:
        """The completion of `value`, looked up now (as get_suggestion finds it)."""
        wanted = value if self.case_sensitive else value.casefold()
        for index, suggestion in enumerate(self._for_comparison):
            if suggestion.startswith(wanted):
                return self._suggestions[index]
        return None


class CompletingInput(Input):
    """An Input whose `→` at the end takes the completion even when the completion has
    not come back yet: Textual looks it up on a worker after each change, and a `→` typed
    in the same burst as the letters (a paste, a fast typist, a script) found none and
    was lost, the completion then shown but not taken."""

    def action_cursor_right(self, select: bool = False) -> None:
        suggester = self.suggester
        if (
            not select
            and self.cursor_at_end
            and self.value
            and not self._suggestion
            and isinstance(suggester, ListSuggester)
        ):
            found = suggester.suggest_now(self.value)
            if found is not None and found != self.value:
                self._suggestion = found
        super().action_cursor_right(select)


TO_WITHOUT_FROM = "to: give a From time too (or leave To blank)"
"""Said under To when From is blank (event and session forms): an end time alone was
saved and then shown nowhere."""


@dataclass(frozen=True)
class Field:
    """One field of a form: its name, label, starting text, and how it is checked."""

    name: str
    label: str
    value: str = ""
    choices: Sequence[str] | None = None
    """A select of these values instead of a text box."""
    allow_blank: bool = True
    check: Callable[[str], Any] | None = None
    """Raises ConvenerError when the text is not acceptable."""
    placeholder: str = ""
    multiline: bool = False
    """A text area (Markdown, notes) instead of a one-line box."""
    suggestions: Sequence[str] = field(default_factory=tuple)
    """Completions offered as you type (time zones)."""
    picks: RecordKind | None = None
    """Linked records of this kind, chosen with a type-to-search picker."""
    picked: Sequence[Pick] = ()
    roles: Sequence[str] | None = None
    """The parts a picked record can have (a speaker's role)."""
    hint: Callable[[str], str | None] | None = None
    """A note shown under the field as it is typed (how an ambiguous date was read)."""
    checked_with: Sequence[str] = ()
    """Fields whose check (or hint) reads this one's text: checked again when it changes
    (Ends against Starts), so that no field keeps a message about what it used to hold."""


DRAFT_DELAY = 0.4
"""Seconds after the last change before a form's text is kept in edits/ (tui.form_drafts)."""


class FormScreen(
    UsesConvener, TakesTypedKeys, OpensDialogs, ModalScreen[Result | None], Generic[Result]
):
    """A modal form; subclasses give the fields and build the record from the values."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="Check and save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Leave (asks if changed)"),
        Binding(
            "ctrl+r",
            "restore_draft",
            "Put back",
            id="form.restore",
            tooltip="Put back the text typed here before the app stopped",
            show=False,
        ),
        # A modal screen keeps the App's keys from its fields: the help is the form's own
        # (? where a field does not take it as text: a list, a choice; f1 anywhere).
        Binding(
            "question_mark,f1",
            "app.show_keys",
            "Keys",
            id="form.help",
            tooltip="Every key of this form",
            show=False,
        ),
        *field_moves("form"),
    ]
    """
    | key | does |
    |---|---|
    | tab, shift+tab | next / previous field |
    | ctrl+s | save (only when every field is valid) |
    | escape | cancel (asks first when something changed) |
    | ctrl+r | put back the text typed in this form before the app stopped (when some waits) |
    | f1 (? outside a text field) | the keys of this form |
    """

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > Vertical {
        width: 84; max-width: 100%; height: 90%; padding: 0 1;
        border: thick $accent; background: $surface;
    }
    FormScreen #form-title { text-style: bold; margin-bottom: 1; }
    FormScreen .form-row { height: auto; }
    FormScreen .form-label { width: 18; padding: 1 1 0 0; text-align: right; }
    FormScreen .form-row Input, FormScreen .form-row Select { width: 1fr; }
    FormScreen .form-row TextArea { width: 1fr; height: 6; }
    FormScreen .form-error { color: $error; padding-left: 18; height: auto; }
    FormScreen .form-error.-ok { display: none; }
    FormScreen .form-hint { color: $text-warning; padding-left: 18; height: auto; }
    FormScreen .form-hint.-ok { display: none; }
    FormScreen #form-help { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, title: str, fields: Sequence[Field]) -> None:
        super().__init__()
        self._title = title
        self.fields = list(fields)
        self._initial: dict[str, str] = {}
        self.before_build: Callable[[dict[str, str]], None] | None = None
        """Called with the fields' text just before the record is built (extra fields)."""
        self._draft: Path | None = None
        """This form's text kept in edits/ (see tui.form_drafts), once it was changed."""
        self._draft_lock = ExitStack()
        """Holds the draft's lock while the form is open (another window leaves it)."""
        self._draft_soon: Any = None
        """The timer that writes the draft a moment after the last change."""
        self._draft_locked = False
        self._draft_failed = False
        self._left: tuple[dict[str, str], str] | None = None
        """The text the form was saved with, until the save is known (see keep_left)."""
        self._offered: FormDraft | None = None
        """A draft an earlier form on this record left (FormDraft), until ctrl+r or a save."""
        self.check_built: Callable[[Result], None] | None = None
        """Checks the built record against the database before the form closes (an
        event's new days against its agenda): its refusal shows beside a field, and what
        was typed stays."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(clean_line(self._title), markup=False, id="form-title")
            with VerticalScroll():
                for item in self.fields:
                    with Horizontal(classes="form-row"):
                        yield Label(item.label, classes="form-label")
                        if item.picks is not None:
                            yield Picks(
                                item.picks, item.picked, roles=item.roles, id=f"field-{item.name}"
                            )
                        elif item.choices is not None:
                            options = [(choice, choice) for choice in item.choices]
                            yield LetterSelect(
                                options,
                                value=item.value if item.value in item.choices else Select.NULL,
                                allow_blank=item.allow_blank,
                                id=f"field-{item.name}",
                            )
                        elif item.multiline:
                            yield TextArea(item.value, id=f"field-{item.name}", soft_wrap=True)
                        else:
                            suggester = (
                                ListSuggester(item.suggestions, case_sensitive=False)
                                if item.suggestions
                                else None
                            )
                            yield CompletingInput(
                                item.value,
                                placeholder=item.placeholder,
                                suggester=suggester,
                                id=f"field-{item.name}",
                            )
                    yield Static(
                        "", markup=False, id=f"error-{item.name}", classes="form-error -ok"
                    )
                    if item.hint is not None:
                        yield Static(
                            "", markup=False, id=f"hint-{item.name}", classes="form-hint -ok"
                        )
            yield Static("ctrl+s saves · escape cancels · tab moves", id="form-help")
        # The form's own keys on the bottom line (the screen behind it showed its own there,
        # keys the form does not take).
        yield KeyBar()

    def on_mount(self) -> None:
        self._initial = self.values()
        for item in self.fields:
            if item.hint is not None:
                self.show_hint(item, self._initial[item.name])
        self.query_one(f"#field-{self.fields[0].name}").focus()
        release_keys(self.app)  # keys typed ahead now go to the first field, in order
        if self.draft_of() is not None:
            self.call_after_refresh(self._offer_draft)

    # -- what is typed, kept in edits/ until saved or cancelled (tui.form_drafts) -------

    def draft_of(self) -> tuple[str, int | None] | None:
        """The record this form's text is kept for: its kind and id (None for a new one);
        None keeps nothing (a form whose text is a click or two)."""
        return None

    def draft_label(self, values: dict[str, str]) -> str:
        """The record as the start's note names a draft of it: its title or name."""
        from tui.domain.text import clipped, quoted

        named = values.get("title") or values.get("name") or ""
        return quoted(clipped(named)) if named.strip() else ""

    def _drafts_folder(self) -> tuple[Path, str] | None:
        """edits/ beside the database and the database's uid; None for one in memory."""
        planner = self.convener.planner
        path = planner.database_path
        if str(path) == ":memory:":
            return None
        from tui.edit_files import FOLDER

        return path.parent / FOLDER, planner.database_uid()

    def _offer_draft(self) -> None:
        """Text typed in this form before the app stopped waits: said, and ctrl+r puts it
        back. Not a question: the keys typed straight after `n` or `e` (a burst) would
        answer it, an "r" in a title taking the old text up without a word."""
        from tui.display import officer_zone
        from tui.form_drafts import form_drafts

        key, place = self.draft_of(), self._drafts_folder()
        if key is None or place is None or not self.is_current:
            return
        drafts = form_drafts(place[0], place[1], *key)
        if not drafts:
            return
        self._offered = drafts[-1]
        when = self._offered.when(officer_zone(self.convener.settings.timezone))
        self.notify(
            clean_line(
                f"Text typed in this form on {when} was not saved (the app stopped with the"
                f" form open): ctrl+r puts it back; it waits in edits/{self._offered.path.name}"
                " until then, and saving this form discards it."
            ),
            severity="warning",
            markup=False,
            timeout=30,
        )

    def action_restore_draft(self) -> None:
        """Put back the text typed in this form before the app stopped (see _offer_draft)."""
        draft, self._offered = self._offered, None
        if draft is None or not draft.path.exists():
            self.notify("No unsaved text waits for this form.", markup=False)
            return
        _, values = draft.read()
        self._restore(values)
        draft.path.unlink(missing_ok=True)
        self._keep_draft_now()  # the text is this form's draft now
        self.notify("Put back the unsaved text: check it, then ctrl+s.", markup=False)

    def _restore(self, values: dict[str, str]) -> None:
        """Fill the fields from a draft's text (a linked-records field keeps its picks)."""
        for item in self.fields:
            if item.name not in values:
                continue
            text = values[item.name]
            widget = self.query_one(f"#field-{item.name}")
            if isinstance(widget, Select):
                if item.choices is not None and text in item.choices:
                    widget.value = text
            elif isinstance(widget, TextArea):
                widget.text = text
            elif isinstance(widget, Input):
                widget.value = text
                widget.cursor_position = len(text)

    def _keep_draft_soon(self) -> None:
        """Write the draft a moment after the last change (each key does not write)."""
        if self.draft_of() is None or not self.is_mounted:
            return
        if self._draft_soon is not None:
            self._draft_soon.stop()
        self._draft_soon = self.set_timer(DRAFT_DELAY, self._keep_draft_now)

    def _new_draft_path(self, key: tuple[str, int | None], database: str) -> Path:
        """Where a new draft of this form goes: edits/ (made 0700, as for E), named for
        the record, now and the database (OSError when the folder cannot be made)."""
        from tui.edit_files import FOLDER
        from tui.form_drafts import draft_name

        folder = self.convener.planner.folder(FOLDER)
        return folder / draft_name(key[0], key[1], datetime.now(UTC), database)

    def _keep_draft_now(self) -> None:
        from tui.edit_files import editing
        from tui.form_drafts import write_draft

        self._draft_soon = None
        key, place = self.draft_of(), self._drafts_folder()
        if key is None or place is None or not self.is_mounted:
            return
        values = self.values()
        if values == self._initial:
            self._drop_draft()  # back as it opened: nothing to keep
            return
        try:
            if self._draft is None:
                self._draft = self._new_draft_path(key, place[1])
            write_draft(self._draft, self.draft_label(values), values)
            if not self._draft_locked:  # locked once, while the form is open
                self._draft_lock.enter_context(editing(self._draft))
                self._draft_locked = True
        except OSError as error:
            if not self._draft_failed:
                self._draft_failed = True
                self.notify(
                    clean_line(f"This form's text cannot be kept in edits/ ({error})."),
                    severity="warning",
                    markup=False,
                )

    def _drop_draft(self) -> None:
        """The form is saved or cancelled: its draft goes (a kill leaves it)."""
        if self._draft_soon is not None:
            self._draft_soon.stop()
            self._draft_soon = None
        if self._draft is not None:
            self._draft.unlink(missing_ok=True)
            self._draft = None
        self._draft_lock.close()
        self._draft_locked = False

    def dismiss(self, result: Any = None) -> Any:
        if result is not None and self.draft_of() is not None:
            # The text the form closes with is remembered: its draft goes now, but a save
            # refused after the form closed (changed elsewhere, and "no" to saving over
            # it) writes it as a draft again (keep_left) rather than losing it.
            values = self.values()
            self._left = (values, self.draft_label(values))
        self._drop_draft()
        if result is not None and self._offered is not None:
            self._offered.path.unlink(missing_ok=True)  # saved over: that text is behind
            self._offered = None
        return super().dismiss(result)

    def keep_left(self) -> str | None:
        """Keep the text this form was closed with as a draft again (its save was refused
        after the form closed); the draft's file name, or None when nothing was kept."""
        from tui.form_drafts import write_draft

        key, place = self.draft_of(), self._drafts_folder()
        if self._left is None or key is None or place is None:
            return None
        values, label = self._left
        try:
            path = self._new_draft_path(key, place[1])
            write_draft(path, label, values)
        except OSError:
            return None
        self._left = None
        return path.name

    def on_unmount(self) -> None:
        # Closed without save or cancel (the app quits, a signal): the draft stays for
        # the next form on this record; only its lock goes.
        if self._draft_soon is not None:
            self._draft_soon.stop()
            self._draft_soon = None
        self._draft_lock.close()

    def values(self) -> dict[str, str]:
        """The text of every field as it stands."""
        result: dict[str, str] = {}
        for item in self.fields:
            widget = self.query_one(f"#field-{item.name}")
            if isinstance(widget, Select):
                value = widget.value
                result[item.name] = "" if value is Select.NULL else str(value)
            elif isinstance(widget, TextArea):
                result[item.name] = widget.text
            elif isinstance(widget, Picks):
                result[item.name] = widget.value
            else:
                assert isinstance(widget, Input)
                result[item.name] = widget.value
        return result

    def picked(self, name: str) -> list[Pick]:
        """The records chosen in a picks field, in order."""
        return list(self.query_one(f"#field-{name}", Picks).picks)

    def changed(self) -> bool:
        """True when any field differs from how the form opened."""
        return self.values() != self._initial

    def has_unsaved_changes(self) -> bool:
        """What quitting asks about (see ConvenerApp.action_quit)."""
        return self.is_mounted and self.changed()

    def _check(self, item: Field, text: str) -> str | None:
        if item.check is None:
            return None
        try:
            item.check(text)
        except ConvenerError as error:
            return error.message
        except Exception as error:  # a check that trips over odd input: say so, never crash
            return f"not accepted ({type(error).__name__})"
        return None

    def show_error(self, name: str, message: str | None) -> None:
        """Show (or clear) the message under a field."""
        error = self.query_one(f"#error-{name}", Static)
        error.update(clean_line(message or ""))
        error.set_class(message is None, "-ok")
        if message is not None and self.focused is self.query_one(f"#field-{name}"):
            self._in_sight(name)

    def _in_sight(self, name: str) -> None:
        """A field's message under it scrolled into view: in a small window the field was
        the last line shown, and what was wrong with it sat below, out of sight (as typed,
        and on ctrl+s)."""
        said = self.query_one(f"#error-{name}", Static)
        self.call_after_refresh(said.scroll_visible, animate=False)

    @on(TextArea.Changed)
    @on(Select.Changed)
    def chosen_or_written(self) -> None:
        self._keep_draft_soon()

    @on(Input.Changed)
    def typed(self, message: Input.Changed) -> None:
        self._keep_draft_soon()
        name = (message.input.id or "").removeprefix("field-")
        item = next((f for f in self.fields if f.name == name), None)
        if item is not None:
            self.show_error(name, self._check(item, message.value))
            if item.hint is not None:
                self.show_hint(item, message.value)
            values: dict[str, str] | None = None
            for other in self.fields:
                if other.name in item.checked_with:
                    values = values or self.values()
                    self.show_error(other.name, self._check(other, values[other.name]))
                    if other.hint is not None:
                        self.show_hint(other, values[other.name])

    def show_hint(self, item: Field, text: str) -> None:
        """Show (or hide) the note under a field with a hint."""
        assert item.hint is not None
        try:
            note = item.hint(text)
        except Exception:  # a hint is a courtesy: odd input shows none rather than crash
            note = None
        hint = self.query_one(f"#hint-{item.name}", Static)
        hint.update(clean_line(note or ""))
        hint.set_class(not note, "-ok")

    async def action_save(self) -> None:
        """Check every field, then build and return the record; on an error, say where.
        The keys typed before ctrl+s are in their fields first (typed_keys_handled)."""
        await typed_keys_handled(self.query_one(f"#field-{f.name}") for f in self.fields)
        if not self.is_current:
            return  # closed meanwhile (escape typed after ctrl+s, or a second ctrl+s)
        self.save_now()

    def edits_a_record(self) -> bool:
        """True when the form opened on a stored record (not a new one): saved unchanged,
        it closes saying so, with no change made and no step to undo."""
        return False

    def save_now(self) -> None:
        """Check every field, then build and return the record; on an error, say where."""
        if self.edits_a_record() and not self.changed():
            self.notify("Nothing changed.", markup=False)
            self.dismiss(None)
            return
        values = self.values()
        first_bad: str | None = None
        for item in self.fields:
            problem = self._check(item, values[item.name])
            self.show_error(item.name, problem)
            if problem and first_bad is None:
                first_bad = item.name
        if first_bad is None:
            try:
                if self.before_build is not None:
                    self.before_build(values)
                result = self.build(values)
                if self.check_built is not None:
                    self.check_built(result)
                self.dismiss(result)
                return
            except ConvenerError as error:
                first_bad = self.field_of(error) or self.fields[0].name
                self.show_error(first_bad, error.message)
        self.query_one(f"#field-{first_bad}").focus()
        self._in_sight(first_bad)
        self.notify("Not saved: fix the field marked in red.", severity="warning", markup=False)

    def field_of(self, error: ConvenerError) -> str | None:
        """The field an error from `build` is about, when its message names one."""
        for item in self.fields:
            if error.message.startswith(item.name) or error.message.startswith(item.label.lower()):
                return item.name
        return None

    def build(self, values: dict[str, str]) -> Result:
        """The record from the fields' text; raise ConvenerError when it does not hold."""
        raise NotImplementedError

    def action_cancel(self) -> None:
        """Leave without saving; ask first when something changed."""
        from tui.modals.confirm import close_or_ask

        close_or_ask(self, self.changed())


def field_text(value: Any) -> str:
    """A record's value as a form field shows it (times as HH:MM, dates ISO), as the
    record's document writes it."""
    return str(plain_value(value))
