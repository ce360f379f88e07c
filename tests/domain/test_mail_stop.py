"""A send run stopped from another thread (the app quitting while the server does not
answer): the message it was at goes back to the outbox when none of its text left, stays
NAME.eml.sending when it did; the guests of what went out are marked; the next run sends
what is left, each message once."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator

import pytest

from tests.mail_server import Recorder, smtp_server
from tui.domain.errors import ConvenerError
from tui.domain.mail.compose import Organizer
from tui.domain.mail.send import Handover, SendReport
from tui.domain.mail.settings import MailSettings
from tui.domain.planner import Planner
from tui.mail_cli import default_outbox

ZURICH = 12
"""Two guests to invite, both with an e-mail."""


def mail_settings(port: int) -> MailSettings:
    return MailSettings(
        from_address="kelsey@stanleycenter.example", host="127.0.0.1", port=port, security="none"
    )


def to_invite(planner: Planner) -> list[str]:
    return sorted(
        line.name for line in planner.guest_lines(ZURICH) if line.invitation.status == "to-invite"
    )


class Run:
    """`planner.send_mail` on a thread of its own, as the app runs it."""

    def __init__(self, planner: Planner, port: int) -> None:
        self.handover = Handover()
        self.report: SendReport | None = None
        self.error: BaseException | None = None

        def send() -> None:
            try:
                self.report = planner.send_mail(
                    default_outbox(planner), mail_settings(port), handover=self.handover
                )
            except ConvenerError as error:
                self.error = error

        self.thread = threading.Thread(target=send, daemon=True)
        self.thread.start()

    def join(self) -> None:
        self.thread.join(30)
        assert not self.thread.is_alive()


@pytest.fixture
def silent_server() -> Iterator[socket.socket]:
    """A server that takes the connection and never answers (not even the greeting)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(30)
    try:
        yield listener
    finally:
        listener.close()


def test_stopped_while_the_server_never_greets_nothing_changes_and_the_next_run_sends_all(
    planner: Planner, silent_server: socket.socket
) -> None:
    outbox = default_outbox(planner)
    planner.queue_mail(ZURICH, "invitation", outbox, Organizer("kelsey@stanleycenter.example"))
    queued = sorted(p.name for p in outbox.iterdir())
    run = Run(planner, silent_server.getsockname()[1])
    connection, _ = silent_server.accept()  # the run waits for the greeting from here on
    said = planner.stop_sending(outbox, run.handover, "quitting")
    assert (
        said
        == "sending stopped by quitting: 0 messages sent, 2 left in the outbox to send next time"
    )
    assert sorted(p.name for p in outbox.iterdir()) == queued
    connection.close()  # the run's thread wakes (the server hung up) and changes nothing
    run.join()
    assert sorted(p.name for p in outbox.iterdir()) == queued
    recorder = Recorder()
    with smtp_server(recorder) as port:
        report = planner.send_mail(outbox, mail_settings(port))
    assert len(report.sent) == 2 and report.uncertain == []
    assert len({r.rcpt_tos[0] for r in recorder.received}) == len(recorder.received) == 2
    assert to_invite(planner) == []


def test_stopped_before_a_messages_text_left_puts_it_back_and_marks_the_one_sent(
    planner: Planner,
) -> None:
    outbox = default_outbox(planner)
    planner.queue_mail(ZURICH, "invitation", outbox, Organizer("kelsey@stanleycenter.example"))
    first, second = sorted(outbox.glob("*.eml"))
    recorder = Recorder(hold_mail_at=2)  # MAIL FROM of the second message: no answer
    with smtp_server(recorder) as port:
        run = Run(planner, port)
        assert recorder.arrived.wait(30)
        # Claimed, not .sending: none of its text left (killed here, the next run sends it).
        assert (outbox / f"{second.name}.claimed-{os.getpid()}").exists()
        said = planner.stop_sending(outbox, run.handover, "quitting")
        # Without the stop the server's answer never comes (till the timeout): the second
        # stayed .sending, reported as may have gone out, and its guest stayed to-invite.
        assert said == (
            "sending stopped by quitting: 1 message sent (1 guest marked invited),"
            " 1 left in the outbox to send next time"
        )
        assert second.exists() and not (outbox / f"{second.name}.sending").exists()
        assert [p.name for p in (outbox / "sent").iterdir()] == [first.name]
        assert len(to_invite(planner)) == 1
        recorder.release.set()  # the server answers now: the stopped run sends nothing more
        run.join()
        assert len(recorder.received) == 1
        assert second.exists()
        report = planner.send_mail(outbox, mail_settings(port))
    assert len(report.sent) == 1 and report.uncertain == []
    assert len({r.rcpt_tos[0] for r in recorder.received}) == len(recorder.received) == 2
    assert to_invite(planner) == []


def test_stopped_once_a_messages_text_left_keeps_it_as_sending_and_never_sends_it_again(
    planner: Planner,
) -> None:
    outbox = default_outbox(planner)
    planner.queue_mail(ZURICH, "invitation", outbox, Organizer("kelsey@stanleycenter.example"))
    _, second = sorted(outbox.glob("*.eml"))
    recorder = Recorder(hold_at=2)  # the second's text arrived; the answer does not come
    with smtp_server(recorder) as port:
        run = Run(planner, port)
        assert recorder.arrived.wait(30)
        said = planner.stop_sending(outbox, run.handover, "quitting")
        assert said == (
            "sending stopped by quitting: 1 message sent (1 guest marked invited);"
            f" {second.name} may have gone out (the mail server had it and had not answered):"
            f" kept in {outbox} with .sending added to its name, never sent again by itself"
            " (take the .sending off to send it, or move it into sent/)"
        )
        recorder.release.set()  # it did go: the stopped run leaves it as the stop said
        run.join()
        assert (outbox / f"{second.name}.sending").exists()
        assert len(list((outbox / "sent").iterdir())) == 1
        report = planner.send_mail(outbox, mail_settings(port))
    assert report.sent == [] and report.uncertain == [outbox / f"{second.name}.sending"]
    assert len(recorder.received) == 2


@pytest.fixture
def hangs_up_at_mail() -> Iterator[int]:
    """The port of a server that greets, then hangs up at the first MAIL FROM."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(30)

    def serve() -> None:
        connection, _ = listener.accept()
        with connection, connection.makefile("rb") as lines:
            connection.sendall(b"220 ready\r\n")
            for line in lines:
                if line.upper().startswith(b"MAIL"):
                    return
                connection.sendall(b"250 ok\r\n")

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        yield listener.getsockname()[1]
    finally:
        server.join(30)
        listener.close()


def test_a_connection_broken_before_a_messages_text_left_keeps_it_in_the_outbox(
    planner: Planner, hangs_up_at_mail: int
) -> None:
    """It was said to have maybe gone out and left as .sending, for the officer to rename
    by hand, when the server could not have delivered it."""
    outbox = default_outbox(planner)
    planner.queue_mail(ZURICH, "invitation", outbox, Organizer("kelsey@stanleycenter.example"))
    first, second = sorted(outbox.glob("*.eml"))
    report = planner.send_mail(outbox, mail_settings(hangs_up_at_mail))
    assert report.uncertain == [] and report.sent == []
    assert report.problem is not None
    assert report.problem.startswith(f"{first.name}: the connection broke before it was")
    assert report.problem.endswith("; it stays in the outbox")
    assert sorted(outbox.glob("*.eml")) == [first, second]
    assert not list(outbox.glob("*.sending"))
