"""Mails reach each speaker in the language they chose, whoever's language sent them."""

from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

from proposals.decisions import proposals_decide
from proposals.services import proposal_change_state, proposal_sign_in_request
from proposals.states import Actor, State
from speakers.models import Speaker


def translated(code, msgid):
    path = Path(settings.BASE_DIR, "locale", code, "LC_MESSAGES", "django.po")
    entry = polib.pofile(str(path)).find(msgid)
    assert entry is not None, f"{msgid!r} is not in the {code} catalog"
    assert entry.msgstr, f"{msgid!r} has no {code} translation"
    return entry.msgstr


def test_a_state_change_mails_each_speaker_in_their_own_language(
    call, speaker, other_speaker, make_proposal, send_outbox
):
    speaker.language = "de"
    speaker.save()
    other_speaker.language = "fr"
    other_speaker.save()
    proposal = make_proposal(speaker)
    proposal.speakers.add(other_speaker)

    # The speaker who withdraws browses in Spanish; the mails do not follow her.
    with translation.override("es"):
        proposal_change_state(
            proposal=proposal, to_state=State.WITHDRAWN, by=speaker.user, actor=Actor.SPEAKER
        )
    subjects = {tuple(message.to): message.subject for message in send_outbox()}

    template = "Your proposal “%(title)s” is %(state)s"
    with translation.override("de"):
        german = translated("de", template) % {
            "title": "Live migration",
            "state": str(State.WITHDRAWN.label).lower(),
        }
    with translation.override("fr"):
        french = translated("fr", template) % {
            "title": "Live migration",
            "state": str(State.WITHDRAWN.label).lower(),
        }
    assert subjects == {("avi@example.org",): german, ("kevin@example.org",): french}


def test_a_speaker_without_a_choice_gets_the_site_s_language(
    call, speaker, make_proposal, send_outbox
):
    proposal = make_proposal(speaker)
    with translation.override("fr"):
        proposal_change_state(
            proposal=proposal, to_state=State.WITHDRAWN, by=speaker.user, actor=Actor.SPEAKER
        )
    assert [message.subject for message in send_outbox()] == [
        "Your proposal “Live migration” is withdrawn"
    ]


def test_the_built_in_decision_mail_is_in_the_speaker_s_language(
    call, speaker, organiser, make_proposal, send_outbox
):
    speaker.language = "es"
    speaker.save()
    proposal = make_proposal(speaker)

    proposals_decide(
        proposals=[proposal], decision=State.ACCEPTED, by=organiser, base_url="http://testserver"
    )
    (message,) = send_outbox()

    expected = translated("es", "Your proposal “{title}” is accepted").replace(
        "{title}", "Live migration"
    )
    assert message.subject == expected


def test_a_visitor_who_asks_for_a_link_in_german_keeps_german_for_later_mails(call, mailoutbox):
    with translation.override("de"):
        proposal_sign_in_request(
            event=call.event, name="Ada Lovelace", email="ada@example.org", base_url="http://t"
        )
    assert Speaker.objects.get(email="ada@example.org").language == "de"
    assert mailoutbox[0].subject == translated("de", "Your link to propose a talk at %(event)s") % {
        "event": "KVM Forum 2012"
    }


def test_an_account_s_first_proposal_makes_a_profile_that_writes_in_the_site_s_language(
    client, call, send_outbox
):
    from django.contrib.auth import get_user_model

    from proposals.models import Proposal
    from tests.proposals.builders import proposal_form_data

    user = get_user_model().objects.create_user("marta", email="marta@example.org")
    client.force_login(user)

    response = client.post(
        "/kvm-forum-2012/cfp/submit/",
        proposal_form_data(call, **{"profile-bio": "Hago migraciones en vivo."}),
        headers={"Accept-Language": "es"},
    )

    assert response.status_code == 302, response.content.decode()
    assert Speaker.objects.get(user=user).language == "es"
    assert Proposal.objects.get().title == "Live migration"
    with translation.override("en"):  # whatever language the mail timer runs in
        (message,) = send_outbox()
    expected = translated("es", "Your proposal “%(title)s” is %(state)s")
    with translation.override("es"):
        state = str(State.SUBMITTED.label).lower()
    assert message.subject == expected % {"title": "Live migration", "state": state}
