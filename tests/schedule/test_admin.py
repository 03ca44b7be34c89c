import datetime
import re

import pytest
from django.test import override_settings

from schedule.models import Talk
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    venue_time,
)


def talk_form_data(event, **overrides):
    data = {
        "event": event.pk,
        "title": "Virtio status",
        "slug": "virtio-status",
        "kind": "talk",
        "is_published": "on",
        "start_0": "2012-11-07",
        "start_1": "09:00",
        "end_0": "2012-11-07",
        "end_1": "09:45",
        "room": "",
        "track": "",
        "abstract": "",
        "language": "en",
        "source_url": "",
        "external_id": "",
        "talk_speakers-TOTAL_FORMS": "0",
        "talk_speakers-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def form_errors(response):
    return response.context["adminform"].form.errors


@override_settings(TIME_ZONE="America/New_York")
def test_talk_times_are_entered_in_the_event_zone_whatever_the_server_zone(organiser_client, event):
    response = organiser_client.post("/admin/schedule/talk/add/", talk_form_data(event))

    assert response.status_code == 302
    talk = Talk.objects.get(slug="virtio-status")
    assert talk.start == datetime.datetime(2012, 11, 7, 8, 0, tzinfo=datetime.UTC)
    assert talk.end == datetime.datetime(2012, 11, 7, 8, 45, tzinfo=datetime.UTC)


@override_settings(TIME_ZONE="Asia/Tokyo")
def test_talk_change_form_shows_times_in_the_event_zone_and_names_it(organiser_client, event):
    talk = TalkFactory(
        event=event,
        start=datetime.datetime(2012, 11, 7, 8, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2012, 11, 7, 8, 15, tzinfo=datetime.UTC),
    )

    response = organiser_client.get(f"/admin/schedule/talk/{talk.pk}/change/")

    content = response.content.decode()
    assert 'name="start_1" value="09:00:00"' in content
    assert 'name="end_1" value="09:15:00"' in content
    assert 'name="start_0" value="07/11/2012"' in content
    assert "in Europe/Madrid (CET, UTC+01:00)" in content


def test_editing_a_talk_keeps_its_instant_when_nothing_changes(organiser_client, event):
    # The talk ends after midnight of the 8th, so the event lasts until the 9th.
    event.end_date = datetime.date(2012, 11, 9)
    event.save()
    talk = TalkFactory(
        event=event,
        slug="kept",
        start=venue_time(event, 2012, 11, 8, 23, 30),
        end=venue_time(event, 2012, 11, 9, 0, 15),
    )
    data = talk_form_data(
        event,
        title=talk.title,
        slug="kept",
        start_0="2012-11-08",
        start_1="23:30",
        end_0="2012-11-09",
        end_1="00:15",
    )

    response = organiser_client.post(f"/admin/schedule/talk/{talk.pk}/change/", data)

    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.start == datetime.datetime(2012, 11, 8, 22, 30, tzinfo=datetime.UTC)
    assert talk.end == datetime.datetime(2012, 11, 8, 23, 15, tzinfo=datetime.UTC)


def test_a_time_the_clocks_skip_is_refused_with_a_message(organiser_client, event):
    data = talk_form_data(
        event, start_0="2013-03-31", start_1="02:30", end_0="2013-03-31", end_1="03:30"
    )

    response = organiser_client.post("/admin/schedule/talk/add/", data)

    assert form_errors(response)["start"] == [
        "2013-03-31 02:30 does not exist in Europe/Madrid: the clocks skip it."
    ]
    assert not Talk.objects.exists()


def test_an_abstract_over_the_markdown_cap_is_refused_with_its_length(organiser_client, event):
    response = organiser_client.post(
        "/admin/schedule/talk/add/", talk_form_data(event, abstract="[" * 50_001)
    )

    assert form_errors(response)["abstract"] == [
        "At most 50,000 characters of Markdown (this has 50,001)."
    ]
    assert not Talk.objects.exists()


def test_end_before_start_is_refused_with_a_message(organiser_client, event):
    response = organiser_client.post(
        "/admin/schedule/talk/add/", talk_form_data(event, end_1="08:30")
    )

    assert form_errors(response)["end"] == ["The talk must end after it starts."]
    assert not Talk.objects.exists()


def test_start_without_end_is_refused_with_a_message(organiser_client, event):
    response = organiser_client.post(
        "/admin/schedule/talk/add/", talk_form_data(event, end_0="", end_1="")
    )

    assert form_errors(response)["end"] == ["Give both start and end, or neither."]


def test_room_of_another_event_is_refused_with_a_message(organiser_client, event):
    elsewhere = RoomFactory(event=EventFactory(name="Other"), name="Hall B")

    response = organiser_client.post(
        "/admin/schedule/talk/add/", talk_form_data(event, room=elsewhere.pk)
    )

    assert form_errors(response)["room"] == [
        "The room “Hall B” belongs to Other, not to KVM Forum: choose one of KVM Forum's rooms."
    ]
    assert not Talk.objects.exists()


def test_track_of_another_event_is_refused_on_the_add_form_naming_both_events(
    organiser_client, event
):
    elsewhere = TrackFactory(event=EventFactory(name="DevConf"), name="Storage")

    response = organiser_client.post(
        "/admin/schedule/talk/add/", talk_form_data(event, track=elsewhere.pk)
    )

    assert form_errors(response)["track"] == [
        "The track “Storage” belongs to DevConf, not to KVM Forum: "
        "choose one of KVM Forum's tracks."
    ]
    # Drawn again for the event chosen, its lists hold that event's alone.
    assert option_labels(response.content.decode(), "track") == ["---------"]
    assert not Talk.objects.exists()


def option_labels(content, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', content, re.S).group(1)
    return re.findall(r"<option [^>]*>([^<]*)</option>", select)


def test_add_form_for_an_event_offers_exactly_its_rooms_and_tracks(organiser_client, event):
    RoomFactory(event=event, name="Auditorium", position=0)
    RoomFactory(event=event, name="Lab", position=1)
    TrackFactory(event=event, name="Storage")
    other = EventFactory(name="DevConf")
    for number in range(18):
        RoomFactory(event=other, name=f"D{number}")
    TrackFactory(event=other, name="Kernel")

    response = organiser_client.get(f"/admin/schedule/talk/add/?event={event.pk}")

    content = response.content.decode()
    assert option_labels(content, "room") == ["---------", "Auditorium", "Lab"]
    assert option_labels(content, "track") == ["---------", "Storage"]
    assert f'<option value="{event.pk}" selected>KVM Forum</option>' in content


def test_add_form_without_an_event_names_each_rooms_event(organiser_client, event):
    RoomFactory(event=event, name="Auditorium")
    RoomFactory(event=EventFactory(name="DevConf"), name="Auditorium")

    response = organiser_client.get("/admin/schedule/talk/add/")

    assert sorted(option_labels(response.content.decode(), "room")) == [
        "---------",
        "Auditorium (DevConf)",
        "Auditorium (KVM Forum)",
    ]


def test_duration_gives_the_end(organiser_client, event):
    response = organiser_client.post(
        "/admin/schedule/talk/add/", talk_form_data(event, end_0="", end_1="", duration="50")
    )

    assert response.status_code == 302
    talk = Talk.objects.get(slug="virtio-status")
    assert (talk.start, talk.end) == (
        datetime.datetime(2012, 11, 7, 8, 0, tzinfo=datetime.UTC),
        datetime.datetime(2012, 11, 7, 8, 50, tzinfo=datetime.UTC),
    )


def test_duration_is_elapsed_time_across_a_clock_change(organiser_client, db):
    spring = EventFactory(
        name="Spring",
        time_zone="Europe/Madrid",
        start_date=datetime.date(2013, 3, 30),
        end_date=datetime.date(2013, 3, 31),
    )
    data = talk_form_data(
        spring, start_0="2013-03-31", start_1="01:30", end_0="", end_1="", duration="60"
    )

    response = organiser_client.post("/admin/schedule/talk/add/", data)

    assert response.status_code == 302
    talk = Talk.objects.get(slug="virtio-status")
    # 01:30 CET plus an hour is 03:30 CEST: the clocks skip 02:00–03:00.
    assert spring.local_time(talk.end).strftime("%H:%M %Z") == "03:30 CEST"
    assert talk.end - talk.start == datetime.timedelta(hours=1)


def test_end_and_duration_that_disagree_are_refused_naming_both(organiser_client, event):
    response = organiser_client.post(
        "/admin/schedule/talk/add/", talk_form_data(event, duration="30")
    )

    assert form_errors(response)["duration"] == [
        "The end (Wed 7 Nov 09:45) and the duration (30 minutes, ending Wed 7 Nov 09:30) "
        "disagree: give one of them, or make them agree."
    ]
    assert not Talk.objects.exists()


def test_end_and_duration_that_agree_are_saved(organiser_client, event):
    response = organiser_client.post(
        "/admin/schedule/talk/add/", talk_form_data(event, duration="45")
    )

    assert response.status_code == 302
    assert Talk.objects.get(slug="virtio-status").end == datetime.datetime(
        2012, 11, 7, 8, 45, tzinfo=datetime.UTC
    )


def test_duration_without_a_start_is_refused(organiser_client, event):
    data = talk_form_data(event, start_0="", start_1="", end_0="", end_1="", duration="30")

    response = organiser_client.post("/admin/schedule/talk/add/", data)

    assert form_errors(response)["duration"] == ["Give the start too: the duration counts from it."]
    assert not Talk.objects.exists()


def test_change_form_offers_only_the_event_rooms_and_tracks(organiser_client, event):
    RoomFactory(event=event, name="Auditorium")
    RoomFactory(event=EventFactory(name="Other"), name="Hall B")
    TrackFactory(event=event, name="Storage")
    talk = TalkFactory(event=event)

    response = organiser_client.get(f"/admin/schedule/talk/{talk.pk}/change/")

    form = response.context["adminform"].form
    assert [str(room) for room in form.fields["room"].queryset] == ["Auditorium"]
    assert [track.name for track in form.fields["track"].queryset] == ["Storage"]


def test_speakers_are_saved_in_the_order_given(organiser_client, event):
    zoe, adam = SpeakerFactory(name="Zoe"), SpeakerFactory(name="Adam")
    data = talk_form_data(
        event,
        **{
            "talk_speakers-TOTAL_FORMS": "2",
            "talk_speakers-0-speaker": adam.pk,
            "talk_speakers-0-position": "1",
            "talk_speakers-1-speaker": zoe.pk,
            "talk_speakers-1-position": "0",
        },
    )

    organiser_client.post("/admin/schedule/talk/add/", data)

    talk = Talk.objects.get(slug="virtio-status")
    assert [link.speaker.name for link in talk.talk_speakers.all()] == ["Zoe", "Adam"]


def test_speaker_autocomplete_finds_speakers_by_name(organiser_client, event):
    SpeakerFactory(name="Avi Kivity")
    SpeakerFactory(name="Kevin Wolf")

    response = organiser_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "schedule",
            "model_name": "talkspeaker",
            "field_name": "speaker",
            "term": "avi",
        },
    )

    assert [result["text"] for result in response.json()["results"]] == ["Avi Kivity"]


def speaker_search(client, event, term):
    response = client.get(
        "/admin/schedule/talk/speaker-autocomplete/",
        {
            "event": event.pk,
            "app_label": "schedule",
            "model_name": "talkspeaker",
            "field_name": "speaker",
            "term": term,
        },
    )
    return [result["text"] for result in response.json()["results"]]


def test_speaker_search_offers_the_events_speakers_first_named_with_their_events(
    organiser_client, event
):
    devconf = EventFactory(
        name="DevConf", start_date=datetime.date(2013, 2, 1), end_date=datetime.date(2013, 2, 3)
    )
    elsewhere = SpeakerFactory(name="Anna Smith")
    TalkFactory(event=devconf, speakers=[elsewhere])
    here = SpeakerFactory(name="Anna Smith")
    TalkFactory(event=event, speakers=[here])
    TalkFactory(event=devconf, speakers=[here])
    SpeakerFactory(name="Anna Smithers")

    assert speaker_search(organiser_client, event, "anna smith") == [
        "Anna Smith (DevConf, KVM Forum)",
        "Anna Smith (DevConf)",
        "Anna Smithers (no talks yet)",
    ]


def test_talk_form_searches_speakers_of_its_event(organiser_client, event):
    talk = TalkFactory(event=event, speakers=[SpeakerFactory(name="Avi Kivity")])

    change = organiser_client.get(f"/admin/schedule/talk/{talk.pk}/change/").content.decode()
    add = organiser_client.get(f"/admin/schedule/talk/add/?event={event.pk}").content.decode()

    url = f'data-ajax--url="/admin/schedule/talk/speaker-autocomplete/?event={event.pk}"'
    assert url in change
    assert url in add
    # The speaker already chosen is named with the events too.
    assert ">Avi Kivity (KVM Forum)</option>" in change


def test_talk_list_shows_day_and_times_in_the_event_zone(organiser_client, event):
    TalkFactory(
        event=event,
        title="Keynote Address",
        start=venue_time(event, 2012, 11, 7, 9, 0),
        end=venue_time(event, 2012, 11, 7, 9, 15),
        room=RoomFactory(event=event, name="Auditorium"),
        speakers=[SpeakerFactory(name="Avi Kivity"), SpeakerFactory(name="Anthony Liguori")],
    )

    response = organiser_client.get("/admin/schedule/talk/")

    content = response.content.decode()
    assert "Wed 7 Nov" in content
    assert "09:00–09:15 CET" in content
    assert "Avi Kivity, Anthony Liguori" in content
    assert "Auditorium" in content


def test_talk_list_names_the_zone_at_each_end_when_the_clocks_change(organiser_client, db):
    event = event_around("2024-11-03", "America/Havana")
    TalkFactory(
        event=event,
        start=datetime.datetime(2024, 11, 3, 3, 30, tzinfo=datetime.UTC),
        end=datetime.datetime(2024, 11, 3, 5, 30, tzinfo=datetime.UTC),
    )

    content = organiser_client.get("/admin/schedule/talk/").content.decode()

    assert "23:30 CDT–00:30 CST" in content


def test_an_end_the_clocks_show_twice_is_refused_too(organiser_client, db):
    event = event_around("2024-11-03", "America/Havana")
    data = talk_form_data(
        event, start_0="2024-11-02", start_1="23:30", end_0="2024-11-03", end_1="00:15"
    )

    response = organiser_client.post("/admin/schedule/talk/add/", data)

    assert form_errors(response)["end"] == [
        "2024-11-03 00:15 happens twice in America/Havana: first at UTC-04:00 (CDT), "
        "then an hour later at UTC-05:00 (CST), once the clocks go back. Choose which one below."
    ]
    assert 'name="end_occurrence" value="1"' in response.content.decode()
    assert not Talk.objects.exists()


def test_day_filter_uses_each_event_zone(organiser_client, db):
    pacific = EventFactory(time_zone="America/Los_Angeles")
    # 20:00 in Los Angeles on the 7th is already the 8th in UTC.
    late = TalkFactory(
        event=pacific,
        title="Late",
        start=venue_time(pacific, 2012, 11, 7, 20, 0),
        end=venue_time(pacific, 2012, 11, 7, 21, 0),
    )
    TalkFactory(
        event=pacific,
        title="Next morning",
        start=venue_time(pacific, 2012, 11, 8, 9, 0),
        end=venue_time(pacific, 2012, 11, 8, 10, 0),
    )

    response = organiser_client.get(
        "/admin/schedule/talk/", {"event__id__exact": pacific.pk, "day": "2012-11-07"}
    )

    assert list(response.context["cl"].result_list) == [late]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"q": "Kivity"}, ["Keynote Address"]),
        ({"q": "memory"}, ["Revamping the QEMU Memory API"]),
        ({"kind__exact": "keynote"}, ["Keynote Address"]),
    ],
)
def test_talk_list_search_and_filters(organiser_client, event, filters, expected):
    TalkFactory(
        event=event,
        title="Keynote Address",
        kind="keynote",
        speakers=[SpeakerFactory(name="Avi Kivity")],
    )
    TalkFactory(
        event=event,
        title="Revamping the QEMU Memory API",
        speakers=[SpeakerFactory(name="Paolo Bonzini")],
    )

    response = organiser_client.get("/admin/schedule/talk/", filters)

    assert [talk.title for talk in response.context["cl"].result_list] == expected


@pytest.mark.parametrize("talk_count", [5, 40])
def test_talk_list_queries_do_not_grow_with_talks(
    organiser_client, event, talk_count, django_assert_max_num_queries
):
    room = RoomFactory(event=event)
    for number in range(talk_count):
        TalkFactory(
            event=event,
            room=room,
            speakers=[SpeakerFactory(), SpeakerFactory()],
            start=venue_time(event, 2012, 11, 7, 9, 0) + datetime.timedelta(minutes=number),
        )

    with django_assert_max_num_queries(14):
        response = organiser_client.get("/admin/schedule/talk/")

    assert len(response.context["cl"].result_list) == talk_count


# Clashes ---------------------------------------------------------------------


@pytest.fixture
def hall_at_nine(event):
    hall = RoomFactory(event=event, name="Hall")
    TalkFactory(
        event=event,
        title="Keynote",
        room=hall,
        start=venue_time(event, 2012, 11, 7, 9, 0),
        end=venue_time(event, 2012, 11, 7, 10, 0),
        speakers=[SpeakerFactory(name="Avi Kivity", bio="x")],
    )
    return hall


def test_room_clash_is_refused_naming_the_other_talk_and_offers_the_box(
    organiser_client, event, hall_at_nine
):
    response = organiser_client.post(
        "/admin/schedule/talk/add/", talk_form_data(event, room=hall_at_nine.pk)
    )

    errors = response.context["adminform"].form.non_field_errors()
    assert list(errors) == [
        "“Virtio status” is in Hall at the same time as “Keynote” (Wed 07 Nov 09:00–10:00).",
        "Tick “Save despite the clash” to save anyway.",
    ]
    assert 'type="checkbox" name="save_despite_clashes"' in response.content.decode()
    assert not Talk.objects.filter(slug="virtio-status").exists()


def test_ticking_the_box_saves_the_clash_and_says_so(organiser_client, event, hall_at_nine):
    response = organiser_client.post(
        "/admin/schedule/talk/add/",
        talk_form_data(event, room=hall_at_nine.pk, save_despite_clashes="on"),
        follow=True,
    )

    assert Talk.objects.filter(slug="virtio-status", room=hall_at_nine).exists()
    shown = [str(message) for message in response.context["messages"]]
    assert "“Virtio status” is in Hall at the same time as “Keynote” (Wed 07 Nov 09:00–10:00)." in (
        shown
    )


def test_touching_talk_in_the_same_room_is_no_clash(organiser_client, event, hall_at_nine):
    response = organiser_client.post(
        "/admin/schedule/talk/add/",
        talk_form_data(event, room=hall_at_nine.pk, start_1="10:00", end_1="10:30"),
    )

    assert response.status_code == 302


def test_speaker_clash_from_the_inline_is_refused(organiser_client, event, hall_at_nine):
    avi = Talk.objects.get(title="Keynote").speakers.get()

    response = organiser_client.post(
        "/admin/schedule/talk/add/",
        talk_form_data(
            event,
            **{
                "talk_speakers-TOTAL_FORMS": "1",
                "talk_speakers-0-speaker": avi.pk,
                "talk_speakers-0-position": "0",
            },
        ),
    )

    errors = list(response.context["adminform"].form.non_field_errors())
    assert errors[0].startswith("Avi Kivity speaks in “Virtio status” while speaking in “Keynote”")


def test_talk_outside_the_event_days_is_refused(organiser_client, event):
    response = organiser_client.post(
        "/admin/schedule/talk/add/",
        talk_form_data(event, start_0="2012-11-10", end_0="2012-11-10"),
    )

    errors = list(response.context["adminform"].form.non_field_errors())
    assert "is outside the event's dates" in errors[0]


def test_saved_talk_shows_its_warnings(organiser_client, event):
    response = organiser_client.post(
        "/admin/schedule/talk/add/", talk_form_data(event), follow=True
    )

    shown = [str(message) for message in response.context["messages"]]
    assert "“Virtio status” is published without a speaker." in shown


# The repeated hour at the end of summer time: (zone, day, clock, message, the two instants).
REPEATED_TIMES = [
    (
        "America/Havana",
        "2024-11-03",
        "00:30",
        "2024-11-03 00:30 happens twice in America/Havana: first at UTC-04:00 (CDT), "
        "then an hour later at UTC-05:00 (CST), once the clocks go back.",
        (
            datetime.datetime(2024, 11, 3, 4, 30, tzinfo=datetime.UTC),
            datetime.datetime(2024, 11, 3, 5, 30, tzinfo=datetime.UTC),
        ),
    ),
    (
        "America/Santiago",
        "2025-04-05",
        "23:30",
        "2025-04-05 23:30 happens twice in America/Santiago: first at UTC-03:00, "
        "then an hour later at UTC-04:00, once the clocks go back.",
        (
            datetime.datetime(2025, 4, 6, 2, 30, tzinfo=datetime.UTC),
            datetime.datetime(2025, 4, 6, 3, 30, tzinfo=datetime.UTC),
        ),
    ),
    (
        "Europe/Madrid",
        "2024-10-27",
        "02:30",
        "2024-10-27 02:30 happens twice in Europe/Madrid: first at UTC+02:00 (CEST), "
        "then an hour later at UTC+01:00 (CET), once the clocks go back.",
        (
            datetime.datetime(2024, 10, 27, 0, 30, tzinfo=datetime.UTC),
            datetime.datetime(2024, 10, 27, 1, 30, tzinfo=datetime.UTC),
        ),
    ),
    (
        "Australia/Lord_Howe",
        "2025-04-06",
        "01:45",
        "2025-04-06 01:45 happens twice in Australia/Lord_Howe: first at UTC+11:00, "
        "then 30 minutes later at UTC+10:30, once the clocks go back.",
        (
            datetime.datetime(2025, 4, 5, 14, 45, tzinfo=datetime.UTC),
            datetime.datetime(2025, 4, 5, 15, 15, tzinfo=datetime.UTC),
        ),
    ),
]
REPEATED_IDS = ["havana", "santiago", "madrid", "lord-howe"]


def event_around(day, zone):
    day = datetime.date.fromisoformat(day)
    return EventFactory(
        time_zone=zone,
        start_date=day - datetime.timedelta(days=1),
        end_date=day + datetime.timedelta(days=1),
    )


def repeated_start_data(event, day, clock, **overrides):
    """A talk starting at ``clock`` on ``day`` and ending at 04:00 the next day."""
    next_day = datetime.date.fromisoformat(day) + datetime.timedelta(days=1)
    return talk_form_data(
        event, start_0=day, start_1=clock, end_0=next_day.isoformat(), end_1="04:00", **overrides
    )


@pytest.mark.parametrize(
    ("zone", "day", "clock", "message", "instants"), REPEATED_TIMES, ids=REPEATED_IDS
)
def test_a_time_the_clocks_show_twice_is_refused_naming_both(
    organiser_client, db, zone, day, clock, message, instants
):
    event = event_around(day, zone)

    response = organiser_client.post(
        "/admin/schedule/talk/add/", repeated_start_data(event, day, clock)
    )

    assert form_errors(response)["start"] == [f"{message} Choose which one below."]
    content = response.content.decode()
    assert f"Which {clock}" in content
    assert 'type="radio" name="start_occurrence" value="0"' in content
    assert 'type="radio" name="start_occurrence" value="1"' in content
    assert not Talk.objects.exists()


@pytest.mark.parametrize(
    ("zone", "day", "clock", "message", "instants"), REPEATED_TIMES, ids=REPEATED_IDS
)
@pytest.mark.parametrize("occurrence", [0, 1], ids=["first", "second"])
def test_the_chosen_occurrence_of_a_repeated_time_is_saved(
    organiser_client, db, zone, day, clock, message, instants, occurrence
):
    event = event_around(day, zone)
    data = repeated_start_data(event, day, clock, start_occurrence=str(occurrence))

    response = organiser_client.post("/admin/schedule/talk/add/", data)

    assert response.status_code == 302
    assert Talk.objects.get().start == instants[occurrence]


def test_the_choice_of_occurrence_names_each_offset(organiser_client, db):
    event = event_around("2024-11-03", "America/Havana")

    response = organiser_client.post(
        "/admin/schedule/talk/add/", repeated_start_data(event, "2024-11-03", "00:30")
    )

    content = response.content.decode()
    assert "The first, at UTC-04:00 (CDT), before the clocks go back" in content
    assert "The second, at UTC-05:00 (CST), after the clocks go back" in content


def test_editing_a_talk_in_the_second_of_two_equal_hours_keeps_it_there(organiser_client, db):
    event = event_around("2024-11-03", "America/Havana")
    second = datetime.datetime(2024, 11, 3, 5, 30, tzinfo=datetime.UTC)
    talk = TalkFactory(
        event=event, slug="kept", start=second, end=second + datetime.timedelta(hours=1)
    )

    form = organiser_client.get(f"/admin/schedule/talk/{talk.pk}/change/").content.decode()
    data = talk_form_data(
        event,
        title="A new title",
        slug="kept",
        start_0="2024-11-03",
        start_1="00:30",
        start_occurrence="1",
        end_0="2024-11-03",
        end_1="01:30",
    )
    response = organiser_client.post(f"/admin/schedule/talk/{talk.pk}/change/", data)

    # The form showed the talk's own occurrence, ticked.
    assert "<label>Which 00:30:</label>" in form
    assert 'name="start_occurrence" value="1" id="id_start_occurrence_1" checked>' in form
    assert response.status_code == 302
    talk.refresh_from_db()
    assert (talk.title, talk.start) == ("A new title", second)


def test_a_start_alone_places_a_talk_for_its_planned_length(organiser_client, event):
    talk = TalkFactory(event=event, slug="virtio-status", start=None, end=None, planned_minutes=40)
    data = talk_form_data(event, end_0="", end_1="", planned_minutes="40")

    response = organiser_client.post(f"/admin/schedule/talk/{talk.pk}/change/", data)

    assert response.status_code == 302, form_errors(response)
    talk.refresh_from_db()
    assert talk.end - talk.start == datetime.timedelta(minutes=40)
    assert talk.start == datetime.datetime(2012, 11, 7, 8, 0, tzinfo=datetime.UTC)
