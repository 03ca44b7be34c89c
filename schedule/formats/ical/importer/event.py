"""The event an iCalendar import creates, or the little it changes of an existing one."""

import datetime

from schedule.importing.writer import (
    event_sync,
)


def event_sync_from_calendar(*, event, event_slug, calendar, tz, venue, times, source, limits):
    first_day = min(start.astimezone(tz).date() for start, _ in times)
    # A talk ending at midnight ends on the day before.
    last_day = max(
        (end - datetime.timedelta(microseconds=1)).astimezone(tz).date() for _, end in times
    )
    if event is None:
        values = {
            "name": calendar.name or event_slug,
            "location": venue,
            "start_date": first_day,
            "end_date": last_day,
            "time_zone": tz.key,
        }
    else:
        # The name, description and publication are the organisers'.
        values = {
            "time_zone": tz.key,
            "start_date": min(event.start_date, first_day),
            "end_date": max(event.end_date, last_day),
        }
        if venue and not event.location:
            values["location"] = venue
    return event_sync(
        event=event,
        event_slug=event_slug,
        values=values,
        field_lines=calendar.field_lines,
        source=source,
        limits=limits,
    )
