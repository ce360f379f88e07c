from __future__ import annotations

import stat
from dataclasses import replace
from datetime import time
from pathlib import Path

import pytest

from tui import config
from tui.config import Settings, load_settings, resolve_db_path, save_settings


def test_missing_config_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml") == (Settings(), [])


def test_config_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'first_day_of_week = "Sunday"\ntimezone = "Europe/Vienna"\ndate_order = "month-first"\n'
        'theme = "nord"\nexport_dir = "~/agendas"\n[keys]\n"main.today" = "Y"\n'
    )
    settings, warnings = load_settings(path)
    assert warnings == []
    assert settings.first_weekday == 6
    assert settings.timezone == "Europe/Vienna"
    assert not settings.day_first
    assert settings.theme == "nord"
    assert settings.export_dir == Path("~/agendas").expanduser()
    assert settings.keys == {"main.today": "Y"}


def test_bad_keys_are_named_and_the_rest_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'first_day_of_week = "Caturday"\ntimezone = "Mars/Base"\ncolour = 3\ntheme = "nord"\n'
    )
    settings, warnings = load_settings(path)
    assert settings.theme == "nord"
    assert settings.first_day_of_week == "monday" and settings.timezone is None
    assert len(warnings) == 3
    assert all(w.startswith(f"{path}: key ") for w in warnings)
    assert any("'colour'" in w for w in warnings)
    assert all("\n" not in w for w in warnings)


def test_unreadable_toml_falls_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("first_day_of_week = \n")
    settings, warnings = load_settings(path)
    assert settings == Settings()
    assert len(warnings) == 1 and "not valid TOML" in warnings[0] and str(path) in warnings[0]


def test_save_then_load_roundtrip(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "config.toml"
    wanted = Settings(first_day_of_week="sunday", timezone="Asia/Tokyo", keys={"main.goto": "G"})
    save_settings(wanted, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_settings(path) == (wanted, [])


def test_database_path_precedence(tmp_path: Path) -> None:
    assert resolve_db_path("/x/a.db", {"CONVENER_DB": "/y/b.db"}) == Path("/x/a.db")
    assert resolve_db_path(None, {"CONVENER_DB": "/y/b.db"}) == Path("/y/b.db")
    assert resolve_db_path(None, {}) == config.default_db_path()
    assert config.default_db_path().name == "convener.db"


def test_calendar_view_settings_are_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'week_numbers = true\nstart_screen = "pipeline"\n[week]\nstart = "06:30"\nend = "22:00"\n'
    )
    settings, warnings = load_settings(path)
    assert warnings == []
    assert settings.week_numbers and settings.start_screen == "pipeline"
    assert (settings.day_start, settings.day_end) == (6 * 60 + 30, 22 * 60)
    assert (Settings().day_start, Settings().day_end) == (7 * 60, 21 * 60)
    save_settings(settings, tmp_path / "again.toml")
    assert load_settings(tmp_path / "again.toml") == (settings, [])


def test_bad_calendar_view_settings_are_named_in_one_line_and_defaulted(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'week_numbers = "yes"\nstart_screen = "agenda"\n[week]\nstart = "22:00"\nend = "07:00"\n'
    )
    settings, warnings = load_settings(path)
    assert settings == Settings()
    assert len(warnings) == 3
    assert all("\n" not in w and len(w) < 200 for w in warnings)
    assert any("'week'" in w and "start before the end" in w for w in warnings)
    path.write_text('[week]\nstart = "7pm"\n')
    settings, warnings = load_settings(path)
    assert settings.day_start == 7 * 60 and "'week.start': '7pm'" in warnings[0]


@pytest.mark.parametrize(
    ("table", "warning"),
    [
        ('password = "hunter2"', "sync.password: never kept in the file; use password_command"),
        ('url = "ftp://x.example/"', "is not an http(s) address of a server"),
        ('url = "http://[::1/dav/"', "sync url: not an address of a server"),
        ('colour = "red"', "sync.colour is not a sync setting"),
        ("user = 3", "sync.user: expected text"),
    ],
)
def test_a_bad_sync_table_is_one_warning(tmp_path: Path, table: str, warning: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[sync]\n{table}\n", encoding="utf-8")
    settings, [line] = load_settings(path)
    assert warning in line and "hunter2" not in line
    assert settings.sync == Settings().sync


def test_the_sync_table_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[sync]\nurl = "https://dav.example.org/team/"\nuser = "ana"\n', "utf-8")
    settings, warnings = load_settings(path)
    assert warnings == [] and (settings.sync.url, settings.sync.user) == (
        "https://dav.example.org/team/",
        "ana",
    )
    save_settings(settings, path)  # the app saves settings (a default view): [sync] stays
    assert load_settings(path) == (settings, [])


OFFICER_CONFIG = """\
# Ana's settings: keep this file in the team wiki too
theme = "nord"   # the projector washes out the dark theme
first_day_of_week = "Sunday"

[keys]
"main.today" =   'Y'

# office mail relay, ask IT before changing
[mail]
from = "Ana Ruiz <ana@example.org>"
host = "smtp.example.org"
port = 587

[filters]                # the default view
status = "confirmed"     # only what is on
# program_area = "Africa"

[checklists]
dinner = [
  { title = "Book the restaurant", due = "8 weeks before" },  # Vienna: 10 weeks
]
"""


@pytest.mark.parametrize(
    ("filters", "table"),
    [
        ({"kind": "dinner"}, '[filters]                # the default view\nkind = "dinner"\n'),
        ({}, ""),
    ],
)
def test_saving_the_default_view_keeps_the_rest_of_the_file(
    tmp_path: Path, filters: dict[str, str], table: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(OFFICER_CONFIG, encoding="utf-8")
    settings, warnings = load_settings(path)
    assert warnings == []
    save_settings(replace(settings, filters=filters), path)
    # Only the [filters] table's header and keys are rewritten; every other byte stays.
    old_table = (
        '[filters]                # the default view\nstatus = "confirmed"     # only what is on\n'
    )
    assert path.read_text(encoding="utf-8") == OFFICER_CONFIG.replace(old_table, table)
    assert load_settings(path) == (replace(settings, filters=filters), [])


def test_a_default_view_saved_to_a_file_without_one_is_added_at_its_end(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    text = OFFICER_CONFIG[: OFFICER_CONFIG.index("[filters]")].rstrip("\n")  # no newline at end
    path.write_text(text, encoding="utf-8")
    settings, _ = load_settings(path)
    save_settings(replace(settings, filters={"access": "public"}), path)
    assert path.read_text(encoding="utf-8") == text + '\n\n[filters]\naccess = "public"\n'


def test_a_new_top_level_setting_goes_before_the_first_table_and_its_comment(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(OFFICER_CONFIG, encoding="utf-8")
    settings, _ = load_settings(path)
    save_settings(replace(settings, week_numbers=True, theme="textual-dark"), path)
    head = '# Ana\'s settings: keep this file in the team wiki too\nfirst_day_of_week = "Sunday"\nweek_numbers = true\n\n[keys]\n'
    assert path.read_text(encoding="utf-8").startswith(head)
    assert "# office mail relay, ask IT before changing\n[mail]\n" in path.read_text()


@pytest.mark.parametrize(
    ("table", "kept", "bad"),
    [
        (
            '[reminders]\nevents = ["1 fortnight"]\ntasks = "14:00"\ndinner = 3\n',
            {"tasks": "14:00"},
            ["reminders.events", "reminders.dinner"],
        ),
        ('[keys]\n"main.today" = "Y"\n"main.goto" = 3\n', {"main.today": "Y"}, ["keys.main.goto"]),
        (
            '[keys]\n"main.today" = "Y"\n"main.goto" = "ctrl+nonsense"\n"main.nothing" = "z"\n',
            {"main.today": "Y"},
            ["keys.main.goto", "keys.main.nothing"],
        ),
        ('[filters]\nkind = "dinner"\ncolour = "red"\n', {"kind": "dinner"}, ["'colour'"]),
        ('[mail]\nhost = "smtp.example.org"\nport = "x"\n', None, ["mail.port"]),
        ('[sync]\nuser = "ana"\npassword = "hunter2"\n', None, ["sync.password"]),
        ('[week]\nstart = "06:00"\nend = "7pm"\n', {"start": "06:00"}, ["'week.end'"]),
        (
            '[checklists]\ndinner = [{ title = "Menu" }]\nparty = [{ title = "Cake" }]\n',
            {"dinner": [{"title": "Menu"}]},
            ["checklists.party"],
        ),
    ],
)
def test_a_bad_key_in_a_table_leaves_its_good_keys_standing(
    tmp_path: Path, table: str, kept: dict[str, object] | None, bad: list[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(table, encoding="utf-8")
    settings, warnings = load_settings(path)
    assert len(warnings) == len(bad)
    for warning, key in zip(warnings, bad, strict=True):
        assert key in warning and "\n" not in warning and "hunter2" not in warning
    name = table[1 : table.index("]")]
    if kept is not None:
        assert getattr(settings, name) == kept
    if name == "reminders":
        assert settings.reminder_rules().task_time == time(14, 0)
    if name == "mail":
        assert settings.mail.host == "smtp.example.org"
    if name == "sync":
        assert settings.sync.user == "ana"


def test_a_bad_hour_of_the_week_is_named_with_its_value(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[week]\nend = "25:00"\nfoo = "1"\nstart = "08:00"\n')
    settings, warnings = load_settings(path)
    assert settings.week == {"start": "08:00"}  # the good key stands
    assert warnings == [
        f"{path}: key 'week.end': '25:00' is not an hour such as \"21:00\";"
        " that key is left out, the rest of [week] is read",
        f"{path}: key 'week.foo' is not a setting (start, end);"
        " that key is left out, the rest of [week] is read",
    ]


def test_every_bad_key_of_a_table_is_said_when_none_is_good(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[reminders]\ntasks = "9am"\nevents = ["1 fortnight"]\n')
    settings, warnings = load_settings(path)
    assert settings.reminders == {}
    assert len(warnings) == 2
    assert "reminders.tasks" in warnings[0] and "reminders.events" in warnings[1]
    assert all(w.endswith("; using the default") for w in warnings)


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ('"main.today" = "ctrl+shift+alt+nonsense"', "'nonsense' in 'ctrl+shift+alt+nonsense'"),
        ('"main.today" = "Ctrl+t"', "'Ctrl' in 'Ctrl+t' is not a modifier"),
        ('"main.today" = "t,"', "has an empty key"),
        ('"main.today" = " "', 'expected a key such as "t"'),
        ('"main.todya" = "t"', "did you mean 'main.today'"),
        ('"nothing" = "z"', "no key of the app has the id 'nothing'"),
    ],
)
def test_a_bad_keys_entry_is_named_and_its_binding_keeps_its_key(
    tmp_path: Path, entry: str, said: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[keys]\n{entry}\n", encoding="utf-8")
    settings, warnings = load_settings(path)
    assert settings.keys == {}
    assert len(warnings) == 1 and said in warnings[0] and "\n" not in warnings[0]
    assert warnings[0].startswith(f"{path}: key 'keys.")


@pytest.mark.parametrize(
    ("binding", "keys"),
    [
        ("main.today", "Y"),
        ("app.help", "?"),  # its own key (on another binding's, the entry would clash)
        ("app.help", "question_mark"),
        ("main.today", "ctrl+t"),
        ("main.today", "f5"),
        ("main.today", "shift+home"),
        ("main.today", "minus"),
        ("main.today", "y,ctrl+y"),
        ("main.today", "é"),
    ],
)
def test_keys_textual_can_press_are_taken(tmp_path: Path, binding: str, keys: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'[keys]\n"{binding}" = "{keys}"\n', encoding="utf-8")
    assert load_settings(path) == (Settings(keys={binding: keys}), [])
