"""A server that cannot be reached is said in words, never by the exception's text."""

from __future__ import annotations

import errno
import socket
import ssl

import pytest

from tui.domain.reach import where, why_unreachable


class LibraryError(Exception):
    """Stands for an HTTP library's wrapper ("ConnectionError: Max retries exceeded")."""


def raised_from(cause: BaseException) -> BaseException:
    """A library's error raised from `cause` (as niquests wraps a refused socket)."""
    try:
        try:
            raise cause
        except BaseException as inner:
            raise LibraryError("HTTPConnectionPool: Max retries exceeded") from inner
    except LibraryError as outer:
        return outer


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), "connection refused"),
        (raised_from(ConnectionRefusedError(111, "Connection refused")), "connection refused"),
        (socket.gaierror(-2, "Name or service not known"), "no such host"),
        (raised_from(TimeoutError("timed out")), "no answer in time"),
        (
            ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"),
            "it does not speak TLS on this port",
        ),
        (OSError(errno.ENETUNREACH, "Network is unreachable"), "the network cannot be reached"),
        (LibraryError("something else"), "the connection failed"),
    ],
)
def test_why_a_server_was_not_reached_is_said_in_words(error: BaseException, words: str) -> None:
    said = why_unreachable(error)
    assert said.startswith(words)
    assert "Errno" not in said and "Error" not in said


def test_a_server_is_named_by_host_and_port() -> None:
    assert where("smtp.example.org", 587) == "smtp.example.org:587"
    assert where("::1", 25) == "[::1]:25"
