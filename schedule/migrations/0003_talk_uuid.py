import uuid

from django.db import migrations, models

from schedule.db_triggers import TalkEventTriggers


def give_each_talk_its_own_uuid(apps, schema_editor):
    Talk = apps.get_model("schedule", "Talk")
    for talk in Talk.objects.only("pk").iterator():
        Talk.objects.filter(pk=talk.pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("schedule", "0002_talk_room_and_track_of_same_event"),
    ]

    operations = [
        TalkEventTriggers.drop(),
        migrations.AddField(
            model_name="talk",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="UUID"),
        ),
        migrations.RunPython(give_each_talk_its_own_uuid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="talk",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text="The talk's identity in calendars and schedule exports; never changes.",
                unique=True,
                verbose_name="UUID",
            ),
        ),
        TalkEventTriggers.create(),
    ]
