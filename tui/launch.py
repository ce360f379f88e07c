"""The `convener` command: the dataclass method cache first, then the command line.

The cache must be in place before the first dataclass is made, that is before Textual or
any of Convener's records is imported (see tui.codecache)."""

from __future__ import annotations


def main() -> int:
    """Run the command line (which saves the cache when done); returns the exit status.

    The garbage collector waits while the app starts: its passes over the objects that
    importing and the first screen make (they all live on) were 40-60 ms of a start
    (issue 24). The app turns it back on once its first screen is shown (see
    ConvenerApp.first_screen_shown), and the command line at once for any other command."""
    import gc

    gc.disable()
    from tui.codecache import remember_dataclass_methods

    remember_dataclass_methods()
    from tui.cli import main as command_line

    return command_line()
