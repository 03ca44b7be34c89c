"""The archive's records made into an event's rows for a restore, every problem collected.

Each section (``sections.py``) makes its part's rows with the helpers of
:class:`Restore`, in the order the sections are registered: each record is
checked with its model's ``full_clean()``, old primary keys are kept where
they are free, and ``created`` and ``updated`` are put back as the archive
has them.
"""

import contextlib
import uuid
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import connection

from infrastructure.backup import sections
from infrastructure.backup.archive import DATA, BackupError, plain_fields, stamp_fields


def uuid_key(value):
    """``value`` as a canonical UUID string, or None."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def _safe_storage_name(name):
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name


class Restore:
    """One restore: the archive's records made into rows, with every problem collected.

    ``made`` holds, by part, what a section leaves for the later ones (the
    event, rooms by slug, speakers by UUID...); ``replace`` and ``copy`` are
    the restore's options (``copy``: under another slug than the archive's);
    ``format_version`` is the archive's, which a section added since lacks.
    """

    def __init__(self, data, *, slug, copy, result, format_version):
        self.data, self.slug, self.copy, self.result = data, slug, copy, result
        self.format_version = format_version
        self.replace = False
        self.made = {}
        self.problems = []
        self.stamps = []  # (row, {column Django sets itself: the archive's value})
        self.kept_ids = []  # (model, highest id kept)

    def run(self, *, replace):
        """Create every row; the files to write, as ``(section, row, field)``."""
        self.replace = replace
        files = []
        for section in sections.sections():
            rows = section.restore(self) or []
            files += [
                (section, row, name)
                for row in rows
                for name in section.files
                if getattr(row, name).name
            ]
        self.put_back_stamps()
        self.advance_sequences()
        return files

    # Helpers -----------------------------------------------------------------------------

    def row(self, model, record, *, what, keep_id, **relations):
        values = {}
        for column in plain_fields(model):
            if column.name in record:
                try:
                    values[column.attname] = column.to_python(record[column.name])
                except ValidationError as error:
                    self.problems.append(f"{what}: {column.name}: {' '.join(error.messages)}")
        obj = model(**values, **relations)
        if keep_id:
            obj.pk = record["id"]
        self.keep_stamps(obj, record)
        return obj

    def clean(self, obj, *, what):
        try:
            obj.full_clean()
        except ValidationError as error:
            self.problems += [
                f"{what}: {message}" if name == "__all__" else f"{what}: {name}: {message}"
                for name, messages in error.message_dict.items()
                for message in messages
            ]

    def stop_on_problems(self):
        if self.problems:
            raise BackupError(*self.problems)

    def keep_ids(self, model, records, *, taken_warning=None):
        """Whether ``records`` keep their old ids: all given, distinct and free here.

        ``taken_warning``: what to warn of when they get new ones (pages that show the ids).
        """
        ids = [record.get("id") for record in records]
        free = (
            all(type(pk) is int and pk > 0 for pk in ids)
            and len(set(ids)) == len(ids)
            # Every row, not the default manager's: one may leave some out.
            and not model._base_manager.filter(pk__in=ids).exists()
        )
        if free and ids:
            self.kept_ids.append((model, max(ids)))
        elif ids and taken_warning:
            self.result.warnings.append(taken_warning)
        return free

    def unique(self, part, key, *, normalise=str):
        found = {}
        for record in self.data[part]:
            value = normalise(record.get(key))
            if value in found:
                self.problems.append(f"{DATA}: two {part} have the {key} {value}.")
            found[value] = record
        return found

    def created(self, part, model, objs):
        self.stop_on_problems()
        made = model.objects.bulk_create(objs)
        self.result.counts[part] = len(made)
        return made

    def check_file_names(self, obj, names, *, what):
        for name in names:
            if not _safe_storage_name(getattr(obj, name).name):
                self.problems.append(f"{what}: {name}: the file name is not safe to store.")

    def keep_stamps(self, obj, record):
        """``obj`` gets the ``created`` and ``updated`` of the archive's ``record`` once in."""
        stamps = {}
        for column in stamp_fields(type(obj)):
            # A value that does not parse is reported by row(), for the record's own row.
            with contextlib.suppress(ValidationError):
                if column.name in record:
                    stamps[column.attname] = column.to_python(record[column.name])
        if stamps:
            self.stamps.append((obj, stamps))

    def put_back_stamps(self):
        """``created`` and ``updated`` as the archive has them; saving set them to now."""
        by_model = {}
        for obj, stamps in self.stamps:
            for attname, value in stamps.items():
                setattr(obj, attname, value)
            by_model.setdefault(type(obj), ([], set()))
            by_model[type(obj)][0].append(obj)
            by_model[type(obj)][1].update(stamps)
        for model, (objs, attnames) in by_model.items():
            # Sends no signal, sets no stamp; every row, not only the default manager's.
            model._base_manager.bulk_update(objs, sorted(attnames))

    def advance_sequences(self):
        """Move PostgreSQL's id sequences past the ids kept, never back.

        SQLite needs nothing: its AUTOINCREMENT counter follows the highest id inserted.
        """
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model, highest in self.kept_ids:
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)",
                    [model._meta.db_table, model._meta.pk.column],
                )
                (sequence,) = cursor.fetchone()
                cursor.execute(f"SELECT last_value FROM {sequence}")  # a name PostgreSQL gave
                if highest >= cursor.fetchone()[0]:
                    cursor.execute("SELECT setval(%s::regclass, %s)", [sequence, highest])
