"""Dataclass methods compiled once and kept between runs, as Python keeps modules in .pyc.

The `dataclass` decorator writes each class's `__init__`, `__repr__`, `__eq__` (and more)
as source text and compiles it every time the class is made. Starting the app makes about
400 such methods (Convener's records and Textual's own), and compiling them was 45-50 ms
of a start of 600 (issue 24). Here the compiled code is kept in the user's cache folder,
keyed by the exact source text it was compiled from: the same text always compiles to
the same code, so a kept entry can never be stale, only unused.

Installed by the `convener` command before anything else is imported (tui.launch), not by
importing the package: a library user or a test importing `tui` leaves `dataclasses`
alone. The cache is read once; it is written when the command is done (by tui.cli, never
for `--demo`, which leaves nothing behind), only when this run compiled a method it did
not have. It then holds what it held, what another process wrote meanwhile and what this
run compiled; past MAX_KEPT entries (old versions' methods piling up), only what this run
used. Any problem with the file (missing, unreadable, damaged, from another Python) means
compiling as before; nothing here can stop the program. The file is the officer's own, as
__pycache__ is: whoever can write it can already change what the officer runs.
"""

from __future__ import annotations

import builtins
import dataclasses
import marshal
import os
import sys
from pathlib import Path
from types import CodeType
from typing import Any

FILE = f"dataclass-methods.{sys.implementation.cache_tag}.marshal"
"""The cache file's name: marshal's format and the code objects belong to one Python."""

MAX_KEPT = 3000
"""Methods kept at most: Convener and Textual make about 450."""

LEFTOVER_AGE = 3600.0
"""Seconds after which a temporary file a killed writer left is swept away."""

_installed: MethodCache | None = None


def cache_folder() -> Path:
    """Convener's folder in the user's cache folder (XDG_CACHE_HOME on Linux)."""
    from platformdirs import user_cache_path

    return user_cache_path("convener", appauthor=False)


def read_cache(path: Path) -> dict[str, CodeType]:
    """The kept methods, or {} when the file is missing or not one of ours."""
    try:
        kept = marshal.loads(path.read_bytes())
    except Exception:  # missing, damaged (marshal may even ask for gigabytes): compile
        return {}
    if not isinstance(kept, dict):
        return {}
    return {
        source: code
        for source, code in kept.items()
        if isinstance(source, str) and isinstance(code, CodeType)
    }


def write_bytes(path: Path, data: bytes) -> None:
    """Replace the file in one step (a half-written file is never read); a folder that
    cannot be written is left alone (the next run compiles or parses again)."""
    import tempfile

    prefix = f".{path.name}-"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep(path.parent, prefix)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass


def _sweep(folder: Path, prefix: str) -> None:
    """Remove temporary files of a writer that was killed while writing (an hour old)."""
    import time

    for leftover in folder.glob(f"{prefix}*"):
        try:
            if time.time() - leftover.stat().st_mtime > LEFTOVER_AGE:
                leftover.unlink()
        except OSError:
            continue


class MethodCache:
    """The `exec` the dataclasses module calls, with compiled source kept by its text."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kept = read_cache(path)
        """Read from the file and not used yet."""
        self.used: dict[str, CodeType | None] = {}
        """Used by this run; None once let go (see settle)."""
        self.unsaved: set[str] = set()
        """Compiled by this run and not written yet."""
        self.compiled = 0
        """Methods this run had to compile (0 when every one was kept)."""

    def exec(self, source: Any, globals: Any = None, locals: Any = None) -> None:
        if isinstance(source, str):
            code = self.used.get(source) or self.kept.pop(source, None)
            if code is None:
                # dont_inherit: compiled as the dataclasses module's own exec compiles it,
                # without this module's `from __future__ import annotations`.
                code = compile(source, "<string>", "exec", dont_inherit=True)
                self.compiled += 1
                self.unsaved.add(source)
            self.used[source] = code
            source = code
        builtins.exec(source, globals, locals)

    def settle(self) -> None:
        """The start is over: let go of the code it took from the file. Each piece made its
        class's methods, which keep what they need; the rest (the code that made them) was
        half a megabyte held for the whole session (issue 24). The file still has it; what
        this run compiled is kept until written."""
        for source, code in list(self.used.items()):  # one step: another thread may add
            if code is not None and source not in self.unsaved:
                self.used[source] = None

    def save(self) -> None:
        """Write the cache, when this run had to compile anything since it last wrote it
        (see the module)."""
        compiled = self.compiled
        if not compiled:
            return
        written = set(self.unsaved)
        # list(): one step each, as the app's start saves from a worker thread.
        used = {source: code for source, code in list(self.used.items()) if code is not None}
        methods = {**read_cache(self.path), **self.kept, **used}
        if len(methods) > MAX_KEPT:
            methods = {source: methods[source] for source in list(self.used) if source in methods}
        write_bytes(self.path, marshal.dumps(methods))
        self.compiled -= compiled
        self.unsaved -= written


def remember_dataclass_methods(folder: Path | None = None) -> MethodCache | None:
    """Have every dataclass made from now on take its methods from the cache (see the
    module's docstring); None when the cache folder cannot be known."""
    try:
        path = (folder or cache_folder()) / FILE
    except Exception:  # platformdirs could not tell where: no cache, same program
        return None
    global _installed
    cache = _installed = MethodCache(path)
    # The dataclasses module calls `exec` by name: a module attribute of that name is
    # found before the builtin one.
    setattr(dataclasses, "exec", cache.exec)  # noqa: B010
    return cache


def settle_compiled_methods() -> None:
    """Let go of the code the start took from the cache, if this process installed one
    (the app calls this once its start is over: see MethodCache.settle)."""
    if _installed is not None:
        _installed.settle()


def keep_compiled_methods() -> None:
    """Save the cache this process installed, if any (the command line calls this when
    it is done, unless it ran the demo). An interrupt while saving only skips it."""
    if _installed is None:
        return
    try:
        _installed.save()
    except KeyboardInterrupt:
        pass
