"""The `[mail]` table of config.toml: who sends, and through which SMTP server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.domain.errors import InvalidInput
from tui.domain.patterns import LazyPattern

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
_ADDRESS = LazyPattern(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")


@dataclass(frozen=True)
class MailSettings:
    """How Convener reaches the officer's own mail server."""

    from_address: str | None = None
    """The officer's address: the From of every message and the events' ORGANIZER."""
    from_name: str | None = None
    """The name shown beside it ("Ana Ruiz <ana@example.org>" gives both)."""
    host: str | None = None
    """The SMTP server."""
    port: int | None = None
    """Its port; None means 587 (starttls), 465 (tls) or 25 (none)."""
    security: str = "starttls"
    """starttls (default), tls (SMTP over TLS from the first byte) or none."""
    user: str | None = None
    """The login name; None sends without logging in."""
    password_command: str | None = None
    """A command that prints the password (run without a shell), e.g. `pass show mail`."""

    @property
    def effective_port(self) -> int:
        """The port to connect to."""
        return self.port or DEFAULT_PORTS[self.security]

    def as_mapping(self) -> dict[str, Any]:
        """The table as config.toml holds it."""
        data: dict[str, Any] = {}
        if self.from_address:
            data["from"] = (
                f"{self.from_name} <{self.from_address}>" if self.from_name else self.from_address
            )
        for key in ("host", "port", "user", "password_command"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        if self.security != "starttls":
            data["security"] = self.security
        return data


def address_value(text: str, what: str) -> tuple[str | None, str]:
    """("Ana Ruiz", "ana@example.org") from "Ana Ruiz <ana@example.org>" or a bare address."""
    from email.utils import parseaddr

    name, address = parseaddr(text.strip())
    if not _ADDRESS.match(address or ""):
        raise InvalidInput(f"{what}: {text[:80]!r} is not an e-mail address", value=text)
    return (name.strip() or None), address


def mail_settings(data: Any) -> MailSettings:
    """The `[mail]` table checked; InvalidInput names the key at fault."""
    if not isinstance(data, dict):
        raise InvalidInput("expected a table such as [mail] with from, host, port")
    known = ("from", "host", "port", "security", "user", "password_command")
    for key in data:
        if key not in known:
            raise InvalidInput(f"mail.{key} is not a mail setting (known: {', '.join(known)})")
    values: dict[str, Any] = {}
    if "from" in data:
        if not isinstance(data["from"], str):
            raise InvalidInput("mail.from: expected an address such as 'ana@example.org'")
        values["from_name"], values["from_address"] = address_value(data["from"], "mail.from")
    for key in ("host", "user", "password_command"):
        if key in data:
            if not isinstance(data[key], str) or not data[key].strip():
                raise InvalidInput(f"mail.{key}: expected text")
            values[key] = data[key].strip()
    if "port" in data:
        values["port"] = port_number(data["port"], "mail.port")
    if "security" in data:
        if data["security"] not in SECURITY:
            raise InvalidInput(
                f"mail.security: expected 'starttls', 'tls' or 'none', not {data['security']!r}"
            )
        values["security"] = data["security"]
    return MailSettings(**values)


def port_number(value: object, what: str) -> int:
    """A port (1-65535); InvalidInput in the same words wherever it was written
    (config.toml's mail.port, --smtp): "mail.port: 99999 is not a port number (1-65535)"."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 65536:
        return value
    shown = str(value) if isinstance(value, int) else repr(value)[:40]
    raise InvalidInput(f"{what}: {shown} is not a port number (1-65535)", value=str(value))


def smtp_target(text: str) -> tuple[str, int]:
    """HOST:PORT as typed after --smtp; InvalidInput when it is not one."""
    host, colon, port_text = text.strip().rpartition(":")
    host = host.strip("[]")
    if not colon or not host or not port_text:
        raise InvalidInput(
            f"--smtp: {text[:80]!r} is not HOST:PORT (e.g. smtp.example.org:587)", value=text
        )
    return host, port_number(int(port_text) if port_text.isdigit() else port_text, "--smtp")
