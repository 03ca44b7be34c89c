from django.urls import path

from infrastructure.page_cache import cached_page
from speakers import views

app_name = "speakers"

urlpatterns = [
    path("", cached_page(views.speaker_list), name="speaker_list"),
    path("<slug:speaker_slug>/", cached_page(views.speaker_detail), name="speaker_detail"),
]
