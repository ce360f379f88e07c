"""KeyBar moved to tui.key_bar (below the dialogs too, which show their own keys)."""

from tui.key_bar import KeyBar

__all__ = ["KeyBar"]
