"""Regular expressions compiled when first used (issue 24).

A module-level re.compile runs at import, and the app's start imports most of the domain:
some thirty patterns (dates, e-mail addresses, web addresses, task and reminder words,
search phrases) cost about 4 ms of a start that uses a handful. A LazyPattern is written
where re.compile was, and compiles its pattern the first time a method is called."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator


class LazyPattern:
    """re.compile(text, flags), made on first use; the methods of re.Pattern the house uses."""

    __slots__ = ("_compiled", "_flags", "_text")

    def __init__(self, text: str, flags: int = 0) -> None:
        self._text = text
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now, the first time)."""
        if self._compiled is None:
            self._compiled = re.compile(self._text, self._flags)
        return self._compiled

    def match(self, text: str) -> re.Match[str] | None:
        return self.compiled.match(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text)

    def findall(self, text: str) -> list[str]:
        return self.compiled.findall(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)

    def split(self, text: str) -> list[str]:
        return self.compiled.split(text)

    def sub(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self.compiled.sub(replacement, text)
