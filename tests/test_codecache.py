"""What the `convener` command keeps between runs (tui.codecache, tui.stylecache): a
second run compiles nothing, and the classes it makes behave exactly as without it; a
damaged, unwritable or foreign cache changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest

from tui.codecache import FILE, read_cache

PROBE = """
import sys
from pathlib import Path
from typing import Any
from unittest.mock import ANY
cache = None
if sys.argv[1] != "off":
    from tui.codecache import remember_dataclass_methods
    cache = remember_dataclass_methods(Path(sys.argv[1]))
from dataclasses import FrozenInstanceError, dataclass, field

@dataclass(frozen=True)
class Guest:
    name: str
    tags: list[str] = field(default_factory=list, hash=False)
    seats: int = 1

@dataclass(order=True)
class Slot:
    start: str
    title: str = ""

one = Guest("Amina", ["speaker"])
try:
    one.name = "x"  # type: ignore[misc]
    frozen = "no"
except FrozenInstanceError:
    frozen = "yes"
print(repr(one), one == Guest("Amina", ["speaker"]), hash(Guest("A")) == hash(Guest("A")))
print(sorted([Slot("10:00"), Slot("09:00", "x")]), frozen, Guest("B").tags is not Guest("C").tags)
print(sorted((k, str(v)) for k, v in Guest.__init__.__annotations__.items()))
print("compiled", cache.compiled if cache is not None else "-")
if cache is not None:
    cache.save()
"""


def probe(argument: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, argument],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.splitlines()


def test_a_second_run_compiles_nothing_and_the_classes_behave_as_without_the_cache(
    tmp_path: Path,
) -> None:
    plain = probe("off")
    first = probe(str(tmp_path))
    assert first[:-1] == plain[:-1]
    assert int(first[-1].split()[1]) >= 8  # __init__, __repr__, __eq__, the order, ...
    kept = read_cache(tmp_path / FILE)
    assert any("def __init__(self,name:" in source for source in kept)
    second = probe(str(tmp_path))
    assert second == [*plain[:-1], "compiled 0"]
    # Annotations stay what the decorator makes without the cache (not strings: the
    # cache's module has `from __future__ import annotations`, its compile must not pass
    # it on).
    assert "('name', \"<class 'str'>\")" in plain[2]


def test_a_damaged_cache_is_compiled_again_and_replaced(tmp_path: Path) -> None:
    (tmp_path / FILE).write_bytes(b"\x00not marshal data")
    plain = probe("off")
    again = probe(str(tmp_path))
    assert again[:-1] == plain[:-1] and again[-1] != "compiled 0"
    assert read_cache(tmp_path / FILE)
    assert probe(str(tmp_path))[-1] == "compiled 0"


def test_a_cache_folder_that_cannot_be_made_changes_nothing(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    plain = probe("off")
    assert probe(str(blocked / "cache"))[:-1] == plain[:-1]
    assert blocked.read_text() == "not a folder"


def test_the_convener_command_keeps_the_cache_in_the_user_s_cache_folder(
    tmp_path: Path, empty_db: Path
) -> None:
    environ = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "tui", "--db", str(empty_db), "list", "events"],
            capture_output=True,
            text=True,
            env=environ,
            timeout=60,
            check=True,
        )
        assert done.returncode == 0
    kept = read_cache(tmp_path / "convener" / FILE)
    assert len(kept) > 20  # Convener's records at least
    # The demo leaves nothing behind, however its option is spelt.
    for spelt in ("--demo", "--dem"):
        demo = {**environ, "XDG_CACHE_HOME": str(tmp_path / spelt)}
        subprocess.run(
            [sys.executable, "-m", "tui", spelt, "list", "events"],
            capture_output=True,
            env=demo,
            timeout=60,
            check=True,
        )
        assert not (tmp_path / spelt).exists()
    # Importing the package alone leaves dataclasses as they are (a library user, a test).
    done = subprocess.run(
        [sys.executable, "-c", "import dataclasses, tui.cli; print(hasattr(dataclasses, 'exec'))"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "False"


def test_stylesheets_kept_by_another_textual_are_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui import stylecache

    kept = tmp_path / stylecache.FILE
    sheet = stylecache.KeptStylesheet(variables={}, path=kept)
    sheet.add_source("Static { height: 3; }", read_from=("test", ""))
    sheet.parse()
    sheet.save()
    assert [rule.css for rules in stylecache.read_kept(kept)[0].values() for rule in rules] == [
        "Static {\n    height: 3;\n}"
    ]
    monkeypatch.setattr(stylecache, "textual_stamp", lambda: [("color.py", 0, 0)])
    assert stylecache.read_kept(kept) == ({}, {})


def test_what_another_run_compiled_is_kept_beside_this_run_s(tmp_path: Path) -> None:
    """A command that makes other classes (`mail send`) adds its methods to the app's,
    and two writers keep each other's: nothing is compiled twice."""
    from tui.codecache import MethodCache

    app_run = MethodCache(tmp_path / FILE)
    app_run.exec("def app_method(): return 1", {}, {})
    mail_run = MethodCache(tmp_path / FILE)  # read before the app's run saved
    app_run.save()
    mail_run.exec("def mail_method(): return 2", {}, {})
    mail_run.save()
    assert sorted(read_cache(tmp_path / FILE)) == [
        "def app_method(): return 1",
        "def mail_method(): return 2",
    ]
    again = MethodCache(tmp_path / FILE)
    space: dict[str, object] = {}
    again.exec("def app_method(): return 1", {}, space)
    assert again.compiled == 0 and callable(space["app_method"])


def test_settling_lets_go_of_the_start_s_code_and_the_file_keeps_it(tmp_path: Path) -> None:
    """Once the app's start is over, the code it took from the file is let go (half a
    megabyte for the session, issue 24): what it compiled and has not written is kept,
    a class made later still takes its methods from the file, and a save then writes
    everything, the let-go code included."""
    from tui.codecache import MethodCache

    first = MethodCache(tmp_path / FILE)
    first.exec("def started(): return 1", {}, {})
    first.exec("def later(): return 2", {}, {})
    first.save()
    run = MethodCache(tmp_path / FILE)
    run.exec("def started(): return 1", {}, {})
    run.exec("def new_at_start(): return 3", {}, {})
    run.settle()
    assert run.used == {"def started(): return 1": None, "def new_at_start(): return 3": ANY}
    space: dict[str, Any] = {}
    run.exec("def later(): return 2", {}, space)
    assert space["later"]() == 2 and run.compiled == 1  # from the file, not compiled
    run.save()
    assert sorted(read_cache(tmp_path / FILE)) == [
        "def later(): return 2",
        "def new_at_start(): return 3",
        "def started(): return 1",
    ]
    again: dict[str, Any] = {}
    run.exec("def started(): return 1", {}, again)  # let go, used again: compiled
    assert again["started"]() == 1 and run.compiled == 1
