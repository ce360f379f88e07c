"""Three-way merge of documents, field by field and member by member, against a base."""

from __future__ import annotations

from dataclasses import MISSING as MISSING_FIELD
from dataclasses import dataclass, field, fields
from typing import Any

from tui.domain.models import Invitation
from tui.domain.sync.records import Document

MISSING: Any = object()

HIGHEST = frozenset({"mail_sequence"})
"""Fields both sides only ever raise: merged to the higher value, never a conflict."""


LINE_IDENTITY = "uid"
"""A guest line's own uid (the invitation's): kept from the server's side when both sides
added the line."""


def defaults_of(cls: type[Any]) -> dict[str, Any]:
    """What a new record of `cls` holds before anyone sets it (its fields' defaults other
    than None): merged against, a side still at one has not set that part or field."""
    return {
        item.name: item.default
        for item in fields(cls)
        if item.default is not MISSING_FIELD and item.default is not None
    }


LINE_DEFAULTS = defaults_of(Invitation)
"""A new guest line's (status "to-invite", role "participant", no plus-ones)."""


@dataclass
class Merged:
    """A merge's outcome: the document to keep and the fields both sides changed."""

    document: Document
    conflicts: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """Conflict name ("title", "guest:<person uid>") -> (local value, remote value)."""


def _three_way(
    base: dict[str, Any], local: dict[str, Any], remote: dict[str, Any], prefix: str
) -> tuple[dict[str, Any], dict[str, tuple[Any, Any]]]:
    result: dict[str, Any] = {}
    conflicts: dict[str, tuple[Any, Any]] = {}
    for key in sorted(set(base) | set(local) | set(remote)):
        was = base.get(key, MISSING)
        mine = local.get(key, MISSING)
        theirs = remote.get(key, MISSING)
        chosen: Any
        if was is MISSING and isinstance(mine, dict) and isinstance(theirs, dict):
            # A line both sides added (one person invited on two laptops, or one kept as
            # one by the sync: Syncer._join): merged part by part from a new line's values
            # (a part only one side set, or moved on from "to-invite", is taken), its
            # identity (the invitation's uid) the server's; only parts set differently on
            # the two sides wait for the officer.
            was = {part: LINE_DEFAULTS.get(part) for part in {*mine, *theirs}}
            if LINE_IDENTITY in theirs:
                mine = {**mine, LINE_IDENTITY: theirs[LINE_IDENTITY]}
        if key in HIGHEST and isinstance(mine, int) and isinstance(theirs, int):
            chosen = max(mine, theirs)  # a counter both sides raise: the higher is newer
        elif mine == theirs or theirs == was:
            chosen = mine
        elif mine == was:
            chosen = theirs
        elif isinstance(mine, dict) and isinstance(theirs, dict) and isinstance(was, dict):
            # A guest or speaker line both sides changed: merged part by part, as a
            # record's fields are (a dietary need added here and the guest's answer
            # imported there were one conflict, and either choice lost one of them).
            chosen, parts = _three_way(was, mine, theirs, "")
            if parts:
                # Settled either way, only the parts both changed differ: the line as
                # kept, and as it would be with theirs.
                taken = {**chosen, **{name: there for name, (_, there) in parts.items()}}
                conflicts[prefix + key] = (chosen, taken)
        else:
            # Both sides changed it, differently: the local value stays, the officer decides.
            chosen = mine
            conflicts[prefix + key] = (
                None if mine is MISSING else mine,
                None if theirs is MISSING else theirs,
            )
        if chosen is not MISSING:
            result[key] = chosen
    return result, conflicts


def merge(base: Document | None, local: Document, remote: Document) -> Merged:
    """Local and remote changes since `base` together; where both changed the same field
    (or the same guest line) the local value is kept and the pair is reported."""
    base = base or {"fields": {}, "members": {}}
    values, conflicts = _three_way(
        base.get("fields", {}), local.get("fields", {}), remote.get("fields", {}), ""
    )
    members, member_conflicts = _three_way(
        base.get("members", {}), local.get("members", {}), remote.get("members", {}), "member:"
    )
    conflicts.update(member_conflicts)
    return Merged({"fields": values, "members": members}, conflicts)
