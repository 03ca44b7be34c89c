"""Speakers' pages: the public ones of an event, and each speaker's own account pages."""

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from sesame.utils import get_user

from conference.selectors import published_event
from speakers import selectors
from speakers.account_links import links_for
from speakers.forms import SpeakerLinkFormSet, SpeakerProfileForm
from speakers.models import Speaker
from speakers.services import (
    INVITATION_SCOPE,
    account_has_privileges,
    speaker_photo_held,
    speaker_photo_hold,
    speaker_photo_release,
    speaker_profile_update,
)


def speaker_list(request, event_slug):
    event = published_event(event_slug)
    return render(
        request,
        "speakers/speaker_list.html",
        {"event": event, "speakers": selectors.event_speakers(event), "nav": "speakers"},
    )


def speaker_detail(request, event_slug, speaker_slug):
    event = published_event(event_slug)
    speaker = selectors.speaker_for_page(event, speaker_slug)
    return render(
        request,
        "speakers/speaker_detail.html",
        {"event": event, "speaker": speaker, "nav": "speakers"},
    )


# Speakers' own accounts --------------------------------------------------------


def invitation(request):
    """The page an invitation link opens: one press signs the speaker in.

    Opening the link changes nothing, so mail scanners that follow links do
    not use up the single-use token; the form posts back to the same address,
    and signing in (which stamps the last login) is what spends the token.
    """
    user = get_user(request, scope=INVITATION_SCOPE, update_last_login=False)
    if user is not None and (
        account_has_privileges(user) or not Speaker.objects.filter(user=user).exists()
    ):
        # Only a speaker's own plain account signs in by link; one that gained
        # rights (or lost its speaker) since the link was mailed needs its password.
        user = None
    if request.method == "POST" and user is not None:
        login(request, user)
        if not user.has_usable_password():
            return redirect("accounts:password_set")
        messages.success(request, gettext("You are signed in."))
        return redirect("accounts:profile")
    return render(
        request,
        "speakers/accounts/invitation.html",
        {"valid": user is not None, "invited": user},
        status=200 if user is not None else 400,
    )


@login_required
def password_set(request):
    """An invited speaker's first password (they have none to confirm yet)."""
    if request.user.has_usable_password():
        return redirect("accounts:password_change")
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, gettext("Your password is set. Next time, sign in with it."))
        return redirect("accounts:profile")
    return render(request, "speakers/accounts/password_set.html", {"form": form})


@login_required
def profile(request):
    """The signed-in speaker's own profile: there is no id to change in the address."""
    speaker = Speaker.objects.filter(user=request.user).first()
    if speaker is None:
        return render(
            request,
            "speakers/accounts/profile_missing.html",
            {"account_links": links_for(request.user)},
            status=404,
        )
    held = speaker_photo_held(
        session=request.session, speaker=speaker, token=request.POST.get("held_photo", "")
    )
    form = SpeakerProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=speaker,
        held_photo=held.processed if held else None,
    )
    links = SpeakerLinkFormSet(request.POST or None, instance=speaker, prefix="links")
    preview = None
    if request.method == "POST":
        # One transaction from checking to saving: the form locks the profile
        # until the save, so an organiser's edit in between is refused, not lost.
        with transaction.atomic():
            valid = form.is_valid() and links.is_valid()
            if valid and "preview" not in request.POST:
                speaker_profile_update(speaker=speaker, form=form, links=links)
        if valid and "preview" not in request.POST:
            speaker_photo_release(session=request.session)
            messages.success(
                request, gettext("Your profile is saved; your speaker pages show it now.")
            )
            return redirect("accounts:profile")
        if valid:
            preview = form.cleaned_data["bio"]
        held = speaker_photo_hold(
            session=request.session, speaker=speaker, processed=form.processed_photo
        )
    return render(
        request,
        "speakers/accounts/profile.html",
        {
            "speaker": speaker,
            "form": form,
            "links": links,
            "preview": preview,
            "held_photo": held,
            "talks": selectors.speaker_own_talks(speaker),
            "account_links": links_for(request.user),
        },
    )
