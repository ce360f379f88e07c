"""A real SMTP server for the tests (aiosmtpd), on 127.0.0.1 on a free port, no STARTTLS."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    """One message as the server took it."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        """The message parsed."""
        return BytesParser(policy=policy.default).parsebytes(self.data)


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps what it receives; it can refuse from the n-th message
    on, and hold the n-th message (its MAIL FROM, or once its text arrived) until `release`
    is set (to kill or stop a client there)."""

    refuse_from: int | None = None
    hold_at: int | None = None
    refuse_rcpt: str | None = None
    """An address refused at RCPT (550), as for a mailbox that does not exist."""
    hold_mail_at: int | None = None
    """The n-th MAIL FROM is held (no answer) until `release` is set: a server that stops
    answering before the message's text was sent."""
    mails: int = 0
    received: list[Received] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    seen: int = 0

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        self.mails += 1
        if self.hold_mail_at is not None and self.mails == self.hold_mail_at:
            self.arrived.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refuse_rcpt is not None and address == self.refuse_rcpt:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.seen += 1
        if self.refuse_from is not None and self.seen >= self.refuse_from:
            return "554 5.7.1 message refused by policy"
        if self.hold_at is not None and self.seen == self.hold_at:
            self.arrived.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
        data = envelope.original_content or envelope.content
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(data)))
        return "250 2.0.0 OK"


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(handler: Recorder, login: tuple[str, str] | None = None) -> Iterator[int]:
    """Run an SMTP server with `handler` (asking for `login` when given); yields its port."""
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticator(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and login == (
            data.login.decode(),
            data.password.decode(),
        )
        return AuthResult(success=ok, handled=False)

    port = free_port()
    options: dict[str, Any] = {}
    if login is not None:
        options = {"authenticator": authenticator, "auth_require_tls": False, "auth_required": True}
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        handler.release.set()
        controller.stop()
