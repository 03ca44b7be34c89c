"""Which events' pages a change to an event, a room or a track makes stale.

And how an event's time of change (``updated``, which Last-Modified and the
sitemap read) is written when its pages change.

Registered with the page cache in ``ConferenceConfig.ready()``.
"""

from conference.models import Event, Room, Track
from infrastructure import page_cache


def event_slug(event_id):
    """The slug of the event ``event_id`` as the database has it, or None."""
    return Event.objects.filter(pk=event_id).values_list("slug", flat=True).first()


def _remember_slug(event):
    # A renamed event's pages are cached under its old slug too.
    if event.pk:
        event._slug_before_save = event_slug(event.pk)


def _record_time_of_change(slugs, now):
    Event.objects.filter(slug__in=slugs).update(updated=now)


def register():
    page_cache.record_time_of_change_with(_record_time_of_change)
    page_cache.register(
        Event,
        event_slugs=lambda event: [event.slug, getattr(event, "_slug_before_save", None)],
        before_save=_remember_slug,
    )
    for model in (Room, Track):
        page_cache.register(model, event_slugs=lambda row: [event_slug(row.event_id)])
