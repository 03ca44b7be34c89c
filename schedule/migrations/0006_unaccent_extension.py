"""PostgreSQL's unaccent, with which the search ignores accents (SQLite needs nothing)."""

from django.db import migrations


def create_unaccent(apps, schema_editor):
    # A trusted extension since PostgreSQL 13: a database owner may create it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [
        ("schedule", "0005_talk_abstract_length"),
    ]

    operations = [migrations.RunPython(create_unaccent, migrations.RunPython.noop, elidable=False)]
