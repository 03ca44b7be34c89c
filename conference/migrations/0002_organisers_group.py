"""The Organisers group: everything needed to run the programme, nothing more.

A site owner makes someone an organiser by adding them to this group; the
admin site lets its members in without the staff flag. Accounts and groups
stay out of reach, so an organiser cannot grant themselves more.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Organisers"
MODELS = {
    "conference": ["event", "room", "track"],
    "schedule": ["talk", "talkspeaker"],
    "speakers": ["speaker"],
}
ACTIONS = ["add", "change", "delete", "view"]


def create_organisers_group(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    codenames = [
        (app_label, f"{action}_{model}")
        for app_label, models in MODELS.items()
        for model in models
        for action in ACTIONS
    ]
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in codenames
    ]
    group.permissions.add(*permissions)


def remove_organisers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("conference", "0001_initial"),
        ("schedule", "0001_initial"),
        ("speakers", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_organisers_group, remove_organisers_group),
    ]
