"""Parts: every part of the planner in one class, for the modules the facade hands itself to.

Imports, exports and mail take the planner's parts (`Parts`), not the facade, so that they
never import the package that imports them."""

from __future__ import annotations

from tui.domain.planner.agenda import Agenda
from tui.domain.planner.calendar import Calendar
from tui.domain.planner.links import Links
from tui.domain.planner.trash import Trash


class Parts(Calendar, Links, Agenda, Trash):
    """The calendar, guests, records, links, agenda, tasks and trash, over one store."""
