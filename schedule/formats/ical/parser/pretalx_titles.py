"""Speakers read from the titles of a pretalx calendar, which names them nowhere else.

pretalx writes each talk's SUMMARY as "Title - Speaker Name" ("Title - A, B"
for several, "Title - " for none) and no ATTENDEE or ORGANIZER. When a file's
PRODID says pretalx and no event names a speaker in a property, the end of
each title after its last " - " is taken as the talk's speakers, with one
warning for the file; the importer's ``--no-speakers-from-titles`` keeps the
titles whole.
"""

from schedule.formats.ical.parser.records import IcsSpeaker, clean_name

TITLE_SEPARATOR = " - "


def is_pretalx(prodid):
    return "pretalx" in prodid.casefold()


def _split(title):
    """``(title, [names])`` of a pretalx SUMMARY ("Title - A, B"); no names without one."""
    if title.endswith(TITLE_SEPARATOR.rstrip()):  # "Title - ": a talk without speakers
        return title[: -len(TITLE_SEPARATOR.rstrip())].rstrip(), []
    head, separator, names = title.rpartition(TITLE_SEPARATOR)
    if not separator or not head.strip():
        return title, []
    return head.strip(), [name for name in map(clean_name, names.split(",")) if name]


def pretalx_title_speakers(readings, *, prodid_line, source, warnings):
    """Move each reading's speakers from its title into its speakers, when the file is pretalx's.

    Does nothing when any event names a speaker in ATTENDEE or ORGANIZER: the
    file then says who speaks, and a title's " - " is the title's own.
    """
    if any(reading.attendees or reading.organiser for reading in readings):
        return
    changed = 0
    for reading in readings:
        if reading.values["title_from_uid"]:
            continue
        title, names = _split(reading.values["title"])
        if title == reading.values["title"]:
            continue
        changed += 1
        line = reading.values["field_lines"]["title"]
        reading.values["title"] = title
        reading.described = [*(IcsSpeaker(name, line) for name in names), *reading.described]
    if changed:
        warnings.append(
            f"{source}:{prodid_line}: a pretalx calendar without speaker properties: the "
            f"speakers of {changed} talk{'s' if changed != 1 else ''} are read from their titles "
            '("Title - A, B"); --no-speakers-from-titles keeps the titles whole'
        )
