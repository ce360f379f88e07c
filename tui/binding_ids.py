"""The binding ids a [keys] table in config.toml may name, and what a key may be written as.

Read without Textual (every command reads config.toml and names a bad entry in one line,
and the non-interactive commands never load Textual). tests/ui/test_key_config.py checks
BINDING_IDS against every BINDINGS list in tui/: a new binding's id is added here.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata

BINDING_IDS = frozenset(
    {
        "agenda.down",
        "agenda.up",
        "app.calendar",
        "app.help",
        "app.next",
        "app.palette",
        "app.people",
        "app.pipeline",
        "app.previous",
        "app.publications",
        "app.quit",
        "app.quit_ctrl_c",
        "app.search",
        "app.trash",
        "app.undo",
        "calendar.view",
        "calendar.week_grid",
        "choose.cancel",
        "confirm.no",
        "confirm.yes",
        "event.agenda",
        "event.back",
        "event.delete",
        "event.edit",
        "event.edit_in_editor",
        "event.escape",
        "event.export",
        "event.new",
        "event.tasks",
        "filters.cancel",
        "filters.save",
        "form.cancel",
        "form.help",
        "form.next",
        "form.previous",
        "form.save",
        "goto.cancel",
        "grid.back",
        "grid.clear_filter",
        "grid.days",
        "grid.delete",
        "grid.down",
        "grid.edit",
        "grid.escape",
        "grid.export",
        "grid.filter",
        "grid.goto",
        "grid.left",
        "grid.new",
        "grid.next",
        "grid.open",
        "grid.previous",
        "grid.right",
        "grid.today",
        "grid.up",
        "grid.zone",
        "guests.clear_marks",
        "guests.close_filter",
        "guests.down",
        "guests.edit",
        "guests.export_csv",
        "guests.filter",
        "guests.first",
        "guests.import_csv",
        "guests.invite",
        "guests.last",
        "guests.mail",
        "guests.mark",
        "guests.mark_all",
        "guests.mark_down",
        "guests.mark_up",
        "guests.open",
        "guests.page_down",
        "guests.page_up",
        "guests.promote",
        "guests.remove",
        "guests.reply_via",
        "guests.reverse_sort",
        "guests.role",
        "guests.sort",
        "guests.status_accepted",
        "guests.status_attended",
        "guests.status_declined",
        "guests.status_invited",
        "guests.status_no_show",
        "guests.status_tentative",
        "guests.status_to_invite",
        "guests.status_waitlisted",
        "guests.up",
        "help.back",
        "help.down",
        "help.escape",
        "help.toggle",
        "help.up",
        "import.bottom",
        "import.close",
        "import.down",
        "import.page_down",
        "import.page_up",
        "import.top",
        "import.up",
        "invite.close",
        "invite.down",
        "invite.up",
        "main.back",
        "main.clear_filter",
        "main.delete",
        "main.edit",
        "main.edit_in_editor",
        "main.export",
        "main.export_range",
        "main.filter",
        "main.forward",
        "main.goto",
        "main.import",
        "main.new",
        "main.next_month",
        "main.previous_month",
        "main.today",
        "pick.cancel",
        "pick.down",
        "pick.up",
        "picks.add",
        "picks.down",
        "picks.remove",
        "picks.role",
        "picks.up",
        "pipeline.back",
        "pipeline.clear_filter",
        "pipeline.down",
        "pipeline.filter",
        "pipeline.first",
        "pipeline.goto",
        "pipeline.last",
        "pipeline.open",
        "pipeline.today",
        "pipeline.up",
        "record.back",
        "record.delete",
        "record.edit",
        "record.edit_in_editor",
        "record.escape",
        "record.related_back",
        "record.related_forward",
        "records.back",
        "records.close",
        "records.delete",
        "records.down",
        "records.edit",
        "records.edit_in_editor",
        "records.filter",
        "records.first",
        "records.forward",
        "records.last",
        "records.new",
        "records.page_down",
        "records.page_up",
        "records.sort",
        "records.switch",
        "records.up",
        "related.down",
        "related.link",
        "related.unlink",
        "related.up",
        "search.close",
        "search.results",
        "sessions.delete",
        "sessions.down",
        "sessions.edit",
        "sessions.editor",
        "sessions.j",
        "sessions.k",
        "sessions.new",
        "sessions.up",
        "task_form.cancel",
        "task_form.next",
        "task_form.previous",
        "task_form.save",
        "tasks.checklist",
        "tasks.delete",
        "tasks.done",
        "tasks.down",
        "tasks.drop",
        "tasks.edit",
        "tasks.j",
        "tasks.k",
        "tasks.new",
        "tasks.up",
        "trash.back",
        "trash.delete",
        "trash.down",
        "trash.edit",
        "trash.empty",
        "trash.new",
        "trash.restore",
        "trash.up",
        "unfinished.discard",
        "unfinished.later",
        "unfinished.resume",
        "week.down",
        "week.left",
        "week.next_event",
        "week.open",
        "week.previous_event",
        "week.right",
        "week.up",
    }
)
"""Every `id=` of a Binding in the app: the names [keys] remaps."""

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
