"""Event and publication pages as copied from the foundation's website (text -> Page).

The copied text loses the page's layout: headings and titles run into each other
("...Dinner and WorkshopFebruary 8, 2024", "Program OfficerMass Violence and
Atrocities"). This parser reads the parts by what they look like, never with dateutil's
fuzzy mode (which reads "February 4-6, 2020" as 2006-02-04 20:20).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from tui.domain.dates import MONTHS, parse_date_range, parse_month
from tui.domain.errors import InvalidInput

HEADINGS = ("Related Events", "Related Publications", "Partners", "Contacts", "Contact")
NAVIGATION = {
    "view all",
    "view all events",
    "view all publications",
    "share",
    "back",
    "read more",
    "download",
    "download pdf",
    "print",
    "related",
    "see all",
    "more",
    "facebook",
    "twitter",
    "linkedin",
    "email",
    "x",
    "share this",
    "share this page",
    "share this event",
    "copy link",
    "print this page",
    "add to calendar",
    "register",
    "register now",
    "learn more",
    "see more",
    "load more",
    "back to top",
    "previous",
    "next",
}
ACCESS_WORDS = {
    "invitation only": "invitation-only",
    "invitation-only": "invitation-only",
    "by invitation only": "invitation-only",
    "closed": "closed",
    "closed meeting": "closed",
    "public": "public",
    "public event": "public",
    "open to the public": "public",
    "free and open to the public": "public",
    "invite only": "invitation-only",
    "invite-only": "invitation-only",
    "private": "closed",
    "closed event": "closed",
    "closed-door": "closed",
    "closed door": "closed",
}
KNOWN_PROGRAMS = (
    "Mass Violence and Atrocities",
    "Climate Change",
    "Nuclear Weapons",
    "Nuclear Weapons Policy",
    "Avoiding Armed Conflict",
    "Governance",
    "Peace and Security",
)
# Job titles of staff contacts: the line under a contact's name starts with one.
_ROLE = re.compile(
    r"^(?:(?:Senior|Associate|Assistant|Deputy|Executive|Chief|Lead|Principal|Interim|Acting|Vice)\s+)*"
    r"(?:Program Officer|Program Associate|Program Director|Program Manager|Program Coordinator|"
    r"Program Assistant|Director|President|Vice President|Manager|Coordinator|Officer|Fellow|"
    r"Specialist|Researcher|Associate|Advisor|Adviser|Analyst|Editor|Consultant|Chair|Head)"
    # Not followed by a lower-case letter: "Program OfficerMass Violence" is glued, still a role.
    r"(?![a-z])"
)
# A job title that does not start with a known word ("Communications Officer", "Senior
# Director, Programs"): it ends with one, possibly glued to the program area after it.
_ROLE_LOOSE = re.compile(
    r"^[A-Z][\w ,&/-]{0,40}?\b(?:Officer|Director|Manager|Coordinator|Associate|Assistant|Fellow|"
    r"Specialist|Advisor|Adviser|President|Analyst|Editor|Consultant|Chair|Head|Lead|Researcher|"
    r"Strategist|Liaison)(?![a-z])"
)


def _is_role(line: str) -> bool:
    return bool(_ROLE.match(line) or _ROLE_LOOSE.match(line))


_NAME = re.compile(r"^[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){1,4}$")
_MONTH_WORD = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DASH = r"\s*[-\u2010-\u2015]\s*"
# A date or a range as pages write them, found anywhere (titles are glued to them).
_DATE_ANYWHERE = re.compile(
    rf"(?:{_MONTH_WORD}\s+\d{{1,2}},?\s+\d{{4}}{_DASH}{_MONTH_WORD}\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|{_MONTH_WORD}\s+\d{{1,2}}{_DASH}{_MONTH_WORD}\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|{_MONTH_WORD}\s+\d{{1,2}}{_DASH}\d{{1,2}},?\s+\d{{4}}"
    rf"|{_MONTH_WORD}\s+\d{{1,2}},?\s+\d{{4}})",
    re.IGNORECASE,
)
# Something shaped like a date whose month is misspelt or whose day does not exist.
_DATE_SHAPED = re.compile(r"(?<![A-Za-z])([A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:[-–]\d{1,2})?,\s+\d{4})")
_MONTH_YEAR = re.compile(
    rf"^(?:(?P<author>.+?)\s*\|\s*)?(?P<when>{_MONTH_WORD}\s+\d{{4}})$", re.IGNORECASE
)
_ACRONYM_MENTION = re.compile(
    r"\b((?:the\s+)?(?:[A-Z][\w’'&.-]*)(?:\s+(?:[A-Z][\w’'&.-]*|of|for|and|on|in|the|Against|&))*)"
    r"\s+\(([A-Z][A-Za-z0-9&.\-]{1,15})\)"
)
# A bullet in front of a heading, a partner, a contact or a related item.
_BULLET = re.compile(r"^(?:[-•*–—·▪►]\s+|[•·▪►]\s*)+")
_KINDS = (
    ("roundtable", "roundtable"),
    ("round table", "roundtable"),
    ("workshop", "workshop"),
    ("conference", "conference"),
    ("dinner", "dinner"),
    ("retreat", "retreat"),
    ("launch", "launch"),
    ("webinar", "webinar"),
    ("meeting", "meeting"),
    ("dialogue", "meeting"),
    ("salon", "dinner"),
    # Words a title uses for the same kinds, checked after the kind names themselves.
    ("symposium", "conference"),
    ("summit", "conference"),
    ("forum", "conference"),
    ("seminar", "workshop"),
    ("training", "workshop"),
    ("consultation", "meeting"),
    ("convening", "meeting"),
    ("briefing", "meeting"),
    ("luncheon", "dinner"),
    ("reception", "dinner"),
)


class NotAPage(InvalidInput):
    """A text that is no event or publication page at all (a README, notes): a folder's
    import passes it over; named by itself, it is refused."""


@dataclass
class Contact:
    """A staff contact as a page lists it."""

    name: str
    role: str | None = None
    program_area: str | None = None


@dataclass
class RelatedEvent:
    """An event a page links to: title and dates only."""

    title: str
    start_date: date
    end_date: date


@dataclass
class RelatedPublication:
    """A publication a page links to: title and program area only."""

    title: str
    program_area: str | None = None


@dataclass
class Page:
    """What one event or publication page says."""

    kind: str
    """"event" or "publication"."""
    title: str
    start_date: date | None = None
    end_date: date | None = None
    location: str | None = None
    program_area: str | None = None
    access: str | None = None
    description: str | None = None
    event_kind: str = "other"
    publication_type: str | None = None
    published: str | None = None
    author: str | None = None
    contacts: list[Contact] = field(default_factory=list)
    partners: list[tuple[str, str | None]] = field(default_factory=list)
    """(name, short name) of each partner organisation."""
    related_events: list[RelatedEvent] = field(default_factory=list)
    related_publications: list[RelatedPublication] = field(default_factory=list)
    mentioned: list[tuple[str, str | None]] = field(default_factory=list)
    """Organisations the text names with an acronym ("Peace in Our Cities (PiOC)"): not partners."""
    skipped: list[str] = field(default_factory=list)
    """Parts that could not be read (only kept with partial=True)."""


def normalise(text: str) -> str:
    """Unicode NFC, non-breaking and odd spaces as spaces, "ºC" as "°C", trailing spaces gone."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"[\u00a0\u2007\u202f\u2009\u200a]", " ", text)
    text = re.sub(r"º(?=\s?[CF]\b)", "°", text)
    text = text.replace("\u200b", "").replace("\ufeff", "")
    return "\n".join(line.strip() for line in text.split("\n"))


def _split_glued_headings(lines: list[str]) -> list[tuple[int, str]]:
    """Put each section heading on its own line ("...ImplementationRelated Publications").

    A title may end in a capital ("...Washington, DCRelated Publications") or a digit; a
    heading may also run into what follows it ("PartnersImpact:Peace").
    """
    result: list[tuple[int, str]] = []
    glued = (*HEADINGS, "View All")
    alternatives = "|".join(re.escape(h) for h in glued)
    before = re.compile(r"^(.*?\S)(" + alternatives + r")$")
    after = re.compile(r"^(" + alternatives + r")(?=[A-Z0-9“\"‘'])(.+)$")
    for number, line in enumerate(lines, start=1):
        unbulleted = _BULLET.sub("", line)
        if unbulleted != line and _is_heading(unbulleted):
            line = unbulleted  # "- Related Events" is the heading itself
        match = before.match(line)
        if match and not line.lower().startswith(("related", "partners", "contact")):
            result.append((number, match[1]))
            result.append((number, match[2]))
            continue
        match = after.match(line)
        if match:
            result.append((number, match[1]))
            result.append((number, match[2].strip()))
            continue
        result.append((number, line))
    return result


# Sections of a page that hold none of what Convener keeps: their lines are skipped.
OTHER_SECTIONS = {
    "related resources",
    "related content",
    "related news",
    "related articles",
    "related multimedia",
    "related videos",
    "related podcasts",
    "related programs",
    "resources",
    "downloads",
    "media coverage",
    "in the news",
}
# Headings in the text above whose lines are people who speak, not staff contacts.
SPEAKER_HEADINGS = {
    "speakers",
    "featured speakers",
    "panelists",
    "panellists",
    "moderator",
    "moderators",
    "participants",
    "presenters",
}
_HEADING_ALIASES = {
    "partner": "Partners",
    "partner organizations": "Partners",
    "partner organisations": "Partners",
    "in partnership with": "Partners",
    "related event": "Related Events",
    "related publication": "Related Publications",
    "staff contact": "Contact",
    "staff contacts": "Contact",
}


def _is_heading(line: str) -> str | None:
    folded = line.strip().rstrip(":").casefold()
    if folded in _HEADING_ALIASES:
        return _HEADING_ALIASES[folded]
    if folded in OTHER_SECTIONS:
        return "Other"
    for heading in HEADINGS:
        if folded == heading.casefold():
            return "Contact" if heading == "Contacts" else heading
    return None


def _split_role(line: str, programs: list[str]) -> tuple[str, str | None]:
    """'Program OfficerMass Violence and Atrocities' -> ('Program Officer', 'Mass Violence ...')."""
    for program in programs:
        if line.endswith(program) and len(line) > len(program):
            role = line[: -len(program)].rstrip(" ,|–-")
            if role:
                return role, program
    glued = re.search(r"(?<=[a-z)])(?=[A-Z])", line)
    if glued:
        return line[: glued.start()].strip(), line[glued.start() :].strip()
    if " | " in line:
        role, program = line.split(" | ", 1)
        return role.strip(), program.strip()
    return line.strip(), None


def kind_of(title: str) -> str:
    """The kind of event a title names ("...Roundtable" -> roundtable), else "other"."""
    lowered = title.casefold()
    for word, kind in _KINDS:
        if word in lowered:
            return kind
    return "other"


_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_BREADCRUMB = re.compile(r"\s(?:>|›|»|→|/|\\)\s|^(?:Home|Events?|Publications?)\s*(?:>|›|»|/)")
_PREAMBLE_WORDS = {
    "home",
    "events",
    "event",
    "upcoming events",
    "past events",
    "publications",
    "publication",
    "news",
    "our work",
    "skip to content",
    "skip to main content",
    "menu",
    "search",
    "back to events",
    "back to all events",
    "← back",
    "< back",
}


def _is_preamble(line: str) -> bool:
    """A URL, a breadcrumb or a navigation word copied above the page's own text."""
    folded = line.casefold().strip(" :")
    return bool(
        _URL.match(line)
        or folded in _PREAMBLE_WORDS
        or folded in NAVIGATION
        or (_BREADCRUMB.search(line) and not _DATE_ANYWHERE.search(line))
    )


def _skip_preamble(content: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop lines above the date line (a URL, a breadcrumb), and bullets before header parts."""
    start = 0
    while start < len(content) - 1 and start < 8 and _is_preamble(content[start][1]):
        start += 1
    # A header a few lines down with only short lines above it: those lines are preamble too.
    for candidate in range(start, min(start + 4, len(content))):
        line = _BULLET.sub("", content[candidate][1])
        dated = _date_part(line)
        if _DATE_ANYWHERE.match(dated) and (
            _header(_pipes(line)) is not None or _DATE_ANYWHERE.fullmatch(dated.rstrip("."))
        ):
            above = content[start:candidate]
            after = content[candidate + 1][1] if candidate + 1 < len(content) else ""
            if (
                len(above) == 1
                and not _DATE_ANYWHERE.search(above[0][1])
                and (after.casefold().rstrip(".") in ACCESS_WORDS or len(after) > 100)
            ):
                # "Title" above "DATE | Place | Program", then the access or the text: the
                # title came first. Put it back under the header.
                header_line = content[candidate]
                content = [*content[:start], header_line, above[0], *content[candidate + 1 :]]
                break
            if all(len(text) <= 80 and not text.endswith(".") for _, text in above):
                start = candidate
            break
    number, first = content[start]
    first = _pipes(_BULLET.sub("", first))
    if "|" not in first and _DATE_ANYWHERE.fullmatch(_date_part(first).rstrip(".")):
        first = _date_part(first)  # "Wednesday, June 12, 2024" on a line of its own
    return [(number, first), *content[start + 1 :]]


def _pipes(line: str) -> str:
    """A header written with bullets or dots between its parts, as with bars."""
    if _DATE_ANYWHERE.match(_WEEKDAY.sub("", line)):
        return re.sub(r"\s+[•·▪|]\s+|\s*\|\s*", " | ", line)
    return line


def _looks_like_place(line: str) -> bool:
    parts = [part.strip() for part in line.split(",")]
    return (
        1 <= line.count(",") <= 3
        and len(line) <= 60
        and all(part and len(part) <= 30 and part[0].isupper() for part in parts)
        and kind_of(line) == "other"
    ) or line.casefold() in {"online", "virtual", "hybrid", "webinar", "zoom"}


def _loose_header_parts(content: list[tuple[int, str]]) -> tuple[list[str], int]:
    """Place and program area on their own lines under a bare date line (before the title).

    Returns the parts and how many lines they took.
    """
    parts: list[str] = []
    used = 0
    for _, line in content[1:3]:
        text = _BULLET.sub("", line)
        if " | " in text and all(p.strip() for p in text.split("|")):
            parts.extend(p.strip() for p in text.split("|"))
        elif text in KNOWN_PROGRAMS or (not parts and _looks_like_place(text)):
            parts.append(text)
        else:
            break
        used += 1
    # The title is the line after these; never take it as a place.
    if used and len(content) <= 1 + used:
        used -= 1
        parts = parts[:-1]
    return parts, used


_WEEKDAY = re.compile(
    r"^(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+", re.IGNORECASE
)
_TIME_TEXT = re.compile(
    r"^(?:from\s+|at\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*(?:[-\u2010-\u2015]|to|until)\s*\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?)?"
    r"(?:\s+[A-Z]{2,5}|\s+\([A-Za-z /_+-]+\))?$",
    re.IGNORECASE,
)


_GLUED_ACCESS = re.compile(
    r"^(.*[a-z0-9)’'])((?:By )?Invitation[ -]Only|Invite[ -]Only|Open to the Public|Public|"
    r"Closed)$"
)


def _date_part(part: str) -> str:
    """A header's date as the parser reads it: 'Wednesday, June 12, 2024, 9:00 a.m.' ->
    'June 12, 2024' (the weekday and a time after the date are not part of it)."""
    text = _WEEKDAY.sub("", part.strip())
    match = _DATE_ANYWHERE.match(text)
    if match and match.end() < len(text):
        rest = text[match.end() :].strip(" ,;–-")
        if _TIME_TEXT.match(rest):
            return match[0]
    return text


def _is_time_text(part: str) -> bool:
    """'9:00 a.m.–5:00 p.m.', '10am-2pm EST': a header part that is a time, not a place."""
    return bool(re.search(r"\d", part)) and bool(_TIME_TEXT.match(part.strip()))


def _header(line: str) -> tuple[str, list[str]] | None:
    """('event', parts) for 'DATE | ...', ('publication', parts) for 'PROGRAM | TYPE'."""
    if "|" not in line:
        return None
    parts = [p.strip() for p in line.split("|")]
    if not all(parts) or len(parts) > 5:
        return None
    first = _date_part(parts[0])
    if _DATE_ANYWHERE.fullmatch(first) or _DATE_SHAPED.fullmatch(first):
        return "event", [first, *(p for p in parts[1:] if not _is_time_text(p))]
    if len(parts) > 4:
        return None
    if len(parts) == 2 and _MONTH_YEAR.match(line):
        return None  # "Author | June 2024" is a publication's byline, not its header
    return "publication", parts


def parse_page(text: str, *, partial: bool = False, today: date | None = None) -> Page:
    """Read an event or publication page; InvalidInput (with a line) for what cannot be read.

    Args:
        partial: skip related items whose date cannot be read (listed in `Page.skipped`)
            instead of refusing the whole page.
    """
    if "<html" in text[:2000].lower() or "<!doctype" in text[:2000].lower():
        raise InvalidInput("is an HTML file, not page text (copy the page's text from the browser)")
    lines = _split_glued_headings(normalise(text).split("\n"))
    content = [(n, line) for n, line in lines if line]
    if not content:
        raise InvalidInput("is empty; expected the text of an event or publication page")
    content = _skip_preamble(content)
    first_number, first = content[0]
    if first.count(",") >= 3 and len(content) > 1 and content[1][1].count(",") == first.count(","):
        raise InvalidInput(
            "looks like CSV, not page text (a guest list is imported with its event)", line=1
        )

    header = _header(first)
    if header is None and _DATE_ANYWHERE.fullmatch(first.rstrip(".")):
        # The date on a line of its own; place and program area may follow on theirs.
        parts, used = _loose_header_parts(content)
        header = ("event", [first.rstrip("."), *parts])
        content = [content[0], *content[1 + used :]]
    index = 0
    page_kind = "event"
    start = end = None
    location = program = publication_type = None
    if header:
        page_kind, parts = header
        index = 1
        if page_kind == "event":
            try:
                start, end = parse_date_range(parts[0])
            except InvalidInput as error:
                raise InvalidInput(
                    f"the date {parts[0]!r} cannot be read: {error.message}", line=first_number
                ) from None
            rest = parts[1:]
            if len(rest) >= 2:
                location, program = rest[0], rest[-1]
            elif len(rest) == 1:
                if rest[0] not in KNOWN_PROGRAMS and ("," in rest[0] or _looks_like_place(rest[0])):
                    location = rest[0]
                else:
                    program = rest[0]
        else:
            program = parts[0]
            publication_type = parts[1] if len(parts) > 1 else None
    elif first in KNOWN_PROGRAMS and len(content) > 1:
        page_kind, program, index = "publication", first, 1
    if index >= len(content):
        raise InvalidInput("has a header but no title", line=first_number)
    title_number, title = content[index]
    index += 1
    if _is_heading(title) or _DATE_ANYWHERE.fullmatch(title):
        raise InvalidInput("has no title where one was expected", line=title_number)
    glued_access = _GLUED_ACCESS.match(title)
    if glued_access:
        # "...Roundtable​Invitation Only": the access line ran into the title.
        title = glued_access[1]
        content.insert(index, (title_number, glued_access[2]))

    page = Page(
        kind=page_kind,
        title=title,
        start_date=start,
        end_date=end,
        location=location,
        program_area=program,
        publication_type=publication_type,
    )
    programs = [p for p in (program, *KNOWN_PROGRAMS) if p]

    # Access and publication byline come right after the title.
    while index < len(content):
        number, line = content[index]
        access = ACCESS_WORDS.get(line.casefold().rstrip("."))
        byline = _MONTH_YEAR.match(line)
        if access and page.access is None:
            page.access = access
        elif byline and page.published is None:
            page.kind = "publication"
            try:
                page.published = parse_month(byline["when"])
            except InvalidInput as error:
                raise InvalidInput(error.message, line=number) from None
            page.author = byline["author"]
        else:
            break
        index += 1

    # Body: paragraphs and bullets until a heading or a staff contact block.
    body: list[str] = []
    position = index
    speakers = False
    while position < len(content):
        line = content[position][1]
        if _is_heading(line):
            break
        if line.casefold() in NAVIGATION:
            position += 1  # "Share", "Facebook" above or below the text: not the text
            continue
        if line.strip().rstrip(":").casefold() in SPEAKER_HEADINGS:
            speakers = True  # names and titles under it are speakers, kept in the text
        following = content[position + 1][1] if position + 1 < len(content) else ""
        if _NAME.match(line) and _is_role(following) and not speakers:
            break
        body.append(line)
        position += 1
    page.description = _markdown(body) or None

    section = "Contact"
    while position < len(content):
        line = content[position][1]
        heading = _is_heading(line)
        if heading:
            section = heading
            position += 1
            continue
        if line.casefold() in NAVIGATION:
            position += 1
            continue
        block = []
        while position < len(content) and not _is_heading(content[position][1]):
            number, text = content[position]
            text = _BULLET.sub("", text).strip()
            if text and text.casefold() not in NAVIGATION:
                block.append((number, text))
            position += 1
        if section == "Contact":
            page.contacts.extend(_contacts(block, programs))
        elif section == "Partners":
            page.partners.extend(
                _org_name(line)
                for _, line in block
                if not _URL.match(line) and len(line) <= 120 and not line.endswith(".")
            )
        elif section == "Related Events":
            page.related_events.extend(_related_events(block, page, partial))
        elif section == "Related Publications":
            page.related_publications.extend(_related_publications(block, programs))

    # Organisations the prose names are kept apart: only the Partners section makes partners.
    if page.description:
        page.mentioned = [
            found
            for found in _mentioned_organisations(page.description)
            if found[0] not in {name for name, _ in page.partners}
        ]
    event_signs = page.access or page.contacts or page.related_events or page.related_publications
    if page.kind == "event" and page.start_date is None and not event_signs:
        raise NotAPage(
            "is not an event or publication page (it starts like "
            "'June 12, 2024 | Place | Program' or 'Program | Type')",
            line=first_number,
        )
    if page.kind == "event":
        if page.start_date is None:
            raise InvalidInput(
                "no date found: an event page starts like 'June 12, 2024 | Place | Program'",
                line=first_number,
            )
        page.event_kind = kind_of(page.title)
    elif not (page.published or page.program_area or page.publication_type):
        raise NotAPage(
            "is not an event or publication page (it starts like "
            "'June 12, 2024 | Place | Program' or 'Program | Type')",
            line=first_number,
        )
    return page


def _markdown(lines: list[str]) -> str:
    """Paragraphs separated by blank lines; consecutive bullets kept together."""
    blocks: list[str] = []
    for line in lines:
        bullet = re.match(r"^[-•*–]\s+(.*)", line)
        if bullet:
            item = f"- {bullet[1]}"
            if blocks and blocks[-1].startswith("- "):
                blocks[-1] += "\n" + item
            else:
                blocks.append(item)
        else:
            blocks.append(line)
    return "\n\n".join(blocks)


def _contacts(block: list[tuple[int, str]], programs: list[str]) -> list[Contact]:
    contacts: list[Contact] = []
    lines = [line for _, line in block]
    i = 0
    while i < len(lines):
        name = lines[i]
        if i + 1 < len(lines) and _is_role(lines[i + 1]) and not _is_role(name):
            role, program = _split_role(lines[i + 1], programs)
            if program is None and i + 2 < len(lines) and lines[i + 2] in programs:
                program = lines[i + 2]
                i += 1
            contacts.append(Contact(name=name, role=role, program_area=program))
            i += 2
        elif _NAME.match(name):
            contacts.append(Contact(name=name))
            i += 1
        else:
            i += 1
    return contacts


def _related_events(block: list[tuple[int, str]], page: Page, partial: bool) -> list[RelatedEvent]:
    joined = "\n".join(line for _, line in block)
    starts = {}
    offset = 0
    for number, line in block:
        starts[offset] = number
        offset += len(line) + 1

    def line_of(position: int) -> int:
        return max(
            (n for o, n in starts.items() if o <= position), default=block[0][0] if block else 0
        )

    for bad in _DATE_SHAPED.finditer(joined):
        if not _DATE_ANYWHERE.fullmatch(bad[1]):
            message = f"the related event date {bad[1]!r} cannot be read"
            if not partial:
                raise InvalidInput(message, line=line_of(bad.start()))
            page.skipped.append(f"line {line_of(bad.start())}: {message}")
    found: list[RelatedEvent] = []
    matches = list(_DATE_ANYWHERE.finditer(joined))
    # Pages list a related event as its date then its title; some put the title first
    # (text before the first date, nothing after the last one).
    title_first = bool(
        matches and joined[: matches[0].start()].strip() and not joined[matches[-1].end() :].strip()
    )
    for i, match in enumerate(matches):
        if title_first:
            title_start = matches[i - 1].end() if i else 0
            title = " ".join(joined[title_start : match.start()].split())
        else:
            title_end = matches[i + 1].start() if i + 1 < len(matches) else len(joined)
            title = " ".join(joined[match.end() : title_end].split())
        title = _strip_bad_dates(title)
        try:
            start, end = parse_date_range(match[0])
        except InvalidInput as error:
            if not partial:
                raise InvalidInput(
                    f"the related event date {match[0]!r}: {error.message}",
                    line=line_of(match.start()),
                ) from None
            page.skipped.append(f"line {line_of(match.start())}: {match[0]!r} ({error.message})")
            continue
        if title:
            found.append(RelatedEvent(title=title, start_date=start, end_date=end))
    return found


def _strip_bad_dates(title: str) -> str:
    match = _DATE_SHAPED.search(title)
    if match and match.end() == len(title):
        return title[: match.start()].strip()
    return title


def _related_publications(
    block: list[tuple[int, str]], programs: list[str]
) -> list[RelatedPublication]:
    lines = [line for _, line in block]
    if not lines:
        return []
    labels = [p for p in programs if p]
    joined = "\n".join(lines)
    # Each card of the listing is its program label then its title. An unknown first line
    # is a label only when it comes back ("...TitleGlobal Governance"); else the listing
    # has no labels and each line is a title.
    if lines[0] not in labels and joined.count(lines[0]) > 1:
        labels.insert(0, lines[0])
    if not any(label in joined for label in labels):
        return [RelatedPublication(title=" ".join(line.split())) for line in lines]
    # A program label stands on its own line, or glued to the end of the title before it:
    # either way a line break (or the end) follows it, which keeps titles whole.
    alternatives = "|".join(
        re.escape(label) for label in sorted(set(labels), key=len, reverse=True)
    )
    pattern = re.compile(f"({alternatives})(?=\n|$)")
    pieces = pattern.split(joined)
    found: list[RelatedPublication] = []
    current: str | None = None
    for piece in pieces:
        if not piece.strip():
            continue
        if piece in labels:
            current = piece
            continue
        title = " ".join(piece.split())
        if title:
            found.append(RelatedPublication(title=title, program_area=current))
    return found


def _org_name(line: str) -> tuple[str, str | None]:
    """'Global Initiative ... (GI-TOC)' -> (name, short name); a bare name has none."""
    name = line.strip().rstrip(",;")
    match = re.fullmatch(r"(.+?)\s+\(([A-Z][A-Za-z0-9&.:\-]{1,15})\)", name)
    if match:
        return match[1].strip(), match[2]
    return name, None


def _mentioned_organisations(description: str) -> list[tuple[str, str | None]]:
    """Organisations the text introduces with an acronym: 'Peace in Our Cities (PiOC)'."""
    found: list[tuple[str, str | None]] = []
    for match in _ACRONYM_MENTION.finditer(description):
        name = re.sub(r"^the\s+", "", match[1].strip(), flags=re.IGNORECASE)
        # Leading words of the sentence ("Currently, Peace in ...") are not part of a name.
        name = re.split(r"(?:,|\.)\s+", name)[-1]
        name = re.sub(r"^(?:and|with|by|from|of|to|in|at)\s+(?:the\s+)?", "", name)
        if len(name.split()) >= 2 and (name, match[2]) not in found:
            found.append((name, match[2]))
    return found
