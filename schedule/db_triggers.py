"""Triggers that keep a talk's room and track inside the talk's own event.

No portable constraint can compare columns of two tables, so triggers keep
the rule on both sides: a talk pointing at another event's room or track, and
a room or track moved to another event while its talks stay behind.

SQLite rebuilds a table for most schema changes, and it cannot rebuild
``schedule_talk`` while triggers refer to it. A migration that alters the talk
table therefore starts with ``TalkEventTriggers.drop()`` and ends with
``TalkEventTriggers.create()``; on PostgreSQL the pair is harmless.
"""

from django.db import migrations

SQLITE_FORWARD = []
SQLITE_BACKWARD = []
for op, op_sql in (("insert", "INSERT"), ("update", "UPDATE OF event_id, room_id, track_id")):
    name = f"schedule_talk_{op}_same_event"
    SQLITE_FORWARD.append(
        f"""
        CREATE TRIGGER {name}
        BEFORE {op_sql} ON schedule_talk FOR EACH ROW
        WHEN (NEW.room_id IS NOT NULL
              AND (SELECT event_id FROM conference_room WHERE id = NEW.room_id) != NEW.event_id)
          OR (NEW.track_id IS NOT NULL
              AND (SELECT event_id FROM conference_track WHERE id = NEW.track_id) != NEW.event_id)
        BEGIN
          SELECT RAISE(ABORT, 'a talk''s room and track must belong to its event');
        END
        """
    )
    SQLITE_BACKWARD.append(f"DROP TRIGGER IF EXISTS {name}")
for table, column in (("conference_room", "room_id"), ("conference_track", "track_id")):
    name = f"{table}_keeps_talks_event"
    SQLITE_FORWARD.append(
        f"""
        CREATE TRIGGER {name}
        BEFORE UPDATE OF event_id ON {table} FOR EACH ROW
        WHEN EXISTS (SELECT 1 FROM schedule_talk
                     WHERE {column} = NEW.id AND event_id != NEW.event_id)
        BEGIN
          SELECT RAISE(ABORT, 'a talk''s room and track must belong to its event');
        END
        """
    )
    SQLITE_BACKWARD.append(f"DROP TRIGGER IF EXISTS {name}")

POSTGRESQL_FORWARD = [
    """
    CREATE FUNCTION schedule_talk_same_event() RETURNS trigger AS $$
    BEGIN
      IF (NEW.room_id IS NOT NULL AND
          (SELECT event_id FROM conference_room WHERE id = NEW.room_id) <> NEW.event_id)
         OR (NEW.track_id IS NOT NULL AND
          (SELECT event_id FROM conference_track WHERE id = NEW.track_id) <> NEW.event_id)
      THEN
        RAISE EXCEPTION 'a talk''s room and track must belong to its event'
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER schedule_talk_same_event
    BEFORE INSERT OR UPDATE OF event_id, room_id, track_id ON schedule_talk
    FOR EACH ROW EXECUTE FUNCTION schedule_talk_same_event()
    """,
    """
    CREATE FUNCTION conference_place_keeps_talks_event() RETURNS trigger AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM schedule_talk
                 WHERE (CASE TG_TABLE_NAME WHEN 'conference_room' THEN room_id
                        ELSE track_id END) = NEW.id
                   AND event_id <> NEW.event_id)
      THEN
        RAISE EXCEPTION 'a talk''s room and track must belong to its event'
          USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER conference_room_keeps_talks_event
    BEFORE UPDATE OF event_id ON conference_room
    FOR EACH ROW EXECUTE FUNCTION conference_place_keeps_talks_event()
    """,
    """
    CREATE TRIGGER conference_track_keeps_talks_event
    BEFORE UPDATE OF event_id ON conference_track
    FOR EACH ROW EXECUTE FUNCTION conference_place_keeps_talks_event()
    """,
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS conference_track_keeps_talks_event ON conference_track",
    "DROP TRIGGER IF EXISTS conference_room_keeps_talks_event ON conference_room",
    "DROP FUNCTION IF EXISTS conference_place_keeps_talks_event()",
    "DROP TRIGGER IF EXISTS schedule_talk_same_event ON schedule_talk",
    "DROP FUNCTION IF EXISTS schedule_talk_same_event()",
]


def _execute(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


_create = _execute({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD})
_drop = _execute({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD})


class TalkEventTriggers:
    """Migration operations that add or remove the triggers."""

    @staticmethod
    def create():
        return migrations.RunPython(_create, _drop)

    @staticmethod
    def drop():
        return migrations.RunPython(_drop, _create)
