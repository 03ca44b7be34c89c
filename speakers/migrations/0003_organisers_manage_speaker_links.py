"""Organisers edit speakers' links as they edit the rest of a speaker's profile."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("speakers")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Organisers")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="speakers",
            codename__in=[f"{action}_speakerlink" for action in ACTIONS],
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Organisers"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="speakers", codename__endswith="_speakerlink"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("conference", "0002_organisers_group"),
        ("speakers", "0002_speaker_email_thumbnail_links_history"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
