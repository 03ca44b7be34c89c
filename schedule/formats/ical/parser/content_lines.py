"""An iCalendar file's bytes as unfolded content lines, and its components' structure.

Lines are unfolded as bytes and only then decoded, as RFC 5545 (3.1) asks,
because real files fold inside a UTF-8 character. Control characters inside
values (carriage returns left by Windows-edited text) are removed with a
warning. Whatever cannot be read is refused as ``FILE:LINE: message``; the
line is the physical line where the offending content line begins.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from schedule.importing.errors import ImportFileError
from schedule.importing.limits import ImportLimits, excerpt, too_many_talks_message

UTF8_BOM = b"\xef\xbb\xbf"
_NAME = re.compile(r"[A-Za-z0-9-]+")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


# Reading the file into content lines


@dataclass
class _ContentLine:
    number: int  # the physical line it begins on
    text: str
    name: str  # the property name, upper case ("" for junk)


def _decode(raw, segments, errors):
    """``raw`` (one unfolded content line) as text, or ``None`` with an error recorded."""
    try:
        return bytes(raw).decode("utf-8")
    except UnicodeDecodeError as error:
        # The physical line holding the bad byte: the last segment starting before it.
        number = max(line for offset, line in segments if offset <= error.start)
        errors.append(
            (
                number,
                f"the file is not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded; "
                "save the file as UTF-8",
            )
        )
        return None


def content_lines(data, *, source):
    """The file's unfolded content lines and warnings; raises :class:`ImportFileError`."""
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    unfolded = []  # [first physical line, bytearray, [(offset, physical line)]]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if raw[:1] in (b" ", b"\t") and unfolded:
            current = unfolded[-1]
            current[2].append((len(current[1]), number))
            current[1].extend(raw[1:])
        elif raw.strip():
            unfolded.append([number, bytearray(raw), [(0, number)]])

    lines, errors = [], []
    removed, first_removed = 0, None
    for number, raw, segments in unfolded:
        text = _decode(raw, segments, errors)
        if text is None:
            continue
        text, count = _CONTROL.subn("", text)
        if count:
            removed += count
            first_removed = first_removed or number
        name = _NAME.match(text)
        lines.append(_ContentLine(number, text, name[0].upper() if name else ""))
    if errors:
        raise ImportFileError(errors, source)
    if not lines:
        raise ImportFileError([(None, "the file is empty: expected BEGIN:VCALENDAR")], source)
    warnings = []
    if removed:
        warnings.append(
            f"{source}:{first_removed}: {removed} control character{'s' if removed > 1 else ''} "
            "(such as carriage returns) inside values removed; iCalendar text allows none"
        )
    return lines, warnings


# The components' structure, with lines


@dataclass
class _EventLines:
    """Where one VEVENT's properties are, for messages."""

    begin: int
    properties: dict = field(default_factory=lambda: defaultdict(list))
    texts: list = field(default_factory=list)
    next_text: int = 0  # where line_of_text looks first

    def first(self, name):
        lines = self.properties.get(name)
        return lines[0] if lines else self.begin

    def line_of_text(self, message):
        """The line of the event's content line that ``message`` quotes.

        icalendar reports its complaints in file order, so the search goes on
        from the line found last: thousands of junk lines are each looked at
        about once, and "junk 1" is not taken for the "junk 10" after it.
        """
        count = len(self.texts)
        for step in range(count):
            index = (self.next_text + step) % count
            number, text = self.texts[index]
            if text and text in message:
                self.next_text = index + 1
                return number
        return self.begin


def _keyword(line, keyword):
    """The value of a ``BEGIN:X``/``END:X`` line, upper case, or ``None``."""
    if line.name == keyword and line.text[len(keyword) : len(keyword) + 1] == ":":
        return line.text[len(keyword) + 1 :].strip().upper()
    return None


def calendar_structure(lines, *, limits=None):
    """``(calendar property lines, [_EventLines])``; raises ``ValueError((line, message))``.

    That includes the first VEVENT past ``limits.max_talks`` (an ``ImportLimits``).
    """
    limits = limits or ImportLimits()
    stack, events, calendar_lines, calendars = [], [], {}, 0
    for line in lines:
        begin, end = _keyword(line, "BEGIN"), _keyword(line, "END")
        if begin is not None:
            if not stack and (calendars or begin != "VCALENDAR"):
                found = "a second VCALENDAR" if calendars else f'"{line.text[:40]}"'
                raise ValueError(line.number, f"expected one VCALENDAR, found {found}")
            stack.append((begin, line.number))
            if begin == "VEVENT":
                if len(events) == limits.max_talks:
                    raise ValueError(line.number, too_many_talks_message(limits))
                events.append(_EventLines(begin=line.number))
        elif end is not None:
            if not stack:
                raise ValueError(line.number, f"END:{excerpt(end)} without a BEGIN:{excerpt(end)}")
            name, number = stack.pop()
            if end != name:
                raise ValueError(
                    line.number,
                    f"END:{excerpt(end)}, but BEGIN:{excerpt(name)} on line {number} is still open",
                )
            calendars += name == "VCALENDAR"
        elif not stack:
            if line.number == 1:
                raise ValueError(1, "not an iCalendar file: expected BEGIN:VCALENDAR")
            raise ValueError(line.number, "content after END:VCALENDAR")
        elif stack[-1][0] == "VEVENT":
            events[-1].properties[line.name].append(line.number)
            events[-1].texts.append((line.number, line.text))
        elif len(stack) == 1:
            calendar_lines.setdefault(line.name, line.number)
    if stack:
        name, number = stack[-1]
        raise ValueError(number, f"BEGIN:{excerpt(name)} has no END:{excerpt(name)}")
    return calendar_lines, events
