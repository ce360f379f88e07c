"""LineList: options of fixed height, their prompts built only when they are shown."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.app import App, ComposeResult

from tui.widgets.line_list import FixedOption, LazyOption, LineList


class ListApp(App[None]):
    CSS = "LineList { height: 10; }"

    def __init__(self, options: list[LazyOption]) -> None:
        super().__init__()
        self.options = options

    def compose(self) -> ComposeResult:
        yield LineList(*self.options)


async def test_only_the_lines_on_screen_are_built_and_each_keeps_its_height() -> None:
    built: list[int] = []

    def line(index: int) -> Text:
        built.append(index)
        # A long line is cut, not wrapped: it stays one line high.
        return Text(f"event {index} " + "word " * 60)

    options = [LazyOption(partial(line, i), id=f"o{i}") for i in range(500)]
    options.insert(0, FixedOption(Text("two\nlines"), disabled=True, height=2))
    app = ListApp(options)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        listed = app.query_one(LineList)
        assert listed.virtual_size.height == 502
        assert built and len(set(built)) <= 12  # a screenful (10 lines), not 500
        listed.highlighted = 400
        await pilot.pause()
        assert 400 - 1 in built  # option 400 is event 399 (the heading comes first)
        assert len(set(built)) <= 30
        assert str(listed.get_option_at_index(250).prompt).startswith("event 249")
