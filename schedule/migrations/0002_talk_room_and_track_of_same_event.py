"""A talk's room and track must belong to the talk's own event (see schedule.db_triggers)."""

from django.db import migrations

from schedule.db_triggers import TalkEventTriggers


class Migration(migrations.Migration):
    dependencies = [
        ("conference", "0001_initial"),
        ("schedule", "0001_initial"),
    ]

    operations = [TalkEventTriggers.create()]
