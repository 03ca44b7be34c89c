"""What every importer does alike: match names, number slugs, check a row against the file,
sync the event, set speakers, report the clashes, retry once after a race, mark pages stale."""

import enum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError

from conference.models import Event
from infrastructure.page_cache import event_pages_changed
from schedule.clashes import schedule_clashes
from schedule.import_limits import ImportLimits, length_errors

# Clashes an import lists at most: a file whose talks all overlap has the square of its
# talks of them, and check_schedule lists them all.
MAX_CLASH_WARNINGS = 100


def speaker_name_key(name):
    """The form two spellings of one person's name share: "avi  KIVITY" ~ "Avi Kivity"."""
    return " ".join(name.split()).casefold()


class UniqueSlugs:
    """Slugs none of ``taken`` has: ``base``, else ``base-2``, ``base-3``… the first free one.

    The number to try next is kept per base, so that the 10,000th "Coffee break"
    of a file takes one look rather than 10,000: each import's slugs are found in
    time that grows with their number, not with its square. The slugs are the
    ones a search from 2 each time would find, since taken slugs stay taken.
    """

    def __init__(self, taken=()):
        self.taken = set(taken)
        self._next_number = {}

    def make(self, base, *, max_length=None):
        """A free slug from ``base``, now taken; a suffix shortens ``base`` to ``max_length``."""
        candidate = base
        if candidate in self.taken:
            number = self._next_number.get(base, 2)
            while candidate in self.taken:
                suffix = f"-{number}"
                stem = base if max_length is None else base[: max_length - len(suffix)]
                candidate = f"{stem}{suffix}"
                number += 1
            self._next_number[base] = number
        self.taken.add(candidate)
        return candidate


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def event_sync(*, event, event_slug, values, field_lines, error_class, source, limits=None):
    """The event ``event_slug`` made with ``values``, or ``event`` given those that differ.

    ``event`` is the existing row (locked by the caller) or None. The row is
    checked in full; a problem raises ``error_class`` with ``FILE:LINE``
    messages (``field_lines`` maps fields to lines of ``source``). A new event
    is published; an existing one is saved with only the fields that changed,
    so the organisers' own edits to the others stay. Returns the event and
    its :class:`Outcome`.
    """
    if event is None:
        event = Event(slug=event_slug, is_published=True, **values)
        changed = None
    else:
        changed = [name for name, value in values.items() if getattr(event, name) != value]
        if not changed:
            return event, Outcome.UNCHANGED
        for name in changed:
            setattr(event, name, values[name])
    errors = validation_errors(
        event,
        what=f"event {event_slug}",
        field_lines=field_lines,
        default_line=None,
        limits=limits,
    )
    if errors:
        raise error_class(errors, source)
    if changed is None:
        event.save()
        return event, Outcome.CREATED
    event.save(update_fields=[*changed, "updated"])
    return event, Outcome.UPDATED


def validation_errors(
    instance,
    *,
    what,
    field_lines,
    default_line,
    exclude=(),
    validate_unique=True,
    validate_constraints=True,
    limits=None,
):
    """``full_clean()``'s complaints as ``(line, message)``, pointing at the file.

    Text longer than ``limits`` (an :class:`ImportLimits`, the defaults if
    ``None``) allow is reported by :func:`length_errors` first, and those
    fields are not checked again. ``validate_unique`` and
    ``validate_constraints`` are ``full_clean()``'s: an importer that checks a
    whole batch at once turns them off and reports what it finds with
    :func:`validation_messages`.
    """
    errors, too_long = length_errors(
        instance,
        what=what,
        field_lines=field_lines,
        default_line=default_line,
        limits=limits or ImportLimits(),
    )
    try:
        instance.full_clean(
            exclude=[*exclude, *too_long],
            validate_unique=validate_unique,
            validate_constraints=validate_constraints,
        )
    except ValidationError as error:
        error = _without_the_forms_markdown_cap(error)
        if error is not None:
            errors += validation_messages(
                error, what=what, field_lines=field_lines, default_line=default_line
            )
    return errors


def _without_the_forms_markdown_cap(error):
    """``error`` less the model's Markdown length check, or None when nothing else is left.

    An import measures Markdown texts against its own ``max_text_length``
    (:func:`length_errors`, which ``--max-text-length`` raises), so the
    forms' fixed cap must not refuse what the organiser allowed.
    """
    if not hasattr(error, "error_dict"):
        return error
    kept = {
        name: [item for item in items if item.code != "markdown_too_long"]
        for name, items in error.error_dict.items()
    }
    kept = {name: items for name, items in kept.items() if items}
    return ValidationError(kept) if kept else None


def validation_messages(error, *, what, field_lines, default_line):
    """The ``ValidationError`` ``error`` as ``(line, message)``, one per message."""
    return [
        (
            field_lines.get(name, default_line),
            f"{what}: {message}" if name == NON_FIELD_ERRORS else f"{what}: {name}: {message}",
        )
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def clash_warnings(*, event, source, line_of, skip=()):
    """The schedule's clashes after an import, as ``FILE:LINE: clash: …`` warnings.

    ``line_of(talk)`` is the line of the file a talk was read from, or None;
    clashes of a code in ``skip`` are left out (the importer reported them
    already). At most ``MAX_CLASH_WARNINGS`` are listed, then one line says
    there are more; finding them stops there.
    """
    warnings = []
    for problem in schedule_clashes(event):
        if problem.code in skip:
            continue
        if len(warnings) == MAX_CLASH_WARNINGS:
            warnings.append(
                f"{source}: more clashes than the {MAX_CLASH_WARNINGS} above; "
                f"manage.py check_schedule --event {event.slug} lists them all"
            )
            break
        line = line_of(problem.talks[0])
        where = f"{source}:{line}" if line else source
        warnings.append(f"{where}: clash: {problem.message}")
    return warnings


def import_with_one_retry(attempt, *, event_slug, error_class, source):
    """``attempt()``, the transaction of an import; once more if another import won a race.

    An import locks its event's row, so two imports of an existing event take
    turns. Two imports creating the same event (or the same speaker) both
    insert it, and the database refuses the later one: that import's
    transaction is rolled back and run once more, and now finds the rows the
    other one committed. Losing twice raises ``error_class`` (the importer's
    ``FILE:LINE`` error) rather than a database traceback.
    """
    try:
        return attempt()
    except IntegrityError:
        pass
    try:
        return attempt()
    except IntegrityError as error:
        message = (
            f"the event {event_slug} changed while this import ran (another import at the "
            f"same time?); nothing was imported, run it again ({str(error).splitlines()[0]})"
        )
        raise error_class([(None, message)], source) from error


def import_pages_changed(*, event, updated_speakers=()):
    """Mark stale the pages of ``event``, and of other events whose speakers the file updated.

    Bulk writes send no signals, so an importer that writes in bulk says once,
    at the end, which cached pages its rows changed.
    """
    other_events = (
        Event.objects.filter(talks__talk_speakers__speaker__in=updated_speakers)
        .values_list("slug", flat=True)
        .distinct()
        if updated_speakers
        else []
    )
    event_pages_changed(event.slug, *other_events)
