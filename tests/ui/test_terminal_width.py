"""Emoji with variation selector 16 are one cell, measured and written alike."""

from __future__ import annotations

from rich.cells import cell_len
from textual.driver import Driver

from tui.app import ConvenerApp
from tui.domain.planner import Planner
from tui.terminal_width import VS16, narrow_variation_selectors, without_variation_selectors


def test_a_character_with_vs16_measures_its_own_width_as_textuals_wrap_does() -> None:
    narrow_variation_selectors()
    assert cell_len("🍽" + VS16) == 1 == cell_len("🍽")
    assert cell_len("❤" + VS16 + " x") == 3
    assert cell_len("✅" + VS16) == 2  # an emoji two cells wide by itself stays two


def test_the_apps_driver_writes_no_vs16(planner: Planner) -> None:
    written: list[str] = []

    class Recording(Driver):
        def write(self, data: str) -> None:
            written.append(data)

        def start_application_mode(self) -> None: ...

        def stop_application_mode(self) -> None: ...

        def disable_input(self) -> None: ...

    writer = without_variation_selectors(Recording)
    assert without_variation_selectors(Recording) is writer  # made once
    driver = writer.__new__(writer)
    driver.write(f"Policy Dinner 🍽{VS16} │")
    driver.write("plain │")
    assert written == ["Policy Dinner 🍽 │", "plain │"]
    from textual.drivers.linux_driver import LinuxDriver

    app = ConvenerApp(planner)
    assert app.get_driver_class() is without_variation_selectors(LinuxDriver)
