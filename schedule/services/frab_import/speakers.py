"""The speakers of a frab import: keyed on the person's guid or id, made and written in bulk.

Speakers' profiles are history-tracked (django-simple-history). Rows are
written with ``bulk_create_with_history`` and ``bulk_update_with_history``, so
each new speaker still gets its "created" entry and each filled bio its
"changed" one, as ``save()`` gave them.
"""

from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from schedule.frab import FrabError
from schedule.import_limits import excerpt
from schedule.services.frab_import.rows import constraint_message, row_errors, unique_errors
from schedule.services.importing import Outcome, UniqueSlugs
from speakers.models import Speaker

SLUG_BASE_LENGTH = 190  # as Speaker.unique_slug_for: room for "-2", "-3"… within 200


def speaker_external_id(person, *, namespace):
    """``guid:<uuid>``, ``<namespace>:person:<id>``, or "" for a person with neither."""
    if person.guid:
        return f"guid:{person.guid}"
    if person.person_id:
        return f"{namespace}:person:{person.person_id}"
    return ""


class NewSpeakers:
    """Speakers an import creates: their slugs, their checks, and one bulk insert.

    A slug is the one ``Speaker.unique_slug_for`` would give, found in one read
    of the slugs taken rather than a query per speaker.
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
        slug = self.slugs.make(slugify(name)[:SLUG_BASE_LENGTH] or "speaker")
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


def speakers_sync(*, schedule, namespace, new_speakers, result, source):
    """``(speakers, updated)``: the Speaker of every person with an id or guid, by external id.

    ``updated`` are those whose blank bio the file filled. Both are written here.
    """
    wanted = {}
    for talk in schedule.talks:
        for person in talk.persons:
            key = speaker_external_id(person, namespace=namespace)
            if key and (key not in wanted or (person.biography and not wanted[key].biography)):
                wanted[key] = person
    existing = (
        {
            speaker.external_id: speaker
            for speaker in Speaker.objects.filter(external_id__in=list(wanted))
        }
        if wanted
        else {}
    )
    new_speakers.stored_external_ids.update(existing)
    speakers, updated, errors = {}, [], []
    for key, person in wanted.items():
        speaker = existing.get(key)
        if speaker is None:
            speaker = new_speakers.make(name=person.name, bio=person.biography, external_id=key)
            problems = new_speakers.add(speaker, line=person.line, field_lines=person.field_lines)
            outcome = Outcome.CREATED
        # Speakers edit their own profiles: the file only fills a blank bio.
        elif person.biography and not speaker.bio.strip():
            speaker.bio = person.biography
            problems = row_errors(
                speaker,
                what=f'speaker "{excerpt(person.name)}"',
                field_lines=person.field_lines,
                default_line=person.line,
                limits=new_speakers.limits,
            )
            outcome = Outcome.UPDATED
            if not problems:
                updated.append(speaker)
        else:
            speakers[key] = speaker
            result.count("speakers", Outcome.UNCHANGED)
            continue
        if problems:
            errors.extend(problems)
            continue
        speakers[key] = speaker
        result.count("speakers", outcome)
    errors += new_speakers.unique_errors()
    if errors:
        raise FrabError(errors, source)
    new_speakers.write()
    if updated:
        now = timezone.now()
        for speaker in updated:
            speaker.updated = now
        bulk_update_with_history(updated, Speaker, fields=["bio", "updated"])
    return speakers, updated
