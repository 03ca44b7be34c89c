"""The schedule page's days as HTML sections, each rendered once per what it shows.

A day's section is stored as a fragment of the page cache
(``infrastructure.page_cache.fragments``) under a digest of everything it is
made from: its talks' rows as the database gives them (title, times, kind,
room and track ids, cancellation, speakers' names; not the row's id, which a
release's copy does not share), which of them clash, the event's rooms and
tracks (names, order, colours), the venue's zone, the language, the time
when the day is today (it marks what is on), and the code and catalogs that
render it. An edit of one talk therefore gives one day a new digest: that day
is laid out and rendered again, and every other day of the page, of its other
languages, of the single-day pages and of the next release is found again.
"""

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils.translation import get_language

from infrastructure.page_cache.fragments import fragment_key, store_fragments, stored_fragments
from schedule import timetable
from schedule.timetable import DayLayout, talks_by_day

SECTION_TEMPLATE = "schedule/includes/schedule_day.html"


@functools.cache
def _code_digest(language):
    """What renders a section, besides its rows: the template, the cards' code, the catalog."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(get_template(SECTION_TEMPLATE).template.source.encode())
    digest.update(Path(timetable.__file__).read_bytes())
    for folder in settings.LOCALE_PATHS:
        catalog = Path(folder) / (language or "") / "LC_MESSAGES" / "django.mo"
        if catalog.exists():
            digest.update(catalog.read_bytes())
    return digest.hexdigest()


def _page_material(event, layout, rooms, tracks):
    """What every day of the page is made from, besides its own talks."""
    return repr(
        (
            _code_digest(get_language()),
            get_language(),
            event.time_zone,
            layout.talk_url(""),
            layout.use_rooms,
            [(room.pk, room.name, room.position) for room in rooms],
            [(track.pk, track.name, track.colour) for track in tracks],
        )
    )


def _day_material(page, layout, day, now):
    talks = [(talk.content, talk.pk in day.clashing) for talk in day.talks]
    # Today's cards mark what is on and next, by the venue's clock.
    clock = now.isoformat() if day.date == layout.today else None
    return f"{page}\n{day.date}\n{clock}\n{talks!r}".encode()


@dataclass
class DaySections:
    markers: list  # where each day's section goes in the page (``PageAssembly.place``)
    today: object  # the venue's today as a ``TimetableDay``, when the page shows it
    first_start: object  # when the page's first talk starts, at the venue


def day_sections(event, talks, *, rooms, tracks, now, use_rooms, assembly):
    """The sections of ``talks``' days (as ``build_timetable`` lays them out), placed with
    ``assembly``: found among the stored fragments, the others rendered and stored."""
    layout = DayLayout(event, now=now, use_rooms=use_rooms)
    days = talks_by_day(event, talks, use_rooms=use_rooms)
    page = _page_material(event, layout, rooms, tracks)
    keys = [fragment_key("day", _day_material(page, layout, day, now)) for day in days]
    found = stored_fragments(keys)
    today, rendered = None, {}
    for day, key in zip(days, keys, strict=True):
        laid_out = None
        if day.date == layout.today:
            today = laid_out = layout.day(day)
        if key not in found and key not in rendered:
            laid_out = laid_out or layout.day(day)
            rendered[key] = render_to_string(SECTION_TEMPLATE, {"day": laid_out})
    found.update(store_fragments(rendered))
    return DaySections(
        markers=[assembly.place(found[key]) for key in keys],
        today=today,
        first_start=layout.local_time(days[0].talks[0].start) if days else None,
    )
