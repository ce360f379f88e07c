"""The trash: what is in it, and emptying it."""

from __future__ import annotations

from typing import Any

from tui.domain.store.history import History


class Trash(History):
    """Records with a deleted_at, of every kind, and deleting them for good."""

    def trashed(self, limit: int = 1000) -> list[dict[str, Any]]:
        """What is in the trash, latest first: kind, id, label, detail, deleted_at."""
        return self._rows(
            "select 'event' as kind, id, title as label, start_date as detail, deleted_at"
            " from events where deleted_at is not null"
            " union all select 'person', id, name, coalesce(email, role, ''), deleted_at"
            " from people where deleted_at is not null"
            " union all select 'organisation', id, name, coalesce(short_name, ''), deleted_at"
            " from organisations where deleted_at is not null"
            " union all select 'publication', id, title, coalesce(published, ''), deleted_at"
            " from publications where deleted_at is not null"
            " union all select 'session', s.id, s.title, 'agenda of ' || e.title, s.deleted_at"
            " from sessions s join events e on e.id = s.event_id where s.deleted_at is not null"
            " union all select 'invitation', i.id, p.name, 'guest of ' || e.title, i.deleted_at"
            " from invitations i join people p on p.id = i.person_id"
            " join events e on e.id = i.event_id where i.deleted_at is not null"
            " union all select 'task', t.id, t.title, 'checklist of ' || e.title, t.deleted_at"
            " from tasks t join events e on e.id = t.event_id where t.deleted_at is not null"
            " order by deleted_at desc, kind, id limit ?",
            [limit],
        )

    def purge_trash(self) -> int:
        """Delete for good every record in the trash (and what hangs off it); how many."""
        total = 0
        with self.transaction("Empty the trash"):
            for table in (
                "tasks",
                "invitations",
                "sessions",
                "events",
                "publications",
                "people",
                "organisations",
            ):
                total += self._write(f"delete from {table} where deleted_at is not null").rowcount
        return total
