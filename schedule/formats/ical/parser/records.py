"""What an iCalendar file says, as plain data: the reader's result, its errors, the talks' keys."""

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field

from schedule.importing.limits import TALK_EXTERNAL_ID_MAX_LENGTH, excerpt

EXTERNAL_ID_PREFIX = "ics:"


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

    @property
    def external_id(self):
        return talk_external_id(self.uid)

    @property
    def label(self):
        return f'event "{excerpt(self.title)}"'


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

    def tzid_counts(self):
        """How many events start in each TZID, most common first."""
        return Counter(event.tzid for event in self.events if event.tzid).most_common()


def talk_external_id(uid):
    """The talk's key: ``ics:`` and the UID, or a digest of a UID too long for the column."""
    key = f"{EXTERNAL_ID_PREFIX}{uid}"
    if len(key) <= TALK_EXTERNAL_ID_MAX_LENGTH:
        return key
    return f"{EXTERNAL_ID_PREFIX}sha256:{hashlib.sha256(uid.encode()).hexdigest()}"


def clean_name(text):
    """A person's or a place's name on one line, with single spaces."""
    return " ".join(str(text).split()).strip(" \"'")
