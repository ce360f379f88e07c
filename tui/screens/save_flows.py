"""The editing flows screens share: an event (one occurrence or its series), a session,
a record in $EDITOR as TOML, a delete that says what goes with it.

Each takes the screen it starts from and a callback run after something was saved.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual.app import SuspendNotSupported
from textual.screen import Screen

from tui.domain.errors import Conflict, ConvenerError, NotFound
from tui.domain.models import (
    Event,
    Occurrence,
    Organisation,
    Person,
    Publication,
    Session,
    Speaker,
    Task,
)
from tui.domain.record_toml import (
    EditableRecord,
    EditedRecord,
    from_document,
    is_blank,
    kind_name,
    save_edited,
    strip_errors,
    to_document,
    with_error,
)
from tui.domain.text import clean, clean_line, clipped
from tui.domain.text import joined as and_joined
from tui.edit_files import FOLDER, UnfinishedEdit, edit_file_name, editing, unfinished_edits
from tui.modals.choose import ChooseScreen
from tui.modals.confirm import ConfirmScreen, ask_before_overwrite
from tui.screens.forms.event import EventEdit, EventFormScreen
from tui.screens.forms.session import SessionEdit, SessionFormScreen
from tui.widgets.picks import Pick

if TYPE_CHECKING:
    from tui.context import Convener
    from tui.domain.planner import Planner

ONE = "this occurrence only"
ALL = "the whole series"


def _app(host: Screen[Any]) -> Convener:
    return cast("Convener", host.app)


def _say(host: Screen[Any], text: str, severity: str = "information") -> None:
    host.app.notify(clean_line(text), severity=severity, markup=False)  # type: ignore[arg-type]


# -- events --------------------------------------------------------------------------


def new_event(
    host: Screen[Any], day: date, saved: Callable[[Event], None], at: time | None = None
) -> None:
    """A new event on `day`; given `at` (a time grid's slot), from then for an hour (to
    the end of the day when less is left)."""
    settings = _app(host).settings
    template = None
    if at is not None:
        start = datetime.combine(day, at)
        end = min(start + timedelta(hours=1), datetime.combine(day, time(23, 59)))
        template = Event(title="", start_date=day, end_date=day, start_time=at, end_time=end.time())
    screen = EventFormScreen(None, day, day_first=settings.day_first, template=template)
    host.app.push_screen(screen, lambda edit: save_event(host, edit, saved))


def edit_event(host: Screen[Any], occurrence: Occurrence, saved: Callable[[Event], None]) -> None:
    """Every field of an event; for a repeating one, this occurrence or the whole series."""
    planner = _app(host).planner
    try:
        event = planner.event(occurrence.event.id or 0)
    except NotFound as error:
        _say(host, str(error), "warning")
        return
    if not event.repeat:
        _event_form(host, event, saved)
        return

    def chosen(answer: str | None) -> None:
        if answer == ALL:
            _event_form(host, event, saved)
        elif answer == ONE:
            _occurrence_form(host, event, occurrence, saved)

    host.app.push_screen(ChooseScreen(f"{event.title} repeats. Edit:", (ONE, ALL)), chosen)


def _links(host: Screen[Any], event: Event) -> tuple[list[Pick], list[Pick]]:
    planner = _app(host).planner
    assert event.id is not None
    contacts = [Pick(c.id, c.name) for c in planner.contacts_for(event.id)]
    partners = [Pick(o.id or 0, o.name) for o in planner.partners_for(event.id)]
    return contacts, partners


def _event_form(host: Screen[Any], event: Event, saved: Callable[[Event], None]) -> None:
    contacts, partners = _links(host, event)
    screen = EventFormScreen(
        event,
        event.start_date,
        day_first=_app(host).settings.day_first,
        contacts=contacts,
        partners=partners,
    )
    planner = _app(host).planner
    screen.check_built = lambda edit: planner.check_agenda_fits(edit.event)
    links = (contacts, partners)
    host.app.push_screen(
        screen,
        lambda edit: save_event(
            host, edit, saved, base=event, base_links=links, kept=screen.keep_left
        ),
    )
    _say_edit_waiting(host, event)


def _occurrence_form(
    host: Screen[Any], series: Event, occurrence: Occurrence, saved: Callable[[Event], None]
) -> None:
    contacts, partners = _links(host, series)
    template = replace(
        series, start_date=occurrence.start_date, end_date=occurrence.end_date, repeat=None
    )
    screen = EventFormScreen(
        None,
        occurrence.start_date,
        day_first=_app(host).settings.day_first,
        contacts=contacts,
        partners=partners,
        template=template,
        title=f"Edit one occurrence ({occurrence.start_date.isoformat()}): {series.title}",
    )

    def done(edit: EventEdit | None) -> None:
        if edit is None:
            return
        planner = _app(host).planner
        try:
            with planner.unless_changed(None):  # one step with the new records typed
                new = planner.save_occurrence(
                    series,
                    occurrence.start_date,
                    edit.event,
                    _stored(planner, edit.contacts),
                    _stored(planner, edit.partners),
                )
        except ConvenerError as error:
            _say(host, str(error), "error")
            return
        said = f"Saved {clipped(new.title)} on its own; the series skips that day (u undoes)"
        updated = {"accepted", "tentative"}  # whom `mail update` writes to by default
        if series.id is not None and any(
            line.status in updated for line in planner.invitations_for(series.id)
        ):
            # What they are told: that day is off, or the day as it is now (not "moved":
            # a new title or room moves nothing).
            news = "hear that day is off" if new.status == "cancelled" else "see the change"
            said += f". Its guests {news} after `convener mail update {series.id}`"
        _say(host, said)
        saved(new)

    host.app.push_screen(screen, done)


def save_event(
    host: Screen[Any],
    edit: EventEdit | None,
    saved: Callable[[Event], None],
    *,
    overwrite: bool = False,
    base: Event | None = None,
    base_links: tuple[list[Pick], list[Pick]] | None = None,
    kept: Callable[[], str | None] | None = None,
) -> None:
    """Save what the event form returned. Changed elsewhere meanwhile: the fields (and
    the contacts or partners) the form left alone keep that change, and a field both
    changed is saved over only on a yes (`base`: the event as the form opened it)."""
    if edit is None:
        return
    planner = _app(host).planner
    event = edit.event
    contacts: list[Pick] | None = edit.contacts
    partners: list[Pick] | None = edit.partners
    if overwrite and event.id is not None:
        try:
            event = planner.overwriting(event, base)
        except ConvenerError as error:
            _say(host, str(error), "error")
            return
        if base_links is not None:  # links left as they were keep what was done elsewhere
            contacts = None if edit.contacts == base_links[0] else edit.contacts
            partners = None if edit.partners == base_links[1] else edit.partners
    result = _save_unless_changed(
        host,
        edit.event,
        overwrite,
        lambda: planner.save_event(
            event,
            None if contacts is None else _stored(planner, contacts),
            None if partners is None else _stored(planner, partners),
        ),
        lambda: save_event(host, edit, saved, overwrite=True, base=base, base_links=base_links),
        base,
        kept,
    )
    if result is not None:
        _say(host, f"Saved {clipped(result.title)} (u undoes)")
        saved(result)


def _stored(planner: Planner, picks: Sequence[Pick]) -> list[int]:
    """The ids of the records picked in a form, a new one typed in its picker added now:
    call it inside the step that saves the form (the step keeps the form record's name,
    and one undo takes back the save and the records added with it)."""
    return [planner.add_typed(p.new) if p.new is not None else cast(int, p.id) for p in picks]


def _speakers(planner: Planner, picks: Sequence[Pick]) -> list[Speaker]:
    """A session form's speakers, a new one typed added now (see _stored)."""
    ids = _stored(planner, picks)
    return [Speaker(i, p.name, p.role or "speaker") for i, p in zip(ids, picks, strict=True)]


def _save_unless_changed(
    host: Screen[Any],
    record: Any,
    overwrite: bool,
    write: Callable[[], Any],
    again: Callable[[], None],
    base: Any = None,
    kept: Callable[[], str | None] | None = None,
) -> Any:
    """`write()` in one transaction with the check that `record` was not changed elsewhere
    since it was read; if it was, call `again` (which keeps the changes made there to
    fields the edit of `base` left alone), asking first when the edit changed some of the
    same fields (or no `base` says which). None when nothing was saved."""
    planner = _app(host).planner
    try:
        with planner.unless_changed(None if overwrite else record):
            return write()
    except Conflict:
        ask_before_overwrite(
            host.app, again, None if base is None else planner.clashes(base, record), kept
        )
    except ConvenerError as error:
        _say(host, str(error), "error")
    return None


def delete_event(host: Screen[Any], occurrence: Occurrence, changed: Callable[[], None]) -> None:
    """To the trash, saying what goes with it; for a repeating one, ask which."""
    event = occurrence.event
    planner = _app(host).planner
    if event.repeat:

        def chosen(answer: str | None) -> None:
            if answer == ALL:
                _delete_whole(host, event, changed)
            elif answer == ONE:
                try:
                    planner.skip_occurrence(planner.event(event.id or 0), occurrence.start_date)
                except ConvenerError as error:
                    _say(host, str(error), "error")
                    return
                day = occurrence.start_date.isoformat()
                _say(host, f"{event.title} no longer happens on {day} (u undoes)")
                changed()

        host.app.push_screen(ChooseScreen(f"{event.title} repeats. Delete:", (ONE, ALL)), chosen)
        return
    _delete_whole(host, event, changed)


def _delete_whole(host: Screen[Any], event: Event, changed: Callable[[], None]) -> None:
    _confirm_trash(host, event, changed, "with its")


# -- sessions ------------------------------------------------------------------------


def edit_session(
    host: Screen[Any],
    event: Event,
    session: Session | None,
    day: date,
    saved: Callable[[Session], None],
) -> None:
    """A new session on `day`, or every field of one, with its speakers."""
    screen = SessionFormScreen(event, session, day, day_first=_app(host).settings.day_first)
    host.app.push_screen(
        screen, lambda edit: save_session(host, edit, saved, base=session, kept=screen.keep_left)
    )


def save_session(
    host: Screen[Any],
    edit: SessionEdit | None,
    saved: Callable[[Session], None],
    *,
    overwrite: bool = False,
    base: Session | None = None,
    kept: Callable[[], str | None] | None = None,
) -> None:
    """Save what the session form returned (changed elsewhere meanwhile: as save_event)."""
    if edit is None:
        return
    planner = _app(host).planner
    session = edit.session
    if overwrite and session.id is not None:
        try:
            session = planner.overwriting(session, base)
        except ConvenerError as error:
            _say(host, str(error), "error")
            return
    result = _save_unless_changed(
        host,
        edit.session,
        overwrite,
        lambda: planner.save_session(session, _speakers(planner, edit.speakers)),
        lambda: save_session(host, edit, saved, overwrite=True, base=base),
        base,
        kept,
    )
    if result is not None:
        _say(host, f"Saved {clipped(result.title)} (u undoes)")
        saved(result)


# -- $EDITOR -------------------------------------------------------------------------


def editor_command() -> list[str] | None:
    """$VISUAL, else $EDITOR, else the first of sensible-editor, nano, vi found."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            return shlex.split(value)
    for fallback in ("sensible-editor", "nano", "vi"):
        found = shutil.which(fallback)
        if found:
            return [found]
    return None


def edits_folder(planner: Planner) -> Path:
    """Where documents being edited are kept: edits/ beside the database (0700), so they
    survive a crash and stay with the database they belong to."""
    return planner.folder(FOLDER)


def _how_it_ended(status: int) -> str:
    """'stopped with status 3', or for a signal (subprocess's negative status) its name:
    'was stopped (SIGTERM)', not 'status -15'."""
    if status >= 0:
        return f"stopped with status {status}"
    import signal

    try:
        name = signal.Signals(-status).name
    except ValueError:
        name = f"signal {-status}"
    return f"was stopped ({name})"


def _run_editor(host: Screen[Any], command: list[str], path: Path) -> int | None:
    """Hand the terminal to the editor; its exit status, or None when it could not start."""
    app = host.app
    try:
        with app.suspend():
            return subprocess.call([*command, str(path)])
    except SuspendNotSupported:
        if not app.is_headless:
            _say(host, "This terminal cannot hand over to an editor.", "error")
            return None
        # Tests: the editor is a script that needs no terminal.
        return subprocess.call([*command, str(path)], stdin=subprocess.DEVNULL)
    except OSError as error:
        _say(host, f"Could not start the editor {command[0]}: {error.strerror}", "error")
        return None


def edit_in_editor(host: Screen[Any], record: EditableRecord, saved: Callable[[Any], None]) -> None:
    """The record as TOML in $VISUAL or $EDITOR, checked on return, reopened on a problem.

    What the officer typed is never lost: when they stop on a problem, or the editor
    fails, the file stays where it was written and the message says where; when an
    earlier edit of the record was left so (the app was killed meanwhile), it is offered
    back first.
    """
    command = editor_command()
    if command is None:
        _say(host, "No editor: set $EDITOR (e.g. export EDITOR=nano).", "error")
        return
    waiting = _waiting_edits(host, record)
    if waiting:
        _offer_unfinished(host, record, saved, command, waiting)
        return
    _fresh_edit(host, record, saved, command)


def _fresh_edit(
    host: Screen[Any], record: EditableRecord, saved: Callable[[Any], None], command: list[str]
) -> None:
    """The record as it is now, written to a new file in edits/ and opened in the editor."""
    planner = _app(host).planner
    try:
        name = edit_file_name(
            kind_name(record), record.id, datetime.now(UTC), planner.database_uid()
        )
        path = edits_folder(planner) / name
        document = to_document(planner, record)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(document)
    except OSError as error:
        _say(host, f"Could not write the file to edit: {error.strerror}", "error")
        return
    _editor_rounds(host, record, saved, command, path, document)


def _say_edit_waiting(host: Screen[Any], record: EditableRecord) -> None:
    """Opening a record's form, say that an edit of it left in $EDITOR waits (the form
    shows the record as saved; E takes the edit up)."""
    if record.id is None:
        return
    planner = _app(host).planner
    folder = planner.database_path.parent / FOLDER
    edits = unfinished_edits(folder, kind_name(record), record.id, database=planner.database_uid())
    if edits and _with_text_typed(planner, record, edits):  # untyped ones go, as E drops them
        kind = kind_name(record)
        _say(
            host,
            f"An unfinished edit of this {kind} waits in {FOLDER}/ (the form shows the {kind}"
            " as saved): E takes it up.",
        )


def _waiting_edits(host: Screen[Any], record: EditableRecord) -> list[UnfinishedEdit]:
    """The edits of `record` left unfinished, oldest first. One that holds nothing but the
    record as it is now (the app was killed before anything was typed) is removed."""
    if record.id is None:
        return []
    planner = _app(host).planner
    edits = unfinished_edits(
        planner.database_path.parent / FOLDER,
        kind_name(record),
        record.id,
        database=planner.database_uid(),
    )
    return _with_text_typed(planner, record, edits)


def _with_text_typed(
    planner: Planner, record: EditableRecord, edits: list[UnfinishedEdit]
) -> list[UnfinishedEdit]:
    """`edits` of `record` but those holding nothing but the record as it is now (removed:
    the app was killed before anything was typed)."""
    if not edits:
        return []
    current = strip_errors(to_document(planner, record))
    waiting: list[UnfinishedEdit] = []
    for edit in edits:
        try:
            text = edit.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            waiting.append(edit)  # offered all the same: the officer decides
            continue
        if strip_errors(text) == current:
            edit.path.unlink(missing_ok=True)
        else:
            waiting.append(edit)
    return waiting


def edits_to_name(
    planner: Planner, edits: list[UnfinishedEdit]
) -> tuple[list[UnfinishedEdit], list[UnfinishedEdit]]:
    """Of the edits this database's records have waiting in edits/ (named when the app
    starts), those with something typed in them (the others removed, as E removes them),
    and apart those whose record is gone or in the trash (E cannot reach them)."""
    waiting: list[UnfinishedEdit] = []
    gone: list[UnfinishedEdit] = []
    for edit in edits:
        try:
            record = planner.record_of(edit.kind, edit.record_id)
        except ConvenerError:  # gone since: the officer's text is named all the same
            gone.append(edit)
            continue
        waiting.extend(_with_text_typed(planner, record, [edit]))
    return waiting, gone


def _offer_unfinished(
    host: Screen[Any],
    record: EditableRecord,
    saved: Callable[[Any], None],
    command: list[str],
    waiting: list[UnfinishedEdit],
) -> None:
    """Ask about the latest unfinished edit of `record`: resume it in the editor (saved
    as any edit is, checked first), or discard it and edit the record as it is now."""
    from tui.display import officer_zone
    from tui.modals.unfinished import Choice, UnfinishedEditScreen

    app = _app(host)
    edit = waiting[-1]
    kind = kind_name(record)
    when = edit.when(officer_zone(app.settings.timezone))
    older = len(waiting) - 1
    more = f"; {older} older {'one waits' if older == 1 else 'ones wait'} after it" if older else ""
    question = (
        f"An unfinished edit of this {kind} from {when} is waiting"
        f" ({FOLDER}/{edit.path.name}{more}). r resumes it in the editor, d discards it and"
        f" edits the {kind} as it is now, escape leaves it waiting."
    )
    if _changed_since(record, edit):
        question += (
            f" The {kind} was changed after that edit began: resuming saves your text over"
            " those changes."
        )

    def answer(choice: Choice | None) -> None:
        if choice == "resume":
            document = to_document(app.planner, record)
            _editor_rounds(host, record, saved, command, edit.path, document)
        elif choice == "discard":
            edit.path.unlink(missing_ok=True)
            _say(host, f"Discarded the unfinished edit from {when}.")
            _fresh_edit(host, record, saved, command)
        else:
            _say(host, f"The unfinished edit waits in {edit.path}; E again takes it up.")

    host.app.push_screen(UnfinishedEditScreen(clean(question)), answer)


def _changed_since(record: EditableRecord, edit: UnfinishedEdit) -> bool:
    """True when the record was saved after `edit` began (its stamp is to the second)."""
    try:
        updated = datetime.fromisoformat(record.updated_at or "")
    except ValueError:
        return False
    if updated.tzinfo is None:
        updated = updated.replace(tzinfo=UTC)
    return updated >= edit.started + timedelta(seconds=1)


def _editor_rounds(
    host: Screen[Any],
    record: EditableRecord,
    saved: Callable[[Any], None],
    command: list[str],
    path: Path,
    document: str,
    last_problem: str | None = None,
    last_text: str | None = None,
) -> None:
    """The editor on `path` until what comes back is saved, cancelled or left with the
    same problem; any refusal (the document's own, or the save's: a session's day
    outside its event) reopens it with the problem on top."""
    with editing(path):  # another window on this database does not offer it meanwhile
        _edit_until_done(host, record, saved, command, path, document, last_problem, last_text)


def _edit_until_done(
    host: Screen[Any],
    record: EditableRecord,
    saved: Callable[[Any], None],
    command: list[str],
    path: Path,
    document: str,
    last_problem: str | None,
    last_text: str | None,
) -> None:
    app = _app(host)
    planner = app.planner
    while True:
        status = _run_editor(host, command, path)
        if status is None:
            return
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            _say(host, f"Could not read {path}: {error}", "error")
            return
        if status != 0:
            _say(host, f"The editor {_how_it_ended(status)}; your text is in {path}", "error")
            return
        if is_blank(text) or strip_errors(text) == strip_errors(document):
            path.unlink(missing_ok=True)
            _say(host, f"Nothing changed in {kind_name(record)} {_label(record)}.")
            return
        if (
            last_problem is not None
            and last_text is not None
            and strip_errors(text) == strip_errors(last_text)
        ):
            _say(host, f"Not saved: {last_problem}. Your text is in {path}", "error")
            return
        try:
            edited = from_document(planner, record, text, day_first=app.settings.day_first)
            problem = _save_edited(host, record, edited, path, saved, text, document)
        except ConvenerError as error:
            problem = error.message
        if problem is None:
            return
        last_problem, last_text = problem, text
        if not _mark_problem(host, path, text, problem):
            return


def _mark_problem(host: Screen[Any], path: Path, text: str, problem: str) -> bool:
    """The problem written on top of the document to reopen; False (said) when it cannot be."""
    try:
        path.write_text(with_error(text, problem), encoding="utf-8")
    except OSError as error:
        _say(host, f"Not saved: {problem}. Could not write {path}: {error.strerror}", "error")
        return False
    return True


def _save_edited(
    host: Screen[Any],
    record: EditableRecord,
    edited: EditedRecord,
    path: Path,
    saved: Callable[[Any], None],
    text: str,
    document: str,
    overwrite: bool = False,
) -> str | None:
    """Save the record read back from `path`; the problem when it is refused, None when
    it was saved or a change made elsewhere meanwhile is being asked about."""
    planner = _app(host).planner
    if overwrite and record.id is not None:
        with suppress(NotFound):
            edited = replace(edited, record=planner.overwriting(edited.record, record))
    try:
        with planner.unless_changed(None if overwrite else record):
            result = save_edited(planner, edited)
    except Conflict:

        def again() -> None:
            # Asked after the editor closed: a refusal now reopens it as before.
            try:
                problem = _save_edited(
                    host, record, edited, path, saved, text, document, overwrite=True
                )
            except ConvenerError as error:
                problem = error.message
            if problem is not None and _mark_problem(host, path, text, problem):
                command = editor_command()
                if command is None:
                    _say(host, f"Not saved: {problem}. Your text is in {path}", "error")
                    return
                _editor_rounds(host, record, saved, command, path, document, problem, text)

        ask_before_overwrite(host.app, again, planner.clashes(record, edited.record))
        return None
    except ConvenerError as error:
        return error.message
    path.unlink(missing_ok=True)
    _say(host, f"Saved {_label(result)} (u undoes)")
    saved(result)
    return None


def edit_record(
    host: Screen[Any],
    kind: str,
    record: Person | Organisation | Publication | None,
    saved: Callable[[Any], None],
) -> None:
    """A person, organisation or publication in its form (a new one when `record` is
    None); a change made elsewhere meanwhile is asked about before it is overwritten."""
    from tui.screens.forms.base import FormScreen
    from tui.screens.forms.organisation import OrganisationFormScreen
    from tui.screens.forms.person import PersonFormScreen
    from tui.screens.forms.publication import PublicationFormScreen

    planner = _app(host).planner
    screen: FormScreen[Any]
    if kind == "person":
        person = record if isinstance(record, Person) else None
        organisation = planner.organisation_field(person.organisation_id) if person else ""
        screen = PersonFormScreen(person, organisation)
    elif kind == "organisation":
        screen = OrganisationFormScreen(record if isinstance(record, Organisation) else None)
    else:
        screen = PublicationFormScreen(record if isinstance(record, Publication) else None)
    organisation_box: list[str] = []

    def save(result: Any, overwrite: bool = False) -> None:
        if result is None:
            return
        try:
            if overwrite and record is not None:
                # What the form left alone keeps a change made elsewhere meanwhile.
                result = planner.overwriting(result, record)
            with planner.unless_changed(None if overwrite else record):
                if isinstance(result, Person):
                    stored = planner.save_person(result, organisation_box[0])
                else:
                    stored = planner.save(result)
        except Conflict:
            clashes = planner.clashes(record, result) if record is not None else None
            ask_before_overwrite(
                host.app, lambda: save(result, overwrite=True), clashes, screen.keep_left
            )
            return
        except ConvenerError as error:
            _say(host, str(error), "error")
            return
        _say(host, f"Saved {_label(stored)} (u undoes)")
        saved(stored)

    def remember(values: dict[str, str]) -> None:
        organisation_box[:] = [values.get("organisation", "")]

    screen.before_build = remember
    host.app.push_screen(screen, save)
    if record is not None:
        _say_edit_waiting(host, record)


def delete_record(
    host: Screen[Any], record: Person | Organisation | Publication, deleted: Callable[[], None]
) -> None:
    """Move a person, organisation or publication to the trash after asking, the question
    saying what goes with it (as an event's does); `deleted` runs after."""
    _confirm_trash(host, record, deleted, "with")


def delete_task(host: Screen[Any], task: Task, deleted: Callable[[], None]) -> None:
    """Move a checklist task to the trash after asking, as every other delete does;
    `deleted` runs after."""
    _confirm_trash(host, task, deleted, "with")


def _confirm_trash(host: Screen[Any], record: Any, done: Callable[[], None], joined: str) -> None:
    """Ask, naming what goes with `record` ("with its 12 guests and 3 sessions"), then move
    it to the trash and say so; `done` runs after."""
    planner = _app(host).planner
    name = _label(record)
    extra = planner.goes_with(record)
    with_it = f" {joined} {and_joined(extra)}" if extra else ""

    def answer(yes: bool | None) -> None:
        if not yes:
            return
        try:
            planner.delete(record)
        except ConvenerError as error:
            _say(host, str(error), "error")
            return
        _say(host, f"Moved {name} to the trash (u undoes; 4 shows the trash)")
        done()

    host.app.push_screen(ConfirmScreen(clean(f"Move {name!r}{with_it} to the trash?")), answer)


def _label(record: Any) -> str:
    """A record's title or name for a message (one line, clipped)."""
    return clipped(str(getattr(record, "title", None) or getattr(record, "name", "")))
