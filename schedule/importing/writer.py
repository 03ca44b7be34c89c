"""The one bulk writer of every importer: validate in Python, read once, write once per change.

``full_clean()`` asks the database once per unique field and per constraint of
every row (a ``CheckConstraint`` too: Django runs its condition as a query).
For the thousands of rows of a big schedule that was most of an import's
time. Here a row is validated in Python (fields and ``clean()``), its
uniqueness is checked for the whole batch against one read of the values the
database holds, and rows are written with ``bulk_create``/``bulk_update``, a
statement per kind of change (SQLite splits a long insert into batches of a
few dozen rows). Bulk writes send no signals, so an import marks its cached
pages stale once, at the end (:func:`import_pages_changed`).

Speakers' profiles are history-tracked (django-simple-history): they are
written with ``bulk_create_with_history`` and ``bulk_update_with_history``, so
each new speaker still gets its "created" entry and each filled field its
"changed" one, as ``save()`` gave them.
"""

from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import CheckConstraint
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from conference.models import Event
from infrastructure.page_cache import event_pages_changed
from infrastructure.slugs import UniqueSlugs
from schedule.importing.errors import ImportFileError
from schedule.importing.limits import ImportLimits, column_length, excerpt, length_errors
from schedule.importing.results import Outcome
from schedule.models import Talk, TalkSpeaker
from speakers.models import Speaker

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


def event_sync(*, event, event_slug, values, field_lines, source, limits=None):
    """The event ``event_slug`` made with ``values``, or ``event`` given those that differ.

    ``event`` is the existing row (locked by the caller) or None. The row is
    checked in full; a problem raises :class:`ImportFileError` with ``FILE:LINE``
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
        raise ImportFileError(errors, source)
    if changed is None:
        event.save()
        return event, Outcome.CREATED
    event.save(update_fields=[*changed, "updated"])
    return event, Outcome.UPDATED


class NewSpeakers:
    """Speakers an import creates: their slugs, their checks, and one bulk insert.

    Slugs are numbered as ``Speaker.unique_slug_for`` numbers them (both use
    ``UniqueSlugs``), from one read of the slugs taken rather than a query per speaker.
    """

    def __init__(self, *, limits=None):
        self.limits = limits
        self.stored_slugs = None  # read on first need: a second run creates no one
        self.slugs = None
        # External ids the database holds, as far as the import has read them.
        self.stored_external_ids = set()
        self.rows = []  # (speaker, what, line)

    def make(self, *, name, external_id="", **fields):
        """An unsaved Speaker named ``name`` with a slug no one has; ``fields`` are its others."""
        if self.stored_slugs is None:
            self.stored_slugs = set(Speaker.objects.order_by().values_list("slug", flat=True))
            self.slugs = UniqueSlugs(self.stored_slugs)
        slug = self.slugs.make_from(
            name, fallback="speaker", max_length=column_length(Speaker, "slug")
        )
        return Speaker(name=name, slug=slug, external_id=external_id, **fields)

    def add(self, speaker, *, line, field_lines=None):
        """Note ``speaker`` for insertion if it validates; its errors otherwise.

        ``line`` is where the file names the speaker, ``field_lines`` where it
        gives their fields (the bio) if elsewhere.
        """
        what = f'speaker "{excerpt(speaker.name)}"'
        problems = row_errors(
            speaker,
            what=what,
            field_lines=field_lines or {},
            default_line=line,
            limits=self.limits,
        )
        if not problems:
            self.rows.append((speaker, what, line))
        return problems

    def unique_errors(self):
        """What ``full_clean()``'s unique checks would say of the noted speakers."""
        if not self.rows:
            return []
        uuids = [speaker.uuid for speaker, _, _ in self.rows]
        return [
            *unique_errors(self.rows, field="slug", taken=self.stored_slugs),
            *unique_errors(
                self.rows,
                field="uuid",
                taken=Speaker.objects.filter(uuid__in=uuids).values_list("uuid", flat=True),
            ),
            # Every external id a new speaker has was looked up: see speakers_sync.
            *unique_errors(
                self.rows,
                field="external_id",
                taken=self.stored_external_ids,
                message=constraint_message(Speaker, "speaker_external_id_unique"),
            ),
        ]

    def write(self):
        speakers = [speaker for speaker, _, _ in self.rows]
        if speakers:
            bulk_create_with_history(speakers, Speaker)
        if self.stored_slugs is not None:
            self.stored_slugs = set(self.slugs.taken)
        self.stored_external_ids.update(s.external_id for s, _, _ in self.rows if s.external_id)
        self.rows = []


def talks_write_checked(*, new, changes, links, taken, errors, source):
    """``talks_write`` once the batch is whole: no new talk takes a stored or earlier external id.

    ``taken`` are the stored talks by external id; ``errors`` are those the rows
    already gave. Any error refuses the whole file, with its ``FILE:LINE``.
    """
    errors = [
        *errors,
        *unique_errors(
            new,
            field="external_id",
            taken=taken,
            message=constraint_message(Talk, "talk_external_id_unique_per_event"),
        ),
    ]
    if errors:
        raise ImportFileError(errors, source)
    talks_write(new=new, changes=changes, links=links)


def talks_write(*, new, changes, links):
    """Insert the ``new`` talks, update the ``changes``, set each talk's speakers (``links``).

    ``new`` are ``(talk, what, line)``, ``changes`` ``(talk, changed fields)``,
    ``links`` as :func:`talk_links_write` takes them.
    """
    Talk.objects.bulk_create([talk for talk, _, _ in new])
    now = timezone.now()  # what auto_now would set; bulk_update leaves it to us
    for talk, _ in changes:
        talk.updated = now
    bulk_update_changed(changes, update=Talk.objects.bulk_update)
    talk_links_write(links)


def speakers_update(speakers, *, fields):
    """Write the ``fields`` an import filled in of existing ``speakers``, with their history."""
    if not speakers:
        return
    now = timezone.now()  # what auto_now would set; bulk_update leaves it to us
    for speaker in speakers:
        speaker.updated = now
    bulk_update_with_history(speakers, Speaker, fields=[*fields, "updated"])


def talk_links_write(links):
    """Make each talk's speakers the ones given, in that order, touching few rows.

    ``links`` are ``(talk, speakers, current links)``, for any number of talks
    at once; every importer writes its talks' speakers with it. A person the
    file no longer names is unlinked from the talk; the Speaker row itself stays.
    """
    stale, new, moved = [], [], []
    for talk, speakers, current_links in links:
        speaker_ids = [speaker.pk for speaker in speakers]
        wanted = set(speaker_ids)
        by_speaker = {link.speaker_id: link for link in current_links}
        stale += [link.pk for link in current_links if link.speaker_id not in wanted]
        for position, speaker_id in enumerate(speaker_ids):
            link = by_speaker.get(speaker_id)
            if link is None:
                new.append(TalkSpeaker(talk=talk, speaker_id=speaker_id, position=position))
            elif link.position != position:
                link.position = position
                moved.append(link)
    if stale:
        # Rare (a file that drops a speaker), and deleting sends each link's signals.
        TalkSpeaker.objects.filter(pk__in=stale).delete()
    TalkSpeaker.objects.bulk_create(new)
    TalkSpeaker.objects.bulk_update(moved, ["position"])


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
