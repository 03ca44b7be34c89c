"""Tests of ``agenda_import``: the 2012 agenda end to end, and its edge cases on small files."""

import datetime
from pathlib import Path

import pytest
import time_machine

import schedule
from conference.models import Event
from infrastructure.page_cache import event_version
from schedule.formats.agenda.importer import agenda_import
from schedule.importing.errors import ImportFileError
from schedule.importing.results import Outcome
from schedule.models import Talk, TalkSpeaker
from speakers.models import Speaker
from tests.factories import EventFactory, RoomFactory, SpeakerFactory, TalkFactory, TrackFactory

AGENDA = Path(schedule.__file__).parent / "data" / "kvm-forum-2012-agenda.txt"
SLUG = "kvm-forum-2012"
UTC = datetime.UTC
# Four lines, so the first talk of a small agenda starts on line 5, its time on line 7.
HEADER = ("# Small Conf", "## Location: Barcelona, Spain", "## Date: November 7-9, 2012", "")
# Queries of an import that creates everything, and of a second run that changes nothing.
FIRST_RUN_QUERIES = 19
SECOND_RUN_QUERIES = 10


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def import_2012(**kwargs):
    return agenda_import(path=AGENDA, event_slug=SLUG, **({"zone": "Europe/Madrid"} | kwargs))


def write_agenda(tmp_path, *rows, name="agenda.txt"):
    path = tmp_path / name
    path.write_text("\n".join(rows), encoding="utf-8")
    return path


def edited_agenda(tmp_path, *replacements):
    """A copy of the 2012 agenda with each ``(old, new)`` text replaced once."""
    text = AGENDA.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "edited.txt"
    path.write_text(text, encoding="utf-8")
    return path


def talk_block(title, *, name="Avi Kivity", time="November 7, 2012 9:00 - 9:30 CET", url=""):
    rows = [f"## {title}", f"### Name: {name}", f"### Time: {time}", "", "An abstract.", ""]
    if url:
        rows += [f"For more information, including speaker bio, visit {url}", ""]
    return rows


def database_snapshot():
    """Every row the importer may touch, with its timestamps."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Event, Talk, Speaker, TalkSpeaker)
    }


def counts(result):
    return (
        result.event_outcome,
        (result.talks_created, result.talks_updated, result.talks_unchanged),
        (result.speakers_created, result.speakers_updated, result.speakers_unchanged),
    )


@pytest.mark.django_db
def test_agenda_import_creates_the_2012_event():
    result = import_2012()

    event = Event.objects.get(slug=SLUG)
    assert counts(result) == (Outcome.CREATED, (34, 0, 0), (30, 0, 0))
    assert result.dry_run is False
    assert event.name == "KVM Forum + oVirt Workshop"
    assert event.location == "Barcelona, Spain"
    assert (event.start_date, event.end_date) == (
        datetime.date(2012, 11, 7),
        datetime.date(2012, 11, 9),
    )
    assert event.time_zone == "Europe/Madrid"
    assert event.is_published is True
    assert event.description.startswith("KVM is an industry leading open source hypervisor")
    assert event.description.endswith("this workshop is for you!")
    assert event.description.count("\n\n") == 2


@pytest.mark.django_db
def test_agenda_import_summary_reports_the_counts():
    result = import_2012()

    assert result.summary() == (
        "Event kvm-forum-2012: created. Talks: 34 created, 0 updated, 0 unchanged. "
        "Speakers: 30 created, 0 updated, 0 unchanged."
    )


@pytest.mark.django_db
def test_agenda_import_creates_34_published_talks_and_30_speakers():
    import_2012()

    assert Talk.objects.filter(event__slug=SLUG, is_published=True).count() == 34
    assert Speaker.objects.count() == 30
    assert TalkSpeaker.objects.count() == 34


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "start", "end"),
    [
        ("Keynote Address", utc(2012, 11, 7, 8, 0), utc(2012, 11, 7, 8, 15)),
        ("A Block Layer Overview", utc(2012, 11, 8, 12, 0), utc(2012, 11, 8, 12, 45)),
        ("OpenStack: KVM for the Masses", utc(2012, 11, 9, 9, 30), utc(2012, 11, 9, 10, 0)),
    ],
)
def test_agenda_import_takes_times_as_madrid_winter_time(title, start, end):
    import_2012()

    talk = Talk.objects.get(title=title)
    assert (talk.start, talk.end) == (start, end)


@pytest.mark.django_db
def test_agenda_import_cleans_speaker_names():
    import_2012()

    assert Speaker.objects.filter(name="Itamar Heim").count() == 1
    assert not Speaker.objects.filter(name__contains="- ").exists()
    assert not Speaker.objects.filter(name__contains=",").exists()
    assert Speaker.objects.get(name="Alex Williamson").affiliation == "Red Hat"
    assert Speaker.objects.get(name="Andreas Färber").slug == "andreas-farber"


@pytest.mark.django_db
def test_agenda_import_makes_one_speaker_of_a_person_with_two_talks():
    import_2012()

    avi = Speaker.objects.get(name="Avi Kivity")
    assert list(avi.talks.order_by("start").values_list("title", flat=True)) == [
        "Keynote Address",
        "Revamping the QEMU Memory API",
    ]


@pytest.mark.django_db
def test_agenda_import_reads_the_keynote():
    import_2012()

    keynote = Talk.objects.get(title="Keynote Address")
    assert keynote.kind == Talk.Kind.KEYNOTE
    assert keynote.abstract == ""
    assert keynote.slug == "keynote-address"
    assert keynote.external_id == "5e4a333ab0aa0fee99d32c95fe7b8c68"
    assert keynote.source_url == (
        "http://kvmforumovirtworkshop2012.sched.org/event/5e4a333ab0aa0fee99d32c95fe7b8c68"
        "?iframe=yes&w=750&sidebar=yes&bg=no"
    )
    assert set(Talk.objects.exclude(pk=keynote.pk).values_list("kind", flat=True)) == {
        Talk.Kind.TALK
    }


@pytest.mark.django_db
def test_agenda_import_keeps_html_lists_in_abstracts():
    import_2012()

    abstract = Talk.objects.get(title="Virtio-blk Performance Improvement").abstract
    assert abstract.startswith("<ol>\n<li>A very short overview of storage choices in KVM</li>\n")
    assert "<li>multiqueue virtio-blk</li>" in abstract
    assert abstract.endswith("</ul>\n</ol>")


@pytest.mark.django_db
def test_agenda_import_warns_of_each_wrong_zone_abbreviation_with_its_line():
    time_lines = [
        number
        for number, line in enumerate(AGENDA.read_text(encoding="utf-8").split("\n"), start=1)
        if line.startswith("### Time:")
    ]

    result = import_2012()

    assert len(result.warnings) == 34
    assert result.warnings[0] == (
        f'{AGENDA}:17: talk "Keynote Address": the file says CEST but Europe/Madrid is on '
        "CET then; using Europe/Madrid"
    )
    assert [int(warning.split(":")[1]) for warning in result.warnings] == time_lines
    assert all("the file says CEST but Europe/Madrid is on CET" in w for w in result.warnings)


@pytest.mark.django_db
def test_agenda_import_twice_changes_nothing():
    import_2012()
    before = database_snapshot()

    # Any row saved again would carry this later time in ``updated``.
    with time_machine.travel(datetime.datetime(2030, 1, 1, tzinfo=UTC), tick=False):
        result = import_2012()

    assert counts(result) == (Outcome.UNCHANGED, (0, 0, 34), (0, 0, 30))
    assert result.changed is False
    assert database_snapshot() == before


@pytest.mark.django_db
def test_agenda_import_updates_only_the_edited_talk(tmp_path):
    import_2012()
    talk = Talk.objects.get(title="Revamping the QEMU Memory API")
    others_before = list(Talk.objects.exclude(pk=talk.pk).order_by("pk").values())
    path = edited_agenda(
        tmp_path,
        (
            "## Revamping the QEMU Memory API\n### Name: Avi Kivity\n"
            "### Time: November 8, 2012 11:15 - 12:00 CEST",
            "## Revamping the QEMU Memory API, Again\n### Name: Avi Kivity\n"
            "### Time: November 8, 2012 11:30 - 12:15 CEST",
        ),
    )

    result = agenda_import(path=path, event_slug=SLUG)

    talk.refresh_from_db()
    assert counts(result) == (Outcome.UNCHANGED, (0, 1, 33), (0, 0, 30))
    assert talk.title == "Revamping the QEMU Memory API, Again"
    assert (talk.start, talk.end) == (utc(2012, 11, 8, 10, 30), utc(2012, 11, 8, 11, 15))
    assert talk.slug == "revamping-the-qemu-memory-api"
    assert list(Talk.objects.exclude(pk=talk.pk).order_by("pk").values()) == others_before


@pytest.mark.django_db
def test_agenda_import_update_leaves_organisers_fields_alone(tmp_path):
    event = EventFactory(slug=SLUG, name="KVM Forum + oVirt Workshop", tagline="Hello")
    import_2012()
    talk = Talk.objects.get(title="A Block Layer Overview")
    room, track = RoomFactory(event=event), TrackFactory(event=event)
    Talk.objects.filter(pk=talk.pk).update(room=room, track=track, is_published=False)
    path = edited_agenda(tmp_path, ("## A Block Layer Overview", "## The Block Layer"))

    result = agenda_import(path=path, event_slug=SLUG)

    talk.refresh_from_db()
    event.refresh_from_db()
    assert result.talks_updated == 1
    assert talk.title == "The Block Layer"
    assert (talk.slug, talk.room, talk.track, talk.is_published) == (
        "a-block-layer-overview",
        room,
        track,
        False,
    )
    assert event.tagline == "Hello"


@pytest.mark.django_db
def test_agenda_import_replaces_a_talks_speaker_list(tmp_path):
    import_2012()
    path = edited_agenda(
        tmp_path,
        (
            "## A Block Layer Overview\n### Name: Kevin Wolf\n",
            "## A Block Layer Overview\n### Name: Paolo Bonzini\n### Name: Kevin Wolf\n",
        ),
    )

    result = agenda_import(path=path, event_slug=SLUG)

    talk = Talk.objects.get(title="A Block Layer Overview")
    assert counts(result) == (Outcome.UNCHANGED, (0, 1, 33), (0, 0, 30))
    assert list(talk.talk_speakers.values_list("speaker__name", "position")) == [
        ("Paolo Bonzini", 0),
        ("Kevin Wolf", 1),
    ]


@pytest.mark.django_db
def test_agenda_import_never_deletes_a_talk_missing_from_the_file(tmp_path):
    import_2012()
    text = AGENDA.read_text(encoding="utf-8")
    start = text.index("## Qemu USB Status Report 2012\n")
    end = text.index("\n## ", start) + 1
    path = edited_agenda(tmp_path, (text[start:end], ""))

    result = agenda_import(path=path, event_slug=SLUG)

    assert counts(result) == (Outcome.UNCHANGED, (0, 0, 33), (0, 0, 29))
    assert Talk.objects.count() == 34
    assert Talk.objects.filter(title="Qemu USB Status Report 2012").exists()
    assert Speaker.objects.filter(name="Gerd Hoffman").exists()


def many_talks(tmp_path, count):
    """An agenda of ``count`` talks of 15 minutes, each with a speaker of its own."""
    rows = list(HEADER)
    for number in range(count):
        hour, quarter = 9 + number // 4, number % 4 * 15
        time = f"November 7, 2012 {hour}:{quarter:02d} - {hour}:{quarter + 14:02d} CET"
        rows += talk_block(f"Talk {number}", name=f"Speaker {number}, Corp", time=time)
    return write_agenda(tmp_path, *rows)


@pytest.mark.django_db
def test_first_import_of_the_2012_agenda_makes_at_most_40_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        result = agenda_import(path=AGENDA, event_slug=SLUG, zone="Europe/Madrid")

    assert (result.talks_created, result.speakers_created) == (34, 30)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [8, 40])
def test_agenda_import_query_count_does_not_grow_with_talks(
    tmp_path, django_assert_num_queries, count
):
    # Both sizes fit in one of SQLite's insert batches; a row each took several queries.
    path = many_talks(tmp_path, count)

    with django_assert_num_queries(FIRST_RUN_QUERIES):
        first = agenda_import(path=path, event_slug="many", zone="Europe/Madrid")
    with django_assert_num_queries(SECOND_RUN_QUERIES):
        second = agenda_import(path=path, event_slug="many", zone="Europe/Madrid")

    assert (first.talks_created, first.speakers_created) == (count, count)
    assert (second.changed, second.talks_unchanged) == (False, count)


@pytest.mark.django_db
def test_agenda_import_keeps_the_speakers_history_and_makes_the_pages_stale(tmp_path):
    path = many_talks(tmp_path, 2)
    speaker = SpeakerFactory(name="Speaker 1", affiliation="")
    before = event_version("many")

    agenda_import(path=path, event_slug="many", zone="Europe/Madrid")
    after_first = event_version("many")
    agenda_import(path=path, event_slug="many", zone="Europe/Madrid")

    assert after_first != before
    assert event_version("many") == after_first
    assert sorted(Speaker.history.values_list("history_type", "name", "affiliation")) == [
        ("+", "Speaker 0", "Corp"),
        ("+", "Speaker 1", ""),
        ("~", "Speaker 1", "Corp"),
    ]
    speaker.refresh_from_db()
    assert speaker.affiliation == "Corp"


@pytest.mark.django_db
def test_agenda_import_keeps_an_existing_speakers_affiliation():
    existing = SpeakerFactory(name="alex   WILLIAMSON", slug="alex", affiliation="Example Org")

    result = import_2012()

    existing.refresh_from_db()
    assert counts(result)[2] == (29, 0, 1)
    assert Speaker.objects.count() == 30
    assert (existing.name, existing.affiliation) == ("alex   WILLIAMSON", "Example Org")
    assert list(existing.talks.values_list("title", flat=True)) == ["VFIO: A User's Perspective"]


@pytest.mark.django_db
def test_agenda_import_fills_a_blank_affiliation():
    existing = SpeakerFactory(name="Alex Williamson", affiliation="")

    result = import_2012()

    existing.refresh_from_db()
    assert counts(result)[2] == (29, 1, 0)
    assert existing.affiliation == "Red Hat"


@pytest.mark.django_db
def test_agenda_import_gives_new_speakers_unique_slugs():
    SpeakerFactory(name="Someone Else", slug="avi-kivity")

    import_2012()

    assert Speaker.objects.get(name="Avi Kivity").slug == "avi-kivity-2"


@pytest.mark.django_db
def test_agenda_import_updates_an_existing_event_but_not_its_publication():
    EventFactory(
        slug=SLUG,
        name="KVM Forum draft",
        location="",
        start_date=datetime.date(2012, 11, 1),
        end_date=datetime.date(2012, 11, 1),
        is_published=False,
        website="https://example.org/",
    )

    result = import_2012()

    event = Event.objects.get(slug=SLUG)
    assert result.event_outcome == Outcome.UPDATED
    assert (event.name, event.location, event.start_date, event.end_date) == (
        "KVM Forum + oVirt Workshop",
        "Barcelona, Spain",
        datetime.date(2012, 11, 7),
        datetime.date(2012, 11, 9),
    )
    assert (event.is_published, event.website) == (False, "https://example.org/")


@pytest.mark.django_db
def test_agenda_import_takes_the_zone_of_an_existing_event():
    EventFactory(slug=SLUG, time_zone="Europe/Madrid")

    result = agenda_import(path=AGENDA, event_slug=SLUG)

    assert result.talks_created == 34
    assert Talk.objects.get(title="Keynote Address").start == utc(2012, 11, 7, 8, 0)


@pytest.mark.django_db
def test_agenda_import_zone_argument_overrides_the_events():
    EventFactory(slug=SLUG, time_zone="Europe/London")

    result = agenda_import(path=AGENDA, event_slug=SLUG, zone="Europe/Madrid")

    assert result.event_outcome == Outcome.UPDATED
    assert Event.objects.get(slug=SLUG).time_zone == "Europe/Madrid"
    assert Talk.objects.get(title="Keynote Address").start == utc(2012, 11, 7, 8, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "message"),
    [
        (None, "no time zone: pass --timezone, e.g. Europe/Madrid"),
        (
            "Mars/Olympus",
            'unknown time zone "Mars/Olympus": expected an IANA name such as Europe/Madrid',
        ),
        ("CEST", 'unknown time zone "CEST": expected an IANA name such as Europe/Madrid'),
        (
            "../etc/passwd",
            'unknown time zone "../etc/passwd": expected an IANA name such as Europe/Madrid',
        ),
    ],
)
def test_agenda_import_rejects_a_missing_or_unknown_zone(zone, message):
    with pytest.raises(ImportFileError) as caught:
        agenda_import(path=AGENDA, event_slug=SLUG, zone=zone)

    assert caught.value.messages() == [f"{AGENDA}: {message}"]
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_agenda_import_dry_run_reports_everything_and_writes_nothing():
    result = import_2012(dry_run=True)

    assert counts(result) == (Outcome.CREATED, (34, 0, 0), (30, 0, 0))
    assert result.dry_run is True
    assert len(result.warnings) == 34
    assert database_snapshot() == {"Event": [], "Talk": [], "Speaker": [], "TalkSpeaker": []}


@pytest.mark.django_db
def test_agenda_import_dry_run_after_an_import_reports_no_change():
    import_2012()

    result = import_2012(dry_run=True)

    assert counts(result) == (Outcome.UNCHANGED, (0, 0, 34), (0, 0, 30))


LAST_TIME = "### Time: November 9, 2012 10:30 - 11:00 CEST"
LAST_TITLE = "## OpenStack: KVM for the Masses"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            LAST_TIME,
            "### Time: November 9, 2012 11:00 - 10:30 CEST",
            "403: the end 10:30 is not after the start 11:00",
            id="parse error",
        ),
        pytest.param(
            LAST_TITLE,
            "## " + "x" * 301,
            f'401: talk "{"x" * 60}…(301 characters)": title is 301 characters long; at most '
            "300 fit",
            id="model error on the last talk",
        ),
        pytest.param(
            "### Name: Mark McLoughlin",
            "### Name: " + "M" * 201,
            f'402: speaker "{"M" * 60}…(201 characters)": name is 201 characters long; at most '
            "200 fit",
            id="model error on the last speaker",
        ),
    ],
)
def test_agenda_import_with_an_error_leaves_the_database_as_it_was(tmp_path, old, new, message):
    event = EventFactory(slug=SLUG, name="Old name", description="Old", is_published=False)
    TalkFactory(event=event, title="Keynote Address", speakers=[SpeakerFactory()])
    path = edited_agenda(tmp_path, (old, new))
    before = database_snapshot()

    with pytest.raises(ImportFileError) as caught:
        agenda_import(path=path, event_slug=SLUG, zone="Europe/Madrid")

    assert caught.value.messages() == [f"{path}:{message}"]
    assert database_snapshot() == before


@pytest.mark.django_db
def test_agenda_import_reports_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("# Caf\u00e9\n## Date: November 7, 2012\n## Jos\u00e9\n".encode("latin-1"))

    with pytest.raises(ImportFileError) as caught:
        agenda_import(path=path, event_slug=SLUG, zone="Europe/Madrid")

    assert caught.value.messages() == [
        f"{path}:1: the file is not UTF-8: byte 0xe9 at column 6 cannot be decoded; "
        "save the file as UTF-8"
    ]


@pytest.mark.django_db
def test_agenda_import_rejects_a_time_the_clocks_skip(tmp_path):
    path = write_agenda(
        tmp_path,
        "# Spring Conf",
        "## Date: March 25, 2012",
        "",
        "",
        *talk_block("Too Early", time="March 25, 2012 2:30 - 3:30 CET"),
    )

    with pytest.raises(ImportFileError) as caught:
        agenda_import(path=path, event_slug="spring", zone="Europe/Madrid")

    assert caught.value.messages() == [
        f'{path}:7: talk "Too Early": 2012-03-25 02:30 does not exist in Europe/Madrid: '
        "the clocks skip it."
    ]
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_agenda_import_warns_of_a_time_that_happens_twice(tmp_path):
    path = write_agenda(
        tmp_path,
        "# Autumn Conf",
        "## Date: October 28, 2012",
        "",
        "",
        *talk_block("Night Owls", time="October 28, 2012 2:30 - 2:45 CEST"),
    )

    result = agenda_import(path=path, event_slug="autumn", zone="Europe/Madrid")

    assert result.warnings == [
        f'{path}:7: talk "Night Owls": 02:30 on 2012-10-28 happens twice in Europe/Madrid; '
        "using the first (CEST)",
        f'{path}:7: talk "Night Owls": 02:45 on 2012-10-28 happens twice in Europe/Madrid; '
        "using the first (CEST)",
    ]
    assert Talk.objects.get().start == utc(2012, 10, 28, 0, 30)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("time", "warnings"),
    [
        ("November 7, 2012 9:00 - 9:30 CET", []),
        ("November 7, 2012 9:00 - 9:30", []),
        ("November 7, 2012 9:00 - 9:30 cet", []),
        (
            "November 7, 2012 9:00 - 9:30 CEST",
            ["the file says CEST but Europe/Madrid is on CET then; using Europe/Madrid"],
        ),
        (
            "November 10, 2012 9:00 - 9:30 CET",
            ["2012-11-10 is outside the event's dates (2012-11-07 to 2012-11-09)"],
        ),
    ],
)
def test_agenda_import_warnings_for_small_agendas(tmp_path, time, warnings):
    path = write_agenda(tmp_path, *HEADER, *talk_block("Talk", time=time))

    result = agenda_import(path=path, event_slug="small", zone="Europe/Madrid")

    assert result.warnings == [f'{path}:7: talk "Talk": {warning}' for warning in warnings]


@pytest.mark.django_db
def test_agenda_import_matches_talks_without_id_by_title(tmp_path):
    path = write_agenda(
        tmp_path, *HEADER, *talk_block("Lightning Talks"), *talk_block("Lightning Talks")
    )
    first = agenda_import(path=path, event_slug="small", zone="Europe/Madrid")

    second = agenda_import(path=path, event_slug="small")

    assert counts(first) == (Outcome.CREATED, (2, 0, 0), (1, 0, 0))
    assert counts(second) == (Outcome.UNCHANGED, (0, 0, 2), (0, 0, 1))
    assert list(Talk.objects.order_by("pk").values_list("slug", "external_id")) == [
        ("lightning-talks", ""),
        ("lightning-talks-2", ""),
    ]


@pytest.mark.django_db
def test_agenda_import_matches_talks_by_external_id_across_title_changes(tmp_path):
    url = "http://x.sched.org/event/0123456789abcdef0123456789abcdef"
    agenda_import(
        path=write_agenda(tmp_path, *HEADER, *talk_block("Old Title", url=url)),
        event_slug="small",
        zone="Europe/Madrid",
    )

    result = agenda_import(
        path=write_agenda(tmp_path, *HEADER, *talk_block("New Title", url=url), name="2.txt"),
        event_slug="small",
    )

    assert (result.talks_created, result.talks_updated) == (0, 1)
    assert list(Talk.objects.values_list("title", "slug")) == [("New Title", "old-title")]


@pytest.mark.django_db
def test_agenda_import_gives_new_talks_slugs_free_in_the_event(tmp_path):
    event = EventFactory(slug="small")
    TalkFactory(event=event, title="Something else", slug="keynote-address")
    TalkFactory(slug="welcome")  # another event's slug does not count
    path = write_agenda(
        tmp_path,
        *HEADER,
        *talk_block("Keynote Address", url="http://x.sched.org/event/" + "a" * 32),
        *talk_block("Keynote: Address!", url="http://x.sched.org/event/" + "b" * 32),
        *talk_block("Welcome"),
        *talk_block("!!!"),
    )

    agenda_import(path=path, event_slug="small")

    assert list(event.talks.order_by("pk").values_list("slug", flat=True)) == [
        "keynote-address",
        "keynote-address-2",
        "keynote-address-3",
        "welcome",
        "talk",
    ]


@pytest.mark.django_db
def test_agenda_import_allows_a_talk_without_speakers(tmp_path):
    path = write_agenda(
        tmp_path, *HEADER, "## Lunch", "### Time: November 7, 2012 13:00 - 14:00 CET"
    )

    result = agenda_import(path=path, event_slug="small", zone="Europe/Madrid")

    assert counts(result) == (Outcome.CREATED, (1, 0, 0), (0, 0, 0))
    assert list(Talk.objects.get().speakers.all()) == []


@pytest.mark.django_db
def test_agenda_import_rejects_an_invalid_event_slug():
    with pytest.raises(ImportFileError) as caught:
        agenda_import(path=AGENDA, event_slug="KVM Forum!", zone="Europe/Madrid")

    assert caught.value.messages() == [
        f"{AGENDA}: event KVM Forum!: slug: Enter a valid “slug” consisting of letters, "
        "numbers, underscores or hyphens."
    ]


def test_import_reports_clashes_found_by_the_schedule_rules(db, tmp_path):
    agenda = tmp_path / "clash.txt"
    agenda.write_text(
        "# Clash Conf\n## Location: Brno\n## Date: November 7, 2012\n\n"
        "## First\n### Name: Ann Example\n### Time: November 7, 2012 9:00 - 10:00 CET\n\n"
        "## Second\n### Name: Ann Example\n### Time: November 7, 2012 9:30 - 10:30 CET\n",
        encoding="utf-8",
    )

    result = agenda_import(path=agenda, event_slug="clash", zone="Europe/Prague")

    assert result.talks_created == 2
    assert [warning for warning in result.warnings if "clash:" in warning] == [
        f"{agenda}:9: clash: Ann Example speaks in “Second” while speaking in “First” "
        "(Wed 07 Nov 09:00–10:00)."
    ]
