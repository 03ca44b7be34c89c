from django.db import migrations, models

from schedule.db_triggers import TalkEventTriggers


class Migration(migrations.Migration):
    dependencies = [
        ("schedule", "0003_talk_uuid"),
    ]

    operations = [
        TalkEventTriggers.drop(),
        migrations.AddField(
            model_name="talk",
            name="subtitle",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="talk",
            name="language",
            field=models.CharField(
                default="en", help_text="The language it is given in, e.g. en, de.", max_length=10
            ),
        ),
        migrations.AddField(
            model_name="talk",
            name="do_not_record",
            field=models.BooleanField(
                default=False, help_text="The speakers asked not to be recorded."
            ),
        ),
        TalkEventTriggers.create(),
    ]
