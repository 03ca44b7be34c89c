"""Each existing event's public schedule becomes its release "1", listed as new.

Apart from the schema migrations before it: on PostgreSQL the indexes of a
schema migration are made as it ends, which rows written in the same
transaction would refuse ("pending trigger events").
"""

from django.db import migrations
from django.utils import timezone


def release_each_event_as_it_stands(apps, schema_editor):
    """Each event's public schedule so far becomes its release "1"."""
    Event = apps.get_model("conference", "Event")
    Release = apps.get_model("schedule", "Release")
    Talk = apps.get_model("schedule", "Talk")
    TalkSpeaker = apps.get_model("schedule", "TalkSpeaker")
    fields = [f.attname for f in Talk._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for event in Event.objects.filter(releases__isnull=True).order_by("pk"):
        release = Release.objects.create(
            event=event, number=1, name="1", released_at=now, is_current=True
        )
        talks = list(Talk.objects.filter(event=event, release__isnull=True, is_published=True))
        copies = Talk.objects.bulk_create(
            Talk(
                **{name: getattr(talk, name) for name in fields}
                | {"release_id": release.pk, "released_from": talk.pk}
            )
            for talk in talks
        )
        # Inserting stamps them now; each copy tells when its talk last changed.
        for talk, copy in zip(talks, copies, strict=True):
            copy.created, copy.updated = talk.created, talk.updated
        Talk.objects.bulk_update(copies, ["created", "updated"], batch_size=500)
        copy_of = {talk.pk: copy.pk for talk, copy in zip(talks, copies, strict=True)}
        TalkSpeaker.objects.bulk_create(
            TalkSpeaker(
                talk_id=copy_of[link.talk_id], speaker_id=link.speaker_id, position=link.position
            )
            for link in TalkSpeaker.objects.filter(talk_id__in=copy_of)
        )


def forget_releases(apps, schema_editor):
    apps.get_model("schedule", "ReleaseChange").objects.all().delete()
    apps.get_model("schedule", "Talk").objects.filter(release__isnull=False).delete()
    apps.get_model("schedule", "Release").objects.all().delete()


def record_first_releases(apps, schema_editor):
    """Each event's first release lists its talks as new, or cancelled."""
    Release = apps.get_model("schedule", "Release")
    ReleaseChange = apps.get_model("schedule", "ReleaseChange")
    Talk = apps.get_model("schedule", "Talk")
    for release in Release.objects.filter(number=1, changes__isnull=True).order_by("pk"):
        copies = sorted(
            Talk.objects.filter(release=release),
            # The order the changelog lists changes in: by time, the unscheduled last.
            key=lambda talk: (
                talk.start is None,
                talk.start.timestamp() if talk.start else 0,
                talk.title.casefold(),
                str(talk.uuid),
            ),
        )
        ReleaseChange.objects.bulk_create(
            ReleaseChange(
                release=release,
                position=position,
                kind="cancelled" if talk.is_cancelled else "new",
                fields=[],
                after=talk,
            )
            for position, talk in enumerate(copies)
        )


def release_and_record(apps, schema_editor):
    release_each_event_as_it_stands(apps, schema_editor)
    record_first_releases(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("schedule", "0008_release_changes"),
    ]

    operations = [migrations.RunPython(release_and_record, forget_releases)]
