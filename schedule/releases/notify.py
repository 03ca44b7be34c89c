"""Telling speakers what a release changed for them: one mail per speaker per release.

The mails are written to the outbox (django-mailer's queue, a table in the
site's own database) inside the release's transaction: a release that rolls
back leaves no mail behind, and one that commits has its mails stored whatever
the SMTP server is doing. ``manage.py send_mail`` sends them later; one the
server refuses is deferred, and ``manage.py retry_deferred`` puts it back in
line (deploy/conference-mail.timer runs both).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from mailer.models import PRIORITY_MEDIUM, DontSendEntry, Message

from infrastructure.site_url import site_root_without_request
from schedule.releases.changes import NOTIFIED_KINDS, ChangeKind, speakers_of
from speakers.services import in_speaker_language

SUBJECT_TEMPLATE = "schedule/release_mail_subject.txt"
BODY_TEMPLATE = "schedule/release_mail_body.txt"

# What the mail calls each kind of change, at the head of its paragraph.
HEADINGS = {
    ChangeKind.NEW: pgettext_lazy("talks of a release", "New"),
    ChangeKind.CANCELLED: pgettext_lazy("talks of a release", "Cancelled"),
    ChangeKind.WITHDRAWN: _("Taken off the schedule"),
    ChangeKind.MOVED: pgettext_lazy("talks of a release", "Moved"),
}


@dataclass(frozen=True)
class MailedChange:
    """One change as a speaker's mail tells it, every time already in the venue's zone."""

    heading: str
    title: str
    when: str  # the time it now has, or last had when cancelled or taken off
    room: str
    was_title: str = ""  # the title before, when it changed too
    was_when: str = ""  # for a move: where and when it was before
    was_room: str = ""
    talk_url: str = ""  # its public page and calendar, while it has them
    calendar_url: str = ""
    no_longer_yours: bool = False  # the speaker was taken off the talk


def venue_instant_words(instant, zone):
    """“Thu 8 Nov 2012, 10:00 CET”: one instant as the venue's clocks show it."""
    moment = instant.astimezone(zone)
    return f"{date_format(moment, 'D j M Y, H:i')} {moment.tzname()}"


def time_span_words(talk, zone):
    """“Thu 8 Nov 2012, 10:00–10:30 CET” at the venue, or that the time is to be announced."""
    if talk.start is None:
        return gettext("time to be announced")
    start, end = talk.start.astimezone(zone), talk.end.astimezone(zone)
    words = date_format(start, "D j M Y, H:i")
    if start.utcoffset() != end.utcoffset():
        # The clocks change during the talk: each end names its own offset.
        words += f" {start.tzname()}"
    words += " – " if start.date() != end.date() or start.utcoffset() != end.utcoffset() else "–"
    if start.date() != end.date():
        words += date_format(end, "D j M, ")
    return f"{words}{end:%H:%M} {end.tzname()}"


def _room_name(talk):
    return talk.room.name if talk.room_id else gettext("room to be announced")


def _mailed_change(change, speaker, *, event, site_root):
    talk = change.talk
    lines = {
        "heading": HEADINGS[change.kind],
        "title": talk.title,
        "when": time_span_words(talk, event.tz),
        "room": _room_name(talk),
    }
    if change.kind == ChangeKind.MOVED:
        lines |= {
            "was_when": time_span_words(change.before, event.tz),
            "was_room": _room_name(change.before),
        }
    if "title" in change.fields:
        lines["was_title"] = change.before.title
    if change.kind in (ChangeKind.NEW, ChangeKind.MOVED):
        # Only these stay on the public schedule; a cancelled talk has no page.
        args = [event.slug, talk.slug]
        lines |= {
            "talk_url": site_root + reverse("schedule:talk_detail", args=args).lstrip("/"),
            "calendar_url": site_root + reverse("schedule:talk_ics", args=args).lstrip("/"),
        }
    if change.after is not None:
        lines["no_longer_yours"] = speaker.pk not in {s.pk for s in speakers_of(change.after)}
    return MailedChange(**lines)


def _changes_by_speaker(plan):
    """Each speaker's notified changes, in the plan's order (by time)."""
    by_speaker = {}
    for change in plan.changes:
        if change.kind in NOTIFIED_KINDS:
            for speaker in change.speakers:
                by_speaker.setdefault(speaker.pk, []).append(change)
    return by_speaker


def release_mail(release, speaker, changes, *, site_root):
    """The ``EmailMessage`` telling ``speaker`` of their ``changes`` in ``release``.

    Rendered in the speaker's language (``Speaker.language``).
    """
    with in_speaker_language(speaker):
        return _release_mail(release, speaker, changes, site_root=site_root)


def _release_mail(release, speaker, changes, *, site_root):
    event = release.event
    context = {
        "speaker": speaker,
        "event": event,
        "release": release,
        "released_at": venue_instant_words(release.released_at, event.tz),
        "zone": event.time_zone,
        "changes": [
            _mailed_change(change, speaker, event=event, site_root=site_root) for change in changes
        ],
        "schedule_url": site_root + reverse("schedule:schedule", args=[event.slug]).lstrip("/"),
        "profile_url": site_root + reverse("accounts:profile").lstrip("/"),
        "site_name": settings.SITE_NAME,
    }
    subject = " ".join(render_to_string(SUBJECT_TEMPLATE, context).split())
    body = render_to_string(BODY_TEMPLATE, context)
    return EmailMessage(subject=subject, body=body, to=[speaker.email])


def queue_release_mails(release, plan):
    """Queue in the outbox one mail for each of ``plan.speakers_to_tell``; returns how many.

    Each mail lists all of the speaker's talks that the release adds,
    cancels, takes off or moves. Addresses on django-mailer's don't-send list
    get none. Runs inside the caller's transaction (``release_schedule``'s).
    """
    speakers = plan.speakers_to_tell
    if not speakers:
        return 0
    refused = {
        address.casefold() for address in DontSendEntry.objects.values_list("to_address", flat=True)
    }
    changes = _changes_by_speaker(plan)
    site_root = site_root_without_request()
    messages = []
    for speaker in speakers:
        if speaker.email.casefold() in refused:
            continue
        message = Message(priority=PRIORITY_MEDIUM)
        message.email = release_mail(release, speaker, changes[speaker.pk], site_root=site_root)
        messages.append(message)
    Message.objects.bulk_create(messages)
    return len(messages)
