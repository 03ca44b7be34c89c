"""The call for proposals' pages: an event's call and review pages, and the speaker's own list."""

from django.urls import path

from infrastructure.page_cache import cached_page
from proposals import views

app_name = "proposals"

urlpatterns = [
    path("accounts/proposals/", views.own_list, name="own_list"),
    path("accounts/proposals/<uuid:proposal_uuid>/", views.own_edit, name="own_edit"),
    path(
        "accounts/proposals/<uuid:proposal_uuid>/withdraw/",
        views.own_withdraw,
        name="own_withdraw",
    ),
    path(
        "accounts/proposals/<uuid:proposal_uuid>/co-speakers/",
        views.own_invite,
        name="own_invite",
    ),
    path("<slug:event_slug>/cfp/", cached_page(views.call_page), name="call"),
    path(
        "<slug:event_slug>/cfp/invitation/<uuid:invitation_uuid>/",
        views.invitation,
        name="invitation",
    ),
    path("<slug:event_slug>/cfp/submit/", views.submit, name="submit"),
    path("<slug:event_slug>/cfp/sign-in/", views.sign_in, name="sign_in"),
    path("<slug:event_slug>/cfp/answer/<str:token>/", views.answer, name="answer"),
    path("<slug:event_slug>/review/", views.review_list, name="review_list"),
    path(
        "<slug:event_slug>/review/<uuid:proposal_uuid>/",
        views.review_detail,
        name="review_detail",
    ),
]
