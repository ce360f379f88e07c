"""`convener sync`: share the program with the team's CalDAV/CardDAV server."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TextIO

from tui.domain.text import clean, quoted

if TYPE_CHECKING:
    from tui.config import Settings
    from tui.domain.planner import Planner

CONFLICTS_WAIT = 3


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """The `sync` subcommand's options."""
    sync = commands.add_parser(
        "sync", help="share the program with the team's CalDAV/CardDAV server ([sync] in config)"
    )
    sync.add_argument("--url", help="the collection home on the server (default: [sync] url)")
    sync.add_argument("--user", help="the login name (default: [sync] user)")
    sync.add_argument(
        "--conflicts", action="store_true", help="list what changed both here and elsewhere"
    )
    sync.add_argument(
        "--keep",
        choices=("local", "remote"),
        help="settle the conflicts of UID: keep this computer's values or the server's",
    )
    sync.add_argument(
        "uid", nargs="?", metavar="UID", help="the record whose conflicts --keep settles"
    )
    assert isinstance(sync, argparse.ArgumentParser)
    return sync


def run(
    args: argparse.Namespace,
    planner: Planner,
    settings: Settings,
    out: TextIO,
    err: TextIO,
    environ: Mapping[str, str],
) -> int:
    """Sync, list conflicts or settle one; 0 in step, 3 conflicts wait, 2 server failed."""
    from tui.domain.errors import InvalidInput
    from tui.domain.planner.sync import NO_URL, server_from
    from tui.domain.sync.dav import Unreachable
    from tui.domain.sync.engine import NEW_HOME, changes_wait, joined_words

    if args.keep:
        if not args.uid:
            raise InvalidInput("--keep needs the UID of the record (see convener sync --conflicts)")
        from tui.domain.planner.sync import WHOLE_RECORD

        lines = planner.sync_conflict_lines(args.uid)
        settled = planner.settle_sync_conflict(args.uid, args.keep)
        fields = "1 field" if settled == 1 else f"{settled} fields"
        if any(what == WHOLE_RECORD for _, what, _, _ in lines):
            fields = "the whole record"  # deleted on one side, edited on the other
        line = f"settled {fields} of {clean(args.uid)}: kept {args.keep}"
        print(f"{line}; sync to send" if planner.sync_queued(args.uid) else line, file=out)
        return 0
    if args.uid:
        raise InvalidInput(f"{args.uid[:60]!r}: a UID goes with --keep local|remote")
    if args.conflicts:
        return _list_conflicts(planner, out)
    if not (args.url or settings.sync.url):
        raise InvalidInput(f"no server to sync with: give --url, or {NO_URL}")
    server = server_from(settings.sync, environ, args.url, args.user)
    try:
        report = planner.sync_with(server)
    except Unreachable as error:
        print(f"sync: {error.message}; {changes_wait(planner.sync_waiting())}", file=err)
        return 2
    except KeyboardInterrupt:
        # ctrl+c while the server does not answer: what the sync had not recorded is as
        # after a kill, and the next sync reconciles it (README: nothing lost or doubled).
        print(
            "sync: stopped (ctrl+c); what it had not finished is taken up by the next sync,"
            " nothing lost or made twice",
            file=err,
        )
        raise
    for line in report.refused:
        print(f"sync: left alone on the server: {clean(line)}", file=err)
    if report.new_home:
        print(f"sync: {NEW_HOME}", file=err)
    done = [f"pulled {report.pulled}", f"pushed {report.pushed}"]
    if report.merged:
        done.append(f"merged {report.merged}")
    if report.trashed:
        done.append(f"{report.trashed} to the trash")
    if report.joined:
        done.append(joined_words(report.joined))
    print(f"{', '.join(done)}; {planner.sync_status()}", file=out)
    for line in planner.sync_deletion_lines(report.deletions):
        print(clean(line), file=out)
    if report.conflicts:
        fields = "1 field" if report.conflicts == 1 else f"{report.conflicts} fields"
        print(f"{fields} changed both here and elsewhere", file=out)
    if report.conflicts or report.deletions:
        print("to choose: convener sync --conflicts, then --keep local|remote UID", file=out)
        return CONFLICTS_WAIT
    return 0


def _list_conflicts(planner: Planner, out: TextIO) -> int:
    # The record named by its title or name beside its UID (the UID alone said nothing).
    names = {uid: (kind, name) for uid, kind, name, _ in planner.sync_conflicted_records()}
    found = planner.sync_conflict_lines()
    for uid, what, here, there in found:
        kind, name = names[uid]
        line = f"{uid}  {kind} {quoted(name[:60])}  {what}: here {here} · elsewhere {there}"
        print(clean(line), file=out)
    if not found:
        print("no conflicts wait", file=out)
    return CONFLICTS_WAIT if found else 0
