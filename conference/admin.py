from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conference.forms import KEEP_LABELS, EventAdminForm
from conference.models import Event, Room, Track
from conference.services import event_change_zone
from infrastructure.site_url import absolute_url


class ColourInput(forms.TextInput):
    input_type = "color"


class TrackForm(forms.ModelForm):
    class Meta:
        model = Track
        fields = ["name", "slug", "colour", "position"]
        widgets = {"colour": ColourInput}


class RoomInline(admin.TabularInline):
    model = Room
    fields = ["name", "slug", "capacity", "position"]
    prepopulated_fields = {"slug": ("name",)}
    extra = 0


class TrackInline(admin.TabularInline):
    model = Track
    form = TrackForm
    prepopulated_fields = {"slug": ("name",)}
    extra = 0


@dataclass(frozen=True)
class EventLink:
    label: str
    url_name: str  # takes the event's id
    permission: str  # shown only to whom has it


# The pages of an event that the apps above this one add: add_event_link().
EVENT_LINKS = []


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = [
        "name",
        "start_date",
        "end_date",
        "location",
        "time_zone",
        "talk_count",
        "board_link",
    ]
    list_filter = ["is_published"]
    search_fields = ["name", "slug", "location"]
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = "start_date"
    inlines = [RoomInline, TrackInline]
    actions = []  # the apps above this one add theirs: add_event_actions()
    fieldsets = [
        (None, {"fields": ["name", "slug", "tagline", "is_published", "seen_updated"]}),
        (
            _("When and where"),
            {
                "fields": [
                    "start_date",
                    "end_date",
                    "time_zone",
                    "talks_keep",
                    "zone_asked",
                    "save_outside_dates",
                    "outside_asked",
                    "location",
                ]
            },
        ),
        (_("About"), {"fields": ["description", "website"]}),
        (
            _("Embedding"),
            {
                "fields": ["embed_origins"],
                "description": _(
                    "Other sites can show the schedule in a frame: list them below, "
                    "then paste the snippet shown under this form into their pages."
                ),
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        answer = form.zone_change
        if change and answer is not None:
            # The talks first, while the stored zone is still the one they were entered in.
            plan = event_change_zone(
                event=obj, zone=answer.zone, keep=answer.keep, allow_outside=answer.allow_outside
            )
            summary = " ".join(plan.summary)
            self.message_user(
                request,
                gettext("The talks kept %(answer)s. %(summary)s")
                % {"answer": KEEP_LABELS[answer.keep], "summary": summary},
                messages.SUCCESS,
            )
            for note in (*plan.warnings, plan.outside_words()):
                if note:
                    self.message_user(request, note, messages.WARNING)
        super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        links = []
        if str(object_id).isdecimal():
            links = [
                (link.label, reverse(link.url_name, args=[object_id]))
                for link in EVENT_LINKS
                if request.user.has_perm(link.permission)
            ]
        extra_context = {
            **(extra_context or {}),
            "event_links": links,
            "embed_snippet": self._embed_snippet(request, object_id),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _embed_snippet(request, object_id):
        """The ``<iframe>`` an organiser pastes into an allowed site's page, or None."""
        if not str(object_id).isdecimal():
            return None
        event = Event.objects.filter(pk=object_id).only("name", "slug").first()
        if event is None:
            return None
        # Named, not imported: the embeddable schedule is the schedule app's page.
        address = absolute_url(request, reverse("schedule:schedule_embed", args=[event.slug]))
        return format_html(
            '<iframe src="{}" title="{}" width="100%" height="600" '
            'loading="lazy" style="border: 0"></iframe>',
            address,
            gettext("Schedule of %(event)s") % {"event": event.name},
        )

    def get_queryset(self, request):
        # The working talks only: a schedule release keeps frozen copies of them.
        working = Count("talks", filter=Q(talks__release__isnull=True))
        queryset = super().get_queryset(request).annotate(talk_count=working)
        return queryset.order_by("-start_date", "name")

    @admin.display(description=_("talks"), ordering="talk_count")
    def talk_count(self, event):
        return event.talk_count

    @admin.display(description=_("schedule board"))
    def board_link(self, event):
        # The add form offers only the event's rooms and tracks when it knows the event.
        return format_html(
            '<a href="{}">{}</a> · <a href="{}?event={}">{}</a>',
            reverse("admin:schedule_board", args=[event.pk]),
            gettext("Board"),
            reverse("admin:schedule_talk_add"),
            event.pk,
            gettext("Add a talk"),
        )


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "capacity", "position"]
    list_filter = ["event"]
    list_select_related = ["event"]
    search_fields = ["name", "event__name"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    form = TrackForm
    fields = ["event", *TrackForm.Meta.fields]
    list_display = ["name", "event", "colour", "position"]
    list_filter = ["event"]
    list_select_related = ["event"]
    search_fields = ["name", "event__name"]
    prepopulated_fields = {"slug": ("name",)}


def add_event_actions(*actions):
    """Offer ``actions`` on the event change list too.

    The apps above this one bring their own (``schedule``: assign rooms), so
    this app imports none of them.
    """
    EventAdmin.actions = [*EventAdmin.actions, *actions]


def add_event_link(*, label, url_name, permission):
    """Link the event's change page to a page of the event that another app serves.

    ``url_name`` is reversed with the event's id; the link is shown to users
    with ``permission``. The apps above this one add theirs (``schedule``:
    release the schedule), so this app imports none of them.
    """
    EVENT_LINKS.append(EventLink(label=label, url_name=url_name, permission=permission))
