"""The binding ids a [keys] table in config.toml may name, what a key may be written as, and
where two bindings would meet on one key (see clashes).

Read without Textual (every command reads config.toml and names a bad entry in one line,
and the non-interactive commands never load Textual). tests/ui/test_key_config.py checks
BINDING_IDS against every BINDINGS list in tui/: a new binding's id is added here.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import unicodedata

from tui.domain.text import joined

OWNERS: dict[str, dict[str, str]] = {
    "ConvenerApp": {
        "app.help": "question_mark,f1",
        "app.next": "tab",
        "app.previous": "shift+tab",
        "app.search": "slash",
        "app.undo": "u",
        "app.calendar": "1",
        "app.people": "2",
        "app.publications": "3",
        "app.trash": "4",
        "app.pipeline": "5",
        "app.quit": "q",
        "app.quit_ctrl_c": "ctrl+c",
        "app.palette": "ctrl+p",
    },
    "ChooseScreen": {
        "choose.cancel": "escape",
    },
    "ConfirmScreen": {
        "confirm.yes": "y",
        "confirm.no": "n,escape",
    },
    "GoToDateScreen": {
        "goto.cancel": "escape",
    },
    "RecordPicker": {
        "pick.cancel": "escape",
        "pick.down": "down",
        "pick.up": "up",
    },
    "UnfinishedEditScreen": {
        "unfinished.resume": "r",
        "unfinished.discard": "d",
        "unfinished.later": "escape",
    },
    "EventScreen": {
        "event.back": "backspace",
        "event.escape": "escape",
        "event.edit": "e",
        "event.edit_in_editor": "E",
        "event.delete": "d",
        "event.agenda": "a",
        "event.export": "x",
        "event.tasks": "t",
        "event.new": "n",
    },
    "FilterScreen": {
        "filters.cancel": "escape",
        "filters.apply": "ctrl+a",
        "filters.save": "ctrl+s",
    },
    "FormScreen": {
        "form.save": "ctrl+s",
        "form.cancel": "escape",
        "form.restore": "ctrl+r",
        "form.help": "question_mark,f1",
        "form.next": "tab",
        "form.previous": "shift+tab",
    },
    "TaskFormScreen": {
        "task_form.cancel": "escape",
        "task_form.save": "ctrl+s",
        "task_form.next": "tab",
        "task_form.previous": "shift+tab",
    },
    "HelpScreen": {
        "help.back": "backspace",
        "help.escape": "escape",
        "help.toggle": "question_mark,f1",
        "help.down": "j",
        "help.up": "k",
    },
    "ImportScreen": {
        "import.close": "escape",
        "import.up": "up",
        "import.down": "down",
        "import.page_up": "pageup",
        "import.page_down": "pagedown",
        "import.top": "ctrl+home",
        "import.bottom": "ctrl+end",
    },
    "InviteScreen": {
        "invite.close": "escape",
        "invite.down": "down",
        "invite.up": "up",
    },
    "MainScreen": {
        "main.today": "t",
        "main.goto": "g",
        "main.previous_month": "left_square_bracket",
        "main.next_month": "right_square_bracket",
        "main.new": "n",
        "main.edit": "e",
        "main.edit_in_editor": "E",
        "main.delete": "d",
        "main.import": "i",
        "main.export": "x",
        "main.export_range": "X",
        "main.filter": "f",
        "main.back": "backspace,alt+left",
        "main.forward": "alt+right",
        "main.clear_filter": "F",
    },
    "PipelineTable": {
        "pipeline.first": "home",
        "pipeline.last": "end",
    },
    "PipelineScreen": {
        "pipeline.back": "escape,backspace",
        "pipeline.filter": "f",
        "pipeline.clear_filter": "F",
        "pipeline.down": "j",
        "pipeline.up": "k",
        "pipeline.open": "enter",
        "pipeline.today": "t",
        "pipeline.goto": "g",
        "pipeline.panes": "tab,shift+tab",
    },
    "RecordScreen": {
        "record.back": "backspace",
        "record.escape": "escape",
        "record.edit": "e",
        "record.delete": "d",
        "record.related_back": "alt+left",
        "record.related_forward": "alt+right",
        "record.edit_in_editor": "E",
    },
    "RecordsScreen": {
        "records.switch": "o",
        "records.sort": "s",
        "records.new": "n",
        "records.edit": "e",
        "records.edit_in_editor": "E",
        "records.delete": "d",
        "records.filter": "f",
        "records.close": "escape",
        "records.back": "backspace,alt+left",
        "records.forward": "alt+right",
    },
    "SearchScreen": {
        "search.close": "escape",
        "search.results": "down",
    },
    "TimeGridScreen": {
        "grid.back": "v",
        "grid.escape": "escape,backspace",
        "grid.days": "w",
        "grid.zone": "z",
        "grid.previous": "left_square_bracket",
        "grid.next": "right_square_bracket",
        "grid.today": "t",
        "grid.filter": "f",
        "grid.clear_filter": "F",
        "grid.goto": "g",
        "grid.new": "n",
        "grid.edit": "e",
        "grid.delete": "d",
        "grid.export": "x",
    },
    "TrashScreen": {
        "trash.restore": "r,enter",
        "trash.empty": "D",
        "trash.edit": "e",
        "trash.delete": "d",
        "trash.new": "n",
        "trash.down": "j",
        "trash.up": "k",
        "trash.back": "escape,backspace",
    },
    "AgendaList": {
        "agenda.down": "j",
        "agenda.up": "k",
    },
    "CalendarPane": {
        "calendar.view": "v",
        "calendar.week_grid": "w",
    },
    "GuestList": {
        "guests.invite": "n",
        "guests.status_to_invite": "O",
        "guests.status_invited": "I",
        "guests.status_accepted": "A",
        "guests.status_declined": "D",
        "guests.status_tentative": "T",
        "guests.status_waitlisted": "W",
        "guests.status_attended": "P",
        "guests.status_no_show": "N",
        "guests.promote": "w",
        "guests.reply_via": "v",
        "guests.role": "r",
        "guests.edit": "e",
        "guests.remove": "d",
        "guests.open": "enter",
        "guests.filter": "f",
        "guests.close_filter": "escape",
        "guests.mail": "m",
        "guests.export_csv": "x",
        "guests.import_csv": "i",
        "guests.sort": "s",
        "guests.reverse_sort": "S",
    },
    "GuestTable": {
        "guests.up": "up,k",
        "guests.down": "down,j",
        "guests.page_up": "pageup",
        "guests.page_down": "pagedown",
        "guests.first": "home",
        "guests.last": "end",
        "guests.mark": "space",
        "guests.mark_down": "shift+down",
        "guests.mark_up": "shift+up",
        "guests.mark_all": "ctrl+a",
        "guests.clear_marks": "escape",
    },
    "MonthGrid": {
        "grid.left": "left,h",
        "grid.right": "right,l",
        "grid.up": "up,k",
        "grid.down": "down,j",
        "grid.open": "enter",
    },
    "Picks": {
        "picks.add": "enter,a",
        "picks.remove": "delete,x",
        "picks.role": "r",
        "picks.up": "ctrl+up",
        "picks.down": "ctrl+down",
    },
    "RecordTable": {
        "records.up": "up,k",
        "records.down": "down,j",
        "records.page_up": "pageup",
        "records.page_down": "pagedown",
        "records.first": "home",
        "records.last": "end",
    },
    "RelatedList": {
        "related.down": "j",
        "related.up": "k",
    },
    "RelatedPane": {
        "related.link": "a",
        "related.unlink": "d",
    },
    "SessionList": {
        "sessions.new": "n",
        "sessions.edit": "e,enter",
        "sessions.editor": "E",
        "sessions.delete": "d",
        "sessions.up": "K,ctrl+up",
        "sessions.down": "J,ctrl+down",
        "sessions.j": "j",
        "sessions.k": "k",
    },
    "TaskList": {
        "tasks.new": "n,a",
        "tasks.edit": "e,enter",
        "tasks.done": "space",
        "tasks.delete": "d",
        "tasks.up": "K,ctrl+up",
        "tasks.down": "J,ctrl+down",
        "tasks.checklist": "c",
        "tasks.drop": "C",
        "tasks.j": "j",
        "tasks.k": "k",
    },
    "WeekGrid": {
        "week.left": "left,h",
        "week.right": "right,l",
        "week.up": "up,k",
        "week.down": "down,j",
        "week.next_event": "J",
        "week.previous_event": "K",
        "week.open": "enter",
    },
}
"""Every class with bindings that [keys] may remap: binding id -> its own key, as in
its BINDINGS (tests/ui/test_key_config.py checks this against them)."""

BINDING_IDS = frozenset(binding_id for ids in OWNERS.values() for binding_id in ids)
"""Every `id=` of a Binding in the app: the names [keys] remaps."""

CHAINS: dict[str, tuple[tuple[str, ...], ...]] = {
    "the main screen": (
        ("ConvenerApp", "MainScreen", "CalendarPane", "MonthGrid"),
        ("ConvenerApp", "MainScreen", "CalendarPane", "AgendaList"),
        ("ConvenerApp", "MainScreen", "GuestList", "GuestTable"),
        ("ConvenerApp", "MainScreen", "RelatedPane", "RelatedList"),
    ),
    "an event's screen": (
        ("ConvenerApp", "EventScreen", "SessionList"),
        ("ConvenerApp", "EventScreen", "TaskList"),
    ),
    "the week grid": (("ConvenerApp", "TimeGridScreen", "WeekGrid"),),
    "the people and publications lists": (
        ("ConvenerApp", "RecordsScreen", "RecordTable"),
        ("ConvenerApp", "RecordsScreen", "RelatedPane", "RelatedList"),
    ),
    "a record's screen": (("ConvenerApp", "RecordScreen", "RelatedPane", "RelatedList"),),
    "the pipeline": (("ConvenerApp", "PipelineScreen", "PipelineTable"),),
    "the trash": (("ConvenerApp", "TrashScreen"),),
    "the forms": (("ConvenerApp", "FormScreen", "Picks"),),
    "the task form": (("ConvenerApp", "TaskFormScreen"),),
    "search": (("ConvenerApp", "SearchScreen"),),
    "the invite dialog": (("ConvenerApp", "InviteScreen"),),
    "the pick dialog": (("ConvenerApp", "RecordPicker"),),
    "the import dialog": (("ConvenerApp", "ImportScreen"),),
    "the help screen": (("ConvenerApp", "HelpScreen"),),
    "the filter dialog": (("ConvenerApp", "FilterScreen"),),
    "the go-to-date dialog": (("ConvenerApp", "GoToDateScreen"),),
    "questions": (
        ("ConvenerApp", "ConfirmScreen"),
        ("ConvenerApp", "ChooseScreen"),
        ("ConvenerApp", "UnfinishedEditScreen"),
    ),
}
"""Where each key works, by screen: the classes whose bindings a key press reaches at once
(the focused widget's, its panes' and screen's, the app's), one tuple per place the focus
can be. A key on two bindings of one tuple does one of the two things, silently; on two
tuples apart (the calendar's v and the guest list's v) it does what the focused pane says.
tests/ui/test_key_config.py checks these against the screens as built."""

FIXED_KEYS = {"ctrl+q": "quit"}
"""Keys of the app's that [keys] cannot move (Textual's own, without an id)."""

MODIFIERS = ("shift", "ctrl", "alt", "meta", "super", "hyper")
NAMED_KEYS = frozenset(
    {"up", "down", "left", "right", "home", "end", "pageup", "pagedown", "insert", "delete"}
    | {"backspace", "tab", "enter", "escape", "space"}
    | {f"f{number}" for number in range(1, 25)}
)
"""Keys with a name of their own (Textual's names)."""
SHORT_NAMES = {
    "slash": "solidus",
    "backslash": "reverse_solidus",
    "at": "commercial_at",
    "minus": "hyphen_minus",
    "plus": "plus_sign",
    "underscore": "low_line",
}
"""Textual's short names for a few characters, and their Unicode names."""
_SHORTENED = {long: short for short, long in SHORT_NAMES.items()}
KEY_EXAMPLES = 'keys are written "t", "T", "ctrl+t", "f5", "pageup" or "question_mark"'


def _character_name(character: str) -> str:
    name = unicodedata.name(character, "").lower().replace("-", "_").replace(" ", "_")
    return _SHORTENED.get(name, name)


def _is_key(name: str) -> bool:
    """True for one key as Textual names it: a character ("t", "?"), a named key ("f5",
    "pageup") or a character's name ("question_mark", "left_square_bracket")."""
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    if name in NAMED_KEYS:
        return True
    return name in _character_names()


@functools.cache
def _character_names() -> frozenset[str]:
    """The names Textual gives the characters a keyboard types that are not letters or
    digits ("question_mark", "minus"); a letter or a digit is named by itself ("a")."""
    characters = (chr(code) for code in range(0x21, 0x3000))
    return frozenset(
        _character_name(character)
        for character in characters
        if character.isprintable() and not character.isalnum()
    )


def key_problem(keys: str) -> str | None:
    """Why `keys` (one key or several, comma-separated: "t,f5") cannot be pressed, in a few
    words naming the part at fault; None when every key can be."""
    for key in keys.split(","):
        key = key.strip()
        if not key:
            return f"{keys!r} has an empty key"
        *modifiers, name = key.split("+") if len(key) > 1 else [key]
        for modifier in modifiers:
            if modifier not in MODIFIERS:
                return f"{modifier!r} in {key!r} is not a modifier ({', '.join(MODIFIERS)})"
        if len(set(modifiers)) < len(modifiers):
            return f"{key!r} names a modifier twice"
        if not _is_key(name):
            where = f" in {key!r}" if name != key else ""
            return f"{name!r}{where} is not a key ({KEY_EXAMPLES})"
    return None


def id_problem(binding_id: str) -> str | None:
    """Why `binding_id` is not a binding [keys] can remap (with the nearest ids, if any);
    None when it is one."""
    if binding_id in BINDING_IDS:
        return None
    near = difflib.get_close_matches(binding_id, sorted(BINDING_IDS), n=2)
    hint = f" (did you mean {' or '.join(repr(name) for name in near)}?)" if near else ""
    return f"no key of the app has the id {binding_id!r}{hint}"


@dataclasses.dataclass(frozen=True)
class Clash:
    """An entry of [keys] on a key that another binding of the same place has."""

    binding_id: str
    key: str
    """The key of the entry, as written."""
    others: tuple[tuple[str, str], ...]
    """(the other binding, the place) for each: a binding on its own key, or (`both`) one
    entry of [keys] too."""
    both: bool = False

    def words(self) -> str:
        """One line naming both entries (or the entry and the bindings it meets), and what
        stands instead."""
        own = shown(OWNERS_KEYS[self.binding_id])
        if self.both:
            [(other, place)] = self.others
            return (
                f"keys 'keys.{self.binding_id}' and 'keys.{other}' are both {self.key!r} in"
                f" {place}, where a key does one thing; both entries are left out"
                f" ({self.binding_id} stays on {own}, {other} on {shown(OWNERS_KEYS[other])})"
            )
        named = [
            f"{FIXED_KEYS[other]} (the app's own key)" if other in FIXED_KEYS else other
            for other, _ in self.others
        ]
        if len(named) > 3:
            named[2:] = [f"{len(named) - 2} more"]
        what = joined(named)
        places = list(dict.fromkeys(place for _, place in self.others))
        where = places[0]
        if len(places) > 1:
            where += f" (and {len(places) - 1} other place{'s' if len(places) > 2 else ''})"
        return (
            f"key 'keys.{self.binding_id}': {self.key!r} is already the key of {what} in"
            f" {where}; that entry is left out ({self.binding_id} stays on {own})"
        )


def shown(keys: str) -> str:
    """Keys as the officer types them: 'question_mark,f1' -> '? or f1'."""
    words = []
    for key in keys.split(","):
        *modifiers, name = key.strip().split("+") if len(key.strip()) > 1 else [key.strip()]
        if len(name) > 1 and name not in NAMED_KEYS:
            long = SHORT_NAMES.get(name, name)
            for spelled in (long.replace("_", " "), long.replace("_", "-")):
                try:
                    name = unicodedata.lookup(spelled)
                    break
                except KeyError:
                    continue
        words.append("+".join([*modifiers, name]))
    return " or ".join(words)


OWNERS_KEYS = {binding_id: key for ids in OWNERS.values() for binding_id, key in ids.items()}
"""binding id -> its own key."""


def _one_key(key: str) -> str:
    """A key as Textual matches it: a character other than a letter or digit by its name
    ("?" is "question_mark"), modifiers in one order."""
    key = key.strip()
    *modifiers, name = key.split("+") if len(key) > 1 else [key]
    if len(name) == 1 and not name.isalnum():
        name = _character_name(name)
    order = {modifier: index for index, modifier in enumerate(MODIFIERS)}
    return "+".join([*sorted(set(modifiers), key=lambda m: order.get(m, 99)), name])


def _keys(keys: str) -> set[str]:
    return {_one_key(key) for key in keys.split(",") if key.strip()}


def _written(keys: str, among: set[str]) -> str:
    """The first of `keys` (as written) that is one of `among`."""
    return next(key.strip() for key in keys.split(",") if _one_key(key) in among)


def clashes(keymap: dict[str, str]) -> tuple[dict[str, str], list[Clash]]:
    """The [keys] entries that stand, and each clash: an entry on a key that another
    binding reached from the same place (see CHAINS) has, where by their own keys they
    were apart. The entries of a clash are left out, so that each binding keeps its own
    key and no key is lost (an own key back may meet another entry in turn: said too)."""
    kept = dict(keymap)
    found: list[Clash] = []
    while True:
        now = _clashes_of(kept)
        if not now:
            return kept, found
        for clash in now:
            kept.pop(clash.binding_id, None)
            if clash.both:
                kept.pop(clash.others[0][0], None)
        found.extend(now)


@functools.cache
def _places() -> list[tuple[str, frozenset[str], dict[str, set[str]]]]:
    """(place, the ids a key pressed there reaches, {binding: its own keys} in the order of
    the chain, the fixed keys too) for each tuple of CHAINS."""
    found = []
    for place, chains in CHAINS.items():
        for chain in chains:
            ids = [binding_id for owner in chain for binding_id in OWNERS[owner]]
            own = {binding_id: _keys(OWNERS_KEYS[binding_id]) for binding_id in ids}
            own.update({fixed: {fixed} for fixed in FIXED_KEYS})
            found.append((place, frozenset(ids), own))
    return found


def _clashes_of(keymap: dict[str, str]) -> list[Clash]:
    """Two entries on one key: one Clash per pair; an entry on the own key of bindings
    that are not entries: one Clash naming them all."""
    pairs: dict[frozenset[str], Clash] = {}
    met: dict[str, dict[str, tuple[str, str]]] = {}
    """entry -> {other binding: (the key written, the place)}"""
    app_wide = {*OWNERS["ConvenerApp"], *FIXED_KEYS}
    for place, ids, own in _places():
        if keymap.keys().isdisjoint(ids):
            continue
        now = {
            binding_id: _keys(keymap.get(binding_id, "")) or keys
            for binding_id, keys in own.items()
        }
        for binding_id in own:
            if binding_id not in keymap:
                continue
            for other, keys in now.items():
                shared = (now[binding_id] & keys) - (own[binding_id] & own[other])
                if other == binding_id or not shared:
                    continue
                # Two of the app's own: said once, for every screen.
                where = "every screen" if {binding_id, other} <= app_wide else place
                if other in keymap:
                    pair = frozenset((binding_id, other))
                    if pair not in pairs:  # named in the order of the file
                        first, second = sorted(pair, key=list(keymap).index)
                        pairs[pair] = Clash(
                            first, _written(keymap[first], shared), ((second, where),), True
                        )
                else:
                    written = _written(keymap[binding_id], shared)
                    met.setdefault(binding_id, {}).setdefault(other, (written, where))
    found = list(pairs.values())
    paired = {clash.binding_id for clash in found} | {clash.others[0][0] for clash in found}
    for binding_id, others in met.items():
        if binding_id in paired:
            continue  # said with the other entry: both are left out
        written = next(iter(others.values()))[0]
        found.append(
            Clash(
                binding_id, written, tuple((other, place) for other, (_, place) in others.items())
            )
        )
    return found
