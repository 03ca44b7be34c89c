"""Speakers hear what a schedule release changed for them: one mail each, through the outbox."""

import datetime
import re
import smtplib
import zoneinfo
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone
from mailer.models import DontSendEntry, Message

from schedule.models import Release
from schedule.releases import service
from schedule.releases.notify import queue_release_mails, time_span_words
from schedule.releases.service import plan_release, release_schedule
from tests.factories import RoomFactory, SpeakerFactory, UserFactory, scheduled_talk, venue_time

# The releases here are the tests' own: no request releases pending edits first.
pytestmark = pytest.mark.manual_releases

SITE = "https://conference.example.org"
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that is down: every send fails as ``failure`` says."""

    failure = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    def send_messages(self, email_messages):
        raise self.failure


class RefusedConnectionBackend(RefusingBackend):
    failure = ConnectionRefusedError(111, "Connection refused")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def rooms(event):
    return RoomFactory(event=event, name="Hall"), RoomFactory(event=event, name="Side room")


@pytest.fixture
def people(db):
    """Ada, Bob and Carol, with email addresses, and Dan, who has none."""
    return {
        "ada": SpeakerFactory(name="Ada Lovelace", email="ada@example.org"),
        "bob": SpeakerFactory(name="Bob Kahn", email="bob@example.org"),
        "carol": SpeakerFactory(name="Carol Shaw", email="carol@example.org"),
        "dan": SpeakerFactory(name="Dan Nobody", email=""),
    }


@pytest.fixture
def talks(event, rooms, people):
    """Release “1” of KVM Forum on 7 November, its mails sent already.

    Ada gives “Memory” (09:00, Hall) and “Paging” (10:00, Hall), Bob
    “Networking” (09:00, Side room), Carol “Storage” (16:00, Side room), and
    Dan “Tracing” (12:00, Hall) with Ada.
    """
    hall, side = rooms
    talks = {
        "memory": scheduled_talk(
            event, "Memory", (9, 0), (9, 30), room=hall, speakers=[people["ada"]]
        ),
        "paging": scheduled_talk(
            event, "Paging", (10, 0), (10, 30), room=hall, speakers=[people["ada"]]
        ),
        "networking": scheduled_talk(
            event, "Networking", (9, 0), (9, 30), room=side, speakers=[people["bob"]]
        ),
        "storage": scheduled_talk(
            event, "Storage", (16, 0), (16, 30), room=side, speakers=[people["carol"]]
        ),
        "tracing": scheduled_talk(
            event, "Tracing", (12, 0), (12, 30), room=hall, speakers=[people["dan"], people["ada"]]
        ),
    }
    release_schedule(event, name="1", released_at=venue_time(event, 2012, 10, 1, 9, 0))
    call_command("send_mail")
    mail.outbox.clear()
    return talks


def move(talk, *, hours=0, room=None):
    talk.start += datetime.timedelta(hours=hours)
    talk.end += datetime.timedelta(hours=hours)
    if room is not None:
        talk.room = room
    talk.save()


def sent_mails():
    """Send the outbox as the timer does; the mails that went out, by recipient."""
    call_command("send_mail")
    return {message.to[0]: message for message in mail.outbox}


def test_the_outbox_holds_one_mail_per_affected_speaker_until_send_mail_runs(event, rooms, talks):
    move(talks["memory"], hours=2, room=rooms[1])
    talks["paging"].is_cancelled = True
    talks["paging"].save()
    move(talks["networking"], hours=1)

    release_schedule(event, name="2")

    assert Message.objects.count() == 2
    assert mail.outbox == []
    assert sorted(sent_mails()) == ["ada@example.org", "bob@example.org"]
    assert Message.objects.count() == 0


def test_a_speakers_one_mail_lists_all_their_changes_with_venue_times_and_links(
    event, rooms, people, talks
):
    hall, side = rooms
    move(talks["memory"], hours=2, room=side)
    talks["paging"].is_cancelled = True
    talks["paging"].save()
    scheduled_talk(event, "Virtio", (15, 0), (15, 45), day=8, room=hall, speakers=[people["ada"]])

    release_schedule(
        event,
        name="1.1",
        comment="Memory moved to the afternoon.\nPaging is cancelled, sorry.",
        released_at=venue_time(event, 2012, 10, 20, 18, 30),
    )
    message = sent_mails()["ada@example.org"]

    assert message.subject == "KVM Forum: your talks in schedule release “1.1”"
    assert message.from_email == "conference@localhost"
    assert message.body == (
        "Hello Ada Lovelace,\n"
        "\n"
        "KVM Forum has released schedule “1.1” (Sat 20 Oct 2012, 18:30 CEST),\n"
        "and it changes 3 talks of yours.\n"
        "\n"
        "The organisers write:\n"
        "\n"
        "Memory moved to the afternoon.\n"
        "Paging is cancelled, sorry.\n"
        "\n"
        "Times are at the venue, in Europe/Madrid.\n"
        "\n"
        "Cancelled: Paging\n"
        "  It was to be on Wed 7 Nov 2012, 10:00–10:30 CET, Hall.\n"
        "\n"
        "Moved: Memory\n"
        "  Was: Wed 7 Nov 2012, 09:00–09:30 CET, Hall\n"
        "  Now: Wed 7 Nov 2012, 11:00–11:30 CET, Side room\n"
        f"  Talk page: {SITE}/kvm/talks/memory/\n"
        f"  Calendar: {SITE}/kvm/talks/memory.ics\n"
        "\n"
        "New: Virtio\n"
        "  When: Thu 8 Nov 2012, 15:00–15:45 CET, Hall\n"
        f"  Talk page: {SITE}/kvm/talks/virtio/\n"
        f"  Calendar: {SITE}/kvm/talks/virtio.ics\n"
        "\n"
        f"The whole schedule: {SITE}/kvm/schedule/\n"
        "\n"
        "You get this mail because you speak at KVM Forum. To stop these mails,\n"
        "sign in and untick “Email me when my talks move” on your profile:\n"
        f"{SITE}/accounts/profile/\n"
        "\n"
        "Conference\n"
    )


def test_the_links_in_the_mail_open_the_moved_talk_and_its_calendar(client, event, rooms, talks):
    move(talks["networking"], hours=1)
    release_schedule(event, name="2")
    body = sent_mails()["bob@example.org"].body
    links = dict(re.findall(rf"  (Talk page|Calendar): {SITE}(\S+)", body))

    page = client.get(links["Talk page"]).content.decode()
    calendar = client.get(links["Calendar"]).content.decode()

    assert links == {"Talk page": "/kvm/talks/networking/", "Calendar": "/kvm/talks/networking.ics"}
    assert '<h1 class="d-flex align-items-start gap-2">Networking ' in page
    assert "DTSTART;TZID=Europe/Madrid:20121107T100000\r\n" in calendar  # the new time
    assert "SUMMARY:Networking" in calendar


def test_a_move_reads_in_the_venues_zone_whatever_zone_it_was_saved_in(event, rooms, talks):
    # Saved as 14:00 UTC: 15:00 at the venue.
    talks["networking"].start = datetime.datetime(2012, 11, 8, 14, 0, tzinfo=datetime.UTC)
    talks["networking"].end = datetime.datetime(2012, 11, 8, 14, 30, tzinfo=datetime.UTC)
    talks["networking"].save()

    release_schedule(event, name="2")
    body = sent_mails()["bob@example.org"].body

    assert "Times are at the venue, in Europe/Madrid." in body
    assert "  Was: Wed 7 Nov 2012, 09:00–09:30 CET, Side room\n" in body
    assert "  Now: Thu 8 Nov 2012, 15:00–15:30 CET, Side room\n" in body


def test_the_first_release_tells_each_speaker_of_all_their_new_talks_in_one_mail(event, rooms):
    ada = SpeakerFactory(name="Ada Lovelace", email="ada@example.org")
    scheduled_talk(event, "Memory", room=rooms[0], speakers=[ada])
    scheduled_talk(event, "Paging", (10, 0), (10, 30), room=rooms[0], speakers=[ada])

    release_schedule(event, name="1")
    mails = sent_mails()

    assert list(mails) == ["ada@example.org"]
    body = mails["ada@example.org"].body
    assert "it changes 2 talks of yours" in body
    assert body.count("\nNew: ") == 2
    assert "New: Memory\n  When: Wed 7 Nov 2012, 09:00–09:30 CET, Hall\n" in body
    assert "New: Paging\n  When: Wed 7 Nov 2012, 10:00–10:30 CET, Hall\n" in body


def test_speakers_whose_talks_did_not_move_get_no_mail(event, rooms, talks):
    talks["storage"].title = "Storage, renamed"  # a change, but nobody's plans move
    talks["storage"].save()
    move(talks["networking"], hours=1)

    release_schedule(event, name="2")

    assert list(sent_mails()) == ["bob@example.org"]


def test_a_speaker_without_an_email_gets_no_mail_and_a_co_speaker_still_does(event, rooms, talks):
    move(talks["tracing"], hours=2)

    release_schedule(event, name="2")

    assert list(sent_mails()) == ["ada@example.org"]


def test_a_speaker_who_unticks_the_box_on_their_profile_gets_no_mail(
    client, event, rooms, people, talks
):
    bob = people["bob"]
    bob.user = UserFactory(username="bob")
    bob.save()
    client.force_login(bob.user)
    response = client.post(
        "/accounts/profile/",
        {
            "name": bob.name,
            "affiliation": bob.affiliation,
            "bio": "",
            "website": "",
            # "notify_schedule_changes" unticked: the browser leaves it out.
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
            "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "6",
        },
    )
    assert response.status_code == 302
    move(talks["networking"], hours=1)
    move(talks["memory"], hours=4)

    release_schedule(event, name="2")

    assert list(sent_mails()) == ["ada@example.org"]


def test_an_address_on_the_dont_send_list_gets_no_mail(event, rooms, talks):
    DontSendEntry.objects.create(to_address="BOB@example.org", when_added=timezone.now())
    move(talks["networking"], hours=1)
    move(talks["memory"], hours=4)

    release_schedule(event, name="2")

    assert list(sent_mails()) == ["ada@example.org"]


def test_a_release_without_notifying_queues_no_mail(event, rooms, talks):
    move(talks["networking"], hours=1)

    release, _ = release_schedule(event, name="2", notify=False)

    assert release.is_current
    assert Message.objects.count() == 0
    assert sent_mails() == {}


def test_a_talk_taken_off_the_schedule_is_told_without_links(event, rooms, talks):
    talks["networking"].is_published = False
    talks["networking"].save()

    release_schedule(event, name="2")
    body = sent_mails()["bob@example.org"].body

    assert (
        "Taken off the schedule: Networking\n"
        "  It was to be on Wed 7 Nov 2012, 09:00–09:30 CET, Side room.\n"
        "\n"
        "The whole schedule:"
    ) in body


def test_a_speaker_taken_off_a_moved_talk_hears_of_both(event, rooms, people, talks):
    tracing = talks["tracing"]
    tracing.talk_speakers.filter(speaker=people["ada"]).delete()
    move(tracing, hours=1, room=rooms[1])
    tracing.title = "Tracing at scale"
    tracing.save()

    release_schedule(event, name="2")
    body = sent_mails()["ada@example.org"].body

    assert (
        "Moved: Tracing at scale (was “Tracing”)\n"
        "  Was: Wed 7 Nov 2012, 12:00–12:30 CET, Hall\n"
        "  Now: Wed 7 Nov 2012, 13:00–13:30 CET, Side room\n"
        "  You are no longer listed as one of its speakers.\n"
    ) in body


@pytest.mark.parametrize(
    "backend",
    [
        "tests.schedule.test_release_mails.RefusingBackend",
        "tests.schedule.test_release_mails.RefusedConnectionBackend",
    ],
)
def test_mails_wait_in_the_outbox_while_the_smtp_server_fails_and_go_once_it_is_back(
    event, rooms, talks, settings, backend
):
    move(talks["networking"], hours=1)
    move(talks["memory"], hours=4)
    release, _ = release_schedule(event, name="2")

    settings.MAILER_EMAIL_BACKEND = backend
    call_command("send_mail")

    assert Release.objects.get(event=event, is_current=True) == release
    assert mail.outbox == []
    assert Message.objects.deferred().count() == 2

    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_mail")  # deferred mails wait for retry_deferred
    assert mail.outbox == []

    call_command("retry_deferred")
    mails = sent_mails()

    assert sorted(mails) == ["ada@example.org", "bob@example.org"]
    assert "Moved: Networking" in mails["bob@example.org"].body
    assert Message.objects.count() == 0


def test_a_release_that_rolls_back_after_queueing_leaves_no_mail(event, rooms, talks, monkeypatch):
    move(talks["networking"], hours=1)
    queued = []

    def queue_then_remember(release, plan):
        queued.append(queue_release_mails(release, plan))

    def fail(event_slug):
        raise RuntimeError("the cache went away")

    monkeypatch.setattr(service, "queue_release_mails", queue_then_remember)
    monkeypatch.setattr(service, "event_pages_changed", fail)

    with pytest.raises(RuntimeError, match="the cache went away"):
        release_schedule(event, name="2")

    assert queued == [1]  # the mail was written, then rolled back with the release
    assert Message.objects.count() == 0
    assert list(Release.objects.filter(event=event).values_list("name", flat=True)) == ["1"]
    assert sent_mails() == {}


@pytest.mark.parametrize("speaker_count", [3, 30])
def test_queueing_takes_the_same_queries_for_few_speakers_as_for_many(
    event, rooms, speaker_count, django_assert_num_queries
):
    for number in range(speaker_count):
        speaker = SpeakerFactory(email=f"speaker{number}@example.org")
        scheduled_talk(event, f"Talk {number}", room=rooms[number % 2], speakers=[speaker])
    plan = plan_release(event)
    release = Release.objects.create(
        event=event, number=1, name="1", released_at=timezone.now(), is_current=True
    )

    with django_assert_num_queries(2):  # the don't-send list, then one insert
        count = queue_release_mails(release, plan)

    assert count == speaker_count == Message.objects.count()


def talk_at(start, end):
    return SimpleNamespace(start=start, end=end)


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ((2012, 11, 7, 9, 0), (2012, 11, 7, 9, 30), "Wed 7 Nov 2012, 09:00–09:30 CET"),
        (
            (2012, 11, 7, 23, 30),
            (2012, 11, 8, 0, 30),
            "Wed 7 Nov 2012, 23:30 – Thu 8 Nov, 00:30 CET",
        ),
        ((2012, 7, 7, 9, 0), (2012, 7, 7, 9, 30), "Sat 7 Jul 2012, 09:00–09:30 CEST"),
        # The clocks go back at 03:00 CEST on 28 October 2012.
        ((2012, 10, 28, 1, 30), (2012, 10, 28, 2, 30), "Sun 28 Oct 2012, 01:30 CEST – 02:30 CET"),
    ],
)
def test_times_in_the_mail_read_as_the_venues_clocks_show_them(start, end, words):
    slot = talk_at(
        datetime.datetime(*start, tzinfo=MADRID),
        datetime.datetime(*end, tzinfo=MADRID, fold=1),
    )

    assert time_span_words(slot, MADRID) == words


def test_a_talk_without_a_time_is_to_be_announced():
    assert time_span_words(talk_at(None, None), MADRID) == "time to be announced"


def test_a_superuser_sees_the_waiting_mails_in_the_admin(superuser_client, event, rooms, talks):
    move(talks["networking"], hours=1)
    release_schedule(event, name="2")

    page = superuser_client.get("/admin/mailer/message/").content.decode()

    assert '<td class="field-show_to">bob@example.org</td>' in page
    assert '<td class="field-subject">KVM Forum: your talks in schedule release “2”</td>' in page
    assert '<td class="field-priority">medium</td>' in page


def test_each_speaker_reads_the_release_mail_in_their_own_language(event, rooms, people, talks):
    from django.utils import translation

    people["carol"].language = "fr"
    people["carol"].save()
    move(talks["storage"], hours=1)
    move(talks["networking"], hours=1)

    # The organiser who releases reads the admin in German.
    with translation.override("de"):
        release_schedule(event, name="2")
    mails = sent_mails()

    with translation.override("fr"):
        french = translation.gettext("Hello %(name)s,") % {"name": "Carol Shaw"}
    assert french != "Hello Carol Shaw,"
    assert mails["carol@example.org"].body.startswith(french)
    # Bob chose no language: the site's own.
    assert mails["bob@example.org"].subject == "KVM Forum: your talks in schedule release “2”"
    assert mails["bob@example.org"].body.startswith("Hello Bob Kahn,")
