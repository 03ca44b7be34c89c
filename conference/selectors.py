"""Reads of events for the public pages."""

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
            talk_count=Count("talks", filter=Q(talks__is_published=True, talks__is_cancelled=False))
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
