"""The call for proposals in the admin: the call of each event, and deciding on proposals."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Max, Min, Prefetch
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from conference.venue_time import NonexistentTimeError, venue_datetime, venue_wall_clock
from infrastructure.site_url import site_root
from proposals import decisions
from proposals.models import (
    Call,
    CoSpeakerInvitation,
    DecisionTemplate,
    Proposal,
    ProposalStateChange,
    Question,
    Review,
    ReviewCategory,
    ReviewScore,
    SessionType,
)
from proposals.services import TALK_FOLLOWS_FIELDS, proposal_talk_follow
from proposals.states import DECISIONS, State
from schedule.forms import VenueDateTimeField

# Whole sentences per decision, so that each language words its own.
DECISION_ACTION_LABELS = {
    State.ACCEPTED: _("Mark as accepted and mail the speakers…"),
    State.REJECTED: _("Mark as rejected and mail the speakers…"),
    State.WAITING: _("Mark as waiting list and mail the speakers…"),
}
# What the selected proposals become, in the preview's sentences.
DECISION_WORDS = {
    State.ACCEPTED: pgettext_lazy("proposals become", "accepted"),
    State.REJECTED: pgettext_lazy("proposals become", "rejected"),
    State.WAITING: pgettext_lazy("proposals become", "waiting list"),
}
DECISION_SEND_LABELS = {
    State.ACCEPTED: _("Send the mails and mark them accepted"),
    State.REJECTED: _("Send the mails and mark them rejected"),
    State.WAITING: _("Send the mails and mark them waiting list"),
}


class CallAdminForm(forms.ModelForm):
    """Opening and closing times as the venue's clocks show them, in the event's zone."""

    opens = VenueDateTimeField(widget=AdminSplitDateTime)
    closes = VenueDateTimeField(widget=AdminSplitDateTime)

    class Meta:
        model = Call
        fields = [
            "event",
            "opens",
            "closes",
            "text",
            "tracks",
            "co_speakers_allowed",
            "confirmed_changes",
            "anonymous_review",
            "reviewers",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance.event if self.instance.event_id else None
        for name in ("opens", "closes"):
            zone = event.time_zone if event else gettext("the event's time zone")
            self.fields[name].help_text = gettext("As the venue's clock shows it, in %(zone)s.") % {
                "zone": zone
            }
            value = getattr(self.instance, name)
            if event and value:
                self.initial[name] = venue_wall_clock(value, event.tz)

    def clean(self):
        cleaned_data = super().clean()
        event = cleaned_data.get("event")
        for name in ("opens", "closes"):
            naive = cleaned_data.get(name)
            if event is None or naive is None:
                continue
            try:
                cleaned_data[name] = venue_datetime(naive, event.tz)
            except NonexistentTimeError as error:
                self.add_error(name, ValidationError(str(error), code="nonexistent_time"))
        opens, closes = cleaned_data.get("opens"), cleaned_data.get("closes")
        if opens and closes and opens.tzinfo and closes.tzinfo and closes <= opens:
            self.add_error("closes", gettext("The call must close after it opens."))
        return cleaned_data


class SessionTypeInline(admin.TabularInline):
    model = SessionType
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


class ReviewCategoryInline(admin.TabularInline):
    model = ReviewCategory
    extra = 0


class DecisionTemplateInline(admin.StackedInline):
    model = DecisionTemplate
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    form = CallAdminForm
    list_display = ["event", "opens", "closes", "anonymous_review"]
    filter_horizontal = ["tracks", "reviewers"]
    inlines = [SessionTypeInline, QuestionInline, ReviewCategoryInline, DecisionTemplateInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "reviewers":
            kwargs["queryset"] = db_field.related_model.objects.filter(groups__name="Reviewers")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class StateChangeInline(admin.TabularInline):
    model = ProposalStateChange
    extra = 0
    can_delete = False
    fields = ["at", "by", "from_state", "to_state"]
    readonly_fields = fields
    verbose_name_plural = _("history of states")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class CoSpeakerInvitationInline(admin.TabularInline):
    model = CoSpeakerInvitation
    extra = 0
    can_delete = False
    fields = ["email", "invitee", "invited_by", "created", "accepted"]
    readonly_fields = fields
    verbose_name_plural = _("co-speaker invitations")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("invitee", "invited_by")


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    can_delete = False
    fields = ["reviewer", "scores_given", "comment", "updated"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # One query for every review's scores, not one per review; each row's
        # title names its proposal and reviewer, so they come with it.
        return (
            super()
            .get_queryset(request)
            .select_related("proposal", "reviewer")
            .prefetch_related(
                Prefetch("scores", queryset=ReviewScore.objects.select_related("category"))
            )
        )

    @admin.display(description=_("scores"))
    def scores_given(self, review):
        return ", ".join(str(score) for score in review.scores.all())


def _decide(modeladmin, request, queryset, decision):
    """Preview the decision mail for the selected proposals, and send it once confirmed."""
    proposals = list(
        queryset.select_related("call__event", "submitter").prefetch_related("speakers")
    )
    base_url = site_root(request)
    if request.POST.get("send") == "yes":
        done = decisions.proposals_decide(
            proposals=proposals, decision=decision, by=request.user, base_url=base_url
        )
        level = messages.WARNING if done.refused else messages.SUCCESS
        modeladmin.message_user(request, done.summary(decision), level)
        return None
    previews = []
    for proposal in proposals[:3]:
        template = decisions.decision_template(call=proposal.call, decision=decision)
        subject, body = decisions.decision_mail(
            template=template, proposal=proposal, base_url=base_url
        )
        previews.append({"proposal": proposal, "subject": subject, "body": body})
    return TemplateResponse(
        request,
        "proposals/admin/decision_preview.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": ngettext(
                "Send “%(decision)s” to %(count)s proposal?",
                "Send “%(decision)s” to %(count)s proposals?",
                len(proposals),
            )
            % {"decision": State(decision).label, "count": len(proposals)},
            "decision": State(decision),
            "decision_words": DECISION_WORDS[decision],
            "send_label": DECISION_SEND_LABELS[decision],
            "proposals": proposals,
            "previews": previews,
            "action": request.POST.get("action"),
            "opts": modeladmin.model._meta,
        },
    )


def _decision_action(decision):
    def action(modeladmin, request, queryset):
        return _decide(modeladmin, request, queryset, decision)

    action.__name__ = f"decide_{decision}"
    return admin.action(description=DECISION_ACTION_LABELS[decision])(action)


class AverageScoreFilter(admin.SimpleListFilter):
    title = _("reviews")
    parameter_name = "reviewed"

    def lookups(self, request, model_admin):
        return [("no", _("Not reviewed yet")), ("yes", _("Reviewed"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(review_count=0)
        if self.value() == "yes":
            return queryset.filter(review_count__gt=0)
        return queryset


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "event",
        "state",
        "session_type",
        "track",
        "review_count",
        "average_score",
        "spread",
        "updated",
    ]
    list_filter = ["state", "call__event", "session_type", "track", AverageScoreFilter]
    search_fields = ["title", "speakers__name"]
    readonly_fields = ["uuid", "state", "talk", "answers", "created", "updated"]
    filter_horizontal = ["speakers"]
    inlines = [StateChangeInline, CoSpeakerInvitationInline, ReviewInline]
    actions = [_decision_action(decision) for decision in DECISIONS]
    list_select_related = ["call__event", "session_type", "track"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                review_count=Count("reviews", distinct=True),
                average=Avg("reviews__scores__score"),
                lowest=Min("reviews__scores__score"),
                highest=Max("reviews__scores__score"),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj and obj.state == State.CONFIRMED and not obj.call.talk_follows_proposals:
            fields += TALK_FOLLOWS_FIELDS
        return fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.state == State.CONFIRMED and proposal_talk_follow(obj):
            self.message_user(
                request,
                gettext("Its talk “%(title)s” took the new title and abstract.")
                % {"title": obj.talk.title},
            )

    @admin.display(description=_("event"), ordering="call__event__name")
    def event(self, proposal):
        return proposal.call.event

    @admin.display(description=_("reviews"), ordering="review_count")
    def review_count(self, proposal):
        return proposal.review_count

    @admin.display(description=_("average score"), ordering="average")
    def average_score(self, proposal):
        return "–" if proposal.average is None else f"{proposal.average:.2f}"

    @admin.display(description=_("spread"))
    def spread(self, proposal):
        if proposal.lowest is None:
            return "–"
        return f"{proposal.lowest}–{proposal.highest}"
