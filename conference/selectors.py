"""Reads of events for the public pages."""

from django.db.models import Count, Q

from conference.models import Event


def published_events():
    """Published events, newest first, each with its number of visible talks."""
    return Event.objects.published().annotate(
        talk_count=Count("talks", filter=Q(talks__is_published=True, talks__is_cancelled=False))
    )
