"""Settings and file locations (platformdirs), read with tomllib and written with tomli-w."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.domain.errors import ConfigError, InvalidInput
from tui.domain.mail.settings import MailSettings, mail_settings
from tui.domain.sync.settings import SyncSettings, sync_settings
from tui.domain.validate import timezone_value

if TYPE_CHECKING:
    from tui.domain.checklists import ChecklistItem
    from tui.domain.reminders import Reminders

APP_NAME = "convener"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DATE_ORDERS = ("day-first", "month-first")
START_SCREENS = ("calendar", "pipeline")
DAY_SPAN = (7 * 60, 21 * 60)
"""The time grid's hours when config.toml's [week] does not say: 07:00-21:00."""


def _hour(text: str | None, default: int) -> int:
    from tui.domain.timegrid import parse_hour

    if text is None:
        return default
    try:
        return parse_hour(text)
    except ValueError:
        return default


_sealed: dict[str, Path] = {}
"""The demo's own folders (config, data, documents) once `seal` is called: the officer's
own folders are then never read or written by this process."""


def seal(config: Path, data: Path, documents: Path) -> None:
    """Point this process's config, data and documents folders at the demo's own."""
    _sealed.update(config=config, data=data, documents=documents)


def is_sealed() -> bool:
    """True while a demo runs in this process (its folders are its own, removed at the end)."""
    return bool(_sealed)


def unseal() -> None:
    """Back to the officer's own folders (when a demo run in this process ends)."""
    _sealed.clear()


def data_dir() -> Path:
    """Where the database lives (created at startup, not on import)."""
    from platformdirs import user_data_path

    return _sealed.get("data") or user_data_path(APP_NAME)


def config_dir() -> Path:
    """Where config.toml lives."""
    from platformdirs import user_config_path

    return _sealed.get("config") or user_config_path(APP_NAME)


def documents_dir() -> Path:
    """The user's documents folder, the default place for exports."""
    from platformdirs import user_documents_path

    return _sealed.get("documents") or user_documents_path()


def templates_dir() -> Path:
    """Where the officer's own mail templates live (invitation-workshop.txt, ...)."""
    return config_dir() / "templates"


def config_path() -> Path:
    """The config file."""
    return config_dir() / "config.toml"


def default_db_path() -> Path:
    """The database when neither --db nor CONVENER_DB says otherwise."""
    return data_dir() / "convener.db"


def resolve_db_path(argument: str | None, environ: Mapping[str, str]) -> Path:
    """--db first, then CONVENER_DB, then the platformdirs default."""
    if argument is not None:
        if not argument.strip():
            raise InvalidInput("--db: the path is empty (leave --db out for the usual database)")
        return Path(argument).expanduser()
    if environ.get("CONVENER_DB"):
        return Path(environ["CONVENER_DB"]).expanduser()
    return default_db_path()


SQLITE_HEADER = b"SQLite format 3\x00"
NAMED_LIKE = {
    ".ics": "an iCalendar file",
    ".txt": "a page of text",
    ".csv": "a guest list (CSV)",
    ".toml": "a TOML file",
    ".json": "a JSON file",
    ".eml": "a mail",
    ".mbox": "a mailbox",
    ".md": "a Markdown file",
}
"""Names of the files officers import or export: never a database's name."""


def _looks_like(head: bytes, suffix: str) -> str | None:
    """What a file that is not a database seems to be, from its first bytes (then its name)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.upper().startswith(b"BEGIN:VCALENDAR"):
        return "an iCalendar file"
    if text.startswith((b"{", b"[{", b"[\n", b"[]")):
        return "a JSON file"
    if text.startswith(b"From "):
        return "a mailbox"
    first = text.split(b"\n", 1)[0]
    if first.startswith(b"convener") and b"=" in first:
        return "a Convener TOML file"
    if any(first.lower().startswith(h) for h in (b"received:", b"from:", b"return-path:")):
        return "a mail"
    return NAMED_LIKE.get(suffix)


def checked_db_path(path: Path, *, named: bool, creates: bool) -> Path:
    """`path` when it is a database to open (or one to create), else InvalidInput saying why,
    before anything is created there.

    `named`: the officer gave the path for this command (--db); a reading command (`creates`
    False) then refuses a missing file rather than leaving an empty database at a mistyped
    path. A file that is not SQLite (an .ics given as --db) is refused by every command.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        if named and not creates:
            raise InvalidInput(
                "no database here (a mistyped path?); the app or `convener import` creates one",
                file=str(path),
            ) from None
        if path.suffix.lower() in NAMED_LIKE:
            raise InvalidInput(
                f"is named like {NAMED_LIKE[path.suffix.lower()]}, not a database;"
                " give a .db file (to read the file in: convener import)",
                file=str(path),
            ) from None
        return path
    except OSError as error:
        raise InvalidInput(f"cannot be read ({error.strerror or error})", file=str(path)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput("is a folder, not a database file", file=str(path))
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput("is not a plain file (a device, a pipe or a socket)", file=str(path))
    try:
        with path.open("rb") as file:
            head = file.read(512)
    except OSError as error:
        raise InvalidInput(f"cannot be read ({error.strerror or error})", file=str(path)) from None
    suffix = path.suffix.lower()
    if not head and suffix in NAMED_LIKE:
        raise InvalidInput(
            f"is an empty file named like {NAMED_LIKE[suffix]}, not a database; give a .db file",
            file=str(path),
        )
    if head and not head.startswith(SQLITE_HEADER):
        kind = _looks_like(head, suffix)
        said = f" (it looks like {kind}; `convener import` reads it in)" if kind else ""
        raise InvalidInput(f"is not a Convener database{said}", file=str(path))
    return path


def resolve_today(environ: Mapping[str, str]) -> Callable[[], date]:
    """The clock: CONVENER_TODAY (an ISO date) fixes 'today' for scripts, demos and tests."""
    fixed = environ.get("CONVENER_TODAY", "").strip()
    if not fixed:
        return date.today
    try:
        day = date.fromisoformat(fixed)
    except ValueError:
        raise InvalidInput(f"CONVENER_TODAY: {fixed[:40]!r} is not a date (YYYY-MM-DD)") from None
    return lambda: day


def ensure_private_dir(path: Path) -> None:
    """Create a directory (and parents) readable by the user only."""
    from tui.domain.store import private_folder

    private_folder(path)


@dataclass(frozen=True)
class Settings:
    """What the officer can set in config.toml."""

    theme: str = "textual-dark"
    """Textual theme name."""
    timezone: str | None = None
    """The officer's own time zone (IANA); None means the computer's."""
    first_day_of_week: str = "monday"
    """The first column of the month grid."""
    date_order: str = "day-first"
    """How 12/06/2024 reads: day-first (12 June) or month-first (December 6)."""
    export_dir: Path | None = None
    """Where exports go; None means the documents folder."""
    keys: dict[str, str] = field(default_factory=dict)
    """Key overrides: binding id -> key."""
    filters: dict[str, str] = field(default_factory=dict)
    """The default event filter: program_area, partner, status, access, kind."""
    mail: MailSettings = field(default_factory=MailSettings)
    """The [mail] table: the From address and the SMTP server invitations go through."""
    sync: SyncSettings = field(default_factory=SyncSettings)
    """The [sync] table: the team's CalDAV/CardDAV collection home and login."""
    week: dict[str, str] = field(default_factory=dict)
    """The time grid's span of hours: {start = "07:00", end = "21:00"} (it scrolls beyond)."""
    week_numbers: bool = False
    """Show ISO week numbers beside the month grid."""
    start_screen: str = "calendar"
    """What the app opens on: "calendar" or "pipeline" (the coming convenings)."""
    checklists: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    """[checklists.<kind>]: a kind's checklist template, replacing the shipped one:
    a list of { title = "Send invitations", due = "8 weeks before" }."""

    reminders: dict[str, Any] = field(default_factory=dict)
    """[reminders]: when exported to-dos and events ring on a phone: tasks = "09:00",
    task_days_before = 0, events = ["1 day"], and a kind's own list (dinner = [...])."""

    def reminder_rules(self) -> Reminders:
        """The [reminders] table read (defaults: to-dos at 09:00 on the day, events none)."""
        from tui.domain.reminders import reminders_from

        return reminders_from(self.reminders)

    def checklist_templates(self) -> Mapping[str, Sequence[ChecklistItem]]:
        """Each kind's checklist: the shipped ones, with the configured kinds replaced."""
        from tui.domain.checklists import checklists_from, shipped_checklists

        return {**shipped_checklists(), **checklists_from(self.checklists, "checklists")}

    @property
    def day_start(self) -> int:
        """The time grid's first hour, in minutes from midnight."""
        return _hour(self.week.get("start"), DAY_SPAN[0])

    @property
    def day_end(self) -> int:
        """The time grid's last hour, in minutes from midnight."""
        return _hour(self.week.get("end"), DAY_SPAN[1])

    @property
    def first_weekday(self) -> int:
        """0 for Monday .. 6 for Sunday."""
        return WEEKDAYS.index(self.first_day_of_week)

    @property
    def day_first(self) -> bool:
        """True when 12/06/2024 means 12 June."""
        return self.date_order == "day-first"


def _check(name: str, value: Any, file: str, *, one_key: bool = False) -> Any:
    """`value` checked as the setting `name`; `one_key`: one key of a table checked on its
    own (a rule between its keys waits for the table: see _check_each)."""

    def bad(expected: str) -> ConfigError:
        return ConfigError(f"key {name!r}: {expected}, not {value!r}", file=file)

    if name == "theme":
        if not isinstance(value, str) or not value:
            raise bad("expected a theme name")
        return value
    if name == "timezone":
        if not isinstance(value, str):
            raise bad("expected a time zone name such as 'Europe/Vienna'")
        try:
            return timezone_value(value)
        except InvalidInput:
            raise bad("expected a time zone name such as 'Europe/Vienna'") from None
    if name == "first_day_of_week":
        if not isinstance(value, str) or value.lower() not in WEEKDAYS:
            raise bad("expected a weekday name such as 'monday'")
        return value.lower()
    if name == "date_order":
        if value not in DATE_ORDERS:
            raise bad("expected 'day-first' or 'month-first'")
        return value
    if name == "export_dir":
        if not isinstance(value, str) or not value:
            raise bad("expected a folder path")
        return Path(value).expanduser()
    if name == "keys":
        from tui.binding_ids import id_problem, key_problem

        if not isinstance(value, dict):
            raise bad('expected a table of binding id = "key"')
        for binding_id, keys in value.items():
            # Textual takes any id and any text: a mistyped id was ignored and a key
            # that cannot be pressed took the binding's own key away.
            problem = id_problem(binding_id)
            if problem is None and (not isinstance(keys, str) or not keys.strip()):
                problem = f'expected a key such as "t" or "ctrl+t", not {keys!r}'
            if problem is None:
                problem = key_problem(keys)
            if problem is not None:
                raise ConfigError(f"key 'keys.{binding_id}': {problem}", file=file)
        return dict(value)
    if name == "filters":
        from tui.domain.filters import EventFilter

        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise bad('expected a table such as { kind = "dinner" }')
        try:
            return EventFilter.from_mapping(value).as_mapping()
        except InvalidInput as error:
            raise ConfigError(f"key 'filters': {error.message}", file=file) from None
    if name == "mail":
        try:
            return mail_settings(value)
        except InvalidInput as error:
            raise ConfigError(f"key 'mail': {error.message}", file=file) from None
    if name == "sync":
        try:
            return sync_settings(value)
        except InvalidInput as error:
            raise ConfigError(f"key 'sync': {error.message}", file=file) from None
    if name == "week":
        from tui.domain.timegrid import parse_hour

        if not isinstance(value, dict):
            raise bad('expected a table such as { start = "07:00", end = "21:00" }')
        hours: dict[str, int] = {}
        for part, hour in value.items():
            if part not in ("start", "end"):
                raise ConfigError(f"key 'week.{part}' is not a setting (start, end)", file=file)
            try:
                hours[part] = parse_hour(hour) if isinstance(hour, str) else -1
            except ValueError:
                hours[part] = -1
            if hours[part] < 0:
                raise ConfigError(
                    f"key 'week.{part}': {str(hour)[:40]!r} is not an hour such as \"21:00\"",
                    file=file,
                )
        if not one_key and hours.get("start", DAY_SPAN[0]) >= hours.get("end", DAY_SPAN[1]):
            raise bad("expected the start before the end")
        return dict(value)
    if name == "week_numbers":
        if not isinstance(value, bool):
            raise bad("expected true or false")
        return value
    if name == "checklists":
        from tui.domain.checklists import checklists_from

        if not isinstance(value, dict):
            raise bad("expected tables such as [checklists.workshop]")
        try:
            checklists_from(value, "checklists")
        except InvalidInput as error:
            raise ConfigError(f"key {error.message}", file=file) from None
        return {kind: [dict(item) for item in items] for kind, items in value.items()}
    if name == "reminders":
        from tui.domain.reminders import reminders_from

        if not isinstance(value, dict):
            raise bad("expected a table: [reminders]")
        try:
            reminders_from(value)
        except InvalidInput as error:
            raise ConfigError(f"key {error.message}", file=file) from None
        return dict(value)
    if name == "start_screen":
        if value not in START_SCREENS:
            raise bad("expected 'calendar' or 'pipeline'")
        return value
    known = ", ".join(f.name for f in fields(Settings))
    raise ConfigError(f"key {name!r} is not a setting (known: {known})", file=file)


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """Read config.toml; return the settings and one warning line per problem.

    A bad file or key never stops the app: the bad part is ignored and the defaults
    stand in for it.
    """
    path = path or config_path()
    if not path.exists():
        return Settings(), []
    name = str(path)
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as error:
        return Settings(), [f"{name}: cannot read the config ({error}); using defaults"]
    except tomllib.TOMLDecodeError as error:
        return Settings(), [f"{name}: not valid TOML ({error}); using defaults"]
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for key, value in data.items():
        try:
            values[key] = _check(key, value, name)
        except ConfigError as error:
            if key in _TABLES and isinstance(value, dict) and len(value) > 1:
                checked, problems = _check_each(key, value, name)
                if checked is not None:
                    values[key] = checked
                    # Only these keys are dropped: "using the default" read as if the
                    # whole table was.
                    warnings.extend(
                        f"{problem}; that key is left out, the rest of [{key}] is read"
                        for problem in problems
                    )
                    continue
                if problems:  # every key is bad: each is said, not only the first
                    warnings.extend(f"{problem}; using the default" for problem in problems)
                    continue
            warnings.append(f"{error}; using the default")
    if values.get("keys"):
        # Textual takes two bindings on one key and one of them silently never fires: the
        # entries that make a key do two things in one place are left out, each said.
        from tui.binding_ids import clashes

        values["keys"], found = clashes(values["keys"])
        warnings.extend(f"{name}: {clash.words()}" for clash in found)
    return replace(Settings(), **values), warnings


_TABLES = ("keys", "filters", "mail", "sync", "week", "checklists", "reminders")
"""The settings that are tables: one bad key in them leaves the good keys standing."""


def _check_each(name: str, table: dict[str, Any], file: str) -> tuple[Any, list[str]]:
    """A table checked key by key: its good keys' value and one problem per bad key; None
    and the problems when no key stands on its own, None and none when the good ones do
    not stand together."""
    good: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in table.items():
        try:
            _check(name, {key: value}, file, one_key=True)
        except ConfigError as error:
            problems.append(str(error))
        else:
            good[key] = value
    if not good:
        return None, problems
    try:
        return _check(name, good, file), problems
    except ConfigError:
        return None, []  # the good keys do not stand together: the table's own error


def _as_toml(settings: Settings) -> dict[str, Any]:
    """The settings that differ from the defaults, as config.toml holds them."""
    defaults = Settings()
    data: dict[str, Any] = {}
    for item in fields(Settings):
        value = getattr(settings, item.name)
        if value != getattr(defaults, item.name) and value is not None:
            if isinstance(value, (MailSettings, SyncSettings)):
                value = value.as_mapping()
            data[item.name] = str(value) if isinstance(value, Path) else value
    return data


def _edited_config(settings: Settings, path: Path) -> str:
    """config.toml's text with only the settings that changed rewritten.

    The officer's comments, order and layout stay as they were; a file that cannot be
    read as TOML (or an edit that would not read back as meant) is written whole instead.
    """
    import tomllib

    import tomli_w

    from tui.config_text import replace_keys

    wanted = _as_toml(settings)
    try:
        raw = path.read_text(encoding="utf-8")
        bom = "\ufeff" if raw.startswith("\ufeff") else ""
        text = raw.removeprefix(bom)
        before = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return tomli_w.dumps(wanted)
    saved, _ = load_settings(path)
    changes = {
        item.name: wanted.get(item.name)
        for item in fields(Settings)
        if getattr(saved, item.name) != getattr(settings, item.name)
    }
    expected = {key: value for key, value in before.items() if key not in changes}
    written = {key: value for key, value in changes.items() if value is not None}
    expected.update(tomllib.loads(tomli_w.dumps(written)))
    edited = replace_keys(text, changes)
    try:
        if tomllib.loads(edited) == expected:
            return bom + edited
    except tomllib.TOMLDecodeError:
        pass
    return tomli_w.dumps(expected)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings that changed to config.toml (0600), keeping the rest of its text."""
    path = path or config_path()
    ensure_private_dir(path.parent)
    text = _edited_config(settings, path)
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(text.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return path
