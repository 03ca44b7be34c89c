"""Organisers release schedules (add a release) and read past releases; none edits or deletes one."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_release", "view_release"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("schedule")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Organisers")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="schedule", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Organisers"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="schedule", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("conference", "0002_organisers_group"),
        ("schedule", "0009_first_releases"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
