"""The Reviewers group, and the call for proposals for the Organisers.

Reviewers read proposals and write their own reviews, on the review pages of
the events whose call lists them; nothing else (no admin, no other model).
Organisers run the call in the admin as they run the programme.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWERS_GROUP = "Reviewers"
REVIEWER_PERMISSIONS = ["view_proposal", "add_review", "change_review", "view_review"]
ORGANISER_MODELS = [
    "call",
    "sessiontype",
    "question",
    "reviewcategory",
    "decisiontemplate",
    "proposal",
]
ORGANISER_READ_ONLY = ["review", "reviewscore", "proposalstatechange"]
ACTIONS = ["add", "change", "delete", "view"]


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return list(
        Permission.objects.filter(content_type__app_label="proposals", codename__in=codenames)
    )


def create_groups(apps, schema_editor):
    app_config = apps.get_app_config("proposals")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    reviewers.permissions.set(_permissions(apps, REVIEWER_PERMISSIONS))
    organisers, _ = Group.objects.get_or_create(name="Organisers")
    organisers.permissions.add(
        *_permissions(
            apps,
            [f"{action}_{model}" for model in ORGANISER_MODELS for action in ACTIONS]
            + [f"view_{model}" for model in ORGANISER_READ_ONLY],
        )
    )


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=REVIEWERS_GROUP).delete()
    for group in Group.objects.filter(name="Organisers"):
        group.permissions.remove(*_permissions(apps, [p.codename for p in group.permissions.all()]))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("conference", "0002_organisers_group"),
        ("proposals", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
