"""Public pages and files of one event's schedule, served through the page cache."""

from django.urls import path

from infrastructure.page_cache import cached_page
from schedule import changelog_views, export_views, views

app_name = "schedule"

urlpatterns = [
    path(
        "schedule/",
        cached_page(views.schedule, params=views.SCHEDULE_PARAMS, keep_blank=["talks"]),
        name="schedule",
    ),
    path("schedule/embed/", cached_page(views.schedule_embed), name="schedule_embed"),
    path("schedule/changelog/", cached_page(changelog_views.changelog), name="changelog"),
    path(
        "schedule/feed.xml",
        cached_page(changelog_views.ChangelogFeed()),
        name="changelog_feed",
    ),
    path(
        "schedule.ics",
        cached_page(export_views.schedule_ics, params=["talks"], keep_blank=["talks"]),
        name="schedule_ics",
    ),
    # The working schedule, for organisers before they release it: never cached.
    path("schedule/working/", views.working_schedule, name="working_schedule"),
    # Any past release, by name: its page and its files.
    path(
        "schedule/v/<str:release_name>/",
        cached_page(views.schedule, params=views.SCHEDULE_PARAMS, keep_blank=["talks"]),
        name="release_schedule",
    ),
    path(
        "schedule/v/<str:release_name>/schedule.xml",
        cached_page(export_views.schedule_xml),
        name="release_schedule_xml",
    ),
    path(
        "schedule/v/<str:release_name>/schedule.json",
        cached_page(export_views.schedule_json),
        name="release_schedule_json",
    ),
    path(
        "schedule/v/<str:release_name>/schedule.ics",
        cached_page(export_views.schedule_ics),
        name="release_schedule_ics",
    ),
    path("schedule.xml", cached_page(export_views.schedule_xml), name="schedule_xml"),
    path("schedule.json", cached_page(export_views.schedule_json), name="schedule_json"),
    # A speaker's calendar sits beside their page (speakers/urls.py) but is the schedule's export.
    path(
        "speakers/<slug:speaker_slug>/talks.ics",
        cached_page(export_views.speaker_ics),
        name="speaker_ics",
    ),
    path("talks/<slug:talk_slug>/", cached_page(views.talk_detail), name="talk_detail"),
    path("talks/<slug:talk_slug>.ics", cached_page(export_views.talk_ics), name="talk_ics"),
]
