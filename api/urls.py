"""The API's URLs: ``/api/v1/`` (the resources), ``/api/schema/`` and ``/api/docs/``."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView

from api import views

app_name = "api"

EVENT = "v1/events/<slug:event_slug>/"

urlpatterns = [
    path("v1/events/", views.EventList.as_view(), name="event-list"),
    path(EVENT, views.EventDetail.as_view(), name="event-detail"),
    path(f"{EVENT}talks/", views.TalkList.as_view(), name="talk-list"),
    path(f"{EVENT}talks/<uuid:talk_id>/", views.TalkDetail.as_view(), name="talk-detail"),
    path(f"{EVENT}speakers/", views.SpeakerList.as_view(), name="speaker-list"),
    path(
        f"{EVENT}speakers/<uuid:speaker_id>/", views.SpeakerDetail.as_view(), name="speaker-detail"
    ),
    path(f"{EVENT}rooms/", views.RoomList.as_view(), name="room-list"),
    path(f"{EVENT}rooms/<slug:place_slug>/", views.RoomDetail.as_view(), name="room-detail"),
    path(f"{EVENT}tracks/", views.TrackList.as_view(), name="track-list"),
    path(f"{EVENT}tracks/<slug:place_slug>/", views.TrackDetail.as_view(), name="track-detail"),
    path(f"{EVENT}releases/", views.ReleaseList.as_view(), name="release-list"),
    # A release's name is the organisers' free text: any character may be in it.
    path(
        f"{EVENT}releases/<path:release_name>/",
        views.ReleaseDetail.as_view(),
        name="release-detail",
    ),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Anything else under /api/ is a 404 in the API's own format, not the HTML page.
    re_path(r"^[\s\S]*$", views.not_found, name="not-found"),
]
