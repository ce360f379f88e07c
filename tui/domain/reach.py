"""Why a server could not be reached, in the officer's words.

The mail server (smtplib) and the team's server (the HTTP library under python-caldav)
fail with exceptions whose text is a programmer's ("[Errno 111] Connection refused",
"ConnectionError", "Max retries exceeded with url"): the cause is found down the chain
of exceptions and said plainly ("connection refused", "no such host").
"""

from __future__ import annotations

import errno
import socket
import ssl

NO_ANSWER = "no answer in time"
"""Why, when the server took too long (a timeout)."""

_ERRNO_WORDS = {
    errno.ECONNREFUSED: "connection refused",
    errno.ECONNRESET: "the connection was reset",
    errno.ECONNABORTED: "the connection was dropped",
    errno.EPIPE: "the connection was dropped",
    errno.ETIMEDOUT: NO_ANSWER,
    errno.EHOSTUNREACH: "the host cannot be reached",
    errno.ENETUNREACH: "the network cannot be reached (offline?)",
    errno.ENETDOWN: "the network is down (offline?)",
    errno.EADDRNOTAVAIL: "the address is not available here",
}


def where(host: str, port: int | None) -> str:
    """'smtp.example.org:587' ('[::1]:25' for an IPv6 address)."""
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}" if port is not None else shown


def why_unreachable(error: BaseException) -> str:
    """A few plain words for why a connection failed ("connection refused")."""
    for cause in _chain(error):
        words = _words(cause)
        if words:
            return words
    return "the connection failed"


def _chain(error: BaseException) -> list[BaseException]:
    """The error and what it was raised from, outermost first (each once)."""
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in found and len(found) < 20:
        found.append(current)
        current = current.__cause__ or current.__context__
    # The innermost cause is the most exact (a refused socket under the library's
    # "ConnectionError"): looked at first.
    return list(reversed(found))


def _words(error: BaseException) -> str | None:
    name = type(error).__name__
    if isinstance(error, socket.gaierror) or name == "NameResolutionError":
        return "no such host (is the name right, and is this computer online?)"
    if isinstance(error, ssl.SSLCertVerificationError):
        return "its certificate is not trusted (a wrong name, or a certificate of its own)"
    if isinstance(error, ssl.SSLError):
        if "WRONG_VERSION_NUMBER" in str(error) or "wrong version number" in str(error):
            return "it does not speak TLS on this port (check the port and the security)"
        return "the secure connection failed"
    if isinstance(error, (TimeoutError, socket.timeout)) or "Timeout" in name:
        return NO_ANSWER
    if isinstance(error, OSError) and error.errno in _ERRNO_WORDS:
        return _ERRNO_WORDS[error.errno]
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError):
        return "the connection was reset"
    if name == "SMTPServerDisconnected":
        return "the server closed the connection"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[0].lower() + error.strerror[1:]
    return None
