"""The domain and the non-interactive commands never import Textual or Rich (STYLE §1)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import sys
from tui.cli import main
code = main({argv!r})
heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))
print('HEAVY', heavy, file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["--demo", "list", "events", "--json"],
        ["--demo", "list", "people"],
        ["--demo", "backup", "{tmp}"],
        ["--demo", "mail", "send", "--outbox", "{tmp}"],
        ["--demo", "due", "--json"],
        ["--demo", "agenda"],
        ["--demo", "sync", "--conflicts"],
    ],
)
def test_non_interactive_commands_import_no_textual(argv: list[str], tmp_path: Path) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stderr


def test_domain_service_imports_no_textual() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, tui.domain.service, tui.domain.importers, tui.domain.exporters.records_json;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual','rich')))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.stdout.strip() == "[]", result.stderr


def test_no_module_under_domain_names_textual_or_rich() -> None:
    for path in (ROOT / "tui" / "domain").rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in ("textual", "rich", "tui.app"), (
                    f"{path}: imports {name}"
                )
                assert not name.startswith(("tui.widgets", "tui.screens", "tui.app")), (
                    f"{path}: imports {name}"
                )


def test_only_the_store_opens_database_connections() -> None:
    """Issue 11, item 2: every connection the app and the command line use is the Store's,
    whose pragmas (WAL, synchronous FULL, foreign keys, busy timeout) are tested."""
    root = Path(__file__).resolve().parent.parent / "tui"
    opening = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "sqlite3.connect(" in path.read_text(encoding="utf-8")
    )
    assert opening == ["domain/store.py"]
    source = (root / "domain" / "store.py").read_text(encoding="utf-8")
    # The database's own connection, and the destination of a backup copy.
    assert source.count("sqlite3.connect(") == 2
