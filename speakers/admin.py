from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from infrastructure.site_url import site_root
from speakers.forms import SpeakerAdminForm
from speakers.models import Speaker, SpeakerLink
from speakers.services import speaker_photo_apply, speakers_invite


class SpeakerLinkInline(admin.TabularInline):
    model = SpeakerLink
    fields = ["label", "url", "position"]
    extra = 0


@admin.register(Speaker)
class SpeakerAdmin(SimpleHistoryAdmin):
    form = SpeakerAdminForm
    list_display = ["name", "affiliation", "talk_count", "email", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "affiliation", "slug", "email"]
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ["user"]
    readonly_fields = ["photo_preview", "talk_list"]
    fields = [
        "name",
        "slug",
        "affiliation",
        "email",
        "bio",
        "website",
        "photo_preview",
        "photo_upload",
        "remove_photo",
        "user",
        "external_id",
        "talk_list",
        "seen_updated",
    ]
    inlines = [SpeakerLinkInline]
    actions = ["invite"]
    history_list_display = ["name", "affiliation", "website"]

    def get_readonly_fields(self, request, obj=None):
        # The account decides who signs in as this speaker, and the invitation
        # mails that account a sign-in link: choosing it is the superuser's alone.
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return [*readonly, "user"]

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            # A read-only field is left out of the form, but a reverted history
            # version brings its old account along on the instance itself.
            obj.user_id = (
                Speaker.objects.filter(pk=obj.pk).values_list("user", flat=True).first()
                if change
                else None
            )
        speaker_photo_apply(speaker=obj, form=form)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("photo"))
    def photo_preview(self, speaker):
        if not speaker.photo_thumbnail:
            return gettext("No photo.")
        return format_html(
            "<img src='{}' alt='' width='96' height='96'>", speaker.photo_thumbnail.url
        )

    @admin.action(description=_("Invite to keep their own profile up to date (by email)"))
    def invite(self, request, queryset):
        result = speakers_invite(
            speakers=queryset.select_related("user"), base_url=site_root(request)
        )
        level = messages.WARNING if result.skipped else messages.SUCCESS
        self.message_user(request, result.summary(), level)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.annotate(
            # The working talks: a release's frozen copies are not more talks.
            talk_count=Count("talks", distinct=True, filter=Q(talks__release__isnull=True))
        ).order_by("name")

    @admin.display(description=_("talks"), ordering="talk_count")
    def talk_count(self, speaker):
        return speaker.talk_count

    @admin.display(description=_("talks"))
    def talk_list(self, speaker):
        if speaker.pk is None:
            return "—"
        talks = speaker.talks.select_related("event").order_by("event__start_date", "start")
        if not talks:
            return gettext("No talks yet.")
        return format_html(
            "<ul class='speaker-talks'>{}</ul>",
            format_html_join(
                "",
                "<li><a href='{}'>{}</a> ({})</li>",
                (
                    (reverse("admin:schedule_talk_change", args=[talk.pk]), talk.title, talk.event)
                    for talk in talks
                ),
            ),
        )
