"""The call's public page, proposing, the speaker's own proposals, reviewing, answering."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from sesame.utils import get_user

from conference.admin_site import is_organiser
from conference.selectors import published_event
from infrastructure.site_url import site_root
from proposals import co_speakers, decisions, reviews, selectors
from proposals.forms import (
    ConfirmedProposalForm,
    CoSpeakerInviteForm,
    ProposalForm,
    ReviewForm,
    SignInRequestForm,
)
from proposals.models import CoSpeakerInvitation, Proposal
from proposals.services import (
    SIGN_IN_SCOPE,
    ProposalRefused,
    confirmed_proposal_locked,
    confirmed_proposal_save,
    proposal_save,
    proposal_sign_in_request,
    proposal_withdraw,
    speaker_for_account,
)
from proposals.states import EDITABLE, State
from speakers.forms import ProfileCompletionForm
from speakers.models import Speaker
from speakers.services import (
    account_has_privileges,
    speaker_photo_held,
    speaker_photo_hold,
    speaker_photo_release,
)

# Proposals per page of the reviewers' list: a reviewer works through it in order.
REVIEW_PAGE_SIZE = 50


def _call_of(event_slug):
    event = published_event(event_slug)
    call = selectors.event_call(event)
    if call is None:
        raise Http404("This event has no call for proposals.")
    return call


def call_page(request, event_slug):
    call = _call_of(event_slug)
    now = timezone.now()
    response = render(
        request,
        "proposals/call_detail.html",
        {"event": call.event, "call": call, "is_open": call.is_open(now), "nav": "cfp"},
    )
    # The cached page must not say "open" past the deadline (nor "not yet" past the opening).
    coming = [moment for moment in (call.opens, call.closes) if moment > now]
    if coming:
        response.page_cache_seconds = max(1, int((min(coming) - now).total_seconds()))
    return response


def _profile_form(request, *, submitting):
    """The signed-in person's missing bio or photo, asked for with the proposal; or ``None``.

    A photo chosen on a form that comes back with errors waits in the session
    (as on the profile page), so it need not be chosen again.
    """
    speaker = Speaker.objects.filter(user=request.user).first() or Speaker(user=request.user)
    if not speaker.missing_profile_parts:
        return None
    held = None
    if speaker.pk:
        held = speaker_photo_held(
            session=request.session,
            speaker=speaker,
            token=request.POST.get("profile-held_photo", ""),
        )
    return ProfileCompletionForm(
        request.POST or None,
        request.FILES or None,
        instance=speaker,
        prefix="profile",
        submitting=submitting,
        held_photo=held.processed if held else None,
    )


def _render_form(request, call, form, *, proposal=None, invite_form=None, profile=None, status=200):
    context = {"event": call.event, "call": call, "form": form, "proposal": proposal, "nav": "cfp"}
    if profile is not None:
        held = None
        if profile.is_bound and profile.instance.pk:
            held = speaker_photo_hold(
                session=request.session,
                speaker=profile.instance,
                processed=profile.processed_photo,
            )
        context |= {"profile": profile, "held_photo": held}
    if proposal is not None:
        context |= {
            "speakers": list(proposal.speakers.all()),
            "invitations": selectors.pending_invitations(proposal),
            "may_invite": call.co_speakers_allowed
            and not call.has_closed()
            and proposal.state in EDITABLE,
            "invite_form": invite_form or CoSpeakerInviteForm(),
        }
    return render(request, "proposals/proposal_form.html", context, status=status)


def submit(request, event_slug):
    """Propose a talk: visitors ask for a sign-in link; a signed-in speaker fills the form."""
    call = _call_of(event_slug)
    if not call.is_open():
        messages.error(request, _("The call for proposals is closed; nothing can be proposed now."))
        return redirect("proposals:call", event_slug=event_slug)
    if not request.user.is_authenticated:
        return _sign_in_request(request, call)
    submitting = "save_draft" not in request.POST
    form = ProposalForm(request.POST or None, call=call, submitting=submitting)
    profile = _profile_form(request, submitting=submitting)
    if request.method == "GET":
        form.initial["submission_key"] = selectors.new_submission_key()
        return _render_form(request, call, form, profile=profile)
    if not _all_valid(form, profile):
        return _render_form(request, call, form, profile=profile, status=400)
    speaker = speaker_for_account(request.user)
    if profile is not None:
        profile.instance = speaker  # a first proposal's account has just got its profile
    try:
        result = proposal_save(
            call=call,
            speaker=speaker,
            form=form,
            submit=submitting,
            submission_key=form.cleaned_data["submission_key"],
            profile=profile,
        )
    except ProposalRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("proposals:own_list")
    speaker_photo_release(session=request.session)
    if result.submitted:
        messages.success(
            request,
            _("“%(title)s” is handed in; a mail confirms it.") % {"title": result.proposal.title},
        )
    else:
        messages.success(
            request, _("“%(title)s” is kept as a draft.") % {"title": result.proposal.title}
        )
    return redirect("proposals:own_list")


def _sign_in_request(request, call):
    form = SignInRequestForm(request.POST or None)
    sent_to = None
    if request.method == "POST" and form.is_valid():
        try:
            proposal_sign_in_request(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                event=call.event,
                base_url=site_root(request),
            )
            sent_to = form.cleaned_data["email"]
        except ProposalRefused as refusal:
            form.add_error(None, str(refusal))
    return render(
        request,
        "proposals/sign_in_request.html",
        {"event": call.event, "call": call, "form": form, "sent_to": sent_to, "nav": "cfp"},
        status=400 if request.method == "POST" and sent_to is None else 200,
    )


def sign_in(request, event_slug):
    """The page a proposal sign-in link opens; pressing its button signs in (and spends it)."""
    event = published_event(event_slug)
    user = get_user(request, scope=SIGN_IN_SCOPE, update_last_login=False)
    if user is not None and (
        account_has_privileges(user) or not Speaker.objects.filter(user=user).exists()
    ):
        user = None
    if request.method == "POST" and user is not None:
        login(request, user, backend="sesame.backends.ModelBackend")
        messages.success(request, _("You are signed in: propose your talk below."))
        return redirect("proposals:submit", event_slug=event.slug)
    return render(
        request,
        "proposals/sign_in.html",
        {"event": event, "valid": user is not None},
        status=200 if user is not None else 400,
    )


# The speaker's own proposals ---------------------------------------------------


def _own_proposal(request, proposal_uuid):
    """One of the signed-in speaker's proposals; anyone else's is a 404."""
    return get_object_or_404(
        Proposal.objects.select_related("call__event"),
        uuid=proposal_uuid,
        speakers__user=request.user,
    )


@login_required
def own_list(request):
    return render(
        request,
        "proposals/proposal_list.html",
        {"proposals": selectors.own_proposals(request.user), "editable": EDITABLE},
    )


@login_required
def own_edit(request, proposal_uuid):
    proposal = _own_proposal(request, proposal_uuid)
    call = proposal.call
    if proposal.state == State.CONFIRMED:
        return _confirmed_edit(request, proposal)
    submitting = "save_draft" not in request.POST and (
        proposal.state != State.DRAFT or "submit" in request.POST
    )
    form = ProposalForm(request.POST or None, instance=proposal, call=call, submitting=submitting)
    profile = _profile_form(request, submitting=submitting)
    if request.method == "POST":
        if not _all_valid(form, profile):
            return _render_form(request, call, form, proposal=proposal, profile=profile, status=400)
        try:
            proposal_save(
                call=call,
                speaker=proposal.submitter,
                form=form,
                submit="submit" in request.POST,
                profile=profile,
            )
        except ProposalRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("proposals:own_list")
        speaker_photo_release(session=request.session)
        messages.success(request, _("“%(title)s” is saved.") % {"title": proposal.title})
        return redirect("proposals:own_list")
    return _render_form(request, call, form, proposal=proposal, profile=profile)


def _all_valid(form, profile):
    # Both checked, so every error shows at once.
    valid = form.is_valid()
    return (profile is None or profile.is_valid()) and valid


def _confirmed_edit(request, proposal):
    """A confirmed proposal's words, which its talk takes, unless the call locks them."""
    call = proposal.call
    if not call.talk_follows_proposals:
        messages.error(request, str(confirmed_proposal_locked(proposal)))
        return redirect("proposals:own_list")
    form = ConfirmedProposalForm(request.POST or None, instance=proposal)
    if request.method == "POST":
        if not form.is_valid():
            return _render_form(request, call, form, proposal=proposal, status=400)
        try:
            confirmed_proposal_save(proposal=proposal, form=form)
        except ProposalRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("proposals:own_list")
        messages.success(
            request,
            _("“%(title)s” is saved; its talk in the programme says the same.")
            % {"title": proposal.title},
        )
        return redirect("proposals:own_list")
    return _render_form(request, call, form, proposal=proposal)


@login_required
@require_POST
def own_withdraw(request, proposal_uuid):
    proposal = _own_proposal(request, proposal_uuid)
    try:
        proposal_withdraw(proposal=proposal, by=request.user)
        messages.success(request, _("“%(title)s” is withdrawn.") % {"title": proposal.title})
    except ProposalRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("proposals:own_list")


@login_required
@require_POST
def own_invite(request, proposal_uuid):
    """Invite a co-speaker by email from one's own proposal."""
    proposal = _own_proposal(request, proposal_uuid)
    form = CoSpeakerInviteForm(request.POST)
    if not form.is_valid():
        edit_form = ProposalForm(instance=proposal, call=proposal.call, submitting=False)
        return _render_form(
            request, proposal.call, edit_form, proposal=proposal, invite_form=form, status=400
        )
    try:
        co_speakers.co_speaker_invite(
            proposal=proposal,
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            by=speaker_for_account(request.user),
            base_url=site_root(request),
        )
        messages.success(
            request,
            _("%(email)s is invited; they join the proposal once they accept.")
            % {"email": form.cleaned_data["email"]},
        )
    except ProposalRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("proposals:own_edit", proposal_uuid=proposal.uuid)


def invitation(request, event_slug, invitation_uuid):
    """The page an invitation link opens; accepting signs the invitee in and spends the link."""
    invitation = get_object_or_404(
        CoSpeakerInvitation.objects.select_related(
            "proposal__call__event", "invitee", "invited_by"
        ),
        uuid=invitation_uuid,
        proposal__call__event__slug=event_slug,
    )
    user = get_user(
        request, scope=co_speakers.invitation_scope(invitation), update_last_login=False
    )
    if user is not None and account_has_privileges(user):
        user = None
    if user is None and request.user.is_authenticated:
        user = request.user
    valid = user is not None and user.pk == invitation.invitee.user_id and invitation.is_pending
    refusal = None
    if request.method == "POST" and valid:
        try:
            co_speakers.co_speaker_invitation_accept(
                invitation=invitation, speaker=invitation.invitee
            )
        except ProposalRefused as refused:
            refusal = str(refused)
        else:
            if request.user != user:
                # Signing in records the login, which spends the link (SESAME_ONE_TIME).
                login(request, user, backend="sesame.backends.ModelBackend")
            messages.success(
                request,
                _("You are a speaker of “%(title)s” now.") % {"title": invitation.proposal.title},
            )
            return redirect("proposals:own_list")
    return render(
        request,
        "proposals/invitation.html",
        {
            "event": invitation.proposal.call.event,
            "invitation": invitation,
            "valid": valid and refusal is None,
            "refusal": refusal,
        },
        status=200 if valid and refusal is None else 400,
    )


# Reviewing -------------------------------------------------------------------


@login_required
def review_list(request, event_slug):
    call = reviews.reviewable_call(user=request.user, event_slug=event_slug)
    filters = selectors.ReviewFilterForm(request.GET, call=call)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    proposals, (done, total) = reviews.review_list(
        call=call,
        user=request.user,
        track=chosen.get("track"),
        session_type=chosen.get("session_type"),
        state=chosen.get("state"),
        unreviewed=chosen.get("unreviewed", False),
    )
    page = Paginator(proposals, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    # The page links keep the filters.
    kept_query = request.GET.copy()
    kept_query.pop("page", None)
    return render(
        request,
        "proposals/review_list.html",
        {
            "event": call.event,
            "call": call,
            "filters": filters,
            "proposals": page.object_list,
            "page": page,
            "kept_query": kept_query.urlencode(),
            "done": done,
            "total": total,
            "organiser": is_organiser(request.user),
        },
    )


@login_required
def review_detail(request, event_slug, proposal_uuid):
    call = reviews.reviewable_call(user=request.user, event_slug=event_slug)
    proposal = get_object_or_404(
        Proposal.objects.filter(call=call).reviewable(), uuid=proposal_uuid
    )
    own = reviews.is_own_proposal(proposal=proposal, user=request.user)
    mine = proposal.reviews.filter(reviewer=request.user).first()
    organiser = is_organiser(request.user)
    form = None
    if not own:
        form = ReviewForm(
            request.POST or None, instance=mine, categories=call.review_categories.all()
        )
        if request.method == "POST" and form.is_valid():
            try:
                reviews.review_save(proposal=proposal, reviewer=request.user, form=form)
            except ProposalRefused as refusal:
                messages.error(request, str(refusal))
                return redirect("proposals:review_list", event_slug=event_slug)
            messages.success(
                request, _("Your review of “%(title)s” is saved.") % {"title": proposal.title}
            )
            return redirect(reverse("proposals:review_detail", args=[event_slug, proposal.uuid]))
    elif request.method == "POST":
        messages.error(request, _("You cannot review your own proposal."))
        return redirect("proposals:review_list", event_slug=event_slug)
    # Others' scores only once one's own is given, so that they do not sway it.
    others = selectors.proposal_reviews(proposal) if (mine or organiser) else None
    return render(
        request,
        "proposals/review_detail.html",
        {
            "event": call.event,
            "call": call,
            "proposal": proposal,
            "show_speakers": not call.anonymous_review or organiser,
            "answers": selectors.proposal_answers(proposal),
            "form": form,
            "own": own,
            "others": others,
            "organiser": organiser,
        },
        status=400 if request.method == "POST" else 200,
    )


# The accepted speaker's answer -------------------------------------------------


def answer(request, event_slug, token):
    """Confirm or decline from the decision mail's signed link (posting spends it)."""
    proposal = decisions.proposal_from_token(token)
    if proposal is None or proposal.call.event.slug != event_slug:
        raise Http404("This link is not valid.")
    if request.method == "POST":
        confirm = "confirm" in request.POST
        try:
            decisions.proposal_answer(
                proposal=proposal,
                confirm=confirm,
                by=request.user if request.user.is_authenticated else None,
            )
        except ProposalRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("Thank you: your talk is confirmed.")
                if confirm
                else _("Your answer is noted: declined."),
            )
        return redirect(request.path)
    return render(
        request,
        "proposals/answer.html",
        {
            "event": proposal.call.event,
            "proposal": proposal,
            "waiting": proposal.state == State.ACCEPTED,
        },
    )
