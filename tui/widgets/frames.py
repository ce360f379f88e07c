"""One layout and one frame per key: pane text sized once, scroll bars painted with the
layout that moved them.

Textual lays the screen out again whenever a widget's content size changes during a
layout (its virtual size is a layout-refreshing reactive). For text that is not scrolled
on its own, the layout that sized it already placed everything by that size: the second
pass only re-measures and repaints the screen (a fifth of a week change's CPU at 100k
events, issue 24). Here the new size is recorded without asking for that second layout.
"""

from __future__ import annotations

from collections.abc import Iterable
from math import ceil
from time import monotonic
from typing import Any, cast

from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.style import Style
from textual.timer import Timer
from textual.visual import RenderOptions, RichVisual, Visual, VisualType
from textual.widget import Widget
from textual.widgets import Input, Label, Static


class SizedOnce:
    """Mixin for a widget whose new content size needs no second layout."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # The layout that gave this size placed the widget by it (see the module's note).
        updated: bool = super()._size_updated(  # type: ignore[misc]
            size, virtual_size, container_size, layout=False
        )
        return updated


class _RenderedOnce(RichVisual):
    """A rich renderable (a table, Markdown) rendered once per width: Textual renders
    it once to measure its height and again to paint it (a new event's facts, agenda
    and description, a few ms each at every week change)."""

    def __init__(self, widget: Widget, renderable: RenderableType) -> None:
        super().__init__(widget, renderable)
        self._rendered: tuple[int, Style, list[Strip]] | None = None

    def get_height(self, rules: RulesMap, width: int) -> int:
        # Rendered as painting will (the widget's style, its lines cut at the width);
        # a RichVisual's options carry nothing it reads.
        widget = self._widget
        options = RenderOptions(widget._get_style, rules)
        return len(self.render_strips(width, None, widget.visual_style, options))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        rendered = self._rendered
        if rendered is None or rendered[0] != width or rendered[1] != style:
            strips = super().render_strips(width, None, style, options)
            self._rendered = rendered = (width, style, strips)
        return rendered[2] if height is None else rendered[2][:height]


class KeepsComponentStyles:
    """Mixin for a widget whose components' styles are kept until the stylesheet is
    applied to it again (a theme, a class, the focus: notify_style_update hears each).

    Textual forgets them at every refresh and works each out again from the widget and
    every ancestor (about 60 us each at the main screen's depth): a month grid, a guest
    table or the guest pane's bar asked for five to eight of them at every week change
    (issue 24)."""

    _kept_component_styles: dict[tuple[tuple[str, ...], bool], RichStyle] | None = None

    def get_component_rich_style(
        self, *names: str, partial: bool = False, default: RichStyle | None = None
    ) -> RichStyle:
        kept = self._kept_component_styles
        if kept is None:
            kept = self._kept_component_styles = {}
        key = (names, partial)
        style = kept.get(key)
        if style is None:
            style = kept[key] = super().get_component_rich_style(  # type: ignore[misc]
                *names, partial=partial, default=default
            )
        return style

    def notify_style_update(self) -> None:
        self._kept_component_styles = None
        super().notify_style_update()  # type: ignore[misc]


class SameHeightNoLayout(SizedOnce):
    """Mixin for a Static of a set width whose new content, as tall as the old at the
    width it was laid out at, asks for no new layout of the screen: only its repaint.

    Static.update lays the whole screen out again for every new text. At a week change
    ten-odd texts of the panes are new, most of them as tall as before (a title, the
    guests' counts and bar): arranging the screen and clearing its arrangements were 2-3
    ms of the key at 100k events (issue 24). A text that grew or shrank still asks for
    its layout; so does one whose width follows its content."""

    _laid_out: tuple[int, int] | None = None
    """(width, height) of the content as the last layout measured it."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        height: int = super().get_content_height(  # type: ignore[misc]
            container, viewport, width
        )
        self._laid_out = (width, height)
        return height

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        static = cast(Static, self)
        Static.update(static, content, layout=False)
        if layout and not self._same_height():
            static.refresh(layout=True)

    def _same_height(self) -> bool:
        """True when the new content fills the box the last layout gave the old."""
        widget = cast(Widget, self)
        laid_out = self._laid_out
        if laid_out is None or not widget.is_mounted or widget._layout_required:
            return False
        styles = widget.styles
        if (styles.width is not None and styles.width.is_auto) or not widget.display:
            return False  # its width follows its content (None: the container's)
        width, height = laid_out
        if widget.content_region.width != width:
            return False  # laid out since at another width, or never placed
        # Measured as the layout would (and kept: the paint's own wrap reads the cache).
        return self.get_content_height(Size(0, 0), Size(0, 0), width) == height


class PaneText(SameHeightNoLayout, Static):
    """A block of a pane's text (not scrollable on its own)."""

    _once: _RenderedOnce | None = None

    @property
    def visual(self) -> Visual:
        """The content's Visual; a rich renderable's is rendered once per width."""
        visual = super().visual
        if type(visual) is not RichVisual:
            return visual
        # Kept on the widget: Textual's own caches are cleared by every layout.
        if self._once is None or self._once._renderable is not visual._renderable:
            self._once = _RenderedOnce(self, visual._renderable)
        return self._once


class PaneLabel(SameHeightNoLayout, Label):
    """A line of a pane's text: a title, the filter's chips."""


class SteadyInput(Input):
    """An Input whose text asks for no new layout of the screen as it grows or shrinks.

    Input gives itself a virtual size of its text's width at every keystroke, and a widget's
    virtual size lays the whole screen out again. The field's box does not change (height 3,
    the width given); only its own view scrolls, which a repaint shows. On the search screen
    that layout and its full repaint were 4-6 ms of each keystroke's first frame at 100k
    events (issue 24)."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def watch_virtual_size(self) -> None:
        # The layout that Input's new size asked for also brought its view back within its
        # text: shortened without the cursor moving (ctrl+k, delete), the field showed a
        # view past its end, blank.
        self.scroll_x = self.validate_scroll_x(self.scroll_x)

    def on_resize(self) -> None:
        # A narrower window keeps the cursor in view: Input scrolls only when it moves.
        cursor = Region(self._cursor_offset, 0, width=1, height=1)
        self.call_after_refresh(self.scroll_to_region, cursor, force=True, animate=False)


class SameMiddleLines:
    """Mixin for a bordered pane whose children cover all but its border: its lines between
    the top and the bottom border are all alike, and are rendered once.

    Textual renders each line of each widget in full (border, padding, background, line
    filters), a pane's covered middle as well: the four panes' 110-odd lines were 3 ms of
    the first frame (issue 24). A pane with its own hatch or keyline is rendered as Textual
    does."""

    def render_lines(self, crop: Region) -> list[Strip]:
        widget = cast(Widget, self)
        styles = widget.styles
        top, bottom = crop.y, crop.bottom
        start, end = max(top, 1), min(bottom, widget.region.height - 1)
        if end - start < 2 or styles.has_rule("hatch") or styles.has_rule("keyline"):
            return super().render_lines(crop)  # type: ignore[misc,no-any-return]
        render = super().render_lines  # type: ignore[misc]
        strips: list[Strip] = []
        if top < start:
            strips += render(Region(crop.x, top, crop.width, start - top))
        strips += render(Region(crop.x, start, crop.width, 1)) * (end - start)
        if end < bottom:
            strips += render(Region(crop.x, end, crop.width, bottom - end))
        return strips


class Backdrop:
    """Mixin for a container (or a screen) without border or padding, which its children
    cover: its lines are its background, one line rendered once (Textual renders each of
    them, though none shows: 1 ms of the first frame for the screen and two containers,
    issue 24). With a hatch or keyline, or a translucent screen (which shows the one
    under it), it is rendered as Textual does."""

    def render_lines(self, crop: Region) -> list[Strip]:
        widget = cast(Widget, self)
        styles = widget.styles
        if (
            crop.height < 2
            or styles.gutter
            or (isinstance(widget, Screen) and styles.background.a < 1)
            or styles.has_rule("hatch")
            or styles.has_rule("keyline")
        ):
            return super().render_lines(crop)  # type: ignore[misc,no-any-return]
        line: list[Strip] = super().render_lines(Region(crop.x, crop.y, crop.width, 1))  # type: ignore[misc]
        return line * crop.height


class Panes(Backdrop, Horizontal):
    """The main screen's row of panes."""


class Side(Backdrop, Vertical):
    """The column of the event's and the related items' panes."""


class ScrollBarsInFrame:
    """Mixin for a Screen: scroll bars moved by a layout are painted in its frame.

    A layout moves the lists' scroll bars (their window and position) after it has
    taken the screen's dirty regions: painted when they ask, they came in a frame of their
    own 20-30 ms later (a week change, a search keystroke)."""

    def _compositor_refresh(self) -> None:
        screen = cast(Screen[object], self)
        moved: set[Widget] = {
            widget
            for widget in screen._compositor.visible_widgets
            if isinstance(widget, ScrollBar) and widget._repaint_required
        }
        if moved:
            for bar in moved:
                bar._repaint_required = False
            screen._compositor.update_widgets(moved)
        super()._compositor_refresh()  # type: ignore[misc]


def text_segments(line: Text, console: Console, base: RichStyle) -> Iterable[Segment]:
    """A line of rich Text as segments over `base`: the text's own style, then its spans
    (Text.render leaves the text's own style out; its __rich_console__ adds it).

    Spans that follow one another without overlapping (the lines this app builds with
    Text.append) are cut straight from the text, the same segments Text.render makes:
    its general way (a map of styles and a stack for spans that overlap) was a third of
    painting a line of the agenda (issue 24). Overlapping spans take that way."""
    style = base + console.get_style(line.style) if line.style else base
    plain = line.plain
    if not line.spans:
        return [Segment(plain, style)]
    segments: list[Segment] = []
    at = 0
    for start, end, span_style in line.spans:
        if start < at or end <= start:  # overlapping, or empty (rich cuts there too)
            return list(Segment.apply_style(line.render(console), style))
        if start > at:
            segments.append(Segment(plain[at:start], style))
        segments.append(
            Segment(plain[start:end], style + console.get_style(span_style, default=NULL_STYLE))
        )
        at = end
    if at < len(plain):
        segments.append(Segment(plain[at:], style))
    return segments


NULL_STYLE = RichStyle.null()

ONE_CELL = frozenset(
    chr(code)
    for first, last in (
        (0x20, 0x7E),  # ASCII, printable
        (0xA0, 0xAC),  # Latin-1 (not the soft hyphen)
        (0xAE, 0x2FF),  # Latin-1, Latin Extended, IPA, spacing modifiers
        (0x370, 0x482),  # Greek, Cyrillic
        (0x2010, 0x2027),  # dashes, quotes, bullets, the ellipsis
        (0x2030, 0x205E),  # per mille, primes, guillemets, other punctuation
        (0x2500, 0x25FC),  # box drawing, blocks, geometric shapes
    )
    for code in range(first, last + 1)
)
"""Characters one cell wide wherever they stand (rich's own list, with the general
punctuation titles are full of: an en dash in every title read from the foundation's
pages). Tests check each against rich's measure."""


def fit_cells(text: str, width: int) -> str | None:
    """`text` cut to `width` cells with an ellipsis, or padded to them, by its characters;
    None when they are not all one cell wide (or no width): rich must measure them."""
    if width <= 0 or not ONE_CELL.issuperset(text):
        return None
    length = len(text)
    return text[: width - 1] + "…" if length > width else text + " " * (width - length)


def cut_line(line: Text, width: int) -> None:
    """`line.truncate(width, overflow="ellipsis", pad=True)`: the same text and spans.

    A text of one cell per character is cut by its characters (fit_cells); rich measures
    each character's cells as it cuts (a fifth of painting a line of the agenda, issue 24)."""
    plain = line.plain
    fitted = fit_cells(plain, width)
    if fitted is None:
        line.truncate(width, overflow="ellipsis", pad=True)
    elif fitted != plain:
        line.plain = fitted


def nothing_pending(screen: Screen[Any]) -> bool:
    """True once the screen's shown widgets have handed in every change asked of them.

    A widget that changed asks for a layout or a repaint on its own next idle moment:
    painted before they all have, the screen was laid out once for the first and once
    more for the rest."""
    if not screen._message_queue.empty():
        return False
    shown: list[Widget] = [screen]
    while shown:
        for widget in shown.pop()._nodes:
            if not widget.display:
                continue  # a hidden widget (the guests' filter box) is not laid out
            if widget._layout_required or widget._repaint_required:
                return False
            if not widget._message_queue.empty():
                return False
            shown.append(widget)
    return True


PAINT_POLL = 0.002
"""How often a frame waiting for its widgets looks whether they are done (seconds)."""


class PaintsWhenSettled:
    """Mixin for a Screen: data that arrived is painted as soon as its widgets are done.

    Textual paints at its screen update timer's next tick (1/60 s): a keystroke's echo
    had just ticked it, so the answer's frame (search results) waited up to 17 ms more.
    The widgets hand their changes in to the screen, each on its own idle moment: the last
    of them leaves the screen idle, and the frame goes then (looked at only every
    PAINT_POLL, it waited 2-3 ms a keystroke); the poll stays for the time limit.

    A screen may also hold its frames until the data asked for arrives (hold_frames):
    the change that asked for it (a letter typed) is then painted with its answer."""

    _settle_poll: Timer | None = None
    _settle_started = 0.0
    _settle_limit = 0.1
    _held_since: float | None = None
    _hold_limit = 0.0
    _hold_timer: Timer | None = None

    def hold_frames(self, limit: float) -> None:
        """This screen's frames (only its own) wait for the next paint_when_settled, at
        most `limit` seconds: then what waits is painted without it."""
        if self._held_since is None:
            self._held_since = monotonic()
            self._hold_limit = limit
            self._hold_timer = cast(Screen[object], self).set_timer(limit, self._hold_timed_out)

    def _let_frames_go(self) -> None:
        self._held_since = None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None

    def _hold_timed_out(self) -> None:
        self._hold_timer = None
        if self._held_since is not None:
            self._let_frames_go()
            self.paint_now()

    def _on_timer_update(self) -> None:
        held = self._held_since
        if held is not None and monotonic() - held < self._hold_limit:
            # Painted by paint_when_settled, or when the hold's time is up.
            cast(Screen[object], self)._update_timer.pause()
            return
        super()._on_timer_update()  # type: ignore[misc]

    def paint_when_settled(self, limit: float = 0.1) -> None:
        """Lay out and paint once nothing is pending, or after `limit` seconds (frames
        held by hold_frames are let go)."""
        self._let_frames_go()
        screen = cast(Screen[object], self)
        if self._settle_poll is not None:
            self._settle_poll.stop()
        self._settle_started = monotonic()
        self._settle_limit = limit
        self._settle_poll = screen.set_interval(PAINT_POLL, self._paint_if_settled)

    def _paint_if_settled(self) -> None:
        screen = cast(Screen[object], self)
        if self._settle_poll is None:
            return
        if nothing_pending(screen) or monotonic() - self._settle_started >= self._settle_limit:
            self._settle_poll.stop()
            self._settle_poll = None
            self.paint_now()

    def on_idle(self) -> None:
        self._paint_if_settled()

    def paint_now(self) -> None:
        """Lay out and paint what is waiting now (nothing when a batch holds frames)."""
        screen = cast(Screen[object], self)
        if screen.app._batch_count or not screen.is_current:
            screen.check_idle()
            return
        screen._on_timer_update()


def _scrollbar_size_updated(
    self: Widget, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
) -> bool:
    return _widget_size_updated(self, size, virtual_size, container_size, layout=False)


# A scroll bar's own content size is never used (it draws from its window's position and
# sizes), yet a bar that grows or shrinks with its list asked for a second layout of the
# whole screen. Textual makes the bars itself, so the rule is set on its class (Textual
# is pinned; tests/ui/test_layout.py fails if a week change lays out twice).
_widget_size_updated = Widget._size_updated
ScrollBar._size_updated = _scrollbar_size_updated  # type: ignore[method-assign]


def _scrollbar_render_lines(self: ScrollBar, crop: Region) -> list[Strip]:
    """A vertical scroll bar's lines, made straight from its segments.

    Textual renders a bar as any widget: a rich renderable through the console, then each
    line through the styles cache (border, padding, hatch, tint, opacity), about 60 us a
    line; the three bars of a week change cost 1-2 ms of its frame (issue 24). A plain bar
    (none of those styles) is its segments over the widget's own style, then the app's
    line filters, which is what this makes. Anything else goes Textual's way
    (tests/ui/test_layout.py compares the two)."""
    styles = self.styles
    parent = self.parent
    if (
        not self.vertical
        or parent is None
        or type(self).renderer is not ScrollBarRender
        or styles.gutter
        or styles.tint.a
        or styles.text_opacity != 1.0
        or self.opacity != 1.0
        or (styles.has_rule("hatch") and styles.hatch != "none")
        or self.screen.styles.scrollbar_color.a == 0
    ):
        return _widget_render_lines(self, crop)
    width, height = self.size
    if not width or not height:
        return _widget_render_lines(self, crop)
    # The bar's colours, as ScrollBar.render works them out.
    bars = parent.styles
    if self.grabbed:
        back, color = bars.scrollbar_background_active, bars.scrollbar_color_active
    elif self.mouse_over:
        back, color = bars.scrollbar_background_hover, bars.scrollbar_color_hover
    else:
        back, color = bars.scrollbar_background, bars.scrollbar_color
    if back.a < 1:
        back = parent.background_colors[0] + back
    color = back + color
    window_size = self.window_size if self.window_size < self.window_virtual_size else 0
    bar = ScrollBarRender.render_bar(
        size=height,
        virtual_size=ceil(self.window_virtual_size),
        window_size=ceil(window_size),
        position=self.position,
        thickness=width,
        vertical=True,
        back_color=back.rich_color,
        bar_color=color.rich_color,
    )
    base = self.visual_style.rich_style
    filters = self.get_line_filters()
    background = self.background_colors[1]
    # A bar has three or four different lines (above, the thumb and its ends, below):
    # each is made once.
    made: dict[Segment, Strip] = {}
    strips: list[Strip] = []
    blank = Segment(" " * width)
    for y in crop.line_range:
        segment = bar.segments[y] if y < len(bar.segments) else blank
        strip = made.get(segment)
        if strip is None:
            strip = Strip([Segment(segment.text, base + segment.style)], width)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            made[segment] = strip
        strips.append(strip)
    if crop.column_span != (0, width):
        x1, x2 = crop.column_span
        strips = [strip.crop(x1, x2) for strip in strips]
    return strips


_widget_render_lines = Widget.render_lines
ScrollBar.render_lines = _scrollbar_render_lines  # type: ignore[method-assign,assignment]
