"""Operations on speakers that change several things: invitations and photos."""

import base64
import secrets
import uuid
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from sesame.utils import get_query_string

from speakers.photos import ProcessedPhoto
from speakers.selectors import speaker_own_talks

INVITATION_SCOPE = "speaker-invitation"
HELD_PHOTO_SESSION_KEY = "speakers.held_photo"


@dataclass
class InvitationResult:
    invited: list = field(default_factory=list)
    accounts_created: list = field(default_factory=list)
    skipped: dict = field(default_factory=dict)  # speaker -> why

    def summary(self):
        invited, created = len(self.invited), len(self.accounts_created)
        if created:
            text = ngettext(
                "Invited %(count)s speaker, %(created)s new account(s).",
                "Invited %(count)s speakers, %(created)s new account(s).",
                invited,
            ) % {"count": invited, "created": created}
        else:
            text = ngettext(
                "Invited %(count)s speaker.", "Invited %(count)s speakers.", invited
            ) % {"count": invited}
        for speaker, reason in self.skipped.items():
            text += " " + gettext("Skipped %(speaker)s: %(reason)s.") % {
                "speaker": speaker,
                "reason": reason,
            }
        return text


def _unique_username(base):
    User = get_user_model()
    base = (base or "speaker")[:140]
    candidate, number = base, 2
    while User.objects.filter(username=candidate).exists():
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def account_has_privileges(user):
    """Whether ``user`` may do more than edit a speaker profile.

    Staff, superusers and any member of a group or holder of a permission
    (organisers among them) never get a sign-in link by email: whoever reads
    that mailbox would hold the account's rights.
    """
    return (
        user.is_staff or user.is_superuser or user.groups.exists() or user.user_permissions.exists()
    )


def speaker_account_ensure(*, speaker):
    """The speaker's account, created (without a password) when they have none.

    Returns ``(user, created)``. An existing account is never linked here, not
    even one with the speaker's address: the address is typed by an organiser,
    so matching on it would hand them that account. A superuser links one in
    the admin.
    """
    if speaker.user_id:
        return speaker.user, False
    User = get_user_model()
    user = User(username=_unique_username(speaker.slug), email=speaker.email)
    user.set_unusable_password()
    user.save()
    speaker.user = user
    speaker.save(update_fields=["user", "updated"])
    return user, True


def _why_no_link(user):
    """Why ``user``, a speaker's existing account, gets no sign-in link; None if it may."""
    if not user.is_active:
        return gettext("the account is deactivated")
    if account_has_privileges(user):
        return gettext(
            "its account has admin rights (staff, superuser, a group or a permission), "
            "so no sign-in link is sent for it"
        )
    if not user.email:
        # The speaker's address is an organiser's to edit: mailing the link there
        # (or writing it into the account) would let them sign in as the speaker.
        return gettext("its account has no email address (a superuser can give it one)")
    return None


def invitation_link(*, user, base_url):
    """An absolute, single-use sign-in link for ``user`` that expires."""
    path = reverse("accounts:invitation") + get_query_string(user, scope=INVITATION_SCOPE)
    return base_url.rstrip("/") + path


def _invited_for(speaker):
    """What an invitation names: the speaker's talks by event, newest first, none cancelled.

    Every event of theirs is named, drafts too (the mail goes to the speaker
    alone): the invitation is sent from the speakers' list, not for one event.
    """
    programme = []
    for group in speaker_own_talks(speaker):
        talks = [talk for talk in group.talks if not talk.is_cancelled]
        if talks:
            programme.append(replace(group, talks=talks))
    return programme


def _invitation_subject(programme):
    # One line whatever an imported event name holds: a line break would end the header.
    names = [" ".join(group.event.name.split()) for group in programme]
    if not names:
        return gettext("Your speaker profile at %(site)s") % {"site": settings.SITE_NAME}
    if len(names) > 3:
        more = len(names) - 2
        names = [
            *names[:2],
            ngettext("%(count)s more event", "%(count)s more events", more) % {"count": more},
        ]
    if len(names) == 1:
        listed = names[0]
    else:
        listed = gettext("%(events)s and %(last)s") % {
            "events": ", ".join(names[:-1]),
            "last": names[-1],
        }
    return gettext("Your speaker profile for %(events)s at %(site)s") % {
        "events": listed,
        "site": settings.SITE_NAME,
    }


def speakers_invite(*, speakers, base_url):
    """Email each speaker a sign-in link to their profile; one account per speaker, ever.

    A speaker without an account gets a new one, with the speaker's address,
    and the link goes there. A speaker with an account gets a link for it at
    the account's own address, unless the account has privileges, is
    deactivated or has no address. Every speaker skipped is reported. The
    mail names the events and talks the speaker is on the programme for.
    """
    result = InvitationResult()
    for speaker in speakers:
        if not speaker.user_id and not speaker.email:
            result.skipped[speaker] = gettext("no email address")
            continue
        with transaction.atomic():
            user, created = speaker_account_ensure(speaker=speaker)
            reason = None if created else _why_no_link(user)
        if reason:
            result.skipped[speaker] = reason
            continue
        with in_speaker_language(speaker):
            _invitation_send(speaker, user, base_url)
        result.invited.append(speaker)
        if created:
            result.accounts_created.append(speaker)
    return result


def _invitation_send(speaker, user, base_url):
    programme = _invited_for(speaker)
    context = {
        "speaker": speaker,
        "programme": programme,
        "link": invitation_link(user=user, base_url=base_url),
        "days": settings.SPEAKER_INVITATION_DAYS,
        "site_name": settings.SITE_NAME,
        "username": user.get_username(),
    }
    send_mail(
        subject=_invitation_subject(programme),
        message=render_to_string("speakers/invitation_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def _delete_after_commit(files):
    """Remove stored files once the row that pointed at them is safely saved."""
    stale = [(file.storage, file.name) for file in files if file]

    def delete():
        for storage, name in stale:
            storage.delete(name)

    transaction.on_commit(delete)


def speaker_photo_replace(*, speaker, processed):
    """Put a processed photo and its thumbnail on ``speaker`` (saved by the caller)."""
    _delete_after_commit([speaker.photo, speaker.photo_thumbnail])
    name = uuid.uuid4().hex
    speaker.photo.save(f"{name}.jpg", ContentFile(processed.photo), save=False)
    speaker.photo_thumbnail.save(f"{name}-thumb.jpg", ContentFile(processed.thumbnail), save=False)


def speaker_photo_remove(*, speaker):
    """Take the photo off ``speaker`` (saved by the caller)."""
    _delete_after_commit([speaker.photo, speaker.photo_thumbnail])
    speaker.photo = ""
    speaker.photo_thumbnail = ""


def speaker_photo_apply(*, speaker, form):
    """Carry out a ``SpeakerPhotoForm``'s photo change on ``speaker`` (saved by the caller)."""
    if form.processed_photo is not None:
        speaker_photo_replace(speaker=speaker, processed=form.processed_photo)
    elif form.cleaned_data.get("remove_photo"):
        speaker_photo_remove(speaker=speaker)


@dataclass
class HeldPhoto:
    """A checked, re-encoded photo waiting in the session for the profile's next save."""

    token: str  # the form posts it back: only the page that showed the photo saves it
    processed: ProcessedPhoto

    @property
    def thumbnail_data_uri(self):
        return "data:image/jpeg;base64," + base64.b64encode(self.processed.thumbnail).decode()


def _encoded(data):
    return base64.b64encode(data).decode("ascii")


def speaker_photo_hold(*, session, speaker, processed):
    """Keep ``processed`` (or nothing, for ``None``) for ``speaker``'s next save; a ``HeldPhoto``.

    A browser cannot keep a chosen file on a page drawn again (a preview, a
    refused save), so the photo, already checked and re-encoded, waits in the
    session: the next save uses it without the file being chosen again. One
    photo is held at a time, under a new token each time.
    """
    if processed is None:
        session.pop(HELD_PHOTO_SESSION_KEY, None)
        return None
    token = secrets.token_urlsafe(16)
    session[HELD_PHOTO_SESSION_KEY] = {
        "token": token,
        "speaker": speaker.pk,
        "photo": _encoded(processed.photo),
        "thumbnail": _encoded(processed.thumbnail),
        "width": processed.width,
        "height": processed.height,
    }
    return HeldPhoto(token=token, processed=processed)


def speaker_photo_held(*, session, speaker, token):
    """The photo held for ``speaker`` under ``token``, or ``None``."""
    held = session.get(HELD_PHOTO_SESSION_KEY)
    if not token or not held or held["speaker"] != speaker.pk:
        return None
    if not secrets.compare_digest(held["token"], token):
        return None
    processed = ProcessedPhoto(
        photo=base64.b64decode(held["photo"]),
        thumbnail=base64.b64decode(held["thumbnail"]),
        width=held["width"],
        height=held["height"],
    )
    return HeldPhoto(token=token, processed=processed)


def speaker_photo_release(*, session):
    """Drop the photo held in the session, once saved."""
    session.pop(HELD_PHOTO_SESSION_KEY, None)


def speaker_profile_update(*, speaker, form, links):
    """Save a speaker's own edit: fields, links and photo together, or nothing."""
    with transaction.atomic():
        speaker = form.save(commit=False)
        speaker_photo_apply(speaker=speaker, form=form)
        speaker.save()
        links.instance = speaker
        links.save()
    return speaker


def speaker_profile_complete(*, speaker, form):
    """Save a valid ``ProfileCompletionForm`` on ``speaker``: a bio or photo sent with a proposal.

    ``speaker`` may be the profile just made for a new account, not the form's instance.
    """
    if form.cleaned_data.get("bio"):
        speaker.bio = form.cleaned_data["bio"]
    speaker_photo_apply(speaker=speaker, form=form)
    speaker.save()
    return speaker


def speaker_language(speaker):
    """The language of the mails ``speaker`` gets: the one they chose, else the site's."""
    return speaker.language or settings.LANGUAGE_CODE


def emails_by_language(speakers):
    """``{language: [email, …]}`` of the ``speakers`` who have an address: one mail per language."""
    by_language = {}
    for speaker in speakers:
        if speaker.email:
            by_language.setdefault(speaker_language(speaker), []).append(speaker.email)
    return by_language


def in_speaker_language(speaker):
    """``with in_speaker_language(speaker):`` renders a mail to ``speaker`` in their language."""
    return translation.override(speaker_language(speaker))
