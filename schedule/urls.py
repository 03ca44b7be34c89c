from django.urls import path

from schedule import export_views, views

app_name = "schedule"

urlpatterns = [
    path("schedule/", views.schedule, name="schedule"),
    path("schedule.ics", views.schedule_ics, name="schedule_ics"),
    path("schedule.xml", export_views.schedule_xml, name="schedule_xml"),
    path("schedule.json", export_views.schedule_json, name="schedule_json"),
    path("talks/<slug:talk_slug>/", views.talk_detail, name="talk_detail"),
    path("talks/<slug:talk_slug>.ics", views.talk_ics, name="talk_ics"),
]
