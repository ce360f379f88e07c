"""Importing files: tell the format, parse (pure), then write one file in one transaction."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from tui.domain.errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024
"""Files above this size are refused: no page, list or document of ours is that big."""

SUPPORTED = (
    ".txt (event or publication page), .ics, .toml, .json, .csv (guest list),"
    " .eml, .mbox (replies), or a folder of these (a Maildir too)"
)


def checked_size(path: Path, large: bool) -> int:
    """The size of a regular file that may be read; InvalidInput for anything else."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidInput("no such file") from None
    except PermissionError:
        raise InvalidInput("cannot be read (permission denied)") from None
    except OSError as error:  # a symlink loop, a name too long, an unreadable disk
        raise InvalidInput(f"cannot be read ({error.strerror or error})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        # /dev/zero never ends and a FIFO waits for a writer: only plain files are read.
        raise InvalidInput("is not a plain file (a device, a pipe or a socket)")
    size = info.st_size
    if size > MAX_BYTES and not large:
        raise InvalidInput(f"is {size // (1024 * 1024)} MB; files over 10 MB need --large")
    return size


def _read(path: Path, amount: int = -1) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(amount)
    except FileNotFoundError:
        raise InvalidInput("no such file") from None
    except IsADirectoryError:
        raise InvalidInput("is a folder, not a file") from None
    except PermissionError:
        raise InvalidInput("cannot be read (permission denied)") from None
    except OSError as error:
        raise InvalidInput(f"cannot be read ({error.strerror or error})") from None


def _refuse_binary(head: bytes) -> None:
    """InvalidInput when the file holds a NUL byte, which no text file has. It names no
    line: a binary file has none ("junk.txt:5" read as if line 5 alone were at fault)."""
    if b"\x00" in head:
        raise InvalidInput("is a binary file, not text")


def likely_line(text: str | None, message: str) -> int:
    """The line an error without one most likely points at: where the value it quotes is,
    else where the record it names ("events[2]") begins, else the first line."""
    if not text:
        return 1
    for quoted in re.findall(r"'([^'\n]{1,200})'", message):
        found = text.find(quoted)
        if found >= 0:
            return text.count("\n", 0, found) + 1
    record = re.match(r"(\w+)\[(\d+)\](?:: (\w+))?", message)
    if record:
        section, index, key = record.group(1), int(record.group(2)), record.group(3)
        headers = [m.start() for m in re.finditer(rf"^[ \t]*\[\[{section}\]\]", text, re.M)]
        if index < len(headers):
            start = headers[index]
            field = re.compile(rf"^[ \t]*{key}[ \t]*=", re.M) if key else None
            found_key = field.search(text, start) if field else None
            following = headers[index + 1] if index + 1 < len(headers) else len(text)
            if found_key is not None and found_key.start() < following:
                start = found_key.start()
            return text.count("\n", 0, start) + 1
        key = text.find(f'"{section}"')
        if key >= 0:
            return text.count("\n", 0, key) + 1
    version = re.search(r"^\s*\"?convener\"?\s*[=:]", text, re.M)
    if "version" in message and version:
        return text.count("\n", 0, version.start()) + 1
    return 1


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
"""What starts a UTF-16 text (Windows Notepad's "Unicode", some Outlook exports)."""


def _is_utf16(head: bytes) -> bool:
    return head.startswith(UTF16_BOMS)


def _decoded(data: bytes) -> str:
    """UTF-8 (a BOM is fine) or, after its byte-order mark, UTF-16."""
    if _is_utf16(data):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            line = data[: error.start].decode("utf-16", "replace").count("\n") + 1
            raise InvalidInput("is not UTF-16 text past its first lines", line=line) from None
    _refuse_binary(data[:8192])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidInput("is not UTF-8 text", line=line) from None


def read_text(path: Path, *, large: bool = False) -> str:
    """A file's text: UTF-8 (a BOM is fine) or UTF-16 with its BOM; InvalidInput for binary
    or oversized files."""
    checked_size(path, large)
    # What is read counts, not what stat said: a file that grows is cut off at the limit.
    data = _read(path, -1 if large else MAX_BYTES + 1)
    if len(data) > MAX_BYTES and not large:
        raise InvalidInput("is over 10 MB; files over 10 MB need --large")
    return _decoded(data)


_MAIL_HEADER = re.compile(r"[A-Za-z][A-Za-z0-9-]*:[ \t]")
_MAIL_MARKS = ("from:", "received:", "return-path:", "message-id:", "mime-version:")
_MBOX_START = re.compile(r"From \S+ .*\d{4}\s*$")
_JSON_START = re.compile(r"(\{|\[\s*[\{\]\"\d-])")
_TOML_VERSION = re.compile(r"^[ \t]*\"?convener\"?[ \t]*=[ \t]*\d", re.M)
TOLD_BY_SUFFIX = {
    ".ics": ".ics",
    ".ical": ".ics",
    ".ifb": ".ics",
    ".icalendar": ".ics",
    ".txt": ".txt",
    ".text": ".txt",
    ".md": ".txt",
    "": ".txt",
    ".toml": ".toml",
    ".json": ".json",
    ".csv": ".csv",
    ".eml": ".eml",
    ".mbox": ".mbox",
    ".mbx": ".mbox",
}
"""The format a file's name tells, as the suffix of its kind."""


def told_by_content(head: bytes) -> str | None:
    """The format a file's first bytes make unmistakable (".ics", ".eml", ".mbox",
    ".json", ".toml"), or None when only its name can tell (a page, a guest list)."""
    text = head.decode("utf-16", "replace") if _is_utf16(head) else head.decode("utf-8", "replace")
    text = text.lstrip("\ufeff \t\r\n")
    first = text.split("\n", 1)[0].rstrip("\r")
    if first.upper().startswith("BEGIN:VCALENDAR"):
        return ".ics"
    if _MBOX_START.match(first):
        return ".mbox"
    block = text.split("\n\n", 1)[0].replace("\r", "").split("\n")
    headers = [line.lower() for line in block if _MAIL_HEADER.match(line)]
    if (
        _MAIL_HEADER.match(first)
        and len(headers) >= 2
        and any(line.startswith(_MAIL_MARKS) for line in headers)
    ):
        return ".eml"
    if _JSON_START.match(text):
        return ".json"
    if _TOML_VERSION.search(text):
        return ".toml"
    return None


def told_format(path: Path) -> str:
    """The format to read a file as: what its content makes unmistakable (an .ics calendar
    saved as .txt, a mail saved as .txt), else what its name says (TOLD_BY_SUFFIX), else its
    own suffix (refused by the importer with the list of what it reads)."""
    suffix = path.suffix.lower()
    head = b""  # not read: the importer says why it cannot be
    try:
        if stat.S_ISREG(path.stat().st_mode):  # a FIFO's open would wait for a writer
            with path.open("rb") as file:
                head = file.read(8192)
    except OSError:
        pass
    return told_by_content(head) or TOLD_BY_SUFFIX.get(suffix, suffix)


class FileLines:
    """A UTF-8 text file's lines, read as they are needed (a large file is never whole in
    memory); `done` is how many bytes were read so far, out of `size`."""

    def __init__(self, path: Path, *, large: bool = False) -> None:
        self.path = path
        self.large = large
        self.size = checked_size(path, large)
        head = _read(path, 8192)
        self.utf16 = _is_utf16(head)
        if not self.utf16:
            _refuse_binary(head)
        self.done = 0

    def __iter__(self) -> Iterator[str]:
        if self.utf16:  # rare (Notepad's "Unicode"): decoded whole, within the size limit
            lines = read_text(self.path, large=self.large).splitlines(keepends=True)
            for line in lines:
                self.done = min(self.size, self.done + len(line) * 2)
                yield line
            self.done = self.size
            return
        try:
            file = self.path.open("rb")
        except OSError:
            raise InvalidInput("cannot be read") from None
        with file:
            pending: tuple[int, bytes] | None = None  # a line cut inside a character
            for number, raw in enumerate(file, start=1):
                self.done += len(raw)
                if self.done > MAX_BYTES and not self.large:
                    raise InvalidInput("is over 10 MB; files over 10 MB need --large", line=number)
                if pending is not None:
                    if raw[:1] not in (b" ", b"\t"):
                        raise InvalidInput("is not UTF-8 text", line=pending[0])
                    # RFC 5545 folds at 75 octets, which can split a character: a reader
                    # joins the folded line before it decodes it.
                    first, head = pending
                    raw, pending = head.rstrip(b"\r\n") + raw[1:], None
                    number = first
                try:
                    yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as error:
                    if error.reason == "unexpected end of data" or error.end >= len(
                        raw.rstrip(b"\r\n")
                    ):
                        pending = (number, raw)
                        continue
                    raise InvalidInput("is not UTF-8 text", line=number) from None
            if pending is not None:
                raise InvalidInput("is not UTF-8 text", line=pending[0])


Progress = Callable[[int, int], None]
"""Called now and then during an import with (bytes read, bytes in the file); it may raise
Cancelled to stop, and then nothing of that file is written."""
