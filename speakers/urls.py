from django.urls import path

from speakers import views

app_name = "speakers"

urlpatterns = [
    path("", views.speaker_list, name="speaker_list"),
    path("<slug:speaker_slug>/", views.speaker_detail, name="speaker_detail"),
]
