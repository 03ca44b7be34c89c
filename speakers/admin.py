from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from speakers.models import Speaker


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "talk_count", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "affiliation", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ["user"]
    readonly_fields = ["talk_list"]
    fields = ["name", "slug", "affiliation", "bio", "photo", "website", "user", "talk_list"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.annotate(talk_count=Count("talks", distinct=True)).order_by("name")

    @admin.display(description="talks", ordering="talk_count")
    def talk_count(self, speaker):
        return speaker.talk_count

    @admin.display(description="talks")
    def talk_list(self, speaker):
        if speaker.pk is None:
            return "—"
        talks = speaker.talks.select_related("event").order_by("event__start_date", "start")
        if not talks:
            return "No talks yet."
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
