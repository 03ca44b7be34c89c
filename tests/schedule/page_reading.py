"""What a schedule page shows, read from its HTML as an attendee's browser gets it."""

import html
import re

_SECTION = re.compile(r'<section class="schedule-day[^"]*" id="day-(\d{4}-\d\d-\d\d)"')
_TITLE = re.compile(r'class="talk-title"><a href="[^"]+">([^<]+)</a>')
_SLOT = re.compile(r'<li class="slot[ "]')
_CLOCK = re.compile(r'<div class="slot-time"[^>]*>(?:<time [^>]*>(\d\d:\d\d)</time>)?')


def shown_days(response):
    """``[(day, [titles])]``: each day section of the page, with its cards' titles in order."""
    content = response.content.decode()
    starts = [(match.start(), match[1]) for match in _SECTION.finditer(content)]
    ends = [start for start, _ in starts[1:]] + [len(content)]
    return [
        (day, [html.unescape(title) for title in _TITLE.findall(content[start:end])])
        for (start, day), end in zip(starts, ends, strict=True)
    ]


def slots_of_first_day(response):
    """``[(clock, cards)]``: the slots of the page's first day in a list without rooms."""
    content = response.content.decode()
    first = _SECTION.search(content)
    following = _SECTION.search(content, first.end())
    section = content[first.start() : following.start() if following else len(content)]
    slots = _SLOT.split(section)[1:]
    return [(_CLOCK.search(slot)[1], slot.count("<article ")) for slot in slots]
