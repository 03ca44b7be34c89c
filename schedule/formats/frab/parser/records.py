"""What a frab schedule says, as plain data: the parser's result, and its error."""

import datetime
import uuid
import zoneinfo
from dataclasses import dataclass, field

from schedule.formats.frab.parser.values import talk_label


@dataclass(frozen=True, kw_only=True)
class FrabPerson:
    name: str
    guid: uuid.UUID | None
    person_id: str  # "" when the file gives none
    biography: str = ""
    line: int = field(default=0, compare=False)
    # The line of the <persons> entry the biography is read from, if any.
    biography_line: int | None = field(default=None, compare=False)

    @property
    def field_lines(self):
        """Speaker field name -> the line it was read from."""
        return {"bio": self.biography_line} if self.biography_line else {}


@dataclass(frozen=True, kw_only=True)
class FrabRoom:
    name: str
    slug: str  # as the file suggests it, "" when it gives none
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, kw_only=True)
class FrabTrack:
    name: str
    slug: str
    colour: str  # "#rrggbb" in lower case, "" when the file gives none
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, kw_only=True)
class FrabDay:
    index: int | None
    date: datetime.date | None
    start: datetime.datetime | None
    end: datetime.datetime | None
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, kw_only=True)
class FrabTalk:
    # The talk's UUID: its guid, or one derived from a guid that is not a UUID.
    guid: uuid.UUID | None
    frab_id: str
    title: str
    subtitle: str
    type_name: str
    kind: str
    abstract: str
    language: str  # "" when the file gives none
    do_not_record: bool
    track: str  # "" for none
    room: str
    slug: str  # as the file suggests it
    source_url: str
    # ``<date>``: aware as real files write it, naive if the file leaves out the offset.
    date: datetime.datetime | None
    clock: datetime.time | None  # ``<start>``, the venue's wall clock
    duration: datetime.timedelta
    day: FrabDay
    persons: tuple[FrabPerson, ...]
    line: int = field(default=0, compare=False)
    # Talk field name -> the line it was read from, to point model errors at.
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)
    # The guid as the file spells it, for messages ("" when it has none).
    guid_text: str = field(default="", compare=False)

    @property
    def label(self):
        return talk_label(self.frab_id or self.guid_text or str(self.guid or ""), self.title)

    @property
    def time_line(self):
        return self.field_lines.get("start", self.line)


@dataclass(frozen=True, kw_only=True)
class FrabSchedule:
    title: str
    acronym: str
    start: datetime.date | datetime.datetime | None
    end: datetime.date | datetime.datetime | None
    days_count: int | None
    time_zone: zoneinfo.ZoneInfo | None  # from ``<time_zone_name>``
    day_change: datetime.time | None
    website: str
    location: str
    line: int  # of ``<conference>``
    rooms: tuple[FrabRoom, ...]  # in the order they first appear
    tracks: tuple[FrabTrack, ...]  # declared ones first, then those only talks name
    days: tuple[FrabDay, ...]
    talks: tuple[FrabTalk, ...]
    warnings: tuple[tuple[int, str], ...] = ()
    base_url: str = ""  # ``<base_url>``: the root of the site that wrote the file
    # Event field name -> the line it was read from.
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)
