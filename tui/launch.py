"""The `convener` command: the dataclass method cache first, then the command line.

The cache must be in place before the first dataclass is made, that is before Textual or
any of Convener's records is imported (see tui.codecache)."""

from __future__ import annotations


def main() -> int:
    """Run the command line; returns the exit status."""
    import sys

    from tui.codecache import remember_dataclass_methods

    cache = remember_dataclass_methods()
    from tui.cli import main as command_line

    try:
        return command_line()
    finally:
        # The demo leaves nothing in the officer's folders, this cache included.
        if cache is not None and "--demo" not in sys.argv[1:]:
            cache.save()
