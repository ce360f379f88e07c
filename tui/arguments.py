"""The command line's words, read by argparse: its commands, their options and the one-line
messages for a mistake.

Imported only when a command (or anything but a plain start of the app) is given: a plain
`convener`, `convener --db FILE` or `convener --demo` is read by tui.cli.start_arguments
without argparse (importing it and making the parser were 1.2% of a start, issue 24)."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from tui import __version__


class UsageError(Exception):
    """A command line that does not parse."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises one-line errors instead of printing usage and exiting."""

    text_command: argparse.ArgumentParser | None = None
    """The command whose words are any text (search): a word there starting with '-'
    that is none of its options is text to find (`convener search -peace`)."""

    hints: dict[str, str] = {}
    """Words officers reach for that this command has not, and where that work is done."""

    _reading: list[str] = []
    """The words this parser was last given (see error)."""

    def error(self, message: str) -> NoReturn:
        # An option mistyped is what went wrong, not the argument argparse then missed:
        # `mail cancel --bogus` said only "the following arguments are required: EVENT_ID".
        if message.startswith("the following arguments are required"):
            unknown = self._unknown_options()
            if unknown:
                missing = message.partition(": ")[2]
                message = f"unrecognized arguments: {' '.join(unknown)}; missing: {missing}"
        # The command's own help, where its options are (`convener due --help`).
        raise UsageError(self._no_such_action(message) or f"{message} (see {self.prog} --help)")

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self._reading = list(args) if args is not None else sys.argv[1:]
        return super().parse_known_args(args, namespace)

    def _unknown_options(self) -> list[str]:
        """The words read that look like options this parser has not (up to a `--`)."""
        known = self._option_string_actions
        unknown = []
        for word in self._reading:
            if word == "--":
                break
            if word.startswith("-") and len(word) > 1 and not word[1:2].isdigit():
                flag = word.split("=", 1)[0]
                # argparse takes an unambiguous start of a long option (--inc).
                if flag not in known and not (
                    flag.startswith("--") and any(name.startswith(flag) for name in known)
                ):
                    unknown.append(word)
        return unknown

    def _no_such_action(self, message: str) -> str | None:
        """`convener mail import`: 'mail has no 'import'', and where it is done if known."""
        command = " ".join(self.prog.split()[1:])
        actions = [a for a in self._actions if isinstance(a, argparse._SubParsersAction)]
        if not command or not actions:
            return None
        name = actions[0].metavar or actions[0].dest
        found = re.fullmatch(
            rf"argument {re.escape(str(name))}: invalid choice: (.*) \(choose from (.*)\)",
            message,
            re.DOTALL,
        )
        if found is None:
            return None
        word, choices = found.groups()
        hint = next((text for key, text in self.hints.items() if repr(key) == word), None)
        if hint is not None:
            return f"{command} has no {word}: {hint}"
        return f"{command} has no {word} (choose from {choices}; see {self.prog} --help)"

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        if self.text_command is not None and args is not None:
            args = _words_as_text(list(args), self.text_command)
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:  # pointed to the help of the command typed, where its options are
            words = " ".join(extra)
            raise UsageError(
                f"unrecognized arguments: {words} (see {self._typed_command(args)} --help)"
            )
        return parsed

    def _typed_command(self, args: Any) -> str:
        """The prog of the deepest command named in `args` ("convener mail send")."""
        parser: argparse.ArgumentParser = self
        for word in list(args if args is not None else sys.argv[1:]):
            actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
            if actions and word in actions[0].choices:
                parser = actions[0].choices[word]
        return parser.prog


def _words_as_text(argv: list[str], command: argparse.ArgumentParser) -> list[str]:
    """`search -peace --json` as `search --json -- -peace`: the command's options first,
    then every other word as text, in the order typed (argparse takes '-peace' for an
    option it does not know). Other commands, and a search without such words, as given."""
    at = 0
    while at < len(argv) and argv[at].startswith("-"):  # global options before the command
        at += 2 if argv[at] == "--db" else 1
    name = command.prog.split()[-1]
    if at >= len(argv) or argv[at] != name:
        return argv
    takes = {
        flag: action.nargs != 0 for action in command._actions for flag in action.option_strings
    }
    options: list[str] = []
    words: list[str] = []
    rest = argv[at + 1 :]
    index = 0
    while index < len(rest):
        token = rest[index]
        if token == "--":
            words += rest[index + 1 :]
            break
        flag = token.split("=", 1)[0]
        if flag not in takes:
            words.append(token)
            index += 1
            continue
        width = 2 if takes[flag] and "=" not in token else 1
        options += rest[index : index + width]
        index += width
    if not any(word.startswith("-") for word in words):
        return argv
    return [*argv[: at + 1], *options, "--", *words]


def _whole_number(text: str, low: int, high: int) -> int:
    """`text` as a whole number from `low` to `high`, or the line that says why not."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number") from None
    if not low <= number <= high:
        raise argparse.ArgumentTypeError(f"{text[:40]} is not between {low:,} and {high:,}")
    return number


def _limit(text: str) -> int:
    """--limit N: a whole number from 1 to 10,000."""
    return _whole_number(text, 1, 10_000)


def _days(text: str) -> int:
    """--days N: a whole number from 0 to 3,660 (about ten years)."""
    return _whole_number(text, 0, 3660)


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Sub-commands accept the global options too ("convener list events --demo"); their
    # defaults are suppressed there so a value given before the command is kept.
    default = None if top else argparse.SUPPRESS
    group = parser.add_argument_group("database")
    group.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="the database file (default: $CONVENER_DB, else convener.db in the user data folder)",
    )
    group.add_argument(
        "--demo",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="use a fresh temporary database filled with the sample data",
    )


def _output_path(text: str) -> str | None:
    """-o FILE; `-o -` is standard output, as with no -o (not a file named "-")."""
    return None if text == "-" else text


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=_output_path,
        help="write to FILE (default, and `-o -`: stdout)",
    )
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")


def app_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of a plain start of the app (`convener`, `convener --db FILE`,
    `convener --demo`), read without making the whole command line (its fifteen commands
    were 3-4 ms of every start, issue 24); None for anything else (a command, --help,
    --version, a mistake), which the whole command line reads and answers."""
    parser = _Parser(prog="convener", add_help=False)
    _global_options(parser, top=True)
    try:
        args, rest = parser.parse_known_args(list(argv))
    except UsageError:
        return None
    if rest:
        return None
    args.command = None
    return args


COMMAND_NAMES = (
    "import", "list", "export", "agenda", "due", "search", "undo", "check", "mail", "sync",
    "backup",
)  # fmt: skip
"""The commands, in the order the help lists them."""


def parse_command_line(words: Sequence[str]) -> argparse.Namespace:
    """The command line's arguments. The command typed is read by a command line with that
    command alone: making all fifteen (their options, help texts and their translations
    looked up) was 6 ms of every command, a tenth of `convener agenda` (issue 24). Anything
    else, or a mistake, is read by the whole one, which says what it always said."""
    only = next((word for word in words if word in COMMAND_NAMES), None)
    if only is not None:
        try:
            args = build_parser(only).parse_args(list(words))
        except UsageError:
            pass
        else:
            if args.command == only:
                return args
    full: argparse.Namespace = build_parser().parse_args(list(words))
    return full


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; given `only`, with that command alone (see
    parse_command_line)."""

    def wanted(command: str) -> bool:
        return only is None or command == only

    parser = _Parser(
        prog="convener",
        description="Plan convenings, keep guest lists and hand out agendas from a terminal.",
    )
    parser.add_argument("--version", action="version", version=f"convener {__version__}")
    _global_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    if wanted("import"):
        importer = commands.add_parser(
            "import",
            help="import pages (.txt), iCalendar (.ics), guest lists (.csv), Convener files"
            " and mail replies (.eml, .mbox, Maildir); a folder: what it holds",
        )
        importer.add_argument(
            "files", nargs="+", metavar="FILE", help="a file, or a folder of files to import"
        )
        importer.add_argument(
            "--event",
            metavar="ID",
            help="the event a guest list (.csv) belongs to (see convener list events)",
        )
        importer.add_argument(
            "--large",
            action="store_true",
            help="allow files over 10 MB or with more than 10,000 calendar components",
        )
        importer.add_argument(
            "--partial",
            action="store_true",
            help="import what can be read from a page and list what was skipped",
        )
        _global_options(importer, top=False)

    if wanted("list"):
        lister = commands.add_parser(
            "list", help="list events, people, organisations or publications"
        )
        lister.add_argument("kind", choices=["events", "people", "organisations", "publications"])
        lister.add_argument("--from", dest="start", metavar="DATE", help="events from this date")
        lister.add_argument("--to", dest="end", metavar="DATE", help="events up to this date")
        lister.add_argument("--json", action="store_true", help="a JSON array of full records")
        lister.add_argument(
            "--include-private",
            action="store_true",
            help="with --json: invitation-only events' guest lists and people's places on them",
        )
        _global_options(lister, top=False)

    if wanted("export"):
        export = commands.add_parser("export", help="export one event (agenda, briefing book)")
        export.add_argument("what", choices=["event"], help="what to export")
        export.add_argument("id", metavar="ID", help="the event's id (see convener list events)")
        export.add_argument(
            "--format",
            choices=["md", "briefing", "csv", "ics", "toml", "json"],
            default="md",
            help="md: the event agenda (default); briefing: the briefing book; csv: the guest list;"
            " ics: iCalendar; toml, json: a Convener document (import reads it; the full record"
            " with ids: list events --json)",
        )
        export.add_argument(
            "--on",
            metavar="DATE",
            help="md, briefing: a repeating event as its occurrence on DATE (default: the"
            " series, from its first date)",
        )
        _output_options(export)
        export.add_argument(
            "--include-private",
            action="store_true",
            help="include an invitation-only event's guest list, dietary, access and travel"
            " details",
        )
        _global_options(export, top=False)

    if wanted("agenda"):
        agenda = commands.add_parser(
            "agenda", help="the officer's agenda for a date range, as Markdown"
        )
        agenda.add_argument(
            "--from", dest="start", metavar="DATE", help="first day (default: today)"
        )
        agenda.add_argument(
            "--to", dest="end", metavar="DATE", help="last day (default: 30 days on)"
        )
        agenda.add_argument(
            "--format", choices=["md", "ics"], default="md", help="md (default) or ics (iCalendar)"
        )
        agenda.add_argument(
            "--include-private",
            action="store_true",
            help="with --format ics: invitation-only events' guests as attendees",
        )
        _output_options(agenda)
        _global_options(agenda, top=False)

    if wanted("due"):
        due = commands.add_parser(
            "due", help="open planning tasks due within N days and overdue ones, in due order"
        )
        due.add_argument(
            "--days", type=_days, default=7, metavar="N", help="how many days ahead (7; 0-3,660)"
        )
        due.add_argument(
            "--owner",
            metavar="NAME",
            help="only the tasks of this staff person (any part of the name)",
        )
        due.add_argument("--json", action="store_true", help="a JSON array of tasks")
        _global_options(due, top=False)

    if wanted("search"):
        from tui.domain.search import SEARCH_HELP

        search = commands.add_parser(
            "search", help="full-text search across all records", epilog=SEARCH_HELP
        )
        search.add_argument(
            "text", nargs="+", metavar="TEXT", help="words to find (any text is fine)"
        )
        search.add_argument("--json", action="store_true", help="a JSON array of hits")
        search.add_argument(
            "--include-private",
            action="store_true",
            help="with --json: a person's places as a guest of invitation-only events too",
        )
        search.add_argument(
            "--limit", type=_limit, default=60, metavar="N", help="at most N hits (60; 1-10,000)"
        )
        _global_options(search, top=False)
        parser.text_command = search

    if wanted("undo"):
        undo = commands.add_parser("undo", help="undo the last change (the app's u, same history)")
        undo.add_argument(
            "--list", action="store_true", help="show what undo would reverse, newest first"
        )
        _global_options(undo, top=False)

    if wanted("check"):
        check = commands.add_parser(
            "check",
            help="check the database: integrity, schema version, file modes, orphaned links",
        )
        _global_options(check, top=False)

    if wanted("mail"):
        _mail_commands(commands)
    if wanted("sync"):
        from tui import sync_cli

        _global_options(sync_cli.add_parser(commands), top=False)

    if wanted("backup"):
        backup = commands.add_parser("backup", help="a consistent copy of the database")
        backup.add_argument(
            "dir", nargs="?", metavar="DIR", help="where to put it (default: beside the database)"
        )
        _global_options(backup, top=False)
    return parser


def _mail_commands(commands: Any) -> None:
    mail = commands.add_parser(
        "mail", help="invitations by e-mail (iMIP): queue them in the outbox, send, update, cancel"
    )
    actions = mail.add_subparsers(
        dest="mail_command", metavar="ACTION", parser_class=_Parser, required=True
    )
    replies = "replies are imported with `convener import FILE.eml|.mbox|Maildir`"
    mail.hints = {"import": replies, "replies": replies, "reply": replies}
    helps = {
        "invitations": "queue an invitation per guest (default: those to invite) in the outbox",
        "update": "queue the changed event for accepted and tentative guests (higher SEQUENCE)",
        "cancel": "queue a cancellation (METHOD:CANCEL) for invited, accepted, tentative guests",
    }
    for action, text in helps.items():
        parser = actions.add_parser(action, help=text)
        parser.add_argument("event", metavar="EVENT_ID", help="see convener list events")
        parser.add_argument(
            "--status",
            action="append",
            metavar="STATUS",
            help="guests in this status (repeat for several)",
        )
        parser.add_argument("--outbox", metavar="DIR", help="default: outbox/ beside the database")
        _global_options(parser, top=False)
    send = actions.add_parser("send", help="send the outbox through SMTP (config [mail])")
    send.add_argument("--outbox", metavar="DIR", help="default: outbox/ beside the database")
    send.add_argument("--smtp", metavar="HOST:PORT", help="the server (default: [mail] host, port)")
    _global_options(send, top=False)
    _global_options(mail, top=False)
