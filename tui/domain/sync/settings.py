"""The `[sync]` table of config.toml: the team's collection home and who logs in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tui.domain.errors import InvalidInput


@dataclass(frozen=True)
class SyncSettings:
    """Where the team's shared program lives. The password is never kept in the file."""

    url: str | None = None
    """The collection home on the CalDAV/CardDAV server; Convener makes its collections in it."""
    user: str | None = None
    """The login name."""
    password_command: str | None = None
    """A command that prints the password (run without a shell), e.g. `pass show team`."""

    def as_mapping(self) -> dict[str, Any]:
        """The table as config.toml holds it."""
        return {k: v for k, v in vars(self).items() if v is not None}


def checked_url(text: str) -> str:
    """An http(s) URL with a host, or InvalidInput (shown without any password in it)."""
    try:
        parts = urlsplit(text.strip())
        parts.port  # noqa: B018 - reading it checks it (a port past 65535 raises)
    except ValueError as error:  # 'http://[::1' (an unclosed IPv6 host), 'http://h:99999'
        why = "a [ without its ]" if "IPv6" in str(error) else "the port is not 0-65535"
        raise InvalidInput(f"sync url: not an address of a server: {why}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = parts._replace(netloc=parts.hostname or "").geturl()[:80]
        raise InvalidInput(f"sync url: {shown!r} is not an http(s) address of a server")
    if parts.password:
        raise InvalidInput("sync url: leave the password out of it (CONVENER_SYNC_PASSWORD)")
    return text.strip()


def sync_settings(data: Any) -> SyncSettings:
    """The `[sync]` table checked; InvalidInput names the key at fault."""
    if not isinstance(data, dict):
        raise InvalidInput("expected a table such as [sync] with url, user")
    if "password" in data:
        raise InvalidInput("sync.password: never kept in the file; use password_command")
    known = ("url", "user", "password_command")
    for key in data:
        if key not in known:
            raise InvalidInput(f"sync.{key} is not a sync setting (known: {', '.join(known)})")
        if not isinstance(data[key], str) or not data[key].strip():
            raise InvalidInput(f"sync.{key}: expected text")
    url = checked_url(data["url"]) if "url" in data else None
    return SyncSettings(
        url=url, user=data.get("user"), password_command=data.get("password_command")
    )
