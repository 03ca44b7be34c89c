"""The talks of a frab import and their speakers: all checked first, then written in bulk."""

from urllib.parse import urljoin

from django.urls import reverse

from infrastructure.slugs import UniqueSlugs
from schedule.importing.errors import ImportFileError
from schedule.importing.limits import column_length
from schedule.importing.names import name_key
from schedule.importing.results import Outcome
from schedule.importing.writer import (
    row_errors,
    talks_write,
    unique_errors,
)
from schedule.models import Talk


class TalkSync:
    """Creates or updates each talk of the file in ``event``, and links its speakers.

    ``run`` checks every talk (and every speaker a talk makes) before it writes
    anything, then writes them with a statement or a few per kind of change,
    whatever the number of talks.
    """

    def __init__(
        self, *, event, schedule, keys, places, speakers, new_speakers, result, source, limits
    ):
        self.event = event
        self.schedule = schedule
        self.keys = keys
        self.places = places
        self.speakers = speakers
        self.new_speakers = new_speakers
        self.result = result
        self.source = source
        self.limits = limits
        self.errors = []
        self.line_of = {}  # talk pk -> the file's line, once written
        self.new = []  # (talk, what, line) to insert
        self.changes = []  # (talk, changed fields) to update
        self.links = []  # (talk, speakers in file order, current links) to set
        self.lines = []  # (talk, line)
        existing = list(event.talks.order_by("pk").with_speakers())
        self.by_uuid = {talk.uuid: talk for talk in existing}
        self.by_external_id = {talk.external_id: talk for talk in existing if talk.external_id}
        self.taken_slugs = UniqueSlugs(talk.slug for talk in existing)
        guids = [entry.guid for entry in schedule.talks if entry.guid]
        self.guids_elsewhere = set(
            Talk.objects.filter(uuid__in=guids).exclude(event=event).values_list("uuid", flat=True)
        )

    def run(self, times):
        for entry, (start, end) in zip(self.schedule.talks, times, strict=True):
            self.sync(entry, start=start, end=end)
        self.errors += self.new_speakers.unique_errors()
        if self.new:
            uuids = [talk.uuid for talk, _, _ in self.new]
            taken = Talk.objects.filter(uuid__in=uuids).values_list("uuid", flat=True)
            self.errors += unique_errors(self.new, field="uuid", taken=taken)
        if self.errors:
            raise ImportFileError(self.errors, self.source)
        self.write()

    def identity(self, entry):
        """``(existing talk or None, fields that identify a new one)``."""
        if entry.guid is None:
            return self.by_external_id.get(entry.frab_id), {"external_id": entry.frab_id}
        kept_as = f"guid:{entry.guid}"
        talk = self.by_uuid.get(entry.guid) or self.by_external_id.get(kept_as)
        if entry.guid in self.guids_elsewhere:
            return talk, {"external_id": kept_as}
        return talk, {"uuid": entry.guid}

    def values(self, entry, *, start, end):
        return {
            "title": entry.title,
            "subtitle": entry.subtitle,
            "kind": entry.kind,
            "abstract": entry.abstract,
            "language": entry.language or Talk._meta.get_field("language").default,
            "do_not_record": entry.do_not_record,
            "room": self.places["room"].get(name_key(entry.room)),
            "track": self.places["track"].get(name_key(entry.track)),
            "start": start,
            "end": end,
            "source_url": entry.source_url,
        }

    def talk_speakers(self, entry):
        """The talk's speakers in file order, each once."""
        chosen = []
        for person in entry.persons:
            speaker = self.speakers[self.keys.external_id(person)]
            if all(speaker is not other for other in chosen):
                chosen.append(speaker)
        return chosen

    def is_own_page(self, url, talk):
        """Whether ``url`` is ``talk``'s own page on the site that wrote the file.

        Our export gives every talk its page as ``<url>``; that is no source of
        the talk, and taking it as one would change every talk on the first
        re-import of an export.
        """
        base_url = self.schedule.base_url
        if not url or not base_url:
            return False
        return url == urljoin(
            base_url, reverse("schedule:talk_detail", args=[self.event.slug, talk.slug])
        )

    def sync(self, entry, *, start, end):
        talk, identity = self.identity(entry)
        values = self.values(entry, start=start, end=end)
        if talk is not None and self.is_own_page(entry.source_url, talk):
            # Our own export names the talk's page here, not where the talk came from.
            values["source_url"] = talk.source_url
        if talk is None:
            slug = self.taken_slugs.make_from(
                entry.slug or entry.title, fallback="talk", max_length=column_length(Talk, "slug")
            )
            talk = Talk(event=self.event, slug=slug, is_published=True, **identity, **values)
            current_links, changed = [], None
        else:
            current_links = list(talk.talk_speakers.all())
            changed = [name for name, value in values.items() if _differs(talk, name, value)]
            for name in changed:
                setattr(talk, name, values[name])
        speakers = self.talk_speakers(entry)
        speakers_changed = [link.speaker_id for link in current_links] != [s.pk for s in speakers]
        if changed is None or changed:
            # clean() reads the room's and the track's event: these are the import's own rows.
            talk.room, talk.track = values["room"], values["track"]
            problems = row_errors(
                talk,
                what=entry.label,
                field_lines=entry.field_lines,
                default_line=entry.line,
                limits=self.limits,
            )
            if problems:
                self.errors.extend(problems)
                return
        if changed is None:
            self.new.append((talk, entry.label, entry.line))
            outcome = Outcome.CREATED
        elif changed:
            # Only what the file owns is written: slug and publication stay.
            self.changes.append((talk, [*changed, "updated"]))
            outcome = Outcome.UPDATED
        else:
            outcome = Outcome.UPDATED if speakers_changed else Outcome.UNCHANGED
        self.result.count("talks", outcome)
        self.lines.append((talk, entry.line))
        if speakers_changed:
            self.links.append((talk, speakers, current_links))

    def write(self):
        self.new_speakers.write()
        talks_write(new=self.new, changes=self.changes, links=self.links)
        self.line_of = {talk.pk: line for talk, line in self.lines}


def _differs(talk, name, value):
    if name in ("room", "track"):
        return getattr(talk, f"{name}_id") != (value.pk if value else None)
    return getattr(talk, name) != value
