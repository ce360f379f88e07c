"""The guest list: finding and inviting people, statuses, roles, the waitlist."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import cast

from tui.domain import validate
from tui.domain.guests import (
    REPLIES,
    RsvpPicture,
    first_waitlisted,
    rsvp_picture,
)
from tui.domain.models import (
    INVITATION_ROLES,
    INVITATION_STATUSES,
    RESPONSE_VIA,
    GuestLine,
    Invitation,
    Organisation,
    Person,
    Session,
    Speaker,
)
from tui.domain.planner.base import (
    _count,
    _names,
    guest_changes,
    split_invite_line,
    split_name_email,
)
from tui.domain.planner.records import Records
from tui.domain.read_ahead import answered_ahead


class Guests(Records):
    """The guest list: finding and inviting people, statuses, roles, the waitlist."""

    @answered_ahead
    def guest_lines(self, event_id: int) -> list[GuestLine]:
        """An event's guest list with names and organisations, by name."""
        return self.store.guest_lines(event_id)

    def rsvp(self, event_id: int, lines: Sequence[GuestLine] | None = None) -> RsvpPicture:
        """Counts per status, the RSVP bar's parts and the capacity of an event."""
        if lines is None:
            lines = self.guest_lines(event_id)
        return rsvp_picture(lines, self.event(event_id).capacity)

    def find_people(self, text: str, limit: int = 30) -> list[Person]:
        """People for a picker: by name as typed (words in any order, last one a prefix)."""
        from tui.domain.search import fts_query  # not needed at start

        email = text.strip() if "@" in text else None
        query = fts_query(text)
        if query is None and email is None:
            return self.people(limit=limit)
        return self.store.people_matching(query, email, limit)

    def add_person(self, text: str) -> Person:
        """A new person from what was typed in a picker: "Name" or "Name <email>"."""
        person = self.typed_record("person", text)
        assert isinstance(person, Person)
        return self.save(person)

    def invite_new_person(
        self, event_id: int, text: str, organisation_id: int | Organisation | None = None
    ) -> Person:
        """Add a person from an invite line and invite them, as one step.

        The line is "Name", "Name <email>" or either followed by ", Organisation" (a name
        or short name; a new one is added). `organisation_id` is used when the line names
        none: an id, or a new organisation typed in a picker (typed_record), added in the
        same step.
        """
        person_text, organisation = split_invite_line(text)
        name, _ = split_name_email(person_text)
        with self.store.transaction(f"Invite {name} (new) to {self.event(event_id).title}"):
            person = self.add_person(person_text)
            assert person.id is not None
            if organisation:
                organisation_id = self._organisation_id(organisation)
            elif isinstance(organisation_id, Organisation):
                organisation_id = self.add_typed(organisation_id)
            if organisation_id is not None:
                self.organisation(organisation_id)
                person = self.save(replace(person, organisation_id=organisation_id))
            self.invite(event_id, [cast(int, person.id)])
        return person

    def invite_with_organisation(
        self, event_id: int, person_id: int, organisation: int | str | Organisation | None
    ) -> Person:
        """Invite someone and, when they have no organisation yet, give them one (an id, a
        name or short name, added when new, or a new organisation typed in a picker:
        typed_record), as one step."""
        person = self.person(person_id)
        with self.store.transaction(f"Invite {person.name} to {self.event(event_id).title}"):
            if person.organisation_id is None and organisation not in (None, ""):
                if isinstance(organisation, Organisation):
                    organisation_id: int | None = self.add_typed(organisation)
                elif isinstance(organisation, str):
                    organisation_id = self._organisation_id(organisation)
                else:
                    organisation_id = self.organisation(organisation).id
                person = self.save(replace(person, organisation_id=organisation_id))
            self.invite(event_id, [person_id])
        return person

    def invite(self, event_id: int, person_ids: Sequence[int]) -> list[Invitation]:
        """Put people on an event's guest list (to invite); lines in the trash come back."""
        event = self.event(event_id)
        added: list[Invitation] = []
        names = [self._person_name(i) for i in person_ids]
        with self.store.transaction(f"Invite {_names(names) or 'nobody'} to {event.title}"):
            for person_id in person_ids:
                self.person(person_id)
                line = self.store.invitation_for(event_id, person_id, include_deleted=True)
                if line is None:
                    added.append(
                        self.store.insert(Invitation(event_id=event_id, person_id=person_id))
                    )
                elif line.deleted_at is not None:
                    fresh = replace(line, status="to-invite", deleted_at=None)
                    added.append(self.store.update(fresh))
        return added

    def speakers_not_invited(self, session: Session) -> list[Speaker]:
        """A session's speakers who are not on its event's guest list (a line in the trash
        counts as not there)."""
        once = {speaker.person_id: speaker for speaker in reversed(session.speakers)}
        return [
            speaker
            for speaker in reversed(once.values())
            if self.store.invitation_for(session.event_id, speaker.person_id) is None
        ]

    def invite_speakers(
        self, event_id: int, person_ids: Sequence[int], *, joining: int | None = None
    ) -> list[Invitation]:
        """Put people on the guest list with the role speaker (to invite), as one step, or
        as part of the step `joining` (`step_just_made`: the save of their session) while
        no other change came after it."""
        event = self.event(event_id)
        label = f"Add {_count(len(person_ids), 'speaker')} to the guest list of {event.title}"
        with self.store.transaction(label, joining=joining):
            self.invite(event_id, person_ids)
            lines = [self.store.invitation_for(event_id, p) for p in person_ids]
            invited = [line for line in lines if line is not None]
            for line in invited:
                if line.role != "speaker":
                    self.store.update(replace(line, role="speaker"))
            return [self.store.get(Invitation, cast(int, line.id)) for line in invited]

    def set_guest_status(
        self,
        invitation_ids: Sequence[int],
        status: str,
        *,
        via: str | None = None,
        on: date | None = None,
    ) -> int:
        """Change the status of guest-list lines in one step; returns how many changed.

        A reply (accepted, declined, tentative, waitlisted) stamps the day it came (today
        unless `on`) and how (`via`, cleared when not known); "invited" stamps the day sent.
        """
        status = validate.choice(status, "status", INVITATION_STATUSES) or "to-invite"
        via = validate.choice(via, "reply by", RESPONSE_VIA)
        day = on or self.today()

        def change(line: Invitation) -> Invitation:
            updated = replace(line, status=status)
            if status in REPLIES and (line.status != status or via or on):
                # Marked by hand: the time of a mailed answer no longer says when this came.
                updated = replace(updated, responded_on=day, response_via=via, responded_at=None)
            elif status == "invited" and (line.status != status or on):
                updated = replace(updated, invited_on=day)
            return updated

        return self._change_lines(invitation_ids, f"Mark {{n}} {status}", change)

    def set_reply_via(self, invitation_ids: Sequence[int], via: str) -> int:
        """Record how the replies came (the day stays, or becomes today when unknown)."""
        checked = validate.choice(via, "reply by", RESPONSE_VIA)
        today = self.today()
        return self._change_lines(
            invitation_ids,
            f"Replies of {{n}} by {checked}",
            lambda line: replace(
                line, response_via=checked, responded_on=line.responded_on or today
            ),
        )

    def set_guest_role(self, invitation_ids: Sequence[int], role: str) -> int:
        """Change the role of guest-list lines in one step; returns how many changed."""
        role = validate.choice(role, "role", INVITATION_ROLES) or "participant"
        return self._change_lines(
            invitation_ids, f"Make {{n}} {role}", lambda line: replace(line, role=role)
        )

    def _change_lines(
        self,
        invitation_ids: Sequence[int],
        label: str,
        change: Callable[[Invitation], Invitation],
    ) -> int:
        """Apply `change` to each line in one undo step; returns how many lines changed."""
        lines = [self.store.get(Invitation, i) for i in invitation_ids]
        # The step names the lines it changes, not those asked for: undoing "Mark 4 guests
        # tentative" after "3 guests now tentative (1 already were)" read as 4.
        updates = [(line, updated) for line in lines if (updated := change(line)) != line]
        if not updates:
            return 0
        names = [self._person_name(line.person_id) for line, _ in updates]
        if len(updates) == 1 and (words := guest_changes(*updates[0])):
            # One guest: say who and what changed ("Ada Okafor: invited -> accepted").
            step = f"{names[0]}: {', '.join(words)}"
        else:
            step = f"{label.format(n=_count(len(updates), 'guest'))}: {_names(names)}"
        with self.store.transaction(step):
            for _, updated in updates:
                self.store.update(updated)
        return len(updates)

    def remove_guests(self, invitation_ids: Sequence[int]) -> int:
        """Move guest-list lines to the trash in one step; returns how many."""
        lines = [self.store.get(Invitation, i) for i in invitation_ids]
        names = _names([self._person_name(line.person_id) for line in lines])
        where = self._event_title(lines[0].event_id) if lines else ""
        with self.store.transaction(f"Remove {names} from the guest list of {where}"):
            for invitation_id in invitation_ids:
                self.store.get(Invitation, invitation_id)
                self.store.set_deleted(Invitation, invitation_id, True)
        return len(invitation_ids)

    def promote_from_waitlist(self, event_id: int) -> GuestLine | None:
        """Accept the guest longest on the waitlist; None when nobody is waiting."""
        line = first_waitlisted(self.guest_lines(event_id))
        if line is None:
            return None
        with self.store.transaction(f"Promote {line.name} from the waitlist"):
            self.set_guest_status([line.id], "accepted")
        return line
