"""What an iCalendar file says, as plain data: the reader's result, its errors, the talks' keys."""

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field

from schedule.importing.limits import TALK_EXTERNAL_ID_MAX_LENGTH, excerpt

EXTERNAL_ID_PREFIX = "ics:"
# Between the UID and the occurrence's time in a talk's key: "uid@host#20240301T090000Z".
OCCURRENCE_SEPARATOR = "#"


class IcsTimeError(ValueError):
    """An event's times cannot make a talk; ``line`` is where to look."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class IcsSpeaker:
    name: str
    # Where the name was read; not part of the speaker's identity.
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, kw_only=True)
class IcsEvent:
    uid: str
    line: int  # the BEGIN:VEVENT line
    title: str
    start: datetime.datetime  # aware, or naive for a floating time
    end: datetime.datetime | None
    duration: datetime.timedelta | None
    tzid: str  # DTSTART's TZID, "" for UTC and floating times
    location: str
    speakers: tuple[IcsSpeaker, ...]
    description: str
    url: str
    is_cancelled: bool
    # Talk field name -> the line it was read from, to point model errors at.
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)
    # Which occurrence of its UID the event is: the RECURRENCE-ID of an occurrence of a
    # recurring event, the start of an event repeating another's UID; None when it is alone.
    occurrence: datetime.date | datetime.datetime | None = None
    # No SUMMARY: the title is the UID, and a re-import keeps an organiser's title.
    title_from_uid: bool = False

    @property
    def key(self):
        """What identifies the talk across imports: the UID, and the occurrence's time."""
        if self.occurrence is None:
            return self.uid
        return f"{self.uid}{OCCURRENCE_SEPARATOR}{occurrence_text(self.occurrence)}"

    @property
    def external_id(self):
        return talk_external_id(self.key)

    @property
    def label(self):
        if self.occurrence is None:
            return f'event "{excerpt(self.title)}"'
        return f'event "{excerpt(self.title)}" of {occurrence_text(self.occurrence, readable=True)}'


@dataclass(frozen=True, kw_only=True)
class IcsCalendar:
    name: str  # X-WR-CALNAME, NAME or X-WR-CALDESC
    time_zone: str  # X-WR-TIMEZONE, "" when absent
    events: tuple[IcsEvent, ...]  # the events without errors
    skipped: int  # all-day events, which are not talks
    # (line, message) of the events that cannot be read, left out of ``events``.
    errors: tuple[tuple[int, str], ...]
    warnings: tuple[str, ...]
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)
    # A one-line summary -> the warnings of one kind (also in ``warnings``) it stands for.
    grouped_warnings: dict[str, list[str]] = field(default_factory=dict, compare=False)

    def tzid_counts(self):
        """How many events start in each TZID, most common first."""
        return Counter(event.tzid for event in self.events if event.tzid).most_common()


def occurrence_text(value, *, readable=False):
    """An occurrence's time as a key spells it (RFC 5545's form, UTC when it has a zone).

    ``readable``: as a message says it, in the file's own clock ("2024-03-08 09:00").
    """
    if not isinstance(value, datetime.datetime):
        return value.isoformat() if readable else value.strftime("%Y%m%d")
    if readable:
        # A zone only a VTIMEZONE defines may have no abbreviation for the time.
        zone = value.tzname() if value.tzinfo else None
        return f"{value:%Y-%m-%d %H:%M}" + (f" {zone}" if zone else "")
    if value.tzinfo is None:
        return value.strftime("%Y%m%dT%H%M%S")
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def talk_external_id(key):
    """The talk's external id: ``ics:`` and its key (the UID, for an event alone), or a
    digest of a key too long for the column."""
    external_id = f"{EXTERNAL_ID_PREFIX}{key}"
    if len(external_id) <= TALK_EXTERNAL_ID_MAX_LENGTH:
        return external_id
    return f"{EXTERNAL_ID_PREFIX}sha256:{hashlib.sha256(key.encode()).hexdigest()}"


def clean_name(text):
    """A person's or a place's name on one line, with single spaces."""
    return " ".join(str(text).split()).strip(" \"'")
