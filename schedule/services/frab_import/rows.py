"""Checking and writing many rows at once: model validation without a query per row.

``full_clean()`` asks the database once per unique field and per constraint of
every row (a ``CheckConstraint`` too: Django runs its condition as a query).
For the thousands of rows of a big schedule that was most of an import's
time. Here a row is validated in Python (fields and ``clean()``), its
uniqueness is checked for the whole batch against one read of the values the
database holds, and rows are written with ``bulk_create``/``bulk_update``.
"""

from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import CheckConstraint

from schedule.services.importing import validation_errors, validation_messages

# Check constraints that full_clean() already enforces without the database,
# and that Django skips anyway once a field they read is in error. Any other
# check constraint of a model validated here is still asked of the database,
# row by row, so that a new one is never left unchecked.
RULES_CHECKED_IN_PYTHON = {
    "talk_times_both_or_neither_and_end_after_start": "Talk.clean()",
    "track_colour_is_hex": "Track.colour's validator",
}


def row_errors(instance, *, what, field_lines, default_line, limits=None):
    """``validation_errors()`` of one row without a query per row.

    Foreign keys are not looked up again (the importer holds the very rows
    they point to), uniqueness is left to :func:`unique_errors`, and check
    constraints to ``clean()`` and the fields' validators (see
    ``RULES_CHECKED_IN_PYTHON``).
    """
    meta = instance._meta
    relations = [field.name for field in meta.concrete_fields if field.is_relation]
    errors = validation_errors(
        instance,
        what=what,
        field_lines=field_lines,
        default_line=default_line,
        exclude=relations,
        validate_unique=False,
        validate_constraints=False,
        limits=limits,
    )
    if errors:
        return errors
    others = [
        constraint
        for constraint in meta.constraints
        if isinstance(constraint, CheckConstraint)
        and constraint.name not in RULES_CHECKED_IN_PYTHON
    ]
    for constraint in others:
        try:
            constraint.validate(type(instance), instance, exclude=relations)
        except ValidationError as error:
            errors += validation_messages(
                ValidationError({NON_FIELD_ERRORS: error.messages}),
                what=what,
                field_lines=field_lines,
                default_line=default_line,
            )
    return errors


def unique_errors(rows, *, field, taken, message=None):
    """``(line, message)`` for each new row whose unique ``field`` is already held.

    ``rows`` are ``(instance, what, line)`` of rows about to be inserted;
    ``taken`` the values the database holds. A value an earlier row of
    ``rows`` has is taken too. Empty values are skipped (they are never
    unique). The message is Django's unique check's, or ``message`` for a
    constraint's own, so that the file's errors read as ``full_clean()``'s do.
    """
    errors, seen = [], set(taken)
    for instance, what, line in rows:
        value = getattr(instance, field)
        if value in (None, ""):
            continue
        if value in seen:
            if message is None:
                found = instance.unique_error_message(type(instance), (field,))
                error = ValidationError({field: [found]})
            else:
                error = ValidationError({NON_FIELD_ERRORS: [message]})
            errors += validation_messages(error, what=what, field_lines={}, default_line=line)
        seen.add(value)
    return errors


def constraint_message(model, name):
    """The violation message of ``model``'s constraint ``name``."""
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return constraint.get_violation_error_message()


def bulk_update_changed(changes, *, update):
    """Write ``(instance, changed field names)`` pairs with ``update(instances, fields)``.

    Rows are grouped by the fields that changed, so each row is written only
    where it changed (as ``save(update_fields=…)`` would), in one statement
    per group rather than per row.
    """
    groups = defaultdict(list)
    for instance, fields in changes:
        groups[tuple(fields)].append(instance)
    for fields, instances in groups.items():
        update(instances, list(fields))
