"""Reads of events for the public pages."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conference.models import Event


def published_events():
    """Published events, each with its number of visible talks, ordered for the home page.

    Running events come first, then upcoming ones (soonest first), then past
    ones (latest first), so the event an attendee most likely wants is on top.
    """
    events = list(
        Event.objects.published().annotate(
            talk_count=Count(
                "talks",
                filter=Q(
                    talks__release__is_current=True,
                    talks__is_published=True,
                    talks__is_cancelled=False,
                ),
            )
        )
    )

    def order(event):
        today = event.local_date(timezone.now())
        if event.start_date <= today <= event.end_date:
            return (0, 0)
        if event.start_date > today:
            return (1, (event.start_date - today).days)
        return (2, (today - event.end_date).days)

    return sorted(events, key=order)


def published_event(slug):
    """The published event with this slug, or 404."""
    return get_object_or_404(Event.objects.published(), slug=slug)


@dataclass
class OnNow:
    """What an event has on at a moment of its venue's day, and what comes next that day."""

    now: list  # talks on at that moment, with their rooms
    next: list  # the talks that start next that day, with their rooms
    changes_at: object  # when either list changes: a talk starts or ends, or the day does


def on_now(event, *, now):
    """What ``event`` has on at ``now``, or None when ``now`` is not one of its days.

    One query: the talks of the venue's day that have not ended.
    """
    today = event.local_date(now)
    if today not in event.days:
        return None
    _, day_end = event.day_bounds(today)
    # Through the event's own relation: the events app sits below the one
    # that defines talks, and reads them only by the relations they add.
    released = event.talks.model.released
    talks = list(
        released.current()
        .filter(event=event)
        .published()
        .scheduled()
        .filter(end__gt=now, start__lt=day_end)
        .select_related("room")
        .only("title", "slug", "start", "end", "room__name", "room__position", "event_id")
        .order_by("start", "room__position", "room__name", "title")
    )
    running = [talk for talk in talks if talk.start <= now]
    upcoming = [talk for talk in talks if talk.start > now]
    soonest = min((talk.start for talk in upcoming), default=None)
    following = [talk for talk in upcoming if talk.start == soonest]
    changes_at = min([day_end, *(talk.end for talk in running), *([soonest] if soonest else [])])
    return OnNow(now=running, next=following, changes_at=changes_at)
