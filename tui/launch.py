"""The `convener` command: the dataclass method cache first, then the command line.

The cache must be in place before the first dataclass is made, that is before Textual or
any of Convener's records is imported (see tui.codecache)."""

from __future__ import annotations


def main() -> int:
    """Run the command line (which saves the cache when done); returns the exit status."""
    from tui.codecache import remember_dataclass_methods

    remember_dataclass_methods()
    from tui.cli import main as command_line

    return command_line()
