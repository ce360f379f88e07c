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
            "import sys, tui.domain.planner, tui.domain.importers, tui.domain.exporters.records_json;"
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
    assert opening == ["domain/store/connection.py"]
    source = (root / "domain" / "store" / "connection.py").read_text(encoding="utf-8")
    # The database's own connection, the destination of a backup copy, and a look at
    # another file's identity (peek: a copy's original, read once, never written).
    assert source.count("sqlite3.connect(") == 3


def test_no_store_is_named_outside_the_domain() -> None:
    """Issue 19: the UI and the command line ask the planner for use cases; only the domain
    reaches the store (constructing one at the composition root is allowed)."""
    root = Path(__file__).resolve().parent.parent / "tui"
    reaching = sorted(
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if "domain" not in path.relative_to(root).parts[:1]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".store." in line or line.rstrip().endswith(".store")
    )
    assert reaching == []


_CONTRACT_STILL_BROKEN: dict[str, str] = {}


def _contract_ids() -> list[str]:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [contract["id"] for contract in config["tool"]["importlinter"]["contracts"]]


@pytest.mark.parametrize(
    "contract",
    [
        pytest.param(
            contract,
            marks=[pytest.mark.xfail(reason=_CONTRACT_STILL_BROKEN[contract], strict=True)]
            if contract in _CONTRACT_STILL_BROKEN
            else [],
        )
        for contract in _contract_ids()
    ],
)
def test_import_contract_is_kept(contract: str) -> None:
    """The import-linter contracts of pyproject.toml ([tool.importlinter]), one by one."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--contract", contract, "--no-cache"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]


def test_only_the_privacy_gate_decides_what_is_private() -> None:
    """STYLE §11: the invitation-only check was once written eight times; now every way out
    asks tui/domain/privacy.py, and no other module compares an access level to it."""
    import re

    root = ROOT / "tui"
    comparing = re.compile(r"""(==|!=|\bin)\s*\(?\s*["']invitation-only["']|PRIVATE_ACCESS""")
    deciding = sorted(
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if path.name != "privacy.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if comparing.search(line)
    )
    assert deciding == []


def test_no_module_of_tui_imports_itself_in_a_circle() -> None:
    """Module by module (type-only imports included): no circle anywhere in tui/."""
    import grimp

    graph = grimp.build_graph("tui", cache_dir=None)
    modules = sorted(graph.modules)
    circles = [
        f"{module} -> {imported}"
        for module in modules
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.startswith("tui") and graph.chain_exists(importer=imported, imported=module)
    ]
    assert circles == []


@pytest.mark.slow
def test_mypy_strict_passes_over_tui_and_tests(tmp_path: Path) -> None:
    """The types are part of the contract: mypy --strict over tui/ and tests/ (pyproject)."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]
