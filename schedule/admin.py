import datetime

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conference.admin import add_event_actions, add_event_link
from conference.models import Event
from schedule.admin_actions import EVENT_ACTIONS, TALK_ACTIONS
from schedule.board import board_urls
from schedule.clashes import schedule_problems
from schedule.forms import TalkAdminForm
from schedule.models import Release, Talk, TalkSpeaker
from schedule.releases.admin_views import PERMISSION as RELEASE_PERMISSION
from schedule.releases.admin_views import release_urls
from schedule.speaker_choice import (
    EventSpeakerSelect,
    SpeakerChoiceField,
    speaker_autocomplete_urls,
)

add_event_actions(*EVENT_ACTIONS)
add_event_link(
    label=_("Release schedule"),
    url_name="admin:schedule_release_schedule",
    permission=RELEASE_PERMISSION,
)


class TalkSpeakerInline(admin.TabularInline):
    model = TalkSpeaker
    fields = ["speaker", "position"]
    autocomplete_fields = ["speaker"]
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "speaker":
            kwargs["widget"] = EventSpeakerSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
            kwargs["form_class"] = SpeakerChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        wrapper = formset.form.base_fields["speaker"].widget
        event_id = obj.event_id if obj else request.GET.get("event", "")
        getattr(wrapper, "widget", wrapper).event_id = (
            str(event_id) if str(event_id).isdigit() else None
        )
        return formset


class DayListFilter(admin.SimpleListFilter):
    """Talks by day, each event's days drawn by ``Event.day_bounds`` in its zone."""

    title = _("day")
    parameter_name = "day"

    def _events(self, request):
        events = Event.objects.all()
        event_id = request.GET.get("event__id__exact")
        if event_id and event_id.isdigit():
            events = events.filter(pk=event_id)
        return events

    def lookups(self, request, model_admin):
        days = sorted({day for event in self._events(request) for day in event.days})
        return [(day.isoformat(), date_format(day, "D j M Y")) for day in days]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            day = datetime.date.fromisoformat(self.value())
        except ValueError:
            return queryset.none()
        within_day = Q(pk__in=[])
        for event in self._events(request):
            try:
                starts, ends = event.day_bounds(day)
            except OverflowError:  # the first or last day a datetime can hold
                continue
            within_day |= Q(event=event, start__gte=starts, start__lt=ends)
        return queryset.filter(within_day)


@admin.register(Talk)
class TalkAdmin(admin.ModelAdmin):
    form = TalkAdminForm
    inlines = [TalkSpeakerInline]
    actions = TALK_ACTIONS
    list_display = [
        "title",
        "day",
        "time_range",
        "room",
        "track",
        "speaker_names",
        "kind",
        "is_published",
    ]
    list_filter = ["event", DayListFilter, "room", "track", "kind", "is_published", "is_cancelled"]
    list_select_related = ["event", "room", "track"]
    search_fields = ["title", "speakers__name"]
    prepopulated_fields = {"slug": ("title",)}
    ordering = ["event", "start", "room__position", "title"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "event",
                    "title",
                    "slug",
                    "kind",
                    "is_published",
                    "is_cancelled",
                    "seen_updated",
                ]
            },
        ),
        (
            _("When and where"),
            {
                "fields": [
                    "start",
                    "start_occurrence",
                    "end",
                    "end_occurrence",
                    "duration",
                    "planned_minutes",
                    "room",
                    "track",
                    "save_despite_clashes",
                ]
            },
        ),
        (_("Content"), {"fields": ["subtitle", "abstract", "language", "do_not_record"]}),
        (_("Origin"), {"fields": ["source_url", "external_id"], "classes": ["collapse"]}),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        talk = form.instance
        # Saved, but worth a look: the schedule's warnings (and any clash saved
        # on purpose) that involve this talk.
        for problem in schedule_problems(talk.event):
            if problem.involves(talk):
                level = messages.ERROR if problem.is_error else messages.WARNING
                self.message_user(request, problem.message, level)

    def get_urls(self):
        return (
            board_urls(self.admin_site)
            + speaker_autocomplete_urls(self.admin_site)
            + super().get_urls()
        )

    def get_queryset(self, request):
        return super().get_queryset(request).with_speakers()

    @admin.display(description=_("day"), ordering="start")
    def day(self, talk):
        if talk.start is None:
            return "—"
        return date_format(talk.event.local_time(talk.start), "D j M")

    @admin.display(description=_("time"))
    def time_range(self, talk):
        if talk.start is None:
            return gettext("unscheduled")
        start, end = talk.event.local_time(talk.start), talk.event.local_time(talk.end)
        if start.utcoffset() != end.utcoffset():
            # The clocks change during the talk: each time with its own zone.
            return f"{start:%H:%M %Z}–{end:%H:%M %Z}"
        return f"{start:%H:%M}–{end:%H:%M} {start:%Z}"

    @admin.display(description=_("speakers"))
    def speaker_names(self, talk):
        return ", ".join(link.speaker.name for link in talk.talk_speakers.all())


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Past releases, read only: a release is made on its event's "Release schedule" page."""

    list_display = ["name", "event", "released_at", "released_by", "talk_count", "is_current"]
    list_filter = ["event"]
    list_select_related = ["event", "released_by"]
    fields = [
        "event",
        "name",
        "number",
        "released_at",
        "released_by",
        "comment",
        "talk_count",
        "is_current",
    ]
    readonly_fields = fields
    ordering = ["event", "-number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return release_urls(self.admin_site) + super().get_urls()

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(talk_count=Count("talks"))

    @admin.display(description=_("talks"), ordering="talk_count")
    def talk_count(self, release):
        return release.talk_count

    def changelist_view(self, request, extra_context=None):
        # Where to make the next one: the events' "Release schedule" pages.
        links = []
        if request.user.has_perm(RELEASE_PERMISSION):
            events = Event.objects.order_by("-start_date", "name")
            chosen = request.GET.get("event__id__exact", "")
            if chosen.isdecimal():
                events = events.filter(pk=chosen)
            links = [
                (event.name, reverse("admin:schedule_release_schedule", args=[event.pk]))
                for event in events
            ]
        extra_context = {**(extra_context or {}), "release_links": links}
        return super().changelist_view(request, extra_context)
