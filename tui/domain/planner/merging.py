"""Saving what an import read over what is stored: only when something changed, and out
of the trash; the import's report says what changed."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tui.domain.importers.report import ImportReport, Saved, changed_fields, differs

if TYPE_CHECKING:
    from tui.domain.planner.parts import Parts


LONG_TEXTS = ("description", "summary", "notes", "bio")
"""Fields whose stored text a file cut off at its end must not shorten."""


def save_if_changed(
    planner: Parts, existing: Saved, merged: Saved, report: ImportReport, kind: str, label: str
) -> Saved:
    """Save `merged` over `existing` only when something changed (or it was in the trash)."""
    merged = _keep_longer_texts(existing, merged, report, label)
    if existing.deleted_at is None and not differs(existing, merged):
        report.unchanged += 1
        return existing
    saved = planner.save(replace(merged, deleted_at=None))
    if existing.deleted_at is not None:
        planner.restore(saved)
    report.note("updated", kind, label)
    report.changes.append(f"{label}: {', '.join(changed_fields(existing, merged)) or 'restored'}")
    return saved


def _keep_longer_texts(existing: Saved, merged: Saved, report: ImportReport, label: str) -> Saved:
    """The stored text where the file's is only its start: a page cut off in copying
    (`head -c`, a truncated download) replaced a 1,600-character description with its
    first 1,400, mid-word, and said only "changed: description". Kept, and said."""
    kept: dict[str, Any] = {}
    for name in LONG_TEXTS:
        old, new = getattr(existing, name, None), getattr(merged, name, None)
        if not isinstance(old, str) or not isinstance(new, str):
            continue
        start = new.rstrip()
        if start and len(start) < len(old.rstrip()) and old.startswith(start):
            kept[name] = old
    if not kept:
        return merged
    report.kept.append(f"{label}: {', '.join(kept)}")
    return replace(merged, **kept)
