"""LineList: options of fixed height, their prompts built only when they are shown."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.strip import Strip

from tui.widgets.line_list import FixedOption, LazyOption, LineList

from .conftest import count_layouts


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


async def test_text_lines_are_cut_with_an_ellipsis_keep_their_styles_and_dividers() -> None:
    heading = FixedOption(Text("Partners (2)", style="bold"), disabled=True)
    long = Text("Tue 03 Dec  ", style="dim")
    long.append("A title far too long for the list " * 4)
    two = Text("first line " * 10 + "\nsecond")
    app = ListApp([heading, FixedOption(long), FixedOption(two, height=2)])
    async with app.run_test(size=(40, 12)) as pilot:
        listed = app.query_one(LineList)
        listed.add_options([None, FixedOption(Text("after the divider"))])
        await pilot.pause()
        lines = [listed.render_line(y) for y in range(7)]
        width = listed.scrollable_content_region.width
        assert all(line.cell_length == width for line in lines)
        assert lines[0].text.strip() == "Partners (2)"
        assert all(seg.style is not None and seg.style.bold for seg in lines[0] if seg.text.strip())
        assert lines[1].text.rstrip().endswith("…") and lines[1].text.startswith("Tue 03 Dec")
        dim = [seg for seg in lines[1] if seg.text.startswith("Tue")]
        assert dim and dim[0].style is not None and dim[0].style.dim
        assert lines[2].text.rstrip().endswith("…") and lines[3].text.strip() == "second"
        assert set(lines[4].text.strip()) == {"─"}
        assert lines[5].text.strip() == "after the divider"
        # Clicking a line still finds its option.
        assert lines[1]._segments[0].style is not None
        assert lines[1]._segments[0].style.meta.get("option") == 1


async def test_more_or_fewer_lines_in_the_same_box_need_no_layout_and_stay_in_view() -> None:
    """A list of its own height (not its content's) whose scroll bar stays as it was takes
    new lines without a layout of the screen (issue 24); fewer lines below a view
    scrolled to the end bring the view back to the last line."""
    app = ListApp([FixedOption(Text(f"line {i}"), id=f"o{i}") for i in range(100)])
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        listed = app.query_one(LineList)
        listed.scroll_y = 90
        await pilot.pause()
        assert listed.scroll_y == 90
        layouts = count_layouts(app.screen)
        listed.add_options([FixedOption(Text(f"more {i}")) for i in range(20)])
        await pilot.pause()
        assert listed.virtual_size.height == 120 and layouts == []
        for index in range(119, 49, -1):
            listed.remove_option_at_index(index)
        await pilot.pause()
        assert listed.virtual_size.height == 50
        shown = listed.scrollable_content_region.height
        assert listed.scroll_y == listed.max_scroll_y == 50 - shown
        assert listed.render_line(shown - 1).text.strip() == "line 49"
        # Down to fewer lines than the box: the scroll bar goes, and that is laid out.
        listed.set_options([FixedOption(Text("alone"))])
        await pilot.pause()
        assert layouts and listed.render_line(0).text.strip() == "alone"
        assert not listed.show_vertical_scrollbar


async def test_a_resize_of_the_same_width_keeps_the_lines_a_new_width_cuts_them_again() -> None:
    """Lines are cut to the width, not wrapped: the Resize after a layout that kept the
    width (the first screen's) repaints nothing; a new width cuts every line again."""
    built: list[int] = []

    def line(index: int) -> Text:
        built.append(index)
        return Text(f"line {index} " + "word " * 20)

    app = ListApp([LazyOption(partial(line, i)) for i in range(30)])
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        listed = app.query_one(LineList)
        cached = len(listed._option_render_cache)
        assert cached > 0
        renders: list[list[Strip]] = []
        original = listed._get_option_render

        def counted(*args: object) -> list[Strip]:
            renders.append(original(*args))  # type: ignore[arg-type]
            return renders[-1]

        listed._get_option_render = counted  # type: ignore[method-assign,assignment]
        listed.post_message(events.Resize(listed.size, listed.virtual_size, listed.container_size))
        await pilot.pause()
        await pilot.pause()
        assert len(listed._option_render_cache) == cached and renders == []
        await pilot.resize_terminal(30, 20)
        await pilot.pause()
        await pilot.pause()
        width = listed.scrollable_content_region.width
        assert renders and all(strip.cell_length == width for strip in renders[-1])
        assert all(strip.text.rstrip().endswith("…") for strip in renders[-1])


async def test_prompts_that_are_not_text_follow_each_new_width_too() -> None:
    """OptionList caches other prompts (a str, Content) by option and style only: a new
    width still cuts them again, as it did when every Resize forgot every line."""
    app = ListApp([FixedOption(f"line {i} " + "word " * 20) for i in range(5)])
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        listed = app.query_one(LineList)
        for columns in (40, 70, 50):
            await pilot.resize_terminal(columns, 20)
            for _ in range(3):
                await pilot.pause()
            width = listed.scrollable_content_region.width
            assert {listed.render_line(y).cell_length for y in range(3)} == {width}, columns


async def test_new_lines_put_in_place_of_the_old_need_no_layout_an_emptied_list_shows_empty() -> (
    None
):
    """clear_options then add_options (a week's agenda, an item's links): the emptied list
    is not sized on its own (its scroll bar went, and came back with the new lines, each a
    layout of the screen, issue 24). A list cleared and left empty still shows so."""
    app = ListApp([FixedOption(Text(f"line {i}"), id=f"o{i}") for i in range(40)])
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        listed = app.query_one(LineList)
        assert listed.show_vertical_scrollbar
        layouts = count_layouts(app.screen)
        listed.clear_options()
        listed.add_options([FixedOption(Text(f"week {i}"), id=f"w{i}") for i in range(30)])
        await pilot.pause()
        await pilot.pause()
        assert layouts == []
        assert listed.virtual_size.height == 30 and listed.show_vertical_scrollbar
        assert listed.render_line(0).text.strip() == "week 0"
        listed.clear_options()
        await pilot.pause()
        await pilot.pause()
        assert listed.virtual_size.height == 0 and not listed.show_vertical_scrollbar
        assert layouts  # the scroll bar went: that is laid out
        assert listed.render_line(0).text.strip() == ""
