"""`convener mail ...`: queue invitations, updates and cancellations; send the outbox."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tui.config import Settings, templates_dir
from tui.domain.errors import InvalidInput
from tui.domain.mail.compose import Organizer
from tui.domain.mail.settings import smtp_target
from tui.domain.mail.spool import outbox_beside
from tui.domain.text import clean

if TYPE_CHECKING:
    from tui.domain.planner import Planner

KIND_OF_ACTION = {"invitations": "invitation", "update": "update", "cancel": "cancel"}
EXIT_BAD_INPUT = 2
EXIT_ATTENTION = 1


def default_outbox(planner: Planner) -> Path:
    """outbox/ beside the database."""
    return outbox_beside(planner.database_path)


def organizer_of(settings: Settings) -> Organizer:
    """The officer as sender; InvalidInput when [mail] from is not set."""
    if not settings.mail.from_address:
        raise InvalidInput('no sender: set [mail] from = "you@example.org" in config.toml')
    return Organizer(settings.mail.from_address, settings.mail.from_name)


def run(
    args: argparse.Namespace,
    planner: Planner,
    settings: Settings,
    out: TextIO,
    err: TextIO,
    environ: dict[str, str],
) -> int:
    """One `convener mail` action; returns the exit status."""
    outbox = Path(args.outbox).expanduser() if args.outbox else default_outbox(planner)
    if outbox.exists() and not outbox.is_dir():
        raise InvalidInput(f"--outbox: {outbox} is a file, not a folder", value=str(outbox))
    if args.mail_command == "send":
        return _send(args, planner, settings, outbox, out, err, environ)
    event = planner.event_by_id_text(args.event)
    assert event.id is not None
    kind = KIND_OF_ACTION[args.mail_command]
    # What was typed is checked first, then the config: a mistyped --status was hidden
    # behind "no sender" until [mail] was set.
    from tui.domain.planner.mail import check_statuses

    check_statuses(args.status or ())
    report = planner.queue_mail(
        event.id,
        kind,
        outbox,
        organizer_of(settings),
        statuses=args.status,
        templates=templates_dir(),
    )
    print(clean(report.summary()), file=out)
    for name, path in report.queued:
        print(clean(f"  {name}: {path.name}"), file=out)
    for name in report.without_email:
        print(clean(f"  no e-mail address: {name} (not queued)"), file=out)
    for name, other in report.same_address:
        print(clean(f"  same address as {other}: {name} (not queued twice)"), file=out)
    for path in report.replaced:
        print(clean(f"  replaced the unsent {path.name}"), file=out)
    for name, path in report.already_queued:
        print(clean(f"  already queued: {name} ({path.name}); not queued again"), file=out)
    for name, path in report.already_sent:
        print(clean(f"  already sent: {name} ({path.name} says the same); not queued"), file=out)
    if report.queued:
        print(f"read or edit them in {outbox}, then: convener mail send", file=out)
    return 0


def _send(
    args: argparse.Namespace,
    planner: Planner,
    settings: Settings,
    outbox: Path,
    out: TextIO,
    err: TextIO,
    environ: dict[str, str],
) -> int:
    from tui.domain.mail.send import NO_HOST

    host = port = None
    if args.smtp is not None:
        host, port = smtp_target(args.smtp)
    waiting = planner.outbox_count(outbox)
    if host is None and not settings.mail.host and waiting:
        raise InvalidInput(f"no mail server: give --smtp HOST:PORT, or {NO_HOST}")
    password = environ.get("CONVENER_MAIL_PASSWORD") or None
    from tui.domain.mail.send import Handover

    handover = Handover()
    try:
        report = planner.send_mail(
            outbox, settings.mail, host=host, port=port, password=password, handover=handover
        )
    except KeyboardInterrupt:
        # ctrl+c while the server does not answer: the message it was at goes back to the
        # outbox unless its text had left, the guests of those that went are marked.
        print(f"convener: {clean(planner.stop_sending(outbox, handover, 'ctrl+c'))}", file=err)
        raise
    count = len(report.sent)
    where = f"{host or settings.mail.host}:{port or settings.mail.effective_port}"
    if waiting == 0 and not report.uncertain and not report.claimed:
        print(f"the outbox is empty ({outbox})", file=out)
    elif count:
        noun = "message" if count == 1 else "messages"
        marked = f"; {_guests(report.marked)} marked invited" if report.marked else ""
        if report.marked_earlier:  # the journal of a run that stopped before marking
            marked += f" ({report.marked_earlier} sent by an earlier run that stopped)"
        print(clean(f"sent {count} {noun} through {where}{marked}"), file=out)
        for line in report.sent:
            print(clean(f"  {line}"), file=out)
    elif report.marked:
        print(f"{_guests(report.marked)} of an earlier run marked invited", file=out)
    elif report.others and not (report.refused or report.problem):
        print("nothing of this database's to send", file=out)
    if report.others:
        print(report.others_line(), file=out)
    for path in report.uncertain:
        print(
            clean(
                f"convener: {path.name} may already have gone out (a run stopped while sending"
                f" it); not sent again: rename it to {path.name.removesuffix('.sending')} to"
                " send it, or move it into sent/"
            ),
            file=err,
        )
    for line in report.claimed_lines():
        print(clean(f"convener: {line}"), file=err)
    for line in report.refused:
        print(clean(f"convener: {line}; it stays in the outbox"), file=err)
    for line in report.changed:
        print(clean(f"convener: {line}"), file=err)
    if report.problem:
        left = planner.outbox_count(outbox)
        print(clean(f"convener: {report.problem}; {left} left in the outbox"), file=err)
        return EXIT_BAD_INPUT
    if report.refused:
        return EXIT_BAD_INPUT
    unsure = any(not sure for _, sure in report.claimed)
    return EXIT_ATTENTION if report.uncertain or unsure or report.changed else 0


def _guests(count: int) -> str:
    return "1 guest" if count == 1 else f"{count} guests"
