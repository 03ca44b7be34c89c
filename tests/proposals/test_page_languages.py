"""The call's organiser and reviewer pages in the reader's language: German here."""

import html

from django.contrib.auth.models import Group

from proposals.models import DecisionTemplate
from proposals.states import State

GERMAN = {"accept-language": "de"}


def test_a_german_organiser_previews_a_decision_in_german(
    organiser_client, call, speaker, make_proposal
):
    DecisionTemplate.objects.create(
        call=call, decision=State.ACCEPTED, subject="Welcome, {name}", body="{title} at {event}"
    )
    proposal = make_proposal(speaker)

    preview = organiser_client.post(
        "/admin/proposals/proposal/",
        {"action": "decide_accepted", "_selected_action": [proposal.pk]},
        headers=GERMAN,
    )

    content = html.unescape(preview.content.decode())
    assert "„Angenommen“ an 1 Vorschlag senden?" in content
    assert "Diese Vorschläge werden <strong>angenommen</strong>" in content
    assert "Betreff:</strong> Welcome, Avi Kivity" in content
    assert 'value="Mails senden und als angenommen markieren"' in content
    assert "Send the mails and mark them" not in content
    assert "These proposals become" not in content
    # The organisers' template and the speaker's title stay as written.
    assert "Live migration at KVM Forum 2012" in content


def test_the_decision_actions_are_offered_in_german(organiser_client, call, speaker, make_proposal):
    make_proposal(speaker)

    content = organiser_client.get("/admin/proposals/proposal/", headers=GERMAN).content.decode()

    assert "Als angenommen markieren und den Vortragenden schreiben…" in content
    assert "Auf die Warteliste setzen und den Vortragenden schreiben…" in content
    assert "Mark as accepted and mail the speakers" not in content
    assert "Vorschlag zur Änderung auswählen" in html.unescape(content)


def test_a_german_reviewer_reads_the_review_page_in_german(
    client, call, reviewer, speaker, make_proposal
):
    proposal = make_proposal(speaker, title="Live migration")
    client.force_login(reviewer)

    page = client.get(f"/kvm-forum-2012/review/{proposal.uuid}/", headers=GERMAN)

    content = html.unescape(page.content.decode())
    assert '<html lang="de"' in content
    assert "Dein Gutachten" in content
    assert "Mein Gutachten speichern" in content
    assert "Die anderen Gutachten werden angezeigt, sobald du deines abgegeben hast." in content
    assert "Your review" not in content
    assert "Save my review" not in content
    assert "Live migration" in content  # the proposal's own title is not translated


def test_a_german_reviewer_is_told_in_german_not_to_review_their_own_proposal(
    client, call, speaker, make_proposal
):
    own = speaker.user
    own.groups.add(Group.objects.get(name="Reviewers"))
    call.reviewers.add(own)
    proposal = make_proposal(speaker)
    client.force_login(own)

    content = client.get(f"/kvm-forum-2012/review/{proposal.uuid}/", headers=GERMAN)

    text = html.unescape(content.content.decode())
    assert "Das ist dein eigener Vorschlag: Du kannst ihn nicht begutachten." in text
    assert "This is your own proposal" not in text
