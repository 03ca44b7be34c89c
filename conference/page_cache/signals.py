"""Which changes make which events' pages stale: receivers of the ORM's signals."""

from django.db.models.signals import post_delete, post_save, pre_save

from conference.page_cache.versions import event_pages_changed


def _event_slugs_of_speaker(speaker_id):
    from conference.models import Event

    return list(
        Event.objects.filter(talks__talk_speakers__speaker_id=speaker_id)
        .values_list("slug", flat=True)
        .distinct()
    )


def _event_slug(event_id):
    from conference.models import Event

    return Event.objects.filter(pk=event_id).values_list("slug", flat=True).first()


def _on_event_saving(sender, instance, **kwargs):
    if instance.pk:
        instance._slug_before_save = _event_slug(instance.pk)


def _on_event_change(sender, instance, **kwargs):
    event_pages_changed(instance.slug, getattr(instance, "_slug_before_save", None))


def _on_event_part_change(sender, instance, **kwargs):
    event_pages_changed(_event_slug(instance.event_id))


def _on_talk_speaker_change(sender, instance, **kwargs):
    from schedule.models import Talk

    event_id = Talk.objects.filter(pk=instance.talk_id).values_list("event_id", flat=True).first()
    event_pages_changed(_event_slug(event_id) if event_id else None)


def _on_speaker_change(sender, instance, **kwargs):
    event_pages_changed(*_event_slugs_of_speaker(instance.pk))


def _on_speaker_link_change(sender, instance, **kwargs):
    event_pages_changed(*_event_slugs_of_speaker(instance.speaker_id))


def connect_signals():
    from conference.models import Event, Room, Track
    from schedule.models import Talk, TalkSpeaker
    from speakers.models import Speaker, SpeakerLink

    pre_save.connect(_on_event_saving, sender=Event, dispatch_uid="pages-event-saving")
    receivers = [
        (Event, _on_event_change),
        (Room, _on_event_part_change),
        (Track, _on_event_part_change),
        (Talk, _on_event_part_change),
        (TalkSpeaker, _on_talk_speaker_change),
        (Speaker, _on_speaker_change),
        (SpeakerLink, _on_speaker_link_change),
    ]
    for model, receiver in receivers:
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"pages-{model.__name__}-{signal}")
