"""The app's side of mail: queue invitations for marked guests, count and send the outbox.

Called from worker threads (they read files and talk to the SMTP server); each returns the
line the officer reads.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.config import Settings, is_sealed, templates_dir
from tui.domain.errors import ConvenerError, InvalidInput
from tui.domain.mail.spool import claims_held, outbox_beside

if TYPE_CHECKING:
    from tui.domain.mail.compose import Organizer
    from tui.domain.mail.send import Handover
    from tui.domain.planner import Planner

DEMO_SENDS_NO_MAIL = (
    "The demo sends no mail; outside the demo, set [mail] from and host in config.toml."
)
"""Said in the demo for queueing and sending: it reads no config.toml, so the way the
app says outside it ("set [mail] from ...") would change nothing there."""


def not_here() -> str | None:
    """Why this app sends no mail at all (the demo), or None."""
    return DEMO_SENDS_NO_MAIL if is_sealed() else None


def sender(settings: Settings) -> Organizer:
    """The officer as sender; InvalidInput when [mail] from is not set (in the demo:
    DEMO_SENDS_NO_MAIL, the whole line)."""
    if is_sealed():
        raise InvalidInput(DEMO_SENDS_NO_MAIL)
    from tui.mail_cli import organizer_of

    return organizer_of(settings)


def why_nothing_is_queued(settings: Settings) -> str | None:
    """Why no message can be queued at all (the demo; no [mail] from), said before any
    question about whom to send to; None when messages can be queued."""
    try:
        sender(settings)
    except InvalidInput as error:
        return not_here() or f"Nothing queued: {error}"
    return None


def outbox_look(planner: Planner) -> object:
    """The outbox folder as it looks now, cheaply (no message read): it differs from an
    earlier look when messages were queued, sent or put back since, by any process, or
    when a run sending one of them died."""
    folder = outbox_beside(planner.database_path)
    try:
        seen = folder.stat()
        names = os.listdir(folder)
    except OSError:  # none yet (nothing was ever queued), or not readable now
        return None
    # A run killed while it held a message (NAME.eml.claimed-PID) changes no file: its
    # lock let go tells that the message waits again (counting it puts it back).
    return (seen.st_ino, seen.st_mtime_ns, len(names), claims_held(folder, names))


def outbox_count(planner: Planner) -> int:
    """How many messages wait in the outbox beside the database."""
    return planner.outbox_count(outbox_beside(planner.database_path))


def outbox_words(planner: Planner) -> str:
    """The outbox beside the database in a few words ("outbox: 3 waiting (2 of them held)"), or ""
    when it is empty; held: cancellations sending holds back (their event is on again).
    Another database's messages (two databases in one folder) are not this one's to send:
    counted apart ("outbox: 1 waiting; 2 of another database")."""
    count, held, others = planner.outbox_state(outbox_beside(planner.database_path))
    if not count:
        return ""
    waiting = count - others
    theirs = f"{others} of another database" if others else ""
    if not waiting:
        return f"outbox: {theirs}"
    if not held:
        words = f"outbox: {waiting} waiting"
    elif held == waiting:
        # Of those waiting, not beside them: "15 waiting, 15 held" read as 30 messages.
        words = f"outbox: {waiting} waiting, all held"
    else:
        words = f"outbox: {waiting} waiting ({held} of them held)"
    return f"{words}; {theirs}" if theirs else words


def after_undo(planner: Planner, label: str | None, cancelled_before: set[str]) -> str:
    """After an undo of the step that cancelled an event: put back the invitations and
    updates that cancellation set aside, and say so and what it means for the outbox (its
    cancellations stay queued, held at sending); "" for any other step.
    `cancelled_before`: the uids of the events cancelled before the undo (those it put on
    again are the ones whose messages come back, no other event's)."""
    if not label or not label.startswith("Cancel event"):
        return ""
    on_again = cancelled_before - planner.cancelled_event_uids()
    try:
        restored = planner.restore_withdrawn(outbox_beside(planner.database_path), on_again)
    except ConvenerError as error:
        return f"the messages it withdrew stay aside: {error}"
    said = []
    if restored:
        count = len(restored)
        noun = "message" if count == 1 else "messages"
        said.append(f"{count} unsent {noun} it withdrew put back in the outbox")
    words = outbox_words(planner)
    if "held" in words:
        said.append(f"{words}: its cancellations are held, not sent (delete them, or cancel again)")
    return "; ".join(said)


def queue_invitations(
    planner: Planner, settings: Settings, event_id: int, invitation_ids: Sequence[int]
) -> str:
    """Queue an invitation for each of these guest-list lines; say what happened (a problem
    too: this runs in a pane's worker, whose errors do not reach the App's handler)."""
    outbox = outbox_beside(planner.database_path)
    try:
        # sender imports the e-mail package, which counting the outbox (every guest list
        # read, from the first screen on) does not need.
        organizer = sender(settings)
    except InvalidInput as error:
        return not_here() or f"Nothing queued: {error}"
    try:
        report = planner.queue_mail(
            event_id,
            "invitation",
            outbox,
            organizer,
            only=invitation_ids,
            templates=templates_dir(),
        )
    except ConvenerError as error:
        return f"Nothing queued: {error}"
    count = len(report.queued)
    parts = [f"Queued {count} invitation{'s' if count != 1 else ''}" if count else ""]
    if report.without_email:
        parts.append(f"no e-mail address: {', '.join(report.without_email[:5])}")
    if report.same_address:
        name, other = report.same_address[0]
        more = f" (and {len(report.same_address) - 1} more)" if len(report.same_address) > 1 else ""
        parts.append(f"{name} has the address of {other}, who gets the one message{more}")
    if report.already_queued:
        waiting = len(report.already_queued)
        verb = "waits" if waiting == 1 else "wait"
        parts.append(f"{waiting} already {verb} in the outbox")
    if not count:
        # Nothing new waits: no word of sending (the outbox may well be empty).
        why = "; ".join(p for p in parts if p)
        return f"Nobody to invite: {why}" if why else "Nobody to invite."
    parts.append(f"{outbox_words(planner) or 'outbox: empty'} (ctrl+p, Mail: send the outbox)")
    return "; ".join(parts)


def queue_event_messages(planner: Planner, settings: Settings, event_id: int, kind: str) -> str:
    """Queue an update ("update": to the guests who answered) or a cancellation ("cancel":
    to every guest invited or answered; the event is marked cancelled) for one event;
    say what happened, a problem too (this runs in a worker)."""
    outbox = outbox_beside(planner.database_path)
    try:
        organizer = sender(settings)
    except InvalidInput as error:
        return not_here() or f"Nothing queued: {error}"
    try:
        report = planner.queue_mail(event_id, kind, outbox, organizer, templates=templates_dir())
    except ConvenerError as error:
        return f"Nothing queued: {error}"
    line = report.summary(undo="u")
    line = line[0].upper() + line[1:]
    if report.without_email:
        line += f"; no e-mail: {', '.join(report.without_email[:5])}"
    if report.same_address:
        name, other = report.same_address[0]
        line += f"; {name} has the address of {other}, who gets the one message"
    if report.queued:
        line += f"; {outbox_words(planner)} (ctrl+p, Mail: send the outbox)"
    return line


def send_outbox(
    planner: Planner, settings: Settings, handover: Handover | None = None
) -> tuple[str, bool, bool]:
    """Send the outbox; the line to show, whether it went wrong (nothing was sent, or the
    run stopped), and whether it needs the officer's eye all the same (a message that may
    have gone out already, one the server refused, one edited while it was sent and set
    aside). `handover`: what quitting stops the run with (see stop_sending)."""
    refused = not_here()
    if refused:
        return refused, False, False
    outbox = outbox_beside(planner.database_path)
    if not planner.outbox_count(outbox):
        return f"The outbox is empty ({outbox}).", False, False
    password = os.environ.get("CONVENER_MAIL_PASSWORD") or None
    try:
        report = planner.send_mail(outbox, settings.mail, password=password, handover=handover)
    except ConvenerError as error:
        return f"Nothing sent: {error}", True, False
    count = len(report.sent)
    line = f"Sent {count} message{'s' if count != 1 else ''}"
    if not count and report.others and not (report.problem or report.refused):
        line = "Nothing of this database's to send"
    if report.others:
        line += f"; {report.others_line()}"
    if report.marked:
        guests = "guest" if report.marked == 1 else "guests"
        earlier = report.marked_earlier
        before = f", {earlier} sent by an earlier run that stopped" if earlier else ""
        line += f"; {report.marked} {guests} marked invited (u undoes the marks{before})"
    if report.uncertain:
        line += f"; {len(report.uncertain)} may have gone out already (.sending in the outbox)"
    if report.claimed:
        claimed = report.claimed_lines()
        more = f" (and {len(claimed) - 1} more)" if len(claimed) > 1 else ""
        line += f"; {claimed[0]}{more}"
    if report.refused:
        first = report.refused[0]
        more = f" (and {len(report.refused) - 1} more)" if len(report.refused) > 1 else ""
        line += f"; not taken, left in the outbox: {first}{more}"
    if report.changed:
        more = f" (and {len(report.changed) - 1} more)" if len(report.changed) > 1 else ""
        line += f"; {report.changed[0]}{more}"
    if report.problem:
        line += f". Stopped: {report.problem}"
    attention = bool(report.uncertain or report.refused or report.changed)
    return line, bool(report.problem), attention


def stop_sending(planner: Planner, handover: Handover) -> str:
    """The app quits while it sends the outbox (the server may never answer, and the app
    does not wait for it): the line to print once the app has closed (see
    Planner.stop_sending)."""
    return planner.stop_sending(outbox_beside(planner.database_path), handover, "quitting")
