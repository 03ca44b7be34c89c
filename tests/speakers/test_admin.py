import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client

from conference.admin_site import ORGANISERS_GROUP
from speakers.models import Speaker
from tests.factories import EventFactory, SpeakerFactory, TalkFactory, UserFactory


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


def admin_speaker_data(speaker, **changes):
    data = {
        "name": speaker.name,
        "slug": speaker.slug,
        "affiliation": speaker.affiliation,
        "email": speaker.email,
        "bio": speaker.bio,
        "website": speaker.website,
        "user": "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_organiser_photo_upload_is_checked_and_re_encoded(organiser_client, db):
    import io

    from django.core.files.storage import default_storage
    from PIL import Image

    speaker = SpeakerFactory(name="Kevin Wolf")
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1000), "blue").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "kevin.png"

    response = organiser_client.post(
        f"/admin/speakers/speaker/{speaker.pk}/change/",
        admin_speaker_data(speaker, photo_upload=buffer),
    )

    assert response.status_code == 302
    speaker.refresh_from_db()
    assert speaker.photo.name.endswith(".jpg")
    assert Image.open(default_storage.open(speaker.photo.name)).size == (800, 400)
    assert Image.open(default_storage.open(speaker.photo_thumbnail.name)).size == (160, 160)


def test_organiser_hostile_photo_upload_is_refused(organiser_client, db):
    import io

    speaker = SpeakerFactory(name="Kevin Wolf")
    fake = io.BytesIO(b"GIF89a/*<script>alert(1)</script>*/")
    fake.name = "kevin.gif"

    response = organiser_client.post(
        f"/admin/speakers/speaker/{speaker.pk}/change/",
        admin_speaker_data(speaker, photo_upload=fake),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["photo_upload"]
    assert errors[0] in {
        "This file is not an image we can read (JPEG, PNG, WebP or GIF).",
        "The image is damaged or incomplete.",
    }
    speaker.refresh_from_db()
    assert not speaker.photo


def test_organiser_sees_and_undoes_a_bad_profile_edit(organiser_client, db):
    speaker = SpeakerFactory(name="Kevin Wolf", bio="Maintains the block layer.")
    speaker.bio = "spam spam spam"
    speaker.save()
    good = speaker.history.order_by("history_date").first()

    history_page = organiser_client.get(f"/admin/speakers/speaker/{speaker.pk}/history/")
    assert f"/admin/speakers/speaker/{speaker.pk}/history/{good.history_id}/" in (
        history_page.content.decode()
    )
    response = organiser_client.post(
        f"/admin/speakers/speaker/{speaker.pk}/history/{good.history_id}/",
        admin_speaker_data(speaker, bio="Maintains the block layer."),
    )

    assert response.status_code == 302
    speaker.refresh_from_db()
    assert speaker.bio == "Maintains the block layer."
    assert speaker.history.count() == 3


# The account a speaker signs in with --------------------------------------------


def test_organiser_sees_the_speakers_account_but_cannot_choose_one(organiser_client, db):
    speaker = SpeakerFactory(name="Kevin Wolf", user=UserFactory(username="kevin"))

    for path in [f"/admin/speakers/speaker/{speaker.pk}/change/", "/admin/speakers/speaker/add/"]:
        content = organiser_client.get(path).content.decode()
        assert 'name="user"' not in content
    content = organiser_client.get(f"/admin/speakers/speaker/{speaker.pk}/change/").content
    assert (
        f'<div class="readonly"><a href="/admin/auth/user/{speaker.user_id}/change/">kevin</a>'
        in content.decode()
    )


def test_an_organisers_post_naming_an_account_changes_the_rest_but_not_the_account(
    organiser_client, superuser
):
    speaker = SpeakerFactory(name="Kevin Wolf", email="kevin@example.org")
    kevin_account = UserFactory(username="kevin")

    response = organiser_client.post(
        f"/admin/speakers/speaker/{speaker.pk}/change/",
        admin_speaker_data(speaker, bio="Block layer.", user=superuser.pk),
    )
    linked = organiser_client.post(
        f"/admin/speakers/speaker/{speaker.pk}/change/",
        admin_speaker_data(speaker, bio="Block layer.", user=kevin_account.pk),
    )

    assert (response.status_code, linked.status_code) == (302, 302)
    speaker.refresh_from_db()
    assert (speaker.bio, speaker.user) == ("Block layer.", None)


def test_an_organisers_new_speaker_gets_no_account_from_the_post(organiser_client, superuser):
    response = organiser_client.post(
        "/admin/speakers/speaker/add/",
        admin_speaker_data(
            SpeakerFactory.build(name="Eve", slug="eve", email="eve@example.org"),
            user=superuser.pk,
        ),
    )

    assert response.status_code == 302
    speaker = Speaker.objects.get(slug="eve")
    assert (speaker.name, speaker.user) == ("Eve", None)


def test_an_organiser_keeps_the_account_a_superuser_chose(organiser_client, db):
    speaker = SpeakerFactory(name="Kevin Wolf", user=UserFactory(username="kevin"))

    organiser_client.post(
        f"/admin/speakers/speaker/{speaker.pk}/change/",
        admin_speaker_data(speaker, bio="Edited.", user=""),
    )

    speaker.refresh_from_db()
    assert (speaker.bio, speaker.user.username) == ("Edited.", "kevin")


def test_an_organiser_reverting_history_cannot_bring_back_an_old_account(organiser_client, db):
    account = UserFactory(username="kevin")
    speaker = SpeakerFactory(name="Kevin Wolf", user=account)
    linked = speaker.history.get()
    speaker.user = None
    speaker.save()

    # The revert form shows the old version, account included, and posts it back.
    response = organiser_client.post(
        f"/admin/speakers/speaker/{speaker.pk}/history/{linked.history_id}/",
        admin_speaker_data(speaker, bio="Reverted.", user=account.pk),
    )

    assert response.status_code == 302
    speaker.refresh_from_db()
    assert (speaker.bio, speaker.user) == ("Reverted.", None)


def test_superuser_links_a_speaker_to_an_account(superuser_client, db):
    speaker = SpeakerFactory(name="Kevin Wolf")
    account = UserFactory(username="kevin")

    response = superuser_client.post(
        f"/admin/speakers/speaker/{speaker.pk}/change/",
        admin_speaker_data(speaker, user=account.pk),
    )

    assert response.status_code == 302
    speaker.refresh_from_db()
    assert speaker.user == account


# Two people editing one speaker -------------------------------------------------------------

STAMP = re.compile(r'name="seen_updated" value="([^"]*)"')
STALE = (
    "Someone else saved this speaker at 14:05 UTC since you opened it. "
    "Reload the page to see their changes, then make yours again."
)


def opened_speaker_form(client, speaker):
    """The admin form as the organiser's browser received it: the speaker's fields and stamp."""
    page = client.get(f"/admin/speakers/speaker/{speaker.pk}/change/").content.decode()
    return admin_speaker_data(speaker, seen_updated=STAMP.search(page).group(1))


def test_saving_a_speaker_someone_changed_since_the_page_was_drawn_is_refused(organiser_client, db):
    speaker = SpeakerFactory(name="Kevin Wolf", bio="Block layer.")
    dee = UserFactory(username="dee")
    dee.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    other = Client()
    other.force_login(dee)
    first, second = (
        opened_speaker_form(organiser_client, speaker),
        opened_speaker_form(other, speaker),
    )

    with time_machine.travel(datetime.datetime(2026, 3, 2, 14, 5, tzinfo=datetime.UTC)):
        saved = organiser_client.post(
            f"/admin/speakers/speaker/{speaker.pk}/change/", {**first, "bio": "Ada's bio."}
        )
    refused = other.post(
        f"/admin/speakers/speaker/{speaker.pk}/change/",
        {**second, "affiliation": "Dee's affiliation"},
    )

    assert (saved.status_code, refused.status_code) == (302, 200)
    assert refused.context["adminform"].form.non_field_errors() == [STALE]
    speaker.refresh_from_db()
    assert (speaker.bio, speaker.affiliation) == ("Ada's bio.", "Example Org")


def test_the_speaker_change_form_carries_the_stamp_of_the_speaker_it_shows(organiser_client, db):
    speaker = SpeakerFactory()

    form = opened_speaker_form(organiser_client, speaker)

    assert form["seen_updated"] == speaker.updated.isoformat()
