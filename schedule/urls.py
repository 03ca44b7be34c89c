from django.urls import path

from schedule import views

app_name = "schedule"

urlpatterns = [
    path("schedule/", views.schedule, name="schedule"),
    path("schedule.ics", views.schedule_ics, name="schedule_ics"),
    path("talks/<slug:talk_slug>/", views.talk_detail, name="talk_detail"),
    path("talks/<slug:talk_slug>.ics", views.talk_ics, name="talk_ics"),
]
