"""The server side of a sync, over python-caldav's DAVClient: collections, RFC 6578 sync
reports, and conditional PUT and DELETE (If-Match, If-None-Match: *).

python-caldav has no address-book objects, so both collections are driven through the
client's own WebDAV requests (its session, authentication and error handling); nothing
here speaks HTTP by itself.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import unquote, urljoin, urlsplit

from tui.domain.errors import ConvenerError
from tui.domain.reach import NO_ANSWER, where, why_unreachable
from tui.domain.sync.carriers import CALENDAR, CONTACTS
from tui.domain.text import clean_line, clipped

NAMES = {CALENDAR: "convener-calendar", CONTACTS: "convener-contacts"}
"""The collections Convener makes under the collection home."""
_D = "{DAV:}"
_C = "{urn:ietf:params:xml:ns:caldav}"
_CR = "{urn:ietf:params:xml:ns:carddav}"
_MKCALENDAR = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>'
    "<D:displayname>Convener</D:displayname><C:supported-calendar-component-set>"
    '<C:comp name="VEVENT"/><C:comp name="VTODO"/><C:comp name="VJOURNAL"/>'
    "</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"
)
_MKADDRESSBOOK = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>'
    "<D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype>"
    "<D:displayname>Convener contacts</D:displayname></D:prop></D:set></D:mkcol>"
)


UNREADABLE = "the server's answer could not be read (is the address a CalDAV server's?)"

TIMEOUT = 30
"""Seconds a request waits for the server (to connect, then between parts of its answer)
before the sync gives up and says so: long enough for a slow server's report of a large
collection, short enough that an officer is not left guessing (it was 120)."""

WRITING = frozenset({"MKCOL", "MKCALENDAR", "PUT", "DELETE", "PROPPATCH"})
"""The requests that change something on the server (a 403 to them: no right to write)."""


class Unreachable(ConvenerError):
    """The server could not be reached, or refused (wrong password, no rights)."""


class PreconditionFailed(ConvenerError):
    """412: the resource changed on the server since we last saw it (or exists already)."""


class TokenExpired(ConvenerError):
    """The server no longer knows our sync token: compare etags instead."""


@dataclass
class Changes:
    """What a sync report says changed in one collection."""

    token: str
    changed: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    """href -> (etag, text or None when the report did not carry it)."""
    deleted: list[str] = field(default_factory=list)


class Dav:
    """One collection home on one server, as one user."""

    WORKERS = 4
    """Connections a first publish PUTs over at once (each its own kept-alive session)."""

    def __init__(self, url: str, user: str | None, password: str | None, timeout: int = TIMEOUT):
        from caldav.davclient import DAVClient

        self.home = url if url.endswith("/") else url + "/"
        self.user = user
        self.client = DAVClient(url=self.home, username=user, password=password, timeout=timeout)
        self._login = (password, timeout)
        self._owner = threading.get_ident()
        self._local = threading.local()

    def _client(self) -> Any:
        """This thread's client: the one made with the Dav, or one per worker thread (an
        HTTP session is not shared between threads)."""
        if threading.get_ident() == self._owner:
            return self.client
        client = getattr(self._local, "client", None)
        if client is None:
            from caldav.davclient import DAVClient

            password, timeout = self._login
            client = DAVClient(
                url=self.home, username=self.user, password=password, timeout=timeout
            )
            self._local.client = client
        return client

    def collection_url(self, collection: str) -> str:
        """The absolute URL of one of Convener's collections."""
        return urljoin(self.home, NAMES[collection] + "/")

    def path(self, href: str) -> str:
        """An href as a path (how reports name resources), whatever form it came in."""
        return unquote(urlsplit(href).path)

    def _request(self, url: str, method: str, body: str = "", headers: Any = None) -> Any:
        from caldav.lib import error

        try:
            return self._client().request(url, method, body, headers or {})
        except error.AuthorizationError as failure:
            if failure.status == 403:
                # The login worked (a wrong one is 401): this user may not use this
                # place (another team's home, a read-only one), which no password fixes.
                doing = "writing" if method in WRITING else "reading"
                place = clipped(self.path(url), 80)
                raise Unreachable(
                    f"the server does not allow {doing} at {place} (check the address)"
                ) from None
            refused = f"the server refused user {self.user or '(none)'}"
            if not self._login[0]:
                refused += (
                    ": no password was given (CONVENER_SYNC_PASSWORD or [sync] password_command)"
                )
            raise Unreachable(refused) from None
        except error.DAVError as failure:
            status = f" ({failure.status})" if failure.status else ""
            raise Unreachable(
                f"the sync server at {self.server} answered with an error{status}"
            ) from None
        except OSError as failure:
            raise Unreachable(self._unreachable(failure)) from None
        except Exception as failure:  # the HTTP library's own errors: refused, timeout, TLS
            library = type(failure).__module__.split(".")[0]
            if library in ("niquests", "requests", "urllib3"):
                raise Unreachable(self._unreachable(failure)) from None
            if library == "lxml":  # the client read the answer as XML, and it was not
                raise Unreachable(UNREADABLE) from None
            raise

    @property
    def server(self) -> str:
        """The server's host and port as the officer wrote them ('dav.example.org:443')."""
        parts = urlsplit(self.home)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            port = None
        return where(parts.hostname or "?", port)

    def _unreachable(self, failure: BaseException) -> str:
        """'cannot reach the sync server at host:port: connection refused' (never the
        library's text: "ConnectionError", "[Errno 111]"); a server that took the
        connection and then said nothing: 'the sync server at host:port did not answer
        within 30 s'."""
        why = why_unreachable(failure)
        if why == NO_ANSWER:
            return f"the sync server at {self.server} did not answer within {self._login[1]} s"
        return f"cannot reach the sync server at {self.server}: {why}"

    def _check(self, response: Any, what: str, *ok: int) -> None:
        if response.status == 412:
            raise PreconditionFailed(f"{what}: changed on the server")
        if response.status not in ok:
            raise Unreachable(f"the server answered {response.status} to {what}")

    def ensure(self, collection: str) -> None:
        """Make the collection unless it is there."""
        url = self.collection_url(collection)
        body = (
            '<?xml version="1.0"?><D:propfind xmlns:D="DAV:">'
            "<D:prop><D:resourcetype/></D:prop></D:propfind>"
        )
        found = self._request(url, "PROPFIND", body, {"Depth": "0"})
        if found.status in (200, 207):
            return
        if collection == CALENDAR:
            made = self._request(url, "MKCALENDAR", _MKCALENDAR)
        else:
            made = self._request(url, "MKCOL", _MKADDRESSBOOK)
        if made.status == 409:
            # RFC 4918 §9.3.1: 409 to a MKCOL is a parent that is not there (a mistyped
            # address, a home nobody made): the officer can act on that, not on "409".
            folder = clean_line(self.path(self.home))[:80]
            raise Unreachable(
                f"the server has no folder {folder} to make {NAMES[collection]} in"
                " (check the address)"
            )
        self._check(made, f"making {NAMES[collection]}", 200, 201)

    def changes(self, collection: str, token: str | None) -> Changes:
        """RFC 6578 sync-collection since `token` (everything when None), with each
        resource's text; TokenExpired when the server no longer knows the token."""
        data = "C:calendar-data" if collection == CALENDAR else "CR:address-data"
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<D:sync-collection xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"'
            ' xmlns:CR="urn:ietf:params:xml:ns:carddav">'
            f"<D:sync-token>{_escape(token or '')}</D:sync-token><D:sync-level>1</D:sync-level>"
            f"<D:prop><D:getetag/><{data}/></D:prop></D:sync-collection>"
        )
        try:
            response = self._request(
                self.collection_url(collection), "REPORT", body, {"Depth": "1"}
            )
        except Unreachable:
            if token:
                # Radicale answers an unknown token with 403 valid-sync-token, which the
                # client reports as a refusal: the token has expired, the login is fine.
                raise TokenExpired("the server no longer knows our sync token") from None
            raise
        if response.status in (403, 409, 412) and token:
            raise TokenExpired("the server no longer knows our sync token")
        self._check(response, "the sync report", 207)
        try:
            root = ET.fromstring(response.raw.encode())
        except ET.ParseError:
            raise Unreachable(UNREADABLE) from None
        if root.tag != f"{_D}multistatus":  # a web page, not a WebDAV answer
            raise Unreachable(UNREADABLE)
        result = Changes(token=(root.findtext(f"{_D}sync-token") or "").strip())
        own = self.path(self.collection_url(collection))
        for item in root.findall(f"{_D}response"):
            href = self.path(item.findtext(f"{_D}href") or "")
            if not href or href.rstrip("/") == own.rstrip("/"):
                continue
            status = item.findtext(f"{_D}status") or ""
            if " 404 " in status:
                result.deleted.append(href)
                continue
            etag = None
            text = None
            for propstat in item.findall(f"{_D}propstat"):
                if " 200 " not in (propstat.findtext(f"{_D}status") or " 200 "):
                    continue
                prop = propstat.find(f"{_D}prop")
                if prop is None:
                    continue
                etag = prop.findtext(f"{_D}getetag") or etag
                text = (
                    prop.findtext(f"{_C}calendar-data")
                    or prop.findtext(f"{_CR}address-data")
                    or text
                )
            if etag is None:
                result.deleted.append(href)
            else:
                result.changed[href] = (etag, text)
        return result

    def get(self, href: str) -> tuple[str, str] | None:
        """(text, etag) of one resource; None when it is gone."""
        response = self._request(self._url(href), "GET")
        if response.status == 404:
            return None
        self._check(response, "reading a resource", 200)
        return response.raw, str(response.headers.get("ETag") or "")

    def put(self, href: str, text: str, etag: str | None, *, collection: str) -> str | None:
        """Store `text` at `href`: over exactly `etag` (If-Match), or only if nothing is
        there (If-None-Match: *) when `etag` is None. Returns the new etag if the server
        gave one; PreconditionFailed on 412."""
        kind = "text/calendar" if collection == CALENDAR else "text/vcard"
        headers = {"Content-Type": f"{kind}; charset=utf-8"}
        if etag:
            headers["If-Match"] = etag
        else:
            headers["If-None-Match"] = "*"
        response = self._request(self._url(href), "PUT", text, headers)
        self._check(response, "saving a resource", 200, 201, 204)
        tag = response.headers.get("ETag")
        return str(tag) if tag else None

    def create_many(
        self, resources: list[tuple[str, str, str]]
    ) -> list[str | ConvenerError | None]:
        """PUT new resources, (href, text, collection) each, with If-None-Match: * over up
        to WORKERS connections at once. Returns, in order, each one's etag (read back when
        the server gave none; None if it is gone again) or the error it met (a 412 when it
        is there already, Unreachable)."""

        def create(resource: tuple[str, str, str]) -> str | ConvenerError | None:
            href, text, collection = resource
            try:
                etag = self.put(href, text, None, collection=collection)
                if etag is None:
                    fetched = self.get(href)
                    etag = fetched[1] if fetched else None
                return etag
            except (PreconditionFailed, Unreachable) as error:
                return error

        if len(resources) <= 1:
            return [create(resource) for resource in resources]
        return _each_at_once(create, resources, self.WORKERS)

    def delete(self, href: str, etag: str | None) -> None:
        """Delete the resource if it is still as we saw it; gone already is fine."""
        headers = {"If-Match": etag} if etag else {}
        response = self._request(self._url(href), "DELETE", "", headers)
        if response.status == 404:
            return
        self._check(response, "deleting a resource", 200, 204)

    def _url(self, href: str) -> str:
        return urljoin(self.home, href)


T = TypeVar("T")
R = TypeVar("R")


def _each_at_once(work: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """`work(item)` for each item over up to `workers` daemon threads; the answers in
    order (an exception that `work` raised is raised here).

    Not a ThreadPoolExecutor: its threads are joined when the process exits, so a server
    that hangs held the process (the terminal left blank after quitting) until the
    requests' timeout. A daemon thread dies with the process; what it did not record is
    as after a kill -9, which the next sync reconciles (see engine's note)."""
    answers: list[Any] = [None] * len(items)
    failures: list[BaseException] = []
    taken = iter(range(len(items)))
    lock = threading.Lock()

    def run() -> None:
        while True:
            with lock:
                index = next(taken, None)
            if index is None or failures:
                return
            try:
                answers[index] = work(items[index])
            except BaseException as failure:  # raised again in the calling thread
                failures.append(failure)

    threads = [
        threading.Thread(target=run, name="convener-sync-put", daemon=True)
        for _ in range(min(workers, len(items)))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        # In short waits, so that the main thread looks at a pending ctrl+c at least
        # every 0.1 s, whichever thread the system handed the signal to (once, under a
        # loaded machine, a ctrl+c during a hung upload was not acted on within 20 s).
        while thread.is_alive():
            thread.join(0.1)
    if failures:
        raise failures[0]
    return answers


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
