import uuid

from django.db import migrations, models


def give_each_speaker_its_own_uuid(apps, schema_editor):
    for model_name in ("Speaker", "HistoricalSpeaker"):
        model = apps.get_model("speakers", model_name)
        for row in model.objects.only("pk").iterator():
            model.objects.filter(pk=row.pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("speakers", "0003_organisers_manage_speaker_links"),
    ]

    operations = [
        migrations.AddField(
            model_name="speaker",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="UUID"),
        ),
        migrations.AddField(
            model_name="historicalspeaker",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="UUID"),
        ),
        migrations.RunPython(give_each_speaker_its_own_uuid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="speaker",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text="The speaker's identity in schedule exports; never changes.",
                unique=True,
                verbose_name="UUID",
            ),
        ),
        migrations.AlterField(
            model_name="historicalspeaker",
            name="uuid",
            field=models.UUIDField(
                db_index=True,
                default=uuid.uuid4,
                editable=False,
                help_text="The speaker's identity in schedule exports; never changes.",
                verbose_name="UUID",
            ),
        ),
        migrations.AddField(
            model_name="speaker",
            name="external_id",
            field=models.CharField(
                blank=True,
                help_text="The person's id in the system they were imported from; importers match on it.",
                max_length=200,
                verbose_name="external ID",
            ),
        ),
        migrations.AddField(
            model_name="historicalspeaker",
            name="external_id",
            field=models.CharField(
                blank=True,
                help_text="The person's id in the system they were imported from; importers match on it.",
                max_length=200,
                verbose_name="external ID",
            ),
        ),
        migrations.AddConstraint(
            model_name="speaker",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_id", ""), _negated=True),
                fields=("external_id",),
                name="speaker_external_id_unique",
                violation_error_message="Another speaker has this external ID.",
            ),
        ),
    ]
