"""Sending the outbox through the officer's SMTP server, never one message twice.

Each message is claimed (renamed NAME.eml.claimed-PID, locked: see mail.spool) before the
run talks to the server about it, renamed NAME.eml.sending just before its text leaves,
moved to sent/ once the server took it, and its guest noted in a small journal; the guests
of a run are marked invited in one undo step at its end. A run that dies leaves a claim
(none of that message's text left: the next run puts it back in the outbox and sends it)
or a .sending file (that message may have gone out: reported, never sent again by
itself), and the journal (its guests are marked by the next run).

A run stopped from another thread (the app quitting while the server does not answer:
see Handover) or by ctrl+c puts the message it was at back in the outbox when its text had
not started to leave (a server cannot deliver a message whose end it never received);
only one whose text left and whose answer never came stays NAME.eml.sending.
"""

from __future__ import annotations

import os
import shlex
import smtplib
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

from tui.domain.errors import InvalidInput
from tui.domain.mail.outbox import (
    DATABASE,
    of_database,
    read_headers,
    read_message,
    record_pending,
    sent_path,
)
from tui.domain.mail.settings import MailSettings
from tui.domain.mail.spool import (
    OURS,
    SENDING,
    claim_path,
    claimer,
    fsync_folder,
    hold,
    in_flight,
    put_back,
    queued,
    queued_path,
    set_aside_changed_copy,
    take_back,
)
from tui.domain.reach import where, why_unreachable
from tui.domain.store import private_folder

TIMEOUT_SECONDS = 30
NO_HOST = 'set [mail] host = "smtp.example.org" in config.toml'
"""What to do when no mail server is set (the app's words; the command line offers --smtp)."""


@dataclass
class SendReport:
    """What a send run did."""

    sent: list[str] = field(default_factory=list)
    """"To: Subject" of each message the server took."""
    marked: int = 0
    """Guests marked invited."""
    marked_earlier: int = 0
    """Of them, those a run that stopped before marking had sent to (its journal)."""
    uncertain: list[Path] = field(default_factory=list)
    """.sending files of a stopped run: they may have gone out; not sent again."""
    problem: str | None = None
    """Why the run stopped early (the rest stays in the outbox)."""
    refused: list[str] = field(default_factory=list)
    """Messages the server would not take (a recipient refused, no recipient): each stays
    in the outbox, said in one line; the others were sent."""
    stopped: bool = False
    """The run was stopped from another thread (the app quitting): what was left stays in
    the outbox (see Handover), its guests are marked by the next run."""
    claimed: list[tuple[Path, bool]] = field(default_factory=list)
    """Messages claimed by another run still going (NAME.eml.claimed-PID), left to it;
    each with whether that is sure (its lock is held) or only likely (its process number
    is in use, maybe by another program since: see mail.spool.take_back)."""
    others: int = 0
    """Messages another database queued (the outbox of two databases in one folder): left
    in the outbox, for that database to send."""
    changed: list[str] = field(default_factory=list)
    """A line for each message changed in the outbox while it was being sent: the earlier
    text went, the changed copy is set aside (NAME.eml.changed), not sent by itself."""

    def claimed_lines(self) -> list[str]:
        """A line per message another run still holds (see `claimed`)."""
        lines = []
        for claim, sure in self.claimed:
            name, pid = queued_path(claim).name, claimer(claim)
            if sure:
                lines.append(f"{name} is being sent by another run (process {pid}); left to it")
            else:
                lines.append(
                    f"{claim.name}: claimed by process {pid}, which still runs, or another"
                    " program has its number since; left alone (if no Convener is sending,"
                    f" rename it to {name} to send it)"
                )
        return lines

    def others_line(self) -> str:
        """'2 messages from another database left in the outbox' ("" when none)."""
        if not self.others:
            return ""
        noun = "message" if self.others == 1 else "messages"
        return f"{self.others} {noun} from another database left in the outbox"


class Stopped(Exception):
    """The run was stopped (see Handover.stop) before the message's text left."""


class Taken(Exception):
    """The message's claim was gone when its text was to leave: another run put it back,
    taking this run for one that had died (it cannot send it from here: only one run
    may rename the claim to .sending)."""


class Handover:
    """The message a send run is handing to the server, shared with the thread that may
    stop the run (the app quitting while the server does not answer: the run's thread is
    left waiting and the process ends without it).

    Until the message's text starts to leave (after the server's go-ahead to DATA) the
    server cannot deliver it: it is only claimed (NAME.eml.claimed-PID, locked), and
    stopped then, it goes back to the outbox as it was (killed then, the next run puts it
    back). Its text leaves only once the claim became NAME.eml.sending: from then on
    only the server's answer tells whether it went, and a stopped run waits for no answer:
    the message stays NAME.eml.sending (reported, never sent again by itself). A run once
    stopped changes no file: what `stop` said is what the outbox shows.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopped = False
        self._queued: Path | None = None
        """The message in flight (its name in the outbox), from its claim until it is in
        sent/ or back in the outbox."""
        self._claim: Path | None = None
        """Its claim's path while it is claimed (until it becomes .sending)."""
        self._descriptor: int | None = None
        """The claim's open file, whose lock tells other runs that this one goes on."""
        self._handed = False
        """True from when the message's text started to leave until the server's answer."""
        self.taken = 0
        """Messages the server took in this run."""
        self.lost = ""
        """The name of the message whose claim was gone when its text was to leave."""
        self.finished = False
        """True once the run ended by itself (and its guests were marked): a stop after it
        has nothing to tell."""

    def claim(self, path: Path) -> Path | None:
        """Claim a queued message (rename it NAME.eml.claimed-PID, locked); the claim's
        path, or None when another run (the app, a second terminal) took it meanwhile.
        Stopped raises Stopped."""
        claim = claim_path(path)
        with self._lock:
            if self._stopped:
                raise Stopped
            try:
                descriptor, locked = hold(path)
            except FileNotFoundError:
                return None
            if locked is False:
                return None  # another run is claiming it
            try:
                os.replace(path, claim)
            except FileNotFoundError:
                _close(descriptor)
                return None
            except BaseException:
                _close(descriptor)
                raise
            if descriptor is not None and os.fstat(descriptor).st_ino != claim.stat().st_ino:
                # Another run sent the file opened here, and this name was queued again
                # meanwhile: not the one locked, left for the next run (unless another
                # run's look put it back first).
                try:
                    put_back(claim, path)
                except FileNotFoundError:
                    pass
                finally:
                    _close(descriptor)
                return None
            fsync_folder(path.parent)
            self._queued, self._claim, self._handed = path, claim, False
            self._descriptor = descriptor
            OURS.add(claim)
        return claim

    def handing(self) -> None:
        """The message's text is about to leave: from now on it may go out (its claim
        becomes NAME.eml.sending). Stopped raises Stopped (nothing of the text left: the
        server delivers nothing); its claim gone (see Taken) raises Taken."""
        with self._lock:
            if self._stopped:
                raise Stopped
            if self._handed or self._queued is None or self._claim is None:
                return
            try:
                os.replace(self._claim, self._queued.with_name(self._queued.name + SENDING))
            except FileNotFoundError:
                self.lost = self._queued.name
                self._forget()
                raise Taken from None
            fsync_folder(self._queued.parent)
            OURS.discard(self._claim)
            self._claim, self._handed = None, True

    @property
    def current(self) -> Path | None:
        """The file of the message in flight: its claim, or NAME.eml.sending once handed."""
        if self._queued is None:
            return None
        return self._claim or self._queued.with_name(self._queued.name + SENDING)

    @property
    def handed(self) -> bool:
        """True while the message in flight has started to leave and the server has not
        answered (it may have gone out)."""
        return self._handed

    def put_back(self) -> None:
        """The message in flight did not go: back in the outbox as it was."""
        with self._lock:
            self._put_back()

    def _put_back(self) -> None:
        if self._queued is not None:
            source = self._claim or self._queued.with_name(self._queued.name + SENDING)
            try:
                put_back(source, self._queued)
            except FileNotFoundError:
                pass  # put back already by another run (see Taken)
        self._forget()

    def _forget(self) -> None:
        """No message in flight (its lock let go)."""
        if self._claim is not None:
            OURS.discard(self._claim)
        _close(self._descriptor)
        self._queued, self._claim, self._descriptor, self._handed = None, None, None, False

    @contextmanager
    def settling(self) -> Iterator[bool]:
        """While the message the server took is journaled and moved to sent/ (a stop waits
        for these milliseconds); yields False when the run was stopped meanwhile: then the
        message stays .sending, as `stop` said."""
        with self.unless_stopped() as going_on:
            yield going_on
            if going_on:
                self._forget()
                self.taken += 1

    @contextmanager
    def unless_stopped(self) -> Iterator[bool]:
        """Hold off a stop while the block runs (file or database work of milliseconds);
        yields False when the run was stopped already (then the block leaves all be)."""
        with self._lock:
            yield not self._stopped

    def stop(self) -> Path | None:
        """Stop the run: the message in flight goes back to the outbox when none of its
        text left; returns its .sending file when some did (it may have gone out)."""
        with self._lock:
            self._stopped = True
            if self._queued is None:
                return None
            if self._handed:
                return self._queued.with_name(self._queued.name + SENDING)
            try:
                self._put_back()
            except OSError:
                # Left claimed: none of its text left, the next run puts it back.
                self._forget()
            return None

    @property
    def stopped(self) -> bool:
        """True once the run was stopped."""
        return self._stopped


def _close(descriptor: int | None) -> None:
    if descriptor is not None:
        os.close(descriptor)


def _guard_text(smtp: smtplib.SMTP, handover: Handover) -> None:
    """Have `handover` told just before the message's text leaves: smtplib sends every
    command as str and the text alone (after the server's 354) as bytes."""
    send = smtp.send

    def guarded(data: str | bytes) -> None:
        if isinstance(data, bytes):
            handover.handing()
        send(data)

    setattr(smtp, "send", guarded)  # noqa: B010  (an instance's method: mypy refuses `=`)


def password_from(command: str, what: str = "mail.password_command") -> str:
    """The first line a password command prints (run without a shell); never logged."""
    try:
        argv = shlex.split(command)
    except ValueError as error:
        raise InvalidInput(f"{what} cannot be read: {error}") from None
    if not argv:
        raise InvalidInput(f"{what} is empty")
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL
        )
    except FileNotFoundError:
        raise InvalidInput(f"{what}: no program {argv[0]!r}") from None
    except subprocess.TimeoutExpired:
        raise InvalidInput(f"{what} did not answer within 60 s") from None
    except OSError as error:
        # "Exec format error": a script without its #! line; "Permission denied": not
        # executable.
        why = error.strerror or type(error).__name__
        raise InvalidInput(f"{what} did not run: {why} ({argv[0][:80]})") from None
    if done.returncode != 0:
        raise InvalidInput(f"{what} failed (exit status {done.returncode})")
    return done.stdout.splitlines()[0] if done.stdout else ""


def seven_bit(message: EmailMessage) -> EmailMessage:
    """The message with every 8bit text part made quoted-printable, for a server without
    8BITMIME (the outbox keeps 8bit so the officer can read it)."""
    for part in message.walk():
        if part.is_multipart() or part.get("Content-Transfer-Encoding", "") != "8bit":
            continue
        assert isinstance(part, EmailMessage)
        text = part.get_content()
        params = {k: v for k, v in (part.get_params() or [])[1:] if k != "charset"}
        part.set_content(
            text, subtype=part.get_content_subtype(), params=params, cte="quoted-printable"
        )
        if "MIME-Version" in part and part is not message:
            del part["MIME-Version"]
    return message


def _connect(settings: MailSettings, host: str, port: int, password: str | None) -> smtplib.SMTP:
    server = where(host, port)
    try:
        smtp: smtplib.SMTP
        if settings.security == "tls":
            smtp = smtplib.SMTP_SSL(
                host, port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
        try:
            smtp.ehlo()
            if settings.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise InvalidInput(
                        f"the mail server at {server} does not offer STARTTLS; set"
                        ' mail.security = "tls" or "none" if that is right for this server'
                    )
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp
    except smtplib.SMTPAuthenticationError as error:
        raise InvalidInput(
            f"the mail server at {server} refused the login for {settings.user} ({error.smtp_code})"
        ) from None
    except smtplib.SMTPResponseException as error:
        raise InvalidInput(f"the mail server at {server} refused: {_reason(error)}"[:180]) from None
    except smtplib.SMTPNotSupportedError:
        raise InvalidInput(
            f"the mail server at {server} offers no login; leave mail.user out if it takes"
            " mail without one"
        ) from None
    except (OSError, smtplib.SMTPException) as error:
        # Said in words ("connection refused"), never the exception's text ("[Errno 111]").
        raise InvalidInput(
            f"cannot reach the mail server at {server}: {why_unreachable(error)}"
        ) from None


def _recipients(message: EmailMessage) -> list[str]:
    headers = [str(v) for name in ("To", "Cc", "Bcc") for v in message.get_all(name, [])]
    return [address for _, address in getaddresses(headers) if address]


def send_outbox(
    folder: Path,
    settings: MailSettings,
    *,
    host: str | None = None,
    port: int | None = None,
    password: str | None = None,
    held: dict[Path, str] | None = None,
    database: str | None = None,
    handover: Handover | None = None,
) -> SendReport:
    """Send every queued message of `database` (its uid; Planner.send_mail then marks their
    guests invited), but those `held` (each left in the outbox, its reason among the
    refused). Another database's messages are left in the outbox, counted. `handover`:
    what another thread stops the run with (the app quitting); a run stopped returns
    with what it did until then (`stopped` set)."""
    # A claim of a run that is gone goes back to the outbox first (then sent with the rest).
    claims = [(path, sure) for path, sure in take_back(folder) if _ours(path, database)]
    report = SendReport(
        uncertain=[p for p in in_flight(folder) if _ours(p, database)],
        claimed=claims,
    )
    handover = handover or Handover()
    held = held or {}
    report.refused.extend(held[path] for path in sorted(held))
    messages = []
    for path in queued(folder):
        if path in held:
            continue
        try:
            message = read_message(path)
        except InvalidInput as error:
            # A file that is no message (no To:, unreadable) stays, said; the others go.
            report.refused.append(f"{path.name}: {error.message}")
            continue
        if not of_database(message, database):
            report.others += 1
            continue
        messages.append((path, message))
    host = host or settings.host
    port = port or settings.effective_port
    if messages and not host:
        # The setting only: the command line offers --smtp itself (mail_cli), the app has none.
        raise InvalidInput(f"no mail server: {NO_HOST}")
    if messages and not settings.from_address:
        raise InvalidInput('no sender: set [mail] from = "you@example.org" in config.toml')
    if messages:
        if settings.user and password is None and settings.password_command:
            password = password_from(settings.password_command)
        assert host is not None
        smtp = _connect(settings, host, port, password)
        _guard_text(smtp, handover)
        ended = False
        try:
            private_folder(folder / "sent")
            _send_all(smtp, messages, folder, settings, report, handover)
            ended = not handover.handed
        except Stopped:
            pass  # the message in flight is back in the outbox (Handover.stop)
        except Taken:
            # Closing ends the transaction the server had said go ahead to (DATA).
            report.problem = (
                f"{handover.lost}: another run took it back as a claim of a run that had"
                " stopped, and may send it; not sent from here"
            )
        finally:
            if ended:
                try:
                    smtp.quit()
                except (OSError, smtplib.SMTPException):
                    smtp.close()
            else:
                # Stopped, or cut off while waiting on the server (ctrl+c), maybe in the
                # middle of a message's text: a QUIT would wait on it again, or be read
                # as more of that text. Closing ends the transaction.
                smtp.close()
    report.stopped = handover.stopped
    return report


def _send_all(
    smtp: smtplib.SMTP,
    messages: list[tuple[Path, EmailMessage]],
    folder: Path,
    settings: MailSettings,
    report: SendReport,
    handover: Handover,
) -> None:
    eight_bit = smtp.has_extn("8bitmime")
    assert settings.from_address is not None
    for path, message in messages:
        if handover.claim(path) is None:
            continue  # another run (the app, a second terminal) took this one meanwhile
        to = _recipients(message)
        if not to:
            handover.put_back()
            report.refused.append(f"{path.name}: no recipient (To:) in it")
            continue
        outgoing = message if eight_bit else seven_bit(message)
        try:
            smtp.send_message(outgoing, from_addr=settings.from_address, to_addrs=to)
        except smtplib.SMTPSenderRefused as error:
            handover.put_back()  # our own address: no message would go
            report.problem = f"{path.name}: the server refused the sender ({_reason(error)})"
            return
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
            # This message only (a guest's address, its size): it was not sent, the server
            # reset the transaction, and the next message goes as usual.
            handover.put_back()
            report.refused.append(f"{path.name}: the server refused it ({_reason(error)})")
            continue
        except (OSError, smtplib.SMTPException) as error:
            why = why_unreachable(error)
            if not handover.handed:
                # Broken before any of its text left: the server cannot deliver it.
                handover.put_back()
                report.problem = (
                    f"{path.name}: the connection broke before it was handed over ({why});"
                    " it stays in the outbox"
                )
                return
            # The connection broke while the message was being handed over: it may have
            # gone out. Keep it as .sending; the next run reports it instead of resending.
            flight = path.with_name(path.name + SENDING)
            report.uncertain.append(flight)
            report.problem = (
                f"{path.name}: the connection broke while sending ({why}); it may have"
                f" gone out and stays as {flight.name}"
            )
            return
        except BaseException:
            # ctrl+c (the command line): what the message's text had reached decides, as
            # for a broken connection; said by the next run when it may have gone out.
            if not handover.handed:
                handover.put_back()
            raise
        with handover.settling() as settle:
            if not settle:
                return  # stopped: it stays .sending, as the stop said
            # Journal first, then move: every message in sent/ has its guest journaled (a
            # kill between the two leaves a .sending file that is reported and a guest
            # marked).
            kind, guest = (
                str(message.get("X-Convener-Kind", "")),
                str(message.get("X-Convener-Guest", "")),
            )
            record_pending(folder, [(kind, guest, str(message.get(DATABASE, "") or ""))])
            target = sent_path(folder, path.name)
            os.replace(handover.current or path.with_name(path.name + SENDING), target)
            aside = set_aside_changed_copy(path, target)
            if aside is not None:
                report.changed.append(
                    f"{path.name} was changed in the outbox while it was being sent: the"
                    f" earlier text went; the changed copy is kept as {aside.name}, not sent"
                    f" (rename it to {path.name} to send it as well)"
                )
            fsync_folder(folder)
            fsync_folder(target.parent)
        report.sent.append(f"{', '.join(to)}: {message.get('Subject', '')}")


def _ours(path: Path, database: str | None) -> bool:
    """Whether a message file is `database`'s (or no database's); unreadable: yes (it is
    reported, as before the stamp)."""
    headers = read_headers(path)
    return headers is None or of_database(headers, database)


def _reason(error: smtplib.SMTPException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [f"{code}" for code, _ in error.recipients.values()]
        return f"recipient refused, {', '.join(codes)}"
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        reply = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{error.smtp_code} {' '.join(reply.split())}"[:120]
    return type(error).__name__
