"""The `convener` command line. Only the default command imports the UI (tui.app)."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tui.config import (
    Settings,
    checked_db_path,
    ensure_private_dir,
    load_settings,
    resolve_db_path,
    resolve_today,
)
from tui.domain.errors import ConvenerError, InvalidInput, NeedsEvent, describe
from tui.domain.privacy import LEFT_OUT, guests_may_leave
from tui.domain.text import clean, quoted

if TYPE_CHECKING:
    import argparse

    from tui.domain.planner import Planner
    from tui.sample import DemoDatabase

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
"""ctrl+c: the shells' 128 + SIGINT."""


@dataclass
class StartArguments:
    """A plain start of the app's arguments, as the whole command line reads them."""

    db: str | None = None
    demo: bool = False
    command: None = None


def start_arguments(words: Sequence[str]) -> StartArguments | None:
    """A plain start of the app (`convener`, `convener --db FILE`, `convener --demo`), read
    without argparse (importing it and making its parser were 1.2% of a start, issue 24);
    None for anything else, which tui.arguments reads (an abbreviation, a path starting
    with "-", both options, a command, a mistake)."""
    match list(words):
        case []:
            return StartArguments()
        case ["--demo"]:
            return StartArguments(demo=True)
        case ["--db", path] if not path.startswith("-"):
            return StartArguments(db=path)
        case [word] if word.startswith("--db="):
            return StartArguments(db=word.removeprefix("--db="))
    return None


@dataclass
class Context:
    """What every command works with."""

    planner: Planner
    settings: Settings
    out: TextIO
    err: TextIO
    environ: dict[str, str] = field(default_factory=dict)


def _parse_date_option(text: str | None, settings: Settings, name: str) -> date | None:
    if text is None:
        return None
    from tui.domain.dates import parse_date

    try:
        return parse_date(text, day_first=settings.day_first)
    except InvalidInput as error:
        raise InvalidInput(f"{name}: {error.message}", value=text) from None


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    """Import each file in its own transaction; say what each one did."""
    failed = False
    event_id = None
    if args.event is not None:
        event_id = ctx.planner.event_by_id_text(args.event).id
    changes = ctx.planner.changes_made()
    backup = ctx.planner.backup_before_import([Path(name) for name in args.files])
    done = 0
    for name in args.files:
        try:
            report = ctx.planner.import_file(
                Path(name), event_id=event_id, partial=args.partial, large=args.large
            )
        except KeyboardInterrupt:  # ctrl+c: the file's transaction was rolled back
            _say_import_cancelled(ctx, Path(name), done, backup, changes)
            return EXIT_INTERRUPTED
        except NeedsEvent as error:
            print(f"convener: {error}: give --event ID (see convener list events)", file=ctx.err)
            failed = True
            continue
        except ConvenerError as error:
            print(f"convener: {error}", file=ctx.err)
            failed = True
            continue
        done += 1
        print(clean(report.summary()), file=ctx.out)
        for change in report.changes:
            print(clean(f"  changed {change}"), file=ctx.out)
        for kept in report.kept:
            print(clean(f"  kept the stored {kept}"), file=ctx.out)
        for namesake in report.namesakes:
            print(clean(f"  {namesake}"), file=ctx.out)
        for skipped in report.skipped:
            print(clean(f"  skipped {skipped}"), file=ctx.out)
        if report.refused:
            # A folder: its other files are in; the refused ones are listed above.
            count = len(report.refused)
            files = "file" if count == 1 else "files"
            shown = ", ".join(report.refused[:3]) + (", …" if count > 3 else "")
            line = f"convener: {name}: {count} {files} in it refused ({shown}; see above)"
            print(clean(line), file=ctx.err)
            failed = True
    backup = ctx.planner.import_backup_kept(backup, changes)
    if backup is not None:
        print(clean(f"backup of the database before this import: {backup}"), file=ctx.out)
    return EXIT_BAD_INPUT if failed else 0


def _say_import_cancelled(
    ctx: Context, path: Path, done: int, backup: Path | None, changes: int
) -> None:
    """One line for an import stopped by ctrl+c: what of it was kept, and the backup when
    the files before it wrote something (none written: the backup is removed)."""
    kept = ctx.planner.import_backup_kept(backup, changes)
    if path.is_dir():
        line = (
            f"import cancelled in the folder {path}: nothing of the file being read was"
            " written; its files read before it were kept"
        )
    else:
        line = f"import cancelled: nothing of {path} was written"
    if done:
        before = "file before it was" if done == 1 else "files before it were"
        line += f" (the {done} {before} imported)"
    if kept is not None:
        line += f"; the database as it was before the import: {kept}"
    print(clean(f"convener: {line}"), file=ctx.err)


def _none_listed(what: str, ctx: Context) -> None:
    """An empty list says so on stderr: standard output stays empty for a script."""
    print(f"no {what}", file=ctx.err)


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    """List records as text lines or as the stable JSON shape."""
    from tui.domain.exporters import records_json as rj

    start = _parse_date_option(args.start, ctx.settings, "--from")
    end = _parse_date_option(args.end, ctx.settings, "--to")
    if start and end and end < start:
        raise InvalidInput(f"--to {end.isoformat()} is before --from {start.isoformat()}")
    planner = ctx.planner
    if args.kind != "events" and (start or end):
        raise InvalidInput("--from and --to apply to events only")
    if args.kind == "events":
        from tui.domain.models import Occurrence
        from tui.domain.repeat_words import describe_repeat

        if start or end:
            # A series is listed by the day it falls in the range, not the day it began.
            occurrences = planner.first_occurrences(start, end)
        else:
            occurrences = [Occurrence(e, e.start_date, e.end_date) for e in planner.events()]
        if args.json:
            private = args.include_private
            records = [planner.record_data(o.event, include_private=private) for o in occurrences]
            ctx.out.write(rj.dumps(records))
            return 0
        if not occurrences:
            between = f" from {start.isoformat()}" if start else ""
            between += f" to {end.isoformat()}" if end else ""
            _none_listed("events" + between, ctx)
        for occurrence in occurrences:
            event = occurrence.event
            span = occurrence.start_date.isoformat()
            if occurrence.end_date != occurrence.start_date:
                span += f"..{occurrence.end_date.isoformat()}"
            place = f" — {event.location}" if event.location else ""
            repeats = ""
            if event.repeat:
                rule = describe_repeat(event.repeat, event.start_date)
                repeats = f"  (repeats {rule}, from {event.start_date.isoformat()})"
            print(
                clean(
                    f"{event.id:>5}  {span:<22}  {event.title}{place}"
                    f"  [{event.kind}, {event.status}]{repeats}"
                ),
                file=ctx.out,
            )
        return 0
    if args.kind == "people":
        people = planner.people()
        if args.json:
            private = args.include_private
            ctx.out.write(
                rj.dumps([planner.record_data(p, include_private=private) for p in people])
            )
            return 0
        if not people:
            _none_listed("people", ctx)
        for person in people:
            role = f", {person.role}" if person.role else ""
            staff = "  [staff]" if person.is_staff else ""
            print(clean(f"{person.id:>5}  {person.name}{role}{staff}"), file=ctx.out)
        return 0
    if args.kind == "organisations":
        organisations = planner.organisations()
        if args.json:
            ctx.out.write(rj.dumps([planner.record_data(o) for o in organisations]))
            return 0
        if not organisations:
            _none_listed("organisations", ctx)
        for organisation in organisations:
            short = f" ({organisation.short_name})" if organisation.short_name else ""
            print(clean(f"{organisation.id:>5}  {organisation.name}{short}"), file=ctx.out)
        return 0
    publications = planner.publications()
    if args.json:
        ctx.out.write(rj.dumps([planner.record_data(p) for p in publications]))
        return 0
    if not publications:
        _none_listed("publications", ctx)
    for publication in publications:
        when = publication.published or "       "
        print(clean(f"{publication.id:>5}  {when}  {publication.title}"), file=ctx.out)
    return 0


def _names_folder(output: str) -> bool:
    """-o FOLDER: an existing folder, or a path ending in a slash (made if missing)."""
    return output.endswith(("/", os.sep)) or Path(output).expanduser().is_dir()


def _emit(text: str | Iterable[str], args: argparse.Namespace, ctx: Context) -> int:
    if args.output:
        from tui.files import write_private

        if _names_folder(args.output):
            # Path() drops a trailing slash: without this a file would take the folder's name.
            raise InvalidInput(
                f"-o {args.output}: a folder; give a file name (this export has no default name)",
                value=args.output,
            )

        target = write_private(Path(args.output).expanduser(), text, force=args.force)
        print(f"wrote {target}", file=ctx.err)
    elif isinstance(text, str):
        ctx.out.write(text)
    else:
        for chunk in text:  # a streamed export: written as it is made
            ctx.out.write(chunk)
    return 0


_LEFT_OUT_NOTE = f"convener: {LEFT_OUT}"


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    """One event as its agenda or briefing book."""
    event = ctx.planner.event_by_id_text(args.id)
    assert event.id is not None
    day = _parse_date_option(args.on, ctx.settings, "--on")
    if day is not None and args.format not in ("md", "briefing"):
        raise InvalidInput(
            f"--on: only with --format md or briefing (not {args.format})", value=args.on
        )
    # A day the event does not take place is refused where the agenda or briefing is made
    # (Planner._details_on), before anything is written.
    if args.output and _names_folder(args.output):
        # -o FOLDER: the default name, which tells the private version from the other.
        from tui.files import export_name

        name = export_name(event, args.format, include_private=args.include_private, day=day)
        args.output = str(Path(args.output).expanduser() / name)
    if args.format == "ics":
        text = ctx.planner.events_ics([event], include_private=args.include_private)
        if not guests_may_leave(event, args.include_private):
            print(_LEFT_OUT_NOTE, file=ctx.err)
    elif args.format == "csv":
        text = ctx.planner.guests_csv(event.id, include_private=args.include_private)
    elif args.format in ("toml", "json"):
        write = ctx.planner.event_toml if args.format == "toml" else ctx.planner.event_json
        text = write(event, include_private=args.include_private)
        if not guests_may_leave(event, args.include_private):
            print(_LEFT_OUT_NOTE, file=ctx.err)
    elif args.format == "briefing":
        text = ctx.planner.briefing_markdown(
            event.id, include_private=args.include_private, day=day
        )
    else:
        text = ctx.planner.agenda_markdown(event.id, include_private=args.include_private, day=day)
    return _emit(text, args, ctx)


def cmd_agenda(args: argparse.Namespace, ctx: Context) -> int:
    """The officer's agenda: the next 30 days unless told otherwise."""
    from datetime import timedelta

    start = _parse_date_option(args.start, ctx.settings, "--from") or ctx.planner.today()
    end = _parse_date_option(args.end, ctx.settings, "--to") or start + timedelta(days=30)
    if end < start:
        raise InvalidInput(f"--to {end.isoformat()} is before --from {start.isoformat()}")
    if args.format == "ics":
        # Streamed: events read in batches and written as they are made (any size).
        left_out: list[str] = []
        chunks = ctx.planner.events_ics_chunks(
            ctx.planner.event_ids_between(start, end),
            include_private=args.include_private,
            left_out=left_out,
        )
        code = _emit(chunks, args, ctx)
        if left_out and code == 0:
            count = len(left_out)
            lists = "list" if count == 1 else "lists"
            events = "event is" if count == 1 else "events are"
            print(
                f"convener: the guest {lists} of {count} invitation-only {events} left out"
                " (--include-private)",
                file=ctx.err,
            )
        return code
    return _emit(ctx.planner.officer_agenda_markdown(start, end), args, ctx)


def cmd_search(args: argparse.Namespace, ctx: Context) -> int:
    """Hits grouped by kind with counts, the match shown in context; calm when none."""
    import json

    from tui.domain.search import KIND_HEADINGS

    text = " ".join(args.text)
    if not text.strip():
        raise InvalidInput("search: give some text to search for (nothing was given)")
    hits = ctx.planner.search(text, limit=args.limit)
    private = args.include_private
    if args.json:
        records = [
            {
                "kind": hit.kind,
                "id": hit.id,
                "title": clean(hit.title),
                "snippet": clean(hit.plain_snippet()),
                **(
                    {"event_id": hit.event_id, "event_title": clean(hit.event_title or "")}
                    if hit.kind in ("session", "task")
                    else {}
                ),
                **(
                    {"events": ctx.planner.person_events_data(hit.id, include_private=private)}
                    if hit.kind == "person"
                    else {}
                ),
            }
            for hit in hits
        ]
        ctx.out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not hits:
        print(f"nothing found for {quoted(text)}", file=ctx.out)
        return 0
    for kind, heading in KIND_HEADINGS.items():
        group = [hit for hit in hits if hit.kind == kind]
        if not group:
            continue
        print(f"{heading} ({len(group)})", file=ctx.out)
        for hit in group:
            # A session or a task says its event, as the app's search does.
            of = f" — {hit.event_title}" if hit.event_title else ""
            print(clean(f"{hit.id:>6}  {hit.title}{of}"), file=ctx.out)
            snippet = clean(hit.plain_snippet("[", "]"))
            if snippet and snippet != clean(hit.title):
                print(f"        {snippet}", file=ctx.out)
    if len(hits) >= args.limit:
        total = ctx.planner.search_total(text)
        if total > len(hits):
            print(f"{len(hits)} of {total} shown (--limit N for more)", file=ctx.out)
    return 0


def cmd_due(args: argparse.Namespace, ctx: Context) -> int:
    """Open tasks due within --days days and overdue ones, each with its event, its owner
    and what it watches on the guest list ("8 guests without a reply after 14 days")."""
    import json

    from tui.domain.task_watch import watch_words
    from tui.domain.tasks import is_overdue, week_summary

    today = ctx.planner.today()
    lines = ctx.planner.checklist.due_lines(args.days, owner=args.owner)
    due = [line.item for line in lines]
    if args.json:
        records = [
            {
                "title": clean(item.task.title),
                "due": item.due.isoformat(),
                "done": item.task.done_on is not None,
                "overdue": is_overdue(item.due, today),
                "uid": item.task.uid,
                "notes": clean(item.task.notes or ""),
                "owner": clean(line.owner) if line.owner is not None else None,
                "watch": watch_words(item.task.watch) or None,
                "watching": clean(line.report.headline) if line.report else None,
                "event": {
                    "uid": item.event.uid,
                    "title": clean(item.event.title),
                    "start_date": item.event.start_date.isoformat(),
                    # A repeating event: the occurrence the due day counts from.
                    "occurrence_date": (item.day or item.event.start_date).isoformat(),
                },
            }
            for line in lines
            for item in [line.item]
        ]
        ctx.out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return 0
    whose = f" for {args.owner.strip()}" if args.owner else ""
    if not due:
        within = {0: "today", 1: "by tomorrow"}.get(args.days, f"in the next {args.days} days")
        print(clean(f"nothing overdue or due {within}{whose}"), file=ctx.out)
        return 0
    for line in lines:
        item = line.item
        late = (today - item.due).days
        when = f"{late} days overdue" if late > 1 else "overdue" if late == 1 else ""
        when = when or ("today" if item.due == today else f"in {(item.due - today).days} days")
        when = "tomorrow" if when == "in 1 days" else "1 day overdue" if late == 1 else when
        event = f"{item.event.title} ({(item.day or item.event.start_date).isoformat()})"
        owner = f" [{line.owner}]" if line.owner else ""
        print(
            clean(f"{item.due.isoformat()}  {when:<16} {item.task.title}{owner} - {event}"),
            file=ctx.out,
        )
        if line.report is not None:
            print(clean(f"{'':28}{line.report.headline}"), file=ctx.out)
    # The header's words and counts ("1 task overdue · 2 due this week"): one function.
    print(week_summary(due, today, args.days), file=ctx.out)
    return 0


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    """Copy the database with SQLite's backup API."""
    store_path = ctx.planner.database_path
    directory = Path(args.dir).expanduser() if args.dir else store_path.parent / "backups"
    try:
        target = ctx.planner.backup(directory)
    except OSError as error:  # nothing is left behind (Store.backup)
        from tui.files import cannot_write_in

        raise InvalidInput(
            cannot_write_in(directory, error, "a backup"), value=str(directory)
        ) from None
    except sqlite3.Error as error:  # the copy itself failed half-way (a full disk)
        full = getattr(error, "sqlite_errorname", "") == "SQLITE_FULL"
        why = "the disk is full" if full else str(error)
        raise InvalidInput(f"cannot write a backup in {directory}: {why}") from None
    print(f"backed up to {target}", file=ctx.out)
    return 0


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    """One line per finding and exit 1; a line saying all is well and exit 0."""
    findings = ctx.planner.check()
    for finding in findings:
        print(f"convener check: {clean(finding)}", file=ctx.out)
    if findings:
        return 1
    version = ctx.planner.schema_version()
    print(
        f"convener check: ok (integrity, schema {version}, file modes, links)"
        f" in {ctx.planner.database_path}",
        file=ctx.out,
    )
    return 0


def cmd_undo(args: argparse.Namespace, ctx: Context) -> int:
    """Reverse the latest change, or list the history."""
    from tui.domain.dates import local_time

    if args.list:
        steps = ctx.planner.history()
        if not steps:
            print("nothing to undo", file=ctx.out)
        for step_label, when in steps:
            print(clean(f"{local_time(when)}  {step_label}"), file=ctx.out)
        return 0
    from tui.mail_actions import after_undo

    cancelled = ctx.planner.cancelled_event_uids()
    label = ctx.planner.undo()
    print(clean(f"undone: {label}") if label else "nothing to undo", file=ctx.out)
    note = after_undo(ctx.planner, label, cancelled)
    if note:
        print(clean(note), file=ctx.out)
    return 0


def cmd_mail(args: argparse.Namespace, ctx: Context) -> int:
    """Queue invitations, updates or cancellations; or send the outbox."""
    from tui import mail_cli

    return mail_cli.run(args, ctx.planner, ctx.settings, ctx.out, ctx.err, ctx.environ)


def cmd_sync(args: argparse.Namespace, ctx: Context) -> int:
    """Share the program with the team's CalDAV/CardDAV server."""
    from tui import sync_cli

    return sync_cli.run(args, ctx.planner, ctx.settings, ctx.out, ctx.err, ctx.environ)


COMMANDS: dict[str, Callable[[argparse.Namespace, Context], int]] = {
    "mail": cmd_mail,
    "sync": cmd_sync,
    "import": cmd_import,
    "list": cmd_list,
    "backup": cmd_backup,
    "export": cmd_export,
    "agenda": cmd_agenda,
    "search": cmd_search,
    "due": cmd_due,
    "undo": cmd_undo,
    "check": cmd_check,
}
CREATING_COMMANDS = (None, "import", "sync")
"""What may start a database at a path the officer named (the app too); the others read
one, and a missing file there is a mistyped path, not a new database."""


def kept_styles_path() -> Path | None:
    """Where the app keeps its parsed stylesheets (tui.stylecache), beside the dataclass
    methods; None when the cache folder cannot be known."""
    from tui.codecache import cache_folder
    from tui.stylecache import FILE

    try:
        return cache_folder() / FILE
    except Exception:  # platformdirs could not tell where: the app parses as always
        return None


def one_malloc_arena() -> None:
    """Ask glibc's malloc for one arena, before the app starts its worker threads.

    Each thread that allocates gets an arena of its own, and memory freed in one is kept
    for that arena: the panes' reads, run in turn on worker threads, grew the app by 12 MB
    in a session of key presses at 100k events (issue 24; 72 -> 63 MB at its peak). The
    threads take turns on the GIL, so they gain nothing from arenas of their own. Not
    glibc (macOS, musl): nothing to do.

    mallopt is called through _ctypes, the C half of ctypes: importing ctypes itself (its
    Python half makes some forty classes) was 2.5 ms of every start; this, 0.5 ms."""
    if not sys.platform.startswith("linux"):
        return
    m_arena_max = -8
    try:
        import _ctypes

        class _Process:
            # The program and the libraries it loaded (typeshed wants a path; None is
            # dlopen's own way to say so, as ctypes.CDLL(None) passes it).
            _handle = _ctypes.dlopen(None, 0)  # type: ignore[arg-type]

        class _Function(_ctypes.CFuncPtr):
            _flags_ = _ctypes.FUNCFLAG_CDECL  # int arguments and result, as C passes them

        mallopt = _Function(("mallopt", _Process))  # type: ignore[arg-type]  # a handle
    except (ImportError, OSError, AttributeError):
        return
    mallopt(m_arena_max, 1)


def open_planner(
    args: argparse.Namespace | StartArguments,
    settings: Settings,
    environ: dict[str, str],
    demo: DemoDatabase | None = None,
) -> tuple[Planner, Callable[[], None]]:
    """The planner over the chosen database, and what to call when done with it."""
    from tui.domain.dates import computer_zone_name
    from tui.domain.planner import Planner
    from tui.domain.store import Store

    today = resolve_today(environ)
    # Exports give times in the officer's own zone too: the configured one, else the computer's.
    own_zone = settings.timezone or computer_zone_name()
    # The shipped templates are read when first needed (an agenda never needs them).
    checklists = settings.checklist_templates() if settings.checklists else None
    reminders = settings.reminder_rules()
    if getattr(args, "demo", False):
        from tui.sample import DemoDatabase, add_sample_checklists, load_sample

        demo = demo or DemoDatabase()
        store = Store(demo.path)
        planner = Planner(store, today=today, own_zone=own_zone, checklists=checklists)
        planner.reminders = reminders
        load_sample(planner)
        add_sample_checklists(planner)

        def close_demo() -> None:
            assert demo is not None
            store.close()
            demo.close()

        return planner, close_demo
    named = getattr(args, "db", None) is not None  # CONVENER_DB is the officer's usual one
    path = checked_db_path(
        resolve_db_path(getattr(args, "db", None), environ),
        named=named,
        creates=args.command in CREATING_COMMANDS,
    )
    ensure_private_dir(path.parent)
    store = Store(
        path,
        upgrading=lambda version: _say_upgrading(path, version),
        # `check` reports a file of a newer Convener as a finding; the rest refuse it.
        inspecting=args.command == "check",
    )
    planner = Planner(store, today=today, own_zone=own_zone, checklists=checklists)
    planner.reminders = reminders
    return planner, store.close


def _say_upgrading(path: Path, version: str) -> None:
    import gc

    gc.enable()  # an upgrade of seconds runs with the collector on (tui.launch turned it off)
    print(
        f"Upgrading {path} to this Convener's format ({version}), after a backup beside it;"
        " a large database takes a few seconds.",
        file=sys.stderr,
        flush=True,
    )


def _sealed_demo() -> DemoDatabase:
    """The demo's own temporary home; from here on this process reads and writes no config,
    data or documents folder of the officer's (a filter saved in the demo stays there)."""
    from tui import config
    from tui.sample import DemoDatabase

    demo = DemoDatabase()
    config.seal(demo.config_dir, demo.data_dir, demo.documents_dir)
    return demo


def _remove_demo_on_signals(demo: DemoDatabase, running: list[Any]) -> Callable[[], None]:
    """On SIGTERM or SIGHUP (the terminal closed) remove the demo's folder, then stop.

    Returns what puts the previous handlers back (when the demo is over)."""
    import signal

    def on_signal(signum: int, _frame: object) -> None:
        demo.close()
        app = running[0] if running else None
        if app is not None and app.is_running:
            app.exit(return_code=128 + signum)
        else:
            raise SystemExit(128 + signum)

    previous: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            try:
                previous[number] = signal.signal(number, on_signal)
            except ValueError:  # not the main thread: quitting still removes the folder
                pass

    def restore() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)

    return restore


def _report_crash(error: BaseException, err: TextIO, folder: Path | None) -> int:
    """One line for the officer; the traceback in crash.log beside the database (0600)."""
    import traceback

    from tui.config import data_dir

    try:
        log = (folder or data_dir()) / "crash.log"
        ensure_private_dir(log.parent)
        descriptor = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(error)))
        where = f"; details in {log}"
    except OSError:
        where = ""
    said = clean(f"{type(error).__name__}: {error}")
    if len(said) > 120:
        said = said[:119] + "…"
    print(f"convener: unexpected error ({said}){where}", file=err)
    return 1


@dataclass
class _NewDatabase:
    """A database file `convener import` is about to create: a failed import that leaves
    it empty removes it again (with the folders made for it), so bad input leaves nothing."""

    path: Path
    missing_folders: list[Path]
    planner: Planner | None = None
    keep: bool = False

    @classmethod
    def before(cls, path: Path) -> _NewDatabase | None:
        """The file and the folders on its way that do not exist yet; None when it does."""
        if path.exists() or path.is_symlink():
            return None
        missing = [parent for parent in path.parents if not parent.exists()]
        return cls(path, missing)

    def left_empty(self) -> bool:
        """The command failed and the new database holds no record."""
        if self.keep or self.planner is None:
            return not self.keep
        try:
            return self.planner.is_empty()
        except Exception:  # a store that cannot answer keeps its file: nothing is lost
            return False

    def remove(self) -> None:
        """The file, its -wal/-shm and the folders made for it (when empty)."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        for folder in self.missing_folders:  # innermost first
            try:
                folder.rmdir()
            except OSError:
                break


def main(argv: Sequence[str] | None = None, environ: dict[str, str] | None = None) -> int:
    """Run the command line; returns the exit status. No traceback reaches the user."""
    out, err = sys.stdout, sys.stderr
    environ = dict(os.environ if environ is None else environ)
    words = list(sys.argv[1:] if argv is None else argv)
    args: StartArguments | argparse.Namespace | None = start_arguments(words)
    if args is None:
        from tui.arguments import UsageError, app_arguments, parse_command_line

        try:
            args = app_arguments(words) or parse_command_line(words)
        except UsageError as error:
            print(f"convener: {error}", file=err)
            return EXIT_BAD_INPUT
    if getattr(args, "demo", False) and getattr(args, "db", None):
        # Both given, the demo won and --db was silently ignored.
        print("convener: --demo opens its own sample database: give --demo or --db", file=err)
        return EXIT_BAD_INPUT
    if args.command is not None:
        import gc

        gc.enable()  # tui.launch turned it off for the app's start only
    demo = _sealed_demo() if getattr(args, "demo", False) else None
    running: list[Any] = []  # the app, once there is one (for the demo's signal handler)
    restore_signals = _remove_demo_on_signals(demo, running) if demo is not None else None
    settings, warnings = load_settings()
    for warning in warnings:
        print(f"convener: {warning}", file=err)
    close: Callable[[], None] = demo.close if demo is not None else lambda: None
    folder: Path | None = None
    new_database: _NewDatabase | None = None
    try:
        if demo is None:
            db_path = resolve_db_path(getattr(args, "db", None), environ)
            folder = db_path.parent
            if args.command == "import":
                new_database = _NewDatabase.before(db_path)
        planner, close = open_planner(args, settings, environ, demo)
        if new_database is not None:
            new_database.planner = planner
        if demo is not None:
            folder = planner.database_path.parent
        if args.command is None:
            from tui.first_screen import read_ahead

            read_ahead(planner, settings)  # the first screen's data, read before Textual loads
            from tui.dom_classes import quicker_widget_classes

            quicker_widget_classes()  # before Textual makes its widget classes, and the app its
            from tui.message_dispatch import quicker_dispatch

            quicker_dispatch()  # each kind of widget's handlers found once (issue 24)
            from tui.app import ConvenerApp

            one_malloc_arena()
            label = "sample data (demo)" if args.demo else str(planner.database_path)
            kept_styles = kept_styles_path()
            app = ConvenerApp(
                planner,
                settings,
                warnings=warnings,
                database_label=label,
                kept_styles=kept_styles,
                keep_caches=demo is None,  # the demo leaves nothing in the officer's folders
            )
            running.append(app)
            app.run()
            for line in app.said_at_exit:  # once the terminal is the shell's again
                print(f"convener: {clean(line)}", file=err)
            if demo is None:  # the demo leaves nothing in the officer's folders
                app.stylesheet.save()
            return app.return_code or 0
        from tui.domain.dates import counting_from

        with counting_from(planner.today):  # "--from tomorrow" on CONVENER_TODAY's clock
            assert not isinstance(args, StartArguments)  # a command: read by tui.arguments
            code = COMMANDS[args.command](args, Context(planner, settings, out, err, environ))
        if new_database is not None and code == 0:
            new_database.keep = True
        return code
    except ConvenerError as error:
        print(f"convener: {clean(str(error))}", file=err)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `convener list events | head`: the reader left; nothing is wrong.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except sqlite3.DatabaseError as error:  # a damaged file: say so, no crash report
        print(f"convener: {clean(describe(error))}", file=err)
        return EXIT_BAD_INPUT
    except Exception as error:  # the last line of defence: one line, a log, no traceback
        return _report_crash(error, err, folder)
    finally:
        failed_empty = new_database is not None and new_database.left_empty()
        close()
        if failed_empty and new_database is not None:
            new_database.remove()
        if demo is not None:
            from tui import config

            config.unseal()
        else:  # the demo leaves nothing in the officer's folders, this cache included
            from tui.codecache import keep_compiled_methods

            keep_compiled_methods()
        if restore_signals is not None:
            restore_signals()
