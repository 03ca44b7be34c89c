"""What a backup archive is: its members, the data it holds, and how models map to it.

An archive is a zip file holding:

- ``manifest.json``: the format and its version, the site's version and each
  app's applied migrations, when and of which event it was made, how many of
  each thing it holds, and the SHA-256 and size of every other member;
- ``data.json``: one part per section the apps register (``sections.py``);
  today the event, its rooms, tracks and working talks, the speakers of its
  talks with their links, which speaker gives which talk in which
  position, and the event's schedule releases with the talks (and their
  speakers) each release froze and the changes each made. Records point
  at each other by natural keys (slugs, UUIDs, a release's number, a
  user's username), never by database ids, so an archive restores into any database. A record keeps
  its old primary key under ``"id"`` only so that a restore can keep it
  where it is free, because the schedule exports number talks (the
  releases' copies too) and persons by primary key. ``created`` and
  ``updated`` are restored exactly, because calendars and exports show them;
- ``photos/<storage name>``: the files of the rows that have some (the
  speakers' photos and thumbnails).

Records name the models' own columns
(:func:`plain_fields`) and the relations their section names; anything else
stops a backup rather than being left out.
"""

from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from infrastructure.backup.sections import app_labels

FORMAT = "conference-event-backup"
# Bump when the archive changes form; restores refuse newer versions and read older ones,
# a section added later (``Section.since``) being absent from them.
#  1: the event, rooms, tracks, talks, talk speakers, speakers, speaker links, photos.
#  2: the schedule's releases, released talks and released talk speakers as well.
#  3: each release's changes (its changelog) as well.
FORMAT_VERSION = 3
MANIFEST = "manifest.json"
DATA = "data.json"
PHOTOS = "photos/"


class BackupError(Exception):
    """A backup cannot be written or restored; ``messages`` say why, one per problem."""

    def __init__(self, *messages):
        super().__init__("\n".join(messages))
        self.messages = list(messages)


def plain_fields(model):
    """The model's own columns: not the primary key, not relations (written by natural key)."""
    return [f for f in model._meta.concrete_fields if not f.primary_key and not f.is_relation]


def stamp_fields(model):
    """Columns Django sets itself on save; a restore puts the archive's values back after."""
    return [
        f
        for f in plain_fields(model)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]


def applied_migrations():
    applied = MigrationRecorder(connection).applied_migrations()
    return {app: sorted(name for label, name in applied if label == app) for app in app_labels()}
