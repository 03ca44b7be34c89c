"""Single values of a frab schedule read from their text: times, durations, kinds, prose.

Each parser raises ``ValueError`` with a message that says what was expected;
the schedule reader adds the file's line.
"""

import datetime
import re
import textwrap
import uuid

from schedule.importing.limits import YEARS, excerpt
from schedule.importing.names import tidy_text

# Words in a frab ``<type>`` naming one of the talk kinds (Talk.Kind's values),
# most telling first: "Bits & Bäume - Workshop" is a workshop, frab's
# "lightning_talk" a lightning talk, its "podium" a panel. Anything else is a talk.
KIND_WORDS = (
    ("keynote", "keynote"),
    ("lightning", "lightning"),
    ("workshop", "workshop"),
    ("panel", "panel"),
    ("podium", "panel"),
    ("break", "break"),
    ("pause", "break"),
)
DEFAULT_KIND = "talk"
DATETIME_EXAMPLE = "2024-12-27T10:30:00+01:00"
# The namespace of the UUIDs made from talk guids that are not UUIDs. Fixed for
# good: a second import of the file must derive the same UUIDs to match its talks.
TALK_GUID_NAMESPACE = uuid.UUID("89f826f0-c4c1-4e16-9889-17f17087620a")

_WORD = re.compile(r"[^\W\d_]+")
_DURATION = re.compile(r"^(?P<hours>\d{1,3}):(?P<minutes>\d{2})(?::(?P<seconds>\d{1,2}))?$")
_CLOCK = re.compile(r"^(?P<hours>\d{1,2}):(?P<minutes>\d{2})(?::(?P<seconds>\d{2}))?$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no", ""}


def talk_kind(type_name):
    """The Talk.Kind value for a frab ``<type>``, read case-insensitively."""
    words = set(_WORD.findall(type_name.casefold()))
    for word, kind in KIND_WORDS:
        if word in words or f"{word}s" in words:
            return kind
    return DEFAULT_KIND


def inline_text(text):
    """A one-line value: all whitespace runs made one space."""
    return " ".join(text.split())


def block_text(text):
    """An abstract or a biography as text: the XML's indentation and blank runs gone.

    Generators indent every line after the first to the element's depth; left
    there, Markdown would read those lines as code.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return ""
    rest = textwrap.dedent("\n".join(lines[1:])).split("\n")
    return tidy_text([lines[0].strip(), *rest])


def joined_text(first, second):
    """``first``, a blank line and ``second``; only one of them when the other is empty or equal."""
    if not first or not second or first == second:
        return first or second
    return f"{first}\n\n{second}"


def parse_duration(text):
    """A timedelta from ``HH:MM`` or ``HH:MM:SS``; raises ValueError saying what is wrong."""
    match = _DURATION.match(text.strip())
    if not match or int(match["minutes"]) > 59 or int(match["seconds"] or 0) > 59:
        raise ValueError(f'duration "{excerpt(text.strip())}": expected HH:MM or HH:MM:SS')
    return datetime.timedelta(
        hours=int(match["hours"]),
        minutes=int(match["minutes"]),
        seconds=int(match["seconds"] or 0),
    )


def parse_clock(text):
    """A time from ``HH:MM`` or ``HH:MM:SS``; raises ValueError saying what is wrong."""
    match = _CLOCK.match(text.strip())
    try:
        if not match:
            raise ValueError
        return datetime.time(int(match["hours"]), int(match["minutes"]), int(match["seconds"] or 0))
    except ValueError:
        raise ValueError(
            f'"{excerpt(text.strip())}" is not a time: expected HH:MM or HH:MM:SS'
        ) from None


def _check_year(value, text):
    # Far-off years are typing errors, and near datetime's limits the arithmetic
    # on offsets and durations would overflow.
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise ValueError(
            f'"{excerpt(text)}" is out of range: expected a year from {YEARS[0]} to {YEARS[1]}'
        )
    return value


def parse_datetime(text):
    """A datetime from ISO 8601 with a time of day (aware when the text has an offset)."""
    text = text.strip()
    try:
        if "T" not in text.upper() and " " not in text:
            raise ValueError
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f'"{excerpt(text)}" is not a date and time: expected one such as {DATETIME_EXAMPLE}'
        ) from None
    return _check_year(value, text)


def parse_date(text):
    """A date from ``YYYY-MM-DD``; raises ValueError saying what is wrong."""
    text = text.strip()
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f'"{excerpt(text)}" is not a date: expected one such as 2024-12-27'
        ) from None
    return _check_year(value, text)


def parse_date_or_datetime(text):
    """A date, or a datetime when the text has a time of day (conference start and end)."""
    text = text.strip()
    return parse_date(text) if len(text) == 10 else parse_datetime(text)


def parse_uuid(text):
    """A UUID from its text in any of the usual spellings; raises ValueError if it is none."""
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise ValueError(f'guid "{excerpt(text.strip())}" is not a UUID') from None


def parse_guid(text):
    """The UUID a talk's guid stands for: the guid itself, or one derived from its text.

    A guid is an opaque, stable key, and not every generator writes a UUID
    (older frab wrote 22-character base64 ids). The talk's UUID is then
    ``uuid5`` of the text in a fixed namespace, so that the same file always
    yields the same UUIDs and a second import matches its talks.
    """
    text = text.strip()
    try:
        return uuid.UUID(text)
    except ValueError:
        return uuid.uuid5(TALK_GUID_NAMESPACE, text)


def talk_label(identity, title):
    """How messages name a talk: ``event 1234 "Title"``, each part cut short when long."""
    parts = ("event", identity and excerpt(identity), title and f'"{excerpt(title)}"')
    return " ".join(part for part in parts if part)


def parse_positive_integer(text):
    """An int from a whole number above zero; raises ValueError saying what is wrong."""
    if not text.strip().isdecimal() or not int(text):
        raise ValueError(f'"{excerpt(text.strip())}" is not a positive whole number')
    return int(text)
