"""Saving what an import read over what is stored: only when something changed, and out
of the trash; the import's report says what changed."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tui.domain.importers.report import ImportReport, Saved, changed_fields, differs

if TYPE_CHECKING:
    from tui.domain.planner.parts import Parts


def save_if_changed(
    planner: Parts, existing: Saved, merged: Saved, report: ImportReport, kind: str, label: str
) -> Saved:
    """Save `merged` over `existing` only when something changed (or it was in the trash)."""
    if existing.deleted_at is None and not differs(existing, merged):
        report.unchanged += 1
        return existing
    saved = planner.save(replace(merged, deleted_at=None))
    if existing.deleted_at is not None:
        planner.restore(saved)
    report.note("updated", kind, label)
    report.changes.append(f"{label}: {', '.join(changed_fields(existing, merged)) or 'restored'}")
    return saved
