"""A synthetic event of any size, for tests, demos and benchmarks.

``event_generate`` builds a published event with rooms, tracks, talks and
speakers that look like a real programme: titles and Markdown abstracts
(some with lists) from word lists, bios, affiliations. The speakers are a
pool of 1.1 × talks people who all speak; a tenth of them give a second
talk (a few a third), so talks have about 1.2 speakers each (one talk in five
has two). Everything comes from one
``random.Random(seed)``, so a seed always gives the same titles, times and
speakers (not the same UUIDs, which stay random as everywhere else).

The timetable is a grid: every day, ``slots`` rows from 09:00, each 30 or 45
minutes long, 15 minutes apart and an hour for lunch after the middle row;
every room holds one talk per row. So no room is ever double-booked, and the
speakers are placed so that none is in two rooms at once.

Rows are written with ``bulk_create`` (a few queries per table, not one per
row), so the speakers' profile history gets no "created" entry; it starts
with their first edit.
"""

import datetime
import random
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from conference.models import Event, Room, Track
from conference.venue_time import venue_datetime
from infrastructure.page_cache import event_pages_changed
from schedule.models import Talk, TalkSpeaker
from speakers.models import Speaker

DEFAULT_START_DATE = datetime.date(2030, 5, 6)  # a Monday, far from any clock change
DAY_START = datetime.time(9, 0)
SLOT_MINUTES = (30, 45)
BREAK_MINUTES = 15
LUNCH_MINUTES = 60
# Slots of 45 minutes with their breaks and lunch must end before midnight.
MAX_SLOTS = 14
POOL_PER_TALK = 1.1  # the speaker pool's size, per talk
REPEAT_SHARE = 0.1  # of the pool, extra talks given by speakers who already have one
EXTERNAL_ID_PREFIX = "generate"
SPEAKER_SLUG_MAX_LENGTH = 200
TALK_SLUG_MAX_LENGTH = 200

TRACKS = (
    ("Databases", "#1f77b4", ("PostgreSQL", "SQLite", "query planners", "replication")),
    ("Web", "#ff7f0e", ("Django", "HTTP/3", "WebAssembly", "accessible forms")),
    ("Security", "#2ca02c", ("TLS", "supply chains", "passkeys", "sandboxing")),
    ("Infrastructure", "#d62728", ("Kubernetes", "Ansible", "observability", "CI pipelines")),
    ("Languages", "#9467bd", ("Rust", "Python typing", "Go generics", "compilers")),
    ("Community", "#8c564b", ("mentoring", "documentation", "governance", "funding")),
)
TITLE_PATTERNS = (
    "{Topic} in production: what we learned",
    "A gentle introduction to {topic}",
    "Scaling {topic} to {number} users",
    "{Topic} without the pain",
    "What's new in {topic}",
    "Ten years of {topic}",
    "Debugging {topic} at 3 a.m.",
    "{Topic} for {audience}",
    "Why your {topic} is slow, and how to fix it",
    "Building {thing} with {topic}",
    "The hidden costs of {topic}",
    "From zero to {topic}",
)
AUDIENCES = ("beginners", "small teams", "data scientists", "maintainers", "students")
THINGS = ("a search engine", "a conference site", "a game", "a shop", "a CLI", "a bot")
NUMBERS = ("a million", "ten thousand", "a billion", "100k")
FIRST_NAMES = """
    Ada Alan Alex Amara Ana Andrea Ari Aya Bea Ben Bo Carla Chen Chidi Dana Daniel Dara Elena
    Emil Eva Farah Finn Gita Hana Hugo Ines Ivan Jana Jon Kai Kemal Lara Leo Lina Luca Maja Malik
    Maria Mateo Mei Mina Nadia Nils Noor Omar Oren Paula Pia Quinn Rafael Rana Ravi Rosa Sami
    Sara Sofia Tariq Tess Theo Uma Vera Wen Xavier Yara Yusuf Zoe
"""
LAST_NAMES = """
    Abara Becker Bianchi Costa Dahl Diaz Eriksen Fischer Garcia Haddad Hansen Ito Jansen Kato
    Kowalski Laurent Lee Lindqvist Martin Meyer Moreau Nagy Nakamura Novak Okafor Olsen Park
    Patel Peeters Petrov Quinn Rossi Santos Schmidt Silva Singh Sousa Tanaka Tran Varga Vogel
    Wagner Weber Wong Yilmaz Young Zhang Ziegler
"""
INITIALS = tuple(f"{letter}." for letter in "ABCDEFGHJKLMNPRSTVW")
AFFILIATIONS = (
    "Acme Corp",
    "University of Ghent",
    "Open Source Initiative",
    "Freelance",
    "KU Leuven",
    "Red Hat",
    "Mozilla",
    "ETH Zürich",
    "The Document Foundation",
    "Self-employed",
)
ROOM_NAMES = ("Auditorium", "Main Hall")


@dataclass
class EventGenerateResult:
    """What was generated."""

    event: Event
    seed: int
    rooms: int
    tracks: int
    talks: int
    speakers: int
    talk_speakers: int

    def summary(self):
        event = self.event
        days = len(event.days)
        return (
            f"Event {event.slug}: {days} day{'s' if days != 1 else ''} from "
            f"{event.start_date.isoformat()} in {event.time_zone}, {self.rooms} rooms, "
            f"{self.tracks} tracks, {self.talks} talks, {self.speakers} speakers "
            f"({self.talk_speakers} talk speakers), seed {self.seed}."
        )


class EventGenerateError(ValueError):
    """The event cannot be generated as asked."""


def _check(*, slug, days, rooms, slots, time_zone, replace):
    problems = [
        f"{name} must be at least 1, not {value}"
        for name, value in (("days", days), ("rooms", rooms), ("slots", slots))
        if value < 1
    ]
    if slots > MAX_SLOTS:
        problems.append(f"at most {MAX_SLOTS} slots fit in a day from 09:00, not {slots}")
    if time_zone not in zoneinfo.available_timezones():
        problems.append(f'unknown time zone "{time_zone}": expected an IANA name')
    try:
        Event._meta.get_field("slug").clean(slug, None)
    except ValidationError as error:
        problems += [f'slug "{slug}": {message}' for message in error.messages]
    if not replace and Event.objects.filter(slug=slug).exists():
        problems.append(f'an event "{slug}" exists: pass --replace to delete it and generate anew')
    if problems:
        raise EventGenerateError("; ".join(problems))


def _event_delete(slug):
    """Delete the event and the speakers generated for it who speak nowhere else.

    Those who do speak elsewhere stay, without the generator's external id,
    which the new event's speakers take.
    """
    Event.objects.filter(slug=slug).delete()
    generated = Speaker.objects.filter(external_id__startswith=f"{EXTERNAL_ID_PREFIX}:{slug}:")
    generated.filter(talks__isnull=True).delete()
    generated.update(external_id="")


def _slot_rows(rng, *, start_date, days, slots, zone):
    """``[(start, end)]`` of every row of every day, in order."""
    rows = []
    for day in range(days):
        clock = datetime.datetime.combine(start_date + datetime.timedelta(days=day), DAY_START)
        for slot in range(slots):
            length = datetime.timedelta(minutes=rng.choice(SLOT_MINUTES))
            rows.append((venue_datetime(clock, zone), venue_datetime(clock + length, zone)))
            pause = LUNCH_MINUTES if slot == (slots - 1) // 2 and slots > 2 else BREAK_MINUTES
            clock += length + datetime.timedelta(minutes=pause)
    return rows


def _rooms(rng, count):
    """``count`` rooms' ``(name, capacity)``: two big halls, then numbered rooms."""
    halls = [(name, 800 // (index + 1)) for index, name in enumerate(ROOM_NAMES)]
    numbered = [
        (f"Room {number}", rng.choice((40, 60, 80, 120, 200)))
        for number in range(1, count - len(halls) + 1)
    ]
    return (halls + numbered)[:count]


def _speaker_names(rng, count):
    """``count`` different names; middle initials once the plain names run short."""
    firsts, lasts = FIRST_NAMES.split(), LAST_NAMES.split()
    plain = [f"{first} {last}" for first in firsts for last in lasts]
    if count <= len(plain) // 2:
        return rng.sample(plain, count)
    initialled = [
        f"{first} {initial} {last}" for first in firsts for initial in INITIALS for last in lasts
    ]
    return rng.sample(plain + initialled, count)


def _unique_slug(base, taken, *, fallback, max_length):
    base = base[:max_length].strip("-") or fallback
    candidate, number = base, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = f"{base[: max_length - len(suffix)]}{suffix}"
        number += 1
    taken.add(candidate)
    return candidate


def _bio(rng, name, affiliation, topics):
    first = name.split()[0]
    lines = [
        f"{first} works on {topics[0]} at {affiliation} and has spoken at "
        f"{rng.randint(2, 30)} conferences.",
    ]
    if rng.random() < 0.5:
        lines.append(f"Outside work, {first} maintains a small library for {topics[1]}.")
    return " ".join(lines)


def _abstract(rng, topic, track_name):
    paragraphs = [
        f"**{topic[0].upper()}{topic[1:]}** keeps coming up in {track_name.lower()} "
        f"conversations, yet most teams still learn it the hard way. This talk shows what "
        f"works, what does not, and why.",
    ]
    if rng.random() < 0.4:
        points = rng.sample(
            [
                f"how {topic} behaves under load",
                "the failure modes nobody documents",
                "a migration plan you can start on Monday",
                "tools that save hours every week",
                "numbers from a real deployment",
                "what to measure first",
            ],
            3,
        )
        paragraphs.append("You will learn:\n\n" + "\n".join(f"- {point}" for point in points))
    if rng.random() < 0.5:
        paragraphs.append(
            f"No prior knowledge of {topic} is needed; bring questions, and a laptop if you "
            "want to follow the examples."
        )
    return "\n\n".join(paragraphs)


def _title(rng, topic):
    pattern = rng.choice(TITLE_PATTERNS)
    return pattern.format(
        topic=topic,
        Topic=topic[0].upper() + topic[1:],
        number=rng.choice(NUMBERS),
        audience=rng.choice(AUDIENCES),
        thing=rng.choice(THINGS),
    )


def _seats(rng, talk_count, pool_size):
    """Per talk, its speakers as indices into the pool, each member of the pool once.

    The first ``talk_count`` of a shuffled pool open one talk each; the rest
    join talks as second speakers. Nobody has two talks yet, so nobody
    clashes; ``_place_repeats`` then gives some a further talk.
    """
    order = list(range(pool_size))
    rng.shuffle(order)
    seats = [[order[index]] for index in range(talk_count)]
    joining = order[talk_count:]
    second = rng.sample(range(talk_count), min(talk_count, len(joining)))
    for talk_index, speaker in zip(second, joining, strict=False):
        seats[talk_index].append(speaker)
    return seats


def _place_repeats(rng, seats, talk_rows, pool_size):
    """Give ``REPEAT_SHARE`` of the pool a further talk, never at a time they already speak."""
    busy = {}  # speaker -> the rows they speak in
    for speakers, row in zip(seats, talk_rows, strict=True):
        for speaker in speakers:
            busy.setdefault(speaker, set()).add(row)
    open_talks = [index for index, speakers in enumerate(seats) if len(speakers) == 1]
    rng.shuffle(open_talks)
    for talk_index in open_talks[: round(pool_size * REPEAT_SHARE)]:
        row = talk_rows[talk_index]
        for _ in range(50):
            speaker = rng.randrange(pool_size)
            if row not in busy[speaker] and speaker not in seats[talk_index]:
                seats[talk_index].append(speaker)
                busy[speaker].add(row)
                break
    return seats


def event_generate(
    *,
    slug,
    days,
    rooms,
    slots,
    seed=0,
    start_date=None,
    time_zone="Europe/Brussels",
    replace=False,
):
    """Create the published event ``slug`` with ``days × rooms × slots`` talks; see the module.

    Raises :class:`EventGenerateError` when the sizes, zone or slug will not
    do, or when the event exists and ``replace`` is false; with ``replace``,
    the event (and the speakers generated for it alone) is deleted first.
    """
    _check(slug=slug, days=days, rooms=rooms, slots=slots, time_zone=time_zone, replace=replace)
    rng = random.Random(seed)
    zone = zoneinfo.ZoneInfo(time_zone)
    start_date = start_date or DEFAULT_START_DATE
    with transaction.atomic():
        if replace:
            _event_delete(slug)
        event = Event.objects.create(
            slug=slug,
            name=f"{slug.replace('-', ' ').title()} Conference",
            tagline=f"A generated programme of {days * rooms * slots} talks (seed {seed}).",
            description=(
                "A **synthetic** event for tests, demos and benchmarks.\n\n"
                f"- {days} days\n- {rooms} rooms\n- {slots} talks per room and day"
            ),
            location=time_zone.rsplit("/", 1)[-1].replace("_", " "),
            start_date=start_date,
            end_date=start_date + datetime.timedelta(days=days - 1),
            time_zone=time_zone,
            is_published=True,
        )
        room_rows = Room.objects.bulk_create(
            Room(event=event, name=name, slug=slugify(name), capacity=capacity, position=index)
            for index, (name, capacity) in enumerate(_rooms(rng, rooms))
        )
        track_rows = Track.objects.bulk_create(
            Track(event=event, name=name, slug=slugify(name), colour=colour, position=index)
            for index, (name, colour, _) in enumerate(TRACKS)
        )

        rows = _slot_rows(rng, start_date=start_date, days=days, slots=slots, zone=zone)
        # Talks row by row, room by room: (row index, room).
        places = [(row, room) for row in range(len(rows)) for room in room_rows]
        tracks_of = [rng.randrange(len(TRACKS)) for _ in places]
        talk_slugs = set()
        talks = []
        for index, ((row, room), track_index) in enumerate(zip(places, tracks_of, strict=True)):
            topic = rng.choice(TRACKS[track_index][2])
            title = _title(rng, topic)
            first_of_day = row % slots == 0 and room.position == 0
            talks.append(
                Talk(
                    event=event,
                    title="Keynote: " + title if first_of_day else title,
                    slug=_unique_slug(
                        slugify(title), talk_slugs, fallback="talk", max_length=TALK_SLUG_MAX_LENGTH
                    ),
                    kind=Talk.Kind.KEYNOTE if first_of_day else Talk.Kind.TALK,
                    abstract=_abstract(rng, topic, TRACKS[track_index][0]),
                    track=track_rows[track_index],
                    room=room,
                    start=rows[row][0],
                    end=rows[row][1],
                    language="en",
                    external_id=f"{EXTERNAL_ID_PREFIX}:{index}",
                )
            )
        talks = Talk.objects.bulk_create(talks)

        pool_size = max(1, round(len(talks) * POOL_PER_TALK))
        names = _speaker_names(rng, pool_size)
        # Speaker slugs are unique across events: others' are taken.
        taken = set(Speaker.objects.values_list("slug", flat=True))
        speakers = []
        for index, name in enumerate(names):
            affiliation = rng.choice(AFFILIATIONS)
            topics = rng.sample(TRACKS[rng.randrange(len(TRACKS))][2], 2)
            speakers.append(
                Speaker(
                    name=name,
                    slug=_unique_slug(
                        slugify(name), taken, fallback="speaker", max_length=SPEAKER_SLUG_MAX_LENGTH
                    ),
                    affiliation=affiliation,
                    bio=_bio(rng, name, affiliation, topics),
                    external_id=f"{EXTERNAL_ID_PREFIX}:{slug}:{index}",
                )
            )
        speakers = Speaker.objects.bulk_create(speakers)

        seats = _seats(rng, len(talks), pool_size)
        seats = _place_repeats(rng, seats, [row for row, _ in places], pool_size)
        links = TalkSpeaker.objects.bulk_create(
            TalkSpeaker(talk=talk, speaker=speakers[speaker], position=position)
            for talk, talk_seats in zip(talks, seats, strict=True)
            for position, speaker in enumerate(talk_seats)
        )
        # bulk_create sends no signals: tell the page cache directly.
        event_pages_changed(event.slug)
    return EventGenerateResult(
        event=event,
        seed=seed,
        rooms=len(room_rows),
        tracks=len(track_rows),
        talks=len(talks),
        speakers=len(speakers),
        talk_speakers=len(links),
    )
