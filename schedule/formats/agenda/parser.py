"""Read the text export of a sched.org agenda into plain data, without the database.

The format is the one of ``schedule/data/kvm-forum-2012-agenda.txt``::

    # Event name
    ## Location: City, Country
    ## Date: November 7-9, 2012
    Free paragraphs: the event's description.
    ## Talk title
    ### Name: Speaker name[, Affiliation]
    ### Time: November 7, 2012 9:00 - 9:15 CEST
    Paragraphs of abstract, possibly with HTML lists.
    For more information, including speaker bio, visit URL

:func:`parse_agenda` turns such text into an :class:`Agenda`, or raises an
:class:`ImportFileError` listing every problem it found with its line, so that a
broken file can be fixed in one pass. Times stay naive wall-clock times: which
zone they are in is the importer's decision (``schedule.formats.agenda.importer``), because
the abbreviation printed in the file is not reliable.
"""

import datetime
import re
from dataclasses import dataclass, field

from schedule.importing.errors import ImportFileError
from schedule.importing.limits import (
    TALK_SOURCE_URL_MAX_LENGTH,
    YEARS,
    ImportLimits,
    excerpt,
    too_many_talks_message,
)
from schedule.importing.names import tidy_text

# Hard-coded rather than taken from ``calendar``, whose names follow the locale.
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july")
_MONTH_NAMES += ("august", "september", "october", "november", "december")
MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
MONTHS |= {name[:3]: number for name, number in MONTHS.items()} | {"sept": 9}

DATE_FORMATS = "'Month D-D, YYYY', 'Month D - Month D, YYYY' or 'Month D, YYYY'"
TIME_FORMAT = "'Month D, YYYY H:MM - H:MM ZONE'"

# The possessive quantifiers (*+, ++) never give back what they matched: without
# them, runs of spaces in a long line make these patterns backtrack for hours.
_TITLE = re.compile(r"^#(?!#)\s*(?P<text>.*)$")
_HEADING = re.compile(r"^##(?!#)\s*(?P<text>.*)$")
_FIELD = re.compile(r"^###\s*+(?P<label>[^:]*+):\s*+(?P<value>.*)$")  # label: strip it
_HEADER_FIELD = re.compile(r"^(?P<label>location|date)\s*:\s*(?P<value>.*)$", re.IGNORECASE)
# The wording of this line varies ("spoeaker bio"), so only its ends are fixed.
_MORE_INFO = re.compile(r"^\s*for\s+more\s+info.*?\bvisit\s+(?P<url>\S+)\s*$", re.IGNORECASE)
_EXTERNAL_ID = re.compile(r"/event/(?P<id>[0-9a-f]{32})(?![0-9a-z])", re.IGNORECASE)
_KEYNOTE = re.compile(r"\bkey\s*-?\s*note", re.IGNORECASE)
_DASH = r"[-\u2013\u2014]"
_DATE = re.compile(
    rf"""^(?P<month>[A-Za-z]++)\.?\s*+(?P<day>\d{{1,2}})
        (?:\s*+{_DASH}\s*+(?:(?P<end_month>[A-Za-z]++)\.?\s*+)?(?P<end_day>\d{{1,2}}))?
        \s*+,?\s*+(?P<year>\d{{4}})\s*+$""",
    re.VERBOSE,
)
_TIME = re.compile(
    rf"""^(?P<month>[A-Za-z]++)\.?\s*+(?P<day>\d{{1,2}})\s*+,?\s*+(?P<year>\d{{4}})\s++
        (?P<start>\d{{1,2}}:\d{{2}})\s*+{_DASH}\s*+(?P<end>\d{{1,2}}:\d{{2}})
        (?:\s*+(?P<zone>[A-Za-z]{{2,6}}))?\s*+$""",
    re.VERBOSE,
)
# Stray marks the export leaves around names: "- Itamar Heim", "*Name*", "Name;".
_NAME_JUNK = " \t-\u2013\u2014*\u2022,;"


@dataclass(frozen=True)
class AgendaSpeaker:
    name: str
    affiliation: str = ""
    # Where the name was read; not part of the speaker's identity.
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, kw_only=True)
class AgendaTalk:
    title: str
    line: int
    speakers: tuple[AgendaSpeaker, ...]
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    zone_abbreviation: str
    abstract: str
    source_url: str
    external_id: str
    kind: str
    # Talk field name -> the line it was read from, to point model errors at.
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def time_line(self):
        return self.field_lines.get("start", self.line)


@dataclass(frozen=True, kw_only=True)
class Agenda:
    name: str
    location: str
    start_date: datetime.date
    end_date: datetime.date
    description: str
    talks: tuple[AgendaTalk, ...]
    # Event field name -> the line it was read from.
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)


def _collapse(text):
    return " ".join(text.split())


def parse_speaker(value, *, line=0):
    """``AgendaSpeaker`` from a ``### Name:`` value: "- Alex Williamson, Red Hat"."""
    name, _, affiliation = _collapse(value).strip(_NAME_JUNK).partition(",")
    return AgendaSpeaker(
        name=name.strip(_NAME_JUNK), affiliation=affiliation.strip(_NAME_JUNK), line=line
    )


def _date(year, month_name, day):
    month = MONTHS.get(month_name.lower())
    if month is None:
        raise ValueError(f'unknown month "{excerpt(month_name)}"')
    if not YEARS[0] <= int(year) <= YEARS[1]:
        raise ValueError(f"the year {year} is out of range: expected {YEARS[0]} to {YEARS[1]}")
    try:
        return datetime.date(int(year), month, int(day))
    except ValueError:
        raise ValueError(f"no such date: {excerpt(month_name)} {day}, {year}") from None


def parse_date_range(value):
    """``(start, end)`` from "November 7-9, 2012", "November 30 - December 2, 2012"
    or "November 7, 2012".

    Raises ``ValueError`` saying what is wrong.
    """
    match = _DATE.match(value.strip())
    if not match:
        raise ValueError(
            f'cannot read the date "{excerpt(value.strip())}": expected {DATE_FORMATS}'
        )
    start = _date(match["year"], match["month"], match["day"])
    if match["end_day"] is None:
        return start, start
    end = _date(match["year"], match["end_month"] or match["month"], match["end_day"])
    if end < start:
        raise ValueError(f'the dates "{excerpt(value.strip())}" end before they start')
    return start, end


def _clock(text):
    hours, minutes = text.split(":")
    try:
        return datetime.time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"no such time: {text}") from None


def parse_time_line(value):
    """``(date, start, end, zone abbreviation)`` from "November 7, 2012 9:00 - 9:15 CEST".

    The zone is optional ('' when missing). Raises ``ValueError`` saying what is wrong.
    """
    match = _TIME.match(value.strip())
    if not match:
        raise ValueError(f'cannot read the time "{excerpt(value.strip())}": expected {TIME_FORMAT}')
    date = _date(match["year"], match["month"], match["day"])
    start, end = _clock(match["start"]), _clock(match["end"])
    if end <= start:
        raise ValueError(f"the end {match['end']} is not after the start {match['start']}")
    return date, start, end, match["zone"] or ""


class _TalkReader:
    """Collects the lines of one ``## Title`` block and turns them into an AgendaTalk."""

    def __init__(self, *, title, line, errors):
        self.title = title
        self.line = line
        self.errors = errors
        self.speakers = []
        self.speaker_keys = set()  # casefolded names: one look each, however many speakers
        self.timing = None
        self.time_line = None
        self.source_url = ""
        self.source_line = None
        self.abstract_lines = []
        self.abstract_line = None
        self.label = f'talk "{excerpt(title)}"' if title else "the talk"
        if not title:
            self._error(line, 'a talk heading without a title: expected "## Talk title"')

    def _error(self, line, message):
        self.errors.append((line, message))

    def add_field(self, number, label, value):
        kind = label.lower()
        if kind == "name":
            self._add_speaker(number, value)
        elif kind != "time":
            self._error(
                number,
                f'unknown field "### {excerpt(label)}:": expected "### Name:" or "### Time:"',
            )
        elif self.time_line is not None:
            first = self.time_line
            self._error(
                number, f'{self.label} has a second "### Time:" line (the first is on line {first})'
            )
        else:
            self.time_line = number
            try:
                self.timing = parse_time_line(value)
            except ValueError as error:
                self._error(number, str(error))

    def _add_speaker(self, number, value):
        speaker = parse_speaker(value, line=number)
        if not speaker.name:
            self._error(number, f'"### Name:" without a name in {self.label}')
        elif speaker.name.casefold() in self.speaker_keys:
            self._error(number, f'{self.label} lists "{excerpt(speaker.name)}" twice')
        else:
            self.speakers.append(speaker)
            self.speaker_keys.add(speaker.name.casefold())

    def add_text(self, number, line):
        more_info = _MORE_INFO.match(line)
        if more_info is None:
            if line.strip() and self.abstract_line is None:
                self.abstract_line = number
            self.abstract_lines.append(line)
        elif self.source_line is not None:
            second = f'{self.label} has a second "For more information" line'
            self._error(number, f"{second} (the first is on line {self.source_line})")
        else:
            self.source_url, self.source_line = more_info["url"], number
            if (length := len(self.source_url)) > TALK_SOURCE_URL_MAX_LENGTH:
                self._error(
                    number,
                    f"the URL is {length} characters long; "
                    f"at most {TALK_SOURCE_URL_MAX_LENGTH} fit",
                )

    def finish(self):
        """The AgendaTalk, or ``None`` when the block has errors (already recorded)."""
        if self.title and self.time_line is None:
            self._error(self.line, f'{self.label} has no "### Time: {TIME_FORMAT[1:-1]}" line')
        if not self.title or self.timing is None:
            return None
        external_id = _EXTERNAL_ID.search(self.source_url)
        date, start_time, end_time, zone_abbreviation = self.timing
        field_lines = {"title": self.line, "kind": self.line, "slug": self.line}
        field_lines |= {"start": self.time_line, "end": self.time_line}
        if self.source_line:
            field_lines |= {"source_url": self.source_line, "external_id": self.source_line}
        if self.abstract_line:
            field_lines["abstract"] = self.abstract_line
        return AgendaTalk(
            title=self.title,
            line=self.line,
            speakers=tuple(self.speakers),
            date=date,
            start_time=start_time,
            end_time=end_time,
            zone_abbreviation=zone_abbreviation,
            abstract=tidy_text(self.abstract_lines),
            source_url=self.source_url,
            external_id=external_id["id"].lower() if external_id else "",
            kind="keynote" if _KEYNOTE.search(self.title) else "talk",
            field_lines=field_lines,
        )


class _HeaderReader:
    """Collects the event's name, place, dates and description: all before the first talk."""

    def __init__(self, *, errors):
        self.errors = errors
        self.name = ""
        self.location = ""
        self.dates = None
        self.description_lines = []
        self.field_lines = {}
        self.seen = {}

    def add_title(self, line):
        title = _TITLE.match(line)
        if title is None:
            self.errors.append((1, 'expected the event\'s name as "# Name" on the first line'))
            return False
        self.name = _collapse(title["text"])
        self.field_lines["name"] = 1
        if not self.name:
            self.errors.append((1, 'the event has no name: expected "# Name" on the first line'))
        return True

    def add_field(self, number, label, value):
        label = label.lower()
        if label in self.seen:
            first = self.seen[label]
            self.errors.append(
                (number, f'a second "## {label.title()}:" line (the first is on line {first})')
            )
            return
        self.seen[label] = number
        if label == "location":
            self.location = _collapse(value)
            self.field_lines["location"] = number
            return
        self.field_lines |= {"start_date": number, "end_date": number}
        try:
            self.dates = parse_date_range(value)
        except ValueError as error:
            self.errors.append((number, str(error)))

    def add_text(self, number, line):
        if line.strip():
            self.field_lines.setdefault("description", number)
        self.description_lines.append(line)

    def finish(self, *, first_talk_line):
        if "date" not in self.seen:
            self.errors.append(
                (
                    first_talk_line,
                    f'no "## Date:" line before the first talk: expected {DATE_FORMATS}',
                )
            )


def _check_external_ids(talks, errors):
    first_with = {}
    for talk in talks:
        if not talk.external_id:
            continue
        first = first_with.setdefault(talk.external_id, talk)
        if first is not talk:
            errors.append(
                (
                    talk.field_lines["external_id"],
                    f'talk "{excerpt(talk.title)}": external id {talk.external_id} is already '
                    f'used by talk "{excerpt(first.title)}" on line {first.line}',
                )
            )


def parse_agenda(text, *, source="<agenda>", limits=None):
    """The :class:`Agenda` written in ``text``; ``source`` names it in error messages.

    Raises :class:`ImportFileError` with every problem found, or at once at the
    first talk past ``limits.max_talks`` (an :class:`ImportLimits`).
    """
    limits = limits or ImportLimits()
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # PostgreSQL cannot store NUL, and no text file has one: UTF-16 (or binary) taken for UTF-8.
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:
            message = (
                f"a NUL character (byte 0x00) at column {line.index(chr(0)) + 1}: the file is "
                "not UTF-8 text (UTF-16?); save it as UTF-8"
            )
            raise ImportFileError([(number, message)], source)
    errors = []
    header = _HeaderReader(errors=errors)
    # Without a title line, the first line may still be a header field.
    first_body_line = 2 if header.add_title(lines[0]) else 1
    readers = []
    for number, line in enumerate(lines[first_body_line - 1 :], start=first_body_line):
        reader = readers[-1] if readers else None
        if line.startswith("###"):
            match = _FIELD.match(line)
            if reader is None:
                errors.append((number, f'"{excerpt(line.strip())}" before the first talk'))
            elif match is None:
                expected = 'expected "### Name: …" or "### Time: …"'
                errors.append((number, f'cannot read "{excerpt(line.strip())}": {expected}'))
            else:
                reader.add_field(number, match["label"].strip(), match["value"])
        elif (heading := _HEADING.match(line)) is None:
            (header if reader is None else reader).add_text(number, line)
        elif reader is None and (field_match := _HEADER_FIELD.match(heading["text"])):
            header.add_field(number, field_match["label"], field_match["value"])
        else:
            if len(readers) == limits.max_talks:
                raise ImportFileError([(number, too_many_talks_message(limits))], source)
            title = _collapse(heading["text"])
            readers.append(_TalkReader(title=title, line=number, errors=errors))

    header.finish(first_talk_line=readers[0].line if readers else len(lines))
    talks = tuple(talk for talk in (reader.finish() for reader in readers) if talk is not None)
    _check_external_ids(talks, errors)
    if errors:
        raise ImportFileError(errors, source)
    return Agenda(
        name=header.name,
        location=header.location,
        start_date=header.dates[0],
        end_date=header.dates[1],
        description=tidy_text(header.description_lines),
        talks=talks,
        field_lines=header.field_lines,
    )
