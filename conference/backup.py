"""The event, its rooms and its tracks in an event's backup (``infrastructure.backup``).

Registered in ``ConferenceConfig.ready()``, first: every other part of a
backup hangs off the event.
"""

from conference.models import Event, Room, Track
from infrastructure.backup import BackupError, Section, register


def _restore_event(restore):
    existing = Event.objects.select_for_update().filter(slug=restore.slug).first()
    if existing is not None and not restore.replace:
        raise BackupError(
            f"An event with the slug “{restore.slug}” exists already. Pass --replace to "
            "replace it (its rooms, tracks, talks and releases are deleted first; speakers "
            "stay), or --as NEW-SLUG to restore the backup beside it."
        )
    if existing is not None:
        existing.delete()
        restore.result.replaced = True
    record = {**restore.data["event"], "slug": restore.slug}
    what = f"event {restore.slug}"
    event = restore.row(Event, record, what=what, keep_id=restore.keep_ids(Event, [record]))
    restore.clean(event, what=what)
    restore.stop_on_problems()
    event.save(force_insert=True)
    restore.result.counts["events"] = 1
    restore.made["event"] = event
    return [event]


def _places_restorer(part, model):
    """Rooms or tracks: the event's, each by its slug (``made[part]``)."""

    def restore_places(restore):
        event = restore.made["event"]
        records = restore.unique(part, "slug")
        keep = restore.keep_ids(model, restore.data[part])
        objs = []
        for slug, record in records.items():
            obj = restore.row(model, record, what=f"{part} {slug}", keep_id=keep, event=event)
            restore.clean(obj, what=f"{part} {slug}")
            objs.append(obj)
        made = restore.created(part, model, objs)
        restore.made[part] = {obj.slug: obj for obj in made}
        return made

    return restore_places


def register_sections():
    register(
        Section(
            part="event", model=Event, rows=lambda event, dumped: [event], restore=_restore_event
        )
    )
    for part, model, rows in (
        ("rooms", Room, lambda event, dumped: event.rooms.order_by("pk")),
        ("tracks", Track, lambda event, dumped: event.tracks.order_by("pk")),
    ):
        register(
            Section(
                part=part,
                model=model,
                rows=rows,
                restore=_places_restorer(part, model),
                relations=frozenset({"event"}),
                after=("event",),
            )
        )
