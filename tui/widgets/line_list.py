"""LineList: an OptionList whose options have fixed heights, built only when shown.

Textual's OptionList measures every option (wraps its text to the width) when options are
added and on each resize, and builds every prompt up front: a week of the agenda at 100k
events is about 190 options, a search 60 two-line ones, measured on every key. Here each
option says its height (one line unless told) and may build its prompt when it is first
painted, so a key costs the lines on screen, not the lines in the list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Self, cast

from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual import events
from textual.geometry import Region, Size, Spacing
from textual.strip import Strip
from textual.style import Style
from textual.visual import VisualType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.widgets.frames import cut_line, text_segments

if TYPE_CHECKING:
    from textual.cache import LRUCache


class LazyOption(Option):
    """An option of `height` lines whose prompt is built on first use."""

    def __init__(
        self,
        build: Callable[[], VisualType],
        id: str | None = None,
        disabled: bool = False,
        height: int = 1,
    ) -> None:
        super().__init__("", id=id, disabled=disabled)
        self._build: Callable[[], VisualType] | None = build
        self.height = max(1, height)
        """Lines the option takes: its prompt is cut or padded to them."""

    @property
    def prompt(self) -> VisualType:
        """The prompt, built the first time it is asked for."""
        if self._build is not None:
            self._prompt = self._build()
            self._build = None
        return self._prompt


class FixedOption(LazyOption):
    """An option of `height` lines whose prompt is already built."""

    def __init__(
        self, prompt: VisualType, id: str | None = None, disabled: bool = False, height: int = 1
    ) -> None:
        super().__init__(lambda: prompt, id=id, disabled=disabled, height=height)


def option_height(option: Option) -> int:
    """The lines an option takes in a LineList (1 for a plain Option), with the line of
    the divider that follows it, if any."""
    return (option.height if isinstance(option, LazyOption) else 1) + option._divider


def one_line(text: Text) -> Text:
    """`text` cut at the width with an ellipsis instead of wrapped."""
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


class LineList(OptionList):
    """An OptionList of fixed-height options: nothing is measured or built off screen."""

    _painting: dict[object, object] | None = None
    """What every line of the paint under way shares (see render_lines)."""

    def render_lines(self, crop: Region) -> list[Strip]:
        # Each line asked again for the lines to be brought up to date, for the widget's
        # width and for its styles (worked out from its pseudo-classes): a quarter of
        # painting the week's agenda (issue 24). They are read once per paint.
        self._update_lines()
        self._painting = {"width": self.scrollable_content_region.width}
        try:
            return super().render_lines(crop)
        finally:
            self._painting = None

    def _content_width(self) -> int:
        painting = self._painting
        if painting is None:
            return self.scrollable_content_region.width
        return cast(int, painting["width"])

    def get_visual_style(self, *component_classes: str, partial: bool = False) -> Style:
        painting = self._painting
        if painting is None:
            return super().get_visual_style(*component_classes, partial=partial)
        key = (component_classes, partial)
        style = painting.get(key)
        if style is None:
            style = painting[key] = super().get_visual_style(*component_classes, partial=partial)
        return cast(Style, style)

    _clearing = False
    """True while clear_options runs: its lines are brought up to date after (below)."""

    def clear_options(self) -> Self:
        # OptionList sizes the emptied list at once: before the next list's options came
        # (a week's agenda, the next item's links), its scroll bar went, and came back
        # with them, each a layout of the whole screen (issue 24). The empty list's lines
        # are seen to once the code that cleared it is done (a no-op after new options).
        self._clearing = True
        try:
            super().clear_options()
        finally:
            self._clearing = False
        self.call_later(self._update_lines)
        return self

    def _update_lines(self) -> None:
        if self._painting is not None or self._clearing:
            return  # brought up to date as the paint began (see render_lines), or later
        if not self.scrollable_content_region:
            return
        line_cache = self._line_cache
        lines = line_cache.lines
        next_index = lines[-1][0] + 1 if lines else 0
        options = self.options
        if next_index < len(options):
            for index in range(next_index, len(options)):
                height = option_height(options[index])
                line_cache.index_to_line[index] = len(lines)
                line_cache.heights[index] = height
                lines.extend([(index, line) for line in range(height)])
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        last_divider = bool(options) and options[-1]._divider
        virtual_size = Size(width, len(lines) - last_divider)
        if virtual_size.height != self.virtual_size.height:
            if self._box_unchanged(virtual_size):
                # More or fewer lines in a box of its own size, its scroll bar staying as
                # it was: the list scrolls them, the screen needs no new layout.
                self.set_reactive(OptionList.virtual_size, virtual_size)
                self._scroll_update(virtual_size)
                self.refresh()
            else:
                self.virtual_size = virtual_size
                self._scroll_update(virtual_size)
        elif virtual_size != self.virtual_size:
            # Only the width: the lines are cut to it, never scrolled sideways, so the
            # screen needs no new layout (a scroll bar that came or went changed it).
            self.set_reactive(OptionList.virtual_size, virtual_size)

    def _box_unchanged(self, virtual_size: Size) -> bool:
        """True when lines of `virtual_size` change neither the list's box (its height is
        not its content's) nor whether its vertical scroll bar shows."""
        styles = self.styles
        if styles.auto_dimensions or styles.overflow_y != "auto" or not self.container_size:
            return False
        shows = virtual_size.height > self.container_size.height
        return shows == self.show_vertical_scrollbar and not self.show_horizontal_scrollbar

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(option_height(option) for option in self.options)

    _other_lines_width = -1
    """The width OptionList's cached renders of prompts that are not Text were made for."""

    def _on_resize(self, event: events.Resize) -> None:  # type: ignore[override]
        # OptionList forgets every rendered line at each Resize: lines wrap to the width.
        # Here they are cut to it and cached by width (below), so a Resize leaves nothing
        # stale. The Resize that follows the first layout (same size) repainted both lists
        # of the first screen a frame after it was shown (7-9 ms at start, issue 24).
        event.prevent_default()

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        shown = option.prompt
        if isinstance(shown, Text):
            return self._render_text_option(option, shown, style)
        # OptionList caches the others by option and style only: not across a new width.
        width = self._content_width()
        if width != self._other_lines_width:
            self._option_render_cache.clear()
            self._other_lines_width = width
        strips = super()._get_option_render(option, style)
        height = option_height(option)
        if len(strips) == height:
            return strips
        # A prompt that wrapped after all is cut; a short one is padded (its divider,
        # the last line, kept in place).
        divider = strips[-1:] if option._divider else []
        lines = height - len(divider)
        prompt = strips[: len(strips) - len(divider)][:lines]
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        blank = Strip.blank(width, style.rich_style)
        return prompt + [blank] * (lines - len(prompt)) + divider

    def _render_text_option(self, option: Option, prompt: Text, style: Style) -> list[Strip]:
        """An option of rich Text as its lines, each cut at the width with an ellipsis:
        rendered straight from the text's segments. Textual's general path (the text made
        a Visual, wrapped, formatted, then cut back to the option's height) was most of
        painting a week's agenda or a page of search results (issue 24)."""
        painting = self._painting
        if painting is None:
            padding = self.get_component_styles("option-list--option").padding
        elif (kept := painting.get("padding")) is not None:
            padding = cast(Spacing, kept)
        else:
            # Once per paint, not per line (12% of painting a week's agenda).
            padding = self.get_component_styles("option-list--option").padding
            painting["padding"] = padding
        width = self._content_width() - self._get_left_gutter_width()
        # By width too: the first paint after a new width comes before its Resize.
        key = (option, style, padding, width)
        cache = cast("LRUCache[tuple[object, ...], list[Strip]]", self._option_render_cache)
        if (cached := cache.get(key)) is not None:
            return cached
        inner = max(0, width - padding.left - padding.right)
        console = self.app.console
        # The option's index rides on every segment's style (a click picks the option).
        base = style.rich_style + RichStyle.from_meta({"option": self._option_to_index[option]})
        lines = prompt.split("\n", allow_blank=True)
        height = option_height(option) - option._divider
        left = [Segment(" " * padding.left, base)] if padding.left else []
        right = [Segment(" " * padding.right, base)] if padding.right else []
        strips: list[Strip] = []
        for line in lines[:height]:
            cut_line(line, inner)
            segments = [*left, *text_segments(line, console, base), *right]
            strip = Strip(segments)
            if strip.cell_length != width:
                strip = strip.crop_extend(0, width, base)
            strips.append(strip)
        blank = Strip.blank(width, base)
        strips.extend([blank] * (height - len(strips)))
        if option._divider:
            rule = self.get_visual_style("option-list--separator").rich_style
            strips.append(Strip([Segment("─" * width, rule)], width))
        cache[key] = strips
        return strips
