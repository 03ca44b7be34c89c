import pytest

from tests.factories import EventFactory, SpeakerFactory, TalkFactory


def test_speaker_list_counts_talks_across_events(organiser_client, db):
    avi = SpeakerFactory(name="Avi Kivity")
    SpeakerFactory(name="Kevin Wolf")
    TalkFactory(event=EventFactory(), speakers=[avi])
    TalkFactory(event=EventFactory(), speakers=[avi])

    response = organiser_client.get("/admin/speakers/speaker/")

    rows = [(speaker.name, speaker.talk_count) for speaker in response.context["cl"].result_list]
    assert rows == [("Avi Kivity", 2), ("Kevin Wolf", 0)]


def test_speaker_search_matches_name_and_affiliation(organiser_client, db):
    SpeakerFactory(name="Alex Williamson", affiliation="Red Hat")
    SpeakerFactory(name="Jason Baron", affiliation="Akamai")

    response = organiser_client.get("/admin/speakers/speaker/", {"q": "red hat"})

    assert [speaker.name for speaker in response.context["cl"].result_list] == ["Alex Williamson"]


def test_speaker_page_lists_their_talks_with_links(organiser_client, db):
    avi = SpeakerFactory(name="Avi Kivity")
    keynote = TalkFactory(
        event=EventFactory(name="KVM Forum"), title="Keynote Address", speakers=[avi]
    )

    response = organiser_client.get(f"/admin/speakers/speaker/{avi.pk}/change/")

    content = response.content.decode()
    assert (
        f"<a href='/admin/schedule/talk/{keynote.pk}/change/'>Keynote Address</a> (KVM Forum)"
        in content
    )


def test_speaker_names_in_the_talk_list_are_escaped(organiser_client, db):
    hostile = SpeakerFactory(name='<script>alert("x")</script>')
    TalkFactory(speakers=[hostile], title="<b>bold</b>")

    for path in ["/admin/schedule/talk/", "/admin/speakers/speaker/"]:
        content = organiser_client.get(path).content.decode()
        assert '<script>alert("x")</script>' not in content
        assert "&lt;script&gt;" in content


@pytest.mark.parametrize("speaker_count", [3, 30])
def test_speaker_list_queries_do_not_grow(
    organiser_client, db, speaker_count, django_assert_max_num_queries
):
    for _ in range(speaker_count):
        TalkFactory(speakers=[SpeakerFactory()])

    with django_assert_max_num_queries(10):
        response = organiser_client.get("/admin/speakers/speaker/")

    assert len(response.context["cl"].result_list) == speaker_count
