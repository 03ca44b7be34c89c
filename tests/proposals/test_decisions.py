"""Deciding in the admin, the speaker's answer from the mail, and the talk it becomes."""

import datetime
import re

from django.core import mail
from mailer.models import Message

from proposals.models import (
    Call,
    DecisionTemplate,
    ProposalStateChange,
    Review,
    ReviewScore,
    SessionType,
)
from proposals.states import State
from schedule.models import Talk


def _action(client, action, proposals, **extra):
    return client.post(
        "/admin/proposals/proposal/",
        {"action": action, "_selected_action": [p.pk for p in proposals], **extra},
    )


def test_decision_is_previewed_and_only_sent_once_confirmed(
    organiser_client, call, speaker, make_proposal, send_outbox
):
    DecisionTemplate.objects.create(
        call=call,
        decision=State.ACCEPTED,
        subject="Welcome, {name}",
        body="{title} at {event}: answer at {confirm_link} {title.__class__} {unknown}",
    )
    proposal = make_proposal(speaker)

    preview = _action(organiser_client, "decide_accepted", [proposal])

    content = preview.content.decode()
    assert "Subject:</strong> Welcome, Avi Kivity" in content
    assert (
        "Live migration at KVM Forum 2012: answer at http://testserver/kvm-forum-2012/cfp/answer/"
        in content
    )
    assert "{title.__class__} {unknown}" in content  # only the four placeholders are filled
    proposal.refresh_from_db()
    assert (proposal.state, Message.objects.count()) == (State.SUBMITTED, 0)

    _action(organiser_client, "decide_accepted", [proposal], send="yes")

    proposal.refresh_from_db()
    assert proposal.state == State.ACCEPTED
    # Queued in the outbox, not sent while the organiser waits.
    assert [(m.subject, m.to_addresses) for m in Message.objects.all()] == [
        ("Welcome, Avi Kivity", ["avi@example.org"])
    ]
    assert mail.outbox == []
    assert [(m.subject, m.to) for m in send_outbox()] == [
        ("Welcome, Avi Kivity", ["avi@example.org"])
    ]
    change = ProposalStateChange.objects.get()
    assert (change.by.username, change.from_state, change.to_state) == (
        "organiser",
        "submitted",
        "accepted",
    )


def test_bulk_decision_leaves_the_ones_the_table_refuses_and_names_them(
    organiser_client, call, speaker, make_proposal, send_outbox
):
    waiting = make_proposal(speaker, title="First")
    withdrawn = make_proposal(speaker, title="Gone", state=State.WITHDRAWN)

    response = _action(organiser_client, "decide_waiting", [waiting, withdrawn], send="yes")

    waiting.refresh_from_db()
    withdrawn.refresh_from_db()
    assert (waiting.state, withdrawn.state) == (State.WAITING, State.WITHDRAWN)
    followed = organiser_client.get(response["Location"]).content.decode()
    assert "1 proposal waiting list." in followed
    assert "“Gone” unchanged: A proposal that is withdrawn cannot become waiting list." in followed
    assert [m.subject for m in send_outbox()] == ["Your proposal “First” is on the waiting list"]


def test_admin_list_sorts_by_average_score_and_shows_the_spread(
    organiser_client, call, speaker, reviewer, make_proposal
):
    low, high = make_proposal(speaker, title="Low"), make_proposal(speaker, title="High")
    for proposal, scores in [(low, (0, 1)), (high, (3, 2))]:
        review = Review.objects.create(proposal=proposal, reviewer=reviewer)
        for category, score in zip(call.review_categories.all(), scores, strict=True):
            ReviewScore.objects.create(review=review, category=category, score=score)

    response = organiser_client.get("/admin/proposals/proposal/?o=-7")

    titles = [proposal.title for proposal in response.context["cl"].result_list]
    assert titles == ["High", "Low"]
    content = response.content.decode()
    assert '<td class="field-average_score">2.50</td><td class="field-spread">2–3</td>' in content


def test_accepted_speaker_confirms_from_the_link_and_an_unscheduled_talk_is_made(
    client, organiser_client, call, speaker, other_speaker, make_proposal, send_outbox
):
    workshop = call.session_types.get(name="Workshop")
    proposal = make_proposal(speaker, session_type=workshop, track=call.tracks.get())
    proposal.speakers.add(other_speaker)
    _action(organiser_client, "decide_accepted", [proposal], send="yes")
    link = re.search(r"http://testserver(/\S+)", send_outbox()[0].body).group(1)
    organiser_client.logout()

    page = client.get(link).content.decode()
    client.post(link, {"confirm": "1"})
    again = client.post(link, {"decline": "1"}, follow=True).content.decode()

    assert "Yes, I confirm" in page
    proposal.refresh_from_db()
    assert proposal.state == State.CONFIRMED
    talk = proposal.talk
    assert (talk.event, talk.title, talk.kind, talk.track.name, talk.start, talk.is_published) == (
        call.event,
        "Live migration",
        "workshop",
        "Kernel",
        None,
        False,
    )
    assert [link.speaker.name for link in talk.talk_speakers.all()] == ["Avi Kivity", "Kevin Wolf"]
    assert proposal.duration_minutes == 120
    assert "A proposal that is confirmed cannot become declined." in again
    assert Talk.objects.count() == 1


def test_decline_from_the_link_makes_no_talk_and_is_recorded(
    client, organiser_client, call, speaker, make_proposal, send_outbox
):
    proposal = make_proposal(speaker)
    _action(organiser_client, "decide_accepted", [proposal], send="yes")
    link = re.search(r"http://testserver(/\S+)", send_outbox()[0].body).group(1)

    client.post(link, {"decline": "1"})

    proposal.refresh_from_db()
    assert (proposal.state, proposal.talk, Talk.objects.count()) == (State.DECLINED, None, 0)
    assert list(proposal.state_changes.values_list("to_state", flat=True)) == [
        "accepted",
        "declined",
    ]


def test_forged_answer_link_is_a_404(client, call):
    assert client.get("/kvm-forum-2012/cfp/answer/forged/").status_code == 404


def test_call_admin_takes_times_at_the_venue_and_names_the_zone(organiser_client, event):
    Call.objects.all().delete()
    response = organiser_client.get("/admin/proposals/call/add/")
    assert "As the venue's clock shows it, in the event's time zone." in response.content.decode()

    organiser_client.post(
        "/admin/proposals/call/add/",
        {
            "event": event.pk,
            "opens_0": "2030-01-10",
            "opens_1": "09:00",
            "closes_0": "2030-03-01",
            "closes_1": "23:59",
            "text": "",
            "co_speakers_allowed": "on",
            "confirmed_changes": "talk_follows",
            **{
                f"{prefix}-{key}": "0"
                for prefix in [
                    "session_types",
                    "questions",
                    "review_categories",
                    "decision_templates",
                ]
                for key in ["TOTAL_FORMS", "INITIAL_FORMS"]
            },
        },
    )

    call = Call.objects.get()
    assert call.opens == datetime.datetime(2030, 1, 10, 8, 0, tzinfo=datetime.UTC)
    assert call.closes == datetime.datetime(2030, 3, 1, 22, 59, tzinfo=datetime.UTC)
    change = organiser_client.get(f"/admin/proposals/call/{call.pk}/change/").content.decode()
    assert "in Europe/Madrid" in change
    assert 'value="09:00:00"' in change
    assert SessionType.objects.count() == 0
